//! Offline SQL through the real binary on every dialect: the scripts `db upgrade a:b --sql` and
//! `db downgrade a:b --sql` print, fed to the dialect's own client (`sqlite3`, `psql`,
//! `mariadb`) on an empty database, leave it exactly where the online commands would: at the
//! right heads, with a schema `db check` finds equal to the models.

mod common;

use common::servers::run_with_stdin;
use common::{Dialect, Project, ServerDatabase};

#[test]
fn offline_scripts_on_sqlite() {
    offline_scripts(Dialect::Sqlite);
}

#[test]
fn offline_scripts_on_postgres() {
    offline_scripts(Dialect::Postgres);
}

#[test]
fn offline_scripts_on_mysql() {
    offline_scripts(Dialect::Mysql);
}

/// The second database the scripts are applied to, and a config pointing at it.
enum Scratch {
    Sqlite(std::path::PathBuf),
    Server(ServerDatabase),
}

impl Scratch {
    fn new(p: &Project, dialect: Dialect) -> (Scratch, String) {
        let scratch = match ServerDatabase::create(dialect) {
            Some(db) => Scratch::Server(db),
            None => Scratch::Sqlite(p.path("offline.db")),
        };
        let yaml = match &scratch {
            Scratch::Server(db) => db.config_yaml(),
            Scratch::Sqlite(_) => {
                "databases:\n  default:\n    dialect: sqlite\n    path: offline.db\n".into()
            }
        };
        std::fs::write(p.path("offline.yml"), yaml).unwrap();
        (scratch, "offline.yml".into())
    }

    fn apply(&self, sql: &str) {
        match self {
            Scratch::Server(db) => db.run_client(sql),
            Scratch::Sqlite(path) => {
                let mut sqlite3 = std::process::Command::new("sqlite3");
                sqlite3.arg("-bail").arg(path);
                let out = run_with_stdin(&mut sqlite3, sql);
                assert!(
                    out.status.success() && out.stderr.is_empty(),
                    "sqlite3 failed: {}\n{sql}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    }
}

/// The revision id of a revision file (`<id>_<slug>.rs`).
fn revision_id(path: &std::path::Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy();
    name.split('_').next().unwrap().to_string()
}

fn offline_scripts(dialect: Dialect) {
    if !common::dialects().contains(&dialect) {
        return;
    }
    let p = Project::fixture(
        "kitchen",
        "chrono = \"0.4\"\nuuid = \"1\"\nserde_json = \"1\"\n",
    )
    .on(dialect);
    // Two revisions made online: every kind, then a new enum label and a new column.
    p.run(&["db", "upgrade", "heads"]).expect(0);
    p.run(&["db", "make_migrations", "-m", "Every kind"])
        .expect(0);
    p.build();
    p.run(&["db", "upgrade", "heads"]).expect(0);
    p.edit("src/main.rs", "    Gone,\n}", "    Gone,\n    Archived,\n}");
    p.edit(
        "src/main.rs",
        "    pub label: String,\n}",
        "    pub label: String,\n    #[column(length = 40)]\n    pub note: Option<String>,\n}",
    );
    p.build();
    p.run(&["db", "make_migrations", "-m", "Archive and notes"])
        .expect(0);
    p.build();
    let files = p.files_in("src/revisions/default");
    assert_eq!(files.len(), 2);
    let is_first = |f: &&std::path::PathBuf| f.to_string_lossy().ends_with("_every_kind.rs");
    let first = revision_id(files.iter().find(is_first).unwrap());
    let second = revision_id(files.iter().find(|f| !is_first(f)).unwrap());

    let (scratch, config) = Scratch::new(&p, dialect);
    let db = |args: &[&str]| {
        let mut all = vec!["--config", config.as_str(), "db"];
        all.extend_from_slice(args);
        p.run(&all)
    };

    let to_first = db(&["upgrade", &format!("base:{first}"), "--sql"]).expect(0);
    assert!(
        to_first.stdout.contains("outflow_version"),
        "{}",
        to_first.stdout
    );
    scratch.apply(&to_first.stdout);
    let current = db(&["current"]).expect(0);
    assert!(current.stdout.starts_with(&first), "{}", current.stdout);

    let to_second = db(&["upgrade", &format!("{first}:heads"), "--sql"]).expect(0);
    let sql = &to_second.stdout;
    assert_eq!(
        sql.matches("-- Running upgrade").count(),
        2,
        "the second revision and the framework's:\n{sql}"
    );
    assert!(!sql.contains("CREATE TABLE IF NOT EXISTS"), "{sql}");
    let second_step = &sql[sql
        .find(&format!("-- Running upgrade {first} -> {second}"))
        .expect("the second revision's step")..];
    if dialect == Dialect::Postgres {
        let add_value = second_step.find("ADD VALUE").expect("a new enum label");
        assert!(
            add_value < second_step.find("BEGIN;").unwrap(),
            "outside the transaction:\n{sql}"
        );
    }
    if dialect == Dialect::Mysql {
        assert!(
            !sql.contains("BEGIN;"),
            "MySQL commits each DDL statement:\n{sql}"
        );
    }
    scratch.apply(sql);
    let current = db(&["current"]).expect(0);
    assert!(
        current
            .stdout
            .contains(&format!("{second} (kitchen.sink) (head)")),
        "{}",
        current.stdout
    );
    db(&["check"]).expect(0);
    p.run(&["db", "upgrade", "heads"]).expect(0);
    assert_eq!(
        db(&["inspect"]).expect(0).stdout,
        p.run(&["db", "inspect"]).expect(0).stdout,
        "the script and the online upgrade give the same schema"
    );

    let down = db(&["downgrade", "heads:base", "--sql"]).expect(0);
    scratch.apply(&down.stdout);
    assert_eq!(db(&["current"]).expect(0).stdout.trim(), "");
    assert!(
        p.run(&["--config", &config, "db", "inspect"])
            .expect(0)
            .stdout
            .contains("tables: []")
    );
}

/// Any dialect's script comes from any project, with no database: `--dialect` picks it.
#[test]
fn dialect_option_renders_for_a_database_that_is_not_there() {
    let p = Project::example("tuto");
    let rev = revision_id(&p.revision_files()[0]);
    for (dialect, marker) in [
        (
            "postgresql",
            "CREATE TABLE \"public\".\"computation_result\"",
        ),
        ("mysql", "CREATE TABLE `computation_result`"),
        ("sqlite", "CREATE TABLE \"computation_result\""),
    ] {
        let out = p
            .run(&["db", "upgrade", "heads", "--sql", "--dialect", dialect])
            .expect(0);
        assert!(out.stdout.contains(marker), "{dialect}:\n{}", out.stdout);
        assert!(out.stdout.contains(&rev), "{dialect}:\n{}", out.stdout);
    }
    assert!(!p.path("outflow.db").exists(), "no database was opened");
}
