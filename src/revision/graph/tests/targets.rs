//! Target expressions: symbols, partial ids, branches and relative steps.

use super::*;

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

#[test]
fn head_heads_and_base() {
    let g = labelled();
    assert_eq!(resolve(&g, "heads", &[]), ["c", "f"]);
    assert_eq!(resolve(&g, "base", &["c"]), Vec::<String>::new());
    assert_eq!(
        resolve_error(&g, "head", &[]),
        "'head' designates several heads (c, f); name one: `abranch@head` or `ebranch@head`, or \
         use `heads` for \
         all of them"
    );
    assert_eq!(
        upgrade_error(&g, &[], "head"),
        "'head' designates several heads (c, f); name one: `db upgrade abranch@head` or `db \
         upgrade \
         ebranch@head`, or use `heads` for all of them"
    );
    // Downgrade refuses `heads`, so it is not suggested.
    assert_eq!(
        downgrade_error(&g, &["c", "f"], "head"),
        "'head' designates several heads (c, f); name one: `db downgrade abranch@head` or `db \
         downgrade \
         ebranch@head`"
    );
    let single = graph([r("a", &[]), r("b", &["a"])]);
    assert_eq!(resolve(&single, "head", &[]), ["b"]);
}

#[test]
fn heads_without_a_label_are_named_by_id() {
    let g = diamond();
    let g2 = graph([r("a", &[]), r("b1", &["a"]), r("b2", &["a"])]);
    assert_eq!(resolve(&g, "head", &[]), ["d"]);
    assert_eq!(
        resolve_error(&g2, "head", &[]),
        "'head' designates several heads (b1, b2); name one: `b1` or `b2`, or use `heads` for \
         all of them"
    );
}

#[test]
fn head_is_the_single_dependency_aware_head() {
    // x2 is a head of its branch, but y1 depends on it: `heads` and `head` mean y1 alone.
    let g = graph([
        r("x1", &[]).labels(&["x"]),
        r("x2", &["x1"]),
        r("y1", &[]).deps(&["x2"]),
    ]);
    assert_eq!(resolve(&g, "head", &[]), ["y1"]);
    assert_eq!(resolve(&g, "heads", &[]), ["y1"]);
    assert_eq!(resolve(&g, "x@head", &[]), ["x2"]);
}

#[test]
fn branch_at_head_heads_and_base() {
    let g = labelled();
    assert_eq!(resolve(&g, "abranch@head", &[]), ["c"]);
    assert_eq!(resolve(&g, "abranch@heads", &[]), ["c"]);
    assert_eq!(resolve(&g, "ebranch@head", &[]), ["f"]);
    assert_eq!(resolve(&g, "abranch@base", &[]), Vec::<String>::new());
    assert_eq!(resolve(&g, "ebranch@base", &[]), Vec::<String>::new());
    // A revision can stand for its branch.
    assert_eq!(resolve(&g, "e@head", &[]), ["f"]);
    assert_eq!(
        resolve(&g, "somelongername@base", &[]),
        Vec::<String>::new()
    );
    assert_eq!(resolve(&g, "someoth@head", &[]), ["f"]);
    let forked = graph([
        r("a", &[]),
        r("b", &["a"]).labels(&["w"]),
        r("c1", &["b"]),
        r("c2", &["b"]),
    ]);
    assert_eq!(
        resolve_error(&forked, "w@head", &[]),
        "'w@head' designates several heads (c1, c2); name one: `c1` or `c2`, or use `w@heads` \
         for all of them"
    );
    assert_eq!(resolve(&forked, "w@heads", &[]), ["c1", "c2"]);
}

#[test]
fn the_base_of_a_forked_branch_is_its_branch_point() {
    let g = graph([
        r("a", &[]),
        r("b", &["a"]),
        r("c1", &["b"]),
        r("d1", &["c1"]).labels(&["x"]),
        r("c2", &["b"]),
    ]);
    assert_eq!(resolve(&g, "x@base", &[]), ["b"]);
}

#[test]
fn branch_at_revision_checks_the_lineage() {
    let g = labelled();
    assert_eq!(resolve(&g, "ebranch@d", &[]), ["d"]);
    assert_eq!(resolve(&g, "e@d", &[]), ["d"]);
    // Ambiguous on its own, unique within a branch.
    assert_eq!(resolve(&g, "ebranch@some", &[]), ["someothername"]);
    assert_eq!(resolve(&g, "abranch@some", &[]), ["somelongername"]);
    assert_eq!(
        resolve_error(&g, "ebranch@b", &[]),
        "revision 'b' is not on branch 'ebranch'"
    );
    assert_eq!(
        resolve_error(&g, "abranch@someoth", &[]),
        "revision 'someoth' is not on branch 'abranch'"
    );
    assert_eq!(
        resolve_error(&g, "abranch@qprstuv", &[]),
        "no revision matches 'qprstuv'"
    );
    assert_eq!(
        resolve_error(&g, "x@d", &[]),
        "no branch label or revision matches 'x'"
    );
    assert_eq!(
        resolve_error(&g, "some@head", &[]),
        "'some' matches several revisions (somelongername, someothername); give more characters"
    );
}

