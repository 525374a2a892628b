//! Dialects: introspection, normal forms, rendering of operations and the connection the
//! runner drives, one module per database. Dialects know operations and schemas, never the
//! revision graph.
//!
//! Layer: above `model`, `diff`, `ops` and `schema`, the only modules it may use; it knows no
//! revision graph, no config file and no plugin. The folders `sqlite/`, `postgres/` and
//! `mysql/` implement the contract (`contract.rs`) with the same files each; nothing outside
//! `dialect/` names one of them.

pub mod applied;
mod books;
pub(crate) mod contract;
pub(crate) mod data;
mod database;
pub(crate) mod expr;
pub mod lock;
pub mod mysql;
pub mod pool;
pub mod postgres;
pub(crate) mod rows;
pub mod script;
pub mod sql;
pub mod sqlite;
pub(crate) mod target;

pub use applied::{LogEntry, LogRow};
pub use database::{Database, compare_for};
pub use lock::LockWait;
pub use target::{ServerTarget, Target, redact};

pub use crate::ops::DialectName;
pub use crate::ops::VersionChange;
use crate::ops::{ApplyError, Operation};

/// The table that records which revisions are applied (one row per applied head).
pub const VERSION_TABLE: &str = "outflow_version";

/// The database's own message, without sqlx's wrapping.
pub(crate) fn driver_message(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db.message().to_string(),
        other => other.to_string(),
    }
}

/// A database failure, with the database's own message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// The database could not be opened.
    #[error("cannot open database {target}: {message}")]
    Open {
        /// Path or redacted URL.
        target: String,
        /// Why.
        message: String,
        /// The driver's error, when one said it.
        #[source]
        source: Option<sqlx::Error>,
    },
    /// A query failed, or the database is in a state a migration cannot start from.
    #[error("database error: {message}")]
    Query {
        /// What happened, in one line.
        message: String,
        /// The driver's error, when one said it.
        #[source]
        source: Option<sqlx::Error>,
    },
    /// A statement of a migration failed.
    #[error("{message} (while running: {})", summary(sql))]
    Statement {
        /// The statement.
        sql: String,
        /// The database's message.
        message: String,
        /// The driver's error, when one said it (the SQLSTATE is there).
        #[source]
        source: Option<sqlx::Error>,
    },
    /// The dialect cannot make the change.
    #[error(transparent)]
    Plan(Box<PlanError>),
    /// A revision's data step (Rust code) failed.
    #[error("data step '{name}' failed: {message}")]
    DataStep {
        /// The step's name, as the revision gives it.
        name: String,
        /// What went wrong: the step's error, or the first request that failed.
        message: String,
    },
    /// A foreign key no longer holds after the change.
    #[error(
        "foreign key check failed: a row of '{child}'{} references a missing row of '{parent}'; \
         fix the data (for example with op.execute in the revision) and run again",
        row_id.map(|r| format!(" (rowid {r})")).unwrap_or_default()
    )]
    ForeignKeyViolation {
        /// Referencing table.
        child: String,
        /// Offending row.
        row_id: Option<i64>,
        /// Referenced table.
        parent: String,
    },
    /// Another process held the migration lock for longer than the command would wait.
    #[error(
        "could not take the migration lock of {target} within {seconds} s: another process is \
         migrating this database; wait for it to finish and run again, or raise --lock-timeout"
    )]
    LockTimeout {
        /// Path or redacted URL.
        target: String,
        /// How long the command waited.
        seconds: f64,
    },
    /// The version table did not hold the expected row.
    #[error(
        "version table '{table}' expected exactly one row for {change} but found {found}; \
         another process may be migrating this database: check `db current` and run again"
    )]
    VersionRows {
        /// Version table.
        table: String,
        /// The change, described.
        change: String,
        /// Rows affected.
        found: u64,
    },
}

/// The first line of a statement, marked as cut when there is more.
fn summary(sql: &str) -> String {
    let mut lines = sql.lines();
    let first = lines.next().unwrap_or("").trim();
    if lines.next().is_some() {
        format!("{first} ...")
    } else {
        first.to_string()
    }
}

