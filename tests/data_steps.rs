//! Data steps (Rust code in a revision) through the real binary on every dialect, on 10,000
//! rows (tests/fixtures/pipelines/data): a step fills a table; a rename and a NOT NULL column
//! with a backfill keep every row; a step reads typed values and writes each row back; a
//! downgrade that says it cannot run is refused before anything runs; `--sql` refuses a
//! revision with a data step; a failing step undoes its revision (SQLite, PostgreSQL) or
//! stops with the recovery record (MySQL).

mod common;

use common::{Dialect, Project};

#[test]
fn data_steps_on_sqlite() {
    data_steps(Dialect::Sqlite);
}

#[test]
fn data_steps_on_postgres() {
    data_steps(Dialect::Postgres);
}

#[test]
fn data_steps_on_mysql() {
    data_steps(Dialect::Mysql);
}

fn data_steps(dialect: Dialect) {
    if !common::dialects().contains(&dialect) {
        return;
    }
    let p = Project::fixture("data", "").on(dialect);
    let up = p.run(&["db", "upgrade", "da7a00000002"]).expect(0);
    assert!(
        up.stderr
            .contains("Running data step 'join first and family names'"),
        "{}",
        up.stderr
    );
    assert_eq!(count(&p, "SELECT COUNT(*) FROM person"), 10_000);
    // The rename kept every value; the data step wrote every row; the backfill gave each a value.
    assert_eq!(
        count(
            &p,
            &format!(
                "SELECT COUNT(*) FROM person WHERE family_name = CONCAT('last', {})",
                id_text(dialect)
            )
        ),
        10_000
    );
    assert_eq!(
        count(
            &p,
            "SELECT COUNT(*) FROM person WHERE full_name = CONCAT(first, ' ', family_name) AND rank = 0"
        ),
        10_000
    );
    irreversible_downgrade_is_refused(&p);
    no_sql_script_for_data_steps(&p);
    failing_step(&p, dialect);
}

fn irreversible_downgrade_is_refused(p: &Project) {
    p.run(&["db", "upgrade", "da7a00000003"]).expect(0);
    assert_eq!(count(p, "SELECT COUNT(*) FROM person"), 9_900);
    assert_eq!(
        count(p, "SELECT COUNT(*) FROM person WHERE score = -1"),
        900
    );
    let before = p.fingerprint();
    let refused = p.run(&["db", "downgrade", "-1"]).expect(2);
    assert_eq!(
        refused.error_line(),
        "error: revision da7a00000003 (archive the inactive) cannot be downgraded: the deleted people are gone; restore them from a backup; nothing was applied: restore a backup taken before it was applied, or, if the schema is already as wanted, set the version with `db stamp`"
    );
    assert_eq!(
        p.fingerprint(),
        before,
        "a refused downgrade changed the database"
    );
}

fn no_sql_script_for_data_steps(p: &Project) {
    let refused = p
        .run(&["db", "upgrade", "da7a00000001:da7a00000003", "--sql"])
        .expect(2);
    assert_eq!(
        refused.error_line(),
        "error: revision da7a00000002 (full names) cannot be written as SQL: its upgrade runs the Rust data step 'join first and family names'; run `db upgrade` against the database instead, or print the SQL of the revisions before it"
    );
    assert!(refused.stdout.is_empty(), "{}", refused.stdout);
}

fn failing_step(p: &Project, dialect: Dialect) {
    let failed = p.run(&["db", "upgrade", "heads"]).expect(3);
    assert!(
        failed.error_line().contains(
            "data step 'touch every person' failed: table 'person' has no column 'nickname'"
        ),
        "{}",
        failed.stderr
    );
    // The step's own writes are undone wherever the step ran.
    assert_eq!(
        count(p, "SELECT COUNT(*) FROM person WHERE score = 12345"),
        0
    );
    let current = p.run(&["db", "current"]).expect(0);
    assert!(
        current.stdout.contains("da7a00000003"),
        "{}",
        current.stdout
    );
    let audit = tables_named(p, dialect, "audit");
    match dialect {
        // MySQL committed the CREATE TABLE before the step; the record says how to go on.
        Dialect::Mysql => {
            assert_eq!(audit, 1);
            assert!(
                failed.stderr.contains("statement 2 of 2"),
                "{}",
                failed.stderr
            );
        }
        _ => assert_eq!(audit, 0),
    }
}

/// The one number a query returns: through the server's own client, or a read-only
/// connection to the SQLite file.
fn count(p: &Project, sql: &str) -> i64 {
    let text = match &p.database {
        Some(db) => db.query(sql),
        None => sqlite_scalar(&p.path("outflow.db"), sql),
    };
    text.trim()
        .parse()
        .unwrap_or_else(|_| panic!("{sql}: {text}"))
}

fn sqlite_scalar(path: &std::path::Path, sql: &str) -> String {
    use sqlx::{ConnectOptions, Row};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .connect()
            .await
            .unwrap();
        let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        row.get::<i64, _>(0).to_string()
    })
}

/// `id` as text, as the dialect spells the cast.
fn id_text(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Mysql => "CAST(id AS CHAR)",
        _ => "CAST(id AS TEXT)",
    }
}

/// How many tables named `name` the test's database has.
fn tables_named(p: &Project, dialect: Dialect, name: &str) -> i64 {
    let sql = match dialect {
        Dialect::Sqlite => {
            format!("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{name}'")
        }
        Dialect::Postgres => format!(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{name}'"
        ),
        Dialect::Mysql => format!(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{name}'"
        ),
    };
    count(p, &sql)
}
