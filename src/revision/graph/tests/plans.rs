//! Upgrade and downgrade plans, and the version-table rows each step moves.

use super::*;

fn linear() -> RevisionGraph {
    graph([r("a", &[]), r("b", &["a"]), r("c", &["b"])])
}

/// a -> b1, b2
fn fork() -> RevisionGraph {
    graph([r("a", &[]), r("b1", &["a"]), r("b2", &["a"])])
}

/// a -> b1, b2 -> m -> d
fn diamond() -> RevisionGraph {
    graph([
        r("a", &[]),
        r("b1", &["a"]),
        r("b2", &["a"]),
        r("m", &["b1", "b2"]),
        r("d", &["m"]),
    ])
}

/// x1 (x) -> x2 ; y1 (y) -> y2, which depends on x1.
fn dependent_branches() -> RevisionGraph {
    graph([
        r("x1", &[]).labels(&["x"]),
        r("x2", &["x1"]),
        r("y1", &[]).labels(&["y"]),
        r("y2", &["y1"]).deps(&["x1"]),
    ])
}

#[test]
fn a_linear_chain_inserts_then_updates() {
    let g = linear();
    assert_eq!(
        upgrade(&g, &[], "heads"),
        ["+a: insert a", "+b: update a -> b", "+c: update b -> c"]
    );
    assert_eq!(upgrade(&g, &[], "head"), upgrade(&g, &[], "c"));
    assert_eq!(upgrade(&g, &["a"], "+1"), ["+b: update a -> b"]);
    assert_eq!(
        upgrade(&g, &["a"], "+2"),
        ["+b: update a -> b", "+c: update b -> c"]
    );
    assert_eq!(upgrade(&g, &[], "+1"), ["+a: insert a"]);
}

#[test]
fn upgrading_to_what_is_applied_does_nothing() {
    let g = linear();
    assert_eq!(upgrade(&g, &["c"], "heads"), Vec::<String>::new());
    assert_eq!(
        upgrade(&g, &["c"], "b"),
        Vec::<String>::new(),
        "an ancestor of the current head"
    );
    assert_eq!(upgrade(&g, &["c"], "c-1"), Vec::<String>::new());
    assert_eq!(upgrade(&g, &["c"], "base"), Vec::<String>::new());
}

#[test]
fn a_linear_chain_updates_then_deletes_going_down() {
    let g = linear();
    assert_eq!(downgrade(&g, &["c"], "-1"), ["-c: update c -> b"]);
    assert_eq!(
        downgrade(&g, &["c"], "-2"),
        ["-c: update c -> b", "-b: update b -> a"]
    );
    assert_eq!(
        downgrade(&g, &["c"], "base"),
        ["-c: update c -> b", "-b: update b -> a", "-a: delete a"]
    );
    assert_eq!(downgrade(&g, &["c"], "-3"), downgrade(&g, &["c"], "base"));
    assert_eq!(
        downgrade(&g, &["c"], "a"),
        ["-c: update c -> b", "-b: update b -> a"]
    );
    assert_eq!(
        downgrade(&g, &["c"], "c"),
        Vec::<String>::new(),
        "already there"
    );
    assert_eq!(downgrade(&g, &["c"], "head"), Vec::<String>::new());
    assert_eq!(downgrade(&g, &[], "base"), Vec::<String>::new());
}

#[test]
fn downgrade_refuses_what_it_cannot_reach() {
    let g = linear();
    assert_eq!(
        downgrade_error(&g, &["b"], "c"),
        "revision c is not applied; nothing to downgrade to"
    );
    assert_eq!(
        downgrade_error(&g, &[], "a"),
        "revision a is not applied; nothing to downgrade to"
    );
    assert_eq!(
        downgrade_error(&g, &["a"], "c-1"),
        "revision b is not applied; nothing to downgrade to"
    );
    assert_eq!(
        downgrade_error(&g, &["c"], "heads"),
        "'heads' is not a downgrade target: name a revision, `<branch>@head`, `-1` or `base`"
    );
    assert_eq!(
        downgrade_error(&g, &["a"], "+1"),
        "'+1' steps up: use `db upgrade +1`"
    );
    assert_eq!(
        upgrade_error(&g, &["c"], "-1"),
        "'-1' steps down: use `db downgrade -1`"
    );
    assert_eq!(
        downgrade_error(&g, &["c"], "-4"),
        "relative revision -4 goes past base: only 3 revisions are applied on this branch"
    );
    // `b+1` names a revision: allowed in a downgrade, from wherever it is applied.
    assert_eq!(downgrade(&g, &["c"], "a+1"), ["-c: update c -> b"]);
}

