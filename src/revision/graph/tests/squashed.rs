//! Squashes: the ids a squash replaced name it in every message.

use super::*;

/// a -> s (replaces b1, b2, b3) -> d
fn squashed() -> RevisionGraph {
    let mut s = r("s", &["a"]);
    s.replaces = strings(&["b1111", "b2222", "b3333"]);
    graph([r("a", &[]), s, r("d", &["s"])])
}

#[test]
fn a_database_inside_the_squashed_run_is_told_how_to_go_on() {
    let g = squashed();
    assert_eq!(
        upgrade_error(&g, &["b2222"], "heads"),
        "the version table names revision 'b2222', which squash s replaced: this database is in \
         the middle of the squashed run; upgrade it to s with a build from before the squash, \
         then run this one again"
    );
    assert_eq!(upgrade(&g, &["s"], "heads"), ["+d: update s -> d"]);
}

#[test]
fn a_target_naming_a_replaced_id_names_the_squash() {
    let g = squashed();
    for target in ["b2222", "b222"] {
        assert_eq!(
            resolve_error(&g, target, &[]),
            format!("revision '{target}' was squashed into s: name s instead")
        );
    }
    // Too short to be a prefix: the usual error.
    assert_eq!(resolve_error(&g, "b2", &[]), "no revision matches 'b2'");
}

#[test]
fn a_replaced_revision_still_present_is_refused() {
    let mut s = r("s", &["a"]);
    s.replaces = strings(&["b"]);
    assert_eq!(
        build_error([r("a", &[]), r("b", &["a"]), s]),
        "revision s replaces b, which is still a revision (b.rs): delete the file of the \
         replaced revision (`db squash` does)"
    );
}
