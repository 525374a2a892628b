//! PostgreSQL: introspection with five catalog queries, a normal form for comparisons,
//! rendering of every operation, and the connection the runner drives.
//!
//! A step (a revision and its version-table changes) runs in one transaction, except for the
//! statements PostgreSQL refuses in a transaction block or only lets a later transaction use:
//! `ALTER TYPE ... ADD VALUE` (new enum labels), `CREATE/DROP INDEX CONCURRENTLY`,
//! `REINDEX ... CONCURRENTLY`, `VACUUM`, ... (also inside `op.execute` SQL, found by their
//! leading keywords). Those run first, each on its own, then the transaction. If the
//! transaction then fails, they stay: added labels are harmless and `ADD VALUE IF NOT EXISTS`
//! makes the next attempt skip them; raw SQL should be written to be re-run (`IF NOT EXISTS`).
//!
//! Every object lives in the configured schema (`public` unless `schema:` says otherwise) and
//! every name is written qualified. The connection's `search_path` is that schema, then
//! `public`, so unqualified names in defaults, checks and raw SQL mean the same schema.

mod grants;
mod introspect;
mod lock;
mod normal;
mod plan;
mod render;
pub(crate) mod script;
mod text;
mod types;

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgDatabaseError};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

pub use introspect::{Introspected, Opaque, TableExtras};
pub use lock::log_table_sql;

use super::sql::{Quote, literal};
use super::{DbError, OpenMode, PlanError, ServerTarget, Step, VersionChange};
use crate::diff::Compare;
use crate::ops::Operation;
use crate::schema::{Column, Schema, Table, Type, naming};
use plan::{Known, Planner};

const Q: Quote = Quote::Double;

/// The type a bound parameter is cast to for a column of type `ty` (enums are named types of
/// `schema`): what lets a text label fill an enum column.
pub fn column_type_sql(ty: &Type, schema: &str) -> String {
    types::render(ty, schema)
}

/// PostgreSQL's normal form: types as `format_type` prints them (aliases and raw spellings
/// folded: `int4` is `integer`, `varchar(9)` is `character varying(9)`, `json` and `jsonb` are
/// JSON), defaults and checks rewritten as the catalog rewrites them (casts, parentheses,
/// `IN`/`BETWEEN`/`LIKE`, identifier case, numbers, `now()`; see the module `normal`), a raw
/// `serial` counted as an autoincrement integer, autoincrement only on integers.
#[derive(Debug, Clone, Copy, Default)]
pub struct PgCompare;

impl Compare for PgCompare {
    fn ty(&self, _table: &Table, column: &Column) -> Type {
        types::normal(&column.ty)
    }

    fn default(&self, column: &Column) -> Option<String> {
        normal::default(column)
    }

    fn check(&self, expr: &str) -> String {
        normal::check(expr)
    }

    fn autoincrement(&self, _table: &Table, column: &Column) -> bool {
        let serial = matches!(&column.ty, Type::Raw(s) if types::is_serial(s));
        serial || (column.autoincrement && types::normal(&column.ty).is_integer())
    }
}

/// One connection to a PostgreSQL database, working in one schema.
pub struct PgDb {
    conn: PgConnection,
    /// How to connect again (the lock has a connection of its own).
    options: PgConnectOptions,
    /// The lock's connection and key, while the migration lock is held.
    lock: Option<(PgConnection, i64)>,
    /// The role the pipeline runs as (`user:`), granted the tables migrations create.
    grantee: Option<String>,
    /// Redacted URL, for messages.
    shown: String,
    schema: String,
    /// Catalog queries run by introspection so far (tests check the count stays constant).
    queries: u64,
}

impl std::fmt::Debug for PgDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgDb")
            .field("target", &self.shown)
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

impl PgDb {
    /// Connects to `target.url`. [`OpenMode::ReadOnly`] makes every transaction of the session
    /// read-only. Errors name the redacted URL.
    pub async fn open(target: &ServerTarget, mode: OpenMode) -> Result<PgDb, DbError> {
        let shown = target.display();
        let fail = |what: &str, e: &sqlx::Error| DbError::Open {
            target: shown.clone(),
            message: format!("{}; {what}", db_message(e).replace(&target.url, &shown)),
        };
        let options = PgConnectOptions::from_str(&target.url)
            .map_err(|e| {
                fail(
                    "write it as postgres://user:password@host:port/database",
                    &e,
                )
            })?
            .application_name("outflow");
        let conn = PgConnection::connect_with(&options).await.map_err(|e| {
            fail(
                "check that the server runs and accepts this user, password and database",
                &e,
            )
        })?;
        let mut db = PgDb {
            conn,
            options,
            lock: None,
            grantee: target.user.clone(),
            shown: shown.clone(),
            schema: target.schema().to_string(),
            queries: 0,
        };
        let path = if db.schema == "public" {
            Q.ident("public")
        } else {
            format!("{}, {}", Q.ident(&db.schema), Q.ident("public"))
        };
        sqlx::query("SELECT set_config('search_path', $1, false)")
            .bind(path)
            .execute(&mut db.conn)
            .await
            .map_err(|e| fail("check the `schema:` setting", &e))?;
        // String literals double their quotes and nothing else: pinned, whatever a role or
        // database sets, so that a backslash in a comment or label stays inside its quotes.
        sqlx::query("SET standard_conforming_strings = on")
            .execute(&mut db.conn)
            .await
            .map_err(|e| fail("check the server's settings", &e))?;
        if mode == OpenMode::ReadOnly {
            sqlx::query("SET default_transaction_read_only = on")
                .execute(&mut db.conn)
                .await
                .map_err(|e| fail("check the server's settings", &e))?;
        }
        Ok(db)
    }

