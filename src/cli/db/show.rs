//! `db current`, `db heads`, `db history`.

use std::collections::BTreeMap;

use tracing::info;

use crate::cli::CliError;
use crate::runner::Migrator;

/// ` (label, label)` or nothing.
fn labels(migrator: &Migrator, id: &str) -> String {
    let labels = migrator.revisions().graph.branch_labels(id);
    if labels.is_empty() {
        String::new()
    } else {
        format!(" ({})", labels.join(", "))
    }
}

/// `db current`: one line per applied head.
pub async fn current(migrator: &Migrator) -> Result<u8, CliError> {
    let rows = migrator.current_heads().await?;
    if rows.is_empty() {
        info!("Database '{}' has no revision applied", migrator.label());
    }
    let heads = migrator.revisions().graph.heads();
    for row in rows {
        let head = if heads.contains(&row.as_str()) {
            " (head)"
        } else {
            ""
        };
        println!("{row}{}{head}", labels(migrator, &row));
    }
    Ok(0)
}

/// `db heads`: one line per head of the graph.
pub fn heads(migrator: &Migrator) -> Result<u8, CliError> {
    for head in migrator.revisions().graph.heads() {
        println!("{head}{} (head)", labels(migrator, head));
    }
    Ok(0)
}

/// `db history`: every revision, newest first, as Alembic prints them.
pub fn history(migrator: &Migrator) -> Result<u8, CliError> {
    let revisions = migrator.revisions();
    let heads = revisions.graph.heads();
    let mut children: BTreeMap<&str, usize> = BTreeMap::new();
    for rev in revisions.by_id.values() {
        for parent in rev.embedded.down_revision {
            *children.entry(parent).or_default() += 1;
        }
    }
    for id in revisions.graph.topological().into_iter().rev() {
        let rev = revisions.get(id);
        let parents = match rev.embedded.down_revision {
            [] => "<base>".to_string(),
            several => several.join(", "),
        };
        let mut flags = labels(migrator, id);
        if heads.contains(&id) {
            flags.push_str(" (head)");
        }
        if children.get(id).copied().unwrap_or(0) > 1 {
            flags.push_str(" (branchpoint)");
        }
        if rev.embedded.down_revision.len() > 1 {
            flags.push_str(" (mergepoint)");
        }
        println!("{parents} -> {id}{flags}, {}", rev.message());
    }
    Ok(0)
}
