//! Running steps on PostgreSQL: the statements that cannot run in a transaction block first,
//! each on its own, then the operations, the version-table changes, the grants and the
//! applied log in one transaction.

mod batch;
mod grants;

use std::time::Duration;

use sqlx::{Connection, PgConnection};

use super::connect::books_of;
use super::connect::exec;
use super::data::PgRows;
use super::introspect;
use super::plan::{Known, Planner};
use super::{PgDb, Q};
use crate::dialect::applied::{self, LogRow, NewRow};
use crate::dialect::{DbError, Step};
use crate::dialect::{books, data};
use crate::ops::Operation;

impl PgDb {
    /// Writes one row of the applied log on its own (outside any step).
    pub(crate) async fn write_log_row(
        &mut self,
        version_table: &str,
        row: &NewRow,
    ) -> Result<(), DbError> {
        let kept = books_of(&self.schema, version_table);
        let mut tx = self.conn.begin().await.map_err(DbError::query)?;
        books::create(&mut *tx, &kept, kept.log_ddl()).await?;
        books::write_log(&mut *tx, &kept, row).await?;
        tx.commit().await.map_err(DbError::query)
    }

    /// Every row of the applied log, oldest first; empty when there is no log yet.
    pub async fn applied_log(&mut self, version_table: &str) -> Result<Vec<LogRow>, DbError> {
        if !self
            .table_exists(&applied::log_table(version_table))
            .await?
        {
            return Ok(Vec::new());
        }
        books::read_log(&mut self.conn, &books_of(&self.schema, version_table)).await
    }

    /// Runs one step: the statements that cannot run in a transaction first, each on its
    /// own; then the operations and the version-table changes in one transaction, rolled back
    /// entirely when a statement fails.
    pub async fn run_step(&mut self, step: &Step<'_>) -> Result<(), DbError> {
        let started = std::time::Instant::now();
        let schema = self.schema.clone();
        let mut planner = Planner::new(&schema, true);
        let skip = [step.version_table];
        if step
            .ops
            .iter()
            .any(|op| matches!(op, Operation::AlterEnum { .. }))
        {
            planner.provide(Known::from_introspected(self.introspect_full(&skip).await?));
        }
        for sql in planner.early(step.ops) {
            exec(&mut self.conn, &sql).await?;
        }
        // The transaction reads the schema again, as it is once those statements ran.
        planner.forget();
        let mut tx = self.conn.begin().await.map_err(DbError::query)?;
        let mut result = run_in(&mut tx, &mut planner, step, &schema, &mut self.queries).await;
        if let (Ok(()), Some(user)) = (&result, &self.grantee) {
            result = grants::grant(&mut tx, step.ops, &schema, user).await;
        }
        if result.is_ok() {
            result = log_step(&mut tx, step, &schema, started.elapsed()).await;
        }
        match result {
            Ok(()) => tx.commit().await.map_err(DbError::query),
            Err(e) => {
                let _ = tx.rollback().await;
                Err(e)
            }
        }
    }
}

/// The transactional part of [`PgDb::run_step`].
async fn run_in(
    conn: &mut PgConnection,
    planner: &mut Planner<'_>,
    step: &Step<'_>,
    schema: &str,
    queries: &mut u64,
) -> Result<(), DbError> {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)")
            .bind(schema)
            .fetch_one(&mut *conn)
            .await
            .map_err(DbError::query)?;
    if !exists {
        exec(conn, &format!("CREATE SCHEMA {}", Q.ident(schema))).await?;
    }
    let kept = books_of(schema, step.version_table);
    books::create(conn, &kept, kept.version_table_ddl()).await?;
    for op in step.ops {
        if planner.needs(op) {
            let found = introspect::read(conn, schema, &[step.version_table], queries).await?;
            planner.provide(Known::from_introspected(found));
        }
        for sql in planner.push(op)? {
            exec(conn, &sql).await?;
        }
        if let Operation::RunRust(data) = op {
            let version_table = step.version_table;
            let mut rows = PgRows {
                conn,
                schema,
                version_table,
                queries,
            };
            data::run(&mut rows, data).await?;
        }
    }
    for change in step.version {
        books::change_version(conn, &kept, change).await?;
    }
    Ok(())
}

/// Writes the log rows of a step that succeeded, inside its transaction.
async fn log_step(
    conn: &mut PgConnection,
    step: &Step<'_>,
    schema: &str,
    took: Duration,
) -> Result<(), DbError> {
    if step.log.is_empty() {
        return Ok(());
    }
    let kept = books_of(schema, step.version_table);
    books::create(conn, &kept, kept.log_ddl()).await?;
    for entry in step.log {
        books::write_log(conn, &kept, &NewRow::applied(entry, took)).await?;
    }
    Ok(())
}
