//! Where a new revision goes: its parents, branch labels and dependencies.

use std::collections::{BTreeMap, BTreeSet};

use super::{Autogen, AutogenError, Request, Snapshot};
use crate::model::PluginModels;
use crate::ops::{Constraint, Operation};

/// The graph fields of a new revision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Placement {
    /// `DOWN_REVISION`.
    pub down_revisions: Vec<String>,
    /// `BRANCH_LABELS`.
    pub branch_labels: Vec<String>,
    /// `DEPENDS_ON`.
    pub depends_on: Vec<String>,
}

impl Autogen<'_> {
    /// The plugin's branch head (or `--head`), its label for a first revision, and the
    /// dependencies: other plugins' branches whose tables new foreign keys reference, plus
    /// `--depends-on`.
    pub(super) fn placement(
        &self,
        plugin: &PluginModels,
        request: &Request,
        ops: &[Operation],
        snapshot: &Snapshot,
        new_heads: &BTreeMap<String, String>,
    ) -> Result<Placement, AutogenError> {
        let first = self.branch_head(plugin.name())?.is_none();
        let down_revisions = match &request.head {
            Some(head) => self.explicit_parent(head, request.splice)?,
            None => self.branch_head(plugin.name())?.into_iter().collect(),
        };
        let branch_labels = if first && down_revisions.is_empty() {
            vec![plugin.name().to_string()]
        } else {
            Vec::new()
        };
        let mut depends_on = self.foreign_key_dependencies(plugin, ops, snapshot, new_heads)?;
        for given in &request.depends_on {
            depends_on.insert(self.dependency(given)?);
        }
        depends_on.retain(|d| !down_revisions.contains(d));
        Ok(Placement {
            down_revisions,
            branch_labels,
            depends_on: depends_on.into_iter().collect(),
        })
    }

    /// `--head`: `base` for a new root, else exactly one revision, which must be a head unless
    /// `--splice`.
    fn explicit_parent(&self, head: &str, splice: bool) -> Result<Vec<String>, AutogenError> {
        let graph = &self.migrator.revisions().graph;
        let found = graph.resolve(head, &[]).map_err(Box::new)?;
        match found.as_slice() {
            [] => Ok(Vec::new()),
            [one] if splice || graph.versioned_heads().contains(&one.as_str()) => {
                Ok(vec![one.clone()])
            }
            [one] => Err(AutogenError::NotAHead {
                revision: one.clone(),
            }),
            several => Err(AutogenError::SeveralParents {
                target: head.to_string(),
                revisions: several.join(", "),
            }),
        }
    }

    /// `--depends-on`: a branch label is kept as written; anything else must name one revision.
    fn dependency(&self, given: &str) -> Result<String, AutogenError> {
        let graph = &self.migrator.revisions().graph;
        if graph.label_heads(given).is_ok() {
            return Ok(given.to_string());
        }
        let found = graph.resolve(given, &[]).map_err(Box::new)?;
        match found.as_slice() {
            [one] => Ok(one.clone()),
            other => Err(AutogenError::SeveralParents {
                target: given.to_string(),
                revisions: other.join(", "),
            }),
        }
    }

    /// The other plugins' branch heads that new foreign keys need created first.
    fn foreign_key_dependencies(
        &self,
        plugin: &PluginModels,
        ops: &[Operation],
        snapshot: &Snapshot,
        new_heads: &BTreeMap<String, String>,
    ) -> Result<BTreeSet<String>, AutogenError> {
        let mut deps = BTreeSet::new();
        for referenced in referenced_tables(ops) {
            let Some(owner) = snapshot.ownership.owner_of(&referenced) else {
                continue;
            };
            if owner == plugin.name() {
                continue;
            }
            if let Some(id) = new_heads.get(owner) {
                deps.insert(id.clone());
            } else if let Some(head) = self.branch_head(owner)? {
                deps.insert(head);
            }
        }
        Ok(deps)
    }

    /// The head of `plugin`'s branch; `None` when the plugin has no revision yet.
    pub(super) fn branch_head(&self, plugin: &str) -> Result<Option<String>, AutogenError> {
        let revisions = self.migrator.revisions();
        if revisions.of_plugin(plugin).next().is_none() {
            return Ok(None);
        }
        let heads =
            revisions
                .graph
                .label_heads(plugin)
                .map_err(|_| AutogenError::UnlabelledBranch {
                    plugin: plugin.to_string(),
                })?;
        match heads.as_slice() {
            [one] => Ok(Some(one.to_string())),
            several => Err(AutogenError::SeveralHeads {
                plugin: plugin.to_string(),
                heads: several.join(", "),
            }),
        }
    }
}

/// Tables that the foreign keys created by `ops` reference.
fn referenced_tables(ops: &[Operation]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for op in ops {
        match op {
            Operation::CreateTable(t) => {
                out.extend(t.foreign_keys.iter().map(|f| f.ref_table.clone()))
            }
            Operation::AddConstraint {
                constraint: Constraint::ForeignKey(f),
                ..
            } => {
                out.insert(f.ref_table.clone());
            }
            _ => {}
        }
    }
    out
}
