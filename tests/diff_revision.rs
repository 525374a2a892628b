//! `db diff --from <db> --to <description> --revision`: the difference between any two schemas
//! becomes a revision of a plugin, which upgrades the database to the description, on every
//! dialect; without a message, or for an unknown plugin, it is refused.

mod common;

use common::{Dialect, Project, dialects};
use outflow::schema::{Schema, Type, column, table};

fn diff_to_revision(dialect: Dialect) {
    if !dialects().contains(&dialect) {
        return;
    }
    let p = Project::example("tuto").on(dialect);
    p.run(&["db", "upgrade", "heads"]).expect(0);
    let mut wanted = Schema::from_yaml(&p.run(&["db", "inspect"]).expect(0).stdout).unwrap();
    let mut tables: Vec<_> = wanted.tables().cloned().collect();
    tables.push(
        table("audit_entry")
            .column(column("id", Type::Integer).not_null())
            .column(column("note", Type::Varchar(80)))
            .primary_key("pk_audit_entry", ["id"]),
    );
    wanted = Schema::from_tables(tables);
    std::fs::write(p.path("wanted.yml"), wanted.to_yaml()).unwrap();
    let url = match &p.database {
        Some(db) => db.url(),
        None => format!("sqlite://{}", p.path("outflow.db").display()),
    };
    let from = ["db", "diff", "--from", url.as_str(), "--to", "wanted.yml"];

    let refused = p.run(&[&from[..], &["--revision"]].concat()).expect(2);
    assert!(refused.stderr.contains("--message"), "{}", refused.stderr);
    let refused = p
        .run(
            &[
                &from[..],
                &["--revision", "-m", "audit", "--plugin", "tuto.nope"],
            ]
            .concat(),
        )
        .expect(2);
    assert!(
        refused.error_line().contains("tuto.nope"),
        "{}",
        refused.stderr
    );
    // One plugin has models here: it gets the revision without --plugin.
    let made = p
        .run(&[&from[..], &["--revision", "-m", "audit"]].concat())
        .expect(0);
    assert!(
        made.stdout.contains("_audit.rs ... done"),
        "{}",
        made.stdout
    );
    let files = p.revision_files();
    assert_eq!(files.len(), 2, "{files:?}");
    p.build();
    p.run(&["db", "upgrade", "heads"]).expect(0);
    let same = p.run(&from).expect(0);
    assert!(same.stdout.contains("No differences"), "{}", same.stdout);
    p.run(&["db", "downgrade", "-1"]).expect(0);
    p.run(&from).expect(1);
}

#[test]
fn diff_to_revision_on_sqlite() {
    diff_to_revision(Dialect::Sqlite);
}

#[test]
fn diff_to_revision_on_postgres() {
    diff_to_revision(Dialect::Postgres);
}

#[test]
fn diff_to_revision_on_mysql() {
    diff_to_revision(Dialect::Mysql);
}
