//! The revision-graph commands through the real binary of a pipeline with two plugins,
//! a branch point, a merge and a dependency between the plugins (tests/fixtures/pipelines/graph).

mod common;

use common::{Project, Run};

const A1: &str = "aaaa00000001";
const A2: &str = "aaaa00000002";
const A3A: &str = "aaaa0000003a";
const A3B: &str = "aaaa0000003b";
const A4: &str = "aaaa00000004";
const B2: &str = "bbbb00000002";

/// The plugins' revisions in the version table (the framework's own branch left out: it
/// moves only with `heads`, which `framework_is_applied` checks).
fn current(p: &Project) -> Vec<String> {
    let framework = common::framework_head();
    p.run(&["db", "current"])
        .expect(0)
        .stdout
        .lines()
        .map(|l| l.split(' ').next().unwrap().to_string())
        .filter(|id| *id != framework)
        .collect()
}

fn framework_is_applied(p: &Project) -> bool {
    let framework = common::framework_head();
    let current = p.run(&["db", "current"]).expect(0).stdout;
    current.contains(&format!("{framework} (outflow) (head)"))
}

fn refused(p: &Project, args: &[&str], needles: &[&str]) -> Run {
    let run = p.run(args).expect(2);
    for needle in needles {
        assert!(
            run.error_line().contains(needle),
            "{args:?}: {} should contain {needle:?}",
            run.error_line()
        );
    }
    run
}

#[test]
fn inspecting_the_graph() {
    let p = Project::fixture("graph", "");
    let heads = p.run(&["db", "heads"]).expect(0);
    let framework = common::framework_head();
    assert_eq!(
        heads.stdout,
        format!("{framework} (outflow) (head)\n{A4} (alpha) (head)\n{B2} (beta) (head)\n")
    );
    let history = p.run(&["db", "history"]).expect(0);
    assert_eq!(history.stdout.lines().count(), 8, "{}", history.stdout);
    assert!(
        history.stdout.contains(&format!(
            "{A3A}, {A3B} -> {A4} (alpha) (head) (mergepoint), merge and drop scratch"
        )),
        "{}",
        history.stdout
    );
    assert!(
        history
            .stdout
            .contains(&format!("{A1} -> {A2} (alpha) (branchpoint), create a2")),
        "{}",
        history.stdout
    );
    let range = p
        .run(&["db", "history", "-r", &format!("{A2}:{A4}")])
        .expect(0);
    let ids: Vec<&str> = range
        .stdout
        .lines()
        .map(|l| l.split(" -> ").nth(1).unwrap().split(' ').next().unwrap())
        .collect();
    assert!(
        ids.contains(&A4) && ids.contains(&A3A) && ids.contains(&A3B) && !ids.contains(&A1),
        "{ids:?}"
    );
    let branches = p.run(&["db", "branches"]).expect(0);
    assert!(
        branches.stdout.starts_with(&format!(
            "{A2} (alpha) (branchpoint), create a2\n    -> {A3A}"
        )),
        "{}",
        branches.stdout
    );
    let show = p.run(&["db", "show", "aaaa00000004"]).expect(0);
    for needle in [
        format!("Merges: {A3A}, {A3B}"),
        "Upgrade:\n    drop table 'x'\n    drop table 'y'".into(),
        "Plugin: alpha".into(),
    ] {
        assert!(
            show.stdout.contains(&needle),
            "{needle} in:\n{}",
            show.stdout
        );
    }
    let verbose = p.run(&["-v", "db", "history"]).expect(0);
    assert!(
        verbose.stdout.contains(&format!(
            "Rev: {B2} (beta) (head)\nParent: bbbb00000001\nAlso depends on: {A2}"
        )),
        "{}",
        verbose.stdout
    );
    let graph = p.run(&["db", "history", "--graph"]).expect(0);
    assert_eq!(
        graph.stdout.lines().filter(|l| l.contains('*')).count(),
        8,
        "the plugins' seven and the framework's: {}",
        graph.stdout
    );
    let dot = p.run(&["db", "history", "--dot"]).expect(0);
    assert!(dot.stdout.starts_with("digraph"), "{}", dot.stdout);
    assert!(
        dot.stdout.contains(&format!("\"{A3A}\" -> \"{A4}\"")),
        "{}",
        dot.stdout
    );
}

