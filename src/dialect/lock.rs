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

use super::DbError;

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
