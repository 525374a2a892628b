//! SQLite: introspection through pragmas and parsed DDL, rendering with the table rebuild, and
//! the connection the runner drives.

mod ddl;
mod introspect;
mod plan;
mod render;
pub(crate) mod script;
mod step;
mod types;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlparser::dialect::SQLiteDialect;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Connection, Row};

pub use introspect::{Introspected, TableExtras};
pub use plan::Planner;

use super::sql::Quote;
use super::{DbError, OpenMode, expr};
use crate::diff::Compare;
use crate::schema::{Column, Table, Type};

const Q: Quote = Quote::Double;

/// SQLite's normal form: declared types read back, defaults and checks as sqlparser prints
/// them, no comments (SQLite does not store them), a lone `INTEGER` primary key may be spelled
/// with any integer type when it is autoincrement.
#[derive(Debug, Clone, Copy, Default)]
pub struct SqliteCompare;

impl Compare for SqliteCompare {
    fn ty(&self, table: &Table, column: &Column) -> Type {
        if column.autoincrement && column.ty.is_integer() {
            return Type::Integer;
        }
        let _ = table;
        types::normal(&column.ty)
    }

    fn default(&self, column: &Column) -> Option<String> {
        let text = column.default.as_deref()?;
        let mut norm = expr::normal(&SQLiteDialect {}, text);
        if norm.eq_ignore_ascii_case("NULL") && column.nullable {
            return None;
        }
        if column.ty == Type::Boolean {
            norm = match norm.to_ascii_lowercase().as_str() {
                "1" | "true" => "true".into(),
                "0" | "false" => "false".into(),
                _ => norm,
            };
        }
        Some(norm)
    }

    fn check(&self, expr: &str) -> String {
        expr::normal(&SQLiteDialect {}, expr)
    }

    fn comments(&self) -> bool {
        false
    }

    /// A primary-key column is NOT NULL. SQLite lets a non-`INTEGER` key hold NULL (a bug kept
    /// for compatibility, never a design) and reads such a column back as nullable; a model
    /// cannot say "nullable key", and rebuilding a table only to forbid what nobody stores is
    /// not worth a revision.
    fn nullable(&self, table: &Table, column: &Column) -> bool {
        let in_key = table
            .primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns.contains(&column.name));
        column.nullable && !in_key
    }
}

/// One connection to a SQLite database file.
#[derive(Debug)]
pub struct SqliteDb {
    conn: SqliteConnection,
    path: PathBuf,
    /// Version tables known to exist with their logs (created once per connection, not once
    /// per revision).
    ready: Vec<String>,
    /// Whether the migration lock (a write transaction) is held.
    locked: bool,
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
        let names = super::applied::with_logs(skip);
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

fn version_table_ddl(table: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n    \"version_num\" VARCHAR(32) NOT NULL,\n    CONSTRAINT {} PRIMARY KEY (\"version_num\")\n)",
        Q.ident(table),
        Q.ident(&format!("pk_{table}"))
    )
}

async fn exec(conn: &mut SqliteConnection, sql: &str) -> Result<(), DbError> {
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
fn db_message(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db.message().to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
