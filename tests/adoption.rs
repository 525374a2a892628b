//! Adopting an existing database: each sample schema (Chinook, Sakila, Pagila, Northwind) is
//! loaded with the server's own client, `db inspect --models` writes Rust models for it, and a
//! pipeline built with them finds nothing to migrate against that database. Then the same
//! models create the schema from empty through a revision of our own, and `db diff` finds the
//! result equal to the original.
//!
//! What the model does not hold (views, triggers, functions) is not compared. Samples that need
//! more than that are listed with the reason in `docs/conformance.md` (Sakila and Pagila on
//! PostgreSQL: partitions and inheritance; Sakila on MariaDB: `int unsigned` auto-numbered keys).

mod common;

use std::path::Path;

use common::{Dialect, Project, ServerDatabase, dialects};

fn corpus(sample: &str, dialect: Dialect) -> Option<String> {
    let file = match dialect {
        Dialect::Sqlite => "sqlite.sql",
        Dialect::Postgres => "postgresql.sql",
        Dialect::Mysql => "mysql.sql",
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conformance/corpora/schemas")
        .join(sample)
        .join(file);
    let sql = std::fs::read_to_string(path).ok()?;
    // Sakila's MySQL file creates, enters and names its own schema: here it loads into ours.
    let sql = sql
        .lines()
        .filter(|l| {
            let l = l.trim().to_ascii_uppercase();
            !(l.starts_with("CREATE SCHEMA") || l.starts_with("USE "))
        })
        .collect::<Vec<_>>()
        .join("\n")
        .replace("sakila.", "");
    Some(sql)
}

/// The `CREATE DOMAIN` statements of a sample: what its tables need outside the model.
fn domains(sql: &str) -> String {
    let mut out = String::new();
    for statement in sql.split(';') {
        let s = statement.trim();
        if s.to_ascii_uppercase().starts_with("CREATE DOMAIN") {
            out.push_str(s);
            out.push_str(";\n");
        }
    }
    out
}

/// A database for `label`: its config entry, loaded with `sql` by the dialect's own client.
struct Loaded {
    entry: String,
    url: String,
    _server: Option<ServerDatabase>,
}

fn database(p: &Project, dialect: Dialect, label: &str, sql: &str) -> Loaded {
    match ServerDatabase::create(dialect) {
        Some(db) => {
            if !sql.trim().is_empty() {
                db.run_client(sql);
            }
            let name = if dialect == Dialect::Postgres {
                "postgresql"
            } else {
                "mysql"
            };
            Loaded {
                entry: format!("  {label}:\n    dialect: {name}\n    url: {}\n", db.url()),
                url: db.url(),
                _server: Some(db),
            }
        }
        None => {
            let file = p.path(&format!("{label}.db"));
            let _ = std::fs::remove_file(&file);
            let mut sqlite = std::process::Command::new("sqlite3");
            sqlite.arg(&file);
            let out = common::servers::run_with_stdin(&mut sqlite, sql);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            Loaded {
                entry: format!("  {label}:\n    dialect: sqlite\n    path: {label}.db\n"),
                url: format!("sqlite://{}", file.display()),
                _server: None,
            }
        }
    }
}

fn write_config(p: &Project, loaded: &[&Loaded]) {
    let entries: String = loaded.iter().map(|l| l.entry.as_str()).collect();
    std::fs::write(p.path("config.yml"), format!("databases:\n{entries}")).unwrap();
}

fn adoption(dialect: Dialect, samples: &[&str]) {
    if !dialects().contains(&dialect) {
        return;
    }
    let p = Project::fixture(
        "adopted",
        "chrono = \"0.4\"\nuuid = \"1\"\nserde_json = \"1\"\n",
    );
    let originals: Vec<(String, Loaded)> = samples
        .iter()
        .map(|s| {
            (
                s.to_string(),
                database(&p, dialect, s, &corpus(s, dialect).unwrap()),
            )
        })
        .collect();
    write_config(&p, &originals.iter().map(|(_, l)| l).collect::<Vec<_>>());
    let mut main = String::from("use outflow::Plugin;\n\n");
    let mut plugins = String::new();
    for (sample, _) in &originals {
        let models = p
            .run(&["db", "inspect", "--models", "-d", sample])
            .expect(0)
            .stdout;
        std::fs::write(p.path(&format!("src/{sample}.rs")), models).unwrap();
        main.push_str(&format!("mod {sample};\n"));
        plugins.push_str(&format!(
            "        .plugin({sample}::add_models(Plugin::new(\"{sample}\")).revisions(outflow::embed_revisions!(\"revisions/{sample}\")))\n"
        ));
    }
    main.push_str(&format!(
        "\nfn main() -> std::process::ExitCode {{\n    outflow::pipeline!()\n{plugins}        .run()\n}}\n"
    ));
    std::fs::write(p.path("src/main.rs"), main).unwrap();
    p.build();
    for (sample, _) in &originals {
        let run = p.run(&[
            "db",
            "make_migrations",
            "-d",
            sample,
            "-p",
            sample,
            "-m",
            "adopt",
        ]);
        assert!(
            run.code == 0 && run.stderr.contains("No changes detected"),
            "{dialect:?} {sample}: the models differ from the database:\n{}{}",
            run.stdout,
            run.stderr
        );
    }
    // The same models, from empty.
    let fresh: Vec<Loaded> = originals
        .iter()
        .map(|(s, _)| {
            let sql = if dialect == Dialect::Postgres {
                domains(&corpus(s, dialect).unwrap())
            } else {
                String::new()
            };
            database(&p, dialect, s, &sql)
        })
        .collect();
    write_config(&p, &fresh.iter().collect::<Vec<_>>());
    for ((sample, original), created) in originals.iter().zip(&fresh) {
        // Each new revision must be in the build before the next label's is written.
        p.run(&[
            "db",
            "make_migrations",
            "-d",
            sample,
            "-p",
            sample,
            "-m",
            "create",
        ])
        .expect(0);
        p.build();
        p.run(&["db", "upgrade", "heads", "-d", sample]).expect(0);
        let diff = p.run(&["db", "diff", "--from", &original.url, "--to", &created.url]);
        assert!(
            diff.code == 0,
            "{dialect:?} {sample}: created from the models, it differs from the original:\n{}{}",
            diff.stdout,
            diff.stderr
        );
    }
}

#[test]
fn adopting_the_sample_schemas_on_sqlite() {
    adoption(
        Dialect::Sqlite,
        &["chinook", "chinook_autoinc", "northwind", "sakila"],
    );
}

#[test]
fn adopting_the_sample_schemas_on_postgres() {
    adoption(
        Dialect::Postgres,
        &["chinook", "chinook_autoinc", "chinook_serial", "northwind"],
    );
}

#[test]
fn adopting_the_sample_schemas_on_mysql() {
    adoption(Dialect::Mysql, &["chinook", "chinook_autoinc"]);
}
