//! Revision files that cannot form a graph: every command refuses with one line naming the
//! files, and exit code 2, before any database is opened. (The command line runs in process:
//! each case needs its own set of compiled revisions.)

use clap::Parser;
use outflow::cli::{Cli, run};
use outflow::ops::Operations;
use outflow::revision::{EmbeddedRevision, RevisionSet};
use outflow::{Pipeline, Plugin};

fn nothing(_: &mut Operations) {}

/// A revision of `file.rs` in folder `default`.
fn rev(
    id: &'static str,
    down: &'static [&'static str],
    labels: &'static [&'static str],
    deps: &'static [&'static str],
) -> EmbeddedRevision {
    EmbeddedRevision {
        db_label: "default",
        file_name: Box::leak(format!("{id}_x.rs").into_boxed_str()),
        source: "//! x\n",
        id,
        down_revision: down,
        branch_labels: labels,
        depends_on: deps,
        upgrade: nothing,
        downgrade: nothing,
    }
}

/// Runs `outflow db heads` (and `db upgrade heads`) over `revisions`; returns the error line
/// and exit code, and checks no database file appeared.
fn refused(revisions: Vec<EmbeddedRevision>) -> (String, u8) {
    let dir = tempfile::tempdir().unwrap();
    let set = RevisionSet {
        dir: "/revisions",
        revisions: Box::leak(revisions.into_boxed_slice()),
    };
    let pipeline = Pipeline::new(dir.path()).plugin(Plugin::new("p").revisions(set));
    let mut outcome = None;
    for command in ["heads", "upgrade"] {
        let cli = Cli::try_parse_from([
            "pipeline",
            "--root",
            &dir.path().display().to_string(),
            "db",
            command,
        ])
        .unwrap();
        let err = run(cli, &pipeline).expect_err("the graph is invalid");
        let found = (err.to_string(), err.exit_code());
        assert_eq!(
            outcome.get_or_insert(found.clone()),
            &found,
            "every command gives the same error"
        );
    }
    assert!(
        !dir.path().join("outflow.db").exists(),
        "nothing was opened"
    );
    outcome.unwrap()
}

#[test]
fn each_broken_graph_is_named() {
    let cases: Vec<(Vec<EmbeddedRevision>, &str)> = vec![
        (
            vec![
                rev("aaaa1111", &[], &[], &[]),
                rev("aaaa1111", &["aaaa1111"], &[], &[]),
            ],
            "revision id 'aaaa1111' is defined twice (in /revisions/default/aaaa1111_x.rs and in /revisions/default/aaaa1111_x.rs)",
        ),
        (
            vec![rev("bbbb1111", &["dead0000"], &[], &[])],
            "revision 'bbbb1111' (in /revisions/default/bbbb1111_x.rs) revises 'dead0000', which is not a known revision",
        ),
        (
            vec![rev("bbbb1111", &[], &[], &["nowhere"])],
            "revision 'bbbb1111' (in /revisions/default/bbbb1111_x.rs) depends on 'nowhere'",
        ),
        (
            vec![
                rev("aaaa1111", &[], &["lbl"], &[]),
                rev("bbbb1111", &[], &["lbl"], &[]),
            ],
            "branch label 'lbl' is declared by revision 'aaaa1111'",
        ),
        (
            vec![
                rev("aaaa1111", &[], &["bbbb1111"], &[]),
                rev("bbbb1111", &[], &[], &[]),
            ],
            "branch label 'bbbb1111' of revision 'aaaa1111' (in /revisions/default/aaaa1111_x.rs) is also the id of a revision",
        ),
        (
            vec![
                rev("aaaa1111", &["cccc1111"], &[], &[]),
                rev("bbbb1111", &["aaaa1111"], &[], &[]),
                rev("cccc1111", &["bbbb1111"], &[], &[]),
            ],
            "revisions form a cycle (each revises or depends on the one before it): aaaa1111 -> ",
        ),
        (
            vec![rev("aaaa1111", &["aaaa1111"], &[], &[])],
            "aaaa1111 -> aaaa1111",
        ),
        (
            vec![rev("ab-cd", &[], &[], &[])],
            "character(s) '-' not allowed in revision id 'ab-cd'",
        ),
        (
            vec![rev("a@b:c", &[], &[], &[])],
            "not allowed in revision id 'a@b:c'",
        ),
        (
            vec![rev("0123456789abcdef0123456789abcdef0", &[], &[], &[])],
            "has 33 characters; the version table holds at most 32",
        ),
    ];
    for (revisions, expected) in cases {
        let (message, code) = refused(revisions);
        assert!(
            message.contains(expected),
            "{message:?} should contain {expected:?}"
        );
        assert_eq!(code, 2, "{message}");
        assert!(!message.contains('\n'), "one line: {message}");
    }
}
