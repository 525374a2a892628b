//! Building: validation errors, heads, bases, topological order and ancestors.

use super::*;

#[test]
fn a_linear_chain_has_one_head_and_one_base() {
    let g = graph([r("c3", &["b2"]), r("a1", &[]), r("b2", &["a1"])]);
    assert_eq!(g.len(), 3);
    assert!(!g.is_empty());
    assert_eq!(g.heads(), ["c3"]);
    assert_eq!(g.bases(), ["a1"]);
    assert_eq!(g.topological(), ["a1", "b2", "c3"]);
    assert_eq!(g.ancestors("c3"), ["a1", "b2"]);
    assert_eq!(g.ancestors("a1"), Vec::<&str>::new());
    assert_eq!(g.ancestors("nope"), Vec::<&str>::new());
    assert_eq!(
        g.get("b2").map(|r| r.down_revisions.clone()),
        Some(vec!["a1".to_string()])
    );
    assert_eq!(g.get("b"), None, "get takes exact ids only");
}

#[test]
fn an_empty_graph_is_valid() {
    let g = graph([]);
    assert!(g.is_empty());
    assert_eq!(g.heads(), Vec::<&str>::new());
    assert_eq!(g.bases(), Vec::<&str>::new());
    assert_eq!(resolve(&g, "head", &[]), Vec::<String>::new());
    assert_eq!(resolve(&g, "heads", &[]), Vec::<String>::new());
    assert!(g.upgrade(&[], "heads").unwrap().is_empty());
    assert!(g.downgrade(&[], "base").unwrap().is_empty());
}

#[test]
fn branches_give_several_heads_sorted() {
    // a -> b1 -> c1 -> d11, d12 ; a -> b2
    let g = graph([
        r("a", &[]),
        r("b1", &["a"]),
        r("b2", &["a"]),
        r("c1", &["b1"]),
        r("d12", &["c1"]),
        r("d11", &["c1"]),
    ]);
    assert_eq!(g.heads(), ["b2", "d11", "d12"]);
    assert_eq!(g.bases(), ["a"]);
    // Smallest id first among the revisions that could come next.
    assert_eq!(g.topological(), ["a", "b1", "b2", "c1", "d11", "d12"]);
}

#[test]
fn merges_of_two_and_three_parents_close_branches() {
    let g = graph([
        r("a", &[]),
        r("b1", &["a"]),
        r("b2", &["a"]),
        r("b3", &["a"]),
        r("m2", &["b1", "b2"]),
        r("m3", &["m2", "b3", "x"]),
        r("x", &[]),
    ]);
    assert_eq!(g.heads(), ["m3"]);
    assert_eq!(g.bases(), ["a", "x"]);
    assert_eq!(g.ancestors("m3"), ["a", "b1", "b2", "b3", "m2", "x"]);
    assert_eq!(g.topological(), ["a", "b1", "b2", "b3", "m2", "x", "m3"]);
}

#[test]
fn multiple_bases_with_a_cross_branch_merge() {
    let g = graph([
        r("base1", &[]),
        r("base2", &[]),
        r("base3", &[]),
        r("a1a", &["base1"]),
        r("a1b", &["base1"]),
        r("a2", &["base2"]),
        r("a3", &["base3"]),
        r("b2", &["a2"]),
        r("b3", &["a3"]),
        r("mergeb3b2", &["b3", "b2"]),
    ]);
    assert_eq!(g.heads(), ["a1a", "a1b", "mergeb3b2"]);
    assert_eq!(g.bases(), ["base1", "base2", "base3"]);
}

#[test]
fn dependencies_are_not_heads_and_come_first() {
    // Branch 3 is needed by branches 1 and 2 (through a3).
    let g = graph([
        r("base1", &[]).labels(&["one"]),
        r("a1a", &["base1"]),
        r("a1b", &["base1"]),
        r("b1b", &["a1b"]).deps(&["a3"]),
        r("base2", &[]).labels(&["two"]),
        r("c2", &["base2"]).deps(&["a3"]),
        r("base3", &[]).labels(&["three"]),
        r("a3", &["base3"]),
        r("b3", &["a3"]),
    ]);
    assert_eq!(g.heads(), ["a1a", "b1b", "b3", "c2"]);
    assert_eq!(g.ancestors("c2"), ["base2", "base3", "a3"]);
    assert_eq!(g.ancestors("b1b"), ["base1", "a1b", "base3", "a3"]);
    let order = g.topological();
    let position = |id: &str| order.iter().position(|o| *o == id).unwrap();
    assert!(position("a3") < position("b1b") && position("a3") < position("c2"));
}

