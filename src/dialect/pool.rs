//! The pipeline's connections at run time: a pool of the run-time role (`user:`) per database,
//! statements of model rows run with their values bound, whatever the dialect. The store
//! builds the statements ([`crate::store`]); each dialect folder opens its pool
//! (`connect.rs`), spells its parameters (the contract's `Dialect::parameter`) and binds
//! values as its driver takes them (`types.rs`).

use sqlx::mysql::MySqlRow;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, FromRow, MySqlPool, PgPool, SqlitePool};

use super::{DialectName, Target, mysql, postgres, sqlite};
use crate::model::value::Value;
use crate::schema::Type;

/// A pool of connections to one database.
#[derive(Debug, Clone)]
pub enum Pool {
    /// SQLite.
    Sqlite(SqlitePool),
    /// PostgreSQL.
    Postgres(PgPool),
    /// MySQL or MariaDB.
    Mysql(MySqlPool),
}

/// Why a statement of rows failed.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// A value the driver cannot send.
    #[error("cannot bind a value: {0}")]
    Bind(String),
    /// The database refused the statement.
    #[error(transparent)]
    Query(#[from] sqlx::Error),
}

/// A model a [`Pool`] can read back on every dialect: what `#[derive(Model)]` gives.
pub trait Rows:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + for<'r> FromRow<'r, MySqlRow>
{
}

impl<M> Rows for M where
    M: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + for<'r> FromRow<'r, MySqlRow>
{
}

impl Pool {
    /// Opens a pool on `target` as its run-time role when the config has one; a SQLite file
    /// in WAL mode with a busy timeout. `Err` carries the driver's message (it may hold the
    /// URL: redact it before showing it).
    pub async fn open(target: &Target) -> Result<Pool, String> {
        Ok(match target {
            Target::Sqlite { path } => Pool::Sqlite(sqlite::open_pool(path).await?),
            Target::Postgres(server) => Pool::Postgres(postgres::open_pool(server).await?),
            Target::Mysql(server) => Pool::Mysql(mysql::open_pool(server).await?),
        })
    }

    /// The dialect.
    pub fn dialect(&self) -> DialectName {
        match self {
            Pool::Sqlite(_) => DialectName::Sqlite,
            Pool::Postgres(_) => DialectName::Postgres,
            Pool::Mysql(_) => DialectName::Mysql,
        }
    }

    /// The SQLite pool, when this is a SQLite database.
    pub fn sqlite(&self) -> Option<&SqlitePool> {
        match self {
            Pool::Sqlite(pool) => Some(pool),
            _ => None,
        }
    }

    /// The PostgreSQL pool, when this is a PostgreSQL database.
    pub fn postgres(&self) -> Option<&PgPool> {
        match self {
            Pool::Postgres(pool) => Some(pool),
            _ => None,
        }
    }

    /// The MySQL pool, when this is a MySQL or MariaDB database.
    pub fn mysql(&self) -> Option<&MySqlPool> {
        match self {
            Pool::Mysql(pool) => Some(pool),
            _ => None,
        }
    }

    /// Closes every connection (each SQLite connection checkpoints its WAL).
    pub async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
            Pool::Mysql(p) => p.close().await,
        }
    }

    /// Runs a statement that returns no rows; the number of rows it touched.
    pub async fn execute(&self, sql: &str, values: Vec<(Value, &Type)>) -> Result<u64, PoolError> {
        let sql = AssertSqlSafe(sql.to_string());
        Ok(match self {
            Pool::Sqlite(pool) => sqlx::query_with(sql, sqlite::bind(values)?)
                .execute(pool)
                .await?
                .rows_affected(),
            Pool::Mysql(pool) => sqlx::query_with(sql, mysql::bind(values)?)
                .execute(pool)
                .await?
                .rows_affected(),
            Pool::Postgres(pool) => sqlx::query_with(sql, postgres::bind(values)?)
                .execute(pool)
                .await?
                .rows_affected(),
        })
    }

    /// Runs an insert; with `numbered`, returns the number the database gave the row (the
    /// statement's `RETURNING` on PostgreSQL, the driver's last id elsewhere).
    pub async fn insert(
        &self,
        sql: &str,
        values: Vec<(Value, &Type)>,
        numbered: bool,
    ) -> Result<Option<i64>, PoolError> {
        let sql = AssertSqlSafe(sql.to_string());
        Ok(match self {
            Pool::Sqlite(pool) => {
                let done = sqlx::query_with(sql, sqlite::bind(values)?)
                    .execute(pool)
                    .await?;
                numbered.then(|| done.last_insert_rowid())
            }
            Pool::Mysql(pool) => {
                let done = sqlx::query_with(sql, mysql::bind(values)?)
                    .execute(pool)
                    .await?;
                numbered.then(|| done.last_insert_id() as i64)
            }
            Pool::Postgres(pool) if numbered => Some(
                sqlx::query_scalar_with(sql, postgres::bind(values)?)
                    .fetch_one(pool)
                    .await?,
            ),
            Pool::Postgres(pool) => {
                sqlx::query_with(sql, postgres::bind(values)?)
                    .execute(pool)
                    .await?;
                None
            }
        })
    }

    /// Runs a select; its rows as `M`.
    pub async fn fetch<M>(
        &self,
        sql: &str,
        values: Vec<(Value, &Type)>,
    ) -> Result<Vec<M>, PoolError>
    where
        M: Rows + Send + Unpin,
    {
        let sql = AssertSqlSafe(sql.to_string());
        Ok(match self {
            Pool::Sqlite(pool) => {
                sqlx::query_as_with(sql, sqlite::bind(values)?)
                    .fetch_all(pool)
                    .await?
            }
            Pool::Mysql(pool) => {
                sqlx::query_as_with(sql, mysql::bind(values)?)
                    .fetch_all(pool)
                    .await?
            }
            Pool::Postgres(pool) => {
                sqlx::query_as_with(sql, postgres::bind(values)?)
                    .fetch_all(pool)
                    .await?
            }
        })
    }
}

/// Adds `value` to a driver's arguments, the same arms for every driver: `json` and `uuid`
/// say how those travel, `null` gives a NULL of the column's type (PostgreSQL checks a
/// parameter's type against the column's).
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

pub(crate) use {add_value, typed_null};

/// A bind error as the pool reports it.
pub(crate) fn bind_failed(e: sqlx::error::BoxDynError) -> PoolError {
    PoolError::Bind(e.to_string())
}
