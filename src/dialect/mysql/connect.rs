//! The connection the runner drives: opening (server flavour, session settings), reading the
//! schema and the version table.

use std::str::FromStr;

use sqlx::AssertSqlSafe;
use sqlx::Connection;
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};

use super::introspect::{self, Introspected};
use super::render::Q;
use super::{Flavor, apply, text};
use crate::dialect::applied::{self, LogRow, NewRow};
use crate::dialect::books::{self, Books, Spelling};
use crate::dialect::lock::SessionLock;
use crate::dialect::{DbError, OpenMode, ServerTarget, Step};
use crate::schema::Schema;

/// The oldest servers whose DDL we write: `RENAME COLUMN` (MariaDB 10.5.2, MySQL 8.0),
/// enforced checks (MySQL 8.0.16).
const MINIMUM_MARIADB: (u32, u32, u32) = (10, 5, 2);
const MINIMUM_MYSQL: (u32, u32, u32) = (8, 0, 16);

/// One connection to a MySQL or MariaDB database (the URL's database is the schema).
pub struct MySqlDb {
    pub(super) conn: MySqlConnection,
    /// The URL without its password, for messages.
    pub(super) shown: String,
    pub(super) flavor: Flavor,
    version: String,
    /// `lower_case_table_names` is not 0: table names compare without case.
    fold_case: bool,
    /// Catalog queries run by introspection so far (tests check it does not grow with the
    /// number of tables).
    pub(super) catalog_queries: u64,
    /// Bookkeeping tables known to exist on this connection.
    pub(super) ready: Vec<String>,
    /// How to connect again (the lock has a connection of its own).
    pub(super) options: MySqlConnectOptions,
    /// The lock's connection and name, while the migration lock is held.
    pub(super) lock: Option<SessionLock<MySqlConnection>>,
}

