//! Offline SQL: the statements an upgrade or a downgrade would run, printed instead of run
//! (`db upgrade a:b --sql`). No database is opened: the schema before each revision comes
//! from replaying the revisions' operations in memory.

use super::{Migrator, RunError};
use crate::dialect::script::{self, Baseline, Purpose, ScriptOptions, ScriptStep};
use crate::dialect::{DbError, DialectName, PlanError, VERSION_TABLE};
use crate::revision::graph::{GraphError, PlanStep};
use crate::schema::Schema;

impl Migrator {
    /// The SQL of `upgrade` over `range` (`a:b`, or `b` from base) in `dialect`.
    pub fn upgrade_sql(&self, range: &str, dialect: DialectName) -> Result<String, RunError> {
        let (start, end) = split(range, false)?;
        let rows = self.revisions.graph.resolve(start, &[])?;
        let plan = self.revisions.graph.upgrade(&rows, end)?;
        self.render_plan(&rows, plan, dialect)
    }

    /// The SQL of `downgrade` over `range` (`a:b`: from `a` down to `b`) in `dialect`.
    pub fn downgrade_sql(&self, range: &str, dialect: DialectName) -> Result<String, RunError> {
        let (start, end) = split(range, true)?;
        let rows = self.revisions.graph.resolve(start, &[])?;
        let plan = self.revisions.graph.downgrade(&rows, end)?;
        self.render_plan(&rows, plan, dialect)
    }

    fn render_plan(
        &self,
        rows: &[String],
        plan: Vec<PlanStep>,
        dialect: DialectName,
    ) -> Result<String, RunError> {
        let schema_name = self.target().schema().to_string();
        let plan = self.plan(plan);
        super::refuse_unrunnable(&plan)?;
        if let Some((step, name)) = plan
            .steps
            .iter()
            .find_map(|s| s.data_step().map(|n| (s, n)))
        {
            return Err(RunError::NotScriptable(Box::new(super::Refused {
                id: step.revision.clone(),
                message: step.message.clone(),
                done: step.word(),
                reason: format!("its {} runs the Rust data step '{name}'", step.word()),
            })));
        }
        let steps: Vec<ScriptStep<'_>> = plan.steps.iter().map(|s| s.script_step()).collect();
        let options = ScriptOptions {
            dialect,
            schema: &schema_name,
            version_table: VERSION_TABLE,
            purpose: Purpose::Migration {
                create_version_table: rows.is_empty(),
            },
        };
        script::render(options, Baseline::Schema(self.replay(rows)?), &steps)
            .map_err(|e| RunError::Db(DbError::from(e)))
    }

    /// The schema the revisions `rows` (and all their ancestors) build, replayed in memory
    /// from their operations; no database is read.
    pub fn replayed(&self, rows: &[String]) -> Result<Schema, RunError> {
        self.replay(rows)
    }

    /// The schema the applied `rows` (and all their ancestors) build, from their operations.
    pub(super) fn replay(&self, rows: &[String]) -> Result<Schema, RunError> {
        let graph = &self.revisions.graph;
        let mut applied: std::collections::BTreeSet<&str> =
            rows.iter().map(String::as_str).collect();
        for row in rows {
            applied.extend(graph.ancestors(row));
        }
        let mut schema = Schema::new();
        for id in graph
            .topological()
            .into_iter()
            .filter(|id| applied.contains(id))
        {
            for op in self.revisions.get(id).upgrade_ops() {
                op.apply(&mut schema).map_err(|e| {
                    RunError::Db(DbError::from(PlanError::Apply {
                        operation: format!("{op} (in revision {id})"),
                        source: e,
                    }))
                })?;
            }
        }
        Ok(schema)
    }
}

/// `a:b` into its sides; without `:` an upgrade starts at base, a downgrade is refused.
pub(super) fn split(range: &str, downgrade: bool) -> Result<(&str, &str), RunError> {
    match range.split_once(':') {
        Some((a, b)) if !b.is_empty() => Ok((if a.is_empty() { "base" } else { a }, b)),
        _ if downgrade => Err(RunError::from(GraphError::InvalidTarget {
            target: range.to_string(),
            reason: "a downgrade with --sql needs `from:to`, as in `db downgrade head:base --sql`"
                .into(),
        })),
        Some(_) => Err(RunError::from(GraphError::InvalidTarget {
            target: range.to_string(),
            reason: "the range needs an end, as in `db upgrade base:heads --sql`".into(),
        })),
        None => Ok(("base", range)),
    }
}
