//! `db squash` through the real binary on every dialect, on the 20-revision chain
//! (tests/fixtures/pipelines/chain): the squashed revision keeps the last id, so a database at
//! the end of the run goes on (its applied checksum accepted), a fresh database reaches the
//! same schema and comes back down; a database in the middle of the run, a target naming a
//! replaced id and the runs that cannot be squashed are refused with the way out.

mod common;

use common::{Dialect, Project, ServerDatabase};

#[test]
fn squash_on_sqlite() {
    squash(Dialect::Sqlite);
}

#[test]
fn squash_on_postgres() {
    squash(Dialect::Postgres);
}

#[test]
fn squash_on_mysql() {
    squash(Dialect::Mysql);
}

/// Another database of the same dialect, as a config file of its own.
struct Other {
    config: String,
    _database: Option<ServerDatabase>,
}

impl Other {
    fn new(p: &Project, dialect: Dialect, name: &str) -> Other {
        let database = ServerDatabase::create(dialect);
        let yaml = match &database {
            Some(db) => db.config_yaml(),
            None => format!("databases:\n  default:\n    dialect: sqlite\n    path: {name}.db\n"),
        };
        let config = p.path(&format!("{name}.yml"));
        std::fs::write(&config, yaml).unwrap();
        Other {
            config: config.display().to_string(),
            _database: database,
        }
    }

    fn run(&self, p: &Project, args: &[&str]) -> common::Run {
        let mut all = vec!["--config", self.config.as_str()];
        all.extend_from_slice(args);
        p.run(&all)
    }
}

fn squash(dialect: Dialect) {
    if !common::dialects().contains(&dialect) {
        return;
    }
    let p = Project::fixture("chain", "").on(dialect);
    let middle = Other::new(&p, dialect, "middle");
    let reference = Other::new(&p, dialect, "reference");
    p.run(&["db", "upgrade", "c0de00000010"]).expect(0);
    middle.run(&p, &["db", "upgrade", "c0de00000005"]).expect(0);
    reference.run(&p, &["db", "upgrade", "heads"]).expect(0);
    refusals(&p);

    let squashed = p
        .run(&[
            "db",
            "squash",
            "c0de00000003:c0de00000010",
            "-m",
            "first ten",
        ])
        .expect(0);
    assert!(
        squashed.stdout.contains("c0de00000010_first_ten.rs"),
        "{}",
        squashed.stdout
    );
    let files: Vec<String> = p
        .files_in("src/revisions/default")
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 13, "{files:?} {}", squashed.stdout);
    assert!(
        files.contains(&"c0de00000010_first_ten.rs".to_string()),
        "{files:?}"
    );
    assert!(
        !files.iter().any(|f| f.starts_with("c0de00000005")),
        "{files:?}"
    );
    let text =
        std::fs::read_to_string(p.path("src/revisions/default/c0de00000010_first_ten.rs")).unwrap();
    assert!(
        text.contains("//! Replaces: c0de00000003, c0de00000004, c0de00000005, c0de00000006, c0de00000007, c0de00000008, c0de00000009\n"),
        "{text}"
    );
    assert!(
        text.contains("pub const DOWN_REVISION: &[&str] = &[\"c0de00000002\"];"),
        "{text}"
    );
    p.build();

    // The database at the end of the run goes on, its applied source accepted.
    p.run(&["db", "verify"]).expect(0);
    p.run(&["db", "upgrade", "heads"]).expect(0);
    let expected = reference.run(&p, &["db", "inspect"]).expect(0).stdout;
    assert_eq!(p.run(&["db", "inspect"]).expect(0).stdout, expected);

    // A fresh database reaches the same schema, and the squash comes back down and up.
    let fresh = Other::new(&p, dialect, "fresh");
    fresh.run(&p, &["db", "upgrade", "heads"]).expect(0);
    assert_eq!(fresh.run(&p, &["db", "inspect"]).expect(0).stdout, expected);
    fresh
        .run(&p, &["db", "downgrade", "c0de00000002"])
        .expect(0);
    let current = fresh.run(&p, &["db", "current"]).expect(0);
    assert!(
        current.stdout.contains("c0de00000002 (chain)\n"),
        "{}",
        current.stdout
    );
    fresh.run(&p, &["db", "upgrade", "heads"]).expect(0);
    assert_eq!(fresh.run(&p, &["db", "inspect"]).expect(0).stdout, expected);

    // A database in the middle of the run, and a target naming a replaced id, are refused.
    let before = middle.run(&p, &["db", "current"]).stdout;
    let refused = middle.run(&p, &["db", "upgrade", "heads"]).expect(2);
    assert_eq!(
        refused.error_line(),
        "error: the version table names revision 'c0de00000005', which squash c0de00000010 replaced: this database is in the middle of the squashed run; upgrade it to c0de00000010 with a build from before the squash, then run this one again"
    );
    assert_eq!(middle.run(&p, &["db", "current"]).stdout, before);
    let refused = fresh
        .run(&p, &["db", "downgrade", "c0de00000005"])
        .expect(2);
    assert_eq!(
        refused.error_line(),
        "error: revision 'c0de00000005' was squashed into c0de00000010: name c0de00000010 instead"
    );
}

