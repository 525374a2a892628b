//! Reading a MySQL/MariaDB schema into [`Schema`] values: six single-view information_schema
//! queries for the whole schema (joined in Rust: joining the views in SQL is an order of
//! magnitude slower on MariaDB), in one read-only transaction, whatever the number of tables.
//! (MySQL 8's check query joins `TABLE_CONSTRAINTS`: its `CHECK_CONSTRAINTS` has no table
//! name, and its information_schema reads the data dictionary, where a join is cheap.)
//!
//! What the model does not hold but a `MODIFY` or a drop must know comes back as
//! [`TableExtras`]: the indexes that keep foreign keys usable, MariaDB's column-level checks,
//! column collations, `ON UPDATE` clauses and generated columns.
//!
//! Mapping decisions:
//! * The primary key is named by the convention (`pk_<table>`): MySQL calls every one `PRIMARY`.
//! * MySQL keeps a `UNIQUE` constraint as a unique index. A unique index whose name starts with
//!   `ix_` (the convention's index prefix) is read as a unique *index*, any other as a unique
//!   *constraint*: what the differ creates reads back as it was, and a unique key written by
//!   hand reads as the constraint it usually is.
//! * An index named after a foreign key of its table, on exactly its columns, is the index that
//!   keeps the key usable (InnoDB's implicit one, or ours): it is left out of the model and
//!   kept in the extras.
//! * Prefix, expression, `FULLTEXT` and `SPATIAL` indexes are left out: the model cannot hold
//!   them, and leaving them out means they are never dropped.
//! * MariaDB's `JSON` is `LONGTEXT` with a column check `json_valid(col)`: read as `json`,
//!   without that check. Other column-level checks (named after their column) are checks.

use std::collections::BTreeMap;

use sqlx::mysql::{MySqlConnection, MySqlRow};
use sqlx::{Connection, Row};

use super::render::Q;
use super::{Flavor, normal, text, types};
use crate::dialect::DbError;
use crate::schema::{
    Action, Check, Column, ForeignKey, Generated, Index, KeyPart, PrimaryKey, Schema, Table, Type,
    Unique, naming,
};

use super::catalog::{
    CHARSETS, CHECKS_MARIADB, CHECKS_MYSQL, COLUMNS, FOREIGN_KEYS, INDEXES, PARTITIONS, RULES,
    TABLES,
};

/// What a `MODIFY` or a drop must know about a table that the model does not hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableExtras {
    /// Indexes that keep foreign keys usable, named after their key (hidden from the model).
    pub fk_indexes: Vec<Index>,
    /// MariaDB column-level checks: check name → column (dropped by `MODIFY`, kept by it only
    /// when repeated).
    pub column_checks: BTreeMap<String, String>,
}

/// A schema as read, with the extras by table name.
#[derive(Debug, Clone, Default)]
pub struct Introspected {
    /// The tables.
    pub schema: Schema,
    /// Extras by table name.
    pub extras: BTreeMap<String, TableExtras>,
}

struct Found {
    table: Table,
    collation: Option<String>,
    extras: TableExtras,
    /// Index name → the index as read, its parts in order.
    indexes: BTreeMap<String, Index>,
}

/// Reads every base table of the connection's database but those `skip` names; `queries`
/// counts the catalog queries (always six).
pub(crate) async fn introspect(
    conn: &mut MySqlConnection,
    flavor: Flavor,
    skip: &dyn Fn(&str) -> bool,
    queries: &mut u64,
) -> Result<Introspected, DbError> {
    let mut tx = conn
        .begin_with("START TRANSACTION READ ONLY")
        .await
        .map_err(DbError::query)?;
    let mut fetch = async |sql: &'static str| {
        *queries += 1;
        sqlx::query(sql)
            .fetch_all(&mut *tx)
            .await
            .map_err(DbError::query)
    };
    let tables = fetch(TABLES).await?;
    let charsets = fetch(CHARSETS).await?;
    let partitions = fetch(PARTITIONS).await?;
    let columns = fetch(COLUMNS).await?;
    let indexes = fetch(INDEXES).await?;
    let foreign_keys = fetch(FOREIGN_KEYS).await?;
    let rules = fetch(RULES).await?;
    let checks = fetch(match flavor {
        Flavor::MariaDb => CHECKS_MARIADB,
        Flavor::MySql => CHECKS_MYSQL,
    })
    .await?;
    let objects = super::objects::read(&mut tx, queries).await?;
    tx.commit().await.map_err(DbError::query)?;

    let mut found = read_tables(&tables, &charsets, skip)?;
    read_partitions(&partitions, &mut found)?;
    read_columns(&columns, flavor, &mut found)?;
    read_indexes(&indexes, &mut found)?;
    read_foreign_keys(&foreign_keys, &rules, &mut found)?;
    read_checks(&checks, &mut found)?;
    let mut out = Introspected::default();
    for (name, f) in found {
        let (table, extras) = finish(f);
        out.extras.insert(name, extras);
        out.schema.insert(table);
    }
    for o in objects {
        if !o.table.as_deref().is_some_and(skip) {
            out.schema.insert_object(o);
        }
    }
    Ok(out)
}

