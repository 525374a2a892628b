//! A pipeline: the plugins a binary is made of, their commands and tasks, and the entry point
//! of its command line.

mod context;
pub(crate) mod execute;
mod flow;
mod track;

use std::path::{Path, PathBuf};

pub use context::Context;
pub use execute::PipelineError;
pub use flow::{Command, Task, TaskError, TaskFailure, Workflow};
use std::process::ExitCode;

use crate::model::Plugin;
use crate::schema::{Schema, Table};

/// The plugins of a pipeline binary and where its sources are.
///
/// ```no_run
/// use outflow::{Pipeline, Plugin};
///
/// fn main() -> std::process::ExitCode {
///     outflow::pipeline!()
///         .plugin(Plugin::new("tuto.data_reduction"))
///         .run()
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Pipeline {
    source_dir: PathBuf,
    plugins: Vec<Plugin>,
}

/// A pipeline whose sources are the calling crate's (its `schema/` folder is written there).
#[macro_export]
macro_rules! pipeline {
    () => {
        $crate::Pipeline::new(env!("CARGO_MANIFEST_DIR"))
    };
}

/// Two plugins declare the same table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "table '{table}' of database '{label}' is declared by the models of both '{first}' and '{second}'; a table belongs to one plugin"
)]
pub struct DuplicateTable {
    /// The table.
    pub table: String,
    /// The database label.
    pub label: String,
    /// One plugin.
    pub first: String,
    /// The other.
    pub second: String,
}

impl Pipeline {
    /// A pipeline with only the framework's own plugin; `source_dir` is the crate's folder
    /// (use [`pipeline!`](crate::pipeline) to get it right).
    pub fn new(source_dir: impl Into<PathBuf>) -> Pipeline {
        Pipeline {
            source_dir: source_dir.into(),
            plugins: vec![crate::core::plugin()],
        }
    }

    /// Adds a plugin.
    pub fn plugin(mut self, plugin: Plugin) -> Pipeline {
        self.plugins.push(plugin);
        self
    }

    /// The plugins, the framework's own first.
    pub fn plugins(&self) -> &[Plugin] {
        &self.plugins
    }

    /// The command called `name`, with the plugin that declares it.
    pub fn find_command(&self, name: &str) -> Option<(&Plugin, &Command)> {
        self.plugins.iter().find_map(|p| {
            p.commands()
                .iter()
                .find(|c| c.name() == name)
                .map(|c| (p, c))
        })
    }

    /// The plugin called `name`.
    pub fn find_plugin(&self, name: &str) -> Option<&Plugin> {
        self.plugins.iter().find(|p| p.name() == name)
    }

    /// The crate folder the pipeline was built from.
    pub fn source_dir(&self) -> &Path {
        &self.source_dir
    }

    /// `schema/<label>.yml`: the description of every model of `label` at head.
    pub fn schema_file(&self, label: &str) -> PathBuf {
        self.source_dir.join("schema").join(format!("{label}.yml"))
    }

    /// Every model table of database `label`, all plugins together.
    pub fn models(&self, label: &str) -> Result<Schema, DuplicateTable> {
        let mut schema = Schema::new();
        let mut owner: std::collections::BTreeMap<String, &str> = Default::default();
        for plugin in &self.plugins {
            for table in plugin.tables_in(label) {
                if let Some(first) = owner.insert(table.name.clone(), plugin.name()) {
                    return Err(DuplicateTable {
                        table: table.name,
                        label: label.to_string(),
                        first: first.to_string(),
                        second: plugin.name().to_string(),
                    });
                }
                schema.insert(sorted(table));
            }
        }
        Ok(schema)
    }

    /// Runs the command line (`db ...` and the pipeline's commands) and returns the exit code.
    pub fn run(self) -> ExitCode {
        crate::cli::main(self)
    }
}

fn sorted(mut table: Table) -> Table {
    table.sort_constraints();
    table
}
