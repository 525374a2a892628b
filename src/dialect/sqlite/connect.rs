//! The connection to a SQLite file: opening it (read-only, or for migrations with WAL and
//! foreign keys off), reading the version table, running statements.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Connection, Row};

use super::Q;
use super::introspect::{self, Introspected};
use crate::dialect::books::{self, Books, Spelling};
use crate::dialect::sql;
use crate::dialect::{DbError, OpenMode};

/// One connection to a SQLite database file.
#[derive(Debug)]
pub struct SqliteDb {
    pub(super) conn: SqliteConnection,
    pub(super) path: PathBuf,
    /// Version tables known to exist with their logs (created once per connection, not once
    /// per revision).
    pub(super) ready: Vec<String>,
    /// Whether the migration lock (a write transaction) is held.
    pub(super) locked: bool,
    /// Catalog queries run by introspection so far.
    pub(super) queries: u64,
}

impl SqliteDb {
    /// Closes the connection (SQLite checkpoints the log and removes `-wal` and `-shm`).
    pub async fn close(self) {
        if let Err(e) = self.conn.close().await {
            tracing::debug!("closing {}: {e}", self.path.display());
        }
    }

    /// Opens the file. [`OpenMode::ReadOnly`] never creates or writes the file.
    pub async fn open(path: &Path, mode: OpenMode) -> Result<SqliteDb, DbError> {
        let shown = path.display().to_string();
        let fail = |message: String, source: Option<sqlx::Error>| DbError::Open {
            target: shown.clone(),
            message,
            source,
        };
        if path.is_dir() {
            return Err(fail(
                "it is a directory; point `path:` at a database file".into(),
                None,
            ));
        }
        let mut options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(|e| fail(e.to_string(), Some(e)))?
            .filename(path)
            .read_only(mode == OpenMode::ReadOnly)
            .create_if_missing(mode == OpenMode::ReadWrite);
        if mode == OpenMode::ReadWrite {
            // WAL: pipelines read and write the database from several processes at once, and a
            // revision commits with one sync instead of four. FULL keeps every applied revision
            // through a power loss.
            options = options
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                // A rebuild drops and recreates tables: with foreign keys on, dropping a parent
                // would cascade. This connection only migrates; each step checks the keys
                // before it commits.
                .foreign_keys(false);
        }
        let conn = SqliteConnection::connect_with(&options)
            .await
            .map_err(|e| fail(db_message(&e), Some(e)))?;
        let mut db = SqliteDb {
            conn,
            path: path.to_path_buf(),
            ready: Vec::new(),
            locked: false,
            queries: 0,
        };
        // Reading the schema catches files that are not databases before anything else runs.
        db.scalar("SELECT count(*) FROM sqlite_master")
            .await
            .map_err(|e| {
                let message = e.to_string();
                fail(message, e.into_sqlx())
            })?;
        Ok(db)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the database holds no table, index or view at all.
    pub async fn is_empty(&mut self) -> Result<bool, DbError> {
        Ok(self.scalar("SELECT count(*) FROM sqlite_master").await? == 0)
    }

    /// Every table but those in `skip` (version tables) and their applied logs.
    pub async fn introspect(&mut self, skip: &[&str]) -> Result<Introspected, DbError> {
        let names = crate::dialect::applied::with_logs(skip);
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        introspect::introspect(&mut self.conn, None, &names, &mut self.queries).await
    }

    /// The rows of the version table, or `None` when it does not exist.
    pub async fn version_rows(
        &mut self,
        version_table: &str,
    ) -> Result<Option<Vec<String>>, DbError> {
        if !table_exists(&mut self.conn, version_table).await? {
            return Ok(None);
        }
        books::versions(&mut self.conn, &books_of(version_table))
            .await
            .map(Some)
    }

    /// Catalog queries run by introspection so far.
    #[cfg(test)]
    pub(crate) fn catalog_queries(&self) -> u64 {
        self.queries
    }

    /// Runs SQL outside any migration (tests set up databases with it).
    #[cfg(test)]
    pub(crate) async fn execute_raw(&mut self, sql: &str) -> Result<(), DbError> {
        exec(&mut self.conn, sql).await
    }

    async fn scalar(&mut self, sql: &'static str) -> Result<i64, DbError> {
        sqlx::query(sql)
            .fetch_one(&mut self.conn)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(DbError::query)
    }
}

/// How SQLite spells the bookkeeping tables.
pub(super) static SPELLING: Spelling = Spelling {
    quote: Q,
    placeholder: numbered,
    literal: sql::literal,
    log_id: "INTEGER PRIMARY KEY AUTOINCREMENT",
    text: "TEXT",
    table_options: "",
    version_text: as_is,
    message: db_message,
};

fn numbered(i: usize) -> String {
    format!("?{i}")
}

fn as_is(column: &str) -> String {
    column.to_string()
}

/// The bookkeeping tables of `version_table`.
pub(super) fn books_of(version_table: &str) -> Books<'_> {
    Books::new(&SPELLING, None, version_table)
}

/// Whether a table called `name` exists.
pub(super) async fn table_exists(conn: &mut SqliteConnection, name: &str) -> Result<bool, DbError> {
    sqlx::query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await
        .map(|row| row.is_some())
        .map_err(DbError::query)
}

pub(super) async fn exec(conn: &mut SqliteConnection, sql: &str) -> Result<(), DbError> {
    sqlx::query(AssertSqlSafe(sql.to_string()))
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(|e| DbError::statement(sql, e, db_message))
}

pub(super) use crate::dialect::driver_message as db_message;

/// How long a pipeline's SQLite writer waits for another process's write to finish: several
/// pipelines run at once on one file.
const POOL_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A pool on the file for a pipeline's tasks: WAL, a long busy timeout, foreign keys on.
pub(crate) async fn open_pool(path: &Path) -> Result<sqlx::SqlitePool, String> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(POOL_BUSY_TIMEOUT)
        .foreign_keys(true);
    sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .map_err(|e| e.to_string())
}
