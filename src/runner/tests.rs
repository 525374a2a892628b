//! The runner on SQLite files: failed revisions leave nothing behind.

use super::*;
use crate::ops::Operations;
use crate::pipeline::{Pipeline, Plugin};
use crate::revision::{EmbeddedRevision, RevisionSet};
use crate::schema::{Type, column, table};

fn good(op: &mut Operations) {
    op.create_table(table("kept").column(column("id", Type::Integer)));
}

fn undo_good(op: &mut Operations) {
    op.drop_table("kept");
}

fn bad(op: &mut Operations) {
    op.create_table(table("lost").column(column("id", Type::Integer)));
    op.execute("THIS IS NOT SQL");
}

fn nothing(_: &mut Operations) {}

static FIRST_FAILS: [EmbeddedRevision; 1] =
    [EmbeddedRevision::in_code("bad000000001", &[], bad, nothing)];
static SECOND_FAILS: [EmbeddedRevision; 2] = [
    EmbeddedRevision::in_code("good00000001", &[], good, undo_good),
    EmbeddedRevision::in_code("bad000000002", &["good00000001"], bad, nothing),
];

fn migrator(dir: &std::path::Path, revisions: &'static [EmbeddedRevision]) -> Migrator {
    migrator_on(dir, revisions, &Config::load(dir, None).unwrap())
}

fn migrator_on(
    dir: &std::path::Path,
    revisions: &'static [EmbeddedRevision],
    config: &Config,
) -> Migrator {
    let set = RevisionSet {
        dir: "/nonexistent",
        revisions,
    };
    let pipeline = Pipeline::new(dir).plugin(Plugin::new("p").revisions(set));
    Migrator::new(pipeline.catalog(), config, "default").unwrap()
}

/// The tables of the migrator's database.
async fn table_names(m: &Migrator) -> Vec<String> {
    let mut db = Database::open(m.target(), OpenMode::ReadOnly)
        .await
        .unwrap();
    let schema = db.introspect().await.unwrap();
    db.close().await;
    schema.table_names().map(str::to_owned).collect()
}

#[tokio::test]
async fn a_failed_first_revision_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    // The revision itself, not `heads`: the framework's own revision would create the file.
    let err = migrator(dir.path(), &FIRST_FAILS)
        .upgrade("bad000000001")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("upgrade of revision bad000000001 (a revision made in code) failed, nothing of it was applied: near \"THIS\": syntax error"),
        "{err}"
    );
    assert!(!dir.path().join("outflow.db").exists());
}

#[tokio::test]
async fn a_failed_revision_keeps_the_ones_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let m = migrator(dir.path(), &SECOND_FAILS);
    let err = m.upgrade("bad000000002").await.unwrap_err().to_string();
    assert!(err.starts_with("upgrade of revision bad000000002"), "{err}");
    assert_eq!(m.current_heads().await.unwrap(), ["good00000001"]);
    let tables = table_names(&m).await;
    assert_eq!(tables, ["kept"]);
    assert_eq!(m.downgrade("base").await.unwrap(), ["good00000001"]);
    assert!(m.current_heads().await.unwrap().is_empty());
}

static TWO_GOOD: [EmbeddedRevision; 2] = [
    EmbeddedRevision::in_code("good00000001", &[], good, undo_good),
    EmbeddedRevision::in_code("good00000002", &["good00000001"], nothing, nothing),
];

#[tokio::test]
async fn relative_steps_leave_the_framework_branch_alone() {
    let dir = tempfile::tempdir().unwrap();
    let m = migrator(dir.path(), &TWO_GOOD);
    m.upgrade("heads").await.unwrap();
    let framework = m
        .current_heads()
        .await
        .unwrap()
        .into_iter()
        .find(|h| !h.starts_with("good"))
        .expect("the framework's head is applied with `heads`");
    // `-1` is the pipeline's last revision, not "which of two heads?".
    assert_eq!(m.downgrade("-1").await.unwrap(), ["good00000002"]);
    assert_eq!(m.upgrade("+1").await.unwrap(), ["good00000002"]);
    let mut heads = m.current_heads().await.unwrap();
    heads.sort();
    assert_eq!(heads, [framework.clone(), "good00000002".to_string()]);
    // Named, the framework's branch moves like any other.
    assert_eq!(
        m.downgrade(&format!("{framework}@-1")).await.unwrap(),
        [framework]
    );
}

/// A revision's `upgrade` or `downgrade`.
type Body = fn(&mut Operations);

/// A chain of `n` revisions `r00000000000`, `r00000000001`, ... whose upgrades are `nothing`
/// but where `special` says otherwise.
fn chain(n: usize, special: &[(usize, Body)]) -> &'static [EmbeddedRevision] {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let ids: Vec<&'static str> = (0..n).map(|i| leak(format!("r{i:011}"))).collect();
    let revisions: Vec<EmbeddedRevision> = (0..n)
        .map(|i| {
            let upgrade = special
                .iter()
                .find(|(at, _)| *at == i)
                .map_or(nothing as Body, |(_, f)| *f);
            let down: &'static [&'static str] = match i {
                0 => &[],
                _ => Box::leak(vec![ids[i - 1]].into_boxed_slice()),
            };
            EmbeddedRevision::in_code(ids[i], down, upgrade, nothing)
        })
        .collect();
    Box::leak(revisions.into_boxed_slice())
}

