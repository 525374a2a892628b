//! Errors at the command-line edge, and their exit codes.

use crate::autogen::AutogenError;
use crate::config::ConfigError;
use crate::dialect::DbError;
use crate::runner::RunError;
use crate::schema::SchemaError;

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
}

impl From<crate::revision::graph::GraphError> for CliError {
    fn from(e: crate::revision::graph::GraphError) -> CliError {
        CliError::Run(RunError::from(e))
    }
}

impl CliError {
    /// 2 for usage and input errors, 3 for database errors.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::Config(_) | CliError::Schema(_) => 2,
            CliError::Db(_) => 3,
            CliError::Run(e) => run_code(e),
            CliError::Autogen(AutogenError::Run(e)) => run_code(e),
            CliError::Autogen(_) => 2,
        }
    }
}

fn run_code(e: &RunError) -> u8 {
    match e {
        RunError::Config(_)
        | RunError::Graph(_)
        | RunError::Edited(_)
        | RunError::NotApplied(_) => 2,
        RunError::Db(_) | RunError::Revision(_) => 3,
    }
}
