//! SQLite scripts (`--sql`): one transaction per step, checked before it commits.
//!
//! `sqlite3` goes on after an error unless it runs with `-bail`, and a failed statement does
//! not end SQLite's transaction: without more, the statements after a failed one would run
//! and `COMMIT` would keep what they did. So each step also records, as it goes, whether each
//! rebuild copied every row and each version-table change touched its one row (in a
//! temporary table that exists only inside the step's transaction), and ends with a guard:
//! one `INSERT OR ROLLBACK` that fails its `CHECK`, rolling the whole step back, unless
//! every record is there and true and every table, column and index the step makes or
//! removes is as it should be. Version-table changes run only inside that transaction, so a
//! transaction lost to an error is never recorded as applied.
//!
//! SQLite cannot make a statement depend on data without failing on one branch, so these
//! checks need the script's `BEGIN`: they guard a transaction, not statements run one by one.
//! What they cannot see is whether raw SQL (`op.execute`) did what it should.

use std::collections::BTreeMap;

use super::connect::books_of;
use super::introspect::TableExtras;
use super::{Planner, Q};
use crate::dialect::script::{Baseline, Purpose, ScriptOptions, ScriptStep, StepPlanner, Writer};
use crate::dialect::sql::literal;
use crate::dialect::{PlanError, VersionChange};
use crate::ops::{DialectName, Operation};
use crate::schema::Schema;

/// The temporary table of a step's records: one row per check, `ok` 1 when it held.
const FACTS: &str = "_outflow_step";
/// The temporary table the guard inserts into; its `CHECK` is what rolls the step back.
const GUARD: &str = "_outflow_guard";
/// The name of that `CHECK`, which is what SQLite prints when it fails.
const GUARD_MESSAGE: &str = "outflow: a statement of this step failed, the step was rolled back";
const GUARD_COMMENT: &str = "\
Unless every statement above took effect, the INSERTs below fail their CHECK and roll the
step back (the statements after them then fail on the rolled-back step, which is expected).";

const HEADER: &str = "\
Outflow SQL script for SQLite: one transaction per step.
Run it with:  sqlite3 -bail DATABASE < SCRIPT
With -bail, sqlite3 stops at the first error and the open transaction is rolled back.
Without it, sqlite3 goes on after an error; the check before each COMMIT then rolls the
step back, and a rebuilt table is never dropped before every row is copied.
Foreign keys are off for the script, as SQLite's table rebuild needs; each step checks
the keys of the tables it changed before it commits.";

/// The statement that records one check: `ok` is the value of `condition`.
pub(crate) fn fact(condition: &str) -> String {
    format!(
        "INSERT INTO temp.{} (\"ok\") SELECT {condition}",
        Q.ident(FACTS)
    )
}

