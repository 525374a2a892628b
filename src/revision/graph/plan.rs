//! Upgrade and downgrade plans, with the version-table changes of each step.
//!
//! The version table holds one row per head of the applied revisions, counting parents only:
//! `depends_on` edges are not versioned, so a dependency keeps its own row. The changes of each
//! step are computed by replaying the plan on the rows, the way Alembic's `HeadMaintainer` does:
//! a base or a revision none of whose parents has a row inserts a row; a step along a branch
//! updates its parent's row; a merge deletes all parents' rows but the last one and updates that
//! one; reverting a revision updates its row to a parent that no other applied revision builds on
//! and inserts rows for the other such parents (an unmerge), or deletes its row when there is no
//! such parent (at base, or when another remaining head implies the parent).

use super::target::{self, Command, Current, Destination, Expr, Resolver};
use super::{Direction, Edges, GraphError, PlanStep, RevisionGraph, VersionChange};

/// See [`RevisionGraph::upgrade`].
pub(super) fn upgrade(
    graph: &RevisionGraph,
    current: &[String],
    target: &str,
) -> Result<Vec<PlanStep>, GraphError> {
    let current = graph.current(current)?;
    let destination = destination(graph, target, &current, Command::Upgrade)?;
    let needed = graph.closure(destination.revisions.iter().copied(), Edges::Ancestors);
    let mut rows = Rows::new(graph, &current);
    let steps = graph.topo.iter().copied();
    let steps = steps.filter(|&i| needed[i] && !current.applied[i]);
    Ok(steps
        .map(|i| step(graph, i, Direction::Up, rows.up(i)))
        .collect())
}

/// See [`RevisionGraph::downgrade`].
pub(super) fn downgrade(
    graph: &RevisionGraph,
    current: &[String],
    target: &str,
) -> Result<Vec<PlanStep>, GraphError> {
    let current = graph.current(current)?;
    let destination = destination(graph, target, &current, Command::Downgrade)?;
    let not_applied = destination.revisions.iter().find(|&&t| !current.applied[t]);
    if let (true, Some(&missing)) = (destination.must_be_applied, not_applied) {
        let id = graph.id(missing).to_string();
        return Err(GraphError::NotApplied {
            target: target.to_string(),
            id,
        });
    }
    let children = |t: &usize| graph.nodes[*t].children.clone();
    let roots = destination
        .roots
        .unwrap_or_else(|| destination.revisions.iter().flat_map(children).collect());
    Ok(revert_from(graph, &current, roots))
}

/// The steps that revert every applied revision of `roots` and what builds on them, children
/// and dependents first.
fn revert_from(
    graph: &RevisionGraph,
    current: &Current,
    roots: impl IntoIterator<Item = usize>,
) -> Vec<PlanStep> {
    let reverted = graph.closure(roots, Edges::Descendants);
    let mut rows = Rows::new(graph, current);
    let steps = graph.topo.iter().rev().copied();
    let steps = steps.filter(|&i| reverted[i] && current.applied[i]);
    steps
        .map(|i| step(graph, i, Direction::Down, rows.down(i)))
        .collect()
}

/// See [`RevisionGraph::revert`].
pub(super) fn revert(
    graph: &RevisionGraph,
    current: &[String],
    id: &str,
) -> Result<Vec<PlanStep>, GraphError> {
    let current = graph.current(current)?;
    let Some(root) = graph.find(id) else {
        return Err(GraphError::UnknownRevision {
            target: id.to_string(),
        });
    };
    if !current.applied[root] {
        return Err(GraphError::NotApplied {
            target: id.to_string(),
            id: id.to_string(),
        });
    }
    Ok(revert_from(graph, &current, [root]))
}

/// Parses and resolves `target` for `command`, refusing what the command cannot do: `heads`
/// for a downgrade, and a relative step from the current rows the other way (`upgrade -1`).
fn destination(
    graph: &RevisionGraph,
    target: &str,
    current: &Current,
    command: Command,
) -> Result<Destination, GraphError> {
    let expr = target::parse(target)?;
    let own = if command == Command::Upgrade {
        Direction::Up
    } else {
        Direction::Down
    };
    match expr {
        Expr::Heads(_) if command == Command::Downgrade => {
            return Err(GraphError::HeadsNotDowngradeTarget {
                target: target.to_string(),
            });
        }
        Expr::Relative {
            symbol: None,
            direction,
            ..
        } if direction != own => {
            return Err(GraphError::WrongDirection {
                target: target.to_string(),
                direction,
            });
        }
        _ => {}
    }
    Resolver {
        graph,
        target,
        current,
        command,
    }
    .destination(expr)
}

