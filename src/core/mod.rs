//! The framework's own plugin, `outflow`: its tables live in the same databases as the
//! pipeline's, on their own branch, with revisions in the top-level `revisions/` folder.

pub mod models;

use crate::model::Plugin;

/// The plugin name, also the branch label of the framework's revisions.
pub const PLUGIN: &str = "outflow";

/// The framework's plugin: the tables that record runs (see [`models`]).
pub fn plugin() -> Plugin {
    Plugin::new(PLUGIN)
        .model::<models::OutflowConfiguration>()
        .model::<models::OutflowRun>()
        .model::<models::OutflowBlock>()
        .model::<models::OutflowEdge>()
        .model::<models::OutflowRuntimeException>()
        .revisions(crate::embed_revisions!("../../revisions"))
}
