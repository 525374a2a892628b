//! Data steps on MySQL and MariaDB: the rows of the migration's connection, inside the data
//! step's own transaction (DDL around it commits by itself), decoded by column type; what the
//! driver cannot decode as it is (numerics, enums, JSON, dates and times, other types) is
//! read as its text and parsed back where the type has a value.
//!
//! The tables are read once, before the step's transaction starts: reading the catalog takes
//! a transaction of its own, and starting one would commit the step's. Raw DDL a step runs
//! commits by itself on this server anyway; a step that changes a table and then reads it
//! through `select` sees it as it was.

use sqlx::mysql::{MySqlConnection, MySqlRow};
use sqlx::{Row, ValueRef};

use super::bind;
use super::connect::message;
use crate::dialect::data::{self, RowServer, from_text};
use crate::dialect::{DbError, DialectName};
use crate::schema::value::Value;
use crate::schema::{Schema, Table, Type};

/// The migration's connection, inside the step's transaction.
pub(crate) struct MySqlRows<'c> {
    pub conn: &'c mut MySqlConnection,
    /// The tables as they were when the step started (without the bookkeeping tables).
    pub tables: Schema,
}

impl MySqlRows<'_> {
    fn conn(&mut self) -> &mut MySqlConnection {
        self.conn
    }
}

impl RowServer for MySqlRows<'_> {
    fn dialect(&self) -> DialectName {
        DialectName::Mysql
    }

    fn schema(&self) -> Option<String> {
        None
    }

    fn read_as(ty: &Type) -> Option<&'static str> {
        match ty {
            Type::SmallInt | Type::Integer | Type::BigInt | Type::Boolean => Some("SIGNED"),
            Type::Real | Type::Double | Type::Blob => None,
            Type::Text | Type::Varchar(_) | Type::Char(_) => None,
            _ => Some("CHAR"),
        }
    }

    async fn table(&mut self, name: &str) -> Result<Option<Table>, DbError> {
        Ok(self.tables.table(name).cloned())
    }

    async fn fetch(
        &mut self,
        sql: &str,
        values: Vec<(Value, Type)>,
        types: &[Type],
    ) -> Result<Vec<Vec<Value>>, DbError> {
        let args = bind(values.iter().map(|(v, t)| (v.clone(), t)).collect())
            .map_err(|e| DbError::failure(e.to_string()))?;
        data::fetch_rows(self.conn(), sql, args, types, decode, message).await
    }

    async fn execute(&mut self, sql: &str, values: Vec<(Value, Type)>) -> Result<u64, DbError> {
        let args = bind(values.iter().map(|(v, t)| (v.clone(), t)).collect())
            .map_err(|e| DbError::failure(e.to_string()))?;
        let done = data::execute_rows(self.conn(), sql, args, message).await?;
        Ok(done.rows_affected())
    }
}

/// The value of column `i`: integers read through `CAST(... AS SIGNED)`, text and bytes as
/// they are, the rest from its text.
fn decode(row: &MySqlRow, i: usize, ty: &Type) -> Result<Value, sqlx::Error> {
    if row.try_get_raw(i)?.is_null() {
        return Ok(Value::Null);
    }
    Ok(match ty {
        Type::SmallInt | Type::Integer | Type::BigInt => Value::Int(row.try_get(i)?),
        Type::Boolean => Value::Bool(row.try_get::<i64, _>(i)? != 0),
        Type::Real => Value::Float(row.try_get::<f32, _>(i)?.into()),
        Type::Double => Value::Float(row.try_get(i)?),
        Type::Blob => Value::Bytes(row.try_get(i)?),
        Type::Text | Type::Varchar(_) | Type::Char(_) => Value::Text(row.try_get(i)?),
        _ => from_text(ty, row.try_get(i)?),
    })
}