#[test]
fn partial_ids() {
    let g = graph([
        r("ae1027a6acf", &[]),
        r("ae1033b7", &["ae1027a6acf"]),
        r("bbbb1111", &["ae1033b7"]),
    ]);
    assert_eq!(resolve(&g, "ae1027", &[]), ["ae1027a6acf"]);
    assert_eq!(resolve(&g, "bbbb", &[]), ["bbbb1111"]);
    assert_eq!(resolve(&g, "ae1033b7", &[]), ["ae1033b7"]);
    assert_eq!(
        resolve_error(&g, "ae10", &[]),
        "'ae10' matches several revisions (ae1027a6acf, ae1033b7); give more characters"
    );
    assert_eq!(
        resolve_error(&g, "bbb", &[]),
        "'bbb' is too short: give at least 4 characters"
    );
    assert_eq!(resolve_error(&g, "ab", &[]), "no revision matches 'ab'");
    assert_eq!(resolve_error(&g, "cccc", &[]), "no revision matches 'cccc'");
    assert_eq!(
        resolve_error(&g, "bbbb11112", &[]),
        "no revision matches 'bbbb11112'"
    );
    // A short id given in full is fine.
    assert_eq!(resolve(&labelled(), "e", &[]), ["e"]);
}

#[test]
fn a_bare_label_is_not_a_revision() {
    assert_eq!(
        resolve_error(&labelled(), "abranch", &[]),
        "'abranch' is a branch label, not a revision: use `abranch@head`, `abranch@heads` or \
         `abranch@base`"
    );
}

#[test]
fn relative_steps_from_the_current_rows() {
    let g = labelled();
    assert_eq!(resolve(&g, "-1", &["c"]), ["somelongername"]);
    assert_eq!(
        resolve(&g, "-4", &["c"]),
        Vec::<String>::new(),
        "four steps down from c is base"
    );
    assert_eq!(resolve(&g, "+1", &["b"]), ["somelongername"]);
    assert_eq!(resolve(&g, "+2", &["a"]), ["somelongername"]);
    assert_eq!(resolve(&g, "ebranch@-2", &["c", "f"]), ["e"]);
    assert_eq!(resolve(&g, "c@-1", &["c", "f"]), ["somelongername"]);
    assert_eq!(resolve(&g, "abranch@-1", &["c", "f"]), ["somelongername"]);
    // Nothing of ebranch is applied: step up from base, within the branch (d carries its label).
    assert_eq!(resolve(&g, "ebranch@+1", &["c"]), ["d"]);
    assert_eq!(resolve(&g, "ebranch@+2", &[]), ["e"]);
}

#[test]
fn relative_steps_from_a_revision() {
    let g = labelled();
    assert_eq!(resolve(&g, "b+1", &[]), ["somelongername"]);
    assert_eq!(resolve(&g, "b-1", &[]), ["a"]);
    assert_eq!(resolve(&g, "b-2", &[]), Vec::<String>::new());
    assert_eq!(resolve(&g, "someoth+1", &[]), ["f"]);
    assert_eq!(resolve(&g, "abranch@head-1", &[]), ["somelongername"]);
    assert_eq!(resolve(&g, "ebranch@head-3", &[]), ["d"]);
}

#[test]
fn walking_past_base_or_head_is_an_error() {
    let g = labelled();
    assert_eq!(
        resolve_error(&g, "-5", &["c"]),
        "relative revision -5 goes past base: only 4 revisions are applied on this branch"
    );
    assert_eq!(
        resolve_error(&g, "-2", &["a"]),
        "relative revision -2 goes past base: only 1 revision is applied on this branch"
    );
    assert_eq!(
        resolve_error(&g, "-1", &[]),
        "relative revision -1 goes past base: no revision is applied on this branch"
    );
    assert_eq!(
        resolve_error(&g, "ebranch@-1", &["c"]),
        "relative revision ebranch@-1 goes past base: no revision is applied on this branch"
    );
    assert_eq!(
        resolve_error(&g, "b-3", &[]),
        "relative revision b-3 goes past base: b is only 2 steps above base"
    );
    assert_eq!(
        resolve_error(&g, "a-2", &[]),
        "relative revision a-2 goes past base: a is only 1 step above base"
    );
    assert_eq!(
        resolve_error(&g, "+1", &["c"]),
        "relative revision +1 goes past head: no revision is left to apply on this branch"
    );
    assert_eq!(
        resolve_error(&g, "+3", &["b"]),
        "relative revision +3 goes past head: only 2 revisions are left to apply on this branch"
    );
    assert_eq!(
        resolve_error(&g, "c+1", &[]),
        "relative revision c+1 goes past head: c is a head"
    );
    assert_eq!(
        resolve_error(&g, "a+5", &[]),
        "relative revision a+5 goes past head: a is only 3 steps below head"
    );
    assert_eq!(
        resolve_error(&g, "abranch@head+1", &[]),
        "relative revision abranch@head+1 goes past head: c is a head"
    );
}