#[test]
fn a_new_branch_inserts_a_row() {
    let g = fork();
    assert_eq!(
        upgrade(&g, &[], "heads"),
        ["+a: insert a", "+b1: update a -> b1", "+b2: insert b2"]
    );
    assert_eq!(upgrade(&g, &["b1"], "b2"), ["+b2: insert b2"]);
    assert_eq!(upgrade(&g, &["a"], "b2"), ["+b2: update a -> b2"]);
}

#[test]
fn going_down_to_a_parent_another_head_implies_deletes_the_row() {
    let g = fork();
    assert_eq!(downgrade(&g, &["b1", "b2"], "b1@-1"), ["-b1: delete b1"]);
    assert_eq!(downgrade(&g, &["b1", "b2"], "b2@-1"), ["-b2: delete b2"]);
    assert_eq!(
        downgrade(&g, &["b1", "b2"], "a"),
        ["-b2: delete b2", "-b1: update b1 -> a"]
    );
    assert_eq!(
        downgrade(&g, &["b1", "b2"], "base"),
        ["-b2: delete b2", "-b1: update b1 -> a", "-a: delete a"]
    );
    assert_eq!(
        downgrade_error(&g, &["b1", "b2"], "-1"),
        "several heads are applied (b1, b2); name one: `db downgrade b1@-1` or `db downgrade b2@-1`"
    );
}

#[test]
fn a_merge_deletes_all_parents_rows_but_one_and_updates_it() {
    let g = diamond();
    assert_eq!(
        upgrade(&g, &["b1", "b2"], "m"),
        ["+m: delete b1, update b2 -> m"]
    );
    assert_eq!(
        upgrade(&g, &[], "heads"),
        [
            "+a: insert a",
            "+b1: update a -> b1",
            "+b2: insert b2",
            "+m: delete b1, update b2 -> m",
            "+d: update m -> d",
        ]
    );
    // The missing parent comes first.
    assert_eq!(
        upgrade(&g, &["b1"], "d"),
        [
            "+b2: insert b2",
            "+m: delete b1, update b2 -> m",
            "+d: update m -> d"
        ]
    );
    // A parent without a row (another head implies it) has no row to delete.
    let g = graph([
        r("a", &[]),
        r("b1", &["a"]),
        r("c1", &["b1"]),
        r("b2", &["a"]),
        r("m", &["b1", "b2"]),
    ]);
    assert_eq!(upgrade(&g, &["b2", "c1"], "m"), ["+m: update b2 -> m"]);
    assert_eq!(
        downgrade(&g, &["c1", "m"], "b2"),
        ["-m: update m -> b2"],
        "c1 implies b1"
    );
}

#[test]
fn a_merge_of_three_parents() {
    let g = graph([
        r("a", &[]),
        r("p1", &["a"]),
        r("p2", &["a"]),
        r("p3", &["a"]),
        r("m", &["p1", "p2", "p3"]),
    ]);
    assert_eq!(
        upgrade(&g, &["p1", "p2", "p3"], "m"),
        ["+m: delete p1, delete p2, update p3 -> m"]
    );
    assert_eq!(
        downgrade(&g, &["m"], "base"),
        [
            "-m: update m -> p3, insert p1, insert p2",
            "-p3: delete p3",
            "-p2: delete p2",
            "-p1: update p1 -> a",
            "-a: delete a",
        ]
    );
}