/// Runs that cannot be squashed, refused before anything is written.
fn refusals(p: &Project) {
    let files = p.files_in("src/revisions/default").len();
    let cases: [(&[&str], &str); 4] = [
        (
            &["db", "squash", "c0de00000003:c0de00000003"],
            "error: c0de00000003:c0de00000003 holds one revision: there is nothing to squash",
        ),
        (
            &["db", "squash", "c0de00000010:c0de00000003"],
            "error: revisions c0de00000010 to c0de00000003 are not a linear run: c0de00000010 is not an ancestor of c0de00000003; squash a run where each revision has the one before it as its only parent",
        ),
        (
            &["db", "squash", "c0de00000003:c0de00000012"],
            "error: database 'default' is at revision c0de00000010, inside the run: upgrade it to c0de00000012 first, then squash (a database in the middle of a squashed run cannot go on)",
        ),
        (
            &["db", "squash", "c0de00000003"],
            "error: 'c0de00000003' is not a range to squash: give `<first revision>:<last revision>`",
        ),
    ];
    for (args, message) in cases {
        let refused = p.run(args).expect(2);
        assert_eq!(refused.error_line(), message);
    }
    assert_eq!(
        p.files_in("src/revisions/default").len(),
        files,
        "a refused squash wrote or deleted a file"
    );
}

/// A data step cannot be written into a squashed file.
#[test]
fn data_steps_are_refused() {
    let p = Project::fixture("data", "");
    let refused = p
        .run(&["db", "squash", "da7a00000001:da7a00000003"])
        .expect(2);
    assert_eq!(
        refused.error_line(),
        "error: revision da7a00000001 runs the Rust data step 'insert 10,000 people' in its upgrade: its code cannot be written into the squashed file; squash the revisions before it or after it"
    );
    assert_eq!(p.files_in("src/revisions/default").len(), 4);
}

/// A revision another branch builds on, or a merge, cannot be squashed away.
#[test]
fn branch_points_and_merges_are_refused() {
    let p = Project::fixture("graph", "");
    let cases = [
        (
            "aaaa00000001:aaaa0000003a",
            "error: revision aaaa00000002 cannot be squashed away: revision aaaa0000003b builds on it (a branch point); squash a run that ends there, or one that does not hold it",
        ),
        (
            "aaaa0000003a:aaaa00000004",
            "error: revisions aaaa0000003a to aaaa00000004 are not a linear run: aaaa00000004 is a merge; squash a run where each revision has the one before it as its only parent",
        ),
    ];
    for (range, message) in cases {
        let refused = p.run(&["db", "squash", range]).expect(2);
        assert_eq!(refused.error_line(), message);
    }
    assert!(
        !p.path("outflow.db").exists(),
        "a refused squash opened the database for writing"
    );
}