impl std::fmt::Debug for MySqlDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MySqlDb")
            .field("target", &self.shown)
            .field("flavor", &self.flavor)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl MySqlDb {
    /// Connects to the URL's database. [`OpenMode::ReadOnly`] makes the session read-only
    /// (`SET SESSION TRANSACTION READ ONLY`), so nothing can be written through it.
    pub async fn open(target: &ServerTarget, mode: OpenMode) -> Result<MySqlDb, DbError> {
        let shown = target.display();
        let fail = |message: String, source: Option<sqlx::Error>| DbError::Open {
            target: shown.clone(),
            message,
            source,
        };
        let options = MySqlConnectOptions::from_str(&target.url)
            .map_err(|e| fail(format!("the URL is not valid ({e}); write it as mysql://user:password@host:3306/database"), Some(e)))?
            // `||` keeps MySQL's meaning (OR) in the checks we create, as in other sessions.
            .pipes_as_concat(false);
        if options.get_database().is_none_or(str::is_empty) {
            return Err(fail(
                "the URL names no database; add it, as in mysql://user@host:3306/database".into(),
                None,
            ));
        }
        let mut conn = MySqlConnection::connect_with(&options).await.map_err(|e| {
            fail(
                connect_message(&e, options.get_database().unwrap_or("")),
                Some(e),
            )
        })?;
        let version: String = sqlx::query_scalar("SELECT CAST(VERSION() AS CHAR)")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| fail(e.to_string(), Some(e)))?;
        let flavor = if version.to_ascii_lowercase().contains("mariadb") {
            Flavor::MariaDb
        } else {
            Flavor::MySql
        };
        check_version(flavor, &version).map_err(|m| fail(m, None))?;
        session(&mut conn, mode)
            .await
            .map_err(|e| fail(e.to_string(), Some(e)))?;
        let lower: i64 = sqlx::query_scalar("SELECT CAST(@@lower_case_table_names AS SIGNED)")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| fail(e.to_string(), Some(e)))?;
        Ok(MySqlDb {
            conn,
            shown,
            flavor,
            version,
            fold_case: lower != 0,
            catalog_queries: 0,
            ready: Vec::new(),
            options,
            lock: None,
        })
    }

    /// MariaDB or MySQL.
    pub fn flavor(&self) -> Flavor {
        self.flavor
    }

    /// Every base table of the database but those in `skip` (version tables), their progress
    /// tables (`<name>_progress`, see [`MySqlDb::run_step`]) and applied logs (`<name>_log`).
    pub async fn introspect(&mut self, skip: &[&str]) -> Result<Schema, DbError> {
        Ok(self.read(skip).await?.schema)
    }

    /// The schema with what only the planner needs.
    pub(crate) async fn read(&mut self, skip: &[&str]) -> Result<Introspected, DbError> {
        let mut names = crate::dialect::applied::with_logs(skip);
        names.extend(skip.iter().map(|s| apply::table_name(s)));
        let fold = self.fold_case;
        let skipped = |name: &str| {
            names.iter().any(|s| {
                if fold {
                    s.eq_ignore_ascii_case(name)
                } else {
                    s == name
                }
            })
        };
        introspect::introspect(
            &mut self.conn,
            self.flavor,
            &skipped,
            &mut self.catalog_queries,
        )
        .await
    }

    /// The rows of the version table, or `None` when it does not exist.
    pub async fn version_rows(&mut self, table: &str) -> Result<Option<Vec<String>>, DbError> {
        if !table_exists(&mut self.conn, table).await? {
            return Ok(None);
        }
        books::versions(&mut self.conn, &books_of(table))
            .await
            .map(Some)
    }

    /// Writes one row of the applied log on its own (outside any step).
    pub(crate) async fn write_log_row(
        &mut self,
        version_table: &str,
        row: &NewRow,
    ) -> Result<(), DbError> {
        let kept = books_of(version_table);
        books::create(&mut self.conn, &kept, kept.log_ddl()).await?;
        books::write_log(&mut self.conn, &kept, row).await
    }

    /// Every row of the applied log, oldest first; empty when there is no log yet.
    pub async fn applied_log(&mut self, version_table: &str) -> Result<Vec<LogRow>, DbError> {
        if !table_exists(&mut self.conn, &applied::log_table(version_table)).await? {
            return Ok(Vec::new());
        }
        books::read_log(&mut self.conn, &books_of(version_table)).await
    }

    /// Runs one step: MySQL commits each DDL statement by itself, so progress is recorded
    /// statement by statement in `<version table>_progress`; a step that stopped half-way
    /// makes the next ones refuse until `db stamp` (a step without operations) clears it.
    /// See the `progress` module.
    pub async fn run_step(&mut self, step: &Step<'_>) -> Result<(), DbError> {
        apply::run(self, step).await
    }

    /// Whether the database holds no table or view.
    pub async fn is_empty(&mut self) -> Result<bool, DbError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
        )
        .fetch_one(&mut self.conn)
        .await
        .map_err(DbError::query)?;
        Ok(count == 0)
    }

    /// Catalog queries run by introspection on this connection so far.
    #[cfg(test)]
    pub(crate) fn catalog_queries(&self) -> u64 {
        self.catalog_queries
    }

    /// Runs one statement of ours outside any migration (creating or dropping a database).
    pub(super) async fn execute_admin(&mut self, sql: &str) -> Result<(), DbError> {
        sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
            .execute(&mut self.conn)
            .await
            .map(|_| ())
            .map_err(|e| DbError::statement(sql, e, message))
    }

    /// Runs SQL outside any migration (tests set up databases with it).
    #[cfg(test)]
    pub(crate) async fn execute_raw(&mut self, sql: &str) -> Result<(), DbError> {
        sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
            .execute(&mut self.conn)
            .await
            .map(|_| ())
            .map_err(DbError::query)
    }
}

/// How MySQL spells the bookkeeping tables.
static SPELLING: Spelling = Spelling {
    quote: Q,
    placeholder: question_mark,
    literal: text::literal,
    log_id: "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY",
    text: "LONGTEXT",
    table_options: " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    version_text: as_char,
    message,
};

fn question_mark(_: usize) -> String {
    "?".to_string()
}

/// MariaDB returns a `VARCHAR` of a binary collation as bytes.
fn as_char(column: &str) -> String {
    format!("CAST({column} AS CHAR)")
}

/// The bookkeeping tables of `version_table`.
pub(super) fn books_of(version_table: &str) -> Books<'_> {
    Books::new(&SPELLING, None, version_table)
}

/// Whether a table called `name` exists in the connection's database.
pub(super) async fn table_exists(conn: &mut MySqlConnection, name: &str) -> Result<bool, DbError> {
    let found: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
    )
    .bind(name)
    .fetch_one(&mut *conn)
    .await
    .map_err(DbError::query)?;
    Ok(found > 0)
}

