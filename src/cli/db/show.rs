//! `db current`, `db heads`.

use tracing::info;

use crate::cli::CliError;
use crate::runner::Migrator;

/// ` (label, label)` or nothing.
pub(super) fn labels(migrator: &Migrator, id: &str) -> String {
    let labels = migrator.revisions().graph.branch_labels(id);
    if labels.is_empty() {
        String::new()
    } else {
        format!(" ({})", labels.join(", "))
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
    let heads = migrator.revisions().graph.heads();
    for row in &rows {
        let head = if heads.contains(&row.as_str()) {
            " (head)"
        } else {
            ""
        };
        println!("{row}{}{head}", labels(migrator, row));
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
    let heads = if resolve_dependencies {
        graph.heads()
    } else {
        graph.versioned_heads()
    };
    for head in heads {
        println!("{head}{} (head)", labels(migrator, head));
    }
    Ok(0)
}
