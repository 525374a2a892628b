//! The migration lock: `upgrade`, `downgrade` and `stamp` hold it from before they read the
//! version table until they are done, so that processes migrating one database at once run
//! one after the other, and each sees what the previous one did.
//!
//! Each dialect takes it its own way (PostgreSQL: a session advisory lock on a dedicated
//! connection; MySQL: `GET_LOCK` on a dedicated connection; SQLite: a write transaction held
//! for the whole command). All of them are released by the server when the process dies, so a
//! killed migration never leaves a stale lock. This module holds the waiting policy they share.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tracing::warn;

use super::{DbError, books};

/// How long a command waits for the lock before it gives up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockWait {
    /// The longest wait; zero tries once.
    pub timeout: Duration,
}

impl LockWait {
    /// The default wait: long enough for another deploy's migrations to finish, short enough
    /// that a stuck one is noticed.
    pub const DEFAULT: LockWait = LockWait {
        timeout: Duration::from_secs(300),
    };
}

impl Default for LockWait {
    fn default() -> Self {
        LockWait::DEFAULT
    }
}

/// After this long, a waiting command says why it waits.
const NOTICE_AFTER: Duration = Duration::from_secs(3);
/// The longest pause between two attempts.
const MAX_PAUSE: Duration = Duration::from_millis(250);

/// Calls `attempt` until it takes the lock (`Ok(true)`) or `wait.timeout` has passed, saying
/// once, after a few seconds, that the command is waiting for `shown` (a path or redacted URL).
pub(crate) async fn poll<F>(shown: &str, wait: LockWait, mut attempt: F) -> Result<(), DbError>
where
    F: AsyncFnMut() -> Result<bool, DbError>,
{
    let start = Instant::now();
    let mut pause = Duration::from_millis(10);
    let mut noticed = false;
    loop {
        if attempt().await? {
            return Ok(());
        }
        let waited = start.elapsed();
        if waited >= wait.timeout {
            return Err(DbError::LockTimeout {
                target: shown.to_string(),
                seconds: wait.timeout.as_secs_f64(),
            });
        }
        if !noticed && waited >= NOTICE_AFTER {
            warn!(
                "Waiting for the migration lock of {shown}: another process is migrating this \
                 database (giving up after {} s; see --lock-timeout)",
                wait.timeout.as_secs_f64()
            );
            noticed = true;
        }
        tokio::time::sleep(pause.min(wait.timeout - waited)).await;
        pause = (pause * 2).min(MAX_PAUSE);
    }
}

/// A lock a server keeps for a session (PostgreSQL's advisory locks, MySQL's user locks),
/// taken on a connection of its own so that the migration's transactions cannot release it,
/// and released by its own statement or when that connection ends with the process.
pub(crate) struct SessionLock<C> {
    conn: C,
    key: LockKey,
    release: &'static str,
}

/// What a session lock is called: PostgreSQL takes a number, MySQL a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LockKey {
    /// `pg_try_advisory_lock(bigint)`.
    Number(i64),
    /// `GET_LOCK(name, timeout)`.
    Name(String),
}

impl<C> std::fmt::Debug for SessionLock<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionLock")
            .field("key", &self.key)
            .finish()
    }
}

impl<C> SessionLock<C>
where
    C: sqlx::Connection,
    for<'c> &'c mut C: sqlx::Executor<'c, Database = C::Database>,
    C::Database: books::Driver,
    for<'t> i64: sqlx::Encode<'t, C::Database> + sqlx::Type<C::Database>,
    for<'t> String: sqlx::Encode<'t, C::Database> + sqlx::Type<C::Database>,
    for<'r> Option<i64>: sqlx::Decode<'r, C::Database> + sqlx::Type<C::Database>,
    usize: sqlx::ColumnIndex<<C::Database as sqlx::Database>::Row>,
{
    /// Polls `try_sql` (one placeholder for the key; it returns 1 when the lock is taken) on
    /// `conn` until it takes the lock or `wait` runs out (see [`poll`]).
    pub async fn take(
        mut conn: C,
        key: LockKey,
        try_sql: &'static str,
        release: &'static str,
        shown: &str,
        wait: LockWait,
    ) -> Result<SessionLock<C>, DbError> {
        let lock_conn = &mut conn;
        poll(shown, wait, async || {
            let got: Option<i64> = bind(sqlx::query_scalar(try_sql), &key)
                .fetch_one(&mut *lock_conn)
                .await
                .map_err(DbError::query)?;
            Ok(got == Some(1))
        })
        .await?;
        Ok(SessionLock { conn, key, release })
    }

    /// Releases the lock and closes its connection.
    pub async fn release(mut self) -> Result<(), DbError> {
        let _: Option<i64> = bind(sqlx::query_scalar(self.release), &self.key)
            .fetch_one(&mut self.conn)
            .await
            .map_err(DbError::query)?;
        self.conn.close().await.map_err(DbError::query)
    }
}

fn bind<'q, DB, O>(
    query: sqlx::query::QueryScalar<'q, DB, O, <DB as sqlx::Database>::Arguments>,
    key: &LockKey,
) -> sqlx::query::QueryScalar<'q, DB, O, <DB as sqlx::Database>::Arguments>
where
    DB: sqlx::Database,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    match key {
        LockKey::Number(n) => query.bind(*n),
        LockKey::Name(name) => query.bind(name.clone()),
    }
}

/// A stable key for the lock of `version_table` in `database`: the first 8 bytes of a SHA-256,
/// as PostgreSQL's advisory locks take a `bigint`.
pub(crate) fn key(database: &str, version_table: &str) -> i64 {
    let digest = Sha256::digest(format!("outflow migrations\0{database}\0{version_table}"));
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// A lock name of at most 64 characters (MySQL's limit for `GET_LOCK`).
pub(crate) fn name(database: &str, version_table: &str) -> String {
    format!("outflow:{:016x}", key(database, version_table))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_depend_on_database_and_table() {
        assert_eq!(key("a", "v"), key("a", "v"));
        assert_ne!(key("a", "v"), key("b", "v"));
        assert_ne!(key("a", "v"), key("a", "w"));
        assert_ne!(key("ab", "c"), key("a", "bc"));
        assert!(name("a", "v").len() <= 64);
    }

    #[tokio::test]
    async fn gives_up_after_the_timeout_naming_the_database() {
        let mut tries = 0;
        let wait = LockWait {
            timeout: Duration::from_millis(50),
        };
        let err = poll("db.sqlite", wait, async || {
            tries += 1;
            Ok(false)
        })
        .await
        .unwrap_err();
        assert!(tries >= 2, "{tries}");
        assert!(err.to_string().contains("db.sqlite"), "{err}");
        let mut tries = 0;
        poll("x", wait, async || {
            tries += 1;
            Ok(tries == 2)
        })
        .await
        .unwrap();
        assert_eq!(tries, 2);
    }
}
