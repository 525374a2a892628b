//! The shape of the graph through parents only, as Alembic's `heads`, `branches`, `show` and
//! `history` report it: versioned heads, children, branch points and merge points.
//!
//! These ignore `depends_on` on purpose: Alembic's `Script.is_branch_point`, `nextrev` and plain
//! `heads` count versioned edges only. The dependency-aware views are
//! [`RevisionGraph::heads`] and the branch-label rules.

use std::collections::{BTreeMap, BTreeSet};

use super::RevisionGraph;

impl RevisionGraph {
    /// The branch labels of every revision at once, as [`branch_labels`](Self::branch_labels)
    /// gives them one by one, in one pass over the graph (for listings of every revision).
    pub fn all_branch_labels(&self) -> BTreeMap<&str, Vec<&str>> {
        let own = |i: usize| {
            self.nodes[i]
                .revision
                .branch_labels
                .iter()
                .map(String::as_str)
        };
        // Down: a revision carries every label its ancestors declare.
        let mut down: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); self.len()];
        for &i in &self.topo {
            let mut labels: BTreeSet<&str> = own(i).collect();
            for &p in &self.nodes[i].parents {
                labels.extend(down[p].iter().copied());
            }
            down[i] = labels;
        }
        // Up: labels declared above reach a revision through a chain without branch or merge
        // points (the loop of `branch_labels`, computed from the top).
        let mut up: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); self.len()];
        for &i in self.topo.iter().rev() {
            if self.is_real_branch_point_at(i) || self.is_merge_point_at(i) {
                continue;
            }
            let mut labels: BTreeSet<&str> = own(i).collect();
            let node = &self.nodes[i];
            if let ([child], true) = (node.children.as_slice(), node.dependents.is_empty()) {
                labels.extend(up[*child].iter().copied());
            }
            up[i] = labels;
        }
        (0..self.len())
            .map(|i| (self.id(i), down[i].union(&up[i]).copied().collect()))
            .collect()
    }

    /// The versioned heads, sorted: revisions that are nobody's parent (`down_revisions`),
    /// whether or not another revision depends on them. This is what Alembic's `heads` command
    /// prints by default, and what `db heads` shows.
    ///
    /// [`heads`](Self::heads) is the dependency-aware set (Alembic's
    /// `heads --resolve-dependencies`, and what the `heads` target designates): it leaves out a
    /// branch head that another branch depends on, since upgrading to the dependent applies it.
    ///
    /// ```
    /// use outflow::revision::graph::{Revision, RevisionGraph};
    ///
    /// // x1 is the head of its branch, and y1 depends on it.
    /// let graph = RevisionGraph::new([
    ///     Revision { id: "x1".into(), ..Revision::default() },
    ///     Revision { id: "y1".into(), depends_on: vec!["x1".into()], ..Revision::default() },
    /// ])?;
    /// assert_eq!(graph.versioned_heads(), ["x1", "y1"]);
    /// assert_eq!(graph.heads(), ["y1"]);
    /// # Ok::<(), outflow::revision::graph::GraphError>(())
    /// ```
    pub fn versioned_heads(&self) -> Vec<&str> {
        (0..self.len())
            .filter(|&i| self.nodes[i].children.is_empty())
            .map(|i| self.id(i))
            .collect()
    }

    /// The revisions having `id` as a parent, sorted; empty for an unknown id. Revisions that
    /// only depend on `id` are not its children.
    pub fn children(&self, id: &str) -> Vec<&str> {
        self.find(id)
            .map(|i| self.ids_of(&self.nodes[i].children))
            .unwrap_or_default()
    }

    /// Whether several revisions have `id` as a parent (Alembic's `is_branch_point`, which
    /// `db branches` lists); false for an unknown id.
    pub fn is_branch_point(&self, id: &str) -> bool {
        self.find(id)
            .is_some_and(|i| self.nodes[i].children.len() > 1)
    }

    /// Whether `id` has several parents; false for an unknown id.
    pub fn is_merge_point(&self, id: &str) -> bool {
        self.find(id).is_some_and(|i| self.is_merge_point_at(i))
    }

    /// The branch points, sorted, each with its children, sorted: what `db branches` lists.
    ///
    /// ```
    /// use outflow::revision::graph::{Revision, RevisionGraph};
    ///
    /// let rev = |id: &str, parents: &[&str]| Revision {
    ///     id: id.to_string(),
    ///     down_revisions: parents.iter().map(|p| p.to_string()).collect(),
    ///     ..Revision::default()
    /// };
    /// let graph = RevisionGraph::new([rev("a", &[]), rev("b2", &["a"]), rev("b1", &["a"])])?;
    /// assert_eq!(graph.branch_points(), [("a", vec!["b1", "b2"])]);
    /// # Ok::<(), outflow::revision::graph::GraphError>(())
    /// ```
    pub fn branch_points(&self) -> Vec<(&str, Vec<&str>)> {
        (0..self.len())
            .filter(|&i| self.nodes[i].children.len() > 1)
            .map(|i| (self.id(i), self.ids_of(&self.nodes[i].children)))
            .collect()
    }

    /// The ids of `indices`, borrowed.
    fn ids_of(&self, indices: &[usize]) -> Vec<&str> {
        indices.iter().map(|&i| self.id(i)).collect()
    }
}
