//! The `tuto.data_reduction` plugin.

pub mod models;

use outflow::Plugin;

/// The plugin: its models and the revisions that create their tables.
pub fn plugin() -> Plugin {
    Plugin::new("tuto.data_reduction")
        .model::<models::ComputationResult>()
        .revisions(outflow::embed_revisions!("revisions"))
}
