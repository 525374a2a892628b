//! SQL scripts: what `db upgrade --sql`, `db downgrade --sql` and `db diff --sql` print.
//!
//! A script is read by a person and run by the database's own client (`sqlite3`, `psql`,
//! `mariadb`), which may go on after an error. So every line is SQL or a `--` comment; the
//! script says at its top how to run it safely; each step is one transaction where the
//! database has transactional DDL (SQLite, PostgreSQL); what destroys data carries a
//! `-- WARNING` comment; and each dialect adds what its client needs to stay safe when it goes
//! on after an error (SQLite's checks before `COMMIT`, see [`super::sqlite`]).
//!
//! The statements come from the same planners as a live migration: planned against a schema
//! (replayed from revisions, or read from a YAML description) or against a database as
//! introspection read it, with what the schema model does not hold ([`Baseline`]).

use super::contract::dialect_of;
use super::{DialectName, PlanError, VersionChange, mysql, postgres, sqlite};
use crate::ops::Operation;
use crate::schema::Schema;

/// One transaction of a script: a revision and its version-table changes, or a difference.
#[derive(Debug, Clone)]
pub struct ScriptStep<'a> {
    /// What the step is, as its comment says (`Running upgrade a -> b, Add table`).
    pub title: String,
    /// Its operations.
    pub ops: &'a [Operation],
    /// Its version-table changes (none for `db diff`).
    pub version: &'a [VersionChange],
}

/// What a script is planned against.
#[derive(Debug, Clone)]
pub enum Baseline {
    /// A schema: replayed from revisions, or read from a YAML description.
    Schema(Schema),
    /// A SQLite database as introspection read it (triggers, expression indexes, ...).
    Sqlite(sqlite::Introspected),
    /// A PostgreSQL database as introspection read it.
    Postgres(postgres::Introspected),
    /// A MySQL or MariaDB database as introspection read it.
    Mysql(mysql::Introspected),
}

impl Baseline {
    /// The schema, whatever else is known.
    pub fn schema(&self) -> &Schema {
        match self {
            Baseline::Schema(s) => s,
            Baseline::Sqlite(i) => &i.schema,
            Baseline::Postgres(i) => &i.schema,
            Baseline::Mysql(i) => &i.schema,
        }
    }

    /// The schema, without the rest.
    pub fn into_schema(self) -> Schema {
        match self {
            Baseline::Schema(s) => s,
            Baseline::Sqlite(i) => i.schema,
            Baseline::Postgres(i) => i.schema,
            Baseline::Mysql(i) => i.schema,
        }
    }
}

/// What the script is for: its header says how to run it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `db upgrade --sql`, `db downgrade --sql`; `true` when the script creates the version
    /// table first.
    Migration {
        /// Whether the version table is created first (the range starts at base).
        create_version_table: bool,
    },
    /// `db diff --sql`: no version table.
    Diff,
}

/// The options of a script.
#[derive(Debug, Clone, Copy)]
pub struct ScriptOptions<'a> {
    /// The dialect.
    pub dialect: DialectName,
    /// PostgreSQL's schema (`public` elsewhere, unused).
    pub schema: &'a str,
    /// The version table.
    pub version_table: &'a str,
    /// What the script is for.
    pub purpose: Purpose,
}

/// The script of `steps`, planned against `baseline`.
///
/// ```
/// use outflow::dialect::script::{render, Baseline, Purpose, ScriptOptions, ScriptStep};
/// use outflow::dialect::DialectName;
/// use outflow::ops::Operation;
/// use outflow::schema::{column, table, Schema, Type};
///
/// let ops = [Operation::CreateTable(table("t").column(column("id", Type::Integer)))];
/// let options = ScriptOptions {
///     dialect: DialectName::Postgres,
///     schema: "public",
///     version_table: "outflow_version",
///     purpose: Purpose::Diff,
/// };
/// let step = ScriptStep { title: "Difference".into(), ops: &ops, version: &[] };
/// let sql = render(options, Baseline::Schema(Schema::new()), &[step]).unwrap();
/// assert!(sql.contains("BEGIN;\nCREATE TABLE \"public\".\"t\""));
/// assert!(sql.trim_end().ends_with("COMMIT;"));
/// ```
pub fn render(
    options: ScriptOptions<'_>,
    baseline: Baseline,
    steps: &[ScriptStep<'_>],
) -> Result<String, PlanError> {
    let placeholders = matches!(options.purpose, Purpose::Diff);
    for step in steps {
        super::expr::check_pasted_text(step.ops, placeholders)?;
    }
    let mut w = Writer::default();
    dialect_of(options.dialect).write_script(&mut w, options, baseline, steps)?;
    if steps.is_empty() {
        // Still a script a client runs; the comment says why it holds no step.
        w.blank();
        w.comment("Nothing to run: no revision lies in this range.");
    }
    Ok(w.0)
}

/// A script being written: statements end with `;`, comments are whole lines.
#[derive(Debug, Default)]
pub(crate) struct Writer(String);

impl Writer {
    /// One statement.
    pub(crate) fn sql(&mut self, sql: &str) {
        self.0.push_str(sql);
        self.0.push_str(";\n");
    }

    /// A comment, one `--` line per line of `text`; control characters (a lone `\r` would end
    /// the comment for psql) become spaces.
    pub(crate) fn comment(&mut self, text: &str) {
        for line in text.lines() {
            let line = line.replace(char::is_control, " ");
            self.0.push_str(format!("-- {line}").trim_end());
            self.0.push('\n');
        }
    }

    /// An empty line between steps.
    pub(crate) fn blank(&mut self) {
        self.0.push('\n');
    }
}

/// A dialect's planner as a script drives it, one step at a time.
pub(crate) trait StepPlanner {
    /// The statements to run now for `op` (possibly none: the dialect may wait).
    fn push(&mut self, op: &Operation) -> Result<Vec<String>, PlanError>;
    /// The statements that end the step.
    fn finish(&mut self) -> Result<Vec<String>, PlanError>;
}

/// Writes the statements of `ops`; what an operation destroys is said in a `-- WARNING` line
/// before the first statement written for it or after it (a SQLite rebuild carries out the
/// drops it gathered at once, at the end of the step).
pub(crate) fn write_ops(
    w: &mut Writer,
    ops: &[Operation],
    planner: &mut dyn StepPlanner,
) -> Result<(), PlanError> {
    let mut warnings = Vec::new();
    let write = |w: &mut Writer, warnings: &mut Vec<String>, statements: Vec<String>| {
        if statements.is_empty() {
            return;
        }
        for why in warnings.drain(..) {
            w.comment(&why);
        }
        for sql in statements {
            w.sql(&sql);
        }
    };
    for op in ops {
        warnings.extend(
            op.destruction()
                .into_iter()
                .map(|why| format!("WARNING: {why}.")),
        );
        let statements = match super::expr::placeholder_filled(op) {
            Some((filled, note)) => {
                warnings.push(note);
                planner.push(&filled)?
            }
            None => planner.push(op)?,
        };
        write(w, &mut warnings, statements);
    }
    let statements = planner.finish()?;
    write(w, &mut warnings, statements);
    Ok(())
}

#[cfg(test)]
mod tests;
