//! The `tuto.data_reduction` plugin: a model, the revisions that create its table, and the
//! `compute_data` command.

pub mod commands;
pub mod models;
pub mod tasks;

use outflow::Plugin;

/// The plugin: its models, its command and the revisions that create its tables.
pub fn plugin() -> Plugin {
    Plugin::new("tuto.data_reduction")
        .model::<models::ComputationResult>()
        .command(commands::compute_data())
        .revisions(outflow::embed_revisions!("revisions"))
}
