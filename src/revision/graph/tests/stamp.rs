//! `stamp`: the version-table changes, shown one a line (`insert b`, `update a -> b`,
//! `delete a`), checked to apply to the rows and to leave a valid set of heads.

use super::*;
use crate::revision::graph::fixtures::{id, linear};

/// The changes of `stamp`, after checking them, and the rows they leave.
fn stamp(
    graph: &RevisionGraph,
    current: &[&str],
    targets: &[&str],
    purge: bool,
) -> (Vec<String>, Vec<String>) {
    let changes = graph
        .stamp(&strings(current), &strings(targets), purge)
        .unwrap_or_else(|e| panic!("stamp {targets:?}: {e}"));
    let mut rows: BTreeSet<String> = strings(current).into_iter().collect();
    apply(&mut rows, &changes);
    let rows: Vec<String> = rows.into_iter().collect();
    assert_heads(graph, &rows);
    let shown = changes.iter().map(show_change).collect();
    (shown, rows)
}

fn stamp_error(graph: &RevisionGraph, current: &[&str], targets: &[&str], purge: bool) -> String {
    graph
        .stamp(&strings(current), &strings(targets), purge)
        .expect_err("the stamp is refused")
        .to_string()
}

fn show_change(change: &VersionChange) -> String {
    match change {
        VersionChange::Insert(id) => format!("insert {id}"),
        VersionChange::Delete(id) => format!("delete {id}"),
        VersionChange::Update { from, to } => format!("update {from} -> {to}"),
    }
}

/// No row is an ancestor of another through parents.
#[track_caller]
fn assert_heads(graph: &RevisionGraph, rows: &[String]) {
    for row in rows {
        let mut below = BTreeSet::new();
        let mut todo = graph.get(row).expect("a known row").down_revisions.clone();
        while let Some(id) = todo.pop() {
            if below.insert(id.clone()) {
                todo.extend(graph.get(&id).expect("known").down_revisions.clone());
            }
        }
        let under: Vec<&String> = rows.iter().filter(|r| below.contains(*r)).collect();
        assert!(under.is_empty(), "{under:?} are below {row} among {rows:?}");
    }
}

fn chain() -> RevisionGraph {
    graph([r("a", &[]), r("b", &["a"]), r("c", &["b"])])
}

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

/// a -> b -> c, and branch x growing from b: x1 (x) -> x2.
fn trunk_and_branch() -> RevisionGraph {
    graph([
        r("a", &[]),
        r("b", &["a"]),
        r("c", &["b"]),
        r("x1", &["b"]).labels(&["x"]),
        r("x2", &["x1"]),
    ])
}

#[test]
fn stamping_an_empty_table_inserts_rows() {
    let g = chain();
    assert_eq!(
        stamp(&g, &[], &["b"], false),
        (strings(&["insert b"]), strings(&["b"]))
    );
    assert_eq!(stamp(&g, &[], &["heads"], false).0, ["insert c"]);
    assert_eq!(stamp(&g, &[], &["head"], false).0, ["insert c"]);
    assert_eq!(
        stamp(&fork(), &[], &["heads"], false).0,
        ["insert b1", "insert b2"]
    );
}

#[test]
fn stamping_up_or_down_a_branch_moves_its_row() {
    let g = chain();
    assert_eq!(stamp(&g, &["a"], &["c"], false).0, ["update a -> c"]);
    assert_eq!(stamp(&g, &["c"], &["a"], false).0, ["update c -> a"]);
    assert_eq!(stamp(&fork(), &["a"], &["b1"], false).0, ["update a -> b1"]);
    assert_eq!(
        stamp(&diamond(), &["b1"], &["d"], false).0,
        ["update b1 -> d"]
    );
}

#[test]
fn stamping_a_row_again_does_nothing() {
    assert!(stamp(&chain(), &["b"], &["b"], false).0.is_empty());
    assert!(
        stamp(&fork(), &["b1", "b2"], &["heads"], false)
            .0
            .is_empty()
    );
    assert!(stamp(&chain(), &["b"], &["b", "b"], false).0.is_empty());
}

