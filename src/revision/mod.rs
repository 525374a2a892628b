//! Revisions: metadata, the pure revision graph, embedding and code generation.
//!
//! Layer: above `ops` and `schema`, the only modules it may use: the graph and the code
//! generator know no SQL, no database and no plugin (plugins give their revision sets to
//! [`load::Revisions::load`]).

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
