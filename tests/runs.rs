//! The pipeline the tutorial runs, end to end on every dialect: `db upgrade heads` applies both
//! branches, `compute_data` twice (the second finds its result cached), the runs, blocks and
//! edges recorded, a failing task recorded with its error, `--dry-run`, two runs at once, and
//! the commands of `tests/fixtures/pipelines/runs` (untracked, panicking, error with causes).

mod common;

use std::time::{Duration, Instant};

use common::live::Live;
use common::{Dialect, Project, dialects};

/// A query's first column, as text, on the pipeline's `default` database.
fn column(p: &Project, dialect: Dialect, sql: &str) -> Vec<String> {
    let url = match &p.database {
        Some(db) => db.url(),
        None => format!("sqlite://{}", p.path("outflow.db").display()),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let live = Live::existing(dialect, &url);
        let mut conn = live.conn().await;
        let rows = conn.texts(sql).await;
        rows.into_iter()
            .map(|r| r[0].clone().unwrap_or_else(|| "NULL".into()))
            .collect()
    })
}

/// `CAST(expr AS text)` in the dialect's spelling.
fn text(dialect: Dialect, expr: &str) -> String {
    match dialect {
        Dialect::Mysql => format!("CAST({expr} AS CHAR)"),
        _ => format!("CAST({expr} AS TEXT)"),
    }
}

fn count(p: &Project, dialect: Dialect, from_where: &str) -> usize {
    let sql = format!("SELECT {} FROM {from_where}", text(dialect, "COUNT(*)"));
    column(p, dialect, &sql)[0].parse().unwrap()
}

fn timed(p: &Project, args: &[&str]) -> (common::Run, Duration) {
    let start = Instant::now();
    let run = p.run(args);
    (run, start.elapsed())
}

#[test]
fn the_tutorial_flow_on_sqlite() {
    tutorial_flow(Dialect::Sqlite);
}

#[test]
fn the_tutorial_flow_on_postgres() {
    tutorial_flow(Dialect::Postgres);
}

#[test]
fn the_tutorial_flow_on_mysql() {
    tutorial_flow(Dialect::Mysql);
}

fn tutorial_flow(dialect: Dialect) {
    if !dialects().contains(&dialect) {
        return;
    }
    let p = Project::example("tuto").on(dialect);
    let up = p.run(&["db", "upgrade", "heads"]).expect(0);
    assert!(
        up.stderr.contains("Add table 'computation_result'"),
        "{}",
        up.stderr
    );
    assert!(
        up.stderr.contains("Tables of recorded runs"),
        "{}",
        up.stderr
    );

    let (first, first_time) = timed(&p, &["compute_data", "--multiplier", "2"]);
    let first = first.expect(0);
    assert!(
        first
            .stderr
            .contains("Result not found in database, computing result and inserting"),
        "{}",
        first.stderr
    );
    assert_eq!(first.stdout, "Result of the computation: 84\n");
    let (second, second_time) = timed(&p, &["compute_data", "--multiplier", "2"]);
    let second = second.expect(0);
    assert!(
        second.stderr.contains("Result found in database"),
        "{}",
        second.stderr
    );
    assert_eq!(second.stdout, first.stdout);
    assert!(
        second_time < first_time / 2,
        "the cached run took {second_time:?}, the first {first_time:?}"
    );

    if dialect == Dialect::Sqlite {
        // Every connection was closed: the log is folded back, a copy of the file is whole.
        assert!(!p.path("outflow.db-wal").exists(), "a -wal file was left");
    }
    assert_eq!(count(&p, dialect, "computation_result"), 1);
    assert_eq!(count(&p, dialect, "outflow_run WHERE state = 'success'"), 2);
    let per_run = format!(
        "SELECT {} FROM outflow_block WHERE state = 'success' GROUP BY run_id ORDER BY run_id",
        text(dialect, "COUNT(*)")
    );
    assert_eq!(column(&p, dialect, &per_run), ["3", "3"]);
    assert_eq!(count(&p, dialect, "outflow_edge"), 4);
    assert_eq!(
        count(&p, dialect, "outflow_configuration"),
        1,
        "one configuration, stored once"
    );
    let commands = column(&p, dialect, "SELECT command_name FROM outflow_run");
    assert_eq!(commands, ["compute_data", "compute_data"]);

    failing_task(&p, dialect);
    dry_run(&p, dialect);
    let list = p.run(&["list_runs"]).expect(0);
    let lines: Vec<&str> = list.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "a header and three runs:\n{}", list.stdout);
    assert!(lines[0].starts_with("id  started (UTC)"), "{}", list.stdout);
    assert!(
        lines[1].contains("failed") && lines[1].contains("1/3"),
        "{}",
        list.stdout
    );
    assert!(
        lines[3].contains("success") && lines[3].contains("3/3"),
        "{}",
        list.stdout
    );
}

