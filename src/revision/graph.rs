//! The revision graph: which revisions exist, how they connect, and what `upgrade` and
//! `downgrade` run to reach a target.
//!
//! The graph is pure: it is built from plain [`Revision`] values and knows nothing of files, SQL
//! or databases. It follows Alembic's revision map (`alembic/script/revision.py`) and version-table
//! bookkeeping (`HeadMaintainer`), with stricter validation and errors that name the choices
//! where Alembic warns and picks by row order.
//!
//! Vocabulary used throughout:
//! - a revision's *parents* are its `down_revisions` (versioned edges); its *dependencies* are
//!   its `depends_on` entries, resolved to revisions (unversioned edges);
//! - the *applied* revisions are the version-table rows and all their ancestors, through parents
//!   and dependencies;
//! - the *lineage* of a revision is its ancestors and descendants through parents only, and the
//!   lineage of a branch label is that of the revision declaring it.
//!
//! Where Alembic is vague or lenient, this module decides:
//! - `head` is the single element of `heads`, Alembic's dependency-aware heads (Alembic's `head`
//!   counts a branch head that another branch depends on, so it can fail where `heads` has one);
//! - relative steps never pick by row order: several applied heads, a merge point going down,
//!   a branch point (or several bases) going up, and walking past base or head are errors that
//!   list the commands to run instead;
//! - `<label>@base` reverts the revisions carrying the label (down to the preceding branch point),
//!   not the whole trunk below it, and designates the revisions just below them;
//! - a bare branch label is refused as a revision (Alembic takes the revision declaring it);
//! - a dependency keeps its own version row (Alembic folds it into its dependent's row); rows
//!   written that way are still read correctly;
//! - the order of a plan is the topological order with the smallest id first, reversed for a
//!   downgrade;
//! - a range `a:b` ([`RevisionGraph::range`]) includes both ends, as Alembic's `history -r`;
//! - `stamp <label>@base` keeps the trunk the branch grows from applied, as
//!   `downgrade <label>@base` does (Alembic deletes the branch's row, un-applying the trunk), and
//!   stamp targets contradicting each other (`stamp a b` with `a` below `b`) are an error.
//!
//! Besides plans, the graph answers `db history -r` ranges, the version-table changes of
//! `db stamp`, the shape queries of `db heads` and `db branches` (versioned heads, branch and
//! merge points), and draws itself as `git log --graph` lane art or Graphviz DOT.
//!
//! ```
//! use outflow::revision::graph::{Direction, Revision, RevisionGraph};
//! use outflow::revision::VersionChange;
//!
//! let rev = |id: &str, parents: &[&str]| Revision {
//!     id: id.to_string(),
//!     down_revisions: parents.iter().map(|p| p.to_string()).collect(),
//!     ..Revision::default()
//! };
//! let graph = RevisionGraph::new([rev("a1", &[]), rev("b1", &["a1"])])?;
//! assert_eq!(graph.heads(), ["b1"]);
//!
//! let plan = graph.upgrade(&["a1".to_string()], "heads")?;
//! assert_eq!(plan.len(), 1);
//! assert_eq!(plan[0].direction, Direction::Up);
//! assert_eq!(plan[0].version, [VersionChange::Update { from: "a1".into(), to: "b1".into() }]);
//! # Ok::<(), outflow::revision::graph::GraphError>(())
//! ```

mod build;
mod draw;
mod error;
#[doc(hidden)]
pub mod fixtures;
mod plan;
mod range;
mod shape;
mod stamp;
mod target;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

pub use error::GraphError;

use crate::ops::VersionChange;
use target::{Command, Resolver};

/// The longest revision id: the version table's column is `VARCHAR(32)`.
pub const MAX_ID_LEN: usize = 32;

/// One revision as the graph sees it: its id and its edges, as written in its file.
///
/// ```
/// use outflow::revision::graph::Revision;
///
/// let merge = Revision {
///     id: "c3d4e5f6a7b8".to_string(),
///     down_revisions: vec!["a1b2".to_string(), "b2c3".to_string()],
///     origin: Some("c3d4e5f6a7b8_merge.rs".to_string()),
///     ..Revision::default()
/// };
/// assert!(merge.branch_labels.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Revision {
    /// The id, as stored in the version table.
    pub id: String,
    /// The parents (`DOWN_REVISION`): none for a base, several for a merge. Exact ids.
    pub down_revisions: Vec<String>,
    /// The branch labels this revision declares (`BRANCH_LABELS`).
    pub branch_labels: Vec<String>,
    /// Revisions that must be applied first without being parents (`DEPENDS_ON`): each is an id,
    /// else a branch label (meaning the revision declaring the label), else a unique prefix of at
    /// least 4 characters of an id.
    pub depends_on: Vec<String>,
    /// Where the revision comes from (its file name), for error messages.
    pub origin: Option<String>,
    /// The revisions this one replaces (a squash, `Replaces:` in its header): their ids no
    /// longer exist, and name this one in messages.
    pub replaces: Vec<String>,
}

