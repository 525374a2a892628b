//! The scripts `db diff --sql` prints, run through each database's own client as users run
//! them, with a statement in the middle that fails: the original table keeps all its rows.
//! SQLite: `sqlite3` with and without `-bail`, and with the disk full during a rebuild's copy;
//! PostgreSQL: `psql` with and without `ON_ERROR_STOP` and `-1`; MariaDB: `mariadb`, which
//! stops at the error before anything is destroyed, then the resume the script's header
//! describes.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::servers::run_with_stdin;
use common::{Dialect, ServerDatabase};

fn outflow(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_outflow"))
        .args(args)
        .current_dir(dir)
        .env_remove("OUTFLOW_ROOT")
        .env_remove("OUTFLOW_CONFIG_PATH")
        .env_remove("OUTFLOW_DATABASE_URL")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `db diff --from --to --sql`: exit 1 (differences) and the script.
fn diff_script(dir: &Path, from: &str, to: &str) -> String {
    let out = outflow(dir, &["db", "diff", "--from", from, "--to", to, "--sql"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// Whether `db diff` finds the two the same.
fn same(dir: &Path, a: &str, b: &str) -> bool {
    let out = outflow(dir, &["db", "diff", "--from", a, "--to", b]);
    assert!(out.status.code() != Some(2), "{}", text(&out.stderr));
    out.status.code() == Some(0)
}

fn sqlite3(db: &Path, flags: &[&str], script: &str) -> Output {
    run_with_stdin(Command::new("sqlite3").args(flags).arg(db), script)
}

/// Everything SQLite holds of `db`: its schema's text and every row of `t`.
fn sqlite_state(db: &Path) -> String {
    let out = sqlite3(
        db,
        &[],
        "SELECT type, name, sql FROM sqlite_master ORDER BY name; SELECT * FROM t ORDER BY id;",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

const ORIGINAL: &str = "CREATE TABLE t (id INTEGER PRIMARY KEY, old_name TEXT NOT NULL, n INTEGER);
CREATE INDEX ix_t_n ON t (n);
CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t (id) ON DELETE CASCADE);
INSERT INTO t VALUES (1, 'ada', 36), (2, 'alan', 41), (3, 'grace', 85);
INSERT INTO child VALUES (10, 1), (11, 3);";

/// The case on SQLite: `old_name` renamed by hand to `new_name` (drop and add, so the
/// rebuild has nothing to copy into the new NOT NULL column) and a new NOT NULL `m`.
#[test]
fn sqlite_keeps_every_row_whatever_sqlite3_does() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    assert!(sqlite3(&a, &[], ORIGINAL).status.success());
    let wanted = "CREATE TABLE t (id INTEGER PRIMARY KEY, new_name TEXT NOT NULL, n INTEGER, m INTEGER NOT NULL);
CREATE INDEX ix_t_n ON t (n);
CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t (id) ON DELETE CASCADE);";
    assert!(sqlite3(&b, &[], wanted).status.success());
    let script = diff_script(dir.path(), "a.db", "b.db");
    assert!(
        script.contains("-- Run it with:  sqlite3 -bail DATABASE < SCRIPT"),
        "{script}"
    );
    // What the script loses or leaves to write is said before anything runs.
    assert!(
        script.starts_with(
            "-- HINT: column 't.old_name' is dropped and 't.new_name' added with the same type;"
        ),
        "{script}"
    );
    for column in ["new_name", "m"] {
        let note = format!("-- TO WRITE: the rows of 't' need a value for '{column}'");
        assert!(script.contains(&note), "{note}:\n{script}");
    }
    assert!(
        script.contains("-- WARNING: drops column 't.old_name' and its data."),
        "{script}"
    );
    let original = sqlite_state(&a);
    for flags in [&[][..], &["-bail"]] {
        let copy = dir.path().join("copy.db");
        std::fs::copy(&a, &copy).unwrap();
        let out = sqlite3(&copy, flags, &script);
        assert!(!out.status.success(), "{flags:?}");
        assert!(
            text(&out.stderr).contains("NOT NULL constraint failed: t.new_name"),
            "{flags:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(sqlite_state(&copy), original, "{flags:?}\n{script}");
        assert_eq!(sqlite_state(&a), original);
    }
}

/// The disk fills up during a rebuild's copy (SQLite may then end the transaction by itself)
/// and sqlite3 goes on: the table keeps its rows.
#[test]
fn sqlite_keeps_every_row_when_the_disk_fills_during_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let rows = "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO t SELECT i, hex(randomblob(200)) FROM n;";
    assert!(sqlite3(&a, &[], rows).status.success());
    let wanted = "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT NOT NULL);";
    assert!(sqlite3(&b, &[], wanted).status.success());
    let script = diff_script(dir.path(), "a.db", "b.db");
    let pages = text(&sqlite3(&a, &[], "PRAGMA page_count;").stdout);
    let pages: u32 = pages.trim().parse().unwrap();
    let full = format!("PRAGMA max_page_count = {};\n{script}", pages + 20);
    let original = sqlite_state(&a);
    let out = sqlite3(&a, &[], &full);
    assert!(
        text(&out.stderr).contains("database or disk is full"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(sqlite_state(&a), original);
}

/// A script with nothing failing does what `db diff` said, in a client with no options.
#[test]
fn sqlite_script_that_succeeds_reaches_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    assert!(sqlite3(&a, &[], ORIGINAL).status.success());
    let wanted = "CREATE TABLE t (id INTEGER PRIMARY KEY, old_name TEXT, n INTEGER NOT NULL DEFAULT 0, m INTEGER);
CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t (id) ON DELETE CASCADE);";
    assert!(sqlite3(&b, &[], wanted).status.success());
    let script = diff_script(dir.path(), "a.db", "b.db");
    let out = sqlite3(&a, &[], &script);
    assert!(out.status.success(), "{}\n{script}", text(&out.stderr));
    assert!(text(&out.stderr).is_empty(), "{}", text(&out.stderr));
    assert!(same(dir.path(), "a.db", "b.db"));
    let rows = text(
        &sqlite3(
            &a,
            &[],
            "SELECT count(*) FROM t; SELECT count(*) FROM child;",
        )
        .stdout,
    );
    assert_eq!(rows, "3\n2\n", "the rebuild cascaded nothing");
}

/// No difference: the script is a comment, which every client runs as nothing.
#[test]
fn no_difference_is_an_empty_script() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    assert!(sqlite3(&a, &[], ORIGINAL).status.success());
    let out = outflow(
        dir.path(),
        &["db", "diff", "--from", "a.db", "--to", "a.db", "--sql"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "-- No differences: nothing to run.\n");
    assert_eq!(text(&out.stderr), "No differences\n");
    assert!(sqlite3(&a, &["-bail"], &text(&out.stdout)).status.success());
}

/// No difference on a server: a comment, which the server's client runs as nothing.
#[test]
fn no_difference_is_an_empty_script_on_the_servers() {
    for dialect in [Dialect::Postgres, Dialect::Mysql] {
        let Some(a) = ServerDatabase::create(dialect) else {
            continue;
        };
        a.run_client("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER);");
        let dir = tempfile::tempdir().unwrap();
        let out = outflow(
            dir.path(),
            &["db", "diff", "--from", &a.url(), "--to", &a.url(), "--sql"],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "-- No differences: nothing to run.\n");
        a.run_client(&text(&out.stdout));
    }
}

/// Two databases on a server, `from` with rows.
fn server_pair(dialect: Dialect, from: &str, to: &str) -> Option<(ServerDatabase, ServerDatabase)> {
    let a = ServerDatabase::create(dialect)?;
    let b = ServerDatabase::create(dialect)?;
    a.run_client(from);
    b.run_client(to);
    Some((a, b))
}

/// PostgreSQL: the new NOT NULL column fails on a table with rows, and every way of running
/// the script with psql leaves the table as it was.
#[test]
fn postgres_rolls_the_script_back_however_psql_runs_it() {
    let Some((a, b)) = server_pair(
        Dialect::Postgres,
        "CREATE TABLE t (id INTEGER PRIMARY KEY, old_name TEXT NOT NULL, n INTEGER);
         INSERT INTO t VALUES (1, 'ada', 36), (2, 'alan', 41), (3, 'grace', 85);",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, new_name TEXT NOT NULL, n INTEGER, m INTEGER NOT NULL);",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = diff_script(dir.path(), &a.url(), &b.url());
    assert!(
        script.contains("psql -v ON_ERROR_STOP=1 -f SCRIPT"),
        "{script}"
    );
    let file = dir.path().join("up.sql");
    std::fs::write(&file, &script).unwrap();
    let file = file.display().to_string();
    let rows = "SELECT * FROM t ORDER BY id";
    let original = a.query(rows);
    assert_eq!(original, "1|ada|36\n2|alan|41\n3|grace|85\n");
    for flags in [
        vec!["-f", &file],
        vec!["-v", "ON_ERROR_STOP=1", "-f", &file],
        vec!["-1", "-f", &file],
        vec!["-1", "-v", "ON_ERROR_STOP=1", "-f", &file],
    ] {
        let out = a.client(&flags).output().unwrap();
        assert!(
            text(&out.stderr).contains("contains null values"),
            "{flags:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(a.query(rows), original, "{flags:?}");
    }
    // Once the new columns may be empty, the same client applies it.
    b.execute("ALTER TABLE t ALTER COLUMN new_name DROP NOT NULL, ALTER COLUMN m DROP NOT NULL");
    let script = diff_script(dir.path(), &a.url(), &b.url());
    a.run_client(&script);
    assert!(same(dir.path(), &a.url(), &b.url()));
    assert_eq!(a.query("SELECT count(*) FROM t"), "3\n");
}

/// MariaDB: the unique key fails on duplicates in the middle of the script; the client stops
/// there, before the column with the data is dropped. Fixing the data and running the script
/// from the failed line, as its header says, finishes it.
#[test]
fn mariadb_stops_before_anything_is_destroyed_and_resumes() {
    let Some((a, b)) = server_pair(
        Dialect::Mysql,
        "CREATE TABLE t (id INT PRIMARY KEY, old_name TEXT NOT NULL, n INT);
         INSERT INTO t VALUES (1, 'ada', 36), (2, 'alan', 41), (3, 'grace', 41);",
        "CREATE TABLE t (id INT PRIMARY KEY, new_name TEXT NOT NULL, n INT, m INT NOT NULL, CONSTRAINT uq_t_n UNIQUE (n));",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = diff_script(dir.path(), &a.url(), &b.url());
    assert!(script.contains("NOT ATOMIC"), "{script}");
    // The reviewer writes the values the script leaves to write: the new NOT NULL columns'.
    assert!(
        script.contains("-- TO WRITE: the rows of 't' need a value for 'new_name'"),
        "{script}"
    );
    let script = script
        .replace("SET `new_name` = (NULL)", "SET `new_name` = `old_name`")
        .replace("SET `m` = (NULL)", "SET `m` = 0");
    let drop = script.find("DROP COLUMN `old_name`").expect("a drop");
    assert!(
        script.find("UNIQUE").unwrap() < drop,
        "destructive last:\n{script}"
    );
    let out = run_with_stdin(&mut a.client(&[]), &script);
    assert!(!out.status.success());
    let error = text(&out.stderr);
    assert!(error.contains("Duplicate entry '41'"), "{error}");
    assert_eq!(
        a.query("SELECT id, old_name FROM t ORDER BY id"),
        "1\tada\n2\talan\n3\tgrace\n",
        "the data of the column to drop is still there"
    );
    let line: usize = error
        .split(" at line ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the client names the line: {error}"));
    a.execute("UPDATE t SET n = 42 WHERE id = 3");
    let rest: String = script
        .lines()
        .skip(line - 1)
        .map(|l| format!("{l}\n"))
        .collect();
    a.run_client(&rest);
    assert!(same(dir.path(), &a.url(), &b.url()), "{rest}");
    assert_eq!(a.query("SELECT count(*) FROM t"), "3\n");
}
