//! `db stamp`: the version-table changes that mark revisions as applied (or not) without
//! running them, following Alembic's `ScriptDirectory._stamp_revs`.

use std::collections::{BTreeMap, BTreeSet};

use super::target::{self, Command, Current, Expr, Resolver};
use super::{Edges, GraphError, RevisionGraph, VersionChange};

/// What one stamp target asks for.
enum Stamp {
    /// These revisions become rows (a no-op for those that already are).
    Revisions(Vec<usize>),
    /// These revisions and everything built on them stop being applied: a `base` target, or a
    /// relative step down to base.
    Base(Vec<usize>),
}

impl RevisionGraph {
    /// The version-table changes `db stamp` makes: `current` holds the rows, `targets` are
    /// target expressions applied one after another, and `purge` first deletes every row (then
    /// the rows need not name known revisions, and relative targets have no rows to start from).
    ///
    /// For each target, as in Alembic:
    /// - `base` deletes every row; `<label>@base` un-applies the revisions carrying the label
    ///   (and what depends on them): their rows move down to the revisions below the label when
    ///   nothing else keeps those applied, so the trunk a branch grows from stays applied, as
    ///   with `downgrade <label>@base`; `<rev>@base` does the same from the bases below `<rev>`;
    /// - a revision already among the rows is a no-op;
    /// - a revision that is an ancestor or a descendant (through parents) of some rows replaces
    ///   them: the last one is updated to it and the others are deleted (stamping up a branch,
    ///   down a branch, or onto a merge);
    /// - any other revision is inserted as a new row (another branch).
    ///
    /// `heads`, `<branch>@heads` and relative targets (resolved against `current`) designate
    /// revisions like the others. Stamping is not a downgrade: stamping a parent of a merge
    /// replaces the merge's row by that parent alone. Rows the targets do not touch are kept as
    /// they are, so if `current` is a valid set of heads (none an ancestor of another through
    /// parents), so is the result; a dependency may keep its own row.
    ///
    /// Fails without targets, on a row naming an unknown revision (without `purge`), on a
    /// target that does not resolve, and when a target would replace or un-apply a row an
    /// earlier target of the same call stamped (`stamp a b` with `a` below `b`).
    ///
    /// ```
    /// use outflow::revision::graph::{Revision, RevisionGraph};
    /// use outflow::revision::VersionChange;
    ///
    /// let rev = |id: &str, parents: &[&str]| Revision {
    ///     id: id.to_string(),
    ///     down_revisions: parents.iter().map(|p| p.to_string()).collect(),
    ///     ..Revision::default()
    /// };
    /// // a -> b1, b2
    /// let graph = RevisionGraph::new([rev("a", &[]), rev("b1", &["a"]), rev("b2", &["a"])])?;
    /// let rows = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    /// assert_eq!(
    ///     graph.stamp(&rows(&["a"]), &rows(&["b1"]), false)?,
    ///     [VersionChange::Update { from: "a".into(), to: "b1".into() }]
    /// );
    /// assert_eq!(
    ///     graph.stamp(&rows(&["b1"]), &rows(&["b2"]), false)?,
    ///     [VersionChange::Insert("b2".into())]
    /// );
    /// assert_eq!(
    ///     graph.stamp(&rows(&["b1", "b2"]), &rows(&["base"]), false)?,
    ///     [VersionChange::Delete("b1".into()), VersionChange::Delete("b2".into())]
    /// );
    /// # Ok::<(), outflow::revision::graph::GraphError>(())
    /// ```
    pub fn stamp(
        &self,
        current: &[String],
        targets: &[String],
        purge: bool,
    ) -> Result<Vec<VersionChange>, GraphError> {
        if targets.is_empty() {
            return Err(GraphError::NoStampTarget);
        }
        let mut changes = Vec::new();
        let rows = if purge {
            let purged: BTreeSet<&String> = current.iter().collect();
            changes.extend(purged.into_iter().map(|r| VersionChange::Delete(r.clone())));
            self.current(&[])?
        } else {
            self.current(current).map_err(|e| match e {
                GraphError::UnknownCurrent { id } => GraphError::StampUnknownCurrent { id },
                other => other,
            })?
        };
        let stamps = targets
            .iter()
            .map(|target| self.stamp_target(target, &rows))
            .collect::<Result<Vec<_>, _>>()?;
        let mut stamper = Stamper {
            graph: self,
            targets,
            rows: rows.rows.iter().copied().collect(),
            stamped: BTreeMap::new(),
            changes,
        };
        for (position, stamp) in stamps.into_iter().enumerate() {
            match stamp {
                Stamp::Revisions(revisions) => revisions
                    .into_iter()
                    .try_for_each(|revision| stamper.revision(position, revision))?,
                Stamp::Base(roots) => stamper.base(position, roots)?,
            }
        }
        Ok(stamper.changes)
    }

    fn stamp_target(&self, target: &str, rows: &Current) -> Result<Stamp, GraphError> {
        let expr = target::parse(target)?;
        let resolver = Resolver {
            graph: self,
            target,
            current: rows,
            command: Command::Stamp,
        };
        let destination = resolver.destination(expr)?;
        // A base designates the revisions below what it removes (none for plain `base`), so it
        // is handled by what it removes; so is a relative step down to base.
        if matches!(expr, Expr::Base(_)) || destination.revisions.is_empty() {
            return Ok(Stamp::Base(destination.roots.unwrap_or_default()));
        }
        Ok(Stamp::Revisions(destination.revisions))
    }
}

