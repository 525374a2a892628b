//! Dialects: introspection, normal forms, rendering of operations and the connection the
//! runner drives, one module per database. Dialects know operations and schemas, never the
//! revision graph.

pub(crate) mod expr;
pub mod sql;
pub mod sqlite;

use std::path::PathBuf;

use crate::diff::Compare;
pub use crate::ops::DialectName;
use crate::ops::Operation;
pub use crate::revision::VersionChange;
use crate::schema::Schema;

/// The table that records which revisions are applied (one row per applied head).
pub const VERSION_TABLE: &str = "outflow_version";

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
    },
    /// A query failed.
    #[error("database error: {0}")]
    Query(String),
    /// A statement of a migration failed.
    #[error("{message} (while running: {})", summary(sql))]
    Statement {
        /// The statement.
        sql: String,
        /// The database's message.
        message: String,
    },
    /// The dialect cannot make the change.
    #[error(transparent)]
    Plan(Box<sqlite::PlanError>),
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

impl From<sqlite::PlanError> for DbError {
    fn from(e: sqlite::PlanError) -> DbError {
        DbError::Plan(Box::new(e))
    }
}

impl DbError {
    pub(crate) fn query(e: sqlx::Error) -> DbError {
        DbError::Query(e.to_string())
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
}

/// Where a database is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A SQLite file.
    Sqlite {
        /// The file.
        path: PathBuf,
    },
}

impl Target {
    /// The dialect.
    pub fn dialect(&self) -> DialectName {
        match self {
            Target::Sqlite { .. } => DialectName::Sqlite,
        }
    }

    /// A description safe to print (no password).
    pub fn display(&self) -> String {
        match self {
            Target::Sqlite { path } => path.display().to_string(),
        }
    }

    /// Removes a SQLite database that holds no table (a failed first migration created it),
    /// with its WAL files.
    pub async fn remove_if_empty(&self) {
        match self {
            Target::Sqlite { path } => {
                let Ok(mut db) = sqlite::SqliteDb::open(path, OpenMode::ReadOnly).await else {
                    return;
                };
                let empty = db.is_empty().await.unwrap_or(false);
                drop(db);
                if empty {
                    for suffix in ["", "-wal", "-shm", "-journal"] {
                        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                    }
                }
            }
        }
    }

    /// Whether the database exists yet (a missing SQLite file is an empty database).
    pub fn exists(&self) -> bool {
        match self {
            Target::Sqlite { path } => path.exists(),
        }
    }
}

/// An open database of any dialect.
#[derive(Debug)]
pub enum Database {
    /// SQLite.
    Sqlite(sqlite::SqliteDb),
}

impl Database {
    /// Opens `target`.
    pub async fn open(target: &Target, mode: OpenMode) -> Result<Database, DbError> {
        match target {
            Target::Sqlite { path } => {
                Ok(Database::Sqlite(sqlite::SqliteDb::open(path, mode).await?))
            }
        }
    }

    /// The dialect.
    pub fn dialect(&self) -> DialectName {
        match self {
            Database::Sqlite(_) => DialectName::Sqlite,
        }
    }

    /// The dialect's normal form for comparisons.
    pub fn compare(&self) -> &'static dyn Compare {
        compare_for(self.dialect())
    }

    /// Every table but the version table.
    pub async fn introspect(&mut self) -> Result<Schema, DbError> {
        match self {
            Database::Sqlite(db) => Ok(db.introspect(&[VERSION_TABLE]).await?.schema),
        }
    }

    /// The applied heads (rows of the version table); empty when it does not exist.
    pub async fn current_heads(&mut self) -> Result<Vec<String>, DbError> {
        match self {
            Database::Sqlite(db) => Ok(db.version_rows(VERSION_TABLE).await?.unwrap_or_default()),
        }
    }

    /// Runs one step in one transaction.
    pub async fn run_step(&mut self, step: &Step<'_>) -> Result<(), DbError> {
        match self {
            Database::Sqlite(db) => db.run_step(step).await,
        }
    }
}

/// The normal form used to compare schemas of `dialect`.
pub fn compare_for(dialect: DialectName) -> &'static dyn Compare {
    match dialect {
        DialectName::Sqlite => &sqlite::SqliteCompare,
        DialectName::Postgres | DialectName::Mysql => &crate::diff::Exact,
    }
}