#[test]
fn a_head_that_another_branch_depends_on_is_not_a_head() {
    let g = graph([r("x1", &[]), r("x2", &["x1"]), r("y1", &[]).deps(&["x2"])]);
    assert_eq!(g.heads(), ["y1"], "heads are dependency-aware");
    assert_eq!(
        g.bases(),
        ["x1", "y1"],
        "a revision with only a dependency is still a base"
    );
    assert_eq!(g.topological(), ["x1", "x2", "y1"]);
}

#[test]
fn depends_on_may_name_a_label_or_a_prefix() {
    let g = graph([
        r("aaaa1111", &[]).labels(&["core"]),
        r("aaaa2222", &["aaaa1111"]),
        r("bbbb1111", &[]).deps(&["core"]),
        r("cccc1111", &[]).deps(&["aaaa2"]),
    ]);
    // A label means the revision declaring it, as in Alembic.
    assert_eq!(g.ancestors("bbbb1111"), ["aaaa1111"]);
    assert_eq!(g.ancestors("cccc1111"), ["aaaa1111", "aaaa2222"]);
    assert_eq!(g.heads(), ["bbbb1111", "cccc1111"]);
}

#[test]
fn a_dependency_that_is_also_a_parent_counts_once() {
    let g = graph([
        r("user_foo", &[]),
        r("user", &["user_foo"]).deps(&["user_foo"]),
    ]);
    assert_eq!(g.heads(), ["user"]);
    assert_eq!(g.topological(), ["user_foo", "user"]);
    assert_eq!(
        upgrade(&g, &[], "heads"),
        [
            "+user_foo: insert user_foo",
            "+user: update user_foo -> user"
        ]
    );
}

#[test]
fn ids_are_checked() {
    let mut no_origin = r("", &[]);
    no_origin.origin = None;
    assert_eq!(build_error([no_origin]), "a revision has an empty id");
    assert_eq!(
        build_error([r("ab-cd", &[])]),
        "character(s) '-' not allowed in revision id 'ab-cd' (in ab-cd.rs): ids may not contain \
         '@', '-', '+', ':' or whitespace"
    );
    assert_eq!(
        build_error([r("a@b+c:d-e@", &[])]),
        "character(s) '@', '+', ':', '-' not allowed in revision id 'a@b+c:d-e@' (in \
         a@b+c:d-e@.rs): ids may not contain '@', '-', '+', ':' or whitespace"
    );
    assert!(
        build_error([r("ab cd", &[])])
            .starts_with("character(s) ' ' not allowed in revision id 'ab cd'")
    );
    assert!(build_error([r("ab\tcd", &[])]).starts_with("character(s) '\\t' not allowed"));
    let long = "0123456789abcdef0123456789abcdef0";
    assert_eq!(
        build_error([r(long, &[])]),
        format!(
            "revision id '{long}' (in {long}.rs) has 33 characters; the version table holds at \
             most 32"
        )
    );
    assert_eq!(graph([r(&long[..32], &[])]).len(), 1, "32 characters fit");
    assert_eq!(
        build_error([r("heads", &[])]),
        "revision id 'heads' (in heads.rs) is reserved: `head`, `heads` and `base` name targets"
    );
}

#[test]
fn a_duplicate_id_names_both_files() {
    let mut first = r("a1b2", &[]);
    first.origin = Some("a1b2_first.rs".to_string());
    let mut second = r("a1b2", &[]);
    second.origin = Some("a1b2_second.rs".to_string());
    assert_eq!(
        build_error([r("zzzz", &[]), first, second]),
        "revision id 'a1b2' is defined twice (in a1b2_first.rs and in a1b2_second.rs)"
    );
}

#[test]
fn missing_parents_and_dependencies_name_the_file() {
    assert_eq!(
        build_error([r("a", &[]), r("b", &["a", "dead0000"])]),
        "revision 'b' (in b.rs) revises 'dead0000', which is not a known revision"
    );
    assert_eq!(
        build_error([r("a", &[]), r("b", &["a"]).deps(&["nothing"])]),
        "revision 'b' (in b.rs) depends on 'nothing', which is neither a revision, a branch \
         label nor a \
         unique prefix (at least 4 characters) of a revision id"
    );
    // Too short to be a prefix, even though one id starts with it.
    assert!(
        build_error([r("abcd1", &[]), r("b", &[]).deps(&["abc"])])
            .contains("depends on 'abc', which is neither")
    );
    assert_eq!(
        build_error([
            r("abcd1", &[]),
            r("abcd2", &[]),
            r("b", &[]).deps(&["abcd"])
        ]),
        "revision 'b' (in b.rs) depends on 'abcd', which matches several revisions (abcd1, \
         abcd2); give the full id"
    );
}

