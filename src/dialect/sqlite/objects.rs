//! Views and triggers, the objects SQLite has besides tables: read from `sqlite_master`,
//! where SQLite keeps each statement as it was written after the object's name, created from
//! their definition and dropped by name.

use sqlx::{Row, SqliteConnection};

use super::Q;
use crate::dialect::{DbError, PlanError};
use crate::ops::Operation;
use crate::schema::{Object, ObjectKind, Schema};

const OBJECTS: &str = "SELECT type, name, tbl_name, sql FROM sqlite_master \
     WHERE type IN ('view', 'trigger') AND sql IS NOT NULL \
     AND (?1 IS NULL OR (type = 'trigger' AND tbl_name = ?1)) ORDER BY type, name";

/// Reads every view and trigger into `schema`, or only the triggers of `only`.
pub(crate) async fn introspect(
    conn: &mut SqliteConnection,
    only: Option<&str>,
) -> Result<Vec<Object>, DbError> {
    let rows = sqlx::query(OBJECTS)
        .bind(only)
        .fetch_all(&mut *conn)
        .await
        .map_err(DbError::query)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let kind: String = row.try_get("type").map_err(DbError::query)?;
        let name: String = row.try_get("name").map_err(DbError::query)?;
        let table: String = row.try_get("tbl_name").map_err(DbError::query)?;
        let sql: String = row.try_get("sql").map_err(DbError::query)?;
        out.push(match kind.as_str() {
            "view" => Object::new(ObjectKind::View, name, sql),
            _ => Object::new(ObjectKind::Trigger, name, sql).on(table),
        });
    }
    Ok(out)
}

/// Puts `objects` into `schema`.
pub(crate) fn insert(schema: &mut Schema, objects: Vec<Object>) {
    for o in objects {
        schema.insert_object(o);
    }
}

/// The statements of an object operation. SQLite has no `CREATE OR REPLACE` (a replacement
/// drops and creates) and stores no comments.
pub(crate) fn statements(op: &Operation) -> Result<Vec<String>, PlanError> {
    let Some((kind, _, name)) = op.object() else {
        unreachable!("only object operations are planned here")
    };
    if !matches!(kind, ObjectKind::View | ObjectKind::Trigger) {
        return Err(PlanError::Impossible {
            operation: op.to_string(),
            reason: format!(
                "SQLite has no {}s; keep this object in a revision for the servers (op.execute_on)",
                kind.words()
            ),
        });
    }
    Ok(match op {
        Operation::CreateObject(o) => vec![definition(o)],
        Operation::ReplaceObject { object, .. } => vec![drop(kind, name), definition(object)],
        Operation::DropObject { .. } => vec![drop(kind, name)],
        Operation::SetObjectComment { .. } => Vec::new(),
        _ => unreachable!("only object operations are planned here"),
    })
}

/// The definition as a statement of its own: a trailing line comment must not swallow the `;`
/// a script puts after it.
pub(crate) fn definition(o: &Object) -> String {
    let sql = o.definition.trim_end().trim_end_matches(';').trim_end();
    match sql.lines().last() {
        Some(last) if last.contains("--") => format!("{sql}\n"),
        _ => sql.to_string(),
    }
}

fn drop(kind: ObjectKind, name: &str) -> String {
    let word = match kind {
        ObjectKind::View => "VIEW",
        _ => "TRIGGER",
    };
    format!("DROP {word} {}", Q.ident(name))
}
