//! A pipeline: the plugins a binary is made of, their commands and tasks, running a command
//! and recording its run. The command line that drives it is the CLI's (`outflow::pipeline!()`).
//!
//! Layer: above `store`, `config`, `model`, `revision` and `schema`; it never calls the CLI
//! and prints nothing but what a task prints.

mod context;
pub(crate) mod execute;
mod flow;
pub mod framework;
mod plugin;
mod track;

use std::path::Path;

pub use context::Context;
pub use execute::PipelineError;
pub use flow::{Command, Task, TaskError, TaskFailure, Workflow};
pub use plugin::Plugin;

use crate::model::Catalog;

/// The plugins of a pipeline binary and where its sources are: the [`Catalog`] of their models
/// and revisions, and their commands. `outflow::pipeline!()` makes one inside the command line
/// that runs it (the CLI's `App`).
///
/// ```
/// use outflow::{Pipeline, Plugin};
///
/// let pipeline = Pipeline::new(".").plugin(Plugin::new("tuto.data_reduction"));
/// let names: Vec<&str> = pipeline.catalog().plugins().iter().map(|p| p.name()).collect();
/// assert_eq!(names, ["outflow", "tuto.data_reduction"]);
/// ```
#[derive(Debug, Clone)]
pub struct Pipeline {
    catalog: Catalog,
    /// Every plugin's commands, with the plugin's name.
    commands: Vec<(String, Command)>,
}

impl Pipeline {
    /// A pipeline with only the framework's own plugin; `source_dir` is the crate's folder
    /// (use [`pipeline!`](macro@crate::pipeline) to get it right).
    pub fn new(source_dir: impl Into<std::path::PathBuf>) -> Pipeline {
        Pipeline {
            catalog: Catalog::new(source_dir),
            commands: Vec::new(),
        }
        .plugin(framework::plugin())
    }

    /// Adds a plugin.
    pub fn plugin(mut self, plugin: Plugin) -> Pipeline {
        let (models, commands) = plugin.into_parts();
        let name = models.name().to_string();
        self.commands
            .extend(commands.into_iter().map(|c| (name.clone(), c)));
        self.catalog.push(models);
        self
    }

    /// The models and revisions of every plugin, the framework's own first.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Every command, with the name of the plugin that declares it.
    pub fn commands(&self) -> impl Iterator<Item = (&str, &Command)> {
        self.commands.iter().map(|(p, c)| (p.as_str(), c))
    }

    /// The command called `name`, with the name of the plugin that declares it.
    pub fn find_command(&self, name: &str) -> Option<(&str, &Command)> {
        self.commands().find(|(_, c)| c.name() == name)
    }

    /// The crate folder the pipeline was built from.
    pub fn source_dir(&self) -> &Path {
        self.catalog.source_dir()
    }
}
