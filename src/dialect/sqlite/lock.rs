//! The migration lock on SQLite: a write transaction (`BEGIN IMMEDIATE`) held from before the
//! version table is read until the command ends. SQLite lets one writer in at a time, and the
//! operating system drops the transaction when the process dies, so nothing stale is left.

use super::connect::exec;
use super::{SqliteDb, db_message};
use crate::dialect::DbError;
use crate::dialect::lock::{self, LockWait};

/// How long a statement waits for another connection's write lock, outside [`SqliteDb::lock`].
pub(super) const BUSY_TIMEOUT_MS: u32 = 5_000;

impl SqliteDb {
    /// Takes the migration lock: a write transaction kept open until [`SqliteDb::unlock`].
    pub async fn lock(&mut self, wait: LockWait) -> Result<(), DbError> {
        if self.locked {
            return Ok(());
        }
        // Short waits inside SQLite, so that the poll can say it is waiting and give up in time.
        exec(&mut self.conn, "PRAGMA busy_timeout = 50").await?;
        let shown = self.path.display().to_string();
        let conn = &mut self.conn;
        let taken = lock::poll(&shown, wait, async || {
            match sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut *conn).await {
                Ok(_) => Ok(true),
                Err(e) if is_busy(&e) => Ok(false),
                Err(e) => Err(DbError::failure(db_message(&e))),
            }
        })
        .await;
        let restored = exec(
            &mut self.conn,
            &format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"),
        )
        .await;
        taken?;
        self.locked = true;
        restored
    }

    /// Commits the steps run under the lock and releases it.
    pub async fn unlock(&mut self) -> Result<(), DbError> {
        if !std::mem::take(&mut self.locked) {
            return Ok(());
        }
        exec(&mut self.conn, "COMMIT").await
    }
}

fn is_busy(e: &sqlx::Error) -> bool {
    // SQLITE_BUSY (5) and its extended codes.
    matches!(e, sqlx::Error::Database(db) if db.code().and_then(|c| c.parse::<i32>().ok()).is_some_and(|c| c & 0xff == 5))
}