#[test]
fn a_merge_of_independent_bases() {
    let g = graph([r("x", &[]), r("y", &[]), r("m", &["x", "y"])]);
    assert_eq!(
        upgrade(&g, &[], "heads"),
        [
            "+x: insert x",
            "+y: insert y",
            "+m: delete x, update y -> m"
        ]
    );
    assert_eq!(
        downgrade(&g, &["m"], "base"),
        [
            "-m: update m -> y, insert x",
            "-y: delete y",
            "-x: delete x"
        ]
    );
}

#[test]
fn an_unmerge_updates_and_inserts() {
    let g = diamond();
    assert_eq!(
        downgrade(&g, &["m"], "b1"),
        ["-m: update m -> b2, insert b1"]
    );
    assert_eq!(
        downgrade(&g, &["d"], "b2"),
        ["-d: update d -> m", "-m: update m -> b2, insert b1"]
    );
    assert_eq!(downgrade(&g, &["d"], "m"), ["-d: update d -> m"]);
    assert_eq!(
        downgrade(&g, &["d"], "a"),
        [
            "-d: update d -> m",
            "-m: update m -> b2, insert b1",
            "-b2: delete b2",
            "-b1: update b1 -> a"
        ]
    );
}

#[test]
fn a_dependency_keeps_its_own_row() {
    let g = dependent_branches();
    assert_eq!(
        upgrade(&g, &[], "y@head"),
        ["+x1: insert x1", "+y1: insert y1", "+y2: update y1 -> y2"]
    );
    assert_eq!(
        upgrade(&g, &["x1", "y2"], "heads"),
        ["+x2: update x1 -> x2"]
    );
    assert_eq!(resolve(&g, "heads", &[]), ["x2", "y2"]);
}

#[test]
fn reverting_a_dependency_reverts_its_dependents_first() {
    let g = dependent_branches();
    let all = ["x2", "y2"];
    assert_eq!(
        downgrade(&g, &all, "x@base"),
        [
            "-y2: update y2 -> y1",
            "-x2: update x2 -> x1",
            "-x1: delete x1"
        ]
    );
    assert_eq!(downgrade(&g, &all, "x@-2"), downgrade(&g, &all, "x@base"));
    assert_eq!(
        downgrade(&g, &all, "y@base"),
        ["-y2: update y2 -> y1", "-y1: delete y1"]
    );
    // Going down to x1 keeps x1, so y2 may stay.
    assert_eq!(downgrade(&g, &all, "x1"), ["-x2: update x2 -> x1"]);
}

#[test]
fn depends_on_a_label_across_branches() {
    let g = graph([
        r("c1", &[]).labels(&["core"]),
        r("c2", &["c1"]),
        r("p1", &[]).labels(&["plugin"]).deps(&["core"]),
        r("p2", &["p1"]),
    ]);
    assert_eq!(
        upgrade(&g, &[], "plugin@head"),
        ["+c1: insert c1", "+p1: insert p1", "+p2: update p1 -> p2"]
    );
    assert_eq!(
        downgrade(&g, &["c2", "p2"], "core@base"),
        [
            "-p2: update p2 -> p1",
            "-p1: delete p1",
            "-c2: update c2 -> c1",
            "-c1: delete c1"
        ]
    );
}

#[test]
fn the_base_of_a_forked_branch_keeps_the_trunk() {
    // b is the branch point; x covers c1 and d1.
    let g = graph([
        r("a", &[]),
        r("b", &["a"]),
        r("c1", &["b"]),
        r("d1", &["c1"]).labels(&["x"]),
        r("c2", &["b"]),
    ]);
    assert_eq!(
        downgrade(&g, &["c2", "d1"], "x@base"),
        ["-d1: update d1 -> c1", "-c1: delete c1"]
    );
    assert_eq!(
        upgrade(&g, &[], "x@base"),
        ["+a: insert a", "+b: update a -> b"]
    );
    assert_eq!(
        downgrade(&g, &["c2"], "x@base"),
        Vec::<String>::new(),
        "nothing of x is applied"
    );
}

