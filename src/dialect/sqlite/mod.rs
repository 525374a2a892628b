//! SQLite: introspection through pragmas and parsed DDL, rendering with the table rebuild, and
//! the connection the runner drives.

mod apply;
mod catalog;
mod connect;
mod data;
mod introspect;
mod lock;
mod normal;
mod objects;
mod plan;
mod render;
pub(crate) mod script;
mod text;
mod types;

pub use connect::SqliteDb;
pub use introspect::{Introspected, TableExtras};
pub use normal::SqliteCompare;
pub use plan::Planner;

pub(crate) use connect::open_pool;
pub(crate) use types::bind;

use crate::dialect::applied::{LogRow, NewRow};
use crate::dialect::contract::{Dialect, Driver, not_mine, run_batched};
use crate::dialect::script::{Baseline, ScriptOptions, ScriptStep, Writer};
use crate::dialect::{
    DbError, LockWait, OpenMode, PlanError, Step, StepEvents, StepFailed, Target,
};
use crate::diff::Compare;
use connect::db_message;

use super::sql::Quote;

const Q: Quote = Quote::Double;

/// SQLite's pure side (see [`crate::dialect::contract`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sqlite;

impl Dialect for Sqlite {
    fn compare(&self) -> &'static dyn Compare {
        &SqliteCompare
    }

    fn quote(&self) -> Quote {
        Q
    }

    fn write_script(
        &self,
        w: &mut Writer,
        options: ScriptOptions<'_>,
        baseline: Baseline,
        steps: &[ScriptStep<'_>],
    ) -> Result<(), PlanError> {
        script::write(w, options, baseline, steps)
    }
}

impl Driver for SqliteDb {
    async fn open(target: &Target, mode: OpenMode) -> Result<SqliteDb, DbError> {
        match target {
            Target::Sqlite { path } => SqliteDb::open(path, mode).await,
            other => Err(not_mine(other)),
        }
    }

    async fn close(self) {
        SqliteDb::close(self).await;
    }

    async fn baseline(&mut self, skip: &[&str]) -> Result<Baseline, DbError> {
        self.introspect(skip).await.map(Baseline::Sqlite)
    }

    async fn is_empty(&mut self) -> Result<bool, DbError> {
        SqliteDb::is_empty(self).await
    }

    async fn lock(&mut self, _version_table: &str, wait: LockWait) -> Result<(), DbError> {
        SqliteDb::lock(self, wait).await
    }

    async fn unlock(&mut self) -> Result<(), DbError> {
        SqliteDb::unlock(self).await
    }

    async fn version_rows(&mut self, table: &str) -> Result<Option<Vec<String>>, DbError> {
        SqliteDb::version_rows(self, table).await
    }

    async fn applied_log(&mut self, table: &str) -> Result<Vec<LogRow>, DbError> {
        SqliteDb::applied_log(self, table).await
    }

    async fn write_log_row(&mut self, table: &str, row: &NewRow) -> Result<(), DbError> {
        SqliteDb::write_log_row(self, table, row).await
    }

    async fn run_step(&mut self, step: &Step<'_>) -> Result<(), DbError> {
        SqliteDb::run_step(self, step).await
    }

    async fn create_database(&mut self, _name: &str) -> Result<(), DbError> {
        Err(not_a_server())
    }

    async fn drop_database(&mut self, _name: &str) -> Result<(), DbError> {
        Err(not_a_server())
    }

    async fn run_steps(
        &mut self,
        steps: &[Step<'_>],
        events: &mut StepEvents<'_>,
    ) -> Result<(), StepFailed> {
        run_batched(self, steps, events).await
    }
}

/// The error of a server-only request on a SQLite file.
fn not_a_server() -> DbError {
    DbError::failure("a SQLite file is not a server: it holds no other database")
}

#[cfg(test)]
mod tests;
