//! Versioned heads, children, branch points and merge points.

use super::*;

/// a -> b1, b2 -> m -> d ; x (a second base) ; y depends on d.
fn shaped() -> RevisionGraph {
    graph([
        r("a", &[]),
        r("b1", &["a"]),
        r("b2", &["a"]),
        r("m", &["b1", "b2"]),
        r("d", &["m"]),
        r("x", &[]),
        r("y", &["x"]).deps(&["d"]),
    ])
}

#[test]
fn versioned_heads_ignore_dependencies() {
    let g = shaped();
    assert_eq!(g.versioned_heads(), ["d", "y"]);
    assert_eq!(g.heads(), ["y"], "d is a dependency of y");
    let g = graph([r("a", &[]), r("b", &["a"]), r("c", &["a"])]);
    assert_eq!(g.versioned_heads(), ["b", "c"]);
    assert_eq!(g.versioned_heads(), g.heads());
    assert!(graph([]).versioned_heads().is_empty());
}

#[test]
fn children_are_the_revisions_revising_a_revision() {
    let g = shaped();
    assert_eq!(g.children("a"), ["b1", "b2"]);
    assert_eq!(g.children("b2"), ["m"]);
    assert!(g.children("d").is_empty(), "y only depends on d");
    assert!(g.children("nope").is_empty());
}

#[test]
fn branch_and_merge_points_count_parents_and_children_only() {
    let g = shaped();
    assert!(g.is_branch_point("a"));
    assert!(!g.is_branch_point("b1"));
    assert!(
        !g.is_branch_point("d"),
        "a child and a dependent do not make a branch point"
    );
    assert!(!g.is_branch_point("nope"));
    assert!(g.is_merge_point("m"));
    assert!(
        !g.is_merge_point("y"),
        "a parent and a dependency do not make a merge point"
    );
    assert!(!g.is_merge_point("a"));
    assert!(!g.is_merge_point("nope"));
}

#[test]
fn branch_points_list_their_children() {
    let g = graph([
        r("a", &[]),
        r("c2", &["a"]),
        r("c1", &["a"]),
        r("c3", &["a"]),
        r("d", &["c1"]),
        r("e1", &["d"]),
        r("e2", &["d"]),
    ]);
    assert_eq!(
        g.branch_points(),
        [("a", vec!["c1", "c2", "c3"]), ("d", vec!["e1", "e2"])]
    );
    assert!(shaped().branch_points() == [("a", vec!["b1", "b2"])]);
    assert!(
        graph([r("a", &[]), r("b", &["a"])])
            .branch_points()
            .is_empty()
    );
}

#[test]
fn all_branch_labels_agree_with_branch_labels() {
    let graphs = [
        labelled(),
        RevisionGraph::new(crate::revision::graph::fixtures::branchy()).unwrap(),
        graph([
            r("a", &[]).labels(&["x"]),
            r("b", &["a"]),
            r("c", &["b"]).labels(&["y"]),
            r("d", &["b"]),
            r("e", &["c", "d"]).labels(&["z"]),
            r("f", &["e"]).deps(&["a"]),
        ]),
    ];
    for g in graphs {
        let all = g.all_branch_labels();
        assert_eq!(all.len(), g.len());
        for id in g.topological() {
            assert_eq!(all[id], g.branch_labels(id), "{id}");
        }
    }
}
