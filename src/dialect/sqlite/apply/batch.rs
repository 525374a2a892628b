//! Several steps per round trip on SQLite.
//!
//! Under the migration lock every step runs inside the command's one write transaction, and
//! what an ordinary step costs is not SQLite's work but the hand-off of each statement to
//! sqlx's SQLite thread and back. So a run of steps that need nothing read from the database
//! to be planned (no table rebuild, no Rust data step) goes as one multi-statement query in
//! one savepoint: for each step, its start on SQLite's clock, its statements, its one
//! version-table change and its log row. The log row is written only when the change touched
//! exactly one row and no foreign key of a table the step touched is broken, and its time and
//! duration are SQLite's; the batch ends by reading the durations of the rows it wrote, one
//! per step, or the batch failed.
//!
//! Any error, or a row missing, rolls the savepoint back and runs the same steps again one by
//! one ([`SqliteDb::run_step`]): a failure is then reported exactly as a step alone reports it
//! (its revision, its statement, its broken key), with the steps before it applied.

use std::time::Duration;

use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, Row};

use super::super::connect::{books_of, exec};
use super::super::{Planner, Q, SqliteDb};
use crate::dialect::applied::{self, COLUMNS};
use crate::dialect::contract::{Batched, Batches, Unsent};
use crate::dialect::{DbError, Step};
use crate::ops::Operation;

/// Steps per round trip: enough that the hand-offs no longer count, few enough that the
/// progress bar still moves.
const MAX_STEPS: usize = 256;

/// Values bound per round trip (SQLite's limit is 32,766).
const MAX_VALUES: usize = 30_000;

/// The one-row table the steps of a batch read their start time from, and where the batch's
/// log rows start.
const CLOCK_TABLE: &str = "outflow_step_clock";
const CLOCK: &str = "temp.outflow_step_clock";

/// A run of steps written as one query.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    statements: Vec<String>,
    values: Vec<String>,
    /// How many steps.
    steps: usize,
    /// Version tables the batch creates with their logs.
    creates: Vec<String>,
}

impl Batched for Batch {
    fn steps(&self) -> usize {
        self.steps
    }
}

impl Batches for SqliteDb {
    type Batch = Batch;

    /// Batches only under the lock: one by one otherwise, each its own transaction.
    async fn batch(&mut self, steps: &[Step<'_>]) -> Batch {
        match self.locked {
            true => plan(steps, &self.ready),
            false => Batch::default(),
        }
    }

    async fn send(&mut self, batch: &Batch) -> Result<Vec<Duration>, Unsent> {
        let sent = match self.send_batch(batch).await {
            Ok(took) => exec(&mut self.conn, "RELEASE outflow_batch")
                .await
                .map(|()| took),
            Err(error) => Err(error),
        };
        let took = match sent {
            Ok(took) => took,
            Err(error) => return Err(self.undo_batch(error).await),
        };
        for table in &batch.creates {
            if !self.ready.contains(table) {
                self.ready.push(table.clone());
            }
        }
        Ok(took)
    }
}

impl SqliteDb {
    /// Sends the batch inside its savepoint; each step's duration by SQLite's clock.
    async fn send_batch(&mut self, batch: &Batch) -> Result<Vec<Duration>, DbError> {
        let sql = batch.statements.join(";\n");
        let mut query = sqlx::query(AssertSqlSafe(sql)).persistent(false);
        for value in &batch.values {
            query = query.bind(value.as_str());
        }
        let rows = query
            .fetch_all(&mut self.conn)
            .await
            .map_err(DbError::query)?;
        durations(&rows, batch.steps)
            .ok_or_else(|| DbError::failure("a step of the batch wrote no log row"))
    }