    /// The schema holding the tables.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// Every table of the schema but those in `skip` (version tables) and their applied logs.
    pub async fn introspect(&mut self, skip: &[&str]) -> Result<Schema, DbError> {
        Ok(self.introspect_full(skip).await?.schema)
    }

    /// Every table of the schema but those in `skip`, with what the model cannot hold and
    /// every enum type, read in one read-only snapshot.
    pub async fn introspect_full(&mut self, skip: &[&str]) -> Result<Introspected, DbError> {
        let mut tx = self
            .conn
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(DbError::query)?;
        let names = super::applied::with_logs(skip);
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let found = introspect::read(&mut tx, &self.schema, &names, &mut self.queries).await?;
        tx.commit().await.map_err(DbError::query)?;
        Ok(found)
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

    /// The connection (tests read rows with it).
    #[cfg(test)]
    pub(crate) fn conn(&mut self) -> &mut PgConnection {
        &mut self.conn
    }

    /// The rows of the version table, or `None` when it does not exist.
    pub async fn version_rows(&mut self, table: &str) -> Result<Option<Vec<String>>, DbError> {
        if !self.table_exists(table).await? {
            return Ok(None);
        }
        let sql = format!(
            "SELECT version_num FROM {} ORDER BY version_num",
            types::qualified(&self.schema, table)
        );
        sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_all(&mut self.conn)
            .await
            .map(Some)
            .map_err(DbError::query)
    }

    async fn table_exists(&mut self, table: &str) -> Result<bool, DbError> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p'))",
        )
        .bind(&self.schema)
        .bind(table)
        .fetch_one(&mut self.conn)
        .await
        .map_err(DbError::query)
    }

    /// Whether the schema holds no table, view, sequence or type at all.
    pub async fn is_empty(&mut self) -> Result<bool, DbError> {
        sqlx::query_scalar(
            "SELECT NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n \
             ON n.oid = c.relnamespace WHERE n.nspname = $1 \
             AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')) \
             AND NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n \
             ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typtype = 'e')",
        )
        .bind(&self.schema)
        .fetch_one(&mut self.conn)
        .await
        .map_err(DbError::query)
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

async fn exec(conn: &mut PgConnection, sql: &str) -> Result<(), DbError> {
    sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(|e| DbError::Statement {
            sql: sql.to_string(),
            message: db_message(&e),
        })
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

/// The server's message with its detail (`Key (a)=(1) is duplicated.`), on one line.
fn db_message(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => {
            let detail = db
                .try_downcast_ref::<PgDatabaseError>()
                .and_then(|pg| pg.detail())
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            format!("{}{detail}", db.message()).replace('\n', " ")
        }
        other => other.to_string(),
    }
}

/// Statements of a step rendered offline, split as [`PgDb::run_step`] runs them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// To run first, each on its own, outside any transaction (new enum labels, raw SQL
    /// PostgreSQL refuses in a transaction block).
    pub before_transaction: Vec<String>,
    /// To run in one transaction.
    pub in_transaction: Vec<String>,
}

/// Offline SQL (`db upgrade a:b --sql`): the statements for `ops` given the schema before
/// them, split as they run (see [`Rendered`]).
pub fn render_step(
    ops: &[Operation],
    before: &Schema,
    schema: &str,
) -> Result<Rendered, PlanError> {
    let mut planner = Planner::new(schema, false);
    planner.provide(Known::from_schema(before));
    let before_transaction = planner.early(ops);
    let mut in_transaction = Vec::new();
    for op in ops {
        in_transaction.extend(planner.push(op)?);
    }
    Ok(Rendered {
        before_transaction,
        in_transaction,
    })
}

/// Offline SQL (`db upgrade a:b --sql`): the statements for `ops` given the schema before
/// them, those to run outside the transaction first (see [`render_step`]).
pub fn render(ops: &[Operation], before: &Schema, schema: &str) -> Result<Vec<String>, PlanError> {
    let rendered = render_step(ops, before, schema)?;
    let mut out = rendered.before_transaction;
    out.extend(rendered.in_transaction);
    Ok(out)
}

/// The version table's DDL, as [`PgDb::run_step`] issues it.
pub fn version_table_sql(table: &str, schema: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n    \"version_num\" VARCHAR(32) NOT NULL,\n    \
         CONSTRAINT {} PRIMARY KEY (\"version_num\")\n)",
        types::qualified(schema, table),
        Q.ident(&naming::primary_key(table))
    )
}

/// One version-table change as SQL with its literals quoted (for offline SQL).
pub fn version_change_sql(change: &VersionChange, table: &str, schema: &str) -> String {
    let t = types::qualified(schema, table);
    match change {
        VersionChange::Insert(id) => {
            format!("INSERT INTO {t} (\"version_num\") VALUES ({})", literal(id))
        }
        VersionChange::Update { from, to } => format!(
            "UPDATE {t} SET \"version_num\" = {} WHERE \"version_num\" = {}",
            literal(to),
            literal(from)
        ),
        VersionChange::Delete(id) => {
            format!("DELETE FROM {t} WHERE \"version_num\" = {}", literal(id))
        }
    }
}

#[cfg(test)]
mod tests;
