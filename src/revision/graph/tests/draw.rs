//! Lane art and DOT. Every drawing below was compared with `git log --graph --date-order
//! --format=%s` (git 2.47) on commits created in the same order: they are identical, except
//! where a test says otherwise.

use super::*;
use crate::revision::graph::fixtures::{branchy, linear};

/// The art with each revision's id as its text.
fn art(graph: &RevisionGraph) -> String {
    graph.draw_ascii(&|id| id.to_string())
}

/// Compares the art with a raw literal that starts with a line break (for readability).
#[track_caller]
fn assert_art(graph: &RevisionGraph, expected: &str) {
    let expected = expected.strip_prefix('\n').unwrap_or(expected);
    let actual = art(graph);
    assert_eq!(
        actual, expected,
        "\nactual:\n{actual}\nexpected:\n{expected}"
    );
}

#[test]
fn an_empty_graph_draws_nothing() {
    assert_eq!(art(&graph([])), "");
    assert_art(&graph([r("a", &[])]), "\n* a\n");
}

#[test]
fn a_linear_chain_is_one_lane() {
    let g = graph([r("a", &[]), r("b", &["a"]), r("c", &["b"])]);
    assert_art(
        &g,
        r"
* c
* b
* a
",
    );
}

#[test]
fn a_branch_point_closes_its_lanes() {
    let g = graph([r("a", &[]), r("b1", &["a"]), r("b2", &["a"])]);
    assert_art(
        &g,
        r"
* b2
| * b1
|/
* a
",
    );
}

#[test]
fn a_merge_of_two_opens_a_lane() {
    let g = graph([
        r("a", &[]),
        r("b1", &["a"]),
        r("b2", &["a"]),
        r("m", &["b1", "b2"]),
        r("d", &["m"]),
    ]);
    assert_art(
        &g,
        r"
* d
*   m
|\
| * b2
* | b1
|/
* a
",
    );
}

#[test]
fn a_merge_of_three_opens_two_lanes() {
    let g = graph([
        r("a", &[]),
        r("b1", &["a"]),
        r("b2", &["a"]),
        r("b3", &["a"]),
        r("m", &["b1", "b2", "b3"]),
    ]);
    assert_art(
        &g,
        r"
*-.   m
|\ \
| | * b3
| * | b2
| |/
* / b1
|/
* a
",
    );
}

#[test]
fn a_branch_grows_from_the_trunk_and_merges_back() {
    let g = graph([
        r("a", &[]),
        r("b", &["a"]),
        r("c", &["b"]),
        r("x1", &["b"]),
        r("x2", &["x1"]),
        r("m", &["c", "x2"]),
        r("d", &["m"]),
    ]);
    assert_art(
        &g,
        r"
* d
*   m
|\
| * x2
| * x1
* | c
|/
* b
* a
",
    );
}

#[test]
fn long_chains_keep_their_lanes() {
    let g = graph([
        r("a1", &[]),
        r("a2", &["a1"]),
        r("a3", &["a2"]),
        r("a4", &["a3"]),
        r("b1", &["a1"]),
        r("b2", &["b1"]),
        r("b3", &["b2"]),
        r("b4", &["b3"]),
        r("m", &["a4", "b4"]),
    ]);
    assert_art(
        &g,
        r"
*   m
|\
| * b4
| * b3
| * b2
| * b1
* | a4
* | a3
* | a2
|/
* a1
",
    );
}

#[test]
fn interleaved_branches_cross_as_in_git() {
    // z merges x and y, which grow from b and c, both children of a.
    let g = graph([
        r("a", &[]),
        r("b", &["a"]),
        r("c", &["a"]),
        r("x", &["b"]),
        r("y", &["c"]),
        r("z", &["x", "y"]),
    ]);
    assert_art(
        &g,
        r"
*   z
|\
| * y
* | x
| * c
* | b
|/
* a
",
    );
}

#[test]
fn an_octopus_merge_with_a_lane_on_its_right_makes_room_first() {
    let g = graph([
        r("a", &[]),
        r("b", &["a"]),
        r("c", &["a"]),
        r("d", &["a"]),
        r("m", &["b", "c", "d"]),
        r("e", &["a"]),
        r("z", &["m", "e"]),
    ]);
    assert_art(
        &g,
        r"
*   z
|\
| \
|  \
*-. \   m
|\ \ \
| | | * e
| | * | d
| | |/
| * / c
| |/
* / b
|/
* a
",
    );
}

