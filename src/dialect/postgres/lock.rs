//! The migration lock on PostgreSQL: a session advisory lock (`pg_try_advisory_lock`) on a
//! connection of its own ([`SessionLock`]), polled so that the command can say it waits and
//! give up after `--lock-timeout`. Its key hashes the database, the schema and the version
//! table. The server releases it when the connection ends, so a killed migration never leaves
//! it behind.

use sqlx::{Connection, PgConnection};

use super::connect::db_message;
use super::{PgDb, types};
use crate::dialect::DbError;
use crate::dialect::lock::{self, LockKey, LockWait, SessionLock};

impl PgDb {
    /// Takes the migration lock of this database, schema and version table.
    pub async fn lock(&mut self, version_table: &str, wait: LockWait) -> Result<(), DbError> {
        if self.lock.is_some() {
            return Ok(());
        }
        let mut conn = PgConnection::connect_with(&self.options)
            .await
            .map_err(|e| DbError::Open {
                target: self.shown.clone(),
                message: db_message(&e),
                source: Some(e),
            })?;
        let database: String = sqlx::query_scalar("SELECT current_database()::text")
            .fetch_one(&mut conn)
            .await
            .map_err(DbError::query)?;
        let key = lock::key(&database, &types::qualified(&self.schema, version_table));
        self.lock = Some(
            SessionLock::take(
                conn,
                LockKey::Number(key),
                "SELECT pg_try_advisory_lock($1)::int::int8",
                "SELECT pg_advisory_unlock($1)::int::int8",
                &self.shown,
                wait,
            )
            .await?,
        );
        Ok(())
    }

    /// Releases the migration lock (closing its connection would too).
    pub async fn unlock(&mut self) -> Result<(), DbError> {
        match self.lock.take() {
            Some(held) => held.release().await,
            None => Ok(()),
        }
    }
}
