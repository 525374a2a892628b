//! Views, materialized views, triggers, functions, procedures, aggregates, extensions,
//! domains, composite and range types, sequences, other schemas, row-level security and
//! policies, rules, grants: read with one catalog query (`objects.sql`), created from their
//! definition, dropped by kind and name.
//!
//! The query runs with the search path set to the target schema alone, so the catalog writes
//! the schema's own names unqualified and a definition runs in whatever schema a migration
//! targets (its session's search path is that schema).

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::render::Ddl;
use crate::dialect::sql::{Quote, literal};
use crate::dialect::{DbError, PlanError};
use crate::ops::Operation;
use crate::schema::{Object, ObjectKind};

const Q: Quote = Quote::Double;

const OBJECTS: &str = include_str!("objects.sql");

/// Reads every object of `schema` (one query; the caller's transaction keeps the snapshot).
pub(crate) async fn read(conn: &mut PgConnection, schema: &str) -> Result<Vec<Object>, DbError> {
    sqlx::query("SELECT set_config('search_path', quote_ident($1), true)")
        .bind(schema)
        .execute(&mut *conn)
        .await
        .map_err(DbError::query)?;
    let rows = sqlx::query(OBJECTS)
        .bind(schema)
        .fetch_all(&mut *conn)
        .await
        .map_err(DbError::query)?;
    let quoted_schema: String = sqlx::query_scalar("SELECT quote_ident($1)")
        .bind(schema)
        .fetch_one(&mut *conn)
        .await
        .map_err(DbError::query)?;
    rows.iter().map(|r| object(r, &quoted_schema)).collect()
}

fn object(row: &PgRow, quoted_schema: &str) -> Result<Object, DbError> {
    let get = |c: &str| row.try_get::<Option<String>, _>(c).map_err(DbError::query);
    let kind: ObjectKind = serde_plain_kind(&get("kind")?.unwrap_or_default());
    let name = get("name")?.unwrap_or_default();
    let mut definition = get("definition")?.unwrap_or_default();
    if matches!(kind, ObjectKind::Function | ObjectKind::Procedure) {
        definition = unqualified_header(&definition, quoted_schema);
    }
    let mut o = Object::new(kind, name, definition);
    o.table = get("table_name")?;
    o.comment = get("comment")?;
    Ok(o)
}

/// The kind the query names in snake case.
fn serde_plain_kind(word: &str) -> ObjectKind {
    ObjectKind::ALL
        .into_iter()
        .find(|k| k.words().replace(' ', "_") == word)
        .unwrap_or_default()
}

/// `pg_get_functiondef` writes the function's name with its schema whatever the search path:
/// the definition is made schema-free like the others.
fn unqualified_header(definition: &str, quoted_schema: &str) -> String {
    for head in [
        "CREATE OR REPLACE FUNCTION ",
        "CREATE OR REPLACE PROCEDURE ",
    ] {
        if let Some(rest) = definition.strip_prefix(head)
            && let Some(rest) = rest.strip_prefix(&format!("{quoted_schema}."))
        {
            return format!("{head}{rest}");
        }
    }
    definition.to_string()
}

/// The statements of an object operation.
pub(crate) fn statements(ddl: &Ddl<'_>, op: &Operation) -> Result<Vec<String>, PlanError> {
    Ok(match op {
        Operation::CreateObject(o) => {
            refuse_event(op, o.kind)?;
            let mut out = vec![definition(o)];
            if o.comment.is_some() {
                out.extend(comment(
                    ddl,
                    o.kind,
                    o.table.as_deref(),
                    &o.name,
                    o.comment.as_deref(),
                ));
            }
            out
        }
        Operation::ReplaceObject { object, .. } => {
            refuse_event(op, object.kind)?;
            let mut out = match or_replace(object) {
                Some(sql) => vec![sql],
                None => vec![
                    drop(ddl, object.kind, object.table.as_deref(), &object.name),
                    definition(object),
                ],
            };
            out.push(
                comment(
                    ddl,
                    object.kind,
                    object.table.as_deref(),
                    &object.name,
                    object.comment.as_deref(),
                )
                .unwrap_or_default(),
            );
            out.retain(|s| !s.is_empty());
            out
        }
        Operation::DropObject {
            kind, table, name, ..
        } => {
            refuse_event(op, *kind)?;
            vec![drop(ddl, *kind, table.as_deref(), name)]
        }
        Operation::SetObjectComment {
            kind,
            table,
            name,
            comment: text,
            ..
        } => {
            refuse_event(op, *kind)?;
            comment(ddl, *kind, table.as_deref(), name, text.as_deref())
                .into_iter()
                .collect()
        }
        _ => unreachable!("only object operations are planned here"),
    })
}

fn refuse_event(op: &Operation, kind: ObjectKind) -> Result<(), PlanError> {
    match kind {
        ObjectKind::Event => Err(PlanError::Impossible {
            operation: op.to_string(),
            reason: "PostgreSQL has no scheduled events; keep it for MySQL (op.execute_on)".into(),
        }),
        _ => Ok(()),
    }
}

/// The definition as a statement (several, for an object made in more than one: a disabled
/// trigger, a domain with a NOT VALID check).
fn definition(o: &Object) -> String {
    o.definition
        .trim()
        .trim_end_matches(';')
        .trim_end()
        .to_string()
}

