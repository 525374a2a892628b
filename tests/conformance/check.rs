//! One case through our engine: load the before schema into database A and the after schema
//! into database B, diff A -> B, apply the upgrade to A, and check that (1) A introspects
//! equal to B, (2) a second diff is empty, (3) the downgrade returns A to the before schema,
//! (4) rows inserted beforehand into tables that survive are all still there. A case whose
//! before and after are the same schema must give no operation at all.

use outflow::diff::diff;
use outflow::ops::{Backfill, Operation, reverse_all};
use outflow::schema::{Schema, Table, Type};

use crate::common::Dialect;
use crate::common::account::{account, difference};
use crate::common::live::Live;
use crate::load::load;

/// What became of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// All four checks hold.
    Pass,
    /// The checks hold on empty tables; with a row in each table the change itself cannot
    /// apply (a new NOT NULL column without a default, a check the row breaks): why.
    PassEmptyOnly(String),
    /// A check failed: why.
    Fail(String),
    /// The before or after SQL does not run on our server (not counted): why.
    DoesNotLoad(String),
}

/// Runs a transition on two fresh databases (made and dropped by the caller, outside the
/// runtime: their setup blocks on its own).
pub async fn transition(
    a: &Live,
    b: &Live,
    before_sql: &str,
    after_sql: &str,
    rows: bool,
) -> Outcome {
    if let Err(e) = load(a, before_sql).await {
        return Outcome::DoesNotLoad(format!("before: {}", one_line(&e)));
    }
    if let Err(e) = load(b, after_sql).await {
        return Outcome::DoesNotLoad(format!("after: {}", one_line(&e)));
    }
    match checks(a, b, before_sql.trim() == after_sql.trim(), rows).await {
        Ok(()) => Outcome::Pass,
        Err(e) => Outcome::Fail(e),
    }
}

async fn checks(a: &Live, b: &Live, same: bool, rows: bool) -> Result<(), String> {
    let compare = a.compare();
    let before = a
        .try_schema()
        .await
        .map_err(|e| format!("introspection of before: {e}"))?;
    let after = b
        .try_schema()
        .await
        .map_err(|e| format!("introspection of after: {e}"))?;
    let account_before = account(a).await;
    let account_after = account(b).await;
    let mut up = diff(&before, &after, compare);
    review_backfills(&mut up);
    if same && !up.is_empty() {
        return Err(format!(
            "false positive on identical schemas: {}",
            summary(&up)
        ));
    }
    let inserted = if rows {
        insert_rows(a, &before).await
    } else {
        Vec::new()
    };
    a.run(&up)
        .await
        .map_err(|e| format!("upgrade failed: {}", one_line(&e)))?;
    let now = a
        .try_schema()
        .await
        .map_err(|e| format!("introspection after upgrade: {e}"))?;
    let left = diff(&now, &after, compare);
    if !left.is_empty() {
        return Err(format!(
            "after the upgrade, still differs from after: {}",
            summary(&left)
        ));
    }
    let back = diff(&after, &now, compare);
    if !back.is_empty() {
        return Err(format!(
            "after the upgrade, after differs from it: {}",
            summary(&back)
        ));
    }
    if let Some(d) = difference(&account(a).await, &account_after) {
        return Err(format!(
            "after the upgrade, the database's own account differs from after: {d}"
        ));
    }
    for (table, count) in &inserted {
        if after.table(table).is_some() && row_count(a, table).await < *count {
            return Err(format!("rows of table '{table}' lost by the upgrade"));
        }
    }
    let down = reverse_all(&up).map_err(|e| format!("the upgrade cannot be reversed: {e}"))?;
    a.run(&down)
        .await
        .map_err(|e| format!("downgrade failed: {}", one_line(&e)))?;
    let again = a
        .try_schema()
        .await
        .map_err(|e| format!("introspection after downgrade: {e}"))?;
    let left = diff(&again, &before, compare);
    if !left.is_empty() {
        return Err(format!(
            "the downgrade does not restore before: {}",
            summary(&left)
        ));
    }
    if let Some(d) = difference(&account(a).await, &account_before) {
        return Err(format!(
            "after the downgrade, the database's own account differs from before: {d}"
        ));
    }
    Ok(())
}