#[test]
fn branch_labels_are_checked() {
    assert_eq!(
        build_error([r("c", &[]).labels(&["xy1"]), r("e", &[]).labels(&["xy1"])]),
        "branch label 'xy1' is declared by revision 'c' (in c.rs) and by revision 'e' (in e.rs)"
    );
    assert_eq!(
        build_error([r("a", &[]), r("b", &["a"]).labels(&["a"])]),
        "branch label 'a' of revision 'b' (in b.rs) is also the id of a revision"
    );
    let invalid = "branch label '{}' of revision 'a' (in a.rs) is not valid: a label may not be \
     empty, contain \
                   '@', ':' or whitespace, or be `head`, `heads` or `base`";
    for label in ["", "x@y", "x y", "a:b", "head", "base"] {
        assert_eq!(
            build_error([r("a", &[]).labels(&[label])]),
            invalid.replace("{}", label)
        );
    }
    // The same label twice in one revision is harmless; `-` and `.` are fine in labels.
    let g = graph([r("a", &[]).labels(&["tuto.data-reduction", "tuto.data-reduction"])]);
    assert_eq!(g.label_heads("tuto.data-reduction").unwrap(), ["a"]);
}

#[test]
fn a_revision_naming_itself_is_a_cycle() {
    assert_eq!(
        build_error([r("a", &["a"])]),
        "revisions form a cycle (each revises or depends on the one before it): a -> a (in a.rs)"
    );
    assert!(
        build_error([r("a", &[]), r("b", &["a", "b"]), r("c1", &["b"])])
            .ends_with(": b -> b (in b.rs)")
    );
    assert!(
        build_error([r("a", &[]), r("b", &["a"]).deps(&["b"])]).ends_with(": b -> b (in b.rs)")
    );
}

#[test]
fn a_cycle_is_printed_as_a_path() {
    // a revises c, b revises a, c revises b.
    let simple = [r("a", &["c"]), r("b", &["a"]), r("c", &["b"])];
    let message = "revisions form a cycle (each revises or depends on the one before it): a -> b \
     -> c -> a \
                   (in a.rs, b.rs, c.rs)";
    assert_eq!(build_error(simple.clone()), message);
    // Revisions hanging below or beside the cycle are not part of it.
    let lower = simple
        .iter()
        .cloned()
        .chain([r("d", &["c"]), r("e", &["d"]), r("f", &[])]);
    assert_eq!(build_error(lower), message);
    // A cycle above a sound base.
    let upper = [
        r("a", &[]),
        r("b", &["a"]),
        r("c", &["b", "e"]),
        r("d", &["c"]),
        r("e", &["d"]),
    ];
    assert!(build_error(upper).ends_with(": c -> d -> e -> c (in c.rs, d.rs, e.rs)"));
}

#[test]
fn a_dependency_cycle_is_a_cycle() {
    let revisions = [
        r("a", &[]).deps(&["c"]),
        r("b", &["a"]),
        r("c", &["b"]),
        r("d", &[]),
        r("e", &["d"]),
    ];
    assert!(build_error(revisions).ends_with(": a -> b -> c -> a (in a.rs, b.rs, c.rs)"));
    let mut unnamed = r("b", &[]).deps(&["a"]);
    unnamed.origin = None;
    assert_eq!(
        build_error([r("a", &[]).deps(&["b"]), unnamed]),
        "revisions form a cycle (each revises or depends on the one before it): a -> b -> a (in \
         a.rs)"
    );
}

#[test]
fn validation_stops_at_the_first_kind_of_error() {
    // Ids are checked before duplicates, duplicates before edges, edges before cycles.
    assert!(build_error([r("a-b", &[]), r("c", &["c"])]).starts_with("character(s)"));
    assert!(
        build_error([r("a", &["zzz"]), r("a", &[])])
            .starts_with("revision id 'a' is defined twice")
    );
    assert!(build_error([r("a", &["a"]), r("b", &["zzz"])]).contains("revises 'zzz'"));
}
