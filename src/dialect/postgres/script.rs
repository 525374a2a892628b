//! PostgreSQL scripts (`--sql`): one transaction per step.
//!
//! After an error PostgreSQL refuses every statement until the transaction ends, and `COMMIT`
//! then rolls it back, so `BEGIN`/`COMMIT` around each step is enough whatever psql does
//! after the error. The statements that cannot run in a transaction block (new enum labels,
//! `CONCURRENTLY`) come before it, each on its own and written to be run again.

use super::connect::books_of;
use super::plan::{Known, Planner};
use crate::dialect::script::{Baseline, Purpose, ScriptOptions, ScriptStep, StepPlanner, Writer};
use crate::dialect::{PlanError, script};
use crate::ops::Operation;

const HEADER: &str = "\
Outflow SQL script for PostgreSQL: one transaction per step.
Run it with:  psql -v ON_ERROR_STOP=1 -f SCRIPT (and the options of your database)
A failing statement rolls its step back; with ON_ERROR_STOP psql also stops there.";

const EARLY: &str = "\
Cannot run inside a transaction block: runs on its own, and can be run again.";

/// Writes the script of `steps`.
pub(crate) fn write(
    w: &mut Writer,
    options: ScriptOptions<'_>,
    baseline: Baseline,
    steps: &[ScriptStep<'_>],
) -> Result<(), PlanError> {
    let mut known = match baseline {
        Baseline::Postgres(found) => Known::from_introspected(found),
        other => Known::from_schema(other.schema()),
    };
    w.comment(HEADER);
    w.blank();
    // Literals are written for this setting; a role or database may set it off.
    w.sql("SET standard_conforming_strings = on");
    // The definitions of views, functions... name the schema's objects unqualified, as the
    // migration session reads them; functions come before the tables their bodies read.
    w.sql(&format!(
        "SET search_path = {}",
        super::search_path(options.schema)
    ));
    w.sql("SET check_function_bodies = off");
    if options.purpose
        == (Purpose::Migration {
            create_version_table: true,
        })
    {
        w.sql(&books_of(options.schema, options.version_table).version_table_ddl());
    }
    for step in steps {
        w.blank();
        w.comment(&step.title);
        let mut planner = Planner::new(options.schema, false);
        planner.provide(known.clone());
        let early = planner.early(step.ops);
        if !early.is_empty() {
            w.comment(EARLY);
        }
        for sql in early {
            w.sql(&sql);
        }
        w.sql("BEGIN");
        script::write_ops(w, step.ops, &mut Step(&mut planner))?;
        for change in step.version {
            w.sql(&books_of(options.schema, options.version_table).version_change_literal(change));
        }
        w.sql("COMMIT");
        known = advance(known, step.ops)?;
    }
    Ok(())
}

/// What is known once `ops` ran: the schema they make (enum types as their columns use them).
fn advance(known: Known, ops: &[Operation]) -> Result<Known, PlanError> {
    let mut schema = known.schema;
    for op in ops {
        op.apply(&mut schema).map_err(|source| PlanError::Apply {
            operation: op.to_string(),
            source,
        })?;
    }
    Ok(Known::from_schema(&schema))
}

struct Step<'p, 'a>(&'p mut Planner<'a>);

impl StepPlanner for Step<'_, '_> {
    fn push(&mut self, op: &Operation) -> Result<Vec<String>, PlanError> {
        self.0.push(op)
    }

    fn finish(&mut self) -> Result<Vec<String>, PlanError> {
        Ok(Vec::new())
    }
}
