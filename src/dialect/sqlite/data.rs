//! Data steps on SQLite: the rows of the migration's connection, read by storage class
//! (SQLite keeps each value as it was written, whatever the declared type) and shaped by the
//! column's type (a boolean is an integer, JSON and UUIDs are text).

use sqlx::sqlite::{SqliteConnection, SqliteRow};
use sqlx::{Row, TypeInfo, ValueRef};

use super::connect::db_message;
use super::{bind, introspect};
use crate::dialect::data::{self, RowServer, from_text};
use crate::dialect::{DbError, DialectName};
use crate::schema::value::Value;
use crate::schema::{Table, Type};

/// The migration's connection, inside the step's savepoint or transaction.
pub(crate) struct SqliteRows<'c> {
    pub conn: &'c mut SqliteConnection,
    /// The version table, never shown to the step.
    pub version_table: &'c str,
}

impl RowServer for SqliteRows<'_> {
    fn dialect(&self) -> DialectName {
        DialectName::Sqlite
    }

    fn schema(&self) -> Option<String> {
        None
    }

    fn read_as(_: &Type) -> Option<&'static str> {
        None
    }

    async fn table(&mut self, name: &str) -> Result<Option<Table>, DbError> {
        let found =
            introspect::introspect(self.conn, Some(name), &[self.version_table], &mut 0).await?;
        Ok(found.schema.table(name).cloned())
    }

    async fn fetch(
        &mut self,
        sql: &str,
        values: Vec<(Value, Type)>,
        types: &[Type],
    ) -> Result<Vec<Vec<Value>>, DbError> {
        let args = bind(values.iter().map(|(v, t)| (v.clone(), t)).collect())
            .map_err(|e| DbError::failure(e.to_string()))?;
        data::fetch_rows(&mut *self.conn, sql, args, types, decode, db_message).await
    }

    async fn execute(&mut self, sql: &str, values: Vec<(Value, Type)>) -> Result<u64, DbError> {
        let args = bind(values.iter().map(|(v, t)| (v.clone(), t)).collect())
            .map_err(|e| DbError::failure(e.to_string()))?;
        let done = data::execute_rows(&mut *self.conn, sql, args, db_message).await?;
        Ok(done.rows_affected())
    }
}

/// The value of column `i` as its storage class holds it, shaped by the column's type.
fn decode(row: &SqliteRow, i: usize, ty: &Type) -> Result<Value, sqlx::Error> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let class = raw.type_info().name().to_string();
    Ok(match class.as_str() {
        "INTEGER" => {
            let n: i64 = row.try_get_unchecked(i)?;
            match ty {
                Type::Boolean => Value::Bool(n != 0),
                _ => Value::Int(n),
            }
        }
        "REAL" => Value::Float(row.try_get_unchecked(i)?),
        "BLOB" => Value::Bytes(row.try_get_unchecked(i)?),
        _ => from_text(ty, row.try_get_unchecked(i)?),
    })
}
