//! Running steps on SQLite: one step's transaction (a savepoint under the migration lock),
//! the version table and the applied log inside it.
//!
//! While the lock is held each step runs in a savepoint, so a failed step is undone alone and
//! the steps before it are committed when the command ends. Without the lock (library callers,
//! tests) each step is its own `BEGIN IMMEDIATE` transaction.

mod batch;

use std::time::Instant;

use sqlx::sqlite::SqliteConnection;
use sqlx::{Connection, Row};

use super::connect::{books_of, exec, table_exists};
use super::data::SqliteRows;
use super::introspect;
use super::{Planner, SqliteDb};
use crate::dialect::applied::{self, LogRow, NewRow};
use crate::dialect::{DbError, PlanError, Step};
use crate::dialect::{books, data};
use crate::ops::Operation;

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
        DbError::failure(format!(
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
        let kept = books_of(version_table);
        if self.locked {
            books::create(&mut self.conn, &kept, kept.log_ddl()).await?;
            return books::write_log(&mut self.conn, &kept, row).await;
        }
        let mut tx = self
            .conn
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(DbError::query)?;
        books::create(&mut *tx, &kept, kept.log_ddl()).await?;
        books::write_log(&mut *tx, &kept, row).await?;
        tx.commit().await.map_err(DbError::query)
    }

    /// Every row of the applied log, oldest first; empty when there is no log yet.
    pub async fn applied_log(&mut self, version_table: &str) -> Result<Vec<LogRow>, DbError> {
        if !table_exists(&mut self.conn, &applied::log_table(version_table)).await? {
            return Ok(Vec::new());
        }
        books::read_log(&mut self.conn, &books_of(version_table)).await
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
        let kept = books_of(step.version_table);
        books::create(conn, &kept, kept.version_table_ddl()).await?;
        books::create(conn, &kept, kept.log_ddl()).await?;
    }
    let mut planner = Planner::new();
    let skip = [step.version_table];
    for op in step.ops {
        if let Some(table) = planner.needs(op) {
            let found = introspect::introspect(conn, Some(&table), &skip, &mut 0).await?;
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
        if let Operation::RunRust(data) = op {
            let version_table = step.version_table;
            data::run(
                &mut SqliteRows {
                    conn,
                    version_table,
                },
                data,
            )
            .await?;
        }
    }
    for sql in planner.finish()? {
        exec(conn, &sql).await?;
    }
    for change in step.version {
        books::change_version(conn, &books_of(step.version_table), change).await?;
    }
    foreign_key_check(conn, planner.touched()).await?;
    for entry in step.log {
        let row = NewRow::applied(entry, started.elapsed());
        books::write_log(conn, &books_of(step.version_table), &row).await?;
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
