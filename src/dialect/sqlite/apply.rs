//! Running steps on SQLite: one step's transaction (a savepoint under the migration lock),
//! the version table and the applied log inside it.
//!
//! While the lock is held each step runs in a savepoint, so a failed step is undone alone and
//! the steps before it are committed when the command ends. Without the lock (library callers,
//! tests) each step is its own `BEGIN IMMEDIATE` transaction.

use std::time::Instant;

use sqlx::sqlite::SqliteConnection;
use sqlx::{AssertSqlSafe, Connection, Row};

use super::connect::exec;
use super::introspect;
use super::{Planner, Q, SqliteDb, db_message};
use crate::dialect::applied::{self, LogRow, NewRow};
use crate::dialect::{DbError, PlanError, Step, VersionChange};

impl SqliteDb {
    /// Runs one step (a revision's operations, its version-table changes and its log rows)
    /// atomically: in a savepoint under the lock, else in its own transaction. Foreign keys are
    /// off on this connection and checked before the step ends.
    pub async fn run_step(&mut self, step: &Step<'_>) -> Result<(), DbError> {
        let started = Instant::now();
        if !self.locked {
            let mut tx = self
                .conn
                .begin_with("BEGIN IMMEDIATE")
                .await
                .map_err(DbError::query)?;
            run_in(&mut tx, step, &self.ready, started).await?;
            tx.commit().await.map_err(DbError::query)?;
            self.remember(step);
            return Ok(());
        }
        exec(&mut self.conn, "SAVEPOINT outflow_step").await?;
        match run_in(&mut self.conn, step, &self.ready, started).await {
            Ok(()) => {
                exec(&mut self.conn, "RELEASE outflow_step").await?;
                self.remember(step);
                Ok(())
            }
            Err(e) => Err(self.undo_step(e).await),
        }
    }

    /// Rolls the failed step back; when SQLite already rolled the whole transaction back
    /// (it does on some errors), says that nothing of the command was applied.
    async fn undo_step(&mut self, error: DbError) -> DbError {
        let undone = exec(
            &mut self.conn,
            "ROLLBACK TO outflow_step; RELEASE outflow_step",
        )
        .await;
        if undone.is_ok() {
            return error;
        }
        self.locked = false;
        self.ready.clear();
        DbError::Query(format!(
            "{error}; SQLite rolled the whole migration back, so no revision of this command was applied"
        ))
    }

    fn remember(&mut self, step: &Step<'_>) {
        if !self.ready.iter().any(|t| t == step.version_table) {
            self.ready.push(step.version_table.to_string());
        }
    }

    /// Writes one row of the applied log on its own (outside any step).
    pub(crate) async fn write_log_row(
        &mut self,
        version_table: &str,
        row: &NewRow,
    ) -> Result<(), DbError> {
        let ddl = log_table_ddl(version_table);
        if self.locked {
            exec(&mut self.conn, &ddl).await?;
            return write_log(&mut self.conn, version_table, row).await;
        }
        let mut tx = self
            .conn
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(DbError::query)?;
        exec(&mut tx, &ddl).await?;
        write_log(&mut tx, version_table, row).await?;
        tx.commit().await.map_err(DbError::query)
    }

    /// Every row of the applied log, oldest first; empty when there is no log yet.
    pub async fn applied_log(&mut self, version_table: &str) -> Result<Vec<LogRow>, DbError> {
        let table = applied::log_table(version_table);
        let exists = sqlx::query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1")
            .bind(&table)
            .fetch_optional(&mut self.conn)
            .await
            .map_err(DbError::query)?;
        if exists.is_none() {
            return Ok(Vec::new());
        }
        sqlx::query(AssertSqlSafe(applied::select(Q, &Q.ident(&table))))
            .fetch_all(&mut self.conn)
            .await
            .map_err(DbError::query)?
            .iter()
            .map(|r| applied::read_row(r).map_err(DbError::query))
            .collect()
    }
}

/// The body of a step, inside whatever transaction or savepoint holds it.
async fn run_in(
    conn: &mut SqliteConnection,
    step: &Step<'_>,
    ready: &[String],
    started: Instant,
) -> Result<(), DbError> {
    if !ready.iter().any(|t| t == step.version_table) {
        exec(conn, &super::version_table_sql(step.version_table)).await?;
        exec(conn, &log_table_ddl(step.version_table)).await?;
    }
    let mut planner = Planner::new();
    let skip = [step.version_table];
    for op in step.ops {
        if let Some(table) = planner.needs(op) {
            let found = introspect::introspect(conn, Some(&table), &skip).await?;
            let t = found.schema.table(&table).cloned().ok_or_else(|| {
                DbError::from(PlanError::Apply {
                    operation: op.to_string(),
                    source: crate::ops::ApplyError::NoSuchTable(table.clone()),
                })
            })?;
            planner.provide(t, found.extras.get(&table).cloned().unwrap_or_default());
        }
        for sql in planner.push(op)? {
            exec(conn, &sql).await?;
        }
    }
    for sql in planner.finish()? {
        exec(conn, &sql).await?;
    }
    for change in step.version {
        version_change(conn, step.version_table, change).await?;
    }
    foreign_key_check(conn, planner.touched()).await?;
    for entry in step.log {
        let row = NewRow::applied(entry, started.elapsed());
        write_log(conn, step.version_table, &row).await?;
    }
    Ok(())
}

/// The applied log's DDL.
pub(super) fn log_table_ddl(version_table: &str) -> String {
    let table = Q.ident(&applied::log_table(version_table));
    applied::ddl(Q, &table, "INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT", "")
}

async fn write_log(
    conn: &mut SqliteConnection,
    version_table: &str,
    row: &NewRow,
) -> Result<(), DbError> {
    let table = Q.ident(&applied::log_table(version_table));
    let sql = applied::insert(Q, &table, |i| format!("?{i}"));
    applied::bound(sql.clone(), row)
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(|e| DbError::Statement {
            sql,
            message: db_message(&e),
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
