//! Revisions compiled into the binary by `embed_revisions!`.

use crate::ops::Operations;

/// One revision file, compiled in. Built by `outflow::embed_revisions!`; not meant to be written
/// by hand.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedRevision {
    /// The database label: the name of the folder the file is in (`revisions/<label>/`).
    pub db_label: &'static str,
    /// The file name (`<rev>_<slug>.rs`).
    pub file_name: &'static str,
    /// The file's text when it was compiled (for checksums and the "not in this build" check).
    pub source: &'static str,
    /// `REVISION`.
    pub id: &'static str,
    /// `DOWN_REVISION`: the parents (several for a merge, none for a base).
    pub down_revision: &'static [&'static str],
    /// `BRANCH_LABELS`.
    pub branch_labels: &'static [&'static str],
    /// `DEPENDS_ON`.
    pub depends_on: &'static [&'static str],
    /// `upgrade`.
    pub upgrade: fn(&mut Operations),
    /// `downgrade`.
    pub downgrade: fn(&mut Operations),
}

impl EmbeddedRevision {
    /// A revision of the `default` label made in code, for tests and benchmarks that build a
    /// graph without files: its file name is its id and its source one comment line.
    ///
    /// ```
    /// use outflow::revision::EmbeddedRevision;
    /// fn nothing(_: &mut outflow::ops::Operations) {}
    /// static CHAIN: [EmbeddedRevision; 2] = [
    ///     EmbeddedRevision::in_code("a00000000001", &[], nothing, nothing),
    ///     EmbeddedRevision::in_code("a00000000002", &["a00000000001"], nothing, nothing),
    /// ];
    /// assert_eq!(CHAIN[1].down_revision, ["a00000000001"]);
    /// ```
    pub const fn in_code(
        id: &'static str,
        down_revision: &'static [&'static str],
        upgrade: fn(&mut Operations),
        downgrade: fn(&mut Operations),
    ) -> EmbeddedRevision {
        EmbeddedRevision {
            db_label: "default",
            file_name: id,
            source: "//! a revision made in code\n",
            id,
            down_revision,
            branch_labels: &[],
            depends_on: &[],
            upgrade,
            downgrade,
        }
    }
}

/// The revisions of one plugin: the folder they were read from and the compiled files.
#[derive(Debug, Clone, Copy)]
pub struct RevisionSet {
    /// Absolute path of the plugin's `revisions` folder at build time.
    pub dir: &'static str,
    /// The compiled revision files, sorted by label then file name.
    pub revisions: &'static [EmbeddedRevision],
}