fn step(
    graph: &RevisionGraph,
    index: usize,
    direction: Direction,
    version: Vec<VersionChange>,
) -> PlanStep {
    PlanStep {
        revision: graph.id(index).to_string(),
        direction,
        version,
    }
}

/// The version table's rows as a plan replays them.
struct Rows<'g> {
    graph: &'g RevisionGraph,
    row: Vec<bool>,
    applied: Vec<bool>,
    /// For each revision, how many applied revisions have it as a parent.
    applied_children: Vec<usize>,
    /// Whether the rows are exactly the applied revisions without applied children, as this
    /// module writes them. Then they stay so, and a row's parents are implied by the other rows
    /// exactly when another applied revision builds on them. Rows written otherwise (by hand, or
    /// by Alembic, which folds a dependency's row into its dependent's) need the slower check.
    canonical: bool,
}

impl<'g> Rows<'g> {
    fn new(graph: &'g RevisionGraph, current: &Current) -> Rows<'g> {
        let mut row = vec![false; graph.len()];
        current.rows.iter().for_each(|&r| row[r] = true);
        let applied = current.applied.clone();
        let mut applied_children = vec![0; graph.len()];
        for i in (0..graph.len()).filter(|&i| applied[i]) {
            graph.nodes[i]
                .parents
                .iter()
                .for_each(|&p| applied_children[p] += 1);
        }
        let canonical =
            (0..graph.len()).all(|i| row[i] == (applied[i] && applied_children[i] == 0));
        Rows {
            graph,
            row,
            applied,
            applied_children,
            canonical,
        }
    }

    fn id(&self, index: usize) -> String {
        self.graph.id(index).to_string()
    }

    /// Applies `index`, whose parents and dependencies are applied.
    fn up(&mut self, index: usize) -> Vec<VersionChange> {
        let graph = self.graph;
        let parents = &graph.nodes[index].parents;
        let with_rows: Vec<usize> = parents.iter().copied().filter(|&p| self.row[p]).collect();
        let mut changes = Vec::with_capacity(with_rows.len().max(1));
        match with_rows.split_last() {
            None => changes.push(VersionChange::Insert(self.id(index))),
            Some((&last, others)) => {
                changes.extend(others.iter().map(|&p| VersionChange::Delete(self.id(p))));
                changes.push(VersionChange::Update {
                    from: self.id(last),
                    to: self.id(index),
                });
            }
        }
        with_rows.iter().for_each(|&p| self.row[p] = false);
        self.row[index] = true;
        self.applied[index] = true;
        parents.iter().for_each(|&p| self.applied_children[p] += 1);
        changes
    }

    /// Reverts `index`, which nothing applied builds on or depends on any more (so it has a
    /// row: the rows imply every applied revision).
    fn down(&mut self, index: usize) -> Vec<VersionChange> {
        let graph = self.graph;
        let node = &graph.nodes[index];
        self.row[index] = false;
        self.applied[index] = false;
        node.parents
            .iter()
            .for_each(|&p| self.applied_children[p] -= 1);
        let mut needed: Vec<usize> = node
            .parents
            .iter()
            .copied()
            .filter(|&p| !self.row[p] && self.applied_children[p] == 0)
            .collect();
        if !self.canonical {
            // Extra rows go first so that the reverted row moves to a parent when it can.
            let mut extra = self.keep_implied(index, &needed);
            extra.append(&mut needed);
            needed = extra;
        }
        let changes = match needed.split_last() {
            None => vec![VersionChange::Delete(self.id(index))],
            Some((&last, others)) => {
                let update = VersionChange::Update {
                    from: self.id(index),
                    to: self.id(last),
                };
                std::iter::once(update)
                    .chain(others.iter().map(|&p| VersionChange::Insert(self.id(p))))
                    .collect()
            }
        };
        needed.iter().for_each(|&p| self.row[p] = true);
        changes
    }

    /// The parents and dependencies of the reverted `index` that neither the rows nor `needed`
    /// would imply any more: they need rows so that the rows still imply every applied revision.
    fn keep_implied(&self, index: usize, needed: &[usize]) -> Vec<usize> {
        let graph = self.graph;
        let kept = (0..graph.len())
            .filter(|&i| self.row[i])
            .chain(needed.iter().copied());
        let mut implied = graph.closure(kept, Edges::Ancestors);
        let node = &graph.nodes[index];
        let mut extra = Vec::new();
        for &edge in node.parents.iter().chain(&node.deps) {
            if !implied[edge] {
                extra.push(edge);
                let more = graph.closure([edge], Edges::Ancestors);
                implied.iter_mut().zip(more).for_each(|(i, m)| *i |= m);
            }
        }
        extra
    }
}
