//! `list_runs`: the recorded runs as a table.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::CliError;
use crate::config::Config;
use crate::model::DEFAULT_DATABASE;
use crate::pipeline::framework::models::{OutflowBlock, OutflowRun, State};
use crate::store::Databases;

/// Arguments of `list_runs`.
#[derive(Debug, clap::Args)]
pub struct ListRuns {
    /// How many runs to show
    #[arg(long, short = 'n', default_value_t = 20)]
    limit: u64,
}

/// Prints the most recent runs, newest first.
pub(super) fn list(
    args: &ListRuns,
    config: Config,
    runtime: Arc<tokio::runtime::Runtime>,
) -> Result<u8, CliError> {
    let databases = Databases::new(config, runtime);
    let db = databases.get(DEFAULT_DATABASE)?;
    let runs = db
        .select::<OutflowRun>()
        .order_by_desc("id")
        .limit(args.limit)
        .all()
        .map_err(|e| {
            CliError::Usage(format!(
                "cannot read the runs of database '{DEFAULT_DATABASE}' ({e}); run `db upgrade heads` first"
            ))
        })?;
    let mut rows = vec![header()];
    for run in &runs {
        let blocks = db.select::<OutflowBlock>().filter("run_id", run.id).all()?;
        rows.push(row(run, &blocks));
    }
    databases.close();
    if runs.is_empty() {
        println!("No run recorded yet.");
        return Ok(0);
    }
    print!("{}", table(&rows));
    Ok(0)
}

fn header() -> Vec<String> {
    [
        "id",
        "started (UTC)",
        "duration",
        "state",
        "command",
        "tasks",
        "host",
        "uuid",
    ]
    .map(String::from)
    .to_vec()
}

fn row(run: &OutflowRun, blocks: &[OutflowBlock]) -> Vec<String> {
    let done = blocks.iter().filter(|b| b.state == State::Success).count();
    vec![
        run.id.to_string(),
        run.start_time
            .map_or("-".into(), |t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
        duration(run.start_time, run.end_time),
        format!("{:?}", run.state).to_lowercase(),
        run.command_name.clone().unwrap_or_default(),
        format!("{done}/{}", blocks.len()),
        run.hostname.clone().unwrap_or_default(),
        run.uuid.clone(),
    ]
}

fn duration(start: Option<DateTime<Utc>>, end: Option<DateTime<Utc>>) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!("{:.2} s", (e - s).as_seconds_f64()),
        (Some(_), None) => "running".into(),
        _ => "-".into(),
    }
}

/// Left-aligned columns, two spaces apart.
fn table(rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up() {
        let rows = vec![
            vec!["id".to_string(), "state".to_string()],
            vec!["12".to_string(), "success".to_string()],
        ];
        assert_eq!(table(&rows), "id  state\n12  success\n");
    }
}
