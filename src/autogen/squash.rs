//! `db squash <from>:<to>`: a linear run of revisions replaced by one revision holding their
//! operations, in order (Django's `squashmigrations`).
//!
//! The squash keeps the id of the run's last revision, so every database at the end of the run
//! or past it, and every revision that builds on it, needs nothing: its header lists the ids
//! it replaces (`Replaces:`) and the checksum the last one had (`Replaced checksum:`), which
//! `db verify` and `upgrade` accept as the applied source. A database in the middle of the run
//! is refused by the graph with the way out. A run is refused where replacing it would change
//! what another revision or a database means: a branch point or a merge inside it, a
//! dependency on a revision inside it, revisions of several plugins, or a data step (its Rust
//! code cannot be written back into a file).

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::place::Placement;
use super::{Autogen, AutogenError, Written, write};
use crate::ops::{Operation, Operations};
use crate::revision::load::LoadedRevision;

/// What `db squash` is asked for.
#[derive(Debug, Clone, Default)]
pub struct SquashRequest {
    /// `<from>:<to>`: the first and the last revision of the run (ids, partial ids or labels).
    pub range: String,
    /// `--message`; default: one naming the run.
    pub message: Option<String>,
}

/// Why a run cannot be squashed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SquashError {
    /// The range is not `<from>:<to>`.
    #[error("'{range}' is not a range to squash: give `<first revision>:<last revision>`")]
    BadRange {
        /// The range given.
        range: String,
    },
    /// `to` does not descend from `from` through single parents.
    #[error(
        "revisions {from} to {to} are not a linear run: {why}; squash a run where each revision has the one before it as its only parent"
    )]
    NotLinear {
        /// The first revision.
        from: String,
        /// The last revision.
        to: String,
        /// What breaks the line.
        why: String,
    },
    /// A run of one revision.
    #[error("{from}:{to} holds one revision: there is nothing to squash")]
    Single {
        /// The first revision.
        from: String,
        /// The last revision.
        to: String,
    },
    /// Something outside the run refers to a revision inside it.
    #[error(
        "revision {id} cannot be squashed away: {why}; squash a run that ends there, or one that does not hold it"
    )]
    Referenced {
        /// The revision inside the run.
        id: String,
        /// Who refers to it.
        why: String,
    },
    /// The run holds revisions of several plugins.
    #[error(
        "{from}:{to} holds revisions of several plugins ({plugins}); squash a run of one plugin's branch"
    )]
    SeveralPlugins {
        /// The first revision.
        from: String,
        /// The last revision.
        to: String,
        /// The plugins.
        plugins: String,
    },
    /// A revision of the run has a data step.
    #[error(
        "revision {id} runs the Rust data step '{step}' in its {function}: its code cannot be written into the squashed file; squash the revisions before it or after it"
    )]
    DataStep {
        /// The revision.
        id: String,
        /// `upgrade` or `downgrade`.
        function: &'static str,
        /// The step's name.
        step: String,
    },
    /// The database is inside the run.
    #[error(
        "database '{label}' is at revision {id}, inside the run: upgrade it to {to} first, then squash (a database in the middle of a squashed run cannot go on)"
    )]
    DatabaseInside {
        /// Database label.
        label: String,
        /// The applied revision inside the run.
        id: String,
        /// The last revision.
        to: String,
    },
}

/// The run, first revision first.
struct Run<'r> {
    revisions: Vec<&'r LoadedRevision>,
}

impl Run<'_> {
    fn ids(&self) -> Vec<String> {
        self.revisions
            .iter()
            .map(|r| r.embedded.id.to_string())
            .collect()
    }
}

