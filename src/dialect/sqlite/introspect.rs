//! Reading a SQLite database into [`Schema`] values: four pragma queries over every table at
//! once (no per-table round trips), plus the parsed `CREATE TABLE` text for what pragmas omit.

use std::collections::BTreeMap;

use sqlx::{Row, SqliteConnection};

use super::{text, types};
use crate::dialect::DbError;
use crate::schema::{
    Action, Check, Column, ForeignKey, Generated, Object, ObjectKind, PrimaryKey, Schema, Table,
    Type, Unique, naming,
};

use super::catalog::{COLUMNS, FOREIGN_KEYS, INDEXES, TABLES};

/// What a rebuild must carry over that the schema model does not hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableExtras {
    /// The triggers on the table (a rebuild drops them with the old table).
    pub triggers: Vec<Object>,
    /// `CREATE INDEX` statements of expression or partial indexes.
    pub opaque_indexes: Vec<String>,
    /// Each index as SQLite stores its statement, with the index read from it: a rebuild
    /// makes an unchanged index again with the words it was made with.
    pub index_sql: Vec<(crate::schema::Index, String)>,
    /// Why the table cannot be rebuilt faithfully, if it cannot.
    pub unsupported: Option<String>,
}

/// A database as read: the schema and, per table, what only a rebuild needs.
#[derive(Debug, Clone, Default)]
pub struct Introspected {
    /// The tables.
    pub schema: Schema,
    /// Extras by table name.
    pub extras: BTreeMap<String, TableExtras>,
}

/// One index as the pragmas list it.
struct FoundIndex {
    unique: bool,
    /// `c` (CREATE INDEX), `u` (UNIQUE constraint) or `pk`.
    origin: String,
    /// An expression or partial index, which the schema model does not hold.
    opaque: bool,
    columns: Vec<String>,
    sql: Option<String>,
}

struct Raw {
    table: Table,
    extras: TableExtras,
    ddl: Option<text::TableDdl>,
    pk: Vec<(i64, String)>,
}

/// Reads every table, or only `only`. Tables named in `skip` (the version table) are left out.
/// Adds the catalog queries it runs to `queries`: five whatever the number of tables, and one
/// more per parent table a foreign key names that is not read (another table's when `only`).
pub(crate) async fn introspect(
    conn: &mut SqliteConnection,
    only: Option<&str>,
    skip: &[&str],
    queries: &mut u64,
) -> Result<Introspected, DbError> {
    let mut raw: BTreeMap<String, Raw> = BTreeMap::new();
    *queries += 1;
    for row in sqlx::query(TABLES)
        .bind(only)
        .fetch_all(&mut *conn)
        .await
        .map_err(DbError::query)?
    {
        let name: String = row.try_get("table_name").map_err(DbError::query)?;
        if skip.contains(&name.as_str()) {
            continue;
        }
        let create_sql: String = row
            .try_get::<Option<String>, _>("create_sql")
            .map_err(DbError::query)?
            .unwrap_or_default();
        let ddl = text::parse(&create_sql);
        let mut extras = TableExtras::default();
        if ddl.is_none() {
            extras.unsupported = Some("its CREATE TABLE statement could not be read".into());
        }
        let mut table = crate::schema::table(name.clone());
        table.options = table_options(&create_sql);
        raw.insert(
            name,
            Raw {
                table,
                extras,
                ddl,
                pk: Vec::new(),
            },
        );
    }
    read_columns(conn, only, &mut raw, queries).await?;
    read_indexes(conn, only, &mut raw, queries).await?;
    read_foreign_keys(conn, only, &mut raw, queries).await?;
    *queries += 1;
    let objects = super::objects::introspect(conn, only).await?;
    for trigger in objects.iter().filter(|o| o.kind == ObjectKind::Trigger) {
        if let Some(r) = trigger.table.as_ref().and_then(|t| raw.get_mut(t)) {
            r.extras.triggers.push(trigger.clone());
        }
    }
    let mut out = Introspected::default();
    for (name, r) in raw {
        let (table, extras) = finish(r);
        out.extras.insert(name, extras);
        out.schema.insert(table);
    }
    super::objects::insert(&mut out.schema, objects);
    Ok(out)
}

/// `STRICT` and `WITHOUT ROWID`, written after the column list.
fn table_options(create_sql: &str) -> std::collections::BTreeMap<String, String> {
    let tail = create_sql
        .rfind(')')
        .map(|i| create_sql[i + 1..].to_ascii_uppercase())
        .unwrap_or_default();
    let words: Vec<&str> = tail
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = std::collections::BTreeMap::new();
    if words.contains(&"STRICT") {
        out.insert("strict".to_string(), "true".to_string());
    }
    if words.windows(2).any(|w| w == ["WITHOUT", "ROWID"]) {
        out.insert("without_rowid".to_string(), "true".to_string());
    }
    out
}

