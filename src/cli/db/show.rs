//! `db current`, `db heads`, and the marks listings print after revision ids.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use tracing::info;

use crate::cli::CliError;
use crate::cli::output::print_json;
use crate::revision::graph::RevisionGraph;
use crate::runner::Migrator;

/// What listings print after a revision id, worked out once for the whole graph (asking the
/// graph revision by revision would be quadratic on long histories).
pub(super) struct Marks<'a> {
    labels: BTreeMap<&'a str, Vec<&'a str>>,
    heads: BTreeSet<&'a str>,
    graph: &'a RevisionGraph,
}

impl<'a> Marks<'a> {
    pub(super) fn new(migrator: &'a Migrator) -> Marks<'a> {
        let graph = &migrator.revisions().graph;
        Marks {
            labels: graph.all_branch_labels(),
            heads: graph.versioned_heads().into_iter().collect(),
            graph,
        }
    }

    /// The branch labels `id` carries.
    pub(super) fn label_list(&self, id: &str) -> Vec<&'a str> {
        self.labels.get(id).cloned().unwrap_or_default()
    }

    /// ` (label, label)` or nothing.
    pub(super) fn labels(&self, id: &str) -> String {
        match self.label_list(id) {
            labels if labels.is_empty() => String::new(),
            labels => format!(" ({})", labels.join(", ")),
        }
    }

    /// `{"revision": id, "branch_labels": [...], <extra>}`: how JSON documents name a
    /// revision.
    pub(super) fn json(&self, id: &str, extra: &[(&str, bool)]) -> Value {
        let mut out = json!({"revision": id, "branch_labels": self.label_list(id)});
        for (key, value) in extra {
            out[*key] = Value::Bool(*value);
        }
        out
    }

    /// Whether `id` is a head nobody revises.
    pub(super) fn is_head(&self, id: &str) -> bool {
        self.heads.contains(id)
    }

    /// Labels, then ` (head)`, ` (branchpoint)`, ` (mergepoint)` as they apply.
    pub(super) fn flags(&self, id: &str) -> String {
        let mut out = self.labels(id);
        if self.heads.contains(id) {
            out.push_str(" (head)");
        }
        if self.graph.is_branch_point(id) {
            out.push_str(" (branchpoint)");
        }
        if self.graph.is_merge_point(id) {
            out.push_str(" (mergepoint)");
        }
        out
    }
}

/// `db current`: one line per applied head; with `check_heads`, exit 1 unless the rows are the
/// graph's heads.
pub async fn current(migrator: &Migrator, check_heads: bool, json: bool) -> Result<u8, CliError> {
    let mut rows = migrator.current_heads().await?;
    rows.sort();
    let marks = Marks::new(migrator);
    let heads = migrator.revisions().graph.heads();
    let at_heads = rows == heads;
    if json {
        let applied: Vec<Value> = rows
            .iter()
            .map(|id| marks.json(id, &[("is_head", heads.contains(&id.as_str()))]))
            .collect();
        print_json(
            "db current",
            json!({"label": migrator.label(), "applied": applied, "heads": heads, "at_heads": at_heads}),
        )?;
        return Ok(u8::from(check_heads && !at_heads));
    }
    if rows.is_empty() {
        info!("Database '{}' has no revision applied", migrator.label());
    }
    for row in &rows {
        let head = if heads.contains(&row.as_str()) {
            " (head)"
        } else {
            ""
        };
        println!("{row}{}{head}", marks.labels(row));
    }
    if check_heads && !at_heads {
        let show = |ids: Vec<&str>| {
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        };
        println!(
            "Database is not at its heads (applied: {}; heads: {}): run `db upgrade heads`",
            show(rows.iter().map(String::as_str).collect()),
            show(heads)
        );
        return Ok(1);
    }
    Ok(0)
}

/// `db heads`: the graph's heads, as Alembic's `heads` lists them (revisions nobody revises);
/// with `resolve_dependencies`, only those nobody depends on either.
pub fn heads(migrator: &Migrator, resolve_dependencies: bool, json: bool) -> Result<u8, CliError> {
    let graph = &migrator.revisions().graph;
    let marks = Marks::new(migrator);
    let heads = if resolve_dependencies {
        graph.heads()
    } else {
        graph.versioned_heads()
    };
    if json {
        let heads: Vec<Value> = heads.iter().map(|id| marks.json(id, &[])).collect();
        print_json(
            "db heads",
            json!({"label": migrator.label(), "heads": heads}),
        )?;
        return Ok(0);
    }
    for head in heads {
        println!("{head}{} (head)", marks.labels(head));
    }
    Ok(0)
}

/// `db verify`: every applied revision against the checksum the applied log recorded for it.
/// Exit 1 when one was edited.
pub(super) async fn verify(migrator: &Migrator, json: bool) -> Result<u8, CliError> {
    let found = migrator.verify().await?;
    let code = u8::from(!found.edited.is_empty());
    if json {
        let edited: Vec<Value> = found
            .edited
            .iter()
            .map(|e| {
                json!({"revision": e.id, "message": e.message, "applied_at": e.applied_at,
                       "recorded_checksum": e.then, "current_checksum": e.now})
            })
            .collect();
        print_json(
            "db verify",
            json!({"label": migrator.label(), "matching": found.matching, "edited": edited,
                   "unrecorded": found.unrecorded}),
        )?;
        return Ok(code);
    }
    for edited in &found.edited {
        println!("{edited}");
    }
    if !found.unrecorded.is_empty() {
        println!(
            "{} applied revision(s) have no recorded checksum (applied before the applied log \
             existed, or by an offline script): {}; `db stamp --update-checksums <rev>` records one",
            found.unrecorded.len(),
            found.unrecorded.join(", ")
        );
    }
    if code == 0 {
        println!(
            "{} applied revision(s) match their recorded checksums",
            found.matching
        );
    }
    Ok(code)
}

/// `db log`: the applied log, one line per row, oldest first.
pub(super) async fn log(migrator: &Migrator, json: bool) -> Result<u8, CliError> {
    let rows = migrator.applied_log().await?;
    if json {
        let entries: Vec<Value> = rows
            .iter()
            .map(|row| {
                json!({"applied_at": row.applied_at, "direction": row.direction,
                       "revision": row.revision, "outcome": row.outcome,
                       "duration_ms": row.duration_ms, "checksum": row.checksum})
            })
            .collect();
        print_json(
            "db log",
            json!({"label": migrator.label(), "entries": entries}),
        )?;
        return Ok(0);
    }
    if rows.is_empty() {
        info!("The applied log of '{}' is empty", migrator.label());
    }
    for row in rows {
        let checksum = row.checksum.as_deref().unwrap_or("-");
        println!(
            "{}  {:<9}  {:<12}  {:<7}  {:>7} ms  {}",
            row.applied_at,
            row.direction,
            row.revision,
            row.outcome,
            row.duration_ms,
            &checksum[..checksum.len().min(16)]
        );
    }
    Ok(0)
}