fn orphan(op: &mut Operations) {
    op.create_table(
        table("child")
            .column(column("id", Type::Integer))
            .column(column("kept_id", Type::Integer))
            .foreign_key(crate::schema::foreign_key(
                "fk_child_kept",
                ["kept_id"],
                "kept",
                ["id"],
            )),
    );
    op.execute("INSERT INTO child (id, kept_id) VALUES (1, 42)");
}

/// Hundreds of revisions go to SQLite a few hundred per round trip: each is still recorded as
/// its own step, with a duration SQLite measured and the time it ran.
#[tokio::test]
async fn a_long_chain_records_every_revision() {
    let dir = tempfile::tempdir().unwrap();
    let m = migrator(dir.path(), chain(600, &[(3, good)]));
    let done = m.upgrade("r00000000599").await.unwrap();
    assert_eq!(done.len(), 600);
    assert_eq!(m.current_heads().await.unwrap(), ["r00000000599"]);
    let log = m.applied_log().await.unwrap();
    assert_eq!(log.len(), 600);
    for (i, row) in log.iter().enumerate() {
        assert_eq!(row.revision, format!("r{i:011}"));
        assert_eq!(
            (row.direction.as_str(), row.outcome.as_str()),
            ("upgrade", "applied")
        );
        assert_eq!(
            row.checksum,
            Some(checksum("//! a revision made in code\n"))
        );
        assert!(row.duration_ms >= 0);
        let at = chrono::DateTime::parse_from_rfc3339(&row.applied_at).unwrap();
        assert!(
            (chrono::Utc::now() - at.to_utc()).num_seconds().abs() < 600,
            "{at}"
        );
    }
    assert_eq!(m.downgrade("base").await.unwrap().len(), 600);
    assert!(m.current_heads().await.unwrap().is_empty());
}

/// A failure in the middle of a batch names its revision and keeps every revision before it,
/// in the batch and before it.
#[tokio::test]
async fn a_failure_inside_a_batch_keeps_the_revisions_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let m = migrator(dir.path(), chain(400, &[(3, good), (300, bad)]));
    // The failure is logged in a database that existed before the command.
    m.upgrade("r00000000000").await.unwrap();
    let err = m.upgrade("r00000000399").await.unwrap_err().to_string();
    assert!(
        err.starts_with("upgrade of revision r00000000300 (a revision made in code) failed, nothing of it was applied: near \"THIS\": syntax error"),
        "{err}"
    );
    assert_eq!(m.current_heads().await.unwrap(), ["r00000000299"]);
    let log = m.applied_log().await.unwrap();
    assert_eq!(log.len(), 301, "300 applied and the failure");
    assert_eq!(
        (log[300].revision.as_str(), log[300].outcome.as_str()),
        ("r00000000300", "failed")
    );
    let tables = table_names(&m).await;
    assert_eq!(tables, ["kept"], "the failed revision's table is gone");
}

/// A broken foreign key fails the revision that broke it, not the batch around it.
#[tokio::test]
async fn a_broken_foreign_key_inside_a_batch_names_its_revision() {
    let dir = tempfile::tempdir().unwrap();
    let m = migrator(dir.path(), chain(20, &[(3, good), (10, orphan)]));
    let err = m.upgrade("r00000000019").await.unwrap_err().to_string();
    assert!(err.starts_with("upgrade of revision r00000000010"), "{err}");
    assert!(err.contains("child"), "{err}");
    assert_eq!(m.current_heads().await.unwrap(), ["r00000000009"]);
}

/// On each server CI gives: a long chain applies with a log row per revision, and a failure in
/// the middle names its revision and keeps the ones before it.
#[tokio::test]
async fn long_chains_and_failures_inside_them_on_each_server() {
    for variable in ["OUTFLOW_TEST_POSTGRES_URL", "OUTFLOW_TEST_MYSQL_URL"] {
        let Some(server) = crate::testing::TestDatabase::from_env(variable) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "{variable} must be set in CI"
            );
            eprintln!("{variable} is not set: not run on that server");
            continue;
        };
        let dir = tempfile::tempdir().unwrap();
        let config = server.config(dir.path());
        let m = migrator_on(dir.path(), chain(400, &[(3, good), (300, bad)]), &config);
        m.upgrade("r00000000000").await.unwrap();
        let err = m.upgrade("r00000000399").await.unwrap_err().to_string();
        assert!(
            err.starts_with("upgrade of revision r00000000300 (a revision made in code) failed"),
            "{variable}: {err}"
        );
        assert_eq!(m.current_heads().await.unwrap(), ["r00000000299"]);
        let log = m.applied_log().await.unwrap();
        assert_eq!(log.len(), 301, "{variable}: 300 applied and the failure");
        for (i, row) in log[..300].iter().enumerate() {
            assert_eq!(
                (row.revision.clone(), row.outcome.as_str()),
                (format!("r{i:011}"), "applied")
            );
            assert!(row.duration_ms >= 0);
            chrono::DateTime::parse_from_rfc3339(&row.applied_at).unwrap();
        }
        assert_eq!(log[300].outcome, "failed");
        assert_eq!(m.downgrade("base").await.unwrap().len(), 300);
        assert!(m.current_heads().await.unwrap().is_empty());
    }
}
