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
mod connect;
mod introspect;
mod lock;
mod normal;
mod plan;
mod render;
pub(crate) mod script;
mod text;
mod types;

pub use connect::PgDb;
pub use introspect::{Introspected, Opaque, TableExtras};
pub use normal::PgCompare;

use super::PlanError;
use super::sql::Quote;
use crate::ops::Operation;
use crate::schema::{Schema, Type};
use plan::{Known, Planner};

const Q: Quote = Quote::Double;

/// The type a bound parameter is cast to for a column of type `ty` (enums are named types of
/// `schema`): what lets a text label fill an enum column.
pub fn column_type_sql(ty: &Type, schema: &str) -> String {
    types::render(ty, schema)
}

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

#[cfg(test)]
mod tests;
