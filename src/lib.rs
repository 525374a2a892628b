//! Outflow: a data-pipeline framework whose database layer turns Rust model structs into
//! Alembic-style revisions.
//!
//! Layers, each using only the ones before it in this list (checked by `tests/layers.rs`):
//! [`schema`] (dialect-free values) -> [`ops`] (operations with a reverse) -> [`diff`]
//! (schema x schema -> operations) -> [`revision`] (files, graph, code generation) ->
//! [`model`] (models, the catalog of plugins' models and revisions) -> [`dialect`]
//! (introspect, normalise, render, run; one folder per database behind one contract) ->
//! [`config`] -> [`store`] (rows at run time) -> [`runner`] (the plan, the lock, the version
//! table) -> [`autogen`] (models vs database) -> [`pipeline`](mod@pipeline) (plugins, commands, runs) ->
//! [`cli`]. See `ARCHITECTURE.md`.
//!
//! A pipeline binary is a few lines:
//!
//! ```no_run
//! use outflow::{Model, Plugin};
//!
//! #[derive(Model)]
//! #[model(unique(input_value, multiplier))]
//! pub struct ComputationResult {
//!     #[column(primary_key)]
//!     pub id_computation_result: i32,
//!     pub input_value: i32,
//!     pub multiplier: i32,
//!     pub result: i32,
//! }
//!
//! fn main() -> std::process::ExitCode {
//!     outflow::pipeline!()
//!         .plugin(
//!             Plugin::new("tuto.data_reduction")
//!                 .model::<ComputationResult>()
//!                 .revisions(outflow::embed_revisions!("revisions")),
//!         )
//!         .run()
//! }
//! ```

extern crate self as outflow;

pub mod autogen;
pub mod cli;
pub mod config;
pub mod dialect;
pub mod diff;
pub mod lint;
pub mod model;
pub mod ops;
pub mod pipeline;
pub mod revision;
pub mod runner;
pub mod schema;
pub mod store;
pub mod testing;

pub use model::{DbEnum, Model};
pub use outflow_macros::{DbEnum, Model, embed_revisions};

/// The sqlx Outflow is built with: pipelines query their models with it
/// (`outflow::sqlx::query_as::<_, ComputationResult>(...)`), without a second dependency to
/// keep in step.
pub use sqlx;

/// What the derive macros' expansions refer to; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use sqlx;
}
pub use model::DuplicateTable;
pub use pipeline::{Pipeline, Plugin};

/// The logging macros tasks use (`outflow::tracing::info!`), without a second dependency.
pub use tracing;

/// What revision files use.
pub mod migration {
    /// `use outflow::migration::prelude::*;` at the top of every revision file.
    pub mod prelude {
        pub use crate::ops::{DataError, DataResult, DialectName, Operations, Row, Rows, alter};
        pub use crate::schema::value::Value;
        pub use crate::schema::{
            Action, NumberingKind, ObjectKind, Type, check, column, exclusion, foreign_key, index,
            key_column, key_expr, numbering, object, primary_key, table, unique,
        };
    }
}
