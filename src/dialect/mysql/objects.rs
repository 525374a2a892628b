//! Views, triggers, functions, procedures and events: read from `information_schema` (one
//! query per kind, and one for routine parameters), created from their definition, dropped by
//! kind and name.
//!
//! MySQL keeps a view's query rewritten, every table named with its database
//! (`` `db`.`t` ``): the database's own name is removed (outside string literals), so that the
//! definition creates the view in whatever database a migration targets. Trigger, routine and
//! event bodies are kept as written. The definer is left out (the object gets the migration's
//! user), as are the session settings recorded with the object.

use std::collections::BTreeMap;

use sqlx::mysql::MySqlRow;
use sqlx::{MySqlConnection, Row};

use super::render::Q;
use super::text;
use crate::dialect::{DbError, PlanError};
use crate::ops::Operation;
use crate::schema::{Object, ObjectKind};

/// The views, each then read with `SHOW CREATE VIEW`.
const VIEWS: &str = "SELECT CAST(TABLE_NAME AS CHAR) AS name
FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME";

const TRIGGERS: &str = "SELECT CAST(TRIGGER_NAME AS CHAR) AS name,
       CAST(EVENT_OBJECT_TABLE AS CHAR) AS table_name, CAST(ACTION_TIMING AS CHAR) AS action_timing,
       CAST(EVENT_MANIPULATION AS CHAR) AS event_kind, CAST(ACTION_STATEMENT AS CHAR) AS body
FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE()
ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER";

const ROUTINES: &str = "SELECT CAST(ROUTINE_NAME AS CHAR) AS name,
       CAST(ROUTINE_TYPE AS CHAR) AS routine_type, CAST(ROUTINE_DEFINITION AS CHAR) AS body,
       CAST(IS_DETERMINISTIC AS CHAR) AS is_deterministic, CAST(SQL_DATA_ACCESS AS CHAR) AS data_access,
       CAST(SECURITY_TYPE AS CHAR) AS security_type, CAST(ROUTINE_COMMENT AS CHAR) AS comment
FROM information_schema.ROUTINES
WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE IN ('FUNCTION', 'PROCEDURE')
ORDER BY ROUTINE_TYPE, ROUTINE_NAME";

const PARAMETERS: &str = "SELECT CAST(SPECIFIC_NAME AS CHAR) AS routine_name,
       CAST(ROUTINE_TYPE AS CHAR) AS routine_type, ORDINAL_POSITION AS ordinal,
       CAST(PARAMETER_MODE AS CHAR) AS param_mode, CAST(PARAMETER_NAME AS CHAR) AS param_name,
       CAST(DTD_IDENTIFIER AS CHAR) AS param_type, CAST(CHARACTER_SET_NAME AS CHAR) AS charset,
       CAST(COLLATION_NAME AS CHAR) AS collation
FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = DATABASE()
ORDER BY ROUTINE_TYPE, SPECIFIC_NAME, ORDINAL_POSITION";

const EVENTS: &str = "SELECT CAST(EVENT_NAME AS CHAR) AS name,
       CAST(EVENT_DEFINITION AS CHAR) AS body, CAST(EVENT_TYPE AS CHAR) AS event_type,
       CAST(EXECUTE_AT AS CHAR) AS execute_at, CAST(INTERVAL_VALUE AS CHAR) AS interval_value,
       CAST(INTERVAL_FIELD AS CHAR) AS interval_field, CAST(STARTS AS CHAR) AS starts_at,
       CAST(ENDS AS CHAR) AS ends_at, CAST(STATUS AS CHAR) AS event_status,
       CAST(ON_COMPLETION AS CHAR) AS on_completion, CAST(EVENT_COMMENT AS CHAR) AS comment,
       ABS(TIMESTAMPDIFF(SECOND, STARTS, CREATED)) <= 1 AS starts_implicit
FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE() ORDER BY EVENT_NAME";

/// Reads every view, trigger, routine and event of the connection's database.
pub(crate) async fn read(
    conn: &mut MySqlConnection,
    queries: &mut u64,
) -> Result<Vec<Object>, DbError> {
    let mut fetch = async |sql: &'static str| {
        *queries += 1;
        sqlx::query(sql)
            .fetch_all(&mut *conn)
            .await
            .map_err(DbError::query)
    };
    let views = fetch(VIEWS).await?;
    let triggers = fetch(TRIGGERS).await?;
    let routines = fetch(ROUTINES).await?;
    let parameters = fetch(PARAMETERS).await?;
    let events = fetch(EVENTS).await?;
    let database: String = sqlx::query_scalar("SELECT CAST(DATABASE() AS CHAR)")
        .fetch_one(&mut *conn)
        .await
        .map_err(DbError::query)?;
    let mut out = Vec::new();
    for row in &views {
        let name = text_of(row, "name")?;
        // The catalog's VIEW_DEFINITION drops character set introducers (`_utf8mb3' '`):
        // SHOW CREATE VIEW has the view as the server keeps it.
        let shown = show_create(conn, queries, "VIEW", &name, 1).await?;
        out.push(view(name, &shown.unwrap_or_default(), &database));
    }
    for row in &triggers {
        out.push(trigger(row)?);
    }
    let parameters = parameters_by_routine(&parameters)?;
    for row in &routines {
        let mut routine = routine(row, &parameters)?;
        // The catalog gives parameter types as the server spells them (`int(11)`), SHOW
        // CREATE as they were written; it is NULL to a user who may not read the body.
        let what = text_of(row, "routine_type")?;
        if let Some(shown) = show_create(conn, queries, &what, &routine.name, 2).await? {
            routine.definition = without_database(&without_definer(&shown), &database);
        }
        out.push(routine);
    }
    for row in &events {
        out.push(event(row)?);
    }
    Ok(out)
}