    /// Rolls a failed batch back to its savepoint; when SQLite already rolled the whole
    /// transaction back (it does on some errors), says that nothing of the command was applied.
    async fn undo_batch(&mut self, error: DbError) -> Unsent {
        let undone = exec(
            &mut self.conn,
            "ROLLBACK TO outflow_batch; RELEASE outflow_batch",
        )
        .await;
        match undone {
            Ok(()) => Unsent::Undone(error),
            Err(undo) => {
                self.locked = false;
                self.ready.clear();
                Unsent::Lost(DbError::failure(format!(
                    "{error}; {undo}; SQLite rolled the whole migration back, so no revision of this command was applied"
                )))
            }
        }
    }
}

/// The longest run of `steps` from the first that can go in one batch (none when the first
/// cannot).
fn plan(steps: &[Step<'_>], ready: &[String]) -> Batch {
    let version_table = steps[0].version_table;
    let books = books_of(version_table);
    let log = books.log_table();
    let mut batch = Batch {
        statements: vec!["SAVEPOINT outflow_batch".into()],
        ..Batch::default()
    };
    if !ready.iter().any(|t| t == version_table) {
        batch.statements.push(books.version_table_ddl());
        batch.statements.push(books.log_ddl());
        batch.creates.push(version_table.to_string());
    }
    batch.statements.extend([
        format!(
            "CREATE TEMP TABLE IF NOT EXISTS {CLOCK_TABLE} (started REAL NOT NULL, floor INTEGER NOT NULL)"
        ),
        format!("DELETE FROM {CLOCK}"),
        format!(
            "INSERT INTO {CLOCK} (started, floor) SELECT julianday('now'), coalesce(max({id}), 0) FROM {log}",
            id = Q.ident("id")
        ),
    ]);
    for step in steps.iter().take(MAX_STEPS) {
        if step.version_table != version_table {
            break;
        }
        let Some((statements, values)) = step_batch(step) else {
            break;
        };
        if batch.values.len() + values.len() > MAX_VALUES {
            break;
        }
        batch.statements.extend(statements);
        batch.values.extend(values);
        batch.steps += 1;
    }
    batch.statements.push(format!(
        "SELECT json_group_array({took}) AS took FROM \
         (SELECT {took} FROM {log} WHERE {id} > (SELECT floor FROM {CLOCK}) ORDER BY {id})",
        took = Q.ident("duration_ms"),
        id = Q.ident("id"),
    ));
    batch
}

/// A step's statements in a batch and the values they bind, or `None` when it cannot be
/// batched: it needs a table read from the database (a rebuild), runs Rust code, fails to plan
/// (running it alone reports why), or does not make exactly one version-table change and write
/// exactly one log row (the checks below rely on it).
///
/// The log row is written only if the version-table change touched one row (`changes()`) and
/// no foreign key of a table the step touched is broken: a missing row fails the batch.
fn step_batch(step: &Step<'_>) -> Option<(Vec<String>, Vec<String>)> {
    let ([change], [entry]) = (step.version, step.log) else {
        return None;
    };
    let mut planner = Planner::new();
    let mut sql = vec![format!("UPDATE {CLOCK} SET started = julianday('now')")];
    for op in step.ops {
        if planner.needs(op).is_some() || matches!(op, Operation::RunRust(_)) {
            return None;
        }
        sql.extend(planner.push(op).ok()?);
    }
    sql.extend(planner.finish().ok()?);
    let books = books_of(step.version_table);
    let (statement, bound) = books.version_change_with(change, |_| "?".to_string());
    sql.push(statement);
    let mut values: Vec<String> = bound.into_iter().map(str::to_string).collect();
    values.extend([
        entry.revision.clone(),
        entry.direction.as_str().to_string(),
        applied::APPLIED.to_string(),
        entry.checksum.clone(),
    ]);
    let touched = planner.touched();
    let keys_hold = match touched.is_empty() {
        true => "",
        false => {
            let json = serde_json::Value::from(touched.to_vec()).to_string();
            values.extend([json.clone(), json]);
            " AND NOT EXISTS (SELECT 1 FROM pragma_foreign_key_check AS c \
             WHERE c.\"table\" IN (SELECT value FROM json_each(?)) \
             OR c.parent IN (SELECT value FROM json_each(?)))"
        }
    };
    sql.push(log_insert(&books.log_table(), keys_hold));
    Some((sql, values))
}

/// One log row: its time and duration are SQLite's clock (`'now'` is read once per
/// statement), from the step's start in [`CLOCK`].
fn log_insert(log_table: &str, keys_hold: &str) -> String {
    let columns: Vec<String> = COLUMNS.iter().map(|c| Q.ident(c)).collect();
    format!(
        "INSERT INTO {log_table} ({}) SELECT ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), \
         CAST(round((julianday('now') - started) * 86400000.0) AS INTEGER), NULL FROM {CLOCK} \
         WHERE changes() = 1{keys_hold}",
        columns.join(", "),
    )
}

/// Each step's duration, when every step wrote its log row (the batch's last row; raw SQL of
/// a step may return rows of its own before it).
fn durations(rows: &[SqliteRow], steps: usize) -> Option<Vec<Duration>> {
    let took: String = rows.last()?.try_get("took").ok()?;
    let took: Vec<i64> = serde_json::from_str(&took).ok()?;
    (took.len() == steps).then(|| {
        took.into_iter()
            .map(|ms| Duration::from_millis(ms.max(0).unsigned_abs()))
            .collect()
    })
}