#[test]
fn a_branch_base_reverts_what_depends_on_it() {
    // base1 -> a1a -> b1a ; base1 -> a1b -> b1b (needs a3)
    // base2 -> a2 -> b2 -> c2 (needs a3) -> d2 ; base3 -> a3 -> b3
    let g = graph([
        r("base1", &[]).labels(&["b_1"]),
        r("a1a", &["base1"]),
        r("a1b", &["base1"]),
        r("b1a", &["a1a"]),
        r("b1b", &["a1b"]).deps(&["a3"]),
        r("base2", &[]).labels(&["b_2"]),
        r("a2", &["base2"]),
        r("b2", &["a2"]),
        r("c2", &["b2"]).deps(&["a3"]),
        r("d2", &["c2"]),
        r("base3", &[]).labels(&["b_3"]),
        r("a3", &["base3"]),
        r("b3", &["a3"]),
    ]);
    let all = ["b1a", "b1b", "b3", "d2"];
    assert_eq!(rows_of(&g, &[], "heads"), all);
    assert_eq!(
        downgrade(&g, &all, "b_3@base"),
        [
            "-d2: update d2 -> c2",
            "-c2: update c2 -> b2",
            "-b3: update b3 -> a3",
            "-b1b: update b1b -> a1b",
            "-a3: update a3 -> base3",
            "-base3: delete base3",
        ]
    );
    assert_eq!(
        downgrade(&g, &all, "b_2@base"),
        [
            "-d2: update d2 -> c2",
            "-c2: update c2 -> b2",
            "-b2: update b2 -> a2",
            "-a2: update a2 -> base2",
            "-base2: delete base2"
        ]
    );
    // A revision stands for its branch: the bases below b1b, and everything above them.
    assert_eq!(downgrade(&g, &all, "b1b@base").len(), 5);
    assert_eq!(
        upgrade(&g, &[], "b_2@head").len(),
        7,
        "d2 needs a3, so base3 and a3 come too"
    );
}

#[test]
fn branches_chained_through_dependencies() {
    // base2 depends on branch 1's label; c3 depends on b2.
    let g = graph([
        r("base1", &[]).labels(&["b_1"]),
        r("a1", &["base1"]),
        r("b1", &["a1"]),
        r("c1", &["b1"]),
        r("base2", &[]).labels(&["b_2"]).deps(&["b_1"]),
        r("a2", &["base2"]),
        r("b2", &["a2"]),
        r("c2", &["b2"]),
        r("d2", &["c2"]),
        r("base3", &[]).labels(&["b_3"]),
        r("a3", &["base3"]),
        r("b3", &["a3"]),
        r("c3", &["b3"]).deps(&["b2"]),
        r("d3", &["c3"]),
    ]);
    assert_eq!(g.heads(), ["c1", "d2", "d3"]);
    let needed: BTreeSet<String> = g
        .upgrade(&[], "b_3@head")
        .unwrap()
        .into_iter()
        .map(|s| s.revision)
        .collect();
    let expected = [
        "base1", "base2", "a2", "b2", "base3", "a3", "b3", "c3", "d3",
    ];
    assert_eq!(needed, expected.iter().map(|s| s.to_string()).collect());
    let all = rows_of(&g, &[], "heads");
    assert_eq!(all, ["c1", "d2", "d3"]);
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let plan = g.downgrade(&strings(&all), "b_1@base").unwrap();
    assert_eq!(
        plan.len(),
        11,
        "branches 1 and 2, and c3 and d3 which need b2"
    );
    assert_eq!(
        rows_after(&strings(&all), &plan),
        BTreeSet::from(["b3".to_string()])
    );
}

