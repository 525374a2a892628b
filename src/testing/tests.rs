//! The helpers catch what they are for: a downgrade that forgets something, an upgrade that
//! cannot run again, models without a revision; and pass a branchy graph.

use super::*;
use crate::ops::Operations;
use crate::pipeline::Plugin;
use crate::revision::{EmbeddedRevision, RevisionSet};
use crate::schema::{Type, column, index, table};

fn create_a(op: &mut Operations) {
    op.create_table(table("a").column(column("id", Type::Integer)));
}

fn drop_a(op: &mut Operations) {
    op.drop_table("a");
}

fn create_b_and_index(op: &mut Operations) {
    op.create_table(table("b").column(column("id", Type::Integer)));
    op.create_index("b", index("ix_b_id", ["id"]));
}

fn forget_b(_: &mut Operations) {}

fn drop_b(op: &mut Operations) {
    op.drop_table("b");
}

fn create_c(op: &mut Operations) {
    op.create_table(table("c").column(column("id", Type::Integer)));
}

fn drop_c(op: &mut Operations) {
    op.drop_table("c");
}

/// Two branches from `aaaa00000001`, then a merge.
static BRANCHY: [EmbeddedRevision; 4] = [
    EmbeddedRevision::in_code("aaaa00000001", &[], create_a, drop_a),
    EmbeddedRevision::in_code(
        "bbbb00000001",
        &["aaaa00000001"],
        create_b_and_index,
        drop_b,
    ),
    EmbeddedRevision::in_code("cccc00000001", &["aaaa00000001"], create_c, drop_c),
    EmbeddedRevision::in_code(
        "dddd00000001",
        &["bbbb00000001", "cccc00000001"],
        |_| {},
        |_| {},
    ),
];

static FORGETFUL: [EmbeddedRevision; 2] = [
    EmbeddedRevision::in_code("aaaa00000001", &[], create_a, drop_a),
    EmbeddedRevision::in_code(
        "bbbb00000001",
        &["aaaa00000001"],
        create_b_and_index,
        forget_b,
    ),
];

fn pipeline(revisions: &'static [EmbeddedRevision]) -> Pipeline {
    let set = RevisionSet {
        dir: "/nonexistent",
        revisions,
    };
    Pipeline::new(std::env::temp_dir()).plugin(Plugin::new("p").revisions(set))
}

fn panic_text(run: impl FnOnce()) -> String {
    let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))
        .expect_err("the helper should fail");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn a_branchy_graph_climbs_the_stairway() {
    // The framework's own revisions come with every pipeline: four of ours and those.
    let checked = stairway(&pipeline(&BRANCHY), &TestDatabase::sqlite());
    assert!(checked >= 4, "{checked}");
}

#[test]
fn a_downgrade_that_forgets_a_table_is_named() {
    let text = panic_text(|| {
        stairway(&pipeline(&FORGETFUL), &TestDatabase::sqlite());
    });
    assert!(
        text.contains("the downgrade of revision bbbb00000001 (a revision made in code) does not give back the schema before it"),
        "{text}"
    );
    assert!(
        text.contains("drop table 'b'") || text.contains("'b'"),
        "{text}"
    );
}

/// A model no revision creates.
struct Unmigrated;

impl crate::model::Model for Unmigrated {
    const TABLE: &'static str = "unmigrated";
    const DATABASE: &'static str = "default";
    const COLUMNS: &'static [&'static str] = &["id"];

    fn table() -> crate::schema::Table {
        table("unmigrated")
            .column(column("id", Type::Integer).not_null())
            .primary_key("pk_unmigrated", ["id"])
    }

    fn values(&self) -> Vec<crate::model::value::Value> {
        Vec::new()
    }
}

#[test]
fn models_without_a_revision_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let plugin = Plugin::new("p").model::<Unmigrated>();
    let pipeline = Pipeline::new(dir.path()).plugin(plugin);
    let text = panic_text(|| assert_migrations_in_sync(&pipeline));
    assert!(
        text.contains("plugin 'p' (label 'default') has changes in no revision"),
        "{text}"
    );
    assert!(text.contains("unmigrated"), "{text}");
}

#[test]
fn the_stairway_runs_on_each_server_ci_gives() {
    for variable in ["OUTFLOW_TEST_POSTGRES_URL", "OUTFLOW_TEST_MYSQL_URL"] {
        match TestDatabase::from_env(variable) {
            Some(db) => assert!(stairway(&pipeline(&BRANCHY), &db) >= 4),
            None if std::env::var_os("CI").is_some() => panic!("{variable} must be set in CI"),
            None => eprintln!("{variable} is not set: not run on that server"),
        }
    }
}
