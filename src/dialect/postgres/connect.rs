//! The connection to a PostgreSQL database: opening it in one schema (read-only or for
//! migrations), introspection in one snapshot, the version table, running statements.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgDatabaseError};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

use super::Q;
use super::introspect::{self, Introspected};
use crate::dialect::books::{self, Books, Spelling};
use crate::dialect::lock::SessionLock;
use crate::dialect::sql;
use crate::dialect::{DbError, OpenMode, ServerTarget};
use crate::schema::Schema;

/// One connection to a PostgreSQL database, working in one schema.
pub struct PgDb {
    pub(super) conn: PgConnection,
    /// How to connect again (the lock has a connection of its own).
    pub(super) options: PgConnectOptions,
    /// The lock's connection and key, while the migration lock is held.
    pub(super) lock: Option<SessionLock<PgConnection>>,
    /// The role the pipeline runs as (`user:`), granted the tables migrations create.
    pub(super) grantee: Option<String>,
    /// Redacted URL, for messages.
    pub(super) shown: String,
    pub(super) schema: String,
    /// Catalog queries run by introspection so far (tests check the count stays constant).
    pub(super) queries: u64,
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
        let fail = |what: &str, e: sqlx::Error| DbError::Open {
            target: shown.clone(),
            message: format!("{}; {what}", db_message(&e).replace(&target.url, &shown)),
            source: Some(e),
        };
        let options = PgConnectOptions::from_str(&target.url)
            .map_err(|e| fail("write it as postgres://user:password@host:port/database", e))?
            .application_name("outflow");
        let conn = PgConnection::connect_with(&options).await.map_err(|e| {
            fail(
                "check that the server runs and accepts this user, password and database",
                e,
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
        let path = super::search_path(&db.schema);
        sqlx::query("SELECT set_config('search_path', $1, false)")
            .bind(path)
            .execute(&mut db.conn)
            .await
            .map_err(|e| fail("check the `schema:` setting", e))?;
        // String literals double their quotes and nothing else: pinned, whatever a role or
        // database sets, so that a backslash in a comment or label stays inside its quotes.
        sqlx::query("SET standard_conforming_strings = on")
            .execute(&mut db.conn)
            .await
            .map_err(|e| fail("check the server's settings", e))?;
        // Functions are created before the tables their bodies read, as pg_dump does.
        sqlx::query("SET check_function_bodies = off")
            .execute(&mut db.conn)
            .await
            .map_err(|e| fail("check the server's settings", e))?;
        if mode == OpenMode::ReadOnly {
            sqlx::query("SET default_transaction_read_only = on")
                .execute(&mut db.conn)
                .await
                .map_err(|e| fail("check the server's settings", e))?;
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
        let names = crate::dialect::applied::with_logs(skip);
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
        books::versions(&mut self.conn, &books_of(&self.schema, table))
            .await
            .map(Some)
    }

    pub(super) async fn table_exists(&mut self, table: &str) -> Result<bool, DbError> {
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
}

/// How PostgreSQL spells the bookkeeping tables.
static SPELLING: Spelling = Spelling {
    quote: Q,
    placeholder: dollar,
    literal: sql::literal,
    log_id: "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    text: "TEXT",
    table_options: "",
    version_text: as_is,
    message: db_message,
};

fn dollar(i: usize) -> String {
    format!("${i}")
}

fn as_is(column: &str) -> String {
    column.to_string()
}

/// The bookkeeping tables of `version_table` in `schema`.
pub(super) fn books_of<'a>(schema: &'a str, version_table: &'a str) -> Books<'a> {
    Books::new(&SPELLING, Some(schema), version_table)
}

pub(super) async fn exec(conn: &mut PgConnection, sql: &str) -> Result<(), DbError> {
    sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(|e| DbError::statement(sql, e, db_message))
}

/// The server's message with its detail (`Key (a)=(1) is duplicated.`), on one line.
pub(super) fn db_message(e: &sqlx::Error) -> String {
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

/// A pool as the run-time role (`user:`, else the admin) for a pipeline's tasks, in the
/// configured schema.
pub(crate) async fn open_pool(server: &ServerTarget) -> Result<sqlx::PgPool, String> {
    let url = server.runtime_url.as_deref().unwrap_or(&server.url);
    let mut options = PgConnectOptions::from_str(url).map_err(|e| e.to_string())?;
    if let Some(schema) = &server.schema {
        options = options.options([("search_path", schema.as_str())]);
    }
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .map_err(|e| e.to_string())
}
