//! The counts, `docs/conformance.md`, and the reviewed expectations (`expected.tsv`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::Row;
use crate::check::Outcome;
use crate::common::Dialect;

fn dialect_name(d: Dialect) -> &'static str {
    match d {
        Dialect::Sqlite => "sqlite",
        Dialect::Postgres => "postgresql",
        Dialect::Mysql => "mysql",
    }
}

fn path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// (status, kind) of an outcome that is not a pass: what `expected.tsv` pins.
fn pinned(row: &Row) -> Option<(&'static str, String)> {
    let status = match row.outcome {
        Outcome::Pass => return None,
        Outcome::PassEmptyOnly(_) => "pass-on-empty-tables",
        Outcome::Fail(_) => "fail",
        Outcome::DoesNotLoad(_) => "does-not-load",
    };
    Some((status, row.kind.clone()))
}

#[derive(Default)]
struct Counts {
    pass: usize,
    empty_only: usize,
    fail: usize,
    no_load: usize,
}

impl Counts {
    /// Passes over every case that loads on our server.
    fn rate(&self) -> f64 {
        let loadable = self.pass + self.empty_only + self.fail;
        if loadable == 0 {
            100.0
        } else {
            100.0 * (self.pass + self.empty_only) as f64 / loadable as f64
        }
    }
}

fn counts(rows: &[Row]) -> BTreeMap<(&'static str, &'static str), Counts> {
    let mut out: BTreeMap<(&str, &str), Counts> = BTreeMap::new();
    for r in rows {
        let c = out.entry((r.suite, dialect_name(r.dialect))).or_default();
        match r.outcome {
            Outcome::Pass => c.pass += 1,
            Outcome::PassEmptyOnly(_) => c.empty_only += 1,
            Outcome::Fail(_) => c.fail += 1,
            Outcome::DoesNotLoad(_) => c.no_load += 1,
        }
    }
    out
}

/// The table of counts, in Markdown.
pub fn summary(rows: &[Row]) -> String {
    let mut out = String::from(
        "| suite | dialect | cases | load here | pass | of which on empty tables only | fail | pass rate (of those that load) |\n|---|---|---|---|---|---|---|---|\n",
    );
    for ((suite, dialect), c) in counts(rows) {
        let _ = writeln!(
            out,
            "| {suite} | {dialect} | {} | {} | {} | {} | {} | {:.1}% |",
            c.pass + c.empty_only + c.fail + c.no_load,
            c.pass + c.empty_only + c.fail,
            c.pass + c.empty_only,
            c.empty_only,
            c.fail,
            c.rate(),
        );
    }
    out
}

/// Rewrites `tests/conformance/expected.tsv` and `docs/conformance.md` from `rows`.
pub fn write(rows: &[Row], seconds: f64) {
    let mut tsv =
        String::from("# suite\tdialect\tcase\tstatus\tkind (reviewed; see docs/conformance.md)\n");
    for r in rows {
        if let Some((status, category)) = pinned(r) {
            let _ = writeln!(
                tsv,
                "{}\t{}\t{}\t{status}\t{category}",
                r.suite,
                dialect_name(r.dialect),
                r.case
            );
        }
    }
    std::fs::write(path("tests/conformance/expected.tsv"), tsv).unwrap();
    std::fs::write(path("docs/conformance.md"), document(rows, seconds)).unwrap();
}

fn document(rows: &[Row], seconds: f64) -> String {
    let mut out = String::from(include_str!("intro.md"));
    let _ = writeln!(
        out,
        "\n## Results\n\nRun time: {seconds:.0} s on this project's 2-core machine.\n"
    );
    out.push_str(&summary(rows));
    out.push_str("\n## Failures, by kind\n\nEvery case that loads and fails, with its reason, under the kind of schema it is about.\n");
    let mut by_kind: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Fail(_)))
    {
        by_kind.entry(&r.kind).or_default().push(r);
    }
    for (kind, failures) in by_kind {
        let _ = writeln!(out, "\n### {kind} ({})\n", failures.len());
        for r in failures {
            if let Outcome::Fail(why) = &r.outcome {
                out.push_str(&case_line(r, why));
            }
        }
    }
    out.push_str("\n## Passing on empty tables only\n\nThe change passes every check on empty tables; with a row in each table it cannot apply (a\nNOT NULL column added without a default, a new check the row breaks, a type the value does not\nconvert to). Any tool needs a data migration there; the reason is the server's.\n\n");
    for r in rows {
        if let Outcome::PassEmptyOnly(why) = &r.outcome {
            out.push_str(&case_line(r, why));
        }
    }
    out.push_str("\n## Does not load on our servers\n\n");
    for r in rows {
        if let Outcome::DoesNotLoad(why) = &r.outcome {
            let _ = writeln!(
                out,
                "- {} {} `{}`: {}",
                r.suite,
                dialect_name(r.dialect),
                r.case,
                why
            );
        }
    }
    out
}

/// `- suite dialect `case`: why`, one line of a list.
fn case_line(r: &Row, why: &str) -> String {
    format!(
        "- {} {} `{}`: {}\n",
        r.suite,
        dialect_name(r.dialect),
        r.case,
        why.replace('|', "\\|")
    )
}

/// Fails when a case of a dialect that ran changed outcome or category from `expected.tsv`.
pub fn compare(rows: &[Row], ran: &[Dialect]) {
    let text = std::fs::read_to_string(path("tests/conformance/expected.tsv")).unwrap_or_default();
    let ran: Vec<&str> = ran.iter().map(|d| dialect_name(*d)).collect();
    let mut expected: BTreeMap<(String, String, String), (String, String)> = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        if ran.contains(&f[1]) {
            let category = f.get(4).copied().unwrap_or("").to_string();
            expected.insert(
                (f[0].into(), f[1].into(), f[2].into()),
                (f[3].into(), category),
            );
        }
    }
    let mut changes = Vec::new();
    for r in rows {
        let key = (
            r.suite.to_string(),
            dialect_name(r.dialect).to_string(),
            r.case.clone(),
        );
        let was = expected.remove(&key);
        let now = pinned(r).map(|(s, c)| (s.to_string(), c));
        if was != now {
            let show = |v: &Option<(String, String)>| match v {
                None => "pass".to_string(),
                Some((s, c)) => format!("{s} {c}").trim().to_string(),
            };
            let detail = match &r.outcome {
                Outcome::Fail(why) | Outcome::DoesNotLoad(why) => format!(": {why}"),
                _ => String::new(),
            };
            changes.push(format!(
                "{} {} {}: was {}, now {}{detail}",
                key.0,
                key.1,
                key.2,
                show(&was),
                show(&now)
            ));
        }
    }
    // A part of the cases (OUTFLOW_CONFORMANCE_ONLY) leaves the rest unrun, not missing.
    let partial = std::env::var("OUTFLOW_CONFORMANCE_ONLY").is_ok();
    for (key, _) in expected.into_iter().filter(|_| !partial) {
        changes.push(format!(
            "{} {} {}: listed in expected.tsv but not run",
            key.0, key.1, key.2
        ));
    }
    assert!(
        changes.is_empty(),
        "{} conformance case(s) changed (fix them, or review and record with scripts/conformance.sh):\n{}",
        changes.len(),
        changes.join("\n")
    );
}
