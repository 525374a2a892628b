//! Opening the pools of a pipeline's databases, once per label, when a task first asks.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::{Db, StoreError};
use crate::config::Config;
use crate::dialect::pool::Pool;
use crate::dialect::rows::Syntax;
use crate::dialect::{Target, redact};

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
            db.block_on(db.pool.close());
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
        if !target.exists() {
            return Err(StoreError::Missing {
                label: label.to_string(),
                target: target.display(),
            });
        }
        let pool = runtime.block_on(Pool::open(target)).map_err(fail)?;
        let schema = target.server_target().and_then(|s| s.schema.clone());
        let dialect = pool.dialect();
        Ok(Db {
            label: label.to_string(),
            pool,
            syntax: Syntax { dialect, schema },
            runtime,
        })
    }
}
