//! Revisions: metadata, the pure revision graph, embedding and code generation.

mod embedded;

pub use embedded::{EmbeddedRevision, RevisionSet};
