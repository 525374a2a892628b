//! Recording a run in the framework's tables: its configuration (stored once per hash), the
//! run, one block per task with the edges between them, every state change committed as it
//! happens, and the error that stopped a task.

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Utc;
use sha2::{Digest, Sha256};

use super::flow::{Step, TaskFailure};
use crate::config::Config;
use crate::model::{DbEnum, Model};
use crate::pipeline::framework::models::{
    BlockType, OutflowBlock, OutflowConfiguration, OutflowEdge, OutflowRun,
    OutflowRuntimeException, State,
};
use crate::store::{Db, StoreError};

/// `Tracker::running` once the run's end is recorded: an interruption then changes nothing.
const FINISHED: usize = usize::MAX - 1;

/// A run being recorded.
pub(crate) struct Tracker {
    db: Db,
    run_id: i64,
    blocks: Vec<i64>,
    hostname: Option<String>,
    /// The block running now (`usize::MAX`: none), for an interruption to record.
    running: AtomicUsize,
    /// The run's UUID.
    pub uuid: String,
}

/// What identifies a configuration: `config.yml` without its databases, and the settings.
pub(crate) fn configuration(config: &Config, settings: serde_json::Value) -> OutflowConfiguration {
    let mut document = config
        .file()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .and_then(|text| yaml_serde::from_str::<serde_json::Value>(&text).ok())
        .filter(serde_json::Value::is_object)
        .unwrap_or_else(|| serde_json::json!({}));
    if let Some(map) = document.as_object_mut() {
        // Credentials never reach the tables; where the databases are is not the run's concern.
        map.remove("databases");
        map.remove("logging");
    }
    // serde_json's maps are sorted: the text is canonical.
    let mut hasher = Sha256::new();
    hasher.update(document.to_string());
    hasher.update("\n");
    hasher.update(settings.to_string());
    let hash = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    OutflowConfiguration {
        id: 0,
        config: document,
        settings,
        hash,
    }
}

impl Tracker {
    /// Records the configuration, the run (running) and its blocks (pending) with their edges.
    pub fn start(
        db: Db,
        command: &str,
        plugin: &str,
        steps: &[Step],
        configuration: OutflowConfiguration,
    ) -> Result<Tracker, StoreError> {
        let configuration_id = configuration_id(&db, &configuration)?;
        let hostname = gethostname::gethostname().into_string().ok();
        let uuid = uuid::Uuid::new_v4().to_string();
        let run = OutflowRun {
            id: 0,
            uuid: uuid.clone(),
            start_time: Some(Utc::now()),
            end_time: None,
            state: State::Running,
            hostname: hostname.clone(),
            configuration_id,
            command_name: Some(command.to_string()),
        };
        let run_id = inserted(db.insert(&run)?, OutflowRun::TABLE)?;
        let mut blocks = Vec::with_capacity(steps.len());
        for step in steps {
            let block = OutflowBlock {
                id: 0,
                uuid: uuid::Uuid::new_v4().to_string(),
                start_time: None,
                end_time: None,
                state: State::Pending,
                hostname: None,
                block_type: BlockType::Task,
                plugin: Some(plugin.to_string()),
                name: step.name.clone(),
                run_id,
                input_targets: Step::targets(&step.input),
                output_targets: Step::targets(&step.output),
                input_values: None,
                parent_id: None,
            };
            blocks.push(inserted(db.insert(&block)?, OutflowBlock::TABLE)?);
        }
        for pair in blocks.windows(2) {
            db.insert(&OutflowEdge {
                upstream_block_id: pair[0],
                downstream_block_id: pair[1],
            })?;
        }
        Ok(Tracker {
            db,
            run_id,
            blocks,
            hostname,
            running: AtomicUsize::new(usize::MAX),
            uuid,
        })
    }

    /// Block `index` is running.
    pub fn started(&self, index: usize) -> Result<(), StoreError> {
        self.running.store(index, Ordering::SeqCst);
        self.db
            .update::<OutflowBlock>()
            .set("state", State::Running.label())
            .set("start_time", Utc::now())
            .set("hostname", self.hostname.as_deref())
            .filter("id", self.blocks[index])
            .run()
            .map(drop)
    }

    /// Block `index` ended in `state` (success or failed).
    pub fn ended(&self, index: usize, state: State) -> Result<(), StoreError> {
        self.db
            .update::<OutflowBlock>()
            .set("state", state.label())
            .set("end_time", Utc::now())
            .filter("id", self.blocks[index])
            .run()
            .map(drop)
    }