/// A task that fails: the run and the block are failed, the tasks after it skipped, and the
/// error is recorded.
fn failing_task(p: &Project, dialect: Dialect) {
    let failed = p
        .run(&["compute_data", "--multiplier", "2147483647"])
        .expect(4);
    assert_eq!(
        failed.error_line(),
        "error: task 'compute' failed: 42 x 2147483647 does not fit in a 32-bit integer"
    );
    assert_eq!(count(p, dialect, "outflow_run WHERE state = 'failed'"), 1);
    let states = column(
        p,
        dialect,
        &format!(
            "SELECT {} FROM outflow_block WHERE run_id = (SELECT MAX(id) FROM outflow_run) ORDER BY id",
            text(dialect, "state")
        ),
    );
    assert_eq!(states, ["success", "failed", "skipped"]);
    let messages = column(
        p,
        dialect,
        "SELECT exception_msg FROM outflow_runtime_exception",
    );
    assert_eq!(
        messages,
        ["42 x 2147483647 does not fit in a 32-bit integer"]
    );
}

/// `--dry-run` computes without any database: nothing is recorded or cached.
fn dry_run(p: &Project, dialect: Dialect) {
    let dry = p
        .run(&["compute_data", "--multiplier", "5", "--dry-run"])
        .expect(0);
    assert!(
        dry.stderr
            .contains("Dry run: computing without the database"),
        "{}",
        dry.stderr
    );
    assert_eq!(dry.stdout, "Result of the computation: 210\n");
    assert_eq!(count(p, dialect, "outflow_run"), 3);
    assert_eq!(count(p, dialect, "computation_result"), 1);
}

#[test]
fn two_runs_at_once_on_sqlite() {
    two_runs_at_once(Dialect::Sqlite);
}

#[test]
fn two_runs_at_once_on_postgres() {
    two_runs_at_once(Dialect::Postgres);
}

#[test]
fn two_runs_at_once_on_mysql() {
    two_runs_at_once(Dialect::Mysql);
}

/// Two `compute_data` processes on one database: both succeed, the result is cached once.
fn two_runs_at_once(dialect: Dialect) {
    if !dialects().contains(&dialect) {
        return;
    }
    let p = Project::example("tuto").on(dialect);
    p.run(&["db", "upgrade", "heads"]).expect(0);
    let spawn = || {
        std::process::Command::new(p.binary())
            .args(["compute_data", "--multiplier", "7"])
            .current_dir(&p.dir)
            .env_remove("OUTFLOW_DATABASE_URL")
            .output()
            .unwrap()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap(), b.join().unwrap())
    });
    for out in [&a, &b] {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "Result of the computation: 294\n"
        );
    }
    assert_eq!(
        count(&p, dialect, "computation_result WHERE multiplier = 7"),
        1
    );
    assert_eq!(count(&p, dialect, "outflow_run WHERE state = 'success'"), 2);
    assert_eq!(count(&p, dialect, "outflow_configuration"), 1);
}

