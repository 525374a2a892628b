//! Data steps on PostgreSQL: the rows of the migration's connection, inside the step's
//! transaction, decoded by column type; numerics, enums and types the model does not know
//! are read as their text.

use sqlx::postgres::{PgConnection, PgRow};
use sqlx::types::Json;
use sqlx::{Row, ValueRef};

use super::connect::db_message;
use super::{bind, introspect};
use crate::dialect::data::{self, RowServer, from_text};
use crate::dialect::{DbError, DialectName};
use crate::schema::value::Value;
use crate::schema::{Table, Type};

/// The migration's connection, inside the step's transaction.
pub(crate) struct PgRows<'c> {
    pub conn: &'c mut PgConnection,
    pub schema: &'c str,
    /// The version table, never shown to the step.
    pub version_table: &'c str,
    pub queries: &'c mut u64,
}

impl RowServer for PgRows<'_> {
    fn dialect(&self) -> DialectName {
        DialectName::Postgres
    }

    fn schema(&self) -> Option<String> {
        Some(self.schema.to_string())
    }

    fn read_as(ty: &Type) -> Option<&'static str> {
        match ty {
            Type::Numeric(..) | Type::Enum { .. } | Type::Raw(_) => Some("TEXT"),
            _ => None,
        }
    }

    async fn table(&mut self, name: &str) -> Result<Option<Table>, DbError> {
        let found =
            introspect::read(self.conn, self.schema, &[self.version_table], self.queries).await?;
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

/// The value of column `i`, decoded as the column's type says.
fn decode(row: &PgRow, i: usize, ty: &Type) -> Result<Value, sqlx::Error> {
    if row.try_get_raw(i)?.is_null() {
        return Ok(Value::Null);
    }
    Ok(match ty {
        Type::SmallInt => Value::Int(row.try_get::<i16, _>(i)?.into()),
        Type::Integer => Value::Int(row.try_get::<i32, _>(i)?.into()),
        Type::BigInt => Value::Int(row.try_get(i)?),
        Type::Boolean => Value::Bool(row.try_get(i)?),
        Type::Real => Value::Float(row.try_get::<f32, _>(i)?.into()),
        Type::Double => Value::Float(row.try_get(i)?),
        Type::Blob => Value::Bytes(row.try_get(i)?),
        Type::Json => Value::Json(row.try_get::<Json<serde_json::Value>, _>(i)?.0),
        Type::Uuid => Value::Uuid(row.try_get(i)?),
        Type::Date => Value::Date(row.try_get(i)?),
        Type::Time => Value::Time(row.try_get(i)?),
        Type::Timestamp => Value::Timestamp(row.try_get(i)?),
        Type::TimestampTz => Value::TimestampTz(row.try_get(i)?),
        Type::Text | Type::Varchar(_) | Type::Char(_) => Value::Text(row.try_get(i)?),
        _ => from_text(ty, row.try_get(i)?),
    })
}
