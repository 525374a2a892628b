//! Outflow: a data-pipeline framework whose database layer turns Rust model structs into
//! Alembic-style revisions.
//!
//! Layers, each knowing only the ones above it in this list:
//! [`schema`] (dialect-free values) -> `dialect` (introspect, normalise, render) -> `diff`
//! (schema x schema -> operations) -> `ops` (operations with a reverse) -> `revision` (files,
//! graph) -> `runner` (version table, transactions) -> `cli`. See `ARCHITECTURE.md`.

extern crate self as outflow;

pub mod schema;

pub mod dialect;
pub mod diff;
pub mod model;
pub mod ops;
pub mod revision;

pub use model::{Model, Plugin};
pub use outflow_macros::{Model, embed_revisions};

/// What revision files use.
pub mod migration {
    /// `use outflow::migration::prelude::*;` at the top of every revision file.
    pub mod prelude {
        pub use crate::ops::{DialectName, Operations, alter};
        pub use crate::schema::{Action, Type, column, foreign_key, index, table};
    }
}
