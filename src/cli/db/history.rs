//! `db history`, `db show`, `db branches`.

use clap::Args;
use serde_json::{Value, json};

use super::Label;
use super::show::Marks;
use crate::cli::CliError;
use crate::cli::output::{Format, print_json};
use crate::revision::load::LoadedRevision;
use crate::runner::Migrator;

/// Arguments of `db history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only the revisions from A to B (`a:b`; either side may be empty or `current`)
    #[arg(
        short = 'r',
        long = "rev-range",
        allow_hyphen_values = true,
        value_name = "A:B"
    )]
    pub range: Option<String>,
    /// Mark the revisions the database is at with `(current)`
    #[arg(short = 'i', long)]
    pub indicate_current: bool,
    /// Draw the graph in the terminal, as `git log --graph` does
    #[arg(long, conflicts_with_all = ["dot", "json"])]
    pub graph: bool,
    /// Write the graph in Graphviz's DOT language
    #[arg(long, conflicts_with = "json")]
    pub dot: bool,
    #[command(flatten)]
    pub format: Format,
    #[command(flatten)]
    pub label: Label,
}

/// `db history`: newest first, one line each (`-v` for the full headers).
pub async fn history(
    migrator: &Migrator,
    args: &HistoryArgs,
    verbose: bool,
) -> Result<u8, CliError> {
    let graph = &migrator.revisions().graph;
    let needs_rows =
        args.indicate_current || args.range.as_deref().is_some_and(|r| r.contains("current"));
    let current = if needs_rows {
        migrator.current_heads().await?
    } else {
        Vec::new()
    };
    let marks = Marks::new(migrator);
    let line = |id: &str| {
        let mut text = format!("{id}{}", marks.flags(id));
        if args.indicate_current && current.iter().any(|c| c == id) {
            text.push_str(" (current)");
        }
        format!("{text}, {}", migrator.revisions().get(id).message())
    };
    if args.graph {
        print!("{}", graph.draw_ascii(&line));
        return Ok(0);
    }
    if args.dot {
        print!(
            "{}",
            graph.draw_dot(&|id: &str| format!(
                "{id}{}\n{}",
                marks.labels(id),
                migrator.revisions().get(id).message()
            ))
        );
        return Ok(0);
    }
    let ids: Vec<&str> = match &args.range {
        Some(range) => graph.range(range, &current)?,
        None => graph.topological().into_iter().rev().collect(),
    };
    if args.format.json {
        let known = args.indicate_current.then_some(current.as_slice());
        let revisions: Vec<Value> = ids
            .iter()
            .map(|id| revision_json(migrator, &marks, id, known))
            .collect();
        print_json(
            "db history",
            json!({"label": migrator.label(), "revisions": revisions}),
        )?;
        return Ok(0);
    }
    for id in ids {
        if verbose {
            println!(
                "{}",
                entry(migrator, &marks, id, &current, args.indicate_current)
            );
        } else {
            let revision = migrator.revisions().get(id);
            let parents = match revision.embedded.down_revision {
                [] => "<base>".to_string(),
                several => several.join(", "),
            };
            println!("{parents} -> {}", line(id));
        }
    }
    Ok(0)
}

/// Alembic's verbose entry: the revision's place in the graph, its file and its header.
fn entry(
    migrator: &Migrator,
    marks: &Marks<'_>,
    id: &str,
    current: &[String],
    indicate_current: bool,
) -> String {
    let graph = &migrator.revisions().graph;
    let revision: &LoadedRevision = migrator.revisions().get(id);
    let mut out = format!("Rev: {id}{}", marks.flags(id));
    if indicate_current && current.iter().any(|c| c == id) {
        out.push_str(" (current)");
    }
    let parents = revision.embedded.down_revision;
    let mut field = |name: &str, values: Vec<&str>| {
        if !values.is_empty() {
            out.push_str(&format!("\n{name}: {}", values.join(", ")));
        }
    };
    if parents.len() > 1 {
        field("Merges", parents.to_vec());
    } else {
        field(
            "Parent",
            if parents.is_empty() {
                vec!["<base>"]
            } else {
                parents.to_vec()
            },
        );
    }
    if graph.is_branch_point(id) {
        field("Branches into", graph.children(id));
    }
    field("Also depends on", revision.embedded.depends_on.to_vec());
    field("Branch names", marks.label_list(id));
    out.push_str(&format!(
        "\nPlugin: {}\nPath: {}\n",
        revision.plugin,
        revision.path.display()
    ));
    for line in revision
        .embedded
        .source
        .lines()
        .take_while(|l| l.starts_with("//!"))
    {
        let text = line.trim_start_matches("//!").trim_start();
        out.push('\n');
        if !text.is_empty() {
            out.push_str("    ");
            out.push_str(text);
        }
    }
    out.push('\n');
    out
}

