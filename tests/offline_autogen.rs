//! `make_migrations --offline` and `check --offline` through the real binary on every
//! dialect (tests/fixtures/pipelines/kitchen: every kind of column, key and index): compared
//! with the schema the revisions build, replayed in memory, they write byte for byte the
//! revision a database at its heads gives (the Create Date aside), and never open the
//! database.

mod common;

use common::{Dialect, Project};

#[test]
fn offline_autogenerate_on_sqlite() {
    offline_autogenerate(Dialect::Sqlite);
}

#[test]
fn offline_autogenerate_on_postgres() {
    offline_autogenerate(Dialect::Postgres);
}

#[test]
fn offline_autogenerate_on_mysql() {
    offline_autogenerate(Dialect::Mysql);
}

fn offline_autogenerate(dialect: Dialect) {
    if !common::dialects().contains(&dialect) {
        return;
    }
    let p = Project::fixture(
        "kitchen",
        "chrono = \"0.4\"\nuuid = \"1\"\nserde_json = \"1\"\n",
    )
    .on(dialect);
    // Offline needs no database: none is made.
    p.run(&["db", "check", "--offline"]).expect(1);
    if dialect == Dialect::Sqlite {
        assert!(
            !p.path("outflow.db").exists(),
            "check --offline opened the database"
        );
    }
    p.run(&["db", "upgrade", "heads"]).expect(0);
    same_revision_offline_and_online(&p, "aaaa00000001", "Every kind");
    p.run(&["db", "upgrade", "heads"]).expect(0);
    p.run(&["db", "check", "--offline"]).expect(0);

    p.edit("src/main.rs", "    Gone,\n}", "    Gone,\n    Archived,\n}");
    p.edit(
        "src/main.rs",
        "    pub label: String,\n}",
        "    pub label: String,\n    #[column(length = 40)]\n    pub note: Option<String>,\n}",
    );
    p.build();
    let pending = p.run(&["db", "check", "--offline"]).expect(1);
    assert!(pending.stdout.contains("note"), "{}", pending.stdout);
    same_revision_offline_and_online(&p, "aaaa00000002", "Archive and notes");
}

/// Generates revision `id` offline, then again against the database at its heads: the same
/// file but for its Create Date.
fn same_revision_offline_and_online(p: &Project, id: &str, message: &str) {
    let folder = "src/revisions/default";
    let before = p.files_in(folder);
    p.run(&[
        "db",
        "make_migrations",
        "--offline",
        "-m",
        message,
        "--rev-id",
        id,
    ])
    .expect(0);
    let offline = new_file(p, &before);
    let offline_text = std::fs::read_to_string(&offline).unwrap();
    std::fs::remove_file(&offline).unwrap();
    p.run(&["db", "make_migrations", "-m", message, "--rev-id", id])
        .expect(0);
    let online = new_file(p, &before);
    assert_eq!(online, offline, "the same file name");
    let online_text = std::fs::read_to_string(&online).unwrap();
    assert_eq!(without_date(&offline_text), without_date(&online_text));
    assert!(offline_text.contains("op."), "{offline_text}");
    p.build();
}

fn new_file(p: &Project, before: &[std::path::PathBuf]) -> std::path::PathBuf {
    let now = p.files_in("src/revisions/default");
    let new: Vec<_> = now.into_iter().filter(|f| !before.contains(f)).collect();
    assert_eq!(new.len(), 1, "one new revision file: {new:?}");
    new[0].clone()
}

fn without_date(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("//! Create Date:"))
        .collect::<Vec<_>>()
        .join("\n")
}