/// The rows as the targets change them, one after another.
struct Stamper<'g> {
    graph: &'g RevisionGraph,
    targets: &'g [String],
    rows: BTreeSet<usize>,
    /// The rows an earlier target of this call stamped, with that target's position: a later
    /// target removing one of them contradicts it.
    stamped: BTreeMap<usize, usize>,
    changes: Vec<VersionChange>,
}

impl Stamper<'_> {
    /// Makes `revision` a row, replacing the rows on its line of history.
    fn revision(&mut self, position: usize, revision: usize) -> Result<(), GraphError> {
        if self.rows.contains(&revision) {
            self.stamped.entry(revision).or_insert(position);
            return Ok(());
        }
        let graph = self.graph;
        let below = graph.closure([revision], Edges::Parents);
        let above = graph.closure([revision], Edges::Children);
        let related: Vec<usize> = self
            .rows
            .iter()
            .copied()
            .filter(|&r| below[r] || above[r])
            .collect();
        if let Some((&row, &earlier)) = related
            .iter()
            .find_map(|r| self.stamped.get(r).map(|e| (r, e)))
        {
            let (ancestor, descendant) = if below[row] {
                (row, revision)
            } else {
                (revision, row)
            };
            return Err(GraphError::StampConflict {
                first: self.targets[earlier].clone(),
                second: self.targets[position].clone(),
                ancestor: graph.id(ancestor).to_string(),
                descendant: graph.id(descendant).to_string(),
            });
        }
        self.replace(&related, &[revision]);
        self.stamped.insert(revision, position);
        Ok(())
    }

    /// Un-applies `roots` and everything built on them (through children and dependents): their
    /// rows go, and the revisions left applied get rows where no remaining row implies them.
    fn base(&mut self, position: usize, roots: Vec<usize>) -> Result<(), GraphError> {
        let graph = self.graph;
        let reverted = graph.closure(roots, Edges::Descendants);
        let (mut removed, kept): (Vec<usize>, Vec<usize>) =
            self.rows.iter().partition(|&&r| reverted[r]);
        if removed.is_empty() {
            return Ok(());
        }
        let applied = graph.closure(self.rows.iter().copied(), Edges::Ancestors);
        let implied = graph.closure(kept.iter().copied(), Edges::Ancestors);
        let remaining = |i: usize| applied[i] && !reverted[i];
        let added: Vec<usize> = (0..graph.len())
            .filter(|&i| remaining(i) && !implied[i])
            .filter(|&i| !graph.nodes[i].children.iter().any(|&c| remaining(c)))
            .collect();
        // A kept row below a new one (kept apart only by a removed dependent) stops being a head.
        let below_added = graph.closure(added.iter().copied(), Edges::Parents);
        removed.extend(kept.iter().copied().filter(|&r| below_added[r]));
        removed.sort_unstable();
        if let Some((&row, &earlier)) = removed
            .iter()
            .find_map(|r| self.stamped.get(r).map(|e| (r, e)))
        {
            return Err(GraphError::StampBaseConflict {
                target: self.targets[earlier].clone(),
                base: self.targets[position].clone(),
                id: graph.id(row).to_string(),
            });
        }
        self.replace(&removed, &added);
        Ok(())
    }

    /// Swaps rows `removed` (sorted) for `added` (sorted, none of them rows), as Alembic's
    /// merges and unmerges do: each added row takes the place of a removed row (an update),
    /// preferably one it is an ancestor of; the other removed rows are deleted and the other
    /// added rows inserted. The last removed rows move first, as in an Alembic merge.
    fn replace(&mut self, removed: &[usize], added: &[usize]) {
        let graph = self.graph;
        let mut partner: Vec<Option<usize>> = vec![None; removed.len()];
        let mut taken = vec![false; added.len()];
        if added.len() > 1 {
            for (k, &row) in removed.iter().enumerate().rev() {
                let below = graph.closure([row], Edges::Ancestors);
                if let Some(j) = (0..added.len()).find(|&j| !taken[j] && below[added[j]]) {
                    (partner[k], taken[j]) = (Some(j), true);
                }
            }
        }
        for k in (0..removed.len()).rev() {
            if let (None, Some(j)) = (partner[k], taken.iter().position(|t| !t)) {
                (partner[k], taken[j]) = (Some(j), true);
            }
        }
        let id = |i: usize| graph.id(i).to_string();
        let changes = &mut self.changes;
        let pairs = removed.iter().zip(&partner);
        changes.extend(
            pairs
                .clone()
                .filter(|(_, p)| p.is_none())
                .map(|(&r, _)| VersionChange::Delete(id(r))),
        );
        changes.extend(pairs.filter_map(|(&r, p)| {
            p.map(|j| VersionChange::Update {
                from: id(r),
                to: id(added[j]),
            })
        }));
        let unpaired = added.iter().zip(&taken).filter(|(_, t)| !**t);
        changes.extend(unpaired.map(|(&a, _)| VersionChange::Insert(id(a))));
        removed.iter().for_each(|r| {
            self.rows.remove(r);
        });
        self.rows.extend(added.iter().copied());
    }
}
