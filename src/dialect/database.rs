//! An open database of any dialect: the per-dialect connections behind one type.

use std::time::Duration;

use super::applied::{LogEntry, LogRow, NewRow};
use super::script::Baseline;
use super::{
    DbError, DialectName, LockWait, OpenMode, Step, Target, VERSION_TABLE, mysql, postgres, sqlite,
};
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

    /// Closes the connection. On SQLite, closing the last connection folds the write-ahead log
    /// back into the file: a copy of `outflow.db` alone then holds every applied revision.
    pub async fn close(self) {
        if let Database::Sqlite(db) = self {
            db.close().await;
        }
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
        let skip = [VERSION_TABLE];
        match self {
            Database::Sqlite(db) => Ok(db.introspect(&skip).await?.schema),
            Database::Postgres(db) => db.introspect(&skip).await,
            Database::Mysql(db) => db.introspect(&skip).await,
        }
    }

    /// The database as a script is planned against it: the schema and what only the planner
    /// needs (SQLite triggers and expression indexes a rebuild makes again, ...).
    pub async fn baseline(&mut self) -> Result<Baseline, DbError> {
        let skip = [VERSION_TABLE];
        Ok(match self {
            Database::Sqlite(db) => Baseline::Sqlite(db.introspect(&skip).await?),
            Database::Postgres(db) => Baseline::Postgres(db.introspect_full(&skip).await?),
            Database::Mysql(db) => Baseline::Mysql(db.read(&skip).await?),
        })
    }

    /// Takes the migration lock of the version table, waiting at most `wait.timeout` (see
    /// [`super::lock`]). Held until [`Database::unlock`] or the end of the process.
    pub async fn lock(&mut self, wait: LockWait) -> Result<(), DbError> {
        match self {
            Database::Sqlite(db) => db.lock(wait).await,
            Database::Postgres(db) => db.lock(VERSION_TABLE, wait).await,
            Database::Mysql(db) => db.lock(VERSION_TABLE, wait).await,
        }
    }

    /// Releases the migration lock (SQLite: commits the steps run under it).
    pub async fn unlock(&mut self) -> Result<(), DbError> {
        match self {
            Database::Sqlite(db) => db.unlock().await,
            Database::Postgres(db) => db.unlock().await,
            Database::Mysql(db) => db.unlock().await,
        }
    }

    /// Every row of the applied log, oldest first.
    pub async fn applied_log(&mut self) -> Result<Vec<LogRow>, DbError> {
        match self {
            Database::Sqlite(db) => db.applied_log(VERSION_TABLE).await,
            Database::Postgres(db) => db.applied_log(VERSION_TABLE).await,
            Database::Mysql(db) => db.applied_log(VERSION_TABLE).await,
        }
    }

    /// Records that the step of `entry` failed with `error` after `took`.
    pub async fn log_failure(
        &mut self,
        entry: &LogEntry,
        took: Duration,
        error: &str,
    ) -> Result<(), DbError> {
        self.write_log_row(&NewRow::failed(entry, took, error))
            .await
    }

    /// Records `entries` as applied, outside any step (`db stamp --update-checksums`).
    pub async fn log_applied(&mut self, entries: &[LogEntry]) -> Result<(), DbError> {
        for entry in entries {
            self.write_log_row(&NewRow::applied(entry, Duration::ZERO))
                .await?;
        }
        Ok(())
    }

    async fn write_log_row(&mut self, row: &NewRow) -> Result<(), DbError> {
        match self {
            Database::Sqlite(db) => db.write_log_row(VERSION_TABLE, row).await,
            Database::Postgres(db) => db.write_log_row(VERSION_TABLE, row).await,
            Database::Mysql(db) => db.write_log_row(VERSION_TABLE, row).await,
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
        super::expr::check_pasted_text(step.ops)?;
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
