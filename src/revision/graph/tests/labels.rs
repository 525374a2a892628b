//! Branch labels: how they spread along a branch, and the heads of a label's lineage.

use super::*;

#[test]
fn a_label_spreads_to_descendants_and_down_to_the_base() {
    let g = labelled();
    for id in ["a", "b", "somelongername", "c"] {
        assert_eq!(g.branch_labels(id), ["abranch"], "{id}");
    }
    // e is labelled; d below it has no other child, so it carries the label too.
    for id in ["d", "e", "someothername", "f"] {
        assert_eq!(g.branch_labels(id), ["ebranch"], "{id}");
    }
    assert_eq!(g.label_heads("abranch").unwrap(), ["c"]);
    assert_eq!(g.label_heads("ebranch").unwrap(), ["f"]);
    assert_eq!(g.branch_labels("nope"), Vec::<&str>::new());
}

#[test]
fn a_label_stops_at_the_preceding_branch_point() {
    // b is a branch point: c1 and c2 build on it.
    let g = graph([
        r("a", &[]),
        r("b", &["a"]),
        r("c1", &["b"]),
        r("d1", &["c1"]).labels(&["x"]),
        r("c2", &["b"]),
    ]);
    assert_eq!(g.branch_labels("d1"), ["x"]);
    assert_eq!(g.branch_labels("c1"), ["x"]);
    assert_eq!(g.branch_labels("b"), Vec::<&str>::new());
    assert_eq!(g.branch_labels("a"), Vec::<&str>::new());
    assert_eq!(g.branch_labels("c2"), Vec::<&str>::new());
}

#[test]
fn a_label_stops_at_a_merge_point() {
    let g = graph([
        r("a1", &[]),
        r("a2", &[]),
        r("m", &["a1", "a2"]),
        r("n", &["m"]).labels(&["y"]),
    ]);
    assert_eq!(g.branch_labels("n"), ["y"]);
    assert_eq!(g.branch_labels("m"), Vec::<&str>::new());
    assert_eq!(g.branch_labels("a1"), Vec::<&str>::new());
}

#[test]
fn a_dependent_makes_a_branch_point() {
    let labelled = [r("a", &[]), r("b", &["a"]), r("c", &["b"]).labels(&["z"])];
    let g = graph(labelled.clone());
    assert_eq!(g.branch_labels("a"), ["z"]);
    let g = graph(labelled.into_iter().chain([r("d", &[]).deps(&["b"])]));
    assert_eq!(g.branch_labels("c"), ["z"]);
    assert_eq!(
        g.branch_labels("b"),
        Vec::<&str>::new(),
        "d depends on b: b is a branch point"
    );
    assert_eq!(g.branch_labels("a"), Vec::<&str>::new());
    assert_eq!(
        g.branch_labels("d"),
        Vec::<&str>::new(),
        "labels do not follow dependencies"
    );
}

#[test]
fn a_label_on_a_branch_point_stays_there() {
    let g = graph([
        r("a", &[]),
        r("b", &["a"]).labels(&["w"]),
        r("c1", &["b"]),
        r("c2", &["b"]),
    ]);
    assert_eq!(g.branch_labels("a"), Vec::<&str>::new());
    assert_eq!(g.branch_labels("c1"), ["w"]);
    assert_eq!(g.branch_labels("c2"), ["w"]);
    assert_eq!(g.label_heads("w").unwrap(), ["c1", "c2"]);
}

#[test]
fn a_merge_of_two_branches_carries_both_labels() {
    let g = graph([
        r("x1", &[]).labels(&["x"]),
        r("y1", &[]).labels(&["y", "why"]),
        r("m", &["x1", "y1"]),
        r("n", &["m"]),
    ]);
    assert_eq!(g.branch_labels("n"), ["why", "x", "y"]);
    assert_eq!(g.label_heads("x").unwrap(), ["n"]);
    assert_eq!(g.label_heads("y").unwrap(), ["n"]);
}

#[test]
fn label_heads_include_heads_other_branches_depend_on() {
    let g = graph([
        r("x1", &[]).labels(&["x"]),
        r("x2", &["x1"]),
        r("y1", &[]).labels(&["y"]).deps(&["x2"]),
    ]);
    assert_eq!(g.heads(), ["y1"]);
    assert_eq!(g.label_heads("x").unwrap(), ["x2"]);
    assert_eq!(g.label_heads("y").unwrap(), ["y1"]);
    assert_eq!(
        g.label_heads("nope").unwrap_err().to_string(),
        "no revision declares the branch label 'nope'"
    );
}
