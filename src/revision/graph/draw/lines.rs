//! The columns and the lines of lane art, ported from git's `graph.c` (the functions keep git's
//! names, without the `graph_` prefix, so the two can be read side by side). Colours, boundary
//! commits and `--first-parent` are left out; everything else is git's logic.

use super::{Lanes, State};

/// The characters joining a merge to its parents, by `merge_layout` (git's `merge_chars`).
const MERGE_CHARS: [char; 3] = ['/', '|', '\\'];

impl Lanes<'_> {
    /// Computes the lanes after the current revision and where each character position is
    /// heading (`graph_update_columns`).
    pub(super) fn update_columns(&mut self) {
        std::mem::swap(&mut self.columns, &mut self.new_columns);
        self.new_columns.clear();
        let max_new_columns = self.columns.len() + self.parents.len();
        if self.mapping.len() < 2 * max_new_columns {
            self.mapping.resize(2 * max_new_columns, -1);
            self.old_mapping.resize(2 * max_new_columns, -1);
        }
        self.mapping_size = 2 * max_new_columns;
        self.mapping[..self.mapping_size].fill(-1);
        self.width = 0;
        self.prev_edges_added = self.edges_added;
        self.edges_added = 0;
        let parents = self.parents;
        let mut seen_this = false;
        for i in 0..=self.columns.len() {
            let col_commit = match self.columns.get(i) {
                Some(&c) => c,
                None if seen_this => break,
                None => self.commit,
            };
            if col_commit == self.commit {
                seen_this = true;
                self.commit_index = i as isize;
                self.merge_layout = -1;
                for &parent in parents {
                    self.insert_into_new_columns(parent, i as isize);
                }
                // The revision always takes two characters, even without parents.
                if parents.is_empty() {
                    self.width += 2;
                }
            } else {
                self.insert_into_new_columns(col_commit, -1);
            }
        }
        while self.mapping_size > 1 && self.mapping[self.mapping_size - 1] < 0 {
            self.mapping_size -= 1;
        }
    }

    /// Gives `commit` a lane after the current revision (reusing its lane if it has one) and
    /// maps the next character position to it; `idx` is the current revision's column when
    /// `commit` is one of its parents (`graph_insert_into_new_columns`).
    fn insert_into_new_columns(&mut self, commit: usize, idx: isize) {
        let i = match self.new_columns.iter().position(|&c| c == commit) {
            Some(i) => i as isize,
            None => {
                self.new_columns.push(commit);
                self.new_columns.len() as isize - 1
            }
        };
        let mapping_idx;
        if self.num_parents() > 1 && idx > -1 && self.merge_layout == -1 {
            // The first parent of a merge: the layout depends on whether its lane is to the
            // left of the merge.
            let dist = idx - i;
            let shift = if dist > 1 { 2 * dist - 3 } else { 1 };
            self.merge_layout = if dist > 0 { 0 } else { 1 };
            self.edges_added = self.num_parents() + self.merge_layout - 2;
            mapping_idx = self.width + (self.merge_layout - 1) * shift;
            self.width += 2 * self.merge_layout;
        } else if self.edges_added > 0 && i == self.mapping[(self.width - 2) as usize] {
            // A parent found in the last existing lane: join it at once (`|\|` rather than
            // `|\ \` then `| |/`).
            mapping_idx = self.width - 2;
            self.edges_added = -1;
        } else {
            mapping_idx = self.width;
            self.width += 2;
        }
        self.mapping[mapping_idx as usize] = i;
    }

    fn num_dashed_parents(&self) -> isize {
        self.num_parents() + self.merge_layout - 3
    }

    /// Octopus merges with lanes on their right need two rows of room per dashed parent.
    fn num_expansion_rows(&self) -> isize {
        self.num_dashed_parents() * 2
    }

    pub(super) fn needs_pre_commit_line(&self) -> bool {
        self.num_parents() >= 3
            && self.commit_index < self.num_columns() - 1
            && self.expansion_row < self.num_expansion_rows()
    }

    /// Whether every lane is where it is heading.
    fn is_mapping_correct(&self) -> bool {
        self.mapping[..self.mapping_size]
            .iter()
            .enumerate()
            .all(|(i, &target)| target < 0 || target == (i / 2) as isize)
    }

    /// Every lane straight down (`graph_output_padding_line`).
    pub(super) fn padding_line(&self, line: &mut String) {
        line.push_str(&"| ".repeat(self.new_columns.len()));
    }

    /// Widens the lanes right of an octopus merge (`graph_output_pre_commit_line`).
    pub(super) fn pre_commit_line(&mut self, line: &mut String) {
        let mut seen_this = false;
        for (i, &column) in self.columns.iter().enumerate() {
            if column == self.commit {
                seen_this = true;
                line.push('|');
                line.push_str(&" ".repeat(self.expansion_row as usize));
            } else if seen_this && self.expansion_row == 0 {
                // Lanes that left the previous merge as `\` keep going that way.
                let after_merge =
                    self.prev_state == State::PostMerge && self.prev_commit_index < i as isize;
                line.push(if after_merge { '\\' } else { '|' });
            } else if seen_this {
                line.push('\\');
            } else {
                line.push('|');
            }
            line.push(' ');
        }
        self.expansion_row += 1;
        if !self.needs_pre_commit_line() {
            self.set_state(State::Commit);
        }
    }

    /// The revision's own line (`graph_output_commit_line`).
    pub(super) fn commit_line(&mut self, line: &mut String) {
        let mut seen_this = false;
        for i in 0..=self.columns.len() {
            let col_commit = match self.columns.get(i) {
                Some(&c) => c,
                None if seen_this => break,
                None => self.commit,
            };
            let at = i as isize;
            if col_commit == self.commit {
                seen_this = true;
                line.push('*');
                if self.num_parents() > 2 {
                    self.draw_octopus_merge(line);
                }
            } else if seen_this && self.edges_added > 1 {
                line.push('\\');
            } else if seen_this && self.edges_added == 1 {
                // A lane that left the previous merge as `\` keeps going that way.
                let after_merge = self.prev_state == State::PostMerge
                    && self.prev_edges_added > 0
                    && self.prev_commit_index < at;
                line.push(if after_merge { '\\' } else { '|' });
            } else if self.prev_state == State::Collapsing
                && self.old_mapping[2 * i + 1] == at
                && self.mapping[2 * i] < at
            {
                // A lane still moving left from the previous collapse.
                line.push('/');
            } else {
                line.push('|');
            }
            line.push(' ');
        }
        let next = if self.num_parents() > 1 {
            State::PostMerge
        } else if self.is_mapping_correct() {
            State::Padding
        } else {
            State::Collapsing
        };
        self.set_state(next);
    }

    /// The dashes of an octopus merge: `*-.` for three parents (`graph_draw_octopus_merge`).
    fn draw_octopus_merge(&self, line: &mut String) {
        let dashed = self.num_dashed_parents();
        for i in 0..dashed {
            line.push('-');
            line.push(if i == dashed - 1 { '.' } else { '-' });
        }
    }

    /// The line opening a merge's parent lanes: `|\` (`graph_output_post_merge_line`).
    pub(super) fn post_merge_line(&mut self, line: &mut String) {
        let first_parent = self.parents[0];
        let num_parents = self.parents.len();
        let mut first_parent_seen = false;
        let mut seen_this = false;
        for i in 0..=self.columns.len() {
            let col_commit = match self.columns.get(i) {
                Some(&c) => c,
                None if seen_this => break,
                None => self.commit,
            };
            if col_commit == self.commit {
                seen_this = true;
                let mut idx = self.merge_layout as usize;
                for j in 0..num_parents {
                    line.push(MERGE_CHARS[idx]);
                    if idx < 2 {
                        idx += 1;
                    } else if self.edges_added > 0 || j < num_parents - 1 {
                        line.push(' ');
                    }
                }
                if self.edges_added == 0 {
                    line.push(' ');
                }
            } else if seen_this {
                line.push(if self.edges_added > 0 { '\\' } else { '|' });
                line.push(' ');
            } else {
                line.push('|');
                if self.merge_layout != 0 || i as isize != self.commit_index - 1 {
                    // Lanes between the first parent and a merge to its right are crossed.
                    line.push(if first_parent_seen { '_' } else { ' ' });
                }
            }
            if col_commit == first_parent {
                first_parent_seen = true;
            }
        }
        let next = if self.is_mapping_correct() {
            State::Padding
        } else {
            State::Collapsing
        };
        self.set_state(next);
    }

    /// Moves lanes one step towards their columns: `/` for a lane moving left, `_` for the one
    /// lane that may cross others (`graph_output_collapsing_line`).
    pub(super) fn collapsing_line(&mut self, line: &mut String) {
        std::mem::swap(&mut self.mapping, &mut self.old_mapping);
        let size = self.mapping_size;
        self.mapping[..size].fill(-1);
        let (mut horizontal_edge, mut horizontal_edge_target) = (-1_isize, -1_isize);
        for i in 0..size {
            let target = self.old_mapping[i];
            if target < 0 {
                continue;
            }
            // Lanes only ever move left, so lanes crossing always cross one way.
            let at = i as isize;
            debug_assert!(target * 2 <= at);
            if target * 2 == at {
                self.mapping[i] = target;
            } else if self.mapping[i - 1] < 0 {
                self.mapping[i - 1] = target;
                if horizontal_edge == -1 {
                    (horizontal_edge, horizontal_edge_target) = (at, target);
                    self.fill_horizontal(target, at);
                }
            } else if self.mapping[i - 1] != target {
                // Cross the lane on the left; lanes heading to the same column just merge.
                self.mapping[i - 2] = target;
                if horizontal_edge == -1 {
                    (horizontal_edge, horizontal_edge_target) = (at - 1, target);
                    self.fill_horizontal(target, at);
                }
            }
        }
        self.old_mapping[..size].copy_from_slice(&self.mapping[..size]);
        if self.mapping[size - 1] < 0 {
            self.mapping_size -= 1;
        }
        self.write_collapsing(line, horizontal_edge, horizontal_edge_target);
        if self.is_mapping_correct() {
            self.set_state(State::Padding);
        }
    }

    /// Writes the collapsing line the new mapping describes, ending the horizontal edge after
    /// its first segment.
    fn write_collapsing(
        &mut self,
        line: &mut String,
        horizontal_edge: isize,
        horizontal_edge_target: isize,
    ) {
        let mut used_horizontal = false;
        for i in 0..self.mapping_size {
            let (target, at) = (self.mapping[i], i as isize);
            if target < 0 {
                line.push(' ');
            } else if target * 2 == at {
                line.push('|');
            } else if target == horizontal_edge_target && at != horizontal_edge - 1 {
                // Only the first segment of the horizontal edge continues on the next line.
                if at != target * 2 + 3 {
                    self.mapping[i] = -1;
                }
                used_horizontal = true;
                line.push('_');
            } else {
                if used_horizontal && at < horizontal_edge {
                    self.mapping[i] = -1;
                }
                line.push('/');
            }
        }
    }

    /// Marks the positions a lane heading to column `target` from position `at` crosses.
    fn fill_horizontal(&mut self, target: isize, at: isize) {
        let mut j = target * 2 + 3;
        while j < at - 2 {
            self.mapping[j as usize] = target;
            j += 2;
        }
    }
}