#[test]
fn untracked_panicking_and_failing_commands() {
    // Built once; each dialect points config.yml elsewhere (SQLite, the crate's own, first).
    let mut p = Project::fixture(
        "runs",
        "anyhow = \"1\"\nclap = { version = \"4.6\", features = [\"derive\"] }\n",
    );
    for dialect in dialects() {
        p = p.on(dialect);
        if dialect == Dialect::Sqlite {
            let missing = p.run(&["explode"]).expect(2);
            assert!(
                missing
                    .error_line()
                    .contains("does not exist; run `db upgrade heads` first"),
                "{}",
                missing.stderr
            );
        }
        p.run(&["db", "upgrade", "heads"]).expect(0);
        p.run(&["note", "--text", "hello"]).expect(0);
        assert_eq!(column(&p, dialect, "SELECT text FROM note"), ["hello"]);
        assert_eq!(
            count(&p, dialect, "outflow_run"),
            0,
            "untracked: no run recorded"
        );

        let dry = p.run(&["note", "--text", "again", "--dry-run"]).expect(4);
        assert!(
            dry.error_line().contains("this is a dry run"),
            "{}",
            dry.stderr
        );

        let panic = p.run(&["explode"]).expect(4);
        assert_eq!(
            panic.error_line(),
            "error: task 'explode' failed: panic: the task blew up"
        );
        let missing = p.run(&["read_missing"]).expect(4);
        assert!(
            missing
                .error_line()
                .starts_with("error: task 'read_missing' failed: cannot read the input file: "),
            "{}",
            missing.stderr
        );
        let kinds = column(
            &p,
            dialect,
            "SELECT exception_type FROM outflow_runtime_exception ORDER BY id",
        );
        assert_eq!(kinds, ["panic", "anyhow::Error"], "{dialect:?}");
        let traceback = column(
            &p,
            dialect,
            "SELECT traceback FROM outflow_runtime_exception ORDER BY id",
        );
        assert!(
            traceback[1].starts_with("cannot read the input file\ncaused by: "),
            "{traceback:?}"
        );
        assert_eq!(count(&p, dialect, "outflow_run WHERE state = 'failed'"), 2);
    }
}

#[test]
fn a_database_without_the_run_tables_is_refused() {
    let p = Project::example("tuto");
    // A database that exists but was never upgraded.
    std::fs::write(p.path("outflow.db"), b"").unwrap();
    let run = p.run(&["compute_data", "--multiplier", "2"]).expect(2);
    assert!(
        run.error_line()
            .starts_with("error: database 'default' has no run tables ("),
        "{}",
        run.stderr
    );
    assert!(
        run.error_line()
            .ends_with("run `db upgrade heads` before a tracked command")
    );
    let list = p.run(&["list_runs"]).expect(2);
    assert!(
        list.error_line().contains("run `db upgrade heads` first"),
        "{}",
        list.stderr
    );
}

#[test]
fn an_interrupted_run_is_recorded_as_failed() {
    use std::io::BufRead;
    let p = Project::example("tuto");
    p.run(&["db", "upgrade", "heads"]).expect(0);
    let mut child = std::process::Command::new(p.binary())
        .args(["compute_data", "--multiplier", "3"])
        .current_dir(&p.dir)
        .env("RUST_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Interrupted during Compute's one-second computation.
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains("Result not found in database") {
            break;
        }
    }
    let pid = child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{rest:?}");
    assert!(
        rest.iter()
            .any(|l| l.contains("Interrupted: recording run")),
        "{rest:?}"
    );
    let states = column(
        &p,
        Dialect::Sqlite,
        "SELECT state FROM outflow_block ORDER BY id",
    );
    assert_eq!(states, ["success", "failed", "skipped"]);
    assert_eq!(
        count(&p, Dialect::Sqlite, "outflow_run WHERE state = 'failed'"),
        1
    );
    let kinds = column(
        &p,
        Dialect::Sqlite,
        "SELECT exception_type FROM outflow_runtime_exception",
    );
    assert_eq!(kinds, ["interrupt"]);
    assert_eq!(count(&p, Dialect::Sqlite, "computation_result"), 0);
}
