//! The dialect contract: what each folder of `dialect/` implements, so that adding a database
//! means adding a folder (and a line in [`super::Database`] and [`dialect_of`]).
//!
//! Two traits, one per side of a dialect:
//!
//! * [`Dialect`], the pure side: its normal form for comparisons, what its steps guarantee,
//!   and how its `--sql` scripts are written. No connection: `--sql --dialect` and the tests
//!   use it without any database.
//! * [`Driver`], a connection: open it, read the schema (introspection), take the migration
//!   lock, read and write the version table and the applied log (through the generic
//!   [`super::books`]), and run one planned step as atomically as the database allows.
//!
//! Each folder lays its code out the same way: `connect.rs` (the connection and its session),
//! `introspect.rs` (catalogs to a schema), `normal.rs` (the normal form), `types.rs` (the
//! portable types), `text.rs` (literals and SQL text), `render.rs` (DDL), `plan.rs`
//! (operations to statements, given the schema they apply to), `apply.rs` (a step's
//! transaction; `apply/batch.rs` where several steps go per round trip), `lock.rs` (the migration lock), `script.rs` (offline scripts).

use std::time::{Duration, Instant};

use super::applied::{LogRow, NewRow};
use super::script::{Baseline, ScriptOptions, ScriptStep, Writer};
use super::sql::Quote;
use super::{
    DbError, DialectName, LockWait, OpenMode, PlanError, Step, StepEvent, StepEvents, StepFailed,
    Target,
};
use crate::diff::Compare;
use crate::schema::Type;

/// A dialect's pure side.
pub(crate) trait Dialect: Sync {
    /// Its normal form: what two schemas must agree on to be the same on this database.
    fn compare(&self) -> &'static dyn Compare;

    /// How names are quoted.
    fn quote(&self) -> Quote;

    /// The `n`th parameter (from 1) of a statement of model rows, for a value of a column of
    /// type `ty` in `schema` (PostgreSQL casts a label to the column's enum type).
    fn parameter(&self, n: usize, ty: &Type, schema: Option<&str>) -> String {
        let _ = (n, ty, schema);
        "?".to_string()
    }

    /// What an insert ends with to return the number the database gave `column`, where the
    /// driver does not say it (PostgreSQL's `RETURNING`).
    fn returning(&self, column: &str) -> Option<String> {
        let _ = column;
        None
    }

    /// Whether a step can stop half-way (each DDL statement commits by itself), leaving a
    /// record of what ran that `db stamp` clears even when it changes no row.
    fn stops_half_way(&self) -> bool {
        false
    }

    /// Writes the script of `steps` planned against `baseline` (see [`super::script`]).
    fn write_script(
        &self,
        w: &mut Writer,
        options: ScriptOptions<'_>,
        baseline: Baseline,
        steps: &[ScriptStep<'_>],
    ) -> Result<(), PlanError>;
}

/// The pure side of the dialect called `name`.
pub(crate) fn dialect_of(name: DialectName) -> &'static dyn Dialect {
    match name {
        DialectName::Sqlite => &super::sqlite::Sqlite,
        DialectName::Postgres => &super::postgres::Postgres,
        DialectName::Mysql => &super::mysql::Mysql,
    }
}

/// A connection to a database of one dialect.
#[allow(async_fn_in_trait)]
pub(crate) trait Driver: Sized {
    /// Opens `target`, which is of this dialect. [`OpenMode::ReadOnly`] never writes (SQLite:
    /// never creates the file; servers: a read-only session).
    async fn open(target: &Target, mode: OpenMode) -> Result<Self, DbError>;

    /// Closes the connections (SQLite folds its write-ahead log back into the file).
    async fn close(self);

    /// The schema, with what only the planner needs, without the tables in `skip` (version
    /// tables) and their logs.
    async fn baseline(&mut self, skip: &[&str]) -> Result<Baseline, DbError>;

    /// Whether the database holds no table at all.
    async fn is_empty(&mut self) -> Result<bool, DbError>;

    /// Takes the migration lock of `version_table`, waiting at most `wait.timeout` (see
    /// [`super::lock`]); held until [`Driver::unlock`] or the end of the process.
    async fn lock(&mut self, version_table: &str, wait: LockWait) -> Result<(), DbError>;

    /// Releases the migration lock.
    async fn unlock(&mut self) -> Result<(), DbError>;

    /// The rows of the version table, or `None` when it does not exist.
    async fn version_rows(&mut self, version_table: &str) -> Result<Option<Vec<String>>, DbError>;

    /// Every row of the applied log, oldest first; empty when there is none yet.
    async fn applied_log(&mut self, version_table: &str) -> Result<Vec<LogRow>, DbError>;

