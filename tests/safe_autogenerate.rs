//! Safe autogenerate as a reviewer meets it, through the real binary on every dialect, on
//! 10,000 rows (tests/fixtures/pipelines/review): a model renamed with `renamed_from` (table
//! and column) keeps every value; a new NOT NULL column with `backfill` and one without are
//! added nullable, filled, then tightened; a drop beside an add of the same type gets a HINT;
//! `db lint` reports the file's findings by line and fails on errors; the placeholder left to
//! write stops `upgrade` before anything runs; once the reviewer writes it and silences the
//! drop with a reason, the revision upgrades the populated table and downgrades back.

mod common;

use common::{Dialect, Project};

#[test]
fn safe_autogenerate_on_sqlite() {
    safe_autogenerate(Dialect::Sqlite);
}

#[test]
fn safe_autogenerate_on_postgres() {
    safe_autogenerate(Dialect::Postgres);
}

#[test]
fn safe_autogenerate_on_mysql() {
    safe_autogenerate(Dialect::Mysql);
}

const ROWS: i64 = 10_000;
const FOLDER: &str = "src/revisions/default";

fn safe_autogenerate(dialect: Dialect) {
    if !common::dialects().contains(&dialect) {
        return;
    }
    let p = Project::fixture("review", "").on(dialect);
    p.run(&["db", "upgrade", "heads"]).expect(0);
    p.run(&["db", "make_migrations", "-m", "people"]).expect(0);
    p.build();
    p.run(&["db", "upgrade", "heads"]).expect(0);
    let values: Vec<String> = (1..=ROWS)
        .map(|i| format!("({i}, 'name{i}', {i})"))
        .collect();
    execute(
        &p,
        &format!(
            "INSERT INTO person (id, name, n) VALUES {}",
            values.join(", ")
        ),
    );

    change_the_model(&p);
    let file = generate_and_review(&p);
    let lint = p.run(&["db", "lint"]).expect(1);
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    for rule in [
        "backfill-to-write error",
        "drop-column error",
        "rename-column warning",
    ] {
        assert!(
            lint.stdout
                .lines()
                .any(|l| l.starts_with(&format!("{FOLDER}/{name}:")) && l.contains(rule)),
            "{rule}:\n{}",
            lint.stdout
        );
    }
    let before = p.fingerprint();
    let refused = p.run(&["db", "upgrade", "heads"]).expect(2);
    assert!(
        refused
            .error_line()
            .contains("cannot run as written, nothing was applied"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        p.fingerprint(),
        before,
        "a refused upgrade changed the database"
    );

    // A silence must say why.
    let text = std::fs::read_to_string(&file).unwrap();
    let bare = text.replace(
        "    op.drop_column(\"human\", \"n\");",
        "    // lint: allow drop-column\n    op.drop_column(\"human\", \"n\");",
    );
    std::fs::write(&file, bare).unwrap();
    p.build();
    let lint = p.run(&["db", "lint"]).expect(1);
    assert!(
        lint.stdout
            .contains("allow-without-reason error: `// lint: allow drop-column` says no reason"),
        "{}",
        lint.stdout
    );
    assert!(
        !lint.stdout.contains("drop-column error"),
        "{}",
        lint.stdout
    );

    // The reviewer writes the value and says why the drop is fine.
    let text = text.replace(".backfill_to_write()", ".backfill(\"7\")").replace(
        "    op.drop_column(\"human\", \"n\");",
        "    // lint: allow drop-column: n was never read\n    op.drop_column(\"human\", \"n\");",
    );
    std::fs::write(&file, text).unwrap();
    p.build();
    let lint = p.run(&["db", "lint"]).expect(0);
    assert!(!lint.stdout.contains(" error: "), "{}", lint.stdout);
    p.run(&["db", "upgrade", "heads"]).expect(0);
    let id_text = match dialect {
        Dialect::Mysql => "CAST(id AS CHAR)",
        _ => "CAST(id AS TEXT)",
    };
    let kept = format!(
        "SELECT COUNT(*) FROM human WHERE full_name = CONCAT('name', {id_text}) AND m = 0 AND k = 7"
    );
    assert_eq!(
        count(&p, &kept),
        ROWS,
        "every row kept its value and got the backfills"
    );
    p.run(&["db", "check"]).expect(0);

    p.run(&["db", "downgrade", "-1"]).expect(0);
    let back = format!("SELECT COUNT(*) FROM person WHERE name = CONCAT('name', {id_text})");
    assert_eq!(
        count(&p, &back),
        ROWS,
        "the downgrade renamed everything back"
    );
}

/// `Person` becomes `Human` (renamed from `person`), `name` becomes `full_name`, `n` is dropped
/// and `score` added (a look-alike rename, no hint), `m` and `k` are new NOT NULL columns.
fn change_the_model(p: &Project) {
    p.edit(
        "src/main.rs",
        "pub struct Person {",
        "#[model(renamed_from = \"person\")]\npub struct Human {",
    );
    p.edit("src/main.rs", ".model::<Person>()", ".model::<Human>()");
    p.edit(
        "src/main.rs",
        "    #[column(length = 40)]\n    pub name: String,\n    pub n: Option<i64>,\n",
        "    #[column(length = 40, renamed_from = \"name\")]\n    pub full_name: String,\n    \
         pub score: Option<i64>,\n    #[column(backfill = \"0\")]\n    pub m: i64,\n    pub k: i64,\n",
    );
    p.build();
}

/// Generates the revision and checks what the reviewer reads in it; its path.
fn generate_and_review(p: &Project) -> std::path::PathBuf {
    let before = p.files_in(FOLDER);
    let generated = p.run(&["db", "make_migrations", "-m", "review"]).expect(0);
    assert!(
        generated.stdout.contains(
            "HINT: column 'human.n' is dropped and 'human.score' added with the same type"
        ),
        "{}",
        generated.stdout
    );
    let file = p
        .files_in(FOLDER)
        .into_iter()
        .find(|f| !before.contains(f))
        .expect("a new revision");
    let text = std::fs::read_to_string(&file).unwrap();
    for expected in [
        "op.rename_table(\"person\", \"human\");",
        "op.rename_column(\"human\", \"name\", \"full_name\");",
        "op.add_column(\"human\", column(\"m\", Type::BigInt));",
        "alter().set_not_null().backfill(\"0\")",
        "alter().set_not_null().backfill_to_write()",
        "// HINT: column 'human.n' is dropped",
        "// lint: drop-column (error)",
        "// lint: backfill-to-write (error)",
    ] {
        assert!(text.contains(expected), "{expected}:\n{text}");
    }
    assert!(!text.contains("drop_column(\"human\", \"name\")"), "{text}");
    p.build();
    file
}

fn execute(p: &Project, sql: &str) {
    match &p.database {
        Some(db) => db.execute(sql),
        None => {
            sqlite(p, sql, false);
        }
    }
}

fn count(p: &Project, sql: &str) -> i64 {
    match &p.database {
        Some(db) => db.query(sql).trim().parse().unwrap(),
        None => sqlite(p, sql, true),
    }
}

/// Runs `sql` on the SQLite file; the first column of its first row when `read`.
fn sqlite(p: &Project, sql: &str, read: bool) -> i64 {
    use sqlx::{ConnectOptions, Row};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(p.path("outflow.db"))
            .connect()
            .await
            .unwrap();
        let query = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()));
        if read {
            query.fetch_one(&mut conn).await.unwrap().get::<i64, _>(0)
        } else {
            query.execute(&mut conn).await.unwrap();
            0
        }
    })
}