pub(super) use crate::dialect::driver_message as message;

/// What the user should know about a failed connection.
fn connect_message(e: &sqlx::Error, database: &str) -> String {
    match e {
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("42000") if db.message().contains("Unknown database") => format!(
                "database '{database}' does not exist; create it (CREATE DATABASE `{database}` CHARACTER SET utf8mb4) or fix the URL"
            ),
            Some("28000") => format!("{}; check the user and password of the URL", db.message()),
            _ => db.message().to_string(),
        },
        sqlx::Error::Io(io) => format!(
            "cannot reach the server ({io}); check the host and port and that the server runs"
        ),
        other => other.to_string(),
    }
}

/// `(major, minor, patch)` of `10.11.14-MariaDB-0+deb12u2` or `8.0.36`.
fn parse_version(version: &str) -> Option<(u32, u32, u32)> {
    let mut parts = version
        .split(|c: char| !c.is_ascii_digit())
        .map(|p| p.parse::<u32>().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

fn check_version(flavor: Flavor, version: &str) -> Result<(), String> {
    let (minimum, name) = match flavor {
        Flavor::MariaDb => (MINIMUM_MARIADB, "MariaDB"),
        Flavor::MySql => (MINIMUM_MYSQL, "MySQL"),
    };
    match parse_version(version) {
        Some(found) if found < minimum => Err(format!(
            "the server is {name} {version}; Outflow needs {name} {}.{}.{} or later",
            minimum.0, minimum.1, minimum.2
        )),
        _ => Ok(()),
    }
}

/// Session settings our SQL relies on: backslashes escape in literals and `"` quotes strings
/// (`NO_BACKSLASH_ESCAPES` and `ANSI_QUOTES` off), strict mode (a narrowing `MODIFY` fails
/// instead of truncating rows), `TIMESTAMP` columns without implicit defaults.
async fn session(conn: &mut MySqlConnection, mode: OpenMode) -> Result<(), sqlx::Error> {
    let current: String = sqlx::query_scalar("SELECT CAST(@@SESSION.sql_mode AS CHAR)")
        .fetch_one(&mut *conn)
        .await?;
    let mut modes: Vec<&str> = current
        .split(',')
        .filter(|m| !m.is_empty() && !matches!(*m, "NO_BACKSLASH_ESCAPES" | "ANSI_QUOTES" | "ANSI"))
        .collect();
    if !modes.iter().any(|m| m.starts_with("STRICT_")) {
        modes.push("STRICT_TRANS_TABLES");
    }
    sqlx::query("SET SESSION sql_mode = ?")
        .bind(modes.join(","))
        .execute(&mut *conn)
        .await?;
    // Deprecated (and always on) in recent servers, off by default before MariaDB 10.10: a
    // failure here only means the server has no such switch any more.
    let _ = sqlx::raw_sql("SET SESSION explicit_defaults_for_timestamp = 1")
        .execute(&mut *conn)
        .await;
    if mode == OpenMode::ReadOnly {
        sqlx::raw_sql("SET SESSION TRANSACTION READ ONLY")
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A pool as the run-time role (`user:`, else the admin) for a pipeline's tasks.
pub(crate) async fn open_pool(server: &ServerTarget) -> Result<sqlx::MySqlPool, String> {
    let url = server.runtime_url.as_deref().unwrap_or(&server.url);
    let options = MySqlConnectOptions::from_str(url).map_err(|e| e.to_string())?;
    sqlx::mysql::MySqlPoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .map_err(|e| e.to_string())
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_minimums() {
        assert_eq!(
            parse_version("10.11.14-MariaDB-0+deb12u2"),
            Some((10, 11, 14))
        );
        assert_eq!(parse_version("8.0.36"), Some((8, 0, 36)));
        assert!(
            check_version(Flavor::MariaDb, "10.4.31-MariaDB")
                .unwrap_err()
                .contains("10.5.2 or later")
        );
        assert!(check_version(Flavor::MySql, "5.7.44").is_err());
        assert!(check_version(Flavor::MySql, "8.0.36").is_ok());
        assert!(check_version(Flavor::MariaDb, "odd").is_ok());
    }
}
