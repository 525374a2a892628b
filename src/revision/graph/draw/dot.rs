//! The graph as a Graphviz `digraph`.

use std::fmt::Write;

use super::RevisionGraph;

impl RevisionGraph {
    /// The graph in Graphviz DOT: one box per revision, labelled with what `labels` returns for
    /// its id, a solid edge from each parent to its child and a dashed edge from each
    /// dependency to its dependent. The nodes come in [`topological`](Self::topological) order,
    /// then the edges in the same order of their child (parents in declared order, then
    /// dependencies), so the text is deterministic. A label may span several lines.
    ///
    /// ```
    /// use outflow::revision::graph::{Revision, RevisionGraph};
    ///
    /// let graph = RevisionGraph::new([
    ///     Revision { id: "a".into(), ..Revision::default() },
    ///     Revision { id: "b".into(), down_revisions: vec!["a".into()], ..Revision::default() },
    /// ])?;
    /// let dot = graph.draw_dot(&|id| format!("{id} \"quoted\""));
    /// assert_eq!(
    ///     dot,
    ///     "digraph revisions {\n    node [shape=box];\n    \"a\" [label=\"a \\\"quoted\\\"\"];\n    \
    ///      \"b\" [label=\"b \\\"quoted\\\"\"];\n    \"a\" -> \"b\";\n}\n"
    /// );
    /// # Ok::<(), outflow::revision::graph::GraphError>(())
    /// ```
    pub fn draw_dot(&self, labels: &dyn Fn(&str) -> String) -> String {
        let mut out = String::from("digraph revisions {\n    node [shape=box];\n");
        // Writing to a String cannot fail.
        for &i in &self.topo {
            let id = self.id(i);
            let _ = writeln!(out, "    {} [label={}];", quote(id), quote(&labels(id)));
        }
        for &i in &self.topo {
            let node = &self.nodes[i];
            let child = quote(self.id(i));
            for &parent in &node.parents {
                let _ = writeln!(out, "    {} -> {child};", quote(self.id(parent)));
            }
            for &dep in &node.deps {
                let _ = writeln!(
                    out,
                    "    {} -> {child} [style=dashed];",
                    quote(self.id(dep))
                );
            }
        }
        out.push_str("}\n");
        out
    }
}

/// A DOT quoted string: `"` and `\` escaped, line breaks as DOT's `\n` (a centred line).
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
