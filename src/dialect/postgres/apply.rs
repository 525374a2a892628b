//! Running steps on PostgreSQL: the statements that cannot run in a transaction block first,
//! each on its own, then the operations, the version-table changes, the grants and the
//! applied log in one transaction.

mod grants;

use sqlx::{AssertSqlSafe, Connection, PgConnection};

use super::connect::{db_message, exec};
use super::introspect;
use super::plan::{Known, Planner};
use super::{PgDb, Q, lock, types, version_table_sql};
use crate::dialect::{DbError, Step, VersionChange};
use crate::ops::Operation;

impl PgDb {
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
            result = lock::log_step(&mut tx, step, &schema, started.elapsed()).await;
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
    exec(conn, &version_table_sql(step.version_table, schema)).await?;
    for op in step.ops {
        if planner.needs(op) {
            let found = introspect::read(conn, schema, &[step.version_table], queries).await?;
            planner.provide(Known::from_introspected(found));
        }
        for sql in planner.push(op)? {
            exec(conn, &sql).await?;
        }
    }
    for change in step.version {
        version_change(conn, change, step.version_table, schema).await?;
    }
    Ok(())
}

async fn version_change(
    conn: &mut PgConnection,
    change: &VersionChange,
    table: &str,
    schema: &str,
) -> Result<(), DbError> {
    let t = types::qualified(schema, table);
    let (sql, binds): (String, Vec<&str>) = match change {
        VersionChange::Insert(id) => (
            format!("INSERT INTO {t} (\"version_num\") VALUES ($1)"),
            vec![id],
        ),
        VersionChange::Update { from, to } => (
            format!("UPDATE {t} SET \"version_num\" = $2 WHERE \"version_num\" = $1"),
            vec![from, to],
        ),
        VersionChange::Delete(id) => (
            format!("DELETE FROM {t} WHERE \"version_num\" = $1"),
            vec![id],
        ),
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
