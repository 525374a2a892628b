//! MySQL and MariaDB scripts (`--sql`): not atomic, ordered so that a stop loses nothing.
//!
//! MySQL commits each DDL statement by itself, so a script cannot be one transaction. The
//! client stops at the first error (unless run with `--force`) and prints its line; the
//! differ puts what destroys data (dropped tables, then dropped columns) after every other
//! change, so a script that stops has lost nothing yet, and the header says how to resume.

use super::connect::books_of;
use super::plan::Planner;
use super::render::Syntax;
use crate::dialect::script::{Baseline, Purpose, ScriptOptions, ScriptStep, StepPlanner, Writer};
use crate::dialect::{PlanError, script};
use crate::ops::Operation;

const HEADER: &str = "\
Outflow SQL script for MySQL and MariaDB. NOT ATOMIC: MySQL commits each DDL statement by itself.
Run it with:  mariadb DATABASE < SCRIPT  (or mysql), never with --force: the client stops at the
first error and prints its line. Within each step, statements that destroy data (DROP TABLE,
DROP COLUMN) come after the others, so a script that stops has lost nothing yet.
To resume: fix the cause, then run the script from the line that failed:
  tail -n +LINE SCRIPT | mariadb DATABASE";

const SESSION_COMMENT: &str = "\
The session as Outflow's own connections set it: strict (a narrowing change fails instead of
truncating rows), backslashes escaping in literals, backticks quoting names.";

/// The user's `sql_mode` without what our literals cannot work with, and strict.
const SESSION: &str = "SET SESSION sql_mode = CONCAT(REPLACE(REPLACE(REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','), ',ANSI_QUOTES,', ','), ',ANSI,', ','), 'STRICT_TRANS_TABLES')";

/// Writes the script of `steps`.
pub(crate) fn write(
    w: &mut Writer,
    options: ScriptOptions<'_>,
    baseline: Baseline,
    steps: &[ScriptStep<'_>],
) -> Result<(), PlanError> {
    let mut planner = match baseline {
        Baseline::Mysql(found) => Planner::new(Syntax::Portable, found),
        other => Planner::offline(other.schema()),
    };
    w.comment(HEADER);
    w.blank();
    w.comment(SESSION_COMMENT);
    w.sql(SESSION);
    w.sql("SET SESSION explicit_defaults_for_timestamp = 1");
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
        script::write_ops(w, step.ops, &mut Step(&mut planner))?;
        for change in step.version {
            w.sql(&books_of(options.version_table).version_change_literal(change));
        }
    }
    Ok(())
}

struct Step<'p>(&'p mut Planner);

impl StepPlanner for Step<'_> {
    fn push(&mut self, op: &Operation) -> Result<Vec<String>, PlanError> {
        self.0.push(op)
    }

    fn finish(&mut self) -> Result<Vec<String>, PlanError> {
        self.0.finish()
    }
}
