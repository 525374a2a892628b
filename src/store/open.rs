//! Opening the pools of a pipeline's databases, once per label, when a task first asks.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlPoolOptions};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::sql::Syntax;
use super::{Db, Pool, StoreError};
use crate::config::Config;
use crate::dialect::{DialectName, Target, redact};

/// How long a SQLite writer waits for another process's write to finish: several pipelines
/// run at once on one file.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The databases of `config.yml`, each opened on first use and shared after.
#[derive(Debug)]
pub struct Databases {
    config: Config,
    runtime: Arc<tokio::runtime::Runtime>,
    open: Mutex<BTreeMap<String, Db>>,
}

impl Databases {
    /// The databases of `config`, opened on `runtime`.
    pub fn new(config: Config, runtime: Arc<tokio::runtime::Runtime>) -> Databases {
        Databases {
            config,
            runtime,
            open: Mutex::new(BTreeMap::new()),
        }
    }

    /// The config they come from.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The database `label`, opened now if it is not yet.
    pub fn get(&self, label: &str) -> Result<Db, StoreError> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(db) = open.get(label) {
            return Ok(db.clone());
        }
        let target = self
            .config
            .database(label)
            .map_err(|e| StoreError::Config(e.to_string()))?;
        let db = Db::open(label, target, self.runtime.clone())?;
        open.insert(label.to_string(), db.clone());
        Ok(db)
    }

    /// Closes every pool (each SQLite connection checkpoints its WAL on close).
    pub fn close(&self) {
        let open = std::mem::take(&mut *self.open.lock().unwrap_or_else(|e| e.into_inner()));
        for db in open.into_values() {
            let pool = db.pool.clone();
            db.block_on(async move {
                match pool {
                    Pool::Sqlite(p) => p.close().await,
                    Pool::Postgres(p) => p.close().await,
                    Pool::Mysql(p) => p.close().await,
                }
            });
        }
    }
}

impl Db {
    /// Opens a pool on `target`: the run-time role (`user:`) on a server when the config has
    /// one, a SQLite file in WAL mode with a busy timeout.
    fn open(
        label: &str,
        target: &Target,
        runtime: Arc<tokio::runtime::Runtime>,
    ) -> Result<Db, StoreError> {
        let fail = |message: String| StoreError::Open {
            label: label.to_string(),
            target: target.display(),
            message: redact(&message),
        };
        let (pool, schema) = runtime.block_on(async {
            match target {
                Target::Sqlite { path } => {
                    if !path.is_file() {
                        return Err(StoreError::Missing {
                            label: label.to_string(),
                            target: path.display().to_string(),
                        });
                    }
                    let options = SqliteConnectOptions::new()
                        .filename(path)
                        .journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Full)
                        .busy_timeout(SQLITE_BUSY_TIMEOUT)
                        .foreign_keys(true);
                    let pool = SqlitePoolOptions::new()
                        .max_connections(4)
                        .connect_with(options)
                        .await
                        .map_err(|e| fail(e.to_string()))?;
                    Ok((Pool::Sqlite(pool), None))
                }
                Target::Postgres(server) => {
                    let url = server.runtime_url.as_deref().unwrap_or(&server.url);
                    let mut options =
                        PgConnectOptions::from_str(url).map_err(|e| fail(e.to_string()))?;
                    if let Some(schema) = &server.schema {
                        options = options.options([("search_path", schema.as_str())]);
                    }
                    let pool = PgPoolOptions::new()
                        .max_connections(4)
                        .connect_with(options)
                        .await
                        .map_err(|e| fail(e.to_string()))?;
                    Ok((Pool::Postgres(pool), server.schema.clone()))
                }
                Target::Mysql(server) => {
                    let url = server.runtime_url.as_deref().unwrap_or(&server.url);
                    let options =
                        MySqlConnectOptions::from_str(url).map_err(|e| fail(e.to_string()))?;
                    let pool = MySqlPoolOptions::new()
                        .max_connections(4)
                        .connect_with(options)
                        .await
                        .map_err(|e| fail(e.to_string()))?;
                    Ok((Pool::Mysql(pool), None))
                }
            }
        })?;
        let dialect = match &pool {
            Pool::Sqlite(_) => DialectName::Sqlite,
            Pool::Postgres(_) => DialectName::Postgres,
            Pool::Mysql(_) => DialectName::Mysql,
        };
        Ok(Db {
            label: label.to_string(),
            pool,
            syntax: Syntax { dialect, schema },
            runtime,
        })
    }
}
