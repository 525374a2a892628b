//! The applied log: one row per revision applied, reverted or stamped, beside the version
//! table, in `<version table>_log`.
//!
//! The version table says where the database is; the log says how it got there: which
//! revision ran, in which direction, with what outcome, when, for how long, and the checksum of
//! the revision file's source at that moment. The runner compares those checksums with the
//! revisions it is built with, so an applied revision that was edited afterwards is never run
//! past in silence. The dialects create the table and write rows inside the step's own
//! transaction (MySQL: with the version-table changes, once every statement ran).

use std::time::Duration;

use super::sql::Quote;

/// The log table of a version table.
pub fn log_table(version_table: &str) -> String {
    format!("{version_table}_log")
}

/// `skip` (version tables) with their logs: the tables introspection leaves out.
pub(crate) fn with_logs(skip: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = skip.iter().map(|s| s.to_string()).collect();
    out.extend(skip.iter().map(|s| log_table(s)));
    out
}

/// What a log row records happened to a revision (its `direction` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogEvent {
    /// The revision's `upgrade` ran.
    Upgrade,
    /// The revision's `downgrade` ran.
    Downgrade,
    /// `db stamp` marked the revision applied without running it.
    Stamp,
    /// `db stamp --update-checksums` accepted the revision's current source.
    Checksum,
}

impl LogEvent {
    /// The value stored in the `direction` column.
    pub fn as_str(self) -> &'static str {
        match self {
            LogEvent::Upgrade => "upgrade",
            LogEvent::Downgrade => "downgrade",
            LogEvent::Stamp => "stamp",
            LogEvent::Checksum => "checksum",
        }
    }

    /// Whether a row of this direction records the source the database now runs with.
    pub fn records_source(direction: &str) -> bool {
        matches!(direction, "upgrade" | "stamp" | "checksum")
    }
}

/// One revision the step records in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// The revision id.
    pub revision: String,
    /// What happened to it.
    pub direction: LogEvent,
    /// SHA-256 of the revision file's source, line endings normalised.
    pub checksum: String,
}

/// A row of the log, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    /// The revision id.
    pub revision: String,
    /// `upgrade`, `downgrade`, `stamp` or `checksum`.
    pub direction: String,
    /// `applied` or `failed`.
    pub outcome: String,
    /// The checksum of the source then.
    pub checksum: Option<String>,
    /// When, in UTC (RFC 3339).
    pub applied_at: String,
    /// How long the step took, in milliseconds.
    pub duration_ms: i64,
}

/// The values of one row to insert, in [`COLUMNS`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewRow {
    pub revision: String,
    pub direction: &'static str,
    pub outcome: &'static str,
    pub checksum: String,
    pub applied_at: String,
    pub duration_ms: i64,
    pub error: Option<String>,
}

impl NewRow {
    /// The row of an entry whose step succeeded after `took`.
    pub fn applied(entry: &LogEntry, took: Duration) -> NewRow {
        NewRow::new(entry, APPLIED, took, None)
    }

    /// The row of an entry whose step failed with `error` after `took`.
    pub fn failed(entry: &LogEntry, took: Duration, error: &str) -> NewRow {
        NewRow::new(entry, "failed", took, Some(error.to_string()))
    }

    fn new(entry: &LogEntry, outcome: &'static str, took: Duration, error: Option<String>) -> Self {
        NewRow {
            revision: entry.revision.clone(),
            direction: entry.direction.as_str(),
            outcome,
            checksum: entry.checksum.clone(),
            applied_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            duration_ms: i64::try_from(took.as_millis()).unwrap_or(i64::MAX),
            error,
        }
    }
}

/// The outcome of a step that succeeded.
pub(crate) const APPLIED: &str = "applied";

/// The columns an insert names, in bind order.
pub(crate) const COLUMNS: [&str; 7] = [
    "revision",
    "direction",
    "outcome",
    "checksum",
    "applied_at",
    "duration_ms",
    "error",
];