/// A revision in JSON documents: its place in the graph, file and header. `is_current` is
/// `null` when the database was not read.
fn revision_json(
    migrator: &Migrator,
    marks: &Marks<'_>,
    id: &str,
    current: Option<&[String]>,
) -> Value {
    let graph = &migrator.revisions().graph;
    let revision = migrator.revisions().get(id);
    let mut out = marks.json(id, &[]);
    out["message"] = revision.message().into();
    out["down_revisions"] = revision.embedded.down_revision.into();
    out["depends_on"] = revision.embedded.depends_on.into();
    out["children"] = graph.children(id).into();
    out["plugin"] = revision.plugin.as_str().into();
    out["path"] = revision.path.display().to_string().into();
    out["is_head"] = marks.is_head(id).into();
    out["is_branch_point"] = graph.is_branch_point(id).into();
    out["is_merge_point"] = graph.is_merge_point(id).into();
    out["is_current"] = current.map(|c| c.iter().any(|c| c == id)).into();
    out
}

/// `db show <rev>`: the verbose entry and the operations each way.
pub async fn show(migrator: &Migrator, target: &str, json: bool) -> Result<u8, CliError> {
    let graph = &migrator.revisions().graph;
    let current = migrator.current_heads().await?;
    let found = graph.resolve(target, &current)?;
    let [id] = found.as_slice() else {
        return Err(CliError::Usage(format!(
            "'{target}' names {} revisions ({}); name one",
            found.len(),
            found.join(", ")
        )));
    };
    let revision = migrator.revisions().get(id);
    if json {
        let mut out = revision_json(migrator, &Marks::new(migrator), id, Some(&current));
        let texts = |ops: &[crate::ops::Operation]| -> Vec<String> {
            ops.iter().map(ToString::to_string).collect()
        };
        out["upgrade"] = texts(&revision.upgrade_ops()).into();
        out["downgrade"] = texts(&revision.downgrade_ops()).into();
        print_json(
            "db show",
            json!({"label": migrator.label(), "revision": out}),
        )?;
        return Ok(0);
    }
    println!(
        "{}",
        entry(migrator, &Marks::new(migrator), id, &current, true)
    );
    for (title, ops) in [
        ("Upgrade", revision.upgrade_ops()),
        ("Downgrade", revision.downgrade_ops()),
    ] {
        println!("{title}:");
        if ops.is_empty() {
            println!("    (nothing)");
        }
        for op in ops {
            println!("    {op}");
        }
    }
    Ok(0)
}

/// `db branches`: each branch point and the revisions it branches into.
pub fn branches(migrator: &Migrator, json: bool) -> Result<u8, CliError> {
    let revisions = migrator.revisions();
    let marks = Marks::new(migrator);
    if json {
        let named = |id: &str| {
            let mut out = marks.json(id, &[]);
            out["message"] = revisions.get(id).message().into();
            out
        };
        let points: Vec<Value> = revisions
            .graph
            .branch_points()
            .into_iter()
            .map(|(point, children)| {
                let mut out = named(point);
                out["children"] = children.iter().map(|c| named(c)).collect();
                out
            })
            .collect();
        print_json(
            "db branches",
            json!({"label": migrator.label(), "branch_points": points}),
        )?;
        return Ok(0);
    }
    for (point, children) in revisions.graph.branch_points() {
        println!(
            "{point}{} (branchpoint), {}",
            marks.labels(point),
            revisions.get(point).message()
        );
        for child in children {
            println!(
                "    -> {child}{}, {}",
                marks.flags(child),
                revisions.get(child).message()
            );
        }
    }
    Ok(0)
}
