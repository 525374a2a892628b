//! MySQL (placeholder until the dialect lands).

use crate::dialect::{DbError, OpenMode, ServerTarget, Step};
use crate::diff::Compare;
use crate::schema::Schema;

/// MySQL's normal form.
#[derive(Debug, Clone, Copy, Default)]
pub struct MySqlCompare;

impl Compare for MySqlCompare {}

/// A connection to a MySQL database.
#[derive(Debug)]
pub struct MySqlDb;

impl MySqlDb {
    /// Connects.
    pub async fn open(_target: &ServerTarget, _mode: OpenMode) -> Result<MySqlDb, DbError> {
        todo!()
    }
    /// Every table of the schema but `skip`.
    pub async fn introspect(&mut self, _skip: &[&str]) -> Result<Schema, DbError> {
        todo!()
    }
    /// Rows of the version table.
    pub async fn version_rows(&mut self, _table: &str) -> Result<Option<Vec<String>>, DbError> {
        todo!()
    }
    /// Runs a step.
    pub async fn run_step(&mut self, _step: &Step<'_>) -> Result<(), DbError> {
        todo!()
    }
    /// Whether the schema has no table.
    pub async fn is_empty(&mut self) -> Result<bool, DbError> {
        todo!()
    }
}