/// Plays the reviewer of a generated revision, who must write each backfill left to write
/// before it runs. The harness knows no value the rows should get, so it writes `NULL`: on
/// empty tables the tightening holds; with rows it fails, and the case counts as passing on
/// empty tables only, as a new NOT NULL column without a default always has.
fn review_backfills(ops: &mut [Operation]) {
    for op in ops {
        if let Operation::AlterColumn { changes, .. } = op
            && changes.backfill == Some(Backfill::ToWrite)
        {
            changes.backfill = Some(Backfill::Expr("NULL".into()));
        }
    }
}

/// Whether a failure is one of applying the change (which rows may cause), not of the result.
pub fn failed_to_apply(outcome: &Outcome) -> Option<&str> {
    match outcome {
        Outcome::Fail(why)
            if why.starts_with("upgrade failed") || why.starts_with("downgrade failed") =>
        {
            Some(why)
        }
        _ => None,
    }
}

/// The first operations, described.
fn summary(ops: &[Operation]) -> String {
    let mut out: Vec<String> = ops.iter().take(3).map(|o| o.to_string()).collect();
    if ops.len() > 3 {
        out.push(format!("and {} more", ops.len() - 3));
    }
    one_line(&out.join("; "))
}

pub fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 300 {
        let cut: String = line.chars().take(300).collect();
        format!("{cut}...")
    } else {
        line
    }
}

/// One row in each table of `schema` where a plain row can be made (parents first); returns
/// the tables that got one.
async fn insert_rows(live: &Live, schema: &Schema) -> Vec<(String, i64)> {
    let mut conn = live.conn().await;
    let mut out = Vec::new();
    for table in parents_first(schema) {
        let Some(sql) = row_insert(live, table) else {
            continue;
        };
        if conn.try_execute(&sql).await.is_ok() {
            out.push((table.name.clone(), 1));
        }
    }
    out
}

fn parents_first(schema: &Schema) -> Vec<&Table> {
    let mut tables: Vec<&Table> = schema.tables().collect();
    tables.sort_by_key(|t| !t.foreign_keys.is_empty());
    tables
}

/// `INSERT` of one row: every NOT NULL column without a default gets a value of its type,
/// the others are left to their defaults.
fn row_insert(live: &Live, table: &Table) -> Option<String> {
    let mut columns = Vec::new();
    let mut values = Vec::new();
    for c in &table.columns {
        if c.nullable || c.default.is_some() || c.autoincrement || c.generated.is_some() {
            continue;
        }
        columns.push(live.quote(&c.name));
        values.push(value(live.dialect, &c.ty)?);
    }
    if columns.is_empty() {
        return Some(match live.dialect {
            Dialect::Mysql => format!("INSERT INTO {} () VALUES ()", live.quote(&table.name)),
            _ => format!("INSERT INTO {} DEFAULT VALUES", live.quote(&table.name)),
        });
    }
    Some(format!(
        "INSERT INTO {} ({}) VALUES ({})",
        live.quote(&table.name),
        columns.join(", "),
        values.join(", ")
    ))
}

fn value(dialect: Dialect, ty: &Type) -> Option<String> {
    Some(match ty {
        Type::SmallInt | Type::Integer | Type::BigInt | Type::Numeric(..) => "1".into(),
        Type::Real | Type::Double => "1.5".into(),
        Type::Boolean => "true".into(),
        Type::Text | Type::Varchar(_) | Type::Char(_) => "'a'".into(),
        Type::Date => "'2020-01-02'".into(),
        Type::Time => "'12:00:00'".into(),
        Type::Timestamp | Type::TimestampTz => "'2020-01-02 03:04:05'".into(),
        Type::Uuid => "'00000000-0000-0000-0000-000000000001'".into(),
        Type::Json => "'{}'".into(),
        Type::Blob => match dialect {
            Dialect::Postgres => "'\\x00'::bytea".into(),
            _ => "X'00'".into(),
        },
        Type::Enum { values, .. } => format!("'{}'", values.first()?.replace('\'', "''")),
        _ => return None,
    })
}

async fn row_count(live: &Live, table: &str) -> i64 {
    let sql = format!(
        "SELECT CAST(count(*) AS CHAR(20)) FROM {}",
        live.quote(table)
    );
    let sql = match live.dialect {
        Dialect::Mysql => sql,
        _ => sql.replace("CHAR(20)", "TEXT"),
    };
    live.conn().await.texts(&sql).await[0][0]
        .as_deref()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