#[test]
fn targets_walks_and_their_errors() {
    let p = Project::fixture("graph", "");
    refused(
        &p,
        &["db", "upgrade", "head"],
        &[
            "'head' designates several heads",
            "alpha@head",
            "beta@head",
            "heads",
        ],
    );
    refused(
        &p,
        &["db", "upgrade", "aaaa"],
        &["'aaaa' matches several revisions", A1],
    );
    refused(
        &p,
        &["db", "upgrade", "aa"],
        &["'aa' is too short: give at least 4 characters"],
    );
    refused(
        &p,
        &["db", "upgrade", "zzzz9999"],
        &["no revision matches 'zzzz9999'"],
    );
    refused(
        &p,
        &["db", "downgrade", "heads"],
        &["'heads' is not a downgrade target"],
    );

    // beta@head needs alpha's aaaa00000002 first (its dependency).
    p.run(&["db", "upgrade", "beta@head"]).expect(0);
    assert_eq!(current(&p), [A2, B2]);
    refused(
        &p,
        &["db", "upgrade", "alpha@+1"],
        &["branch point", A3A, A3B],
    );
    refused(
        &p,
        &["db", "downgrade", "-1"],
        &["several heads are applied", A2, B2],
    );
    p.run(&["db", "upgrade", "aaaa003a"]).expect(2);
    p.run(&["db", "upgrade", A3A]).expect(0);
    assert_eq!(current(&p), [A3A, B2]);
    assert!(
        !framework_is_applied(&p),
        "only `heads` applies the framework's branch"
    );
    p.run(&["db", "upgrade", "heads"]).expect(0);
    assert_eq!(current(&p), [A4, B2]);
    assert!(framework_is_applied(&p));
    p.run(&["db", "current", "--check-heads"]).expect(0);
    refused(
        &p,
        &["db", "downgrade", "alpha@-1"],
        &["merge point", A3A, A3B],
    );
    p.run(&["db", "downgrade", A3A]).expect(0);
    assert_eq!(current(&p), [A3A, A3B, B2]);
    let check = p.run(&["db", "current", "--check-heads"]).expect(1);
    assert!(
        check.stdout.contains("not at its heads"),
        "{}",
        check.stdout
    );

    // Stamping moves rows without running anything.
    p.run(&["db", "stamp", A4]).expect(0);
    assert_eq!(current(&p), [A4, B2]);
    p.run(&["db", "stamp", "base"]).expect(0);
    assert!(current(&p).is_empty());
    p.run(&["db", "stamp", "--purge", "heads"]).expect(0);
    assert_eq!(current(&p), [A4, B2]);
    refused(
        &p,
        &["db", "stamp", "nope1234"],
        &["no revision matches 'nope1234'"],
    );
}

#[test]
fn merging_and_placing_new_revisions() {
    let p = Project::fixture("graph", "");
    p.run(&["db", "upgrade", "heads"]).expect(0);
    refused(
        &p,
        &["db", "merge", "-m", "join", "heads"],
        &["belong to plugins alpha, beta", "--plugin"],
    );
    refused(
        &p,
        &["db", "merge", "-m", "join", A4],
        &["a merge needs at least two revisions"],
    );
    refused(
        &p,
        &["db", "merge", "-m", "join", A2, A4],
        &[&format!("{A2} is an ancestor")],
    );
    refused(
        &p,
        &[
            "db",
            "make_migrations",
            "-p",
            "alpha",
            "--empty",
            "-m",
            "x",
            "--head",
            A3A,
        ],
        &[&format!("revision {A3A} is not a head"), "--splice"],
    );

    let merged = p
        .run(&[
            "db",
            "merge",
            "-m",
            "join the plugins",
            "heads",
            "--plugin",
            "beta",
            "--rev-id",
            "cccc00000001",
        ])
        .expect(0);
    assert!(
        merged
            .stdout
            .contains("beta/default/cccc00000001_join_the_plugins.rs ... done"),
        "{}",
        merged.stdout
    );
    let text = std::fs::read_to_string(
        p.path("src/revisions/beta/default/cccc00000001_join_the_plugins.rs"),
    )
    .unwrap();
    assert!(
        text.contains(&format!(
            "pub const DOWN_REVISION: &[&str] = &[\"{A4}\", \"{B2}\"];"
        )),
        "{text}"
    );
    assert!(
        text.contains("pub fn upgrade(_op: &mut Operations) {}"),
        "{text}"
    );
    std::fs::remove_file(p.path("src/revisions/beta/default/cccc00000001_join_the_plugins.rs"))
        .unwrap();

    let spliced = p
        .run(&[
            "db",
            "make_migrations",
            "-p",
            "alpha",
            "--empty",
            "-m",
            "from the side",
            "--head",
            A3A,
            "--splice",
            "--depends-on",
            "beta",
            "--rev-id",
            "dddd00000001",
        ])
        .expect(0);
    assert!(
        spliced
            .stdout
            .contains("dddd00000001_from_the_side.rs ... done"),
        "{}",
        spliced.stdout
    );
    let text = std::fs::read_to_string(
        p.path("src/revisions/alpha/default/dddd00000001_from_the_side.rs"),
    )
    .unwrap();
    assert!(
        text.contains(&format!("pub const DOWN_REVISION: &[&str] = &[\"{A3A}\"];")),
        "{text}"
    );
    assert!(
        text.contains("pub const DEPENDS_ON: &[&str] = &[\"beta\"];"),
        "{text}"
    );
    p.build();
    let heads = p.run(&["db", "heads"]).expect(0);
    assert!(
        heads.stdout.contains("dddd00000001 (alpha) (head)"),
        "{}",
        heads.stdout
    );
}