    /// Writes one row of the applied log, outside any step.
    async fn write_log_row(&mut self, version_table: &str, row: &NewRow) -> Result<(), DbError>;

    /// Runs one step (a revision's operations, its version-table changes, its log rows) as
    /// atomically as the dialect allows.
    async fn run_step(&mut self, step: &Step<'_>) -> Result<(), DbError>;

    /// Creates an empty database called `name` on this connection's server (test helpers).
    async fn create_database(&mut self, name: &str) -> Result<(), DbError>;

    /// Drops the database `name` of this connection's server if it exists, ending its other
    /// sessions where the server can.
    async fn drop_database(&mut self, name: &str) -> Result<(), DbError>;

    /// Runs `steps` in order, each as atomically as [`Driver::run_step`] runs it, and reports
    /// each through `events`. Stops at the first failure; the steps before it are applied. A
    /// dialect may run several steps per round trip, provided a failure still names its step.
    async fn run_steps(
        &mut self,
        steps: &[Step<'_>],
        events: &mut StepEvents<'_>,
    ) -> Result<(), StepFailed> {
        for (index, step) in steps.iter().enumerate() {
            run_one(self, index, step, events).await?;
        }
        Ok(())
    }
}

/// A dialect that sends several steps per round trip: its [`Driver::run_steps`] is
/// [`run_batched`] over these two methods.
#[allow(async_fn_in_trait)]
pub(crate) trait Batches: Driver {
    /// A run of steps written to be sent at once.
    type Batch: Batched;

    /// The longest run of `steps`, from the first, that can be sent at once (none: the first
    /// runs alone).
    async fn batch(&mut self, steps: &[Step<'_>]) -> Self::Batch;

    /// Sends `batch`; returns each step's duration, or says that the batch was undone (run its
    /// steps one by one to find the failing one) or could not be.
    async fn send(&mut self, batch: &Self::Batch) -> Result<Vec<Duration>, Unsent>;
}

/// How many steps a batch holds.
pub(crate) trait Batched {
    /// The number of steps.
    fn steps(&self) -> usize;
}

/// Why a batch was not applied.
#[derive(Debug)]
pub(crate) enum Unsent {
    /// It failed and was rolled back: nothing of it is applied.
    Undone(DbError),
    /// It failed and the database rolled back the whole migration with it.
    Lost(DbError),
}

/// [`Driver::run_steps`] of a dialect that [`Batches`]: each batch at once, reported step by
/// step when it returns; a batch that fails is run again step by step, so that the failure is
/// that of its step, with the steps before it applied.
pub(crate) async fn run_batched<D: Batches>(
    db: &mut D,
    steps: &[Step<'_>],
    events: &mut StepEvents<'_>,
) -> Result<(), StepFailed> {
    let mut at = 0;
    while at < steps.len() {
        let batch = db.batch(&steps[at..]).await;
        let count = batch.steps();
        if count == 0 {
            run_one(db, at, &steps[at], events).await?;
            at += 1;
            continue;
        }
        match db.send(&batch).await {
            Ok(took) => {
                for (i, took) in took.into_iter().enumerate() {
                    events(StepEvent::Started(at + i));
                    events(StepEvent::Applied {
                        index: at + i,
                        took,
                    });
                }
            }
            Err(Unsent::Undone(e)) => {
                tracing::debug!("running {count} steps one by one after: {e}");
                for (i, step) in steps[at..at + count].iter().enumerate() {
                    run_one(db, at + i, step, events).await?;
                }
            }
            Err(Unsent::Lost(error)) => {
                return Err(StepFailed {
                    index: at,
                    took: Duration::ZERO,
                    error,
                });
            }
        }
        at += count;
    }
    Ok(())
}

/// Runs the step at `index` of a list alone, with its events.
pub(crate) async fn run_one<D: Driver>(
    db: &mut D,
    index: usize,
    step: &Step<'_>,
    events: &mut StepEvents<'_>,
) -> Result<(), StepFailed> {
    events(StepEvent::Started(index));
    let started = Instant::now();
    match db.run_step(step).await {
        Ok(()) => {
            events(StepEvent::Applied {
                index,
                took: started.elapsed(),
            });
            Ok(())
        }
        Err(error) => Err(StepFailed {
            index,
            took: started.elapsed(),
            error,
        }),
    }
}

/// The error of a driver given another dialect's target (the dispatch in
/// [`super::Database::open`] never does it).
pub(crate) fn not_mine(target: &Target) -> DbError {
    DbError::Open {
        target: target.display(),
        message: format!("this is a {} database", target.dialect()),
        source: None,
    }
}
