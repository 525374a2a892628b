//! [`Value`]s as each driver's arguments. A NULL is typed by its column (PostgreSQL checks a
//! parameter's type against the column's); JSON and UUID are text where the database has no
//! such type.

use sqlx::Arguments;
use sqlx::mysql::MySqlArguments;
use sqlx::postgres::PgArguments;
use sqlx::sqlite::SqliteArguments;

use super::{StoreError, Value};
use crate::schema::Type;

/// The same arms for every driver; `json` and `uuid` say how those travel.
macro_rules! add_value {
    ($args:expr, $value:expr, $ty:expr, null: $null:path, json: $json:expr, uuid: $uuid:expr) => {{
        let args = $args;
        match $value {
            Value::Null => $null(args, $ty),
            Value::Bool(v) => args.add(v),
            Value::Int(v) => args.add(v),
            Value::Float(v) => args.add(v),
            Value::Text(v) => args.add(v),
            Value::Bytes(v) => args.add(v),
            Value::Json(v) => {
                let convert: fn(serde_json::Value) -> _ = $json;
                args.add(convert(v))
            }
            Value::Uuid(v) => {
                let convert: fn(uuid::Uuid) -> _ = $uuid;
                args.add(convert(v))
            }
            Value::Date(v) => args.add(v),
            Value::Time(v) => args.add(v),
            Value::Timestamp(v) => args.add(v),
            Value::TimestampTz(v) => args.add(v),
        }
    }};
}

/// A NULL of the driver type that fits a column of type `ty`.
macro_rules! typed_null {
    ($name:ident, $args:ty, $($uuid:ty)?) => {
        fn $name(args: &mut $args, ty: &Type) -> Result<(), sqlx::error::BoxDynError> {
            match ty {
                Type::SmallInt | Type::Integer | Type::BigInt => args.add(None::<i64>),
                Type::Boolean => args.add(None::<bool>),
                Type::Real | Type::Double | Type::Numeric(..) => args.add(None::<f64>),
                Type::Blob => args.add(None::<Vec<u8>>),
                Type::Date => args.add(None::<chrono::NaiveDate>),
                Type::Time => args.add(None::<chrono::NaiveTime>),
                Type::Timestamp => args.add(None::<chrono::NaiveDateTime>),
                Type::TimestampTz => args.add(None::<chrono::DateTime<chrono::Utc>>),
                $(Type::Uuid => args.add(None::<$uuid>),)?
                _ => args.add(None::<String>),
            }
        }
    };
}

typed_null!(sqlite_null, SqliteArguments,);
typed_null!(mysql_null, MySqlArguments,);
typed_null!(postgres_null, PgArguments, uuid::Uuid);

fn failed(e: sqlx::error::BoxDynError) -> StoreError {
    StoreError::Bind(e.to_string())
}

/// SQLite arguments: JSON as its text, a UUID hyphenated.
pub(crate) fn sqlite(values: Vec<(Value, &Type)>) -> Result<SqliteArguments, StoreError> {
    let mut args = SqliteArguments::default();
    for (value, ty) in values {
        add_value!(&mut args, value, ty, null: sqlite_null, json: |v| v.to_string(), uuid: |v| v.hyphenated().to_string())
            .map_err(failed)?;
    }
    Ok(args)
}

/// MySQL arguments: JSON as its text, a UUID hyphenated (a `CHAR(36)` column).
pub(crate) fn mysql(values: Vec<(Value, &Type)>) -> Result<MySqlArguments, StoreError> {
    let mut args = MySqlArguments::default();
    for (value, ty) in values {
        add_value!(&mut args, value, ty, null: mysql_null, json: |v| v.to_string(), uuid: |v| v.hyphenated().to_string())
            .map_err(failed)?;
    }
    Ok(args)
}

/// PostgreSQL arguments: JSON and UUID as themselves (the statement casts them to the column).
pub(crate) fn postgres(values: Vec<(Value, &Type)>) -> Result<PgArguments, StoreError> {
    let mut args = PgArguments::default();
    for (value, ty) in values {
        add_value!(&mut args, value, ty, null: postgres_null, json: |v| v, uuid: |v| v)
            .map_err(failed)?;
    }
    Ok(args)
}
