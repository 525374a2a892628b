//! An open database of any dialect: the one type the runner and autogenerate drive, each
//! variant a [`Driver`] of one dialect folder.

use std::time::Duration;

use super::applied::{LogEntry, LogRow, NewRow};
use super::contract::{Driver, dialect_of};
use super::script::Baseline;
use super::{
    DbError, DialectName, LockWait, OpenMode, Step, StepEvents, StepFailed, Target, VERSION_TABLE,
    mysql, postgres, sqlite,
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

/// `$body` with `$db` bound to the driver of whichever dialect `$database` is.
macro_rules! each {
    ($database:expr, $db:ident => $body:expr) => {
        match $database {
            Database::Sqlite($db) => $body,
            Database::Postgres($db) => $body,
            Database::Mysql($db) => $body,
        }
    };
}

impl Database {
    /// Opens `target`. [`OpenMode::ReadOnly`] never writes (SQLite: never creates the file;
    /// servers: a read-only session).
    pub async fn open(target: &Target, mode: OpenMode) -> Result<Database, DbError> {
        Ok(match target.dialect() {
            DialectName::Sqlite => {
                Database::Sqlite(<sqlite::SqliteDb as Driver>::open(target, mode).await?)
            }
            DialectName::Postgres => {
                Database::Postgres(<postgres::PgDb as Driver>::open(target, mode).await?)
            }
            DialectName::Mysql => {
                Database::Mysql(<mysql::MySqlDb as Driver>::open(target, mode).await?)
            }
        })
    }

    /// Closes the connections. On SQLite, closing the last connection folds the write-ahead
    /// log back into the file: a copy of `outflow.db` alone then holds every applied revision.
    pub async fn close(self) {
        each!(self, db => Driver::close(db).await)
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
        Ok(self.baseline().await?.into_schema())
    }

    /// The database as a script is planned against it: the schema and what only the planner
    /// needs (SQLite triggers and expression indexes a rebuild makes again, ...).
    pub async fn baseline(&mut self) -> Result<Baseline, DbError> {
        each!(self, db => Driver::baseline(db, &[VERSION_TABLE]).await)
    }

    /// Takes the migration lock of the version table, waiting at most `wait.timeout` (see
    /// [`super::lock`]). Held until [`Database::unlock`] or the end of the process.
    pub async fn lock(&mut self, wait: LockWait) -> Result<(), DbError> {
        each!(self, db => Driver::lock(db, VERSION_TABLE, wait).await)
    }

    /// Releases the migration lock (SQLite: commits the steps run under it).
    pub async fn unlock(&mut self) -> Result<(), DbError> {
        each!(self, db => Driver::unlock(db).await)
    }

    /// Every row of the applied log, oldest first.
    pub async fn applied_log(&mut self) -> Result<Vec<LogRow>, DbError> {
        each!(self, db => Driver::applied_log(db, VERSION_TABLE).await)
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
        each!(self, db => Driver::write_log_row(db, VERSION_TABLE, row).await)
    }

    /// The applied heads (rows of the version table); empty when it does not exist.
    pub async fn current_heads(&mut self) -> Result<Vec<String>, DbError> {
        let rows = each!(self, db => Driver::version_rows(db, VERSION_TABLE).await)?;
        Ok(rows.unwrap_or_default())
    }

    /// Runs one step (a revision and its version-table change) as atomically as the dialect
    /// allows.
    pub async fn run_step(&mut self, step: &Step<'_>) -> Result<(), DbError> {
        super::expr::check_pasted_text(step.ops, false)?;
        each!(self, db => Driver::run_step(db, step).await)
    }

    /// Runs `steps` in order (see [`Database::run_step`]), reporting each through `events`;
    /// stops at the first failure, with the steps before it applied.
    pub async fn run_steps(
        &mut self,
        steps: &[Step<'_>],
        events: &mut StepEvents<'_>,
    ) -> Result<(), StepFailed> {
        for (index, step) in steps.iter().enumerate() {
            if let Err(e) = super::expr::check_pasted_text(step.ops, false) {
                return Err(StepFailed {
                    index,
                    took: Duration::ZERO,
                    error: e.into(),
                });
            }
        }
        each!(self, db => Driver::run_steps(db, steps, events).await)
    }

    /// Creates an empty database called `name` on this server (for test helpers; an error on
    /// SQLite).
    pub async fn create_database(&mut self, name: &str) -> Result<(), DbError> {
        each!(self, db => Driver::create_database(db, name).await)
    }

    /// Drops the database `name` of this server if it exists, ending its other sessions where
    /// the server can (PostgreSQL `WITH (FORCE)`); an error on SQLite.
    pub async fn drop_database(&mut self, name: &str) -> Result<(), DbError> {
        each!(self, db => Driver::drop_database(db, name).await)
    }

    /// Whether the database holds no table at all.
    pub async fn is_empty(&mut self) -> Result<bool, DbError> {
        each!(self, db => Driver::is_empty(db).await)
    }
}

/// The normal form used to compare schemas of `dialect`.
pub fn compare_for(dialect: DialectName) -> &'static dyn Compare {
    dialect_of(dialect).compare()
}