#[test]
fn stamping_another_branch_adds_a_row() {
    assert_eq!(
        stamp(&fork(), &["b1"], &["b2"], false),
        (strings(&["insert b2"]), strings(&["b1", "b2"]))
    );
    let independent = labelled();
    assert_eq!(stamp(&independent, &["c"], &["f"], false).0, ["insert f"]);
    assert_eq!(
        stamp(&independent, &["c"], &["ebranch@head"], false).0,
        ["insert f"]
    );
}

#[test]
fn stamping_a_merge_merges_rows_and_a_parent_replaces_the_merge() {
    let g = diamond();
    assert_eq!(
        stamp(&g, &["b1", "b2"], &["m"], false),
        (strings(&["delete b1", "update b2 -> m"]), strings(&["m"]))
    );
    assert_eq!(
        stamp(&g, &["b1", "b2"], &["d"], false).0,
        ["delete b1", "update b2 -> d"]
    );
    assert_eq!(
        stamp(&g, &["b1", "b2"], &["a"], false).0,
        ["delete b1", "update b2 -> a"]
    );
    // Stamping is not a downgrade: b2 is no longer applied.
    assert_eq!(
        stamp(&g, &["d"], &["b1"], false),
        (strings(&["update d -> b1"]), strings(&["b1"]))
    );
}

#[test]
fn stamping_base_deletes_rows() {
    let g = diamond();
    assert_eq!(
        stamp(&g, &["b1", "b2"], &["base"], false),
        (strings(&["delete b1", "delete b2"]), vec![])
    );
    assert!(stamp(&g, &[], &["base"], false).0.is_empty());
    assert_eq!(
        stamp(&labelled(), &["c", "f"], &["ebranch@base"], false).0,
        ["delete f"]
    );
}

#[test]
fn stamping_a_branch_base_keeps_the_trunk_it_grows_from() {
    let g = trunk_and_branch();
    assert_eq!(
        stamp(&g, &["c", "x2"], &["x@base"], false),
        (strings(&["delete x2"]), strings(&["c"]))
    );
    assert_eq!(
        stamp(&g, &["x2"], &["x@base"], false),
        (strings(&["update x2 -> b"]), strings(&["b"]))
    );
    assert!(
        stamp(&g, &["c"], &["x@base"], false).0.is_empty(),
        "x is not applied"
    );
    // `<rev>@base` starts from the bases below the revision: here, everything.
    assert_eq!(
        stamp(&g, &["c", "x2"], &["x2@base"], false).0,
        ["delete c", "delete x2"]
    );
}

#[test]
fn stamping_a_branch_base_removes_what_depends_on_it() {
    // x1 (x) -> x2 ; y1 (y) -> y2, which depends on x1.
    let g = graph([
        r("x1", &[]).labels(&["x"]),
        r("x2", &["x1"]),
        r("y1", &[]).labels(&["y"]),
        r("y2", &["y1"]).deps(&["x1"]),
    ]);
    assert_eq!(
        stamp(&g, &["x2", "y2"], &["x@base"], false),
        (strings(&["delete x2", "update y2 -> y1"]), strings(&["y1"]))
    );
    assert_eq!(
        stamp(&g, &["x2", "y2"], &["y@base"], false).0,
        ["delete y2"]
    );
    assert_eq!(
        stamp(&g, &["x1"], &["y2"], false).0,
        ["insert y2"],
        "a dependency keeps its row"
    );
}

#[test]
fn relative_targets_start_from_the_rows() {
    let g = chain();
    assert_eq!(stamp(&g, &["c"], &["-1"], false).0, ["update c -> b"]);
    assert_eq!(stamp(&g, &["c"], &["-2"], false).0, ["update c -> a"]);
    assert_eq!(
        stamp(&g, &["a"], &["-1"], false).0,
        ["delete a"],
        "down to base"
    );
    assert_eq!(stamp(&g, &["c"], &["-3"], false).0, ["delete c"]);
    assert_eq!(stamp(&g, &["a"], &["+1"], false).0, ["update a -> b"]);
    assert_eq!(stamp(&g, &[], &["+1"], false).0, ["insert a"]);
}

