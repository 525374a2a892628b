//! What a task sees of its run: the command's arguments, the config, the databases.

use std::any::Any;

use crate::config::Config;
use crate::model::{DEFAULT_DATABASE, Model};
use crate::store::{Databases, Db, StoreError};

/// The run as a task sees it.
///
/// ```no_run
/// use outflow::pipeline::Context;
///
/// #[derive(clap::Args)]
/// struct ComputeArgs {
///     #[arg(long)]
///     multiplier: i32,
/// }
///
/// fn compute(ctx: &mut Context, raw_data: i32) -> anyhow::Result<i32> {
///     let multiplier = ctx.args::<ComputeArgs>().multiplier;
///     if !ctx.dry_run() {
///         let db = ctx.db()?; // the `default` database
///     }
///     Ok(raw_data * multiplier)
/// }
/// ```
pub struct Context<'a> {
    pub(crate) args: &'a dyn Any,
    pub(crate) command: &'a str,
    pub(crate) config: &'a Config,
    /// `None` on a dry run.
    pub(crate) databases: Option<&'a Databases>,
    pub(crate) run_uuid: Option<&'a str>,
}

impl Context<'_> {
    /// The command's parsed arguments.
    ///
    /// # Panics
    /// When `A` is not the command's argument type (a programming error).
    pub fn args<A: 'static>(&self) -> &A {
        self.args.downcast_ref::<A>().unwrap_or_else(|| {
            panic!(
                "command '{}' does not take {} as its arguments",
                self.command,
                std::any::type_name::<A>()
            )
        })
    }

    /// The command's name.
    pub fn command_name(&self) -> &str {
        self.command
    }

    /// The pipeline's config (`config.yml`).
    pub fn config(&self) -> &Config {
        self.config
    }

    /// Whether this is a dry run: no database is opened, nothing is recorded.
    pub fn dry_run(&self) -> bool {
        self.databases.is_none()
    }

    /// The run's UUID (its `outflow_run.uuid`), when the run is recorded.
    pub fn run_uuid(&self) -> Option<&str> {
        self.run_uuid
    }

    /// The `default` database.
    pub fn db(&self) -> Result<Db, StoreError> {
        self.db_for(DEFAULT_DATABASE)
    }

    /// The database `label` of `config.yml`.
    pub fn db_for(&self, label: &str) -> Result<Db, StoreError> {
        self.databases.ok_or(StoreError::DryRun)?.get(label)
    }

    /// The database model `M` lives in.
    pub fn db_of<M: Model>(&self) -> Result<Db, StoreError> {
        self.db_for(M::DATABASE)
    }
}
