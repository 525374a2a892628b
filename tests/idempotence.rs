//! A model of every type, default and constraint kind, through the real binary on every
//! dialect: after `upgrade heads`, autogenerate finds nothing and `db check` passes; down to
//! base and up again ends in the same place.

mod common;

use common::{Dialect, Project};

#[test]
fn every_kind_on_sqlite() {
    every_kind(Dialect::Sqlite);
}

#[test]
fn every_kind_on_postgres() {
    every_kind(Dialect::Postgres);
}

#[test]
fn every_kind_on_mysql() {
    every_kind(Dialect::Mysql);
}

fn every_kind(dialect: Dialect) {
    if !common::dialects().contains(&dialect) {
        return;
    }
    let p = Project::fixture(
        "kitchen",
        "chrono = \"0.4\"\nuuid = \"1\"\nserde_json = \"1\"\n",
    )
    .on(dialect);
    assert!(p.files_in("src/revisions/default").is_empty());
    // The framework's tables first, as a user's first step does.
    p.run(&["db", "upgrade", "heads"]).expect(0);
    let made = p
        .run(&["db", "make_migrations", "-m", "Every kind"])
        .expect(0);
    assert!(
        made.stdout.contains("_every_kind.rs ... done"),
        "{}",
        made.stdout
    );
    let files = p.files_in("src/revisions/default");
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(&files[0]).unwrap();
    for expected in [
        "Type::Numeric(12, 2)",
        "Type::raw(\"VARCHAR(7)\")",
        ".autoincrement()",
        "Action::Cascade",
        ".comment(\"parents\")",
        "op.create_enum(\"status\", [\"draft\", \"published\", \"it's gone\"]);",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }

    p.build();
    p.run(&["db", "upgrade", "heads"]).expect(0);
    let again = p.run(&["db", "make_migrations", "-m", "nothing"]).expect(0);
    assert!(
        again.stdout.contains("No changes detected"),
        "{}\n{}",
        again.stdout,
        again.stderr
    );
    assert_eq!(p.files_in("src/revisions/default"), files);
    p.run(&["db", "check"]).expect(0);
    let at_head = p.schema();

    p.run(&["db", "downgrade", "base"]).expect(0);
    assert!(p.schema().is_empty());
    p.run(&["db", "upgrade", "heads"]).expect(0);
    assert_eq!(
        p.schema(),
        at_head,
        "down to base and up again gives the same schema"
    );
    p.run(&["db", "check"]).expect(0);
}
