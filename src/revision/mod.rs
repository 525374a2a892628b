//! Revisions: metadata, the pure revision graph, embedding and code generation.

pub mod codegen;
pub mod disk;
mod embedded;
pub mod graph;
pub mod load;

/// The version-table changes a plan makes (defined with the operations, which the dialects
/// run without knowing the graph).
pub use crate::ops::VersionChange;
pub use embedded::{EmbeddedRevision, RevisionSet};
pub use graph::{Direction, GraphError, PlanStep, Revision, RevisionGraph};
