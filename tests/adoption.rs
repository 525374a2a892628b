//! Adopting an existing database: each sample schema (Chinook, Sakila, Pagila, Northwind) is
//! loaded with the server's own client, `db inspect --models` writes Rust models for it, and a
//! pipeline built with them finds nothing to migrate against that database. Then the same
//! models create the schema from empty through a revision of our own, and `db diff` finds the
//! result equal to the original.
//!
//! The copy is also compared with the original through the database's own account of it
//! (`pg_dump --schema-only`, `SHOW CREATE` of every table, view, trigger and routine, SQLite's
//! pragmas and stored SQL): views, triggers, functions, names and declared types included, the
//! copy must be the original but for the reviewed lines of [`KNOWN`].

mod common;

use common::account::account;
use common::live::Live;
use common::{Dialect, Project, ServerDatabase, dialects};

/// The lines of the database's account that may differ between a sample and its copy, each
/// with the reason (docs/adoption.md): (dialect, sample, a text the line contains, why).
const KNOWN: &[(Dialect, &str, &str, &str)] = &[
    (
        Dialect::Sqlite,
        "northwind",
        "column|Categories|CategoryID|",
        NULLABLE_KEY,
    ),
    (
        Dialect::Sqlite,
        "northwind",
        "column|Customers|CustomerID|",
        NULLABLE_KEY,
    ),
    (
        Dialect::Sqlite,
        "northwind",
        "column|Employees|EmployeeID|",
        NULLABLE_KEY,
    ),
];

/// SQLite lets a primary-key column hold NULL (a bug it keeps for compatibility); a model's
/// key columns are NOT NULL, so the copy's are.
const NULLABLE_KEY: &str = "a primary-key column is created NOT NULL";

/// A database for `label`: its config entry, loaded with `sql` by the dialect's own client.
struct Loaded {
    entry: String,
    url: String,
    _server: Option<ServerDatabase>,
}

/// `file` names the SQLite file (the original and its copy must not share one).
fn database(p: &Project, dialect: Dialect, label: &str, file: &str, sql: &str) -> Loaded {
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
            let path = p.path(&format!("{file}.db"));
            let _ = std::fs::remove_file(&path);
            let mut sqlite = std::process::Command::new("sqlite3");
            sqlite.arg(&path);
            let out = common::servers::run_with_stdin(&mut sqlite, sql);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            Loaded {
                entry: format!("  {label}:\n    dialect: sqlite\n    path: {file}.db\n"),
                url: format!("sqlite://{}", path.display()),
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
                database(
                    &p,
                    dialect,
                    s,
                    s,
                    &common::samples::client_sql(s, dialect).unwrap(),
                ),
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
        .map(|(s, _)| database(&p, dialect, s, &format!("{s}_copy"), ""))
        .collect();
    write_config(&p, &fresh.iter().collect::<Vec<_>>());
    let mut differences = Vec::new();
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
        if let Err(e) = same_outline(dialect, sample, &original.url, &created.url) {
            differences.push(e);
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// The database's own account of the copy is the original's, but for the [`KNOWN`] lines.
fn same_outline(
    dialect: Dialect,
    sample: &str,
    original: &str,
    created: &str,
) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let before = runtime.block_on(account(&Live::existing(dialect, original)));
    let after = runtime.block_on(account(&Live::existing(dialect, created)));
    let known = |line: &&String| {
        KNOWN
            .iter()
            .any(|(d, s, text, _)| *d == dialect && *s == sample && line.contains(text))
    };
    let missing: Vec<_> = before.difference(&after).filter(|l| !known(l)).collect();
    let extra: Vec<_> = after.difference(&before).filter(|l| !known(l)).collect();
    if !missing.is_empty() || !extra.is_empty() {
        return Err(format!(
            "{dialect:?} {sample}: the database's own account differs.\nonly in the original:\n{}only in the copy:\n{}",
            lines(&missing),
            lines(&extra)
        ));
    }
    Ok(())
}

fn lines(items: &[&String]) -> String {
    items.iter().map(|i| format!("  {i}\n")).collect()
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
        &[
            "chinook",
            "chinook_autoinc",
            "chinook_serial",
            "northwind",
            "sakila",
            "pagila",
        ],
    );
}

#[test]
fn adopting_the_sample_schemas_on_mysql() {
    adoption(Dialect::Mysql, &["chinook", "chinook_autoinc", "sakila"]);
}
