//! The connection to a SQLite file: opening it (read-only, or for migrations with WAL and
//! foreign keys off), reading the version table, running statements.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Connection, Row};

use super::Q;
use super::introspect::{self, Introspected};
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
        let fail = |message: String| DbError::Open {
            target: shown.clone(),
            message,
        };
        if path.is_dir() {
            return Err(fail(
                "it is a directory; point `path:` at a database file".into(),
            ));
        }
        let mut options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(|e| fail(e.to_string()))?
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
            .map_err(|e| fail(db_message(&e)))?;
        let mut db = SqliteDb {
            conn,
            path: path.to_path_buf(),
            ready: Vec::new(),
            locked: false,
        };
        // Reading the schema catches files that are not databases before anything else runs.
        db.scalar("SELECT count(*) FROM sqlite_master")
            .await
            .map_err(|e| fail(e.to_string()))?;
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
        introspect::introspect(&mut self.conn, None, &names).await
    }

    /// The rows of the version table, or `None` when it does not exist.
    pub async fn version_rows(
        &mut self,
        version_table: &str,
    ) -> Result<Option<Vec<String>>, DbError> {
        let exists = sqlx::query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1")
            .bind(version_table)
            .fetch_optional(&mut self.conn)
            .await
            .map_err(DbError::query)?;
        if exists.is_none() {
            return Ok(None);
        }
        let sql = format!(
            "SELECT version_num FROM {} ORDER BY version_num",
            Q.ident(version_table)
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(&mut self.conn)
            .await
            .map_err(DbError::query)?;
        rows.iter()
            .map(|r| r.try_get("version_num").map_err(DbError::query))
            .collect::<Result<_, _>>()
            .map(Some)
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

/// The version table's DDL (for offline SQL; steps create it themselves).
pub fn version_table_sql(table: &str) -> String {
    version_table_ddl(table)
}

pub(super) fn version_table_ddl(table: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n    \"version_num\" VARCHAR(32) NOT NULL,\n    CONSTRAINT {} PRIMARY KEY (\"version_num\")\n)",
        Q.ident(table),
        Q.ident(&format!("pk_{table}"))
    )
}

pub(super) async fn exec(conn: &mut SqliteConnection, sql: &str) -> Result<(), DbError> {
    sqlx::query(AssertSqlSafe(sql.to_string()))
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(|e| DbError::Statement {
            sql: sql.to_string(),
            message: db_message(&e),
        })
}

/// The database's own message, without sqlx's wrapping.
pub(super) fn db_message(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db.message().to_string(),
        other => other.to_string(),
    }
}
