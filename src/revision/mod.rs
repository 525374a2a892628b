//! Revisions: metadata, the pure revision graph, embedding and code generation.

pub mod codegen;
pub mod disk;
mod embedded;
pub mod graph;
pub mod load;
pub mod version;

pub use embedded::{EmbeddedRevision, RevisionSet};
pub use graph::{Direction, GraphError, PlanStep, Revision, RevisionGraph};
pub use version::VersionChange;
