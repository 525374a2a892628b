//! Errors at the command-line edge, and their exit codes.

use crate::autogen::AutogenError;
use crate::config::ConfigError;
use crate::dialect::DbError;
use crate::pipeline::PipelineError;
use crate::runner::RunError;
use crate::schema::SchemaError;
use crate::store::StoreError;

/// Anything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A usage or input problem (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The config.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Running migrations.
    #[error(transparent)]
    Run(#[from] RunError),
    /// Autogenerate.
    #[error(transparent)]
    Autogen(#[from] AutogenError),
    /// The database.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A schema description.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// A pipeline command.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// A database at run time.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<crate::revision::graph::GraphError> for CliError {
    fn from(e: crate::revision::graph::GraphError) -> CliError {
        CliError::Run(RunError::from(e))
    }
}

impl CliError {
    /// 2 for usage and input errors, 3 for database errors, 4 when a task of the pipeline
    /// failed.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Pipeline(PipelineError::TaskFailed { .. }) => 4,
            CliError::Pipeline(PipelineError::Args(_) | PipelineError::NotUpgraded { .. }) => 2,
            CliError::Pipeline(PipelineError::Store(e)) | CliError::Store(e) => store_code(e),
            CliError::Usage(_) | CliError::Config(_) | CliError::Schema(_) => 2,
            CliError::Db(_) => 3,
            CliError::Run(e) => run_code(e),
            CliError::Autogen(AutogenError::Run(e)) => run_code(e),
            CliError::Autogen(_) => 2,
        }
    }
}

fn store_code(e: &StoreError) -> u8 {
    match e {
        StoreError::Config(_)
        | StoreError::Missing { .. }
        | StoreError::UnknownColumn { .. }
        | StoreError::DryRun => 2,
        _ => 3,
    }
}

fn run_code(e: &RunError) -> u8 {
    match e {
        RunError::Config(_)
        | RunError::Graph(_)
        | RunError::Edited(_)
        | RunError::NotApplied(_)
        | RunError::Unrunnable(_)
        | RunError::Irreversible(_)
        | RunError::NotScriptable(_) => 2,
        RunError::Db(_) | RunError::Revision(_) => 3,
    }
}
