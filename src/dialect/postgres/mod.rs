//! PostgreSQL (placeholder until the dialect lands).

use crate::dialect::{DbError, OpenMode, ServerTarget, Step};
use crate::diff::Compare;
use crate::schema::Schema;

/// PostgreSQL's normal form.
#[derive(Debug, Clone, Copy, Default)]
pub struct PgCompare;

impl Compare for PgCompare {}

/// A connection to a PostgreSQL database.
#[derive(Debug)]
pub struct PgDb;

impl PgDb {
    /// Connects.
    pub async fn open(_target: &ServerTarget, _mode: OpenMode) -> Result<PgDb, DbError> {
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