/// Column `column` of `SHOW CREATE <what> <name>`.
async fn show_create(
    conn: &mut MySqlConnection,
    queries: &mut u64,
    what: &str,
    name: &str,
    column: usize,
) -> Result<Option<String>, DbError> {
    *queries += 1;
    // `what` is one of our words and the name is quoted through the dialect.
    let sql = format!("SHOW CREATE {what} {}", Q.ident(name));
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut *conn)
        .await
        .map_err(DbError::query)?;
    row.try_get::<Option<String>, _>(column)
        .map_err(DbError::query)
}

fn text_of(row: &MySqlRow, column: &str) -> Result<String, DbError> {
    Ok(row
        .try_get::<Option<String>, _>(column)
        .map_err(DbError::query)?
        .unwrap_or_default())
}

/// The view as `SHOW CREATE VIEW` gives it, without its definer (who created it is not the
/// schema) nor the database's name.
fn view(name: String, shown: &str, database: &str) -> Object {
    let sql = without_definer(shown);
    Object::new(ObjectKind::View, name, without_database(&sql, database))
}

/// `text` without its ` DEFINER=user@host` clause.
fn without_definer(text: &str) -> String {
    let Some(at) = text.find(" DEFINER=") else {
        return text.to_string();
    };
    let rest = &text[at + 1..];
    let end = rest.find(' ').unwrap_or(rest.len());
    format!("{}{}", &text[..at], &rest[end..])
}

fn trigger(row: &MySqlRow) -> Result<Object, DbError> {
    let name = text_of(row, "name")?;
    let table = text_of(row, "table_name")?;
    let sql = format!(
        "CREATE TRIGGER {} {} {} ON {} FOR EACH ROW {}",
        Q.ident(&name),
        text_of(row, "action_timing")?,
        text_of(row, "event_kind")?,
        Q.ident(&table),
        text_of(row, "body")?
    );
    Ok(Object::new(ObjectKind::Trigger, name, sql).on(table))
}

/// Each routine's parameters as they are declared (`IN `a` int(11)`), and a function's return
/// type (position 0), by (kind, name).
type Parameters = BTreeMap<(String, String), (Vec<String>, Option<String>)>;

fn parameters_by_routine(rows: &[MySqlRow]) -> Result<Parameters, DbError> {
    let mut out: Parameters = BTreeMap::new();
    for row in rows {
        let key = (text_of(row, "routine_type")?, text_of(row, "routine_name")?);
        let position: i64 = row
            .try_get::<Option<i64>, _>("ordinal")
            .map_err(DbError::query)?
            .unwrap_or_default();
        let mut ty = text_of(row, "param_type")?;
        let charset = text_of(row, "charset")?;
        if !charset.is_empty() {
            ty.push_str(&format!(
                " CHARSET {charset} COLLATE {}",
                text_of(row, "collation")?
            ));
        }
        let entry = out.entry(key.clone()).or_default();
        if position == 0 {
            entry.1 = Some(ty);
            continue;
        }
        let mode = text_of(row, "param_mode")?;
        let name = Q.ident(&text_of(row, "param_name")?);
        entry.0.push(match key.0.as_str() {
            "PROCEDURE" => format!("{mode} {name} {ty}"),
            _ => format!("{name} {ty}"),
        });
    }
    Ok(out)
}

fn routine(row: &MySqlRow, parameters: &Parameters) -> Result<Object, DbError> {
    let name = text_of(row, "name")?;
    let kind_word = text_of(row, "routine_type")?;
    let (params, returns) = parameters
        .get(&(kind_word.clone(), name.clone()))
        .cloned()
        .unwrap_or_default();
    let mut sql = format!(
        "CREATE {kind_word} {}({})",
        Q.ident(&name),
        params.join(", ")
    );
    if let Some(returns) = returns {
        sql.push_str(&format!(" RETURNS {returns}"));
    }
    if text_of(row, "is_deterministic")? == "YES" {
        sql.push_str(" DETERMINISTIC");
    }
    sql.push_str(&format!(
        " {} SQL SECURITY {}",
        text_of(row, "data_access")?,
        text_of(row, "security_type")?
    ));
    let comment = text_of(row, "comment")?;
    if !comment.is_empty() {
        sql.push_str(&format!(" COMMENT {}", text::literal(&comment)));
    }
    sql.push_str(&format!("\n{}", text_of(row, "body")?));
    let kind = match kind_word.as_str() {
        "PROCEDURE" => ObjectKind::Procedure,
        _ => ObjectKind::Function,
    };
    Ok(Object::new(kind, name, sql))
}