#[test]
fn a_lane_crossing_others_is_drawn_with_an_underscore() {
    // Two bases (a and b); d merges b, a and c.
    let g = graph([
        r("b", &[]),
        r("c", &["b"]),
        r("a", &[]),
        r("d", &["b", "a", "c"]),
        r("e", &["c"]),
    ]);
    assert_art(
        &g,
        r"
* e
| *-.   d
| |\ \
| |_|/
|/| |
* | | c
|/ /
* / b
 /
* a
",
    );
}

#[test]
fn a_base_is_separated_from_an_unrelated_revision_below_it() {
    // git draws `* y`, `* x`, `* b`, `* a` in one column, as if x revised b; the empty line
    // (the base's column left empty) is the one deliberate difference.
    let g = graph([r("a", &[]), r("b", &["a"]), r("x", &[]), r("y", &["x"])]);
    assert_art(
        &g,
        r"
* y
* x

* b
* a
",
    );
    // Lanes on the left go on across the separator (b and c are lone bases).
    let g = graph([r("a", &[]), r("b", &[]), r("c", &[]), r("d", &["a"])]);
    assert_art(
        &g,
        r"
* d
| * c
|
| * b
* a
",
    );
}

#[test]
fn dependencies_are_not_lanes() {
    // y2 depends on x1: the caller shows that in the text.
    let g = graph([
        r("x1", &[]),
        r("x2", &["x1"]),
        r("y1", &[]),
        r("y2", &["y1"]).deps(&["x1"]),
    ]);
    assert_art(
        &g,
        r"
* y2
* y1

* x2
* x1
",
    );
}

#[test]
fn marks_are_the_text_after_the_lanes() {
    let g = graph([r("a", &[]), r("b1", &["a"]), r("b2", &["a"])]);
    let marks = |id: &str| match id {
        "b2" => "b2 (head) (current), add users".to_string(),
        other => format!("{other}, {}", if other == "a" { "init" } else { "x" }),
    };
    assert_eq!(
        g.draw_ascii(&marks),
        "* b2 (head) (current), add users\n| * b1, x\n|/\n* a, init\n"
    );
}

#[test]
fn text_of_several_lines_continues_beside_the_lanes() {
    let g = graph([
        r("a", &[]),
        r("b1", &["a"]),
        r("b2", &["a"]),
        r("m", &["b1", "b2"]),
    ]);
    let art = g.draw_ascii(&|id| format!("{id}\nmessage of {id}"));
    let expected = r"
*   m
|\  message of m
| * b2
| | message of b2
* | b1
|/  message of b1
* a
  message of a
";
    assert_eq!(art, &expected[1..]);
}

#[test]
fn drawings_follow_the_topological_order() {
    let g = dependent_graph();
    let order: Vec<String> = g
        .topological()
        .iter()
        .rev()
        .map(|s| s.to_string())
        .collect();
    let drawn: Vec<String> = art(&g)
        .lines()
        .filter(|line| line.contains('*'))
        .filter_map(|line| line.split_whitespace().last().map(str::to_string))
        .collect();
    assert_eq!(drawn, order);
}

#[test]
fn dot_has_a_node_per_revision_and_an_edge_per_parent_and_dependency() {
    let g = dependent_graph();
    let dot = g.draw_dot(&|id| match id {
        "m" => "m \"merge\"\nC:\\dir".to_string(),
        other => other.to_string(),
    });
    let expected = r#"digraph revisions {
    node [shape=box];
    "a" [label="a"];
    "b" [label="b"];
    "c" [label="c"];
    "m" [label="m \"merge\"\nC:\\dir"];
    "a" -> "b";
    "a" -> "c";
    "b" -> "m";
    "c" -> "m";
    "a" -> "m" [style=dashed];
}
"#;
    assert_eq!(dot, expected);
}

/// a -> b, c -> m (a merge), and m also depends on a: a dependency that is an ancestor too is
/// still an edge.
fn dependent_graph() -> RevisionGraph {
    graph([
        r("a", &[]),
        r("b", &["a"]),
        r("c", &["a"]),
        r("m", &["b", "c"]).deps(&["a"]),
    ])
}

#[test]
fn large_graphs_draw_one_line_per_revision_plus_connectors() {
    let g = graph(linear(10_000));
    let drawn = art(&g);
    assert_eq!(drawn.lines().count(), 10_000);
    assert!(drawn.lines().all(|line| line.starts_with("* ")));

    let g = graph(branchy());
    let drawn = art(&g);
    let revision_lines = drawn.lines().filter(|l| l.contains('*')).count();
    assert_eq!(revision_lines, 10_000);
    assert_eq!(drawn.lines().count(), BRANCHY_LINES);
}

/// The lines of the `fixtures::branchy()` drawing: its 10,000 revisions and the connectors.
const BRANCHY_LINES: usize = 10_721;