async fn read_columns(
    conn: &mut SqliteConnection,
    only: Option<&str>,
    raw: &mut BTreeMap<String, Raw>,
    queries: &mut u64,
) -> Result<(), DbError> {
    *queries += 1;
    for row in sqlx::query(COLUMNS)
        .bind(only)
        .fetch_all(&mut *conn)
        .await
        .map_err(DbError::query)?
    {
        let table: String = row.try_get("table_name").map_err(DbError::query)?;
        let Some(r) = raw.get_mut(&table) else {
            continue;
        };
        let hidden: i64 = row.try_get("hidden").map_err(DbError::query)?;
        let name: String = row.try_get("column_name").map_err(DbError::query)?;
        // 1: a virtual table's hidden column; 2 and 3: generated (their expression is in the
        // table's text, read by `finish`).
        if hidden == 1 {
            continue;
        }
        let declared: String = row.try_get("declared_type").map_err(DbError::query)?;
        let not_null: i64 = row.try_get("not_null").map_err(DbError::query)?;
        let default: Option<String> = row.try_get("default_sql").map_err(DbError::query)?;
        let pk: i64 = row.try_get("pk_position").map_err(DbError::query)?;
        if pk > 0 {
            r.pk.push((pk, name.clone()));
        }
        r.table.columns.push(Column {
            name,
            ty: types::declared(&declared),
            nullable: not_null == 0,
            default,
            autoincrement: false,
            comment: None,
            renamed_from: None,
            backfill: None,
            numbering: None,
            on_update: None,
            generated: None,
            collation: None,
        });
    }
    Ok(())
}

async fn read_indexes(
    conn: &mut SqliteConnection,
    only: Option<&str>,
    raw: &mut BTreeMap<String, Raw>,
    queries: &mut u64,
) -> Result<(), DbError> {
    *queries += 1;
    let mut found: BTreeMap<(String, String), FoundIndex> = BTreeMap::new();
    for row in sqlx::query(INDEXES)
        .bind(only)
        .fetch_all(&mut *conn)
        .await
        .map_err(DbError::query)?
    {
        let table: String = row.try_get("table_name").map_err(DbError::query)?;
        let index: String = row.try_get("index_name").map_err(DbError::query)?;
        let unique: i64 = row.try_get("is_unique").map_err(DbError::query)?;
        let origin: String = row.try_get("origin").map_err(DbError::query)?;
        let partial: i64 = row.try_get("partial").map_err(DbError::query)?;
        let cid: i64 = row.try_get("cid").map_err(DbError::query)?;
        let column: Option<String> = row.try_get("column_name").map_err(DbError::query)?;
        let sql: Option<String> = row.try_get("index_sql").map_err(DbError::query)?;
        let entry = found.entry((table, index)).or_insert_with(|| FoundIndex {
            unique: unique != 0,
            origin,
            opaque: partial != 0,
            columns: Vec::new(),
            sql,
        });
        entry.opaque |= cid == -2;
        entry.columns.push(column.unwrap_or_default());
    }
    for ((table, name), found) in found {
        let Some(r) = raw.get_mut(&table) else {
            continue;
        };
        let FoundIndex {
            unique,
            origin,
            opaque,
            columns,
            sql,
        } = found;
        match origin.as_str() {
            "pk" => {}
            "u" => r.table.uniques.push(Unique {
                name,
                columns,
                options: Default::default(),
            }),
            // Expressions, collations, order and predicates are only in the statement.
            _ if opaque || sql.is_some() => {
                match sql.as_deref().and_then(|sql| text::parse_index(&name, sql)) {
                    Some(ix) => {
                        r.extras
                            .index_sql
                            .push((ix.clone(), sql.unwrap_or_default()));
                        r.table.indexes.push(ix);
                    }
                    None => r.extras.opaque_indexes.extend(sql),
                }
            }
            _ => {
                let ix = crate::schema::index(name, columns);
                r.table.indexes.push(if unique { ix.unique() } else { ix });
            }
        }
    }
    Ok(())
}

async fn read_foreign_keys(
    conn: &mut SqliteConnection,
    only: Option<&str>,
    raw: &mut BTreeMap<String, Raw>,
    queries: &mut u64,
) -> Result<(), DbError> {
    *queries += 1;
    let mut found: BTreeMap<(String, i64), ForeignKey> = BTreeMap::new();
    for row in sqlx::query(FOREIGN_KEYS)
        .bind(only)
        .fetch_all(&mut *conn)
        .await
        .map_err(DbError::query)?
    {
        let table: String = row.try_get("table_name").map_err(DbError::query)?;
        let id: i64 = row.try_get("fk_id").map_err(DbError::query)?;
        let ref_table: String = row.try_get("ref_table").map_err(DbError::query)?;
        let column: String = row.try_get("column_name").map_err(DbError::query)?;
        let ref_column: Option<String> = row.try_get("ref_column").map_err(DbError::query)?;
        let on_update: String = row.try_get("on_update").map_err(DbError::query)?;
        let on_delete: String = row.try_get("on_delete").map_err(DbError::query)?;
        let fk = found.entry((table, id)).or_insert_with(|| ForeignKey {
            name: String::new(),
            columns: Vec::new(),
            ref_table,
            ref_columns: Vec::new(),
            on_delete: Action::from_sql(&on_delete).unwrap_or_default(),
            on_update: Action::from_sql(&on_update).unwrap_or_default(),
            options: Default::default(),
        });
        fk.columns.push(column);
        fk.ref_columns.extend(ref_column);
    }
    for ((table, _), mut fk) in found {
        if fk.ref_columns.is_empty() {
            // `REFERENCES parent` without columns means the parent's primary key.
            fk.ref_columns = parent_key(conn, raw, &fk.ref_table, queries).await?;
        }
        if let Some(r) = raw.get_mut(&table) {
            r.table.foreign_keys.push(fk);
        }
    }
    Ok(())
}

