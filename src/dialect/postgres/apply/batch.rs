//! Several steps per round trip on PostgreSQL.
//!
//! A step alone is a transaction of a handful of statements, each a round trip, and a commit.
//! A run of steps that need nothing read from the database to be planned (no enum type
//! altered, nothing that must run outside a transaction, no table to read, no Rust data step,
//! no grants to write) goes instead as one simple-query message in one transaction: for each
//! step, its start on the server's clock, its statements, and its version-table change joined
//! to its log row, which is written only when the change touched exactly one row. The
//! message ends by reading the durations of the rows it wrote, one per step; the transaction
//! commits only then.
//!
//! The simple-query protocol binds no values: the few the books write (revision ids, the
//! direction, checksums) are string literals, quoted by the dialect with
//! `standard_conforming_strings` pinned on the session (see `connect.rs`).
//!
//! Any error, or a row missing, rolls the transaction back and runs the same steps again one
//! by one ([`PgDb::run_step`]): a failure is then reported exactly as a step alone reports it,
//! with the steps before it applied.

use std::time::Duration;

use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, Row};

use super::super::connect::{books_of, exec};
use super::super::plan::Planner;
use super::super::{PgDb, Q};
use crate::dialect::applied::{self, COLUMNS};
use crate::dialect::contract::{Batched, Batches, Unsent};
use crate::dialect::sql::literal;
use crate::dialect::{DbError, Step};
use crate::ops::Operation;

/// Steps per round trip: enough that round trips and commits no longer count, few enough that
/// the progress bar still moves.
const MAX_STEPS: usize = 256;

/// The session setting that holds the current step's start (local to the transaction).
const STARTED: &str = "outflow.step_started";

/// The session setting that holds the last log row before the batch.
const FLOOR: &str = "outflow.log_floor";

impl Batched for Batch {
    fn steps(&self) -> usize {
        self.steps
    }
}

impl Batches for PgDb {
    type Batch = Batch;

    async fn batch(&mut self, steps: &[Step<'_>]) -> Batch {
        let batch = plan(steps, &self.schema, self.grantee.is_some());
        match batch.steps > 0 && self.schema_exists().await {
            true => batch,
            false => Batch::default(),
        }
    }

    /// The transaction commits only once every step wrote its log row; on any error it is
    /// rolled back (a failed rollback is a lost connection: nothing of the batch committed).
    async fn send(&mut self, batch: &Batch) -> Result<Vec<Duration>, Unsent> {
        let sql = batch.statements.join(";\n");
        let sent = sqlx::raw_sql(AssertSqlSafe(sql))
            .fetch_all(&mut self.conn)
            .await
            .map_err(DbError::query)
            .and_then(|rows| {
                durations(&rows, batch.steps)
                    .ok_or_else(|| DbError::failure("a step of the batch wrote no log row"))
            });
        let end = if sent.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let ended = exec(&mut self.conn, end).await;
        match (sent, ended) {
            (Ok(took), Ok(())) => Ok(took),
            (Err(error), Ok(())) => Err(Unsent::Undone(error)),
            (_, Err(error)) => Err(Unsent::Lost(error)),
        }
    }
}

impl PgDb {
    /// Whether the schema exists: creating it is left to a step alone, which checks first
    /// (`CREATE SCHEMA IF NOT EXISTS` needs a privilege even when the schema is there). An
    /// error here leaves the decision to the step alone too.
    async fn schema_exists(&mut self) -> bool {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)")
            .bind(&self.schema)
            .fetch_one(&mut self.conn)
            .await
            .unwrap_or(false)
    }
}

/// A run of steps written as one message.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    statements: Vec<String>,
    steps: usize,
}

/// The longest run of `steps` from the first that can go in one batch.
fn plan(steps: &[Step<'_>], schema: &str, grants: bool) -> Batch {
    let version_table = steps[0].version_table;
    let books = books_of(schema, version_table);
    let log = books.log_table();
    let id = Q.ident("id");
    let mut batch = Batch {
        statements: vec![
            "BEGIN".into(),
            books.version_table_ddl(),
            books.log_ddl(),
            format!(
                "SELECT set_config({}, (SELECT coalesce(max({id}), 0) FROM {log})::text, true) AS outflow_floor",
                literal(FLOOR)
            ),
        ],
        steps: 0,
    };
    for step in steps.iter().take(MAX_STEPS) {
        if step.version_table != version_table || (grants && !step.ops.is_empty()) {
            break;
        }
        let Some(statements) = step_batch(step, schema) else {
            break;
        };
        batch.statements.extend(statements);
        batch.steps += 1;
    }
    batch.statements.push(format!(
        "SELECT coalesce(json_agg({took} ORDER BY {id}), '[]')::text AS took FROM {log} \
         WHERE {id} > current_setting({})::bigint",
        literal(FLOOR),
        took = Q.ident("duration_ms"),
    ));
    batch
}

/// A step's statements in a batch, or `None` when it cannot be batched (see the module
/// documentation), or does not make exactly one version-table change and write exactly one
/// log row (the check relies on it).
fn step_batch(step: &Step<'_>, schema: &str) -> Option<Vec<String>> {
    let ([change], [entry]) = (step.version, step.log) else {
        return None;
    };
    let mut planner = Planner::new(schema, true);
    if !planner.early(step.ops).is_empty() {
        return None;
    }
    let mut sql = vec![format!(
        "SELECT set_config({}, clock_timestamp()::text, true) AS outflow_clock",
        literal(STARTED)
    )];
    for op in step.ops {
        let refused = matches!(op, Operation::RunRust(_) | Operation::AlterEnum { .. });
        if refused || planner.needs(op) {
            return None;
        }
        sql.extend(planner.push(op).ok()?);
    }
    let books = books_of(schema, step.version_table);
    let columns: Vec<String> = COLUMNS.iter().map(|c| Q.ident(c)).collect();
    sql.push(format!(
        "WITH changed AS ({} RETURNING 1) INSERT INTO {} ({}) \
         SELECT {}, {}, {}, {}, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), \
         round(extract(epoch FROM clock_timestamp() - current_setting({})::timestamptz) * 1000)::bigint, NULL \
         WHERE (SELECT count(*) FROM changed) = 1",
        books.version_change_literal(change),
        books.log_table(),
        columns.join(", "),
        literal(&entry.revision),
        literal(entry.direction.as_str()),
        literal(applied::APPLIED),
        literal(&entry.checksum),
        literal(STARTED),
    ));
    Some(sql)
}

/// Each step's duration, when every step wrote its log row (the message's last row; the
/// steps' start times and raw SQL return rows before it).
fn durations(rows: &[PgRow], steps: usize) -> Option<Vec<Duration>> {
    let took: String = rows.last()?.try_get("took").ok()?;
    let took: Vec<i64> = serde_json::from_str(&took).ok()?;
    (took.len() == steps).then(|| {
        took.into_iter()
            .map(|ms| Duration::from_millis(ms.max(0).unsigned_abs()))
            .collect()
    })
}