/// A change a dialect cannot make as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// The table holds something the schema model does not, which the change would lose.
    #[error(
        "table '{table}' cannot be rebuilt safely: {reason}; make this change with op.execute(...)"
    )]
    Unsupported {
        /// Table.
        table: String,
        /// What is not supported.
        reason: String,
    },
    /// The operation does not fit the table as it is.
    #[error("{operation}: {source}")]
    Apply {
        /// The operation.
        operation: String,
        /// Why it does not fit.
        source: ApplyError,
    },
    /// The dialect has no way to do this.
    #[error("{operation}: {reason}")]
    Impossible {
        /// The operation.
        operation: String,
        /// Why, and what to do instead.
        reason: String,
    },
}

impl From<PlanError> for DbError {
    fn from(e: PlanError) -> DbError {
        DbError::Plan(Box::new(e))
    }
}

impl DbError {
    /// A failed query, its message the driver's.
    pub(crate) fn query(e: sqlx::Error) -> DbError {
        DbError::Query {
            message: e.to_string(),
            source: Some(e),
        }
    }

    /// A statement that failed, with the database's message as the dialect words it
    /// (`message`: [`driver_message`], or PostgreSQL's with its detail).
    pub(crate) fn statement(
        sql: &str,
        e: sqlx::Error,
        message: fn(&sqlx::Error) -> String,
    ) -> DbError {
        DbError::Statement {
            sql: sql.to_string(),
            message: message(&e),
            source: Some(e),
        }
    }

    /// A refusal or failure said by Outflow, not by the driver.
    pub(crate) fn failure(message: impl Into<String>) -> DbError {
        DbError::Query {
            message: message.into(),
            source: None,
        }
    }

    /// The driver's error behind this one, taken out of it (to keep as the source of an
    /// error of another kind).
    pub(crate) fn into_sqlx(self) -> Option<sqlx::Error> {
        match self {
            DbError::Open { source, .. }
            | DbError::Query { source, .. }
            | DbError::Statement { source, .. } => source,
            _ => None,
        }
    }

    /// The driver's error behind this one, if any.
    pub fn sqlx_error(&self) -> Option<&sqlx::Error> {
        match self {
            DbError::Open { source, .. }
            | DbError::Query { source, .. }
            | DbError::Statement { source, .. } => source.as_ref(),
            _ => None,
        }
    }

    /// The code the database gave the failure: the SQLSTATE on PostgreSQL and MySQL
    /// (`23505`, `42S02`), the extended result code on SQLite (`2067`).
    ///
    /// ```
    /// let e = outflow::dialect::DbError::Plan(Box::new(outflow::dialect::PlanError::Impossible {
    ///     operation: "x".into(),
    ///     reason: "y".into(),
    /// }));
    /// assert_eq!(e.sqlstate(), None);
    /// ```
    pub fn sqlstate(&self) -> Option<String> {
        let db = self.sqlx_error()?.as_database_error()?;
        db.code().map(|c| c.into_owned())
    }
}

/// How to open a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Never create or write (inspection, checks, autogenerate).
    ReadOnly,
    /// Create if missing and write (upgrade, downgrade, stamp).
    ReadWrite,
}

/// What one transaction applies: a revision's operations and its version-table changes.
#[derive(Debug, Clone)]
pub struct Step<'a> {
    /// The operations.
    pub ops: &'a [Operation],
    /// The version-table changes that go with them.
    pub version: &'a [VersionChange],
    /// The version table.
    pub version_table: &'a str,
    /// What the applied log records when the step succeeds.
    pub log: &'a [LogEntry],
}

/// What [`Database::run_steps`] reports while it runs a list of steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepEvent {
    /// The step at this index starts. A dialect that runs several steps in one round trip
    /// (SQLite) reports their starts after the fact, each just before its [`StepEvent::Applied`].
    Started(usize),
    /// The step at `index` is applied (in the migration's transaction where there is one).
    Applied {
        /// Which step.
        index: usize,
        /// How long its statements took.
        took: std::time::Duration,
    },
}

/// The callback of [`Database::run_steps`].
pub type StepEvents<'a> = dyn FnMut(StepEvent) + Send + 'a;

/// The step [`Database::run_steps`] stopped at; every step before it is applied.
#[derive(Debug)]
pub struct StepFailed {
    /// Which step.
    pub index: usize,
    /// How long it ran before it failed.
    pub took: std::time::Duration,
    /// Why.
    pub error: DbError,
}
