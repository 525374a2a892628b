//! The tables in which every tracked run is recorded, in the `default` database: as in the
//! original Outflow (`outflow_configuration`, `outflow_run`, `outflow_block`, `outflow_edge`,
//! `outflow_runtime_exception`), with names given to every constraint.

use chrono::{DateTime, Utc};

use crate::{DbEnum, Model};

/// Where a run or a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, DbEnum)]
#[db_enum(name = "outflow_state")]
pub enum State {
    /// Not started.
    Pending,
    /// Started, not finished.
    Running,
    /// Stopped by an error.
    Failed,
    /// Done.
    Success,
    /// Not run, because an earlier task failed.
    Skipped,
}

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, DbEnum)]
#[db_enum(name = "outflow_block_type")]
pub enum BlockType {
    /// One task.
    Task,
    /// A group of tasks.
    Workflow,
}

/// A configuration runs were made with, stored once: `hash` is the SHA-256 of the canonical
/// JSON of `config` and `settings`.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct OutflowConfiguration {
    #[column(primary_key, autoincrement)]
    pub id: i64,
    /// `config.yml` without its databases (which hold credentials).
    pub config: serde_json::Value,
    /// The pipeline's settings: its plugins and Outflow's version.
    pub settings: serde_json::Value,
    #[column(unique, length = 64)]
    pub hash: String,
}

/// One execution of a command.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct OutflowRun {
    #[column(primary_key, autoincrement)]
    pub id: i64,
    #[column(unique, length = 36)]
    pub uuid: String,
    pub start_time: Option<DateTime<Utc>>,
    pub end_time: Option<DateTime<Utc>>,
    #[column(db_enum)]
    pub state: State,
    #[column(length = 256)]
    pub hostname: Option<String>,
    #[column(index, foreign_key = "outflow_configuration.id")]
    pub configuration_id: i64,
    #[column(length = 256)]
    pub command_name: Option<String>,
}

/// One task (or workflow) of a run, with its targets: `{"name": {"type": "i32"}}`.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct OutflowBlock {
    #[column(primary_key, autoincrement)]
    pub id: i64,
    #[column(unique, length = 36)]
    pub uuid: String,
    pub start_time: Option<DateTime<Utc>>,
    pub end_time: Option<DateTime<Utc>>,
    #[column(db_enum)]
    pub state: State,
    #[column(length = 256)]
    pub hostname: Option<String>,
    #[column(name = "type", db_enum)]
    pub block_type: BlockType,
    #[column(length = 256)]
    pub plugin: Option<String>,
    #[column(length = 256)]
    pub name: String,
    #[column(index, foreign_key = "outflow_run.id")]
    pub run_id: i64,
    pub input_targets: serde_json::Value,
    pub output_targets: serde_json::Value,
    pub input_values: Option<serde_json::Value>,
    #[column(foreign_key = "outflow_block.id")]
    pub parent_id: Option<i64>,
}

/// An edge of a run's graph: `upstream` runs before `downstream` and feeds it.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct OutflowEdge {
    #[column(primary_key, foreign_key = "outflow_block.id")]
    pub upstream_block_id: i64,
    #[column(primary_key, index, foreign_key = "outflow_block.id")]
    pub downstream_block_id: i64,
}

/// The error that stopped a block: its type, message and the chain of causes.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct OutflowRuntimeException {
    #[column(primary_key, autoincrement)]
    pub id: i64,
    #[column(index, foreign_key = "outflow_block.id")]
    pub block_id: Option<i64>,
    #[column(length = 256)]
    pub exception_type: String,
    pub exception_msg: String,
    pub traceback: String,
    pub time: DateTime<Utc>,
}
