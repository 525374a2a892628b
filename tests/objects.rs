//! Every kind of object on every dialect where it exists (views, triggers, functions, types,
//! sequences, policies, grants, partitions, events...): created, changed and dropped by the
//! engine, each scenario a transition judged as the conformance cases are (our introspection
//! both ways, rows kept, the downgrade, and the database's own account of the whole schema),
//! and the revision file that makes the change, snapshot.

// The conformance harness's check: what only the conformance runner uses is unused here.
#[allow(dead_code)]
#[path = "conformance/check.rs"]
mod check;
mod common;
#[path = "conformance/load.rs"]
mod load;
#[path = "objects/scenarios.rs"]
mod scenarios;

use chrono::NaiveDate;
use common::live::Live;
use common::{Dialect, dialects};
use outflow::diff::diff;
use outflow::ops::reverse_all;
use outflow::revision::codegen::{NewRevision, render};

use scenarios::Scenario;

/// The revision that takes `before` to `after` (loaded into the empty `a` and `b`), as
/// `make_migrations` writes one.
async fn revision(a: &Live, b: &Live, s: &Scenario) -> String {
    load::load(a, s.before).await.unwrap();
    load::load(b, s.after).await.unwrap();
    let up = diff(&a.schema().await, &b.schema().await, a.compare());
    let down = reverse_all(&up).unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 12, 7)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    render(&NewRevision {
        id: "0bj3c75a11c3",
        message: s.name,
        down_revisions: &[],
        branch_labels: &["objects".to_string()],
        depends_on: &[],
        create_date: date,
        upgrade: &up,
        downgrade: &down,
        notes: &[],
        header: &[],
        irreversible: None,
    })
}

fn run(dialect: Dialect) {
    if !dialects().contains(&dialect) {
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut failures = Vec::new();
    for s in scenarios::of(dialect) {
        let (a, b) = (Live::new(dialect).unwrap(), Live::new(dialect).unwrap());
        let outcome = runtime.block_on(check::transition(&a, &b, s.before, s.after, true));
        if outcome != check::Outcome::Pass {
            failures.push(format!("{dialect:?} {}: {outcome:?}", s.name));
            continue;
        }
        // Databases are made outside the runtime: their setup blocks on its own.
        let (a, b) = (Live::new(dialect).unwrap(), Live::new(dialect).unwrap());
        let text = runtime.block_on(revision(&a, &b, &s));
        let name = format!("{}_{}", format!("{dialect:?}").to_lowercase(), s.name);
        insta::assert_snapshot!(name, text);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sqlite_objects() {
    run(Dialect::Sqlite);
}

#[test]
fn postgres_objects() {
    run(Dialect::Postgres);
}

#[test]
fn mysql_objects() {
    run(Dialect::Mysql);
}
