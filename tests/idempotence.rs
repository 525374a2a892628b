//! A model of every type, default and constraint kind, through the real binary: after
//! `upgrade heads`, autogenerate finds nothing and `db check` passes.

mod common;

use common::Project;

#[test]
fn a_model_of_every_kind_generates_nothing_after_upgrade() {
    let p = Project::fixture(
        "kitchen",
        "chrono = \"0.4\"\nuuid = \"1\"\nserde_json = \"1\"\n",
    );
    assert!(p.files_in("src/revisions/default").is_empty());
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
        "Type::raw(\"MEDIUMTEXT\")",
        ".autoincrement()",
        "Action::Cascade",
        ".comment(\"parents\")",
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

    p.run(&["db", "downgrade", "base"]).expect(0);
    assert!(common::introspect(&p.path("outflow.db")).is_empty());
    p.run(&["db", "upgrade", "heads"]).expect(0);
    p.run(&["db", "check"]).expect(0);
}
