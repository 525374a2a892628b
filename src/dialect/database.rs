//! An open database of any dialect: the per-dialect connections behind one type.

use super::{DbError, DialectName, OpenMode, Step, Target, VERSION_TABLE, mysql, postgres, sqlite};
use crate::diff::Compare;
use crate::schema::Schema;

/// An open database of any dialect.
#[derive(Debug)]
pub enum Database {
    /// SQLite.
    Sqlite(sqlite::SqliteDb),
    /// PostgreSQL.
    Postgres(postgres::PgDb),
    /// MySQL or MariaDB.
    Mysql(mysql::MySqlDb),
}

impl Database {
    /// Opens `target`. [`OpenMode::ReadOnly`] never writes (SQLite: never creates the file;
    /// servers: a read-only session).
    pub async fn open(target: &Target, mode: OpenMode) -> Result<Database, DbError> {
        Ok(match target {
            Target::Sqlite { path } => Database::Sqlite(sqlite::SqliteDb::open(path, mode).await?),
            Target::Postgres(server) => {
                Database::Postgres(postgres::PgDb::open(server, mode).await?)
            }
            Target::Mysql(server) => Database::Mysql(mysql::MySqlDb::open(server, mode).await?),
        })
    }

    /// The dialect.
    pub fn dialect(&self) -> DialectName {
        match self {
            Database::Sqlite(_) => DialectName::Sqlite,
            Database::Postgres(_) => DialectName::Postgres,
            Database::Mysql(_) => DialectName::Mysql,
        }
    }

    /// The dialect's normal form for comparisons.
    pub fn compare(&self) -> &'static dyn Compare {
        compare_for(self.dialect())
    }

    /// Every table but the version table and the framework's bookkeeping tables.
    pub async fn introspect(&mut self) -> Result<Schema, DbError> {
        match self {
            Database::Sqlite(db) => Ok(db.introspect(&[VERSION_TABLE]).await?.schema),
            Database::Postgres(db) => db.introspect(&[VERSION_TABLE]).await,
            Database::Mysql(db) => db.introspect(&[VERSION_TABLE]).await,
        }
    }

    /// The applied heads (rows of the version table); empty when it does not exist.
    pub async fn current_heads(&mut self) -> Result<Vec<String>, DbError> {
        let rows = match self {
            Database::Sqlite(db) => db.version_rows(VERSION_TABLE).await?,
            Database::Postgres(db) => db.version_rows(VERSION_TABLE).await?,
            Database::Mysql(db) => db.version_rows(VERSION_TABLE).await?,
        };
        Ok(rows.unwrap_or_default())
    }

    /// Runs one step (a revision and its version-table change) as atomically as the dialect
    /// allows.
    pub async fn run_step(&mut self, step: &Step<'_>) -> Result<(), DbError> {
        match self {
            Database::Sqlite(db) => db.run_step(step).await,
            Database::Postgres(db) => db.run_step(step).await,
            Database::Mysql(db) => db.run_step(step).await,
        }
    }

    /// Whether the database holds no table at all.
    pub async fn is_empty(&mut self) -> Result<bool, DbError> {
        match self {
            Database::Sqlite(db) => db.is_empty().await,
            Database::Postgres(db) => db.is_empty().await,
            Database::Mysql(db) => db.is_empty().await,
        }
    }
}

/// The normal form used to compare schemas of `dialect`.
pub fn compare_for(dialect: DialectName) -> &'static dyn Compare {
    match dialect {
        DialectName::Sqlite => &sqlite::SqliteCompare,
        DialectName::Postgres => &postgres::PgCompare,
        DialectName::Mysql => &mysql::MySqlCompare,
    }
}
