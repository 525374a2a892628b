//! Tests of the revision graph, all from literal graphs.
//!
//! Plans are shown one step a line: `+b: update a -> b` runs b's upgrade and moves the row of a
//! to b; `-m: update m -> b2, insert b1` runs m's downgrade and splits its row.

mod build;
mod draw;
mod labels;
mod plans;
mod props;
mod range;
mod shape;
mod squashed;
mod stamp;
mod targets;

use std::collections::BTreeSet;

use super::{Direction, GraphError, PlanStep, Revision, RevisionGraph, VersionChange};

/// A revision literal: `r("b", &["a"])` revises a; its file is `b.rs`.
fn r(id: &str, parents: &[&str]) -> Revision {
    Revision {
        id: id.to_string(),
        down_revisions: strings(parents),
        origin: Some(format!("{id}.rs")),
        ..Revision::default()
    }
}

/// Adds branch labels or dependencies to a revision literal.
trait With {
    fn labels(self, labels: &[&str]) -> Revision;
    fn deps(self, deps: &[&str]) -> Revision;
}

impl With for Revision {
    fn labels(mut self, labels: &[&str]) -> Revision {
        self.branch_labels = strings(labels);
        self
    }

    fn deps(mut self, deps: &[&str]) -> Revision {
        self.depends_on = strings(deps);
        self
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Two independent branches, each labelled on a different revision:
/// a (abranch) -> b -> somelongername -> c ; d -> e (ebranch) -> someothername -> f
fn labelled() -> RevisionGraph {
    graph([
        r("a", &[]).labels(&["abranch"]),
        r("b", &["a"]),
        r("somelongername", &["b"]),
        r("c", &["somelongername"]),
        r("d", &[]),
        r("e", &["d"]).labels(&["ebranch"]),
        r("someothername", &["e"]),
        r("f", &["someothername"]),
    ])
}

fn graph(revisions: impl IntoIterator<Item = Revision>) -> RevisionGraph {
    RevisionGraph::new(revisions).unwrap_or_else(|e| panic!("the graph is valid: {e}"))
}

/// The message of the error building these revisions gives.
fn build_error(revisions: impl IntoIterator<Item = Revision>) -> String {
    RevisionGraph::new(revisions)
        .expect_err("the graph is invalid")
        .to_string()
}

fn resolve(graph: &RevisionGraph, target: &str, current: &[&str]) -> Vec<String> {
    graph
        .resolve(target, &strings(current))
        .unwrap_or_else(|e| panic!("'{target}' resolves: {e}"))
}

fn resolve_error(graph: &RevisionGraph, target: &str, current: &[&str]) -> String {
    graph
        .resolve(target, &strings(current))
        .expect_err("the target is refused")
        .to_string()
}

fn upgrade(graph: &RevisionGraph, current: &[&str], target: &str) -> Vec<String> {
    let plan = graph
        .upgrade(&strings(current), target)
        .unwrap_or_else(|e| panic!("upgrade {target}: {e}"));
    check_and_show(current, &plan)
}

fn downgrade(graph: &RevisionGraph, current: &[&str], target: &str) -> Vec<String> {
    let plan = graph
        .downgrade(&strings(current), target)
        .unwrap_or_else(|e| panic!("downgrade {target}: {e}"));
    check_and_show(current, &plan)
}

fn upgrade_error(graph: &RevisionGraph, current: &[&str], target: &str) -> String {
    graph
        .upgrade(&strings(current), target)
        .expect_err("the upgrade is refused")
        .to_string()
}

fn downgrade_error(graph: &RevisionGraph, current: &[&str], target: &str) -> String {
    graph
        .downgrade(&strings(current), target)
        .expect_err("the downgrade is refused")
        .to_string()
}

/// Replays the plan's version changes on `current` (each must apply to the rows the previous
/// ones left) and shows the plan one step a line.
fn check_and_show(current: &[&str], plan: &[PlanStep]) -> Vec<String> {
    let mut rows: BTreeSet<String> = strings(current).into_iter().collect();
    for step in plan {
        apply(&mut rows, &step.version);
    }
    plan.iter().map(show).collect()
}

/// Applies version changes to rows, as the database would, failing where it would match no row
/// or break the primary key.
fn apply(rows: &mut BTreeSet<String>, changes: &[VersionChange]) {
    for change in changes {
        match change {
            VersionChange::Insert(id) => assert!(
                rows.insert(id.clone()),
                "insert {id}: already a row in {rows:?}"
            ),
            VersionChange::Delete(id) => {
                assert!(rows.remove(id), "delete {id}: no such row in {rows:?}")
            }
            VersionChange::Update { from, to } => {
                assert!(rows.remove(from), "update {from}: no such row in {rows:?}");
                assert!(
                    rows.insert(to.clone()),
                    "update to {to}: already a row in {rows:?}"
                );
            }
        }
    }
}

fn show(step: &PlanStep) -> String {
    let sign = match step.direction {
        Direction::Up => '+',
        Direction::Down => '-',
    };
    let changes: Vec<String> = step
        .version
        .iter()
        .map(|c| match c {
            VersionChange::Insert(id) => format!("insert {id}"),
            VersionChange::Delete(id) => format!("delete {id}"),
            VersionChange::Update { from, to } => format!("update {from} -> {to}"),
        })
        .collect();
    format!("{sign}{}: {}", step.revision, changes.join(", "))
}

/// The rows after running the plan from `current`.
fn rows_after(current: &[String], plan: &[PlanStep]) -> BTreeSet<String> {
    let mut rows: BTreeSet<String> = current.iter().cloned().collect();
    plan.iter().for_each(|step| apply(&mut rows, &step.version));
    rows
}

#[test]
fn errors_are_graph_errors() {
    // The error type is what the runner wraps; keep it `Send + Sync + 'static`.
    fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<GraphError>();
}
