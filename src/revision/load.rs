//! The revisions of one database label, gathered from every plugin into one graph.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::EmbeddedRevision;
use super::graph::{GraphError, Revision, RevisionGraph};
use crate::ops::{Operation, Operations};

/// A compiled revision and where it comes from.
#[derive(Debug, Clone)]
pub struct LoadedRevision {
    /// The plugin whose folder holds it.
    pub plugin: String,
    /// The compiled file.
    pub embedded: &'static EmbeddedRevision,
    /// The file's path at build time.
    pub path: PathBuf,
}

impl LoadedRevision {
    /// The revision's message: the first line of its header.
    pub fn message(&self) -> String {
        message_of(self.embedded.source)
    }

    /// The ids this revision replaces, when it is a squash (`//! Replaces: a, b` in its
    /// header).
    pub fn replaces(&self) -> Vec<String> {
        header_value(self.embedded.source, "Replaces:")
            .map(|ids| {
                ids.split(',')
                    .map(str::trim)
                    .filter(|id| !id.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The checksum the revision's file had before a squash rewrote it (`//! Replaced
    /// checksum:`): databases that applied that file have applied this revision.
    pub fn replaced_checksum(&self) -> Option<String> {
        header_value(self.embedded.source, "Replaced checksum:").map(str::to_string)
    }

    /// The operations `upgrade` records.
    pub fn upgrade_ops(&self) -> Vec<Operation> {
        let mut op = Operations::new();
        (self.embedded.upgrade)(&mut op);
        op.into_vec()
    }

    /// What `upgrade` records, with the line of the file each operation comes from.
    pub fn upgrade_recorded(&self) -> Operations {
        let mut op = Operations::new();
        (self.embedded.upgrade)(&mut op);
        op
    }

    /// The operations `downgrade` records.
    pub fn downgrade_ops(&self) -> Vec<Operation> {
        self.downgrade_recorded().into_vec()
    }

    /// What `downgrade` records, with its lines and whether it says it cannot run.
    pub fn downgrade_recorded(&self) -> Operations {
        let mut op = Operations::new();
        (self.embedded.downgrade)(&mut op);
        op
    }
}

/// The value of a `//! Key: value` line of the header (the `//!` lines at the top).
fn header_value<'s>(source: &'s str, key: &str) -> Option<&'s str> {
    source
        .lines()
        .map_while(|l| l.strip_prefix("//!"))
        .find_map(|l| l.trim().strip_prefix(key))
        .map(str::trim)
}

/// The first line of a revision file's `//!` header.
pub fn message_of(source: &str) -> String {
    source
        .lines()
        .find_map(|l| l.strip_prefix("//!").map(str::trim))
        .filter(|m| !m.is_empty())
        .unwrap_or("(no message)")
        .to_string()
}

/// Every revision of database `label`, with the graph they form.
#[derive(Debug)]
pub struct Revisions {
    /// The graph.
    pub graph: RevisionGraph,
    /// Revisions by id.
    pub by_id: BTreeMap<String, LoadedRevision>,
}

impl Revisions {
    /// Gathers the revisions of `label` from every plugin's set (`(plugin name, set)`) and
    /// validates the graph.
    pub fn load<'s>(
        sets: impl IntoIterator<Item = (&'s str, &'s super::RevisionSet)>,
        label: &str,
    ) -> Result<Revisions, GraphError> {
        let mut loaded = Vec::new();
        for (plugin, set) in sets {
            for embedded in set.revisions.iter().filter(|r| r.db_label == label) {
                let path = PathBuf::from(set.dir)
                    .join(embedded.db_label)
                    .join(embedded.file_name);
                loaded.push(LoadedRevision {
                    plugin: plugin.to_string(),
                    embedded,
                    path,
                });
            }
        }
        let graph = RevisionGraph::new(loaded.iter().map(|r| Revision {
            id: r.embedded.id.to_string(),
            down_revisions: strings(r.embedded.down_revision),
            branch_labels: strings(r.embedded.branch_labels),
            depends_on: strings(r.embedded.depends_on),
            origin: Some(r.path.display().to_string()),
            replaces: r.replaces(),
        }))?;
        let by_id = loaded
            .into_iter()
            .map(|r| (r.embedded.id.to_string(), r))
            .collect();
        Ok(Revisions { graph, by_id })
    }

    /// The revision called `id` (which the graph knows).
    pub fn get(&self, id: &str) -> &LoadedRevision {
        &self.by_id[id]
    }

    /// The revisions of `plugin`, parents first.
    pub fn of_plugin<'a>(
        &'a self,
        plugin: &'a str,
    ) -> impl Iterator<Item = &'a LoadedRevision> + 'a {
        self.graph
            .topological()
            .into_iter()
            .map(|id| &self.by_id[id])
            .filter(move |r| r.plugin == plugin)
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_is_the_first_header_line() {
        assert_eq!(
            message_of("//! Add table 'x'\n//!\n//! Revision ID: a\n"),
            "Add table 'x'"
        );
        assert_eq!(message_of("//!\n"), "(no message)");
        assert_eq!(message_of("use x;"), "(no message)");
    }
}