/// Which way a [`PlanStep`] moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Run the revision's `upgrade`.
    Up,
    /// Run the revision's `downgrade`.
    Down,
}

/// One revision to run, with the version-table changes that go with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanStep {
    /// The revision.
    pub revision: String,
    /// Upgrade or downgrade.
    pub direction: Direction,
    /// The version-table changes of this step, to run in order after the previous steps'.
    pub version: Vec<VersionChange>,
}

/// A validated set of revisions: parents, dependencies, branch labels, heads and bases, and the
/// plans that move a database between them.
///
/// Built once per database label; every query is answered from plain values.
#[derive(Debug, Clone)]
pub struct RevisionGraph {
    /// The revisions sorted by id; indices into this vector name them everywhere else, so ties
    /// broken by index are ties broken by id.
    nodes: Vec<Node>,
    /// Each branch label and the revision declaring it.
    labels: BTreeMap<String, usize>,
    /// Every revision, parents and dependencies first, ties by id.
    topo: Vec<usize>,
    /// Revisions that are nobody's parent and nobody's dependency.
    real_heads: Vec<usize>,
    /// Each id a squash replaced, and the squash.
    replaced: BTreeMap<String, usize>,
}

/// A revision and its resolved edges.
#[derive(Debug, Clone)]
struct Node {
    revision: Revision,
    /// `down_revisions`, in declared order, without repeats.
    parents: Vec<usize>,
    /// `depends_on` resolved, without repeats and without parents.
    deps: Vec<usize>,
    /// Revisions having this one as a parent, by id.
    children: Vec<usize>,
    /// Revisions depending on this one, by id.
    dependents: Vec<usize>,
}

/// Which edges a traversal follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edges {
    /// Parents only (versioned ancestors).
    Parents,
    /// Parents and dependencies.
    Ancestors,
    /// Children only (versioned descendants).
    Children,
    /// Children and dependents.
    Descendants,
}

impl RevisionGraph {
    /// Builds and validates the graph.
    ///
    /// Fails on an empty id, an id with `@ - + :` or whitespace, an id longer than
    /// [`MAX_ID_LEN`] or equal to `head`/`heads`/`base`, a duplicate id, a parent or dependency
    /// that does not exist (or a dependency prefix matching several revisions), an invalid or
    /// duplicate branch label or one equal to a revision id, and a cycle (printed as a path).
    pub fn new(revisions: impl IntoIterator<Item = Revision>) -> Result<RevisionGraph, GraphError> {
        build::build(revisions.into_iter().collect())
    }

