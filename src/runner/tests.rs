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

static FIRST_FAILS: [EmbeddedRevision; 1] = [revision("bad000000001", &[], bad, nothing)];
static SECOND_FAILS: [EmbeddedRevision; 2] = [
    revision("good00000001", &[], good, undo_good),
    revision("bad000000002", &["good00000001"], bad, nothing),
];

const fn revision(
    id: &'static str,
    down: &'static [&'static str],
    upgrade: fn(&mut Operations),
    downgrade: fn(&mut Operations),
) -> EmbeddedRevision {
    EmbeddedRevision {
        db_label: "default",
        file_name: id,
        source: "//! a test revision\n",
        id,
        down_revision: down,
        branch_labels: &[],
        depends_on: &[],
        upgrade,
        downgrade,
    }
}

fn migrator(dir: &std::path::Path, revisions: &'static [EmbeddedRevision]) -> Migrator {
    let set = RevisionSet {
        dir: "/nonexistent",
        revisions,
    };
    let pipeline = Pipeline::new(dir).plugin(Plugin::new("p").revisions(set));
    Migrator::new(
        pipeline.catalog(),
        &Config::load(dir, None).unwrap(),
        "default",
    )
    .unwrap()
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
        err.starts_with("upgrade of revision bad000000001 (a test revision) failed, nothing of it was applied: near \"THIS\": syntax error"),
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
    let mut db = Database::open(m.target(), OpenMode::ReadOnly)
        .await
        .unwrap();
    let tables: Vec<String> = db
        .introspect()
        .await
        .unwrap()
        .table_names()
        .map(str::to_owned)
        .collect();
    assert_eq!(tables, ["kept"]);
    assert_eq!(m.downgrade("base").await.unwrap(), ["good00000001"]);
    assert!(m.current_heads().await.unwrap().is_empty());
}

static TWO_GOOD: [EmbeddedRevision; 2] = [
    revision("good00000001", &[], good, undo_good),
    revision("good00000002", &["good00000001"], nothing, nothing),
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
