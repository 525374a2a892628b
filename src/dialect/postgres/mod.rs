//! PostgreSQL: introspection with five catalog queries, a normal form for comparisons,
//! rendering of every operation, and the connection the runner drives.
//!
//! A step (a revision and its version-table changes) runs in one transaction, except for the
//! statements PostgreSQL refuses in a transaction block or only lets a later transaction use:
//! `ALTER TYPE ... ADD VALUE` (new enum labels), `CREATE/DROP INDEX CONCURRENTLY`,
//! `REINDEX ... CONCURRENTLY`, `VACUUM`, ... (also inside `op.execute` SQL, found by their
//! leading keywords). Those run first, each on its own, then the transaction. If the
//! transaction then fails, they stay: added labels are harmless and `ADD VALUE IF NOT EXISTS`
//! makes the next attempt skip them; raw SQL should be written to be re-run (`IF NOT EXISTS`).
//!
//! Every object lives in the configured schema (`public` unless `schema:` says otherwise) and
//! every name is written qualified. The connection's `search_path` is that schema, then
//! `public`, so unqualified names in defaults, checks and raw SQL mean the same schema.

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

pub use connect::PgDb;
pub use introspect::{Introspected, Opaque, TableExtras};
pub use normal::PgCompare;

pub(crate) use connect::open_pool;

/// The search path of a migration on `schema`: the schema, then `public`.
pub(crate) fn search_path(schema: &str) -> String {
    let q = crate::dialect::sql::Quote::Double;
    if schema == "public" {
        q.ident("public")
    } else {
        format!("{}, {}", q.ident(schema), q.ident("public"))
    }
}
pub(crate) use types::bind;

use super::PlanError;
use super::sql::Quote;
use crate::dialect::applied::{LogRow, NewRow};
use crate::dialect::contract::{Dialect, Driver, not_mine, run_batched};
use crate::dialect::script::{Baseline, ScriptOptions, ScriptStep, Writer};
use crate::dialect::{DbError, LockWait, OpenMode, Step, StepEvents, StepFailed, Target};
use crate::diff::Compare;
use crate::ops::Operation;
use crate::schema::{Schema, Type};
use plan::{Known, Planner};

const Q: Quote = Quote::Double;

/// Statements of a step rendered offline, split as [`PgDb::run_step`] runs them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// To run first, each on its own, outside any transaction (new enum labels, raw SQL
    /// PostgreSQL refuses in a transaction block).
    pub before_transaction: Vec<String>,
    /// To run in one transaction.
    pub in_transaction: Vec<String>,
}

/// Offline SQL (`db upgrade a:b --sql`): the statements for `ops` given the schema before
/// them, split as they run (see [`Rendered`]).
pub fn render_step(
    ops: &[Operation],
    before: &Schema,
    schema: &str,
) -> Result<Rendered, PlanError> {
    let mut planner = Planner::new(schema, false);
    planner.provide(Known::from_schema(before));
    let before_transaction = planner.early(ops);
    let mut in_transaction = Vec::new();
    for op in ops {
        in_transaction.extend(planner.push(op)?);
    }
    Ok(Rendered {
        before_transaction,
        in_transaction,
    })
}

/// Offline SQL (`db upgrade a:b --sql`): the statements for `ops` given the schema before
/// them, those to run outside the transaction first (see [`render_step`]).
pub fn render(ops: &[Operation], before: &Schema, schema: &str) -> Result<Vec<String>, PlanError> {
    let rendered = render_step(ops, before, schema)?;
    let mut out = rendered.before_transaction;
    out.extend(rendered.in_transaction);
    Ok(out)
}

/// PostgreSQL's pure side (see [`crate::dialect::contract`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Postgres;

impl Dialect for Postgres {
    fn compare(&self) -> &'static dyn Compare {
        &PgCompare
    }

    fn quote(&self) -> Quote {
        Q
    }

    /// Labels, UUIDs and JSON travel as text; the column has its own type.
    fn parameter(&self, n: usize, ty: &Type, schema: Option<&str>) -> String {
        match ty {
            Type::Enum { .. } | Type::Uuid | Type::Json => format!(
                "CAST(${n} AS {})",
                types::render(ty, schema.unwrap_or("public"))
            ),
            _ => format!("${n}"),
        }
    }

    fn returning(&self, column: &str) -> Option<String> {
        Some(format!(" RETURNING CAST({} AS BIGINT)", Q.ident(column)))
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

impl Driver for PgDb {
    async fn open(target: &Target, mode: OpenMode) -> Result<PgDb, DbError> {
        match target {
            Target::Postgres(server) => PgDb::open(server, mode).await,
            other => Err(not_mine(other)),
        }
    }

    async fn close(self) {
        let _ = sqlx::Connection::close(self.conn).await;
    }

    async fn baseline(&mut self, skip: &[&str]) -> Result<Baseline, DbError> {
        self.introspect_full(skip).await.map(Baseline::Postgres)
    }

    async fn is_empty(&mut self) -> Result<bool, DbError> {
        PgDb::is_empty(self).await
    }

    async fn lock(&mut self, version_table: &str, wait: LockWait) -> Result<(), DbError> {
        PgDb::lock(self, version_table, wait).await
    }

    async fn unlock(&mut self) -> Result<(), DbError> {
        PgDb::unlock(self).await
    }

    async fn version_rows(&mut self, table: &str) -> Result<Option<Vec<String>>, DbError> {
        PgDb::version_rows(self, table).await
    }

    async fn applied_log(&mut self, table: &str) -> Result<Vec<LogRow>, DbError> {
        PgDb::applied_log(self, table).await
    }

    async fn write_log_row(&mut self, table: &str, row: &NewRow) -> Result<(), DbError> {
        PgDb::write_log_row(self, table, row).await
    }

    async fn run_step(&mut self, step: &Step<'_>) -> Result<(), DbError> {
        PgDb::run_step(self, step).await
    }

    async fn create_database(&mut self, name: &str) -> Result<(), DbError> {
        connect::exec(
            &mut self.conn,
            &format!("CREATE DATABASE {}", Q.ident(name)),
        )
        .await
    }

    async fn drop_database(&mut self, name: &str) -> Result<(), DbError> {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", Q.ident(name));
        connect::exec(&mut self.conn, &sql).await
    }

    async fn run_steps(
        &mut self,
        steps: &[Step<'_>],
        events: &mut StepEvents<'_>,
    ) -> Result<(), StepFailed> {
        run_batched(self, steps, events).await
    }
}

#[cfg(test)]
mod tests;