    /// The revision with exactly this id (no prefix matching).
    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.find(id).map(|i| &self.nodes[i].revision)
    }

    /// How many revisions there are.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there are no revisions.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The heads, sorted: revisions that are neither a parent nor a dependency of another
    /// (Alembic's dependency-aware heads, which `heads` and `head` designate).
    pub fn heads(&self) -> Vec<&str> {
        self.real_heads.iter().map(|&i| self.id(i)).collect()
    }

    /// The bases, sorted: revisions without parents (they may have dependencies).
    pub fn bases(&self) -> Vec<&str> {
        self.base_indices().map(|i| self.id(i)).collect()
    }

    /// The branch labels carried by revision `id`, sorted; empty for an unknown id.
    ///
    /// As in Alembic, a label applies to the revision declaring it, to all its descendants
    /// through parents, and to its ancestors down to the preceding branch point or merge point:
    /// from the declaring revision down, each revision that has a single child (counting
    /// dependents) and a single parent carries it.
    pub fn branch_labels(&self, id: &str) -> Vec<&str> {
        let Some(index) = self.find(id) else {
            return Vec::new();
        };
        let mut labels = BTreeSet::new();
        let own = |i: usize| {
            self.nodes[i]
                .revision
                .branch_labels
                .iter()
                .map(String::as_str)
        };
        let ancestors = self.closure([index], Edges::Parents);
        for i in (0..self.len()).filter(|&i| ancestors[i]) {
            labels.extend(own(i));
        }
        // Labels declared above reach this revision through a chain without branch or merge
        // points: climb that chain.
        let mut cur = index;
        while !self.is_real_branch_point_at(cur) && !self.is_merge_point_at(cur) {
            labels.extend(own(cur));
            let node = &self.nodes[cur];
            match (node.children.as_slice(), node.dependents.is_empty()) {
                ([child], true) => cur = *child,
                _ => break,
            }
        }
        labels.into_iter().collect()
    }

    /// The heads of the lineage of branch `label`, sorted: the revisions without children that
    /// descend (through parents) from the revision declaring it.
    ///
    /// Unlike [`heads`](Self::heads), a branch head that another branch depends on still counts.
    pub fn label_heads(&self, label: &str) -> Result<Vec<&str>, GraphError> {
        let &declared = self
            .labels
            .get(label)
            .ok_or_else(|| GraphError::UnknownLabel {
                label: label.to_string(),
            })?;
        Ok(self
            .heads_above(declared)
            .into_iter()
            .map(|i| self.id(i))
            .collect())
    }

    /// Every revision `id` needs, through parents and dependencies, excluding `id` itself,
    /// parents and dependencies first; empty for an unknown id.
    pub fn ancestors(&self, id: &str) -> Vec<&str> {
        let Some(index) = self.find(id) else {
            return Vec::new();
        };
        let mut marked = self.closure([index], Edges::Ancestors);
        marked[index] = false;
        self.topo
            .iter()
            .filter(|&&i| marked[i])
            .map(|&i| self.id(i))
            .collect()
    }

    /// Every revision, parents and dependencies before the revisions needing them; among
    /// revisions that could come next, the smallest id first.
    pub fn topological(&self) -> Vec<&str> {
        self.topo.iter().map(|&i| self.id(i)).collect()
    }

    /// The revisions a target expression designates, sorted (empty for base).
    ///
    /// `current` is the version table's rows, used by relative targets (`-1`, `x@+2`).
    /// Targets: `heads`, `head`, `base`, a full id or a unique prefix of at least 4 characters,
    /// `<branch>@head`, `<branch>@heads`, `<branch>@base`, `<branch>@<id>`, and relative steps
    /// `+N`, `-N`, `<branch>@+N`, `<branch>@-N`, `<id>+N`, `<id>-N` (also from `head`), where
    /// `<branch>` is a branch label or a revision.
    ///
    /// ```
    /// use outflow::revision::graph::{Revision, RevisionGraph};
    ///
    /// let rev = |id: &str, parents: &[&str]| Revision {
    ///     id: id.to_string(),
    ///     down_revisions: parents.iter().map(|p| p.to_string()).collect(),
    ///     ..Revision::default()
    /// };
    /// let graph =
    ///     RevisionGraph::new([rev("aaaa", &[]), rev("bbbb", &["aaaa"]), rev("cccc", &["bbbb"])])?;
    /// let current = ["cccc".to_string()];
    /// assert_eq!(graph.resolve("-2", &current)?, ["aaaa"]);
    /// assert_eq!(graph.resolve("bbb", &current).unwrap_err().to_string(),
    ///            "'bbb' is too short: give at least 4 characters");
    /// # Ok::<(), outflow::revision::graph::GraphError>(())
    /// ```
    pub fn resolve(&self, target: &str, current: &[String]) -> Result<Vec<String>, GraphError> {
        let current = self.current(current)?;
        let resolver = Resolver {
            graph: self,
            target,
            current: &current,
            command: Command::Resolve,
        };
        let destination = resolver.destination(target::parse(target)?)?;
        Ok(destination
            .revisions
            .iter()
            .map(|&i| self.id(i).to_string())
            .collect())
    }

    /// The steps that bring a database whose version table holds `current` up to `target`.
    ///
    /// Every ancestor of the target (through parents and dependencies) that is not applied yet
    /// runs, parents and dependencies first. A target already applied gives an empty plan.
    /// Relative steps down from the current rows (`-1`, `x@-1`) and ambiguous steps are errors.
    pub fn upgrade(&self, current: &[String], target: &str) -> Result<Vec<PlanStep>, GraphError> {
        plan::upgrade(self, current, target)
    }

    /// The steps that bring a database whose version table holds `current` down to `target`.
    ///
    /// For `base`, every applied revision is reverted; for `<branch>@base`, every applied
    /// revision of that branch; for a revision, its applied descendants. Anything depending on a
    /// reverted revision is reverted too, children and dependents first. A target revision that
    /// is not applied is an error; the current state gives an empty plan.
    pub fn downgrade(&self, current: &[String], target: &str) -> Result<Vec<PlanStep>, GraphError> {
        plan::downgrade(self, current, target)
    }

    /// The steps that revert exactly the revision `id` and what builds on it (its applied
    /// descendants and dependents, first), leaving every other applied revision in place:
    /// what a stairway test needs after upgrading to one revision.
    ///
    /// ```
    /// use outflow::revision::graph::{Revision, RevisionGraph};
    ///
    /// let rev = |id: &str, parents: &[&str]| Revision {
    ///     id: id.to_string(),
    ///     down_revisions: parents.iter().map(|p| p.to_string()).collect(),
    ///     ..Revision::default()
    /// };
    /// // Two branches from aaaa: reverting cccc leaves bbbb applied.
    /// let graph =
    ///     RevisionGraph::new([rev("aaaa", &[]), rev("bbbb", &["aaaa"]), rev("cccc", &["aaaa"])])?;
    /// let current = ["bbbb".to_string(), "cccc".to_string()];
    /// let steps = graph.revert(&current, "cccc")?;
    /// assert_eq!(steps.iter().map(|s| s.revision.as_str()).collect::<Vec<_>>(), ["cccc"]);
    /// # Ok::<(), outflow::revision::graph::GraphError>(())
    /// ```
    pub fn revert(&self, current: &[String], id: &str) -> Result<Vec<PlanStep>, GraphError> {
        plan::revert(self, current, id)
    }

    /// The index of the revision with exactly this id.
    fn find(&self, id: &str) -> Option<usize> {
        self.nodes
            .binary_search_by(|n| n.revision.id.as_str().cmp(id))
            .ok()
    }

    fn id(&self, index: usize) -> &str {
        &self.nodes[index].revision.id
    }

    fn ids(&self, indices: &[usize]) -> Vec<String> {
        indices.iter().map(|&i| self.id(i).to_string()).collect()
    }

    fn base_indices(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter(|&i| self.nodes[i].parents.is_empty())
    }

    /// Alembic's "real" branch point: more than one revision builds on it, counting dependents
    /// (unlike the public [`is_branch_point`](Self::is_branch_point), which counts children).
    fn is_real_branch_point_at(&self, index: usize) -> bool {
        let node = &self.nodes[index];
        node.children.len() + node.dependents.len() > 1
    }

    fn is_merge_point_at(&self, index: usize) -> bool {
        self.nodes[index].parents.len() > 1
    }

    /// The revisions reachable from `starts` (included) along `edges`, as a mark per revision.
    fn closure(&self, starts: impl IntoIterator<Item = usize>, edges: Edges) -> Vec<bool> {
        let mut marked = vec![false; self.len()];
        let mut todo: Vec<usize> = starts.into_iter().collect();
        while let Some(i) = todo.pop() {
            if std::mem::replace(&mut marked[i], true) {
                continue;
            }
            let node = &self.nodes[i];
            let (first, second): (&[usize], &[usize]) = match edges {
                Edges::Parents => (&node.parents, &[]),
                Edges::Ancestors => (&node.parents, &node.deps),
                Edges::Children => (&node.children, &[]),
                Edges::Descendants => (&node.children, &node.dependents),
            };
            todo.extend(first.iter().chain(second).filter(|&&n| !marked[n]));
        }
        marked
    }

    /// The lineage of `index`: its ancestors and descendants through parents, itself included.
    fn lineage(&self, index: usize) -> Vec<bool> {
        let below = self.closure([index], Edges::Parents);
        let above = self.closure([index], Edges::Children);
        below.iter().zip(&above).map(|(b, a)| *b || *a).collect()
    }

    /// The revisions without children that descend from `index` (itself included), sorted.
    fn heads_above(&self, index: usize) -> Vec<usize> {
        let above = self.closure([index], Edges::Children);
        (0..self.len())
            .filter(|&i| above[i] && self.nodes[i].children.is_empty())
            .collect()
    }

    /// The lowest revision carrying the label declared by `declared`: the chain of single-parent,
    /// single-child revisions below it ends there (see [`branch_labels`](Self::branch_labels)).
    fn label_bottom(&self, declared: usize) -> usize {
        let mut cur = declared;
        while !self.is_real_branch_point_at(cur) && !self.is_merge_point_at(cur) {
            match self.nodes[cur].parents.as_slice() {
                [parent]
                    if !self.is_real_branch_point_at(*parent)
                        && !self.is_merge_point_at(*parent) =>
                {
                    cur = *parent
                }
                _ => break,
            }
        }
        cur
    }
}
