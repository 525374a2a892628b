//! Drawing the graph: lane art as `git log --graph --oneline` draws it, and Graphviz DOT.
//!
//! The lane art follows git's `graph.c` (git 2.47) line for line: the same columns, mappings
//! and states, so the same shapes come out (`|\`, `|/`, `*-.` for three parents, `_` where a
//! lane crosses others). Only `down_revisions` edges are lanes; `depends_on` edges are not
//! drawn (the caller marks them in the text). Deliberate differences from git:
//! - lines without a revision carry no trailing spaces;
//! - git draws a base (a root commit) and an unrelated revision below it in the same column,
//!   one under the other, as if the base had a parent; here a line with the base's column left
//!   empty separates them.

mod dot;
mod lines;

use super::RevisionGraph;

impl RevisionGraph {
    /// The graph as lane art, newest first (the reverse of [`topological`](Self::topological)),
    /// as `git log --graph --oneline` draws it: one line per revision, starting with its lanes
    /// (`*` marks the revision) and followed by what `marks` returns for its id, plus connector
    /// lines where lanes fork, join or shift. Every line ends with a newline.
    ///
    /// A merge's extra parents open lanes to the right (`|\`); lanes ending on the same parent
    /// close (`|/`). `depends_on` edges are not lanes: show them in the text. A `marks` text
    /// with several lines continues under the revision, with the lanes drawn on its left.
    ///
    /// ```
    /// use outflow::revision::graph::{Revision, RevisionGraph};
    ///
    /// let rev = |id: &str, parents: &[&str]| Revision {
    ///     id: id.to_string(),
    ///     down_revisions: parents.iter().map(|p| p.to_string()).collect(),
    ///     ..Revision::default()
    /// };
    /// let graph = RevisionGraph::new([
    ///     rev("a", &[]),
    ///     rev("b1", &["a"]),
    ///     rev("b2", &["a"]),
    ///     rev("m", &["b1", "b2"]),
    /// ])?;
    /// let art = graph.draw_ascii(&|id| id.to_string());
    /// assert_eq!(art, "*   m\n|\\\n| * b2\n* | b1\n|/\n* a\n");
    /// # Ok::<(), outflow::revision::graph::GraphError>(())
    /// ```
    pub fn draw_ascii(&self, marks: &dyn Fn(&str) -> String) -> String {
        let mut lanes = Lanes::new(self);
        let mut out = String::new();
        for &revision in self.topo.iter().rev() {
            lanes.update(revision);
            lanes.show(&mut out, &marks(self.id(revision)));
        }
        out
    }
}

/// What the next line of art shows, as git's `enum graph_state` (without `GRAPH_SKIP`: every
/// revision's lines are all drawn before the next one's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Padding,
    PreCommit,
    Commit,
    PostMerge,
    Collapsing,
}

/// The drawing state, git's `struct git_graph`: positions are `isize` as in git, where `-1`
/// means an empty slot.
struct Lanes<'g> {
    graph: &'g RevisionGraph,
    /// The revision being drawn.
    commit: usize,
    /// Its parents, first parent first.
    parents: &'g [usize],
    /// The width of the art for this revision; every line is padded to it.
    width: isize,
    /// The next pre-commit line (octopus merges need room before them).
    expansion_row: isize,
    state: State,
    prev_state: State,
    /// The column of the revision (`columns.len()` when no lane leads to it).
    commit_index: isize,
    prev_commit_index: isize,
    /// 0 when a merge's first parent is in a lane to its left, 1 otherwise; -1 before that is
    /// known.
    merge_layout: isize,
    /// How many lanes this revision adds.
    edges_added: isize,
    prev_edges_added: isize,
    /// The revision each lane leads to, before this revision.
    columns: Vec<usize>,
    /// The revision each lane leads to, after this revision.
    new_columns: Vec<usize>,
    /// For each character position, the column the lane there is heading to.
    mapping: Vec<isize>,
    /// The mapping of the previous collapsing line (git keeps the whole buffer around).
    old_mapping: Vec<isize>,
    mapping_size: usize,
    /// Whether the previous revision was a base.
    prev_was_base: bool,
    /// Whether a separator line goes before this revision (see the module docs).
    separate: bool,
}

impl<'g> Lanes<'g> {
    fn new(graph: &'g RevisionGraph) -> Lanes<'g> {
        Lanes {
            graph,
            commit: 0,
            parents: &[],
            width: 0,
            expansion_row: 0,
            state: State::Padding,
            prev_state: State::Padding,
            commit_index: 0,
            prev_commit_index: 0,
            merge_layout: 0,
            edges_added: 0,
            prev_edges_added: 0,
            columns: Vec::new(),
            new_columns: Vec::new(),
            mapping: Vec::new(),
            old_mapping: Vec::new(),
            mapping_size: 0,
            prev_was_base: false,
            separate: false,
        }
    }

    fn num_parents(&self) -> isize {
        self.parents.len() as isize
    }

    fn num_columns(&self) -> isize {
        self.columns.len() as isize
    }

    fn set_state(&mut self, state: State) {
        self.prev_state = self.state;
        self.state = state;
    }

    /// Appends the lines of the current revision: separator, pre-commit lines, the revision's
    /// line with the first line of `text`, then the other lines of `text` and the connector
    /// lines after it (git's `graph_show_commit` and `graph_show_commit_msg`).
    fn show(&mut self, out: &mut String, text: &str) {
        if self.separate {
            let lanes = "| ".repeat(self.columns.len());
            push_line(out, &lanes, "");
        }
        let mut text_lines = text.split('\n');
        loop {
            let (line, shown) = self.next_line();
            if shown {
                push_line(out, &line, text_lines.next().unwrap_or_default());
                break;
            }
            push_line(out, &line, "");
        }
        for more in text_lines {
            let (line, _) = self.next_line();
            push_line(out, &line, more);
        }
        while self.state != State::Padding {
            let (line, _) = self.next_line();
            push_line(out, &line, "");
        }
    }

    /// The next line of art, padded to the width, and whether it is the revision's line
    /// (`graph_next_line`).
    fn next_line(&mut self) -> (String, bool) {
        let mut line = String::new();
        let shown = self.state == State::Commit;
        match self.state {
            State::Padding => self.padding_line(&mut line),
            State::PreCommit => self.pre_commit_line(&mut line),
            State::Commit => self.commit_line(&mut line),
            State::PostMerge => self.post_merge_line(&mut line),
            State::Collapsing => self.collapsing_line(&mut line),
        }
        let width = usize::try_from(self.width).unwrap_or(0);
        if line.len() < width {
            line.push_str(&" ".repeat(width - line.len()));
        }
        (line, shown)
    }

    /// Moves to `commit` (`graph_update`).
    fn update(&mut self, commit: usize) {
        self.commit = commit;
        self.parents = &self.graph.nodes[commit].parents;
        self.prev_commit_index = self.commit_index;
        self.update_columns();
        self.expansion_row = 0;
        // git would draw this revision right under the base just drawn, in the same column.
        self.separate = self.prev_was_base
            && self.commit_index == self.num_columns()
            && self.commit_index == self.prev_commit_index;
        self.prev_was_base = self.parents.is_empty();
        self.state = if self.needs_pre_commit_line() {
            State::PreCommit
        } else {
            State::Commit
        };
    }
}

/// Appends one line: the art, then the text; the art alone loses its trailing spaces.
fn push_line(out: &mut String, art: &str, text: &str) {
    if text.is_empty() {
        out.push_str(art.trim_end());
    } else {
        out.push_str(art);
        out.push_str(text);
    }
    out.push('\n');
}