fn event(row: &MySqlRow) -> Result<Object, DbError> {
    let name = text_of(row, "name")?;
    let mut sql = format!("CREATE EVENT {} ON SCHEDULE ", Q.ident(&name));
    if text_of(row, "event_type")? == "ONE TIME" {
        sql.push_str(&format!(
            "AT {}",
            text::literal(&text_of(row, "execute_at")?)
        ));
    } else {
        sql.push_str(&format!(
            "EVERY {} {}",
            text_of(row, "interval_value")?,
            text_of(row, "interval_field")?
        ));
        let implicit: Option<i64> = row.try_get("starts_implicit").map_err(DbError::query)?;
        let starts = text_of(row, "starts_at")?;
        if implicit != Some(1) && !starts.is_empty() {
            sql.push_str(&format!(" STARTS {}", text::literal(&starts)));
        }
        let ends = text_of(row, "ends_at")?;
        if !ends.is_empty() {
            sql.push_str(&format!(" ENDS {}", text::literal(&ends)));
        }
    }
    sql.push_str(&format!(
        " ON COMPLETION {}",
        text_of(row, "on_completion")?
    ));
    sql.push_str(match text_of(row, "event_status")?.as_str() {
        "ENABLED" => " ENABLE",
        "DISABLED" => " DISABLE",
        _ => " DISABLE ON SLAVE",
    });
    let comment = text_of(row, "comment")?;
    if !comment.is_empty() {
        sql.push_str(&format!(" COMMENT {}", text::literal(&comment)));
    }
    sql.push_str(&format!(" DO {}", text_of(row, "body")?));
    Ok(Object::new(ObjectKind::Event, name, sql))
}

/// `text` without `` `database`. `` in front of names, outside string literals.
fn without_database(text: &str, database: &str) -> String {
    let prefix = format!("{}.", Q.ident(database));
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\'' || c == '"' {
            let end = literal_end(rest, c);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if let Some(after) = rest.strip_prefix(prefix.as_str()) {
            rest = after;
        } else if c == '`' {
            let end = literal_end(rest, '`');
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The byte length of the quoted text starting `text` (backslash escapes and doubled quotes
/// inside), its closing quote included.
fn literal_end(text: &str, quote: char) -> usize {
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' && quote != '`' {
            chars.next();
        } else if c == quote {
            if chars.peek().is_some_and(|(_, n)| *n == quote) {
                chars.next();
            } else {
                return i + c.len_utf8();
            }
        }
    }
    text.len()
}

/// The statements of an object operation: MySQL replaces an object by dropping it and
/// creating it again, and keeps comments inside definitions.
pub(crate) fn statements(op: &Operation) -> Result<Vec<String>, PlanError> {
    let Some((kind, _, name)) = op.object() else {
        unreachable!("only object operations are planned here")
    };
    let word = match kind {
        ObjectKind::View => "VIEW",
        ObjectKind::Trigger => "TRIGGER",
        ObjectKind::Function => "FUNCTION",
        ObjectKind::Procedure => "PROCEDURE",
        ObjectKind::Event => "EVENT",
        other => {
            return Err(PlanError::Impossible {
                operation: op.to_string(),
                reason: format!(
                    "MySQL has no {}s; keep this object in a revision for PostgreSQL (op.execute_on)",
                    other.words()
                ),
            });
        }
    };
    let drop = format!("DROP {word} IF EXISTS {}", Q.ident(name));
    Ok(match op {
        Operation::CreateObject(o) => vec![definition(o)],
        Operation::ReplaceObject { object, .. } => vec![drop, definition(object)],
        Operation::DropObject { .. } => vec![drop],
        Operation::SetObjectComment { .. } => Vec::new(),
        _ => unreachable!("only object operations are planned here"),
    })
}

fn definition(o: &Object) -> String {
    o.definition.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_goes_but_not_from_literals() {
        let text = "select `db1`.`t`.`id` AS `id`,'`db1`.x' AS `s` from `db1`.`t` where `t`.`a` = 'it\\'s `db1`.'";
        assert_eq!(
            without_database(text, "db1"),
            "select `t`.`id` AS `id`,'`db1`.x' AS `s` from `t` where `t`.`a` = 'it\\'s `db1`.'"
        );
    }
}