/// The definition with `CREATE OR REPLACE`, for the kinds that have it.
fn or_replace(o: &Object) -> Option<String> {
    let sql = definition(o);
    let upper = sql.to_ascii_uppercase();
    if upper.starts_with("CREATE OR REPLACE ") {
        return Some(sql);
    }
    let words = match o.kind {
        ObjectKind::Function => "CREATE FUNCTION ",
        ObjectKind::Procedure => "CREATE PROCEDURE ",
        ObjectKind::Aggregate => "CREATE AGGREGATE ",
        ObjectKind::View => "CREATE VIEW ",
        ObjectKind::Trigger => "CREATE TRIGGER ",
        ObjectKind::Rule => "CREATE RULE ",
        _ => return None,
    };
    let rest = upper.starts_with(words).then(|| &sql[words.len()..])?;
    Some(format!(
        "CREATE OR REPLACE {}{rest}",
        &words["CREATE ".len()..]
    ))
}

/// A function's name with its argument list (`add(a integer, b integer)`): the name quoted,
/// the arguments as the catalog wrote them.
fn routine(ddl: &Ddl<'_>, name: &str) -> String {
    match name.split_once('(') {
        Some((base, args)) => format!("{}({args}", ddl.name(base)),
        None => format!("{}()", ddl.name(name)),
    }
}

/// `VIEW "public"."v"`, `TRIGGER "t" ON "public"."x"`, `FUNCTION "public"."f"(integer)`: the
/// object as `DROP` and `COMMENT ON` name it, or `None` for the kinds that take no comment.
fn named(ddl: &Ddl<'_>, kind: ObjectKind, table: Option<&str>, name: &str) -> Option<String> {
    let on = || ddl.name(table.unwrap_or_default());
    Some(match kind {
        ObjectKind::Extension => format!("EXTENSION {}", Q.ident(name)),
        ObjectKind::Collation => format!("COLLATION {}", ddl.name(name)),
        ObjectKind::Type => format!("TYPE {}", ddl.name(name)),
        ObjectKind::Domain => format!("DOMAIN {}", ddl.name(name)),
        ObjectKind::Sequence => format!("SEQUENCE {}", ddl.name(name)),
        ObjectKind::Function => format!("FUNCTION {}", routine(ddl, name)),
        ObjectKind::Procedure => format!("PROCEDURE {}", routine(ddl, name)),
        ObjectKind::Aggregate => format!("AGGREGATE {}", routine(ddl, name)),
        ObjectKind::View => format!("VIEW {}", ddl.name(name)),
        ObjectKind::MaterializedView => format!("MATERIALIZED VIEW {}", ddl.name(name)),
        ObjectKind::Index => format!("INDEX {}", ddl.name(name)),
        ObjectKind::Trigger => format!("TRIGGER {} ON {}", Q.ident(name), on()),
        ObjectKind::Rule => format!("RULE {} ON {}", Q.ident(name), on()),
        ObjectKind::Policy => format!("POLICY {} ON {}", Q.ident(name), on()),
        ObjectKind::RowSecurity | ObjectKind::Grant | ObjectKind::Event => return None,
    })
}

fn drop(ddl: &Ddl<'_>, kind: ObjectKind, table: Option<&str>, name: &str) -> String {
    let on = || ddl.name(table.unwrap_or_default());
    match kind {
        ObjectKind::RowSecurity => format!(
            "ALTER TABLE {} DISABLE ROW LEVEL SECURITY;\nALTER TABLE {} NO FORCE ROW LEVEL SECURITY",
            on(),
            on()
        ),
        ObjectKind::Grant => {
            let role = match name {
                "PUBLIC" => "PUBLIC".to_string(),
                role => Q.ident(role),
            };
            format!("REVOKE ALL ON TABLE {} FROM {role}", on())
        }
        _ => format!(
            "DROP {}",
            named(ddl, kind, table, name).expect("every other kind has a name")
        ),
    }
}

/// `COMMENT ON ... IS ...`, for the kinds that take one.
fn comment(
    ddl: &Ddl<'_>,
    kind: ObjectKind,
    table: Option<&str>,
    name: &str,
    text: Option<&str>,
) -> Option<String> {
    let what = named(ddl, kind, table, name)?;
    let value = text.map_or("NULL".to_string(), literal);
    Some(format!("COMMENT ON {what} IS {value}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacements_keep_what_uses_the_object() {
        let f = Object::new(
            ObjectKind::Function,
            "f()",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
        );
        assert_eq!(
            or_replace(&f).unwrap(),
            "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$"
        );
        let d = Object::new(ObjectKind::Domain, "d", "CREATE DOMAIN d AS int");
        assert_eq!(or_replace(&d), None);
    }

    #[test]
    fn drops_name_the_object_by_kind() {
        let ddl = Ddl { schema: "app" };
        assert_eq!(
            drop(
                &ddl,
                ObjectKind::Function,
                None,
                "add(a integer, b integer)"
            ),
            "DROP FUNCTION \"app\".\"add\"(a integer, b integer)"
        );
        assert_eq!(
            drop(&ddl, ObjectKind::Trigger, Some("person"), "stamp"),
            "DROP TRIGGER \"stamp\" ON \"app\".\"person\""
        );
        assert_eq!(
            drop(&ddl, ObjectKind::Grant, Some("person"), "reader"),
            "REVOKE ALL ON TABLE \"app\".\"person\" FROM \"reader\""
        );
        assert_eq!(
            unqualified_header("CREATE OR REPLACE FUNCTION app.f()\n RETURNS int", "app"),
            "CREATE OR REPLACE FUNCTION f()\n RETURNS int"
        );
    }
}