impl Autogen<'_> {
    /// Replaces the run `request.range` by one revision; returns it. The replaced files are
    /// deleted once the new one is written.
    pub async fn squash(&self, request: &SquashRequest) -> Result<Written, AutogenError> {
        self.check_disk()?;
        let run = self.squash_run(&request.range)?;
        let ids = run.ids();
        let (first, last) = (run.revisions[0], run.revisions[ids.len() - 1]);
        self.refuse_database_inside(&ids).await?;
        let Squashed {
            upgrade,
            downgrade,
            irreversible,
        } = squashed_operations(&run)?;
        let message = request.message.clone().unwrap_or_else(|| {
            format!(
                "Squash of {} revisions, {} to {}",
                ids.len(),
                first.embedded.id,
                last.embedded.id
            )
        });
        if message.trim().is_empty() {
            return Err(AutogenError::BlankMessage);
        }
        let plugin = self.select(Some(&first.plugin))?[0];
        let placement = Placement {
            down_revisions: strings(first.embedded.down_revision),
            branch_labels: union(&run, |r| r.embedded.branch_labels),
            depends_on: union(&run, |r| r.embedded.depends_on)
                .into_iter()
                .filter(|d| !ids.contains(d))
                .collect(),
        };
        let before = self
            .migrator
            .replayed(&placement.down_revisions)
            .map_err(AutogenError::Run)?;
        let header = vec![
            format!("Replaces: {}", ids[..ids.len() - 1].join(", ")),
            format!(
                "Replaced checksum: {}",
                crate::runner::checksum(last.embedded.source)
            ),
        ];
        let prepared = write::prepare(
            self,
            plugin,
            write::Contents {
                id: last.embedded.id,
                message: &message,
                placement: &placement,
                upgrade: &upgrade,
                downgrade: &downgrade,
                irreversible: irreversible.as_deref(),
                header: &header,
            },
            &before,
        )?;
        let old: Vec<PathBuf> = run.revisions.iter().map(|r| r.path.clone()).collect();
        let written = prepared.write()?;
        remove_replaced(&old, &written)?;
        Ok(written)
    }

    /// Refuses a squash while the database is at a revision of the run other than its last.
    async fn refuse_database_inside(&self, ids: &[String]) -> Result<(), AutogenError> {
        let inner = &ids[..ids.len() - 1];
        for id in self.migrator.current_heads().await? {
            if inner.contains(&id) {
                let to = ids[ids.len() - 1].clone();
                let label = self.label().to_string();
                return Err(SquashError::DatabaseInside { label, id, to }.into());
            }
        }
        Ok(())
    }

    /// The run `range` names, checked: linear, one plugin, referred to from outside only
    /// through its last revision.
    fn squash_run(&self, range: &str) -> Result<Run<'_>, AutogenError> {
        let revisions = self.migrator.revisions();
        let graph = &revisions.graph;
        let bad = || SquashError::BadRange {
            range: range.to_string(),
        };
        let (from, to) = range.split_once(':').ok_or_else(bad)?;
        let one = |given: &str| -> Result<String, AutogenError> {
            match graph.resolve(given, &[]).map_err(Box::new)?.as_slice() {
                [id] => Ok(id.clone()),
                _ => Err(bad().into()),
            }
        };
        let (from, to) = (one(from)?, one(to)?);
        let mut chain = vec![to.clone()];
        while chain.last() != Some(&from) {
            let id = chain.last().cloned().unwrap_or_default();
            let parents = &graph
                .get(&id)
                .map(|r| r.down_revisions.clone())
                .unwrap_or_default();
            let why = match parents.as_slice() {
                [parent] => {
                    chain.push(parent.clone());
                    continue;
                }
                [] => format!("{from} is not an ancestor of {to}"),
                _ => format!("{id} is a merge"),
            };
            return Err(SquashError::NotLinear { from, to, why }.into());
        }
        chain.reverse();
        if chain.len() < 2 {
            return Err(SquashError::Single { from, to }.into());
        }
        self.refuse_references(&chain)?;
        let run = Run {
            revisions: chain.iter().map(|id| revisions.get(id)).collect(),
        };
        let plugins: BTreeSet<&str> = run.revisions.iter().map(|r| r.plugin.as_str()).collect();
        if plugins.len() > 1 {
            let plugins = plugins.into_iter().collect::<Vec<_>>().join(", ");
            return Err(SquashError::SeveralPlugins { from, to, plugins }.into());
        }
        Ok(run)
    }

    /// Refuses a run whose inner revisions (all but the last) another revision builds on or
    /// depends on.
    fn refuse_references(&self, chain: &[String]) -> Result<(), AutogenError> {
        let graph = &self.migrator.revisions().graph;
        let inner = &chain[..chain.len() - 1];
        for id in graph.topological() {
            let Some(revision) = graph.get(id) else {
                continue;
            };
            let inside = chain.iter().any(|c| c == id);
            for parent in &revision.down_revisions {
                let child_of_inner = inner.contains(parent);
                let next_in_run = inside
                    && chain.iter().position(|c| c == id)
                        == chain.iter().position(|c| c == parent).map(|p| p + 1);
                if child_of_inner && !next_in_run {
                    return Err(SquashError::Referenced {
                        id: parent.clone(),
                        why: format!("revision {id} builds on it (a branch point)"),
                    }
                    .into());
                }
            }
            for dependency in &revision.depends_on {
                if let Some(target) = inner.iter().find(|i| i.starts_with(dependency.as_str()))
                    && !inside
                {
                    return Err(SquashError::Referenced {
                        id: target.clone(),
                        why: format!("revision {id} depends on it"),
                    }
                    .into());
                }
            }
        }
        Ok(())
    }
}

