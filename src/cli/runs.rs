//! `list_runs`: the recorded runs as a table.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::CliError;
use super::output::{Format, print_json};
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
    #[command(flatten)]
    format: Format,
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
    let mut tasks = Vec::with_capacity(runs.len());
    for run in &runs {
        let blocks = db.select::<OutflowBlock>().filter("run_id", run.id).all()?;
        let done = blocks.iter().filter(|b| b.state == State::Success).count();
        tasks.push((done, blocks.len()));
    }
    databases.close();
    if args.format.json {
        let listed: Vec<serde_json::Value> = runs.iter().zip(&tasks).map(json_run).collect();
        print_json("list_runs", serde_json::json!({"runs": listed}))?;
        return Ok(0);
    }
    let mut rows = vec![header()];
    rows.extend(runs.iter().zip(&tasks).map(row));
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

fn row((run, (done, total)): (&OutflowRun, &(usize, usize))) -> Vec<String> {
    vec![
        run.id.to_string(),
        run.start_time
            .map_or("-".into(), |t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
        duration(run.start_time, run.end_time),
        format!("{:?}", run.state).to_lowercase(),
        run.command_name.clone().unwrap_or_default(),
        format!("{done}/{total}"),
        run.hostname.clone().unwrap_or_default(),
        run.uuid.clone(),
    ]
}

/// A run in `list_runs --json`, with its tasks done and in all.
fn json_run((run, (done, total)): (&OutflowRun, &(usize, usize))) -> serde_json::Value {
    let seconds = match (run.start_time, run.end_time) {
        (Some(s), Some(e)) => Some((e - s).as_seconds_f64()),
        _ => None,
    };
    serde_json::json!({
        "id": run.id,
        "uuid": run.uuid,
        "state": format!("{:?}", run.state).to_lowercase(),
        "command": run.command_name,
        "started_at": run.start_time.map(|t| t.to_rfc3339()),
        "ended_at": run.end_time.map(|t| t.to_rfc3339()),
        "duration_s": seconds,
        "tasks_done": done,
        "tasks_total": total,
        "host": run.hostname,
    })
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
