//! Comparing the revision files on disk with the ones compiled into the binary.
//!
//! Revisions are embedded at build time. A file added, edited or deleted since the build is
//! not what the binary would run, so commands that write revisions refuse until `cargo build`
//! (or `cargo run`) has picked the change up.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::RevisionSet;

/// A revision folder that does not match the running build.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DiskError {
    /// A file on disk the build does not have.
    #[error(
        "revision file {0} is not in this build (added after the binary was built); rebuild with `cargo build` or use `cargo run`, then run again"
    )]
    NotInBuild(PathBuf),
    /// A file whose text differs from the built one.
    #[error(
        "revision file {0} changed since the binary was built; rebuild with `cargo build` or use `cargo run`, then run again"
    )]
    Changed(PathBuf),
    /// A built file no longer on disk.
    #[error(
        "revision file {0} was deleted after the binary was built; rebuild with `cargo build` or use `cargo run`, then run again"
    )]
    Deleted(PathBuf),
    /// The folder could not be read.
    #[error("cannot read revision folder {path}: {message}")]
    Unreadable {
        /// The folder.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// Checks that the files under `set.dir` are exactly the embedded ones. A folder that does not
/// exist matches an empty set (a deployed binary has no sources: it then finds embedded files
/// "deleted", which is right for the commands that write revisions).
pub fn check(set: &RevisionSet) -> Result<(), DiskError> {
    let on_disk = read_folder(Path::new(set.dir))?;
    let mut embedded: BTreeMap<PathBuf, &str> = BTreeMap::new();
    for rev in set.revisions {
        embedded.insert(
            Path::new(set.dir).join(rev.db_label).join(rev.file_name),
            rev.source,
        );
    }
    for (path, text) in &on_disk {
        match embedded.get(path) {
            None => return Err(DiskError::NotInBuild(path.clone())),
            Some(built) if normalise(built) != normalise(text) => {
                return Err(DiskError::Changed(path.clone()));
            }
            Some(_) => {}
        }
    }
    if let Some(path) = embedded.keys().find(|p| !on_disk.contains_key(*p)) {
        return Err(DiskError::Deleted(path.clone()));
    }
    Ok(())
}

/// Line endings do not make a different revision.
fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Every `<dir>/<label>/*.rs` file and its text.
fn read_folder(dir: &Path) -> Result<BTreeMap<PathBuf, String>, DiskError> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return Ok(out);
    }
    let unreadable = |path: &Path, e: std::io::Error| DiskError::Unreadable {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    for label in std::fs::read_dir(dir).map_err(|e| unreadable(dir, e))? {
        let label = label.map_err(|e| unreadable(dir, e))?.path();
        if !label.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&label).map_err(|e| unreadable(&label, e))? {
            let path = file.map_err(|e| unreadable(&label, e))?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.extension().is_some_and(|e| e == "rs") && !name.starts_with('.') {
                let text = std::fs::read_to_string(&path).map_err(|e| unreadable(&path, e))?;
                out.insert(path, text);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revision::EmbeddedRevision;

    fn noop(_: &mut crate::ops::Operations) {}

    fn set(dir: &Path, files: &'static [EmbeddedRevision]) -> RevisionSet {
        RevisionSet {
            dir: Box::leak(dir.display().to_string().into_boxed_str()),
            revisions: files,
        }
    }

    const ONE: &[EmbeddedRevision] = &[EmbeddedRevision {
        db_label: "default",
        file_name: "abc_first.rs",
        source: "//! first\n",
        id: "abc",
        down_revision: &[],
        branch_labels: &[],
        depends_on: &[],
        upgrade: noop,
        downgrade: noop,
    }];

    #[test]
    fn files_must_match_the_build() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(check(&set(dir.path(), &[])), Ok(()));
        let label = dir.path().join("default");
        std::fs::create_dir(&label).unwrap();
        std::fs::write(label.join("README.md"), "not a revision").unwrap();
        assert_eq!(
            check(&set(dir.path(), ONE)),
            Err(DiskError::Deleted(label.join("abc_first.rs")))
        );
        std::fs::write(label.join("abc_first.rs"), "//! first\r\n").unwrap();
        assert_eq!(check(&set(dir.path(), ONE)), Ok(()));
        std::fs::write(label.join("abc_first.rs"), "//! edited\n").unwrap();
        assert_eq!(
            check(&set(dir.path(), ONE)),
            Err(DiskError::Changed(label.join("abc_first.rs")))
        );
        std::fs::write(label.join("abc_first.rs"), "//! first\n").unwrap();
        std::fs::write(label.join("def_second.rs"), "//! new\n").unwrap();
        let err = check(&set(dir.path(), ONE)).unwrap_err();
        assert_eq!(err, DiskError::NotInBuild(label.join("def_second.rs")));
        assert!(
            err.to_string()
                .contains("def_second.rs is not in this build")
        );
    }
}