/// What the squashed revision records.
struct Squashed {
    upgrade: Vec<Operation>,
    downgrade: Vec<Operation>,
    /// Why the downgrade cannot run, when one of the run's downgrades says so.
    irreversible: Option<String>,
}

/// The run's upgrades in order, its downgrades in reverse order, and why the downgrade cannot
/// run when one of them says so.
fn squashed_operations(run: &Run<'_>) -> Result<Squashed, SquashError> {
    let mut upgrade = Vec::new();
    let mut downgrade = Vec::new();
    let mut reasons = Vec::new();
    for revision in &run.revisions {
        let ops = revision.upgrade_recorded();
        refuse_data_steps(revision, "upgrade", &ops)?;
        upgrade.extend(ops.into_vec());
    }
    for revision in run.revisions.iter().rev() {
        let ops = revision.downgrade_recorded();
        refuse_data_steps(revision, "downgrade", &ops)?;
        if let Some(reason) = ops.irreversible_reason() {
            reasons.push(format!("{}: {reason}", revision.embedded.id));
        }
        downgrade.extend(ops.into_vec());
    }
    let irreversible = (!reasons.is_empty()).then(|| reasons.join("; "));
    Ok(Squashed {
        upgrade,
        downgrade,
        irreversible,
    })
}

fn refuse_data_steps(
    revision: &LoadedRevision,
    function: &'static str,
    ops: &Operations,
) -> Result<(), SquashError> {
    match ops.as_slice().iter().find_map(|op| match op {
        Operation::RunRust(step) => Some(step.name.clone()),
        _ => None,
    }) {
        Some(step) => Err(SquashError::DataStep {
            id: revision.embedded.id.to_string(),
            function,
            step,
        }),
        None => Ok(()),
    }
}

/// Deletes the files of the replaced revisions (the last one's too, when the new message gave
/// the squash another file name).
fn remove_replaced(old: &[PathBuf], written: &Written) -> Result<(), AutogenError> {
    for path in old.iter().filter(|p| **p != written.path) {
        std::fs::remove_file(path).map_err(|e| AutogenError::Remove {
            path: path.clone(),
            message: e.to_string(),
        })?;
    }
    Ok(())
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Every value `field` gives across the run, once each, in order.
fn union(run: &Run<'_>, field: impl Fn(&LoadedRevision) -> &[&'static str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for revision in &run.revisions {
        for item in field(revision) {
            if !out.iter().any(|o| o == item) {
                out.push(item.to_string());
            }
        }
    }
    out
}