#[test]
fn a_step_from_several_applied_heads_names_them() {
    let g = labelled();
    assert_eq!(
        resolve_error(&g, "-1", &["c", "f"]),
        "several heads are applied (c, f); name one: `c@-1` or `f@-1`"
    );
    assert_eq!(
        downgrade_error(&g, &["f", "c"], "-1"),
        "several heads are applied (c, f); name one: `db downgrade c@-1` or `db downgrade f@-1`"
    );
    assert_eq!(
        upgrade_error(&g, &["b", "e"], "+2"),
        "several heads are applied (b, e); name one: `db upgrade b@+2` or `db upgrade e@+2`"
    );
    // The suggested commands work.
    assert_eq!(resolve(&g, "b@+2", &["b", "e"]), ["c"]);
    assert_eq!(resolve(&g, "f@-1", &["c", "f"]), ["someothername"]);
}

#[test]
fn a_step_through_a_merge_or_branch_point_names_the_choices() {
    let g = diamond();
    assert_eq!(
        downgrade_error(&g, &["m"], "-1"),
        "stepping -1 from merge point m leaves several parents (b1, b2); name one: `db downgrade \
         b1` or `db downgrade b2`"
    );
    assert_eq!(
        downgrade_error(&g, &["d"], "-2"),
        "stepping -1 from merge point m leaves several parents (b1, b2); name one: `db downgrade \
         b1` or `db downgrade b2`"
    );
    assert_eq!(
        downgrade_error(&g, &["d"], "-3"),
        "stepping -2 from merge point m leaves several parents (b1, b2); name one: `db downgrade \
         b1-1` or \
         `db downgrade b2-1`"
    );
    assert_eq!(
        upgrade_error(&g, &["a"], "+1"),
        "stepping +1 from branch point a leads to several revisions (b1, b2); name one: `db \
         upgrade b1` or `db upgrade b2`"
    );
    assert_eq!(
        upgrade_error(&g, &["a"], "+3"),
        "stepping +3 from branch point a leads to several revisions (b1, b2); name one: `db \
         upgrade b1+2` or \
         `db upgrade b2+2`"
    );
    assert_eq!(resolve(&g, "b1+2", &["a"]), ["d"]);
    assert_eq!(resolve(&g, "+1", &["b1"]), ["m"]);
    let two_bases = graph([r("x", &[]), r("y", &[])]);
    assert_eq!(
        upgrade_error(&two_bases, &[], "+1"),
        "stepping +1 from base leads to several revisions (x, y); name one: `db upgrade x` or \
         `db upgrade y`"
    );
}

#[test]
fn malformed_targets() {
    let g = labelled();
    let cases = [
        ("", "it is empty"),
        ("a:c", "ranges (`a:b`) are not supported here"),
        ("@head", "a branch label or revision must come before `@`"),
        (
            "abranch@",
            "something must follow `@`: `head`, `heads`, `base`, an id or a step",
        ),
        ("a@b@c", "only one `@` is allowed"),
        (
            "+",
            "a relative step is a sign and a number, as in `-1`, `+2`, `x@-1` or `ae10+2`",
        ),
        (
            "-x",
            "a relative step is a sign and a number, as in `-1`, `+2`, `x@-1` or `ae10+2`",
        ),
        (
            "b+1-1",
            "a relative step is a sign and a number, as in `-1`, `+2`, `x@-1` or `ae10+2`",
        ),
        ("+0", "a relative step must be at least 1"),
        ("-99999999999999999999999", "the step is too large"),
    ];
    for (target, reason) in cases {
        assert_eq!(
            resolve_error(&g, target, &[]),
            format!("'{target}' is not a valid target: {reason}")
        );
    }
}

#[test]
fn unknown_rows_in_the_version_table() {
    assert_eq!(
        resolve_error(&labelled(), "heads", &["c", "zzzz"]),
        "the version table names revision 'zzzz', which is not among the known revisions"
    );
    assert_eq!(
        upgrade_error(&labelled(), &["zzzz"], "heads"),
        "the version table names revision 'zzzz', which is not among the known revisions"
    );
}
