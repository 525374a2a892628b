//! Changes to the version table.

/// A change to the version table (one row per applied head), as Alembic makes them: a new
/// branch inserts a row, a step along a branch updates it, a merge deletes all parents' rows
/// but one and updates that one, reaching base deletes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionChange {
    /// A new head row.
    Insert(String),
    /// A head row moves.
    Update {
        /// Old head.
        from: String,
        /// New head.
        to: String,
    },
    /// A head row goes.
    Delete(String),
}

impl std::fmt::Display for VersionChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VersionChange::Insert(id) => write!(f, "inserting head '{id}'"),
            VersionChange::Update { from, to } => write!(f, "moving head '{from}' to '{to}'"),
            VersionChange::Delete(id) => write!(f, "deleting head '{id}'"),
        }
    }
}
