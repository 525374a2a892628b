//! Ranges of revisions, `a:b`, for `db history -r` (and offline SQL).
//!
//! Alembic's `history -r a:b` walks `iterate_revisions(b, a, inclusive=True)`: the ancestors of
//! `b` (through parents and dependencies) that are not ancestors of `a`, plus `a` itself. Both
//! ends are therefore included, and the range is exactly what `upgrade b` runs from a database
//! at `a`, plus `a`.

use super::target::{self, Command, Current, Expr, Resolver};
use super::{Edges, GraphError, RevisionGraph};

/// One side of a range, resolved.
struct Side {
    /// The designated revisions, sorted.
    revisions: Vec<usize>,
    /// Whether the revisions themselves belong to the range (as a start). A start written as a
    /// base (`base`, `<branch>@base`) designates what lies below the range, so it is excluded.
    inclusive: bool,
}

impl RevisionGraph {
    /// The revisions of the range `spec` (`a:b`), newest first (the reverse of
    /// [`topological`](Self::topological)): `b` and its ancestors, through parents and
    /// dependencies, down to `a`, both ends included, as Alembic's `history -r a:b` shows them.
    ///
    /// Each side is a target expression, as [`resolve`](Self::resolve) takes it (an id or
    /// partial id, `heads`, `head`, `<branch>@head`, `-1`, `ae10+2`...), or `current` for the
    /// version table's rows (`current`, also used by relative sides). An empty start (`:b`)
    /// starts at base; an empty end (`a:`) runs to all the heads. A start naming a base
    /// (`base`, `<label>@base`) starts just above what it designates: `x@base:x@head` is the
    /// revisions carrying label `x`, with what they depend on outside the branch. When a side
    /// designates several revisions (`heads`,
    /// `current` with several rows), the range spans all of them.
    ///
    /// Fails when `spec` has no `:` (or several), when a side does not resolve, and when a
    /// revision the start designates is not an ancestor of the end (the range would be empty).
    ///
    /// ```
    /// use outflow::revision::graph::{Revision, RevisionGraph};
    ///
    /// let rev = |id: &str, parents: &[&str]| Revision {
    ///     id: id.to_string(),
    ///     down_revisions: parents.iter().map(|p| p.to_string()).collect(),
    ///     ..Revision::default()
    /// };
    /// let graph = RevisionGraph::new([rev("a1", &[]), rev("b1", &["a1"]), rev("c1", &["b1"])])?;
    /// let current = ["b1".to_string()];
    /// assert_eq!(graph.range("a1:b1", &current)?, ["b1", "a1"]);
    /// assert_eq!(graph.range("current:", &current)?, ["c1", "b1"]);
    /// assert_eq!(graph.range(":a1", &current)?, ["a1"]);
    /// assert_eq!(
    ///     graph.range("c1:a1", &current).unwrap_err().to_string(),
    ///     "revision c1 is not an ancestor of a1: the range c1:a1 is empty; did you mean a1:c1?"
    /// );
    /// # Ok::<(), outflow::revision::graph::GraphError>(())
    /// ```
    pub fn range(&self, spec: &str, current: &[String]) -> Result<Vec<&str>, GraphError> {
        let invalid = || GraphError::InvalidRange {
            spec: spec.to_string(),
        };
        let (start, end) = spec.split_once(':').ok_or_else(invalid)?;
        if end.contains(':') {
            return Err(invalid());
        }
        let rows = self.current(current)?;
        let upper = match self.range_side(end, &rows)? {
            Some(side) => side.revisions,
            None => self.real_heads.clone(),
        };
        let in_range = self.closure(upper, Edges::Ancestors);
        let mut excluded = vec![false; self.len()];
        if let Some(lower) = self.range_side(start, &rows)? {
            excluded = self.closure(lower.revisions.iter().copied(), Edges::Ancestors);
            for &revision in lower.revisions.iter().filter(|_| lower.inclusive) {
                if !in_range[revision] {
                    return Err(GraphError::RangeNotAncestor {
                        id: self.id(revision).to_string(),
                        start: start.to_string(),
                        end: if end.is_empty() { "heads" } else { end }.to_string(),
                    });
                }
                excluded[revision] = false;
            }
        }
        Ok(self
            .topo
            .iter()
            .rev()
            .filter(|&&i| in_range[i] && !excluded[i])
            .map(|&i| self.id(i))
            .collect())
    }

    /// One side of a range; `None` when it is empty (base for a start, the heads for an end).
    fn range_side(&self, text: &str, rows: &Current) -> Result<Option<Side>, GraphError> {
        if text.is_empty() {
            return Ok(None);
        }
        if text == "current" {
            return Ok(Some(Side {
                revisions: rows.rows.clone(),
                inclusive: true,
            }));
        }
        let expr = target::parse(text)?;
        let resolver = Resolver {
            graph: self,
            target: text,
            current: rows,
            command: Command::Resolve,
        };
        let destination = resolver.destination(expr)?;
        Ok(Some(Side {
            revisions: destination.revisions,
            inclusive: !matches!(expr, Expr::Base(_)),
        }))
    }
}
