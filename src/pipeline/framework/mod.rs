//! The framework's own plugin, `outflow`: its tables record the runs of the pipeline's
//! commands; they live in the same databases as the pipeline's, on their own branch, with
//! revisions in the top-level `revisions/` folder.

pub mod models;

use super::Plugin;
use crate::model::FRAMEWORK_PLUGIN;

/// The framework's plugin: the tables that record runs (see [`models`]).
pub fn plugin() -> Plugin {
    Plugin::new(FRAMEWORK_PLUGIN)
        .model::<models::OutflowConfiguration>()
        .model::<models::OutflowRun>()
        .model::<models::OutflowBlock>()
        .model::<models::OutflowEdge>()
        .model::<models::OutflowRuntimeException>()
        .revisions(crate::embed_revisions!("../../../revisions"))
}