#[test]
fn several_targets_apply_one_after_another() {
    assert_eq!(
        stamp(&fork(), &[], &["b1", "b2"], false).0,
        ["insert b1", "insert b2"]
    );
    assert_eq!(
        stamp(&fork(), &["a"], &["b1", "b2"], false),
        (
            strings(&["update a -> b1", "insert b2"]),
            strings(&["b1", "b2"])
        )
    );
    assert_eq!(
        stamp(&chain(), &["c"], &["base", "b"], false).0,
        ["delete c", "insert b"]
    );
    assert_eq!(
        stamp(&diamond(), &["a"], &["b2", "b1"], false).0,
        ["update a -> b2", "insert b1"]
    );
}

#[test]
fn purge_deletes_every_row_first() {
    let g = chain();
    assert_eq!(
        stamp(&g, &["c", "gone"], &["b"], true),
        (
            strings(&["delete c", "delete gone", "insert b"]),
            strings(&["b"])
        )
    );
    assert_eq!(stamp(&g, &["c"], &["c"], true).0, ["delete c", "insert c"]);
    assert_eq!(
        stamp(&g, &["c", "gone"], &["base"], true).0,
        ["delete c", "delete gone"]
    );
    assert_eq!(
        stamp_error(&g, &["c"], &["-1"], true),
        "relative revision -1 goes past base: no revision is applied on this branch",
        "after a purge, no row is left to step from"
    );
}

#[test]
fn stamp_errors_say_what_to_do() {
    let g = chain();
    assert_eq!(
        stamp_error(&g, &["a"], &[], false),
        "nothing to stamp: name a revision, `heads` or `base`"
    );
    assert_eq!(
        stamp_error(&g, &["gone"], &["b"], false),
        "the version table names revision 'gone', which is not among the known revisions; use \
         `db stamp --purge <target>` to replace every row"
    );
    assert_eq!(
        stamp_error(&g, &[], &["zzzz"], false),
        "no revision matches 'zzzz'"
    );
    assert_eq!(
        stamp_error(&fork(), &[], &["head"], false),
        "'head' designates several heads (b1, b2); name one: `db stamp b1` or `db stamp b2`, \
         or use `heads` for all of them"
    );
}

#[test]
fn targets_on_one_line_of_history_conflict() {
    let g = chain();
    assert_eq!(
        stamp_error(&g, &[], &["a", "c"], false),
        "stamp targets 'a' and 'c' conflict: a is an ancestor of c, so they cannot both be \
         heads; stamp one of them"
    );
    assert_eq!(
        stamp_error(&g, &["b"], &["c", "-1"], false),
        "stamp targets 'c' and '-1' conflict: a is an ancestor of c, so they cannot both be \
         heads; stamp one of them"
    );
    assert_eq!(
        stamp_error(&g, &["b"], &["b", "c"], false),
        "stamp targets 'b' and 'c' conflict: b is an ancestor of c, so they cannot both be \
         heads; stamp one of them"
    );
    assert_eq!(
        stamp_error(&fork(), &[], &["b1", "base"], false),
        "stamp target 'base' removes the row b1 that 'b1' stamps; give 'base' first or drop \
         one of them"
    );
}

#[test]
fn a_long_chain_is_stamped_in_one_pass() {
    let g = graph(linear(10_000));
    let (first, last) = (id(0), id(9_999));
    let (first, last) = (first.as_str(), last.as_str());
    let update = |from: &str, to: &str| format!("update {from} -> {to}");
    assert_eq!(
        stamp(&g, &[first], &["heads"], false).0,
        [update(first, last)]
    );
    assert_eq!(stamp(&g, &[last], &[first], false).0, [update(last, first)]);
    assert_eq!(
        stamp(&g, &[last], &["base"], false).0,
        [format!("delete {last}")]
    );
    assert_eq!(
        stamp(&g, &[last], &["-9999"], false).0,
        [update(last, first)]
    );
}
