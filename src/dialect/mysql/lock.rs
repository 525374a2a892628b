//! The migration lock on MySQL and MariaDB: a named user lock (`GET_LOCK`) on a connection of
//! its own ([`SessionLock`]), polled so that the command can say it waits and give up after
//! `--lock-timeout`. Its name hashes the database and the version table (user locks are
//! server-wide). The server releases it when the connection ends, so a killed migration never
//! leaves it behind.

use sqlx::Connection;
use sqlx::mysql::MySqlConnection;

use super::MySqlDb;
use super::connect::message;
use crate::dialect::DbError;
use crate::dialect::lock::{self, LockKey, LockWait, SessionLock};

impl MySqlDb {
    /// Takes the migration lock of this database and version table.
    pub async fn lock(&mut self, version_table: &str, wait: LockWait) -> Result<(), DbError> {
        if self.lock.is_some() {
            return Ok(());
        }
        let conn = MySqlConnection::connect_with(&self.options)
            .await
            .map_err(|e| DbError::Open {
                target: self.shown.clone(),
                message: message(&e),
                source: Some(e),
            })?;
        let name = lock::name(self.options.get_database().unwrap_or(""), version_table);
        self.lock = Some(
            SessionLock::take(
                conn,
                LockKey::Name(name),
                "SELECT GET_LOCK(?, 0)",
                "SELECT RELEASE_LOCK(?)",
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