/// The log table's DDL: `id` is the dialect's auto-numbered key column definition, `text`
/// its unbounded text type, `tail` what follows the closing parenthesis.
pub(crate) fn ddl(q: Quote, table: &str, id: &str, text: &str, tail: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {table} (\n    {} {id},\n    {} VARCHAR(32) NOT NULL,\n    \
         {} VARCHAR(16) NOT NULL,\n    {} VARCHAR(16) NOT NULL,\n    {} VARCHAR(64) NULL,\n    \
         {} VARCHAR(40) NOT NULL,\n    {} BIGINT NOT NULL,\n    {} {text} NULL\n){tail}",
        q.ident("id"),
        q.ident(COLUMNS[0]),
        q.ident(COLUMNS[1]),
        q.ident(COLUMNS[2]),
        q.ident(COLUMNS[3]),
        q.ident(COLUMNS[4]),
        q.ident(COLUMNS[5]),
        q.ident(COLUMNS[6]),
    )
}

/// `INSERT INTO <table> (...) VALUES (<placeholders>)` for one row.
pub(crate) fn insert(q: Quote, table: &str, placeholder: fn(usize) -> String) -> String {
    let columns: Vec<String> = COLUMNS.iter().map(|c| q.ident(c)).collect();
    let values: Vec<String> = (1..=COLUMNS.len()).map(placeholder).collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        values.join(", ")
    )
}

/// [`insert`]'s statement with `row`'s values bound, for any of our databases.
pub(crate) fn bound<'q, DB>(
    sql: String,
    row: &'q NewRow,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    DB: sqlx::Database,
    for<'t> &'t str: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> Option<&'t str>: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(row.revision.as_str())
        .bind(row.direction)
        .bind(row.outcome)
        .bind(row.checksum.as_str())
        .bind(row.applied_at.as_str())
        .bind(row.duration_ms)
        .bind(row.error.as_deref())
}

/// `SELECT` of every row, oldest first.
pub(crate) fn select(q: Quote, table: &str) -> String {
    format!(
        "SELECT {}, {}, {}, {}, {}, {} FROM {table} ORDER BY {}",
        q.ident("revision"),
        q.ident("direction"),
        q.ident("outcome"),
        q.ident("checksum"),
        q.ident("applied_at"),
        q.ident("duration_ms"),
        q.ident("id"),
    )
}

/// Reads a row of [`select`].
pub(crate) fn read_row<R>(row: &R) -> Result<LogRow, sqlx::Error>
where
    R: sqlx::Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    Ok(LogRow {
        revision: row.try_get("revision")?,
        direction: row.try_get("direction")?,
        outcome: row.try_get("outcome")?,
        checksum: row.try_get("checksum")?,
        applied_at: row.try_get("applied_at")?,
        duration_ms: row.try_get("duration_ms")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_quote_every_name() {
        let t = Quote::Double.ident("outflow_version_log");
        assert_eq!(
            insert(Quote::Double, &t, |i| format!("${i}")),
            "INSERT INTO \"outflow_version_log\" (\"revision\", \"direction\", \"outcome\", \
             \"checksum\", \"applied_at\", \"duration_ms\", \"error\") VALUES ($1, $2, $3, $4, $5, $6, $7)"
        );
        assert!(
            ddl(Quote::Backtick, "`x`", "BIGINT", "LONGTEXT", "")
                .contains("`applied_at` VARCHAR(40)")
        );
    }

    #[test]
    fn rows_say_what_happened() {
        let entry = LogEntry {
            revision: "abc".into(),
            direction: LogEvent::Upgrade,
            checksum: "00".into(),
        };
        let row = NewRow::failed(&entry, Duration::from_millis(1500), "boom");
        assert_eq!((row.outcome, row.duration_ms), ("failed", 1500));
        assert_eq!(row.error.as_deref(), Some("boom"));
        assert!(row.applied_at.ends_with('Z'));
        assert!(LogEvent::records_source("stamp") && !LogEvent::records_source("downgrade"));
    }
}
