//! Changes to the version table: values the revision graph plans and the dialects run, so
//! both depend on this leaf and neither on the other.

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

/// The heads once `changes` are made to a version table holding `before`, sorted.
///
/// ```
/// use outflow::revision::VersionChange;
/// use outflow::ops::version::heads_after;
/// let before = ["a".to_string(), "b".to_string()];
/// let changes = [VersionChange::Delete("a".into()), VersionChange::Update { from: "b".into(), to: "c".into() }];
/// assert_eq!(heads_after(&before, &changes), ["c"]);
/// ```
pub fn heads_after(before: &[String], changes: &[VersionChange]) -> Vec<String> {
    let mut rows = before.to_vec();
    for change in changes {
        match change {
            VersionChange::Insert(id) => rows.push(id.clone()),
            VersionChange::Update { from, to } => {
                if let Some(row) = rows.iter_mut().find(|r| *r == from) {
                    *row = to.clone();
                }
            }
            VersionChange::Delete(id) => rows.retain(|r| r != id),
        }
    }
    rows.sort();
    rows
}