async fn parent_key(
    conn: &mut SqliteConnection,
    raw: &BTreeMap<String, Raw>,
    parent: &str,
    queries: &mut u64,
) -> Result<Vec<String>, DbError> {
    if let Some(r) = raw.get(parent) {
        let mut pk = r.pk.clone();
        pk.sort();
        return Ok(pk.into_iter().map(|(_, c)| c).collect());
    }
    *queries += 1;
    let rows = sqlx::query("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")
        .bind(parent)
        .fetch_all(&mut *conn)
        .await
        .map_err(DbError::query)?;
    rows.iter()
        .map(|r| r.try_get("name").map_err(DbError::query))
        .collect()
}

/// The enum a check `en_<column>_<type> CHECK (<column> IN ('a', ...))` on a TEXT column
/// stands for (see `render::column_def`).
fn enum_check(table: &Table, name: &str, expr: &str) -> Option<(String, Type)> {
    use sqlparser::ast::{Expr, InTarget, Value};
    let Some(Expr::In {
        expr: subject,
        target: InTarget::List(list),
        negated: false,
        ..
    }) = crate::dialect::expr::parse(&sqlparser::dialect::SQLiteDialect {}, expr)
    else {
        return None;
    };
    let Expr::Identifier(ident) = *subject else {
        return None;
    };
    let column = table
        .column_named(&ident.value)
        .filter(|c| c.ty == Type::Text)?;
    let enum_name = name.strip_prefix(&format!("en_{}_", column.name))?;
    let values = list
        .iter()
        .map(|item| match item {
            Expr::Value(v) => match &v.value {
                Value::SingleQuotedString(s) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some((
        column.name.clone(),
        Type::Enum {
            name: enum_name.to_string(),
            values,
        },
    ))
}

/// Fills in names, checks and AUTOINCREMENT from the parsed DDL; unnamed objects get the
/// convention's name (SQLite keeps no name for them, so nothing depends on one).
fn finish(mut r: Raw) -> (Table, TableExtras) {
    let t = &mut r.table;
    let ddl = r.ddl.unwrap_or_default();
    r.pk.sort();
    if !r.pk.is_empty() {
        let columns: Vec<String> = r.pk.into_iter().map(|(_, c)| c).collect();
        let name = ddl
            .primary_key_name
            .clone()
            .unwrap_or_else(|| naming::primary_key(&t.name));
        t.primary_key = Some(PrimaryKey {
            name,
            columns,
            options: Default::default(),
        });
    }
    if let Some(auto) = &ddl.autoincrement
        && let Some(c) = t.column_named_mut(auto)
    {
        c.autoincrement = true;
    }
    let mut named_uniques = ddl.uniques.clone();
    for u in &mut t.uniques {
        let found = named_uniques
            .iter()
            .position(|(_, cols)| *cols == u.columns);
        let given = found.and_then(|i| named_uniques.remove(i).0);
        u.name = given.unwrap_or_else(|| naming::unique(&t.name, &u.columns));
    }
    let mut named_fks = ddl.foreign_keys.clone();
    for fk in &mut t.foreign_keys {
        let found = named_fks
            .iter()
            .position(|d| d.columns == fk.columns && d.ref_table == fk.ref_table);
        let (given, deferral) = match found.map(|i| named_fks.remove(i)) {
            Some(declared) => (declared.name, declared.deferral),
            None => (None, None),
        };
        fk.options.deferrable = deferral;
        fk.name = given.unwrap_or_else(|| naming::foreign_key(&t.name, &fk.columns, &fk.ref_table));
    }
    let mut unnamed = 0;
    for (name, expr) in ddl.checks {
        if let Some((column, ty)) = name.as_deref().and_then(|n| enum_check(t, n, &expr)) {
            t.column_named_mut(&column).expect("found in the table").ty = ty;
            continue;
        }
        let name = name.unwrap_or_else(|| {
            unnamed += 1;
            naming::check(&t.name, &unnamed.to_string())
        });
        t.checks.push(Check {
            name,
            expr,
            options: Default::default(),
        });
    }
    for (column, expr, stored) in &ddl.generated {
        if let Some(c) = t.column_named_mut(column) {
            c.generated = Some(Generated {
                expr: expr.clone(),
                stored: *stored,
            });
        }
    }
    for (column, collation) in &ddl.collations {
        if let Some(c) = t.column_named_mut(column) {
            c.collation = Some(collation.clone());
        }
    }
    t.sort_constraints();
    (r.table, r.extras)
}
