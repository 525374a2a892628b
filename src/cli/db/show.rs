//! `db current`, `db heads`, and the marks listings print after revision ids.

use std::collections::{BTreeMap, BTreeSet};

use tracing::info;

use crate::cli::CliError;
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
pub async fn current(migrator: &Migrator, check_heads: bool) -> Result<u8, CliError> {
    let mut rows = migrator.current_heads().await?;
    rows.sort();
    if rows.is_empty() {
        info!("Database '{}' has no revision applied", migrator.label());
    }
    let marks = Marks::new(migrator);
    let heads = migrator.revisions().graph.heads();
    for row in &rows {
        let head = if heads.contains(&row.as_str()) {
            " (head)"
        } else {
            ""
        };
        println!("{row}{}{head}", marks.labels(row));
    }
    if check_heads && rows != heads {
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
pub fn heads(migrator: &Migrator, resolve_dependencies: bool) -> Result<u8, CliError> {
    let graph = &migrator.revisions().graph;
    let marks = Marks::new(migrator);
    let heads = if resolve_dependencies {
        graph.heads()
    } else {
        graph.versioned_heads()
    };
    for head in heads {
        println!("{head}{} (head)", marks.labels(head));
    }
    Ok(0)
}

/// `db verify`: every applied revision against the checksum the applied log recorded for it.
/// Exit 1 when one was edited.
pub(super) async fn verify(migrator: &Migrator) -> Result<u8, CliError> {
    let found = migrator.verify().await?;
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
    if found.edited.is_empty() {
        println!(
            "{} applied revision(s) match their recorded checksums",
            found.matching
        );
        Ok(0)
    } else {
        Ok(1)
    }
}

/// `db log`: the applied log, one line per row, oldest first.
pub(super) async fn log(migrator: &Migrator) -> Result<u8, CliError> {
    let rows = migrator.applied_log().await?;
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
