//! Offline SQL: the statements an upgrade or a downgrade would run, printed instead of run
//! (`db upgrade a:b --sql`). No database is opened: the schema before each revision comes
//! from replaying the revisions' operations in memory.

use std::fmt::Write as _;

use super::{Migrator, RunError};
use crate::dialect::{
    DbError, DialectName, PlanError, VERSION_TABLE, VersionChange, mysql, postgres, sqlite,
};
use crate::ops::Operation;
use crate::revision::graph::{Direction, GraphError, PlanStep};
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
        let schema_name = match self.target() {
            crate::dialect::Target::Postgres(server) => server.schema().to_string(),
            _ => "public".to_string(),
        };
        let mut state = self.replay(rows)?;
        let mut out = String::new();
        if dialect == DialectName::Postgres {
            // Literals are written for this setting; a role or database may set it off.
            out.push_str("SET standard_conforming_strings = on;\n\n");
        }
        if rows.is_empty() {
            writeln!(out, "{};\n", version_table_sql(dialect, &schema_name))
                .expect("writing to a String");
        }
        for step in plan {
            let revision = self.revisions.get(&step.revision);
            let (word, ops) = match step.direction {
                Direction::Up => ("upgrade", revision.upgrade_ops()),
                Direction::Down => ("downgrade", revision.downgrade_ops()),
            };
            let _ = writeln!(
                out,
                "-- Running {word} {}, {}",
                self.arrow(&step),
                // A control character (a lone `\r`) would end the comment for psql.
                revision.message().replace(char::is_control, " ")
            );
            let (outside, inside) = render(&ops, &state, dialect, &schema_name)
                .map_err(|e| RunError::Db(DbError::from(e)))?;
            for sql in outside {
                let _ = writeln!(out, "{sql};");
            }
            // MySQL commits each DDL statement by itself: a transaction would only pretend.
            let transactional = dialect != DialectName::Mysql;
            if transactional {
                out.push_str("BEGIN;\n");
            }
            for sql in inside {
                let _ = writeln!(out, "{sql};");
            }
            for change in &step.version {
                let _ = writeln!(
                    out,
                    "{};",
                    version_change_sql(dialect, change, &schema_name)
                );
            }
            if transactional {
                out.push_str("COMMIT;\n");
            }
            out.push('\n');
            for op in &ops {
                op.apply(&mut state).map_err(|e| {
                    RunError::Db(DbError::from(PlanError::Apply {
                        operation: op.to_string(),
                        source: e,
                    }))
                })?;
            }
        }
        Ok(out)
    }

    /// The schema the applied `rows` (and all their ancestors) build, from their operations.
    fn replay(&self, rows: &[String]) -> Result<Schema, RunError> {
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

/// The statements of `ops` in `dialect` given the schema before them, in the order they run
/// (for `db diff --sql`).
pub fn statements(
    ops: &[Operation],
    before: &Schema,
    dialect: DialectName,
    schema: &str,
) -> Result<Vec<String>, PlanError> {
    let (mut outside, inside) = render(ops, before, dialect, schema)?;
    outside.extend(inside);
    Ok(outside)
}

/// `a:b` into its sides; without `:` an upgrade starts at base, a downgrade is refused.
fn split(range: &str, downgrade: bool) -> Result<(&str, &str), RunError> {
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

/// The statements of `ops` in `dialect`, given the schema before them: those that must run
/// outside a transaction (PostgreSQL's new enum labels...), then the others.
fn render(
    ops: &[Operation],
    before: &Schema,
    dialect: DialectName,
    schema: &str,
) -> Result<(Vec<String>, Vec<String>), PlanError> {
    crate::dialect::expr::check_pasted_text(ops)?;
    match dialect {
        DialectName::Sqlite => {
            let mut planner = sqlite::Planner::new();
            for table in before.tables() {
                planner.provide(table.clone(), sqlite::TableExtras::default());
            }
            let mut out = Vec::new();
            for op in ops {
                out.extend(planner.push(op)?);
            }
            out.extend(planner.finish()?);
            Ok((Vec::new(), out))
        }
        DialectName::Postgres => {
            let rendered = postgres::render_step(ops, before, schema)?;
            Ok((rendered.before_transaction, rendered.in_transaction))
        }
        DialectName::Mysql => Ok((Vec::new(), mysql::render(ops, before)?)),
    }
}

fn version_table_sql(dialect: DialectName, schema: &str) -> String {
    match dialect {
        DialectName::Sqlite => sqlite::version_table_sql(VERSION_TABLE),
        DialectName::Postgres => postgres::version_table_sql(VERSION_TABLE, schema),
        DialectName::Mysql => mysql::version_table_sql(VERSION_TABLE),
    }
}

fn version_change_sql(dialect: DialectName, change: &VersionChange, schema: &str) -> String {
    match dialect {
        DialectName::Sqlite => sqlite::version_change_sql(change, VERSION_TABLE),
        DialectName::Postgres => postgres::version_change_sql(change, VERSION_TABLE, schema),
        DialectName::Mysql => mysql::version_change_sql(change, VERSION_TABLE),
    }
}