#[test]
fn dependencies_already_implied_by_ancestors() {
    // b4 depends on a3, as its ancestor b2 already does; b5 depends on its own parent.
    let g = graph([
        r("a1", &[]),
        r("a2", &["a1"]),
        r("a3", &["a2"]),
        r("b1", &[]),
        r("b2", &["b1"]).deps(&["a3"]),
        r("b3", &["b2"]),
        r("b4", &["b3"]).deps(&["a3"]),
        r("b5", &["b4"]).deps(&["b4"]),
    ]);
    assert_eq!(g.heads(), ["b5"]);
    assert_eq!(rows_of(&g, &[], "heads"), ["a3", "b5"]);
    assert_eq!(
        downgrade(&g, &["a3", "b5"], "b1@base"),
        [
            "-b5: update b5 -> b4",
            "-b4: update b4 -> b3",
            "-b3: update b3 -> b2",
            "-b2: update b2 -> b1",
            "-b1: delete b1",
        ]
    );
    assert_eq!(
        downgrade(&g, &["a3", "b5"], "a2"),
        [
            "-b5: update b5 -> b4",
            "-b4: update b4 -> b3",
            "-b3: update b3 -> b2",
            "-b2: update b2 -> b1",
            "-a3: update a3 -> a2",
        ]
    );
}

#[test]
fn a_base_with_only_a_dependency() {
    let g = graph([
        r("base1", &[]),
        r("a1", &["base1"]),
        r("b1", &["a1"]),
        r("c2", &[]).deps(&["a1"]),
        r("c3", &["c2"]),
    ]);
    assert_eq!(
        upgrade(&g, &[], "heads"),
        [
            "+base1: insert base1",
            "+a1: update base1 -> a1",
            "+b1: update a1 -> b1",
            "+c2: insert c2",
            "+c3: update c2 -> c3"
        ]
    );
}

#[test]
fn the_order_is_deterministic_across_branches() {
    // Several branches, merges and a branch ending behind another: smallest id first among
    // the revisions that could come next.
    let g = graph([
        r("a1", &[]),
        r("a2", &["a1"]),
        r("a3", &["a2"]),
        r("b1", &["a3"]),
        r("b2", &["a3"]),
        r("cb1", &["b1"]),
        r("cb2", &["b2"]),
        r("db1", &["cb1"]),
        r("db2", &["cb2"]),
        r("e1b1", &["db1"]),
        r("fe1b1", &["e1b1"]),
        r("e2b1", &["db1"]),
        r("e2b2", &["db2"]),
        r("merge", &["e2b1", "e2b2"]),
    ]);
    let order: Vec<String> = g
        .upgrade(&[], "heads")
        .unwrap()
        .into_iter()
        .map(|s| s.revision)
        .collect();
    let expected = [
        "a1", "a2", "a3", "b1", "b2", "cb1", "cb2", "db1", "db2", "e1b1", "e2b1", "e2b2", "fe1b1",
        "merge",
    ];
    assert_eq!(order, expected);
    let back: Vec<String> = g
        .downgrade(&strings(&["fe1b1", "merge"]), "base")
        .unwrap()
        .into_iter()
        .map(|s| s.revision)
        .collect();
    assert_eq!(
        back,
        expected
            .iter()
            .rev()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    );
}

#[test]
fn rows_written_by_alembic_still_work() {
    // Alembic folds a dependency's row into its dependent's: y2 alone implies x1.
    let g = dependent_branches();
    assert_eq!(
        downgrade(&g, &["y2"], "y1"),
        ["-y2: update y2 -> y1, insert x1"]
    );
    assert_eq!(upgrade(&g, &["y2"], "heads"), ["+x2: insert x2"]);
    // A redundant row (an ancestor of another row) is left alone.
    assert_eq!(upgrade(&linear(), &["a", "b"], "c"), ["+c: update b -> c"]);
    assert_eq!(
        downgrade(&linear(), &["a", "c"], "b"),
        ["-c: update c -> b"]
    );
}

/// The rows after upgrading from `current` to `target`, sorted.
fn rows_of(g: &RevisionGraph, current: &[&str], target: &str) -> Vec<String> {
    let current = strings(current);
    rows_after(&current, &g.upgrade(&current, target).unwrap())
        .into_iter()
        .collect()
}
