//! The migration lock and the applied log on MySQL and MariaDB.
//!
//! The lock is a named user lock (`GET_LOCK`) on a connection of its own, polled so that the
//! command can say it waits and give up after `--lock-timeout`. Its name hashes the database
//! and the version table (user locks are server-wide). The server releases it when the
//! connection ends, so a killed migration never leaves it behind.

use sqlx::mysql::MySqlConnection;
use sqlx::{AssertSqlSafe, Connection};

use super::MySqlDb;
use super::render::Q;
use crate::dialect::DbError;
use crate::dialect::applied::{self, LogRow, NewRow};
use crate::dialect::lock::{self, LockWait};

impl MySqlDb {
    /// Takes the migration lock of this database and version table.
    pub async fn lock(&mut self, version_table: &str, wait: LockWait) -> Result<(), DbError> {
        if self.lock.is_some() {
            return Ok(());
        }
        let mut conn = MySqlConnection::connect_with(&self.options)
            .await
            .map_err(|e| DbError::Open {
                target: self.shown.clone(),
                message: message(&e),
            })?;
        let name = lock::name(self.options.get_database().unwrap_or(""), version_table);
        let lock_conn = &mut conn;
        lock::poll(&self.shown, wait, async || {
            let got: Option<i64> = sqlx::query_scalar("SELECT GET_LOCK(?, 0)")
                .bind(&name)
                .fetch_one(&mut *lock_conn)
                .await
                .map_err(DbError::query)?;
            Ok(got == Some(1))
        })
        .await?;
        self.lock = Some((conn, name));
        Ok(())
    }

    /// Releases the migration lock (closing its connection would too).
    pub async fn unlock(&mut self) -> Result<(), DbError> {
        let Some((mut conn, name)) = self.lock.take() else {
            return Ok(());
        };
        sqlx::query("SELECT RELEASE_LOCK(?)")
            .bind(&name)
            .execute(&mut conn)
            .await
            .map_err(DbError::query)?;
        conn.close().await.map_err(DbError::query)
    }

    /// Writes one row of the applied log on its own (outside any step).
    pub(crate) async fn write_log_row(
        &mut self,
        version_table: &str,
        row: &NewRow,
    ) -> Result<(), DbError> {
        let ddl = log_table_sql(version_table);
        sqlx::raw_sql(AssertSqlSafe(ddl))
            .execute(&mut self.conn)
            .await
            .map_err(DbError::query)?;
        write_log(&mut self.conn, version_table, row).await
    }

    /// Every row of the applied log, oldest first; empty when there is no log yet.
    pub async fn applied_log(&mut self, version_table: &str) -> Result<Vec<LogRow>, DbError> {
        let table = applied::log_table(version_table);
        let exists: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() \
             AND table_name = ?",
        )
        .bind(&table)
        .fetch_optional(&mut self.conn)
        .await
        .map_err(DbError::query)?;
        if exists.is_none() {
            return Ok(Vec::new());
        }
        let sql = applied::select(Q, &Q.ident(&table));
        sqlx::query(AssertSqlSafe(sql))
            .fetch_all(&mut self.conn)
            .await
            .map_err(DbError::query)?
            .iter()
            .map(|r| applied::read_row(r).map_err(DbError::query))
            .collect()
    }
}

/// The applied log's DDL.
pub fn log_table_sql(version_table: &str) -> String {
    let table = Q.ident(&applied::log_table(version_table));
    applied::ddl(
        Q,
        &table,
        "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY",
        "LONGTEXT",
        " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    )
}

/// Writes one row of the applied log.
pub(super) async fn write_log(
    conn: &mut MySqlConnection,
    version_table: &str,
    row: &NewRow,
) -> Result<(), DbError> {
    let table = Q.ident(&applied::log_table(version_table));
    let sql = applied::insert(Q, &table, |_| "?".to_string());
    applied::bound(sql.clone(), row)
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(|e| DbError::Statement {
            sql,
            message: message(&e),
        })
}

fn message(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db.message().to_string(),
        other => other.to_string(),
    }
}
