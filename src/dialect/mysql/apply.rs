//! Running a step on a server without transactional DDL.
//!
//! MySQL and MariaDB commit every DDL statement by itself, so a revision cannot be atomic.
//! Instead its progress is recorded, statement by statement, in one row of
//! `<version table>_progress`:
//!
//! 1. before the first statement: the step (its version-table changes), the heads before and
//!    after it, and the number of statements;
//! 2. after each statement: that it completed, with its first line;
//! 3. when every statement ran: the version-table changes and the deletion of the row, in one
//!    transaction (these are plain rows, so this part is atomic).
//!
//! When a statement fails after others ran, the row stays and the error says which statement
//! of how many failed, which ran, and how to recover: finish them by hand then `db stamp
//! <heads after>`, or undo them then `db stamp <heads before>`. Every later step refuses while
//! the row exists, except a step without operations (what `db stamp` runs), which clears it.
//! When the *first* statement fails nothing ran (each statement is atomic: MariaDB 10.6+ and
//! MySQL 8 have atomic DDL), so the row is deleted and the step simply failed.
//!
//! The row has a fixed key: two migrators starting at once cannot both record a step.

use std::time::Instant;

use sqlx::mysql::MySqlConnection;
use sqlx::{AssertSqlSafe, Connection, Row};

use super::MySqlDb;
use super::connect::{books_of, message};
use super::data::MySqlRows;
use super::plan::Planner;
use crate::dialect::books;
use crate::dialect::data;
use crate::dialect::{DbError, Step, VersionChange, applied};
use crate::ops::Operation;
use crate::ops::version::heads_after;

use super::render::Q;

/// One thing a step runs on MySQL: a statement, or the data step its operation holds.
#[derive(Debug, Clone)]
enum Planned {
    Sql(String),
    Rust,
}

/// At most this many statements are named in a message.
const LISTED: usize = 20;

/// The progress table of a version table.
pub(crate) fn table_name(version_table: &str) -> String {
    format!("{version_table}_progress")
}

fn ddl(table: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n    `id` TINYINT NOT NULL,\n    `step` TEXT NOT NULL,\n    \
         `heads_before` TEXT NOT NULL,\n    `heads_after` TEXT NOT NULL,\n    `total` INT NOT NULL,\n    \
         `done` INT NOT NULL,\n    `ran` LONGTEXT NOT NULL,\n    `failed` LONGTEXT NULL,\n    \
         `started_at` TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n    \
         CONSTRAINT {} PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        Q.ident(table),
        Q.ident(&format!("pk_{table}"))
    )
}

/// A step that started and did not finish.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Record {
    step: String,
    before: String,
    after: String,
    total: i64,
    done: i64,
    ran: Vec<String>,
    failed: Option<String>,
}

impl Record {
    /// Why the next step refuses, and what to do.
    fn refusal(&self, table: &str) -> String {
        let clears = format!("(the record is the row of table `{table}`, which `db stamp` clears)");
        if self.done >= self.total {
            return format!(
                "a previous migration ran all {} statements of the step {} but did not update the version table{}; run `db stamp {}` {clears}",
                self.total,
                self.step,
                self.failed
                    .as_deref()
                    .map(|f| format!(" ({f})"))
                    .unwrap_or_default(),
                self.after
            );
        }
        let what = match &self.failed {
            Some(f) => format!(
                "statement {} of {} of the step {} failed: {f}",
                self.done + 1,
                self.total,
                self.step
            ),
            None => format!(
                "the step {} was interrupted after statement {} of {} (statement {} may or may not have run)",
                self.step,
                self.done,
                self.total,
                self.done + 1
            ),
        };
        format!(
            "a previous migration stopped half-way: {what}; {} {clears}",
            recovery(&self.ran, &self.before, &self.after)
        )
    }
}

/// Which statements ran, and the two ways out.
fn recovery(ran: &[String], before: &str, after: &str) -> String {
    let mut listed: Vec<&str> = ran.iter().take(LISTED).map(String::as_str).collect();
    let more = ran.len().saturating_sub(LISTED);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    if ran.is_empty() {
        listed.push("none");
    }
    format!(
        "MySQL cannot roll DDL back, and statements 1 to {} ran ({}{more}): finish the remaining statements by hand and run `db stamp {after}`, or undo the ones that ran and run `db stamp {before}`",
        ran.len(),
        listed.join(" | ")
    )
}

/// The first line of a statement, marked as cut when there is more.
fn first_line(sql: &str) -> String {
    let mut lines = sql.trim().lines();
    let first = lines.next().unwrap_or("").trim();
    if lines.next().is_some() {
        format!("{first} ...")
    } else {
        first.to_string()
    }
}