/// Writes the script of `steps`.
pub(crate) fn write(
    w: &mut Writer,
    options: ScriptOptions<'_>,
    baseline: Baseline,
    steps: &[ScriptStep<'_>],
) -> Result<(), PlanError> {
    let (mut state, extras) = match baseline {
        Baseline::Sqlite(found) => (found.schema, found.extras),
        other => (other.schema().clone(), BTreeMap::new()),
    };
    w.comment(HEADER);
    w.blank();
    w.sql("PRAGMA foreign_keys = OFF");
    if options.purpose
        == (Purpose::Migration {
            create_version_table: true,
        })
    {
        w.sql(&books_of(options.version_table).version_table_ddl());
    }
    for step in steps {
        w.blank();
        w.comment(&step.title);
        write_step(w, step, &mut state, &extras, options.version_table)?;
    }
    Ok(())
}

fn write_step(
    w: &mut Writer,
    step: &ScriptStep<'_>,
    state: &mut Schema,
    extras: &BTreeMap<String, TableExtras>,
    version_table: &str,
) -> Result<(), PlanError> {
    let (facts, guard) = (Q.ident(FACTS), Q.ident(GUARD));
    w.sql("BEGIN");
    w.sql(&format!("DROP TABLE IF EXISTS temp.{facts}"));
    w.sql(&format!(
        "CREATE TEMP TABLE {facts} (\"ok\" INTEGER NOT NULL)"
    ));
    let mut planner = Replayed {
        planner: Planner::for_script(),
        state,
        extras,
        expect: Expect::default(),
    };
    crate::dialect::script::write_ops(w, step.ops, &mut planner)?;
    for change in step.version {
        w.sql(&in_this_transaction(change, version_table));
        w.sql(&fact("changes() = 1"));
    }
    let records = planner.planner.rebuilds() + step.version.len();
    let mut conditions = vec![format!(
        "(SELECT count(*) FROM temp.{facts} WHERE \"ok\" = 1) = {records}"
    )];
    conditions.extend(planner.expect.conditions());
    let checked: Vec<&String> = planner
        .planner
        .touched()
        .iter()
        .filter(|t| planner.state.contains(t))
        .collect();
    conditions.extend(checked.iter().map(|t| exists("table", t)));
    let keys: Vec<String> = checked
        .iter()
        .map(|t| {
            format!(
                "NOT EXISTS (SELECT 1 FROM pragma_foreign_key_check({}))",
                literal(t)
            )
        })
        .collect();
    write_guard(w, &conditions, &keys);
    w.sql(&format!("DROP TABLE temp.{guard}"));
    w.sql(&format!("DROP TABLE temp.{facts}"));
    w.sql("COMMIT");
    Ok(())
}

/// Conditions per guard statement: SQLite refuses an expression deeper than 1,000, and a
/// revision can touch thousands of tables.
const CONDITIONS_PER_GUARD: usize = 50;

/// The guard: `INSERT OR ROLLBACK`s that roll the step back unless every condition holds, the
/// foreign-key checks after the others. When one rolls back, those after it run outside any
/// transaction and change nothing (their temporary table went with the step).
fn write_guard(w: &mut Writer, conditions: &[String], keys: &[String]) {
    let guard = Q.ident(GUARD);
    w.comment(GUARD_COMMENT);
    w.sql(&format!(
        "CREATE TEMP TABLE {guard} (\"ok\" INTEGER NOT NULL CONSTRAINT {} CHECK (\"ok\" = 1))",
        Q.ident(GUARD_MESSAGE)
    ));
    for chunk in conditions
        .chunks(CONDITIONS_PER_GUARD)
        .chain(keys.chunks(CONDITIONS_PER_GUARD))
    {
        w.sql(&format!(
            "INSERT OR ROLLBACK INTO temp.{guard} (\"ok\") SELECT\n    {}",
            chunk.join("\n    AND ")
        ));
    }
}

/// A version-table change that does nothing outside the step's transaction: the records'
/// table it names exists only inside it.
fn in_this_transaction(change: &VersionChange, version_table: &str) -> String {
    let t = Q.ident(version_table);
    let inside = format!(
        "EXISTS (SELECT 1 FROM temp.sqlite_master WHERE name = {})",
        literal(FACTS)
    );
    match change {
        VersionChange::Insert(id) => format!(
            "INSERT INTO {t} (version_num) SELECT {} WHERE {inside}",
            literal(id)
        ),
        VersionChange::Update { from, to } => format!(
            "UPDATE {t} SET version_num = {} WHERE version_num = {} AND {inside}",
            literal(to),
            literal(from)
        ),
        VersionChange::Delete(id) => format!(
            "DELETE FROM {t} WHERE version_num = {} AND {inside}",
            literal(id)
        ),
    }
}

/// `EXISTS` (or `NOT EXISTS`) of a named object of the main schema.
fn exists(kind: &str, name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM main.sqlite_master WHERE type = {} AND name = {})",
        literal(kind),
        literal(name)
    )
}

