//! SQLite: introspection through pragmas and parsed DDL, rendering with the table rebuild, and
//! the connection the runner drives.

mod ddl;
mod introspect;
mod plan;
mod render;
mod types;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlparser::dialect::SQLiteDialect;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Connection, Row};

pub use introspect::{Introspected, TableExtras};
pub use plan::Planner;

use super::sql::{Quote, literal};
use super::{DbError, OpenMode, PlanError, Step, VersionChange, expr};
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
}

/// One connection to a SQLite database file.
#[derive(Debug)]
pub struct SqliteDb {
    conn: SqliteConnection,
    path: PathBuf,
    /// Version tables known to exist (created once per connection, not once per revision).
    version_tables: Vec<String>,
}

impl SqliteDb {
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
            version_tables: Vec::new(),
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

    /// Every table but those in `skip`.
    pub async fn introspect(&mut self, skip: &[&str]) -> Result<Introspected, DbError> {
        introspect::introspect(&mut self.conn, None, skip).await
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

    /// Runs one step (a revision's operations and its version-table change) in one
    /// transaction; foreign keys are off on this connection and checked before the commit.
    pub async fn run_step(&mut self, step: &Step<'_>) -> Result<(), DbError> {
        let mut tx = self
            .conn
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(DbError::query)?;
        let created = !self.version_tables.iter().any(|t| t == step.version_table);
        if created {
            exec(&mut tx, &version_table_ddl(step.version_table)).await?;
        }
        let mut planner = Planner::new();
        for op in step.ops {
            if let Some(table) = planner.needs(op) {
                let found =
                    introspect::introspect(&mut tx, Some(&table), &[step.version_table]).await?;
                let t = found.schema.table(&table).cloned().ok_or_else(|| {
                    DbError::from(PlanError::Apply {
                        operation: op.to_string(),
                        source: crate::ops::ApplyError::NoSuchTable(table.clone()),
                    })
                })?;
                planner.provide(t, found.extras.get(&table).cloned().unwrap_or_default());
            }
            for sql in planner.push(op)? {
                exec(&mut tx, &sql).await?;
            }
        }
        for sql in planner.finish()? {
            exec(&mut tx, &sql).await?;
        }
        for change in step.version {
            version_change(&mut tx, step.version_table, change).await?;
        }
        foreign_key_check(&mut tx, planner.touched()).await?;
        tx.commit().await.map_err(DbError::query)?;
        if created {
            self.version_tables.push(step.version_table.to_string());
        }
        Ok(())
    }
}

/// The version table's DDL (for offline SQL; steps create it themselves).
pub fn version_table_sql(table: &str) -> String {
    version_table_ddl(table)
}

/// One version-table change as a statement with its literals (for offline SQL).
pub fn version_change_sql(change: &VersionChange, table: &str) -> String {
    let t = Q.ident(table);
    match change {
        VersionChange::Insert(id) => {
            format!("INSERT INTO {t} (version_num) VALUES ({})", literal(id))
        }
        VersionChange::Update { from, to } => {
            format!(
                "UPDATE {t} SET version_num = {} WHERE version_num = {}",
                literal(to),
                literal(from)
            )
        }
        VersionChange::Delete(id) => format!("DELETE FROM {t} WHERE version_num = {}", literal(id)),
    }
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
            message: db_message(&e).replace(plan::REBUILD_PREFIX, ""),
        })
}

async fn version_change(
    conn: &mut SqliteConnection,
    table: &str,
    change: &VersionChange,
) -> Result<(), DbError> {
    let t = Q.ident(table);
    let (sql, binds): (String, Vec<&str>) = match change {
        VersionChange::Insert(id) => (
            format!("INSERT INTO {t} (version_num) VALUES (?1)"),
            vec![id],
        ),
        VersionChange::Update { from, to } => (
            format!("UPDATE {t} SET version_num = ?2 WHERE version_num = ?1"),
            vec![from, to],
        ),
        VersionChange::Delete(id) => (format!("DELETE FROM {t} WHERE version_num = ?1"), vec![id]),
    };
    let mut query = sqlx::query(AssertSqlSafe(sql.clone()));
    for b in binds {
        query = query.bind(b);
    }
    let done = query
        .execute(&mut *conn)
        .await
        .map_err(|e| DbError::Statement {
            sql,
            message: db_message(&e),
        })?;
    if done.rows_affected() != 1 {
        return Err(DbError::VersionRows {
            table: table.to_string(),
            change: change.to_string(),
            found: done.rows_affected(),
        });
    }
    Ok(())
}

async fn foreign_key_check(conn: &mut SqliteConnection, touched: &[String]) -> Result<(), DbError> {
    if touched.is_empty() {
        return Ok(());
    }
    let rows = sqlx::query(
        r#"SELECT "table" AS child, rowid AS row_id, parent FROM pragma_foreign_key_check"#,
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(DbError::query)?;
    for row in rows {
        let child: String = row.try_get("child").map_err(DbError::query)?;
        let parent: String = row.try_get("parent").map_err(DbError::query)?;
        if touched.contains(&child) || touched.contains(&parent) {
            let row_id: Option<i64> = row.try_get("row_id").map_err(DbError::query)?;
            return Err(DbError::ForeignKeyViolation {
                child,
                row_id,
                parent,
            });
        }
    }
    Ok(())
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