    /// Blocks from `index` on never ran.
    pub fn skipped_from(&self, index: usize) -> Result<(), StoreError> {
        for &id in &self.blocks[index..] {
            self.db
                .update::<OutflowBlock>()
                .set("state", State::Skipped.label())
                .filter("id", id)
                .run()?;
        }
        Ok(())
    }

    /// Block `index` failed with `failure`: its runtime exception, with the chain of causes.
    pub fn failed(&self, index: usize, failure: &TaskFailure) -> Result<(), StoreError> {
        self.ended(index, State::Failed)?;
        self.db
            .insert(&OutflowRuntimeException {
                id: 0,
                block_id: Some(self.blocks[index]),
                exception_type: failure.type_name.chars().take(256).collect(),
                exception_msg: failure.error.to_string(),
                traceback: chain(failure.error.as_ref()),
                time: Utc::now(),
            })
            .map(drop)
    }

    /// The process was interrupted: the running block failed with `failure`, the ones after it
    /// are skipped, the run failed.
    pub fn interrupted(&self, failure: &TaskFailure) -> Result<(), StoreError> {
        let index = self.running.load(Ordering::SeqCst);
        if index == FINISHED {
            return Ok(());
        }
        if index < self.blocks.len() {
            self.failed(index, failure)?;
            self.skipped_from(index + 1)?;
        }
        self.finish(State::Failed)
    }

    /// The run ended in `state`.
    pub fn finish(&self, state: State) -> Result<(), StoreError> {
        self.running.store(FINISHED, Ordering::SeqCst);
        self.db
            .update::<OutflowRun>()
            .set("state", state.label())
            .set("end_time", Utc::now())
            .filter("id", self.run_id)
            .run()
            .map(drop)
    }
}

/// The error's message, then each cause's.
pub(crate) fn causes(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut messages = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        messages.push(cause.to_string());
        source = cause.source();
    }
    messages
}

/// The error and its causes, one per line, as `outflow_runtime_exception.traceback`.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let causes = causes(error);
    let mut lines = vec![causes[0].clone()];
    lines.extend(causes[1..].iter().map(|c| format!("caused by: {c}")));
    lines.join("\n")
}

/// The configuration's id: the stored one with the same hash, or a new one. Two runs starting
/// together may both insert; the loser reads the winner's row.
fn configuration_id(db: &Db, configuration: &OutflowConfiguration) -> Result<i64, StoreError> {
    let find = || {
        db.select::<OutflowConfiguration>()
            .filter("hash", configuration.hash.as_str())
            .first()
    };
    if let Some(found) = find()? {
        return Ok(found.id);
    }
    match db.insert(configuration) {
        Ok(id) => inserted(id, OutflowConfiguration::TABLE),
        Err(e) if e.is_unique_violation() => find()?.map(|c| c.id).ok_or(e),
        Err(e) => Err(e),
    }
}

fn inserted(id: Option<i64>, table: &str) -> Result<i64, StoreError> {
    id.ok_or_else(|| StoreError::Bind(format!("table '{table}' gave no id for the new row")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::TaskError;

    #[test]
    fn the_configuration_leaves_databases_out_and_hashes_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let yaml = "databases:\n  default:\n    dialect: sqlite\n    path: secret.db\nparameters:\n  b: 2\n  a: 1\n";
        std::fs::write(dir.path().join("config.yml"), yaml).unwrap();
        let config = Config::load(dir.path(), None).unwrap();
        let settings = serde_json::json!({"plugins": ["outflow"]});
        let first = configuration(&config, settings.clone());
        assert_eq!(
            first.config,
            serde_json::json!({"parameters": {"a": 1, "b": 2}})
        );
        assert_eq!(first.hash.len(), 64);
        assert_eq!(configuration(&config, settings).hash, first.hash);
        let other = configuration(&config, serde_json::json!({"plugins": []}));
        assert_ne!(other.hash, first.hash);
    }

    #[test]
    fn causes_follow_the_source_chain() {
        let io = std::io::Error::other("disk full");
        let outer: TaskError = Box::new(Wrapped(io));
        assert_eq!(causes(outer.as_ref()), ["cannot save", "disk full"]);
        assert_eq!(chain(outer.as_ref()), "cannot save\ncaused by: disk full");
    }

    #[derive(Debug)]
    struct Wrapped(std::io::Error);

    impl std::fmt::Display for Wrapped {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("cannot save")
        }
    }

    impl std::error::Error for Wrapped {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }
}
