//! Conformance: other projects' test material through our engine (see `docs/conformance.md`).
//!
//! sqldef's cases (SQLite, PostgreSQL, MySQL), migra's fixtures (PostgreSQL) and the sample
//! schemas, on every dialect with a server. Every case runs: it passes, fails with a reason, or
//! does not load on our server. The outcome of every case that does not pass is in
//! `tests/conformance/expected.tsv`, reviewed: the test fails when a case changes outcome (a
//! regression, or a fix to record).
//!
//! `OUTFLOW_CONFORMANCE_WRITE=1` rewrites `expected.tsv` and `docs/conformance.md` from this
//! run instead of comparing (`scripts/conformance.sh` does it on fresh servers).

#[path = "../common/mod.rs"]
mod common;

mod cases;
mod check;
mod classify;
mod load;
mod report;

use std::time::Instant;

use cases::Case;
use check::Outcome;
use common::live::Live;
use common::{Dialect, dialects};

/// One case's outcome, as the report and the expectations hold it.
#[derive(Debug, Clone)]
pub struct Row {
    pub suite: &'static str,
    pub dialect: Dialect,
    pub case: String,
    /// What the case is about (see [`classify::kind`]).
    pub kind: String,
    pub outcome: Outcome,
}

fn run_cases(dialect: Dialect, cases: Vec<Case>, rows: &mut Vec<Row>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for case in cases {
        if !wanted(&case, dialect) {
            continue;
        }
        let schema = case.meta.get("schema").map(String::as_str);
        let run = |rows| {
            let live = || Live::new(dialect).unwrap().in_schema(schema);
            let (a, b) = (live(), live());
            runtime.block_on(check::transition(&a, &b, &case.before, &case.after, rows))
        };
        let with_rows = run(true);
        let outcome = match check::failed_to_apply(&with_rows) {
            // Rows can make a change impossible (any tool needs a data migration then): the
            // same case on empty tables tells that apart from a bug.
            Some(why) => match run(false) {
                Outcome::Pass => Outcome::PassEmptyOnly(why.to_string()),
                _ => with_rows,
            },
            None => with_rows,
        };
        rows.push(Row {
            suite: case.suite,
            dialect,
            kind: classify::kind(&case),
            case: case.name,
            outcome,
        });
    }
}

/// `OUTFLOW_CONFORMANCE_ONLY=<suite>:<dialect>[:<substring>]` runs part of the cases.
fn wanted(case: &Case, dialect: Dialect) -> bool {
    let Ok(only) = std::env::var("OUTFLOW_CONFORMANCE_ONLY") else {
        return true;
    };
    let mut parts = only.splitn(3, ':');
    let suite = parts.next().unwrap_or("");
    let dia = parts.next().unwrap_or("");
    let sub = parts.next().unwrap_or("");
    let name = format!("{dialect:?}").to_lowercase();
    (suite.is_empty() || suite == case.suite)
        && (dia.is_empty() || name.starts_with(dia))
        && case.name.contains(sub)
}

#[test]
fn conformance() {
    let started = Instant::now();
    let mut rows = Vec::new();
    let mut ran = Vec::new();
    for dialect in dialects() {
        run_cases(dialect, cases::sqldef(dialect), &mut rows);
        if dialect == Dialect::Postgres {
            run_cases(dialect, cases::migra(), &mut rows);
        }
        run_cases(dialect, cases::samples(dialect), &mut rows);
        ran.push(dialect);
    }
    let seconds = started.elapsed().as_secs_f64();
    let summary = report::summary(&rows);
    eprintln!("{summary}\nconformance ran in {seconds:.0} s");
    if let Ok(dump) = std::env::var("OUTFLOW_CONFORMANCE_DUMP") {
        let lines: Vec<String> = rows
            .iter()
            .map(|r| format!("{}\t{:?}\t{}\t{:?}", r.suite, r.dialect, r.case, r.outcome))
            .collect();
        std::fs::write(dump, lines.join("\n")).unwrap();
    }
    if std::env::var("OUTFLOW_CONFORMANCE_WRITE").as_deref() == Ok("1") {
        report::write(&rows, seconds);
        return;
    }
    report::compare(&rows, &ran);
}
