//! The daily tools through the real binary: `--json` documents parsed as a script would,
//! completion scripts, no progress drawn off a terminal, per-revision times and `-v` logs.

mod common;

use common::{Project, Run};
use serde_json::Value;

const A4: &str = "aaaa00000004";
const A3A: &str = "aaaa0000003a";
const A3B: &str = "aaaa0000003b";
const B2: &str = "bbbb00000002";

/// The document a `--json` run printed: stdout must be exactly one JSON value, of `command`.
fn document(run: &Run, command: &str) -> Value {
    let doc: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{}", run.stdout));
    assert_eq!(doc["version"], 1, "{doc}");
    assert_eq!(doc["command"], command, "{doc}");
    doc
}

/// The text of a document with what changes from run to run replaced.
fn reviewed(p: &Project, doc: &Value) -> String {
    serde_json::to_string_pretty(doc)
        .unwrap()
        .replace(&p.dir.display().to_string(), "[project]")
        .replace(&common::workspace().display().to_string(), "[workspace]")
        .replace(&common::framework_head(), "[framework head]")
}

fn ids(list: &Value) -> Vec<String> {
    let mut ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["revision"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn the_graph_commands_print_json_documents() {
    let p = Project::fixture("graph", "");
    let framework = common::framework_head();

    let heads = document(&p.run(&["db", "heads", "--json"]).expect(0), "db heads");
    assert_eq!(ids(&heads["heads"]), [framework.as_str(), A4, B2]);
    insta::assert_snapshot!("heads", reviewed(&p, &heads));

    let history = document(&p.run(&["db", "history", "--json"]).expect(0), "db history");
    let revisions = history["revisions"].as_array().unwrap();
    assert_eq!(revisions.len(), 8, "{history}");
    let merge = revisions.iter().find(|r| r["revision"] == A4).unwrap();
    assert_eq!(merge["down_revisions"], serde_json::json!([A3A, A3B]));
    assert_eq!(merge["is_merge_point"], true);
    assert!(merge["is_current"].is_null(), "not read without -i");
    insta::assert_snapshot!("history", reviewed(&p, &history));

    let show = document(&p.run(&["db", "show", A4, "--json"]).expect(0), "db show");
    assert_eq!(show["revision"]["revision"], A4);
    assert!(!show["revision"]["upgrade"].as_array().unwrap().is_empty());
    insta::assert_snapshot!("show", reviewed(&p, &show));

    let branches = document(
        &p.run(&["db", "branches", "--json"]).expect(0),
        "db branches",
    );
    insta::assert_snapshot!("branches", reviewed(&p, &branches));

    let before = p
        .run(&["db", "current", "--check-heads", "--json"])
        .expect(1);
    let before = document(&before, "db current");
    assert_eq!(before["applied"], serde_json::json!([]));
    assert_eq!(before["at_heads"], false);

    // Eight revisions, stderr a pipe: each one's time is logged and no bar is drawn.
    let upgrade = p.run(&["db", "upgrade", "heads"]).expect(0);
    assert_eq!(
        upgrade.stderr.matches(" upgraded in ").count(),
        8,
        "{}",
        upgrade.stderr
    );
    for mark in ['\r', '█', '░', '⠁'] {
        assert!(
            !upgrade.stderr.contains(mark),
            "progress drawn off a terminal:\n{}",
            upgrade.stderr
        );
    }
    assert!(
        !upgrade.stderr.contains("\u{1b}["),
        "colour off a terminal:\n{}",
        upgrade.stderr
    );

    let after = document(
        &p.run(&["db", "current", "--check-heads", "--json"])
            .expect(0),
        "db current",
    );
    assert_eq!(after["at_heads"], true);
    assert_eq!(ids(&after["applied"]), [framework.as_str(), A4, B2]);

    let marked = document(
        &p.run(&["db", "history", "-i", "--json"]).expect(0),
        "db history",
    );
    let current: Vec<&Value> = marked["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["is_current"] == true)
        .collect();
    assert_eq!(current.len(), 3, "{marked}");

    let log = document(&p.run(&["db", "log", "--json"]).expect(0), "db log");
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 8, "{log}");
    assert!(
        entries
            .iter()
            .all(|e| e["direction"] == "upgrade" && e["outcome"] == "applied")
    );
    assert!(
        entries
            .iter()
            .all(|e| e["checksum"].as_str().is_some_and(|c| c.len() == 64))
    );

    let verify = document(&p.run(&["db", "verify", "--json"]).expect(0), "db verify");
    assert_eq!(verify["matching"], 8);
    assert_eq!(verify["edited"], serde_json::json!([]));

    // --graph and --dot draw pictures: not JSON.
    let refused = p.run(&["db", "history", "--graph", "--json"]).expect(2);
    assert!(
        refused.stderr.contains("cannot be used with"),
        "{}",
        refused.stderr
    );
}

#[test]
fn completion_scripts_offer_the_builds_revisions() {
    let p = Project::fixture("graph", "");
    let bash = p.run(&["completions", "bash"]).expect(0);
    for word in [
        A4,
        B2,
        "alpha@head",
        "beta",
        "heads",
        "make_migrations",
        "list_runs",
    ] {
        assert!(bash.stdout.contains(word), "bash script lacks {word}");
    }
    for shell in ["zsh", "fish"] {
        let script = p.run(&["completions", shell]).expect(0);
        assert!(
            script.stdout.contains(A4),
            "{shell} script lacks the revisions"
        );
    }
    // clap's PowerShell script completes commands and options, not values.
    let powershell = p.run(&["completions", "powershell"]).expect(0);
    assert!(
        powershell.stdout.contains("make_migrations"),
        "{}",
        powershell.stdout
    );
    let wrong = p.run(&["completions", "tcsh"]).expect(2);
    assert!(wrong.stderr.contains("possible values"), "{}", wrong.stderr);
    // Parsing still takes what the script does not list: a partial id.
    let framework = common::framework_head();
    p.run(&["db", "show", &framework[..8]]).expect(0);
}

#[test]
fn the_tutorial_checks_diffs_lints_and_lists_runs_in_json() {
    let p = Project::example("tuto");

    let behind = document(&p.run(&["db", "check", "--json"]).expect(1), "db check");
    assert_eq!(behind["clean"], false);
    assert!(
        behind["not_at_heads"]["heads"]
            .as_array()
            .is_some_and(|h| h.len() == 2)
    );
    let offline = document(
        &p.run(&["db", "check", "--offline", "--json"]).expect(0),
        "db check",
    );
    assert_eq!(offline["clean"], true);
    assert_eq!(offline["pending"], serde_json::json!([]));
    insta::assert_snapshot!("check_offline", reviewed(&p, &offline));

    let lint = p.run(&["db", "lint", "base:heads", "--json"]);
    let code = lint.code;
    let lint = document(&lint, "db lint");
    assert_eq!(
        i32::from(lint["errors"].as_u64().unwrap() > 0),
        code,
        "{lint}"
    );
    assert_eq!(
        code,
        p.run(&["db", "lint", "base:heads"]).code,
        "exit codes differ"
    );
    let rules = document(
        &p.run(&["db", "lint", "--rules", "--json"]).expect(0),
        "db lint",
    );
    assert!(
        rules["rules"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["id"].is_string())
    );

    p.run(&["db", "upgrade", "heads"]).expect(0);
    let clean = document(&p.run(&["db", "check", "--json"]).expect(0), "db check");
    assert_eq!(clean["clean"], true);

    let same = p.run(&[
        "db",
        "diff",
        "--from",
        "outflow.db",
        "--to",
        "outflow.db",
        "--json",
    ]);
    let same = document(&same.expect(0), "db diff");
    assert_eq!(same["differences"], false);
    assert_eq!(same["dialect"], "sqlite");
    std::fs::write(p.path("empty.yml"), "tables: []\n").unwrap();
    let to_empty = p
        .run(&[
            "db",
            "diff",
            "--from",
            "outflow.db",
            "--to",
            "empty.yml",
            "--json",
        ])
        .expect(1);
    let to_empty = document(&to_empty, "db diff");
    assert_eq!(to_empty["differences"], true);
    assert!(!to_empty["operations"].as_array().unwrap().is_empty());

    p.run(&["compute_data", "--multiplier", "2"]).expect(0);
    let runs = document(&p.run(&["list_runs", "--json"]).expect(0), "list_runs");
    let run = &runs["runs"][0];
    assert_eq!(run["state"], "success", "{runs}");
    assert_eq!(run["command"], "compute_data");
    assert_eq!(run["tasks_done"], run["tasks_total"]);
    assert!(run["duration_s"].as_f64().is_some_and(|s| s >= 0.0));
}

#[test]
fn v_logs_each_statement_with_its_duration() {
    let p = Project::example("tuto");
    let without_rust_log = |args: &[&str]| {
        let out = std::process::Command::new(p.binary())
            .args(args)
            .current_dir(&p.dir)
            .env_remove("RUST_LOG")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{args:?}: {stderr}");
        stderr
    };
    let quiet = without_rust_log(&["db", "upgrade", "heads"]);
    assert!(quiet.contains("Running upgrade"), "{quiet}");
    assert!(!quiet.contains("sqlx::query"), "{quiet}");
    let stderr = without_rust_log(&["-v", "db", "downgrade", "base"]);
    let statements: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("sqlx::query"))
        .collect();
    assert!(
        !statements.is_empty(),
        "no statement logged with -v:\n{stderr}"
    );
    assert!(
        statements.iter().any(|l| l.contains("DROP TABLE")),
        "{stderr}"
    );
    assert!(statements.iter().all(|l| l.contains("elapsed")), "{stderr}");
}
