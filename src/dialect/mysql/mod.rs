//! MySQL and MariaDB: introspection through information_schema (six queries whatever the
//! number of tables), the normal form, rendering with the current definition of each table
//! (`MODIFY` needs the full column), and a runner that records its progress statement by
//! statement, since these servers commit every DDL statement by itself.
//!
//! Decisions (details in each module):
//! * Types (`types`): `text` is `LONGTEXT`, `blob` `LONGBLOB`, `timestamp` `DATETIME(6)`,
//!   `timestamp with time zone` `TIMESTAMP(6)` (an instant in UTC, years 1970–2038), `time`
//!   `TIME(6)`, `uuid` `CHAR(36)` (and reads back as `char(36)`), `json` `JSON`, enums
//!   `ENUM(...)` read back without a type name.
//! * Tables are created `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4` (servers often default to
//!   latin1).
//! * Keys on text, blob or JSON columns are refused with a [`PlanError`]: MySQL indexes them
//!   only by a prefix, which would make a unique key compare prefixes.
//! * Expressions and literals are translated between neutral SQL and MySQL (`text`), and
//!   compared in a normal form that undoes MariaDB's rewrites (`normal`).
//! * Foreign keys always get their index from us when no model index covers them, and are set
//!   aside while a column they hold changes type, which these servers refuse otherwise
//!   (`plan`).
//! * A new `AUTO_INCREMENT` column is added by the statement that creates its key, so the
//!   existing rows get numbers (`plan`).
//! * Foreign-key actions are always written out (`ON DELETE NO ACTION`): MariaDB reads an
//!   unwritten one back as `RESTRICT`. `SET DEFAULT` is refused: InnoDB does not have it.
//! * Offline SQL ([`render`]) runs on MariaDB 10.5+ and MySQL 8.0.19+; the live runner uses
//!   MariaDB's `IF [NOT] EXISTS` forms so a statement can be run again, and MySQL's
//!   `DROP CHECK`.

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

pub use connect::MySqlDb;
pub use introspect::Introspected;

pub(crate) use connect::open_pool;
pub(crate) use types::bind;

use crate::dialect::PlanError;
use crate::dialect::applied::{LogRow, NewRow};
use crate::dialect::contract::{Dialect, Driver, not_mine};
use crate::dialect::script::{Baseline, ScriptOptions, ScriptStep, Writer};
use crate::dialect::{DbError, LockWait, OpenMode, Step, Target};
use crate::diff::Compare;

use crate::ops::Operation;
use crate::schema::Schema;

/// Which server is behind a connection: their DDL and catalogs differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// MariaDB (10.5.2 or later).
    MariaDb,
    /// MySQL (8.0.16 or later).
    MySql,
}

pub use normal::MySqlCompare;

/// Offline SQL (`db upgrade a:b --sql`): the statements for `ops` given the schema before
/// them, in a form both MariaDB 10.5+ and MySQL 8.0.19+ accept (no `IF [NOT] EXISTS`).
///
/// ```
/// use outflow::dialect::mysql::render;
/// use outflow::ops::Operation;
/// use outflow::schema::{column, table, Schema, Type};
///
/// let t = table("t").column(column("id", Type::Integer).not_null()).primary_key("pk_t", ["id"]);
/// let sql = render(&[Operation::CreateTable(t)], &Schema::new()).unwrap();
/// assert!(sql[0].starts_with("CREATE TABLE `t` (\n    `id` INT NOT NULL,"));
/// ```
pub fn render(ops: &[Operation], before: &Schema) -> Result<Vec<String>, PlanError> {
    let mut planner = plan::Planner::offline(before);
    let mut out = Vec::new();
    for op in ops {
        out.extend(planner.push(op)?);
    }
    out.extend(planner.finish()?);
    Ok(out)
}

/// MySQL's pure side (see [`crate::dialect::contract`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mysql;

impl Dialect for Mysql {
    fn compare(&self) -> &'static dyn Compare {
        &MySqlCompare
    }

    fn quote(&self) -> crate::dialect::sql::Quote {
        render::Q
    }

    fn stops_half_way(&self) -> bool {
        true
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

impl Driver for MySqlDb {
    async fn create_database(&mut self, name: &str) -> Result<(), DbError> {
        let sql = format!("CREATE DATABASE {}", render::Q.ident(name));
        self.execute_admin(&sql).await
    }

    async fn drop_database(&mut self, name: &str) -> Result<(), DbError> {
        let sql = format!("DROP DATABASE IF EXISTS {}", render::Q.ident(name));
        self.execute_admin(&sql).await
    }

    async fn open(target: &Target, mode: OpenMode) -> Result<MySqlDb, DbError> {
        match target {
            Target::Mysql(server) => MySqlDb::open(server, mode).await,
            other => Err(not_mine(other)),
        }
    }

    async fn close(self) {
        let _ = sqlx::Connection::close(self.conn).await;
    }

    async fn baseline(&mut self, skip: &[&str]) -> Result<Baseline, DbError> {
        self.read(skip).await.map(Baseline::Mysql)
    }

    async fn is_empty(&mut self) -> Result<bool, DbError> {
        MySqlDb::is_empty(self).await
    }

    async fn lock(&mut self, version_table: &str, wait: LockWait) -> Result<(), DbError> {
        MySqlDb::lock(self, version_table, wait).await
    }

    async fn unlock(&mut self) -> Result<(), DbError> {
        MySqlDb::unlock(self).await
    }

    async fn version_rows(&mut self, table: &str) -> Result<Option<Vec<String>>, DbError> {
        MySqlDb::version_rows(self, table).await
    }

    async fn applied_log(&mut self, table: &str) -> Result<Vec<LogRow>, DbError> {
        MySqlDb::applied_log(self, table).await
    }

    async fn write_log_row(&mut self, table: &str, row: &NewRow) -> Result<(), DbError> {
        MySqlDb::write_log_row(self, table, row).await
    }

    async fn run_step(&mut self, step: &Step<'_>) -> Result<(), DbError> {
        MySqlDb::run_step(self, step).await
    }
}

#[cfg(test)]
mod tests;
