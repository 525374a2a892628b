//! SQLite: introspection through pragmas and parsed DDL, rendering with the table rebuild, and
//! the connection the runner drives.

mod apply;
mod connect;
mod introspect;
mod lock;
mod normal;
mod plan;
mod render;
pub(crate) mod script;
mod text;
mod types;

pub use connect::SqliteDb;
pub use introspect::{Introspected, TableExtras};
pub use normal::SqliteCompare;
pub use plan::Planner;

use connect::db_message;

use super::sql::Quote;

const Q: Quote = Quote::Double;

#[cfg(test)]
mod tests;