/// The planner with the schema as the step changes it, providing each table it asks for.
struct Replayed<'a> {
    planner: Planner,
    state: &'a mut Schema,
    extras: &'a BTreeMap<String, TableExtras>,
    expect: Expect,
}

impl StepPlanner for Replayed<'_> {
    fn push(&mut self, op: &Operation) -> Result<Vec<String>, PlanError> {
        if let Some(table) = self.planner.needs(op) {
            let found = self
                .state
                .table(&table)
                .cloned()
                .ok_or_else(|| PlanError::Apply {
                    operation: op.to_string(),
                    source: crate::ops::ApplyError::NoSuchTable(table.clone()),
                })?;
            let extras = self.extras.get(&table).cloned().unwrap_or_default();
            self.planner.provide(found, extras);
        }
        let out = self.planner.push(op)?;
        op.apply(self.state).map_err(|source| PlanError::Apply {
            operation: op.to_string(),
            source,
        })?;
        self.expect.observe(op);
        Ok(out)
    }

    fn finish(&mut self) -> Result<Vec<String>, PlanError> {
        self.planner.finish()
    }
}

/// What the step's operations leave: tables, columns and indexes that must exist (`true`) or
/// must not (`false`) when it ends.
#[derive(Debug, Default)]
struct Expect {
    tables: BTreeMap<String, bool>,
    columns: BTreeMap<(String, String), bool>,
    indexes: BTreeMap<String, bool>,
}

impl Expect {
    fn observe(&mut self, op: &Operation) {
        match op {
            Operation::CreateTable(t) => {
                self.tables.insert(t.name.clone(), true);
                for index in &t.indexes {
                    self.indexes.insert(index.name.clone(), true);
                }
            }
            Operation::DropTable { table, .. } => {
                self.tables.insert(table.clone(), false);
                self.columns.retain(|(t, _), _| t != table);
            }
            Operation::RenameTable { from, to } => {
                self.tables.insert(from.clone(), false);
                self.tables.insert(to.clone(), true);
                let columns = std::mem::take(&mut self.columns);
                self.columns = columns
                    .into_iter()
                    .map(|((t, c), present)| match t == *from {
                        true => ((to.clone(), c), present),
                        false => ((t, c), present),
                    })
                    .collect();
            }
            Operation::AddColumn { table, column } => {
                self.columns
                    .insert((table.clone(), column.name.clone()), true);
            }
            Operation::DropColumn { table, column, .. } => {
                self.columns.insert((table.clone(), column.clone()), false);
            }
            Operation::RenameColumn { table, from, to } => {
                self.columns.insert((table.clone(), from.clone()), false);
                self.columns.insert((table.clone(), to.clone()), true);
            }
            Operation::CreateIndex { index, .. } => {
                self.indexes.insert(index.name.clone(), true);
            }
            Operation::DropIndex { name, .. } => {
                self.indexes.insert(name.clone(), false);
            }
            // Raw SQL may change anything: what was expected before it is no longer known.
            Operation::Execute { dialect, .. }
                if dialect.is_none_or(|d| d == DialectName::Sqlite) =>
            {
                *self = Expect::default();
            }
            _ => {}
        }
    }

    /// The conditions, as SQL that never fails (a missing table has no columns).
    fn conditions(&self) -> Vec<String> {
        let negate = |present: bool, sql: String| match present {
            true => sql,
            false => format!("NOT {sql}"),
        };
        let tables = self
            .tables
            .iter()
            .map(|(name, present)| negate(*present, exists("table", name)));
        let columns = self.columns.iter().map(|((table, column), present)| {
            negate(
                *present,
                format!(
                    "EXISTS (SELECT 1 FROM pragma_table_info({}, 'main') WHERE name = {})",
                    literal(table),
                    literal(column)
                ),
            )
        });
        let indexes = self
            .indexes
            .iter()
            .map(|(name, present)| negate(*present, exists("index", name)));
        tables.chain(columns).chain(indexes).collect()
    }
}
