//! Ranges `a:b`, as `db history -r` takes them.

use super::*;
use crate::revision::graph::fixtures::{id, linear};

fn range(graph: &RevisionGraph, spec: &str, current: &[&str]) -> Vec<String> {
    graph
        .range(spec, &strings(current))
        .unwrap_or_else(|e| panic!("range {spec}: {e}"))
        .into_iter()
        .map(str::to_string)
        .collect()
}

fn range_error(graph: &RevisionGraph, spec: &str, current: &[&str]) -> String {
    graph
        .range(spec, &strings(current))
        .expect_err("the range is refused")
        .to_string()
}

/// a -> b -> c -> d
fn chain() -> RevisionGraph {
    graph([r("a", &[]), r("b", &["a"]), r("c", &["b"]), r("d", &["c"])])
}

#[test]
fn both_ends_are_included_newest_first() {
    let g = chain();
    assert_eq!(range(&g, "b:c", &[]), ["c", "b"]);
    assert_eq!(range(&g, "b:b", &[]), ["b"]);
    assert_eq!(range(&g, "a:d", &[]), ["d", "c", "b", "a"]);
}

#[test]
fn an_empty_side_means_base_or_the_heads() {
    let g = chain();
    assert_eq!(range(&g, ":b", &[]), ["b", "a"]);
    assert_eq!(range(&g, "c:", &[]), ["d", "c"]);
    assert_eq!(range(&g, ":", &[]), ["d", "c", "b", "a"]);
    assert_eq!(
        range(&g, "base:b", &[]),
        ["b", "a"],
        "base is below everything"
    );
    assert_eq!(range(&g, "c:heads", &[]), ["d", "c"]);
}

#[test]
fn sides_are_target_expressions_or_current() {
    let g = chain();
    assert_eq!(range(&g, "current:", &["b"]), ["d", "c", "b"]);
    assert_eq!(range(&g, ":current", &["b"]), ["b", "a"]);
    assert_eq!(range(&g, "current:head", &["c"]), ["d", "c"]);
    assert_eq!(range(&g, "-1:", &["c"]), ["d", "c", "b"]);
    assert_eq!(range(&g, "a+1:d-1", &[]), ["c", "b"]);
    assert_eq!(
        range(&g, "current:", &[]),
        ["d", "c", "b", "a"],
        "nothing applied"
    );
}

#[test]
fn ranges_follow_branches_and_dependencies() {
    // a -> b1, b2 -> m ; x (label x, on b1) -> x2 ; y depends on x.
    let g = graph([
        r("a", &[]),
        r("b1", &["a"]),
        r("b2", &["a"]),
        r("m", &["b1", "b2"]),
        r("x1", &["b1"]).labels(&["x"]),
        r("x2", &["x1"]),
        r("y", &[]).deps(&["x2"]),
    ]);
    assert_eq!(range(&g, "a:m", &[]), ["m", "b2", "b1", "a"]);
    // Upgrading from b2 to m needs b1 too.
    assert_eq!(range(&g, "b2:m", &[]), ["m", "b2", "b1"]);
    assert_eq!(range(&g, "x@base:x@head", &[]), ["x2", "x1"]);
    assert_eq!(range(&g, "b1:y", &[]), ["y", "x2", "x1", "b1"]);
    assert_eq!(range(&g, ":y", &[]), ["y", "x2", "x1", "b1", "a"]);
    assert_eq!(
        range(&g, "current:", &["b1", "b2"]),
        ["y", "x2", "x1", "m", "b2", "b1"]
    );
}

#[test]
fn a_range_is_what_an_upgrade_runs_plus_its_start() {
    let g = graph([
        r("x1", &[]).labels(&["x"]),
        r("x2", &["x1"]),
        r("x3", &["x2"]),
        r("y1", &[]).labels(&["y"]),
        r("y2", &["y1"]).deps(&["x2"]),
    ]);
    let plan = g.upgrade(&strings(&["y1"]), "y2").expect("upgrade");
    let mut upgraded: BTreeSet<String> = plan.into_iter().map(|s| s.revision).collect();
    upgraded.insert("y1".to_string());
    let ranged = range(&g, "y1:y2", &[]);
    assert_eq!(ranged.iter().cloned().collect::<BTreeSet<_>>(), upgraded);
    // Newest first in the topological order, where x3 comes before y1.
    assert_eq!(ranged, ["y2", "y1", "x2", "x1"]);
}

#[test]
fn a_range_needs_exactly_one_colon() {
    let g = chain();
    let message = "is not a range: write `a:b` (`a:` runs to the heads, `:b` from base; \
                   either side may be `current`)";
    assert_eq!(range_error(&g, "b", &[]), format!("'b' {message}"));
    assert_eq!(range_error(&g, "a:b:c", &[]), format!("'a:b:c' {message}"));
}

#[test]
fn a_start_above_its_end_is_refused() {
    let g = chain();
    assert_eq!(
        range_error(&g, "c:a", &[]),
        "revision c is not an ancestor of a: the range c:a is empty; did you mean a:c?"
    );
    assert_eq!(
        range_error(&g, "current:b", &["d"]),
        "revision d is not an ancestor of b: the range current:b is empty; did you mean \
         b:current?"
    );
    assert_eq!(
        range_error(&g, "b:base", &[]),
        "revision b is not an ancestor of base: the range b:base is empty; did you mean base:b?"
    );
    let fork = graph([r("a", &[]), r("b1", &["a"]), r("b2", &["a"])]);
    assert_eq!(
        range_error(&fork, "b1:b2", &[]),
        "revision b1 is not an ancestor of b2: the range b1:b2 is empty; did you mean b2:b1?"
    );
}

#[test]
fn sides_that_do_not_resolve_say_why() {
    let g = chain();
    assert_eq!(range_error(&g, "zzzz:", &[]), "no revision matches 'zzzz'");
    assert_eq!(
        range_error(&g, ":current", &["nope"]),
        "the version table names revision 'nope', which is not among the known revisions"
    );
    let fork = graph([r("a", &[]), r("b1", &["a"]), r("b2", &["a"])]);
    assert_eq!(
        range_error(&fork, "a:head", &[]),
        "'head' designates several heads (b1, b2); name one: `b1` or `b2`, or use `heads` for \
         all of them"
    );
}

#[test]
fn a_long_chain_is_ranged_in_one_pass() {
    let g = graph(linear(10_000));
    assert_eq!(g.range(":", &[]).expect("range").len(), 10_000);
    let spec = format!("{}:{}", id(100), id(9_000));
    let range = g.range(&spec, &[id(5_000)]).expect("range");
    assert_eq!(range.len(), 8_901);
    assert_eq!(range[0], id(9_000));
    assert_eq!(range[8_900], id(100));
    assert_eq!(
        g.range("current:", &[id(5_000)]).expect("range").len(),
        5_000
    );
}