fn get<T>(row: &MySqlRow, column: &str) -> Result<T, DbError>
where
    T: for<'r> sqlx::Decode<'r, sqlx::MySql> + sqlx::Type<sqlx::MySql>,
{
    row.try_get(column).map_err(DbError::query)
}

fn text_of(row: &MySqlRow, column: &str) -> Result<String, DbError> {
    Ok(get::<Option<String>>(row, column)?.unwrap_or_default())
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

fn read_tables(
    rows: &[MySqlRow],
    charsets: &[MySqlRow],
    skip: &dyn Fn(&str) -> bool,
) -> Result<BTreeMap<String, Found>, DbError> {
    let mut defaults: BTreeMap<String, String> = BTreeMap::new();
    for row in charsets {
        defaults.insert(text_of(row, "collation")?, text_of(row, "charset")?);
    }
    let mut found = BTreeMap::new();
    for row in rows {
        let name = text_of(row, "table_name")?;
        if skip(&name) {
            continue;
        }
        let mut table = crate::schema::table(name.clone());
        table.comment = non_empty(text_of(row, "comment")?);
        let collation: Option<String> = get(row, "table_collation")?;
        table.options = table_options(
            &text_of(row, "engine")?,
            collation.as_deref().unwrap_or_default(),
            &text_of(row, "create_options")?,
            &defaults,
        );
        found.insert(
            name,
            Found {
                table,
                collation,
                extras: TableExtras::default(),
                indexes: BTreeMap::new(),
            },
        );
    }
    Ok(found)
}

/// The options of a table that are not what we create a table with (InnoDB, utf8mb4, the
/// character set's default collation), and the row format and key block size it was given.
fn table_options(
    engine: &str,
    collation: &str,
    create_options: &str,
    default_collations: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if !engine.eq_ignore_ascii_case("InnoDB") && !engine.is_empty() {
        out.insert("engine".to_string(), engine.to_string());
    }
    let charset = collation.split('_').next().unwrap_or_default();
    if !charset.is_empty() && charset != "utf8mb4" {
        out.insert("charset".to_string(), charset.to_string());
    }
    if !collation.is_empty() && !default_collations.contains_key(collation) {
        out.insert("collation".to_string(), collation.to_string());
    }
    for option in create_options.split_whitespace() {
        if let Some((k, v)) = option.split_once('=')
            && ["row_format", "key_block_size"].contains(&k.to_ascii_lowercase().as_str())
        {
            out.insert(k.to_ascii_lowercase(), v.to_string());
        }
    }
    out
}

/// The `partition_by` option of each partitioned table: the clause that partitions it as it
/// is (`RANGE (year(\`d\`)) (PARTITION \`p0\` VALUES LESS THAN (2021), ...)`).
fn read_partitions(rows: &[MySqlRow], found: &mut BTreeMap<String, Found>) -> Result<(), DbError> {
    let mut clauses: BTreeMap<String, (String, String, Vec<String>)> = BTreeMap::new();
    for row in rows {
        let table = text_of(row, "table_name")?;
        let method = text_of(row, "method")?;
        let expression = text_of(row, "expression")?;
        let name = Q.ident(&text_of(row, "partition_name")?);
        let description = text_of(row, "description")?;
        let entry = clauses
            .entry(table)
            .or_insert_with(|| (method.clone(), expression, Vec::new()));
        let bound = match method.as_str() {
            m if m.starts_with("RANGE") && description == "MAXVALUE" => {
                " VALUES LESS THAN MAXVALUE".to_string()
            }
            m if m.starts_with("RANGE") => format!(" VALUES LESS THAN ({description})"),
            m if m.starts_with("LIST") && description == "MAXVALUE" => " DEFAULT".to_string(),
            m if m.starts_with("LIST") => format!(" VALUES IN ({description})"),
            _ => String::new(),
        };
        entry.2.push(format!("PARTITION {name}{bound}"));
    }
    for (table, (method, expression, parts)) in clauses {
        let Some(f) = found.get_mut(&table) else {
            continue;
        };
        let head = match method.as_str() {
            "RANGE COLUMNS" | "LIST COLUMNS" => format!("{method}({expression})"),
            _ => format!("{method} ({expression})"),
        };
        // Hashed partitions named by the server (`p0`, `p1`...) are said by their number,
        // as they were created.
        let hashed = method.ends_with("HASH") || method.ends_with("KEY");
        let numbered = (0..parts.len()).all(|i| parts[i] == format!("PARTITION `p{i}`"));
        let clause = match (hashed && numbered, parts.len()) {
            (true, 1) => head,
            (true, n) => format!("{head} PARTITIONS {n}"),
            (false, _) => format!("{head} ({})", parts.join(", ")),
        };
        f.table.options.insert("partition_by".to_string(), clause);
    }
    Ok(())
}

fn read_columns(
    rows: &[MySqlRow],
    flavor: Flavor,
    found: &mut BTreeMap<String, Found>,
) -> Result<(), DbError> {
    for row in rows {
        // Views' columns are listed too: only base tables were kept.
        let Some(f) = found.get_mut(&text_of(row, "table_name")?) else {
            continue;
        };
        let name = text_of(row, "column_name")?;
        let ty = types::parse(&text_of(row, "column_type")?);
        let extra = text_of(row, "extra")?;
        let lower_extra = extra.to_ascii_lowercase();
        let raw_default: Option<String> = get(row, "column_default")?;
        let generated =
            lower_extra.contains("generated") && !lower_extra.contains("default_generated");
        let column = Column {
            name: name.clone(),
            default: if generated {
                None
            } else {
                normal::from_catalog(flavor, raw_default.as_deref(), &extra, &ty)
            },
            ty,
            nullable: text_of(row, "is_nullable")? == "YES",
            autoincrement: lower_extra.contains("auto_increment"),
            comment: non_empty(text_of(row, "comment")?),
            renamed_from: None,
            backfill: None,
            numbering: None,
            on_update: lower_extra
                .find("on update ")
                .map(|at| extra[at + "on update ".len()..].trim().to_string()),
            generated: generated.then(|| Generated {
                expr: text::to_neutral(&text_of(row, "generation_expr").unwrap_or_default()),
                stored: lower_extra.contains("stored"),
            }),
            collation: get::<Option<String>>(row, "collation")?
                .filter(|c| Some(c) != f.collation.as_ref()),
        };
        f.table.columns.push(column);
    }
    Ok(())
}

fn read_indexes(rows: &[MySqlRow], found: &mut BTreeMap<String, Found>) -> Result<(), DbError> {
    for row in rows {
        let Some(f) = found.get_mut(&text_of(row, "table_name")?) else {
            continue;
        };
        let name = text_of(row, "index_name")?;
        let unique = get::<Option<i64>>(row, "non_unique")? == Some(0);
        let kind = text_of(row, "index_type")?;
        let comment = non_empty(text_of(row, "index_comment")?);
        let index = f.indexes.entry(name.clone()).or_insert_with(|| {
            let mut ix = crate::schema::index(name, Vec::<KeyPart>::new());
            ix.unique = unique;
            ix.comment = comment;
            ix.method = match kind.as_str() {
                "FULLTEXT" => Some("fulltext".into()),
                "SPATIAL" => Some("spatial".into()),
                _ => None,
            };
            ix
        });
        let column: Option<String> = get(row, "column_name")?;
        let mut part = crate::schema::key_column(column.unwrap_or_default());
        // A spatial index reports a prefix it cannot be given.
        part.length = get::<Option<i64>>(row, "sub_part")?
            .filter(|_| index.method.is_none())
            .and_then(|n| u32::try_from(n).ok());
        part.desc = text_of(row, "part_order")? == "D";
        index.columns.push(part);
    }
    Ok(())
}

fn read_foreign_keys(
    pairs: &[MySqlRow],
    rules: &[MySqlRow],
    found: &mut BTreeMap<String, Found>,
) -> Result<(), DbError> {
    let mut actions: BTreeMap<(String, String), (Action, Action)> = BTreeMap::new();
    for row in rules {
        let key = (
            text_of(row, "table_name")?,
            text_of(row, "constraint_name")?,
        );
        let on_delete = Action::from_sql(&text_of(row, "on_delete")?).unwrap_or_default();
        let on_update = Action::from_sql(&text_of(row, "on_update")?).unwrap_or_default();
        actions.insert(key, (on_delete, on_update));
    }
    for row in pairs {
        let table = text_of(row, "table_name")?;
        let Some(f) = found.get_mut(&table) else {
            continue;
        };
        let name = text_of(row, "constraint_name")?;
        let column = text_of(row, "column_name")?;
        let ref_column = text_of(row, "ref_column")?;
        match f.table.foreign_keys.iter_mut().find(|k| k.name == name) {
            Some(fk) => {
                fk.columns.push(column);
                fk.ref_columns.push(ref_column);
            }
            None => {
                let (on_delete, on_update) = actions
                    .get(&(table.clone(), name.clone()))
                    .copied()
                    .unwrap_or_default();
                f.table.foreign_keys.push(ForeignKey {
                    name,
                    columns: vec![column],
                    ref_table: text_of(row, "ref_table")?,
                    ref_columns: vec![ref_column],
                    on_delete,
                    on_update,
                    options: Default::default(),
                });
            }
        }
    }
    Ok(())
}

fn read_checks(rows: &[MySqlRow], found: &mut BTreeMap<String, Found>) -> Result<(), DbError> {
    for row in rows {
        let Some(f) = found.get_mut(&text_of(row, "table_name")?) else {
            continue;
        };
        let name = text_of(row, "constraint_name")?;
        let expr = text::to_neutral(&text_of(row, "check_clause")?);
        let column_level = text_of(row, "level")?.eq_ignore_ascii_case("column");
        if column_level
            && let Some(column) = f
                .table
                .columns
                .iter_mut()
                .find(|c| c.name.eq_ignore_ascii_case(&name))
        {
            let json_check = format!("json_valid({})", text::neutral_ident(&column.name));
            if column.ty == Type::Text && normal::check(&expr) == normal::check(&json_check) {
                // MariaDB's JSON: the check comes with the type.
                column.ty = Type::Json;
                column.collation = None;
                continue;
            }
            f.extras
                .column_checks
                .insert(name.clone(), column.name.clone());
        }
        f.table.checks.push(Check {
            name,
            expr,
            options: Default::default(),
        });
    }
    Ok(())
}

/// Sorts the indexes into primary key, uniques, indexes and foreign-key indexes.
fn finish(mut f: Found) -> (Table, TableExtras) {
    let table_name = f.table.name.clone();
    for (name, index) in std::mem::take(&mut f.indexes) {
        let unique = index.unique;
        let Some(columns) = index
            .plain_columns()
            .map(|c| c.into_iter().map(str::to_string).collect::<Vec<_>>())
        else {
            f.table.indexes.push(index);
            continue;
        };
        if name == "PRIMARY" {
            f.table.primary_key = Some(PrimaryKey {
                name: naming::primary_key(&table_name),
                columns,
                options: Default::default(),
            });
        } else if !unique
            && f.table
                .foreign_keys
                .iter()
                .any(|k| k.name == name && k.columns == columns)
        {
            f.extras
                .fk_indexes
                .push(crate::schema::index(name, columns));
        } else if unique && !name.starts_with("ix_") {
            f.table.uniques.push(Unique {
                name,
                columns,
                options: Default::default(),
            });
        } else {
            let ix = crate::schema::index(name, columns);
            f.table.indexes.push(if unique { ix.unique() } else { ix });
        }
    }
    f.table.sort_constraints();
    (f.table, f.extras)
}