/// Heads as `db stamp` takes them (`base` for none).
fn heads(rows: &[String]) -> String {
    if rows.is_empty() {
        "base".into()
    } else {
        rows.join(" ")
    }
}

fn describe(changes: &[VersionChange]) -> String {
    if changes.is_empty() {
        return "without version change".into();
    }
    changes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs one step (see the module documentation).
pub(crate) async fn run(db: &mut MySqlDb, step: &Step<'_>) -> Result<(), DbError> {
    let started = Instant::now();
    let progress = table_name(step.version_table);
    let kept = books_of(step.version_table);
    ensure(db, &kept.version_table_ddl(), step.version_table).await?;
    ensure(db, &ddl(&progress), &progress).await?;
    let log = applied::log_table(step.version_table);
    ensure(db, &kept.log_ddl(), &log).await?;
    let record = read(&mut db.conn, &progress).await?;
    if step.ops.is_empty() {
        // `db stamp`: the version table is what the user says; a stopped step is settled.
        return finish(&mut db.conn, step, &progress, started).await;
    }
    if let Some(record) = record {
        return Err(DbError::failure(record.refusal(&progress)));
    }
    let before = db
        .version_rows(step.version_table)
        .await?
        .unwrap_or_default();
    let after = heads_after(&before, step.version);
    let planned = plan(db, step.ops, 0, &[step.version_table]).await?;
    if planned.is_empty() {
        // Nothing to run on this server (enum types, other dialects' SQL).
        return finish(&mut db.conn, step, &progress, started).await;
    }
    let mut record = Record {
        step: describe(step.version),
        before: heads(&before),
        after: heads(&after),
        total: planned.len() as i64,
        done: 0,
        ran: Vec::new(),
        failed: None,
    };
    start(&mut db.conn, &progress, &record).await?;
    run_statements(db, step, &progress, planned, &mut record).await?;
    let result = finish(&mut db.conn, step, &progress, started).await;
    if let Err(e) = &result {
        record.failed = Some(format!("version table: {e}"));
        let _ = completed(&mut db.conn, &progress, &record).await;
    }
    result
}

/// Runs the planned statements, recording each; after raw SQL, what follows is planned again
/// from the schema as it then is.
async fn run_statements(
    db: &mut MySqlDb,
    step: &Step<'_>,
    progress: &str,
    mut planned: Vec<(usize, Planned)>,
    record: &mut Record,
) -> Result<(), DbError> {
    let skip = [step.version_table];
    let mut i = 0;
    while i < planned.len() {
        let (op, item) = planned[i].clone();
        let ran = match (item, &step.ops[op]) {
            (Planned::Rust, Operation::RunRust(data)) => {
                let shown = format!("Rust data step '{}'", data.name);
                if let Err(e) = run_data_step(db, step.version_table, data).await {
                    let failure = Failure::Rust(e);
                    return Err(stopped(&mut db.conn, progress, record, &shown, failure).await);
                }
                shown
            }
            (Planned::Sql(sql), _) => {
                if let Err(e) = execute(&mut db.conn, &sql).await {
                    let failure = Failure::Sql(e);
                    return Err(stopped(&mut db.conn, progress, record, &sql, failure).await);
                }
                first_line(&sql)
            }
            (Planned::Rust, other) => unreachable!("a data step marker at {other}"),
        };
        record.done += 1;
        record.ran.push(ran);
        completed(&mut db.conn, progress, record).await?;
        i += 1;
        let raw = matches!(
            step.ops[op],
            Operation::Execute { .. } | Operation::RunRust(_)
        );
        let last_of_op = planned.get(i).is_none_or(|(next, _)| *next != op);
        if raw && last_of_op && op + 1 < step.ops.len() {
            planned.truncate(i);
            planned.extend(plan(db, &step.ops[op + 1..], op + 1, &skip).await?);
            record.total = planned.len() as i64;
            completed(&mut db.conn, progress, record).await?;
        }
    }
    Ok(())
}

/// Plans `ops` (numbered from `first`) against the schema as the server has it now.
async fn plan(
    db: &mut MySqlDb,
    ops: &[Operation],
    first: usize,
    skip: &[&str],
) -> Result<Vec<(usize, Planned)>, DbError> {
    let current = db.read(skip).await?;
    let mut planner = Planner::new(db.flavor.into(), current);
    let mut out = Vec::new();
    // Statements up to the last raw SQL or data step so far: what follows it is planned again
    // once it ran.
    let mut upto_raw = None;
    for (i, op) in ops.iter().enumerate() {
        match planner.push(op) {
            Ok(statements) => out.extend(
                statements
                    .into_iter()
                    .map(|sql| (first + i, Planned::Sql(sql))),
            ),
            Err(_) if upto_raw.is_some() => {
                out.truncate(upto_raw.unwrap_or(0));
                return Ok(out);
            }
            Err(e) => return Err(e.into()),
        }
        if let Operation::RunRust(_) = op {
            out.push((first + i, Planned::Rust));
        }
        let raw = matches!(op, Operation::Execute { .. } | Operation::RunRust(_));
        if raw && !out.is_empty() {
            upto_raw = Some(out.len());
        }
    }
    match planner.finish() {
        Ok(last) => out.extend(
            last.into_iter()
                .map(|sql| (first + ops.len() - 1, Planned::Sql(sql))),
        ),
        Err(_) if upto_raw.is_some() => out.truncate(upto_raw.unwrap_or(0)),
        Err(e) => return Err(e.into()),
    }
    Ok(out)
}

/// Creates a bookkeeping table once per connection.
async fn ensure(db: &mut MySqlDb, ddl: &str, name: &str) -> Result<(), DbError> {
    if db.ready.iter().any(|t| t == name) {
        return Ok(());
    }
    execute(&mut db.conn, ddl)
        .await
        .map_err(|e| DbError::statement(ddl, e, message))?;
    db.ready.push(name.to_string());
    Ok(())
}

/// Runs one statement as text (some DDL cannot be prepared).
async fn execute(conn: &mut MySqlConnection, sql: &str) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// What failed: a statement, or a data step (its transaction already rolled back).
enum Failure {
    Sql(sqlx::Error),
    Rust(DbError),
}

/// Runs a data step in a transaction of its own, over the tables as they are now.
async fn run_data_step(
    db: &mut MySqlDb,
    version_table: &str,
    step: &crate::ops::DataStep,
) -> Result<(), DbError> {
    let tables = db.read(&[version_table]).await?.schema;
    let mut tx = db.conn.begin().await.map_err(DbError::query)?;
    let mut rows = MySqlRows {
        conn: &mut tx,
        tables,
    };
    match data::run(&mut rows, step).await {
        Ok(()) => tx.commit().await.map_err(DbError::query),
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

/// Records the failure and builds the error to return.
async fn stopped(
    conn: &mut MySqlConnection,
    progress: &str,
    record: &mut Record,
    sql: &str,
    failure: Failure,
) -> DbError {
    let (reason, source) = match failure {
        Failure::Sql(e) => (message(&e), Some(e)),
        // The data step's own transaction was rolled back: it changed nothing.
        Failure::Rust(e) if record.done == 0 => {
            let _ = clear(conn, progress).await;
            return e;
        }
        Failure::Rust(e) => (e.to_string(), None),
    };
    if record.done == 0 {
        // Nothing ran: the step failed as a whole and the next one may run.
        let _ = clear(conn, progress).await;
        return DbError::Statement {
            sql: sql.to_string(),
            message: reason,
            source,
        };
    }
    record.failed = Some(format!("{reason} (while running: {})", first_line(sql)));
    let saved = completed(conn, progress, record).await;
    let mut text = format!(
        "statement {} of {} of the step {} failed: {reason}; {}",
        record.done + 1,
        record.total,
        record.step,
        recovery(&record.ran, &record.before, &record.after)
    );
    if let Err(e) = saved {
        text.push_str(&format!(" (the progress record could not be written: {e})"));
    }
    DbError::Statement {
        sql: sql.to_string(),
        message: text,
        source,
    }
}

async fn read(conn: &mut MySqlConnection, table: &str) -> Result<Option<Record>, DbError> {
    let sql = format!(
        "SELECT CAST(`step` AS CHAR) AS step, CAST(`heads_before` AS CHAR) AS heads_before, \
         CAST(`heads_after` AS CHAR) AS heads_after, CAST(`total` AS SIGNED) AS total, \
         CAST(`done` AS SIGNED) AS done, CAST(`ran` AS CHAR) AS ran, CAST(`failed` AS CHAR) AS failed \
         FROM {} WHERE `id` = 1",
        Q.ident(table)
    );
    let Some(row) = sqlx::query(AssertSqlSafe(sql))
        .fetch_optional(&mut *conn)
        .await
        .map_err(DbError::query)?
    else {
        return Ok(None);
    };
    let get = |c: &str| row.try_get::<String, _>(c).map_err(DbError::query);
    let ran = get("ran")?;
    Ok(Some(Record {
        step: get("step")?,
        before: get("heads_before")?,
        after: get("heads_after")?,
        total: row.try_get("total").map_err(DbError::query)?,
        done: row.try_get("done").map_err(DbError::query)?,
        ran: ran.lines().map(str::to_string).collect(),
        failed: row.try_get("failed").map_err(DbError::query)?,
    }))
}

async fn start(conn: &mut MySqlConnection, table: &str, r: &Record) -> Result<(), DbError> {
    let sql = format!(
        "INSERT INTO {} (`id`, `step`, `heads_before`, `heads_after`, `total`, `done`, `ran`) \
         VALUES (1, ?, ?, ?, ?, 0, '')",
        Q.ident(table)
    );
    let inserted = sqlx::query(AssertSqlSafe(sql))
        .bind(&r.step)
        .bind(&r.before)
        .bind(&r.after)
        .bind(r.total)
        .execute(&mut *conn)
        .await;
    match inserted {
        Ok(_) => Ok(()),
        // Another migrator recorded its step since we looked.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            match read(conn, table).await? {
                Some(other) => Err(DbError::failure(other.refusal(table))),
                None => Err(DbError::failure(format!(
                    "another migration of this database is starting (table `{table}`); run again once it is done"
                ))),
            }
        }
        Err(e) => Err(DbError::query(e)),
    }
}

async fn completed(conn: &mut MySqlConnection, table: &str, r: &Record) -> Result<(), DbError> {
    let sql = format!(
        "UPDATE {} SET `total` = ?, `done` = ?, `ran` = ?, `failed` = ? WHERE `id` = 1",
        Q.ident(table)
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(r.total)
        .bind(r.done)
        .bind(r.ran.join("\n"))
        .bind(&r.failed)
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(DbError::query)
}

async fn clear(conn: &mut MySqlConnection, table: &str) -> Result<(), DbError> {
    let sql = format!("DELETE FROM {} WHERE `id` = 1", Q.ident(table));
    sqlx::query(AssertSqlSafe(sql))
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(DbError::query)
}

/// The version-table changes and the end of the record, in one transaction.
async fn finish(
    conn: &mut MySqlConnection,
    step: &Step<'_>,
    progress: &str,
    started: Instant,
) -> Result<(), DbError> {
    let mut tx = conn.begin().await.map_err(DbError::query)?;
    let kept = books_of(step.version_table);
    for change in step.version {
        books::change_version(&mut *tx, &kept, change).await?;
    }
    for entry in step.log {
        let row = applied::NewRow::applied(entry, started.elapsed());
        books::write_log(&mut *tx, &kept, &row).await?;
    }
    clear(&mut tx, progress).await?;
    tx.commit().await.map_err(DbError::query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_move_with_the_changes() {
        let before = vec!["a1".to_string(), "b1".to_string()];
        let changes = [
            VersionChange::Update {
                from: "a1".into(),
                to: "a2".into(),
            },
            VersionChange::Delete("b1".into()),
            VersionChange::Insert("c1".into()),
        ];
        assert_eq!(heads_after(&before, &changes), ["a2", "c1"]);
        assert_eq!(heads(&[]), "base");
        assert_eq!(
            first_line("CREATE TABLE `t` (\n  `a` INT\n)"),
            "CREATE TABLE `t` ( ..."
        );
    }

    #[test]
    fn refusals_say_what_ran_and_how_to_recover() {
        let record = Record {
            step: "inserting head 'r1'".into(),
            before: "base".into(),
            after: "r1".into(),
            total: 3,
            done: 1,
            ran: vec!["CREATE TABLE `u` ( ...".into()],
            failed: Some("Data truncated (while running: ALTER TABLE `t` MODIFY ...)".into()),
        };
        let text = record.refusal("v_progress");
        assert!(text.starts_with("a previous migration stopped half-way: statement 2 of 3 of the step inserting head 'r1' failed: Data truncated"), "{text}");
        assert!(
            text.contains("statements 1 to 1 ran (CREATE TABLE `u` ( ...)"),
            "{text}"
        );
        assert!(
            text.contains("run `db stamp r1`, or undo the ones that ran and run `db stamp base`"),
            "{text}"
        );
        assert!(!text.contains('\n'));
        let interrupted = Record {
            failed: None,
            ..record.clone()
        };
        assert!(
            interrupted
                .refusal("p")
                .contains("statement 2 may or may not have run")
        );
        let all = Record { done: 3, ..record };
        assert!(all.refusal("p").contains("ran all 3 statements"));
    }
}
