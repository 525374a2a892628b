//! Reading a PostgreSQL schema into [`Schema`] values with five catalog queries, whatever the
//! number of tables (tables, columns, constraints, indexes, enum types), grouped in Rust.
//!
//! The queries run in one snapshot with `search_path` empty, so that every `pg_get_*` and
//! `format_type` output qualifies non-catalog names the same way; the qualification of the
//! target schema and of `public` (both on the migration connection's search path) is then
//! removed. What the model cannot hold is kept aside in [`TableExtras`], out of the model, so
//! that the differ never drops it: expression, partial and other non-plain indexes, exclusion
//! constraints, foreign keys to other schemas.

use std::collections::BTreeMap;

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::{text, types};
use crate::dialect::sql::Quote;

const Q: Quote = Quote::Double;
use crate::dialect::DbError;
use crate::schema::{
    Action, Check, Column, ConstraintOptions, Deferral, Exclusion, ForeignKey, Generated, KeyPart,
    Numbering, NumberingKind, PrimaryKey, Schema, Table, Type, Unique,
};

use super::catalog::{COLUMNS, CONSTRAINTS, ENUMS, INDEXES, INDEXES_PG14, TABLES};

/// An index or constraint the model cannot hold, kept with the statement that recreates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opaque {
    /// Its name.
    pub name: String,
    /// `CREATE INDEX ...` (indexes) or the constraint's definition (`EXCLUDE USING ...`).
    pub definition: String,
}

/// What a table holds beyond the model.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableExtras {
    /// Expression, partial, non-btree, descending, covering indexes (and unique ones of these
    /// kinds): not in [`Table::indexes`], never dropped by a diff.
    pub opaque_indexes: Vec<Opaque>,
    /// Exclusion constraints and foreign keys to tables of other schemas.
    pub opaque_constraints: Vec<Opaque>,
    /// `serial` columns and their owned sequence (`schema.name`, quoted as needed): the model
    /// calls them autoincrement like identity columns, but they are turned off differently.
    pub serial: BTreeMap<String, (String, String)>,
    /// Whether the table is a partitioned table (its partitions are not listed).
    pub partitioned: bool,
}

/// A schema as read: tables, what the model cannot hold, and the enum types.
#[derive(Debug, Clone, Default)]
pub struct Introspected {
    /// The tables.
    pub schema: Schema,
    /// Extras by table name.
    pub extras: BTreeMap<String, TableExtras>,
    /// Every enum type of the schema (used by a column or not), labels in order.
    pub enums: BTreeMap<String, Vec<String>>,
}

fn get<'r, T>(row: &'r PgRow, column: &str) -> Result<T, DbError>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(column).map_err(DbError::query)
}

/// One read in progress: the tables by oid.
struct Reader<'a> {
    schema: &'a str,
    names: BTreeMap<i64, String>,
    tables: BTreeMap<String, Table>,
    extras: BTreeMap<String, TableExtras>,
    enums: BTreeMap<String, Vec<String>>,
}

impl Reader<'_> {
    fn table_name(&self, oid: i64) -> String {
        self.names.get(&oid).cloned().unwrap_or_default()
    }

    fn table(&mut self, oid: i64) -> Option<(&mut Table, &mut TableExtras)> {
        let name = self.names.get(&oid)?;
        let table = self.tables.get_mut(name)?;
        let extras = self.extras.entry(name.clone()).or_default();
        Some((table, extras))
    }

    /// Catalog text without the qualification of the schemas on our search path.
    fn local(&self, text: &str) -> String {
        text::unqualify(text, &[self.schema, "public"])
    }
}

/// Reads the tables of `schema` but those in `skip`, on a connection already inside a
/// transaction (a migration's, or the read-only snapshot [`PgDb`](super::PgDb) opens).
/// `queries` counts the catalog queries (always five).
pub(crate) async fn read(
    conn: &mut PgConnection,
    schema: &str,
    skip: &[&str],
    queries: &mut u64,
) -> Result<Introspected, DbError> {
    let (saved, version): (String, i32) = sqlx::query_as(
        "SELECT current_setting('search_path'), current_setting('server_version_num')::int4",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(DbError::query)?;
    // Empty: every pg_get_* output qualifies names the same way (see the module docs). JIT
    // compilation costs more than these queries save.
    sqlx::query("SELECT set_config('search_path', '', true), set_config('jit', 'off', true)")
        .execute(&mut *conn)
        .await
        .map_err(DbError::query)?;
    // A failure aborts the transaction: nothing to set back then.
    let indexes = if version >= 150_000 {
        INDEXES
    } else {
        INDEXES_PG14
    };
    let rows = fetch(conn, schema, indexes, queries).await?;
    *queries += 1;
    let objects = super::objects::read(conn, schema).await?;
    // Set back before anything else: in a migration, the statements that follow need it.
    sqlx::query("SELECT set_config('search_path', $1, true)")
        .bind(saved)
        .execute(&mut *conn)
        .await
        .map_err(DbError::query)?;
    let mut found = assemble(schema, skip, &rows)?;
    for o in objects {
        let skipped = o.table.as_deref().is_some_and(|t| skip.contains(&t));
        if !skipped {
            found.schema.insert_object(o);
        }
    }
    Ok(found)
}

/// The five catalog queries, in the order [`assemble`] reads them.
async fn fetch(
    conn: &mut PgConnection,
    schema: &str,
    indexes: &'static str,
    queries: &mut u64,
) -> Result<Vec<Vec<PgRow>>, DbError> {
    let schemas = vec![schema.to_string()];
    let mut out = Vec::new();
    for sql in [TABLES, ENUMS, COLUMNS, CONSTRAINTS, indexes] {
        *queries += 1;
        let rows = sqlx::query(sql)
            .bind(&schemas)
            .fetch_all(&mut *conn)
            .await
            .map_err(DbError::query)?;
        out.push(rows);
    }
    Ok(out)
}

fn assemble(schema: &str, skip: &[&str], rows: &[Vec<PgRow>]) -> Result<Introspected, DbError> {
    let [tables, enums, columns, constraints, indexes] = rows else {
        unreachable!("fetch returns five row sets");
    };
    let mut reader = Reader {
        schema,
        names: BTreeMap::new(),
        tables: BTreeMap::new(),
        extras: BTreeMap::new(),
        enums: BTreeMap::new(),
    };
    read_tables(&mut reader, tables, skip)?;
    for row in enums {
        let labels = get(row, "labels")?;
        reader.enums.insert(get(row, "enum_name")?, labels);
    }
    for row in columns {
        read_column(&mut reader, row)?;
    }
    for row in constraints {
        read_constraint(&mut reader, row)?;
    }
    for row in indexes {
        read_index(&mut reader, row)?;
    }
    let mut out = Introspected {
        enums: reader.enums,
        extras: reader.extras,
        ..Introspected::default()
    };
    for (_, mut table) in reader.tables {
        table.sort_constraints();
        out.schema.insert(table);
    }
    Ok(out)
}

fn read_tables(reader: &mut Reader<'_>, rows: &[PgRow], skip: &[&str]) -> Result<(), DbError> {
    for row in rows {
        let name: String = get(row, "table_name")?;
        if skip.contains(&name.as_str()) {
            continue;
        }
        let mut table = crate::schema::table(name.clone());
        table.comment = get(row, "comment")?;
        let parents: Vec<String> = get(row, "parents")?;
        match get::<Option<String>>(row, "partition_bound")? {
            Some(bound) => {
                let parent = parents.first().cloned().unwrap_or_default();
                table.options.insert("partition_of".into(), parent);
                table.options.insert("partition_bound".into(), bound);
            }
            None if !parents.is_empty() => {
                table.options.insert("inherits".into(), parents.join(", "));
            }
            None => {}
        }
        if let Some(by) = get::<Option<String>>(row, "partition_by")? {
            table.options.insert("partition_by".into(), by);
        }
        if get::<bool>(row, "unlogged")? {
            table.options.insert("unlogged".into(), "true".into());
        }
        for option in get::<Vec<String>>(row, "reloptions")? {
            if let Some((k, v)) = option.split_once('=') {
                table.options.insert(k.to_string(), v.to_string());
            }
        }
        let extras = TableExtras {
            partitioned: get::<String>(row, "kind")? == "p",
            ..TableExtras::default()
        };
        reader.names.insert(get(row, "table_oid")?, name.clone());
        reader.extras.insert(name.clone(), extras);
        reader.tables.insert(name, table);
    }
    Ok(())
}

fn read_column(reader: &mut Reader<'_>, row: &PgRow) -> Result<(), DbError> {
    let ty = column_type(reader, row)?;
    let default: Option<String> = get::<Option<String>>(row, "default_expr")?;
    let default = default.map(|d| reader.local(&d));
    let name: String = get(row, "column_name")?;
    let identity: String = get(row, "identity")?;
    let generated = !get::<String>(row, "generated")?.is_empty();
    let sequence: Option<(String, String)> = match (
        get::<Option<String>>(row, "seq_schema")?,
        get(row, "seq_name")?,
    ) {
        (Some(schema), Some(name)) => Some((schema, name)),
        _ => None,
    };
    let seq_dep: Option<String> = get(row, "seq_dep")?;
    // serial: a sequence the column owns (dependency 'a') that its default calls. A sequence
    // the default calls without the column owning it is a default and an object of its own.
    let calls_sequence = default
        .as_deref()
        .is_some_and(|d| d.starts_with("nextval("));
    let serial = calls_sequence && seq_dep.as_deref() == Some("a");
    let kind = match identity.as_str() {
        "a" => Some(NumberingKind::Always),
        "d" => Some(NumberingKind::ByDefault),
        _ if serial => Some(NumberingKind::Serial),
        _ => None,
    };
    let numbering = match kind {
        Some(kind) => Some(Numbering {
            kind,
            options: sequence_options(
                row,
                &reader.table_name(get(row, "table_oid")?),
                &name,
                &ty,
                kind,
            )?,
        }),
        None => None,
    };
    let column = Column {
        name: name.clone(),
        ty,
        nullable: !get::<bool>(row, "not_null")?,
        default: default.clone().filter(|_| !serial && !generated),
        autoincrement: kind.is_some(),
        comment: get(row, "comment")?,
        renamed_from: None,
        backfill: None,
        numbering,
        on_update: None,
        generated: None,
        collation: get(row, "collation")?,
    };
    let mut column = column;
    if generated {
        column.generated = default.clone().map(|expr| Generated { expr, stored: true });
    }
    let oid: i64 = get(row, "table_oid")?;
    let Some((table, extras)) = reader.table(oid) else {
        return Ok(());
    };
    if serial && let Some(sequence) = sequence {
        extras.serial.insert(name.clone(), sequence);
    }
    table.columns.push(column);
    Ok(())
}

/// The options of a numbered column's sequence that are not the defaults, as SQL (`START WITH
/// -200 INCREMENT BY 10`), with its name when it is not the one PostgreSQL would give.
fn sequence_options(
    row: &PgRow,
    table: &str,
    column: &str,
    ty: &Type,
    kind: NumberingKind,
) -> Result<Option<String>, DbError> {
    let Some(seq_type) = get::<Option<String>>(row, "seq_type")? else {
        return Ok(None);
    };
    let name: Option<String> = get(row, "seq_name")?;
    let increment: i64 = get(row, "seq_increment")?;
    let (start, min, max): (i64, i64, i64) = (
        get(row, "seq_start")?,
        get(row, "seq_min")?,
        get(row, "seq_max")?,
    );
    let (cache, cycle): (i64, bool) = (get(row, "seq_cache")?, get(row, "seq_cycle")?);
    let (type_min, type_max) = match seq_type.as_str() {
        "smallint" => (i64::from(i16::MIN), i64::from(i16::MAX)),
        "integer" => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    };
    let (default_min, default_max) = match increment > 0 {
        true => (1, type_max),
        false => (type_min, -1),
    };
    let default_start = if increment > 0 { min } else { max };
    let mut out = Vec::new();
    if types::render(&types::normal(ty), "").to_lowercase() != seq_type {
        out.push(format!("AS {seq_type}"));
    }
    let default_name = super::render::sequence_name(table, column);
    if kind != NumberingKind::Serial && name.as_deref().is_some_and(|n| n != default_name) {
        out.push(format!(
            "SEQUENCE NAME {}",
            Q.ident(name.as_deref().unwrap_or_default())
        ));
    }
    if start != default_start {
        out.push(format!("START WITH {start}"));
    }
    if increment != 1 {
        out.push(format!("INCREMENT BY {increment}"));
    }
    if min != default_min {
        out.push(format!("MINVALUE {min}"));
    }
    if max != default_max {
        out.push(format!("MAXVALUE {max}"));
    }
    if cache != 1 {
        out.push(format!("CACHE {cache}"));
    }
    if cycle {
        out.push("CYCLE".into());
    }
    Ok((!out.is_empty()).then(|| out.join(" ")))
}

fn column_type(reader: &Reader<'_>, row: &PgRow) -> Result<Type, DbError> {
    let kind: String = get(row, "type_kind")?;
    let type_schema: String = get(row, "type_schema")?;
    let type_name: String = get(row, "type_name")?;
    if kind == "e"
        && type_schema == reader.schema
        && let Some(values) = reader.enums.get(&type_name)
    {
        return Ok(Type::Enum {
            name: type_name,
            values: values.clone(),
        });
    }
    let spelling: String = get(row, "type_sql")?;
    Ok(types::parse(&reader.local(&spelling)))
}

fn action(code: &str) -> Action {
    match code {
        "r" => Action::Restrict,
        "c" => Action::Cascade,
        "n" => Action::SetNull,
        "d" => Action::SetDefault,
        _ => Action::NoAction,
    }
}

fn read_constraint(reader: &mut Reader<'_>, row: &PgRow) -> Result<(), DbError> {
    let name: String = get(row, "constraint_name")?;
    let kind: String = get(row, "kind")?;
    let columns: Vec<String> = get(row, "columns")?;
    let ref_schema: Option<String> = get(row, "ref_schema")?;
    let definition: String = get(row, "definition")?;
    let check: Option<String> = get::<Option<String>>(row, "check_expr")?;
    let check = check.map(|c| reader.local(&c));
    let options = ConstraintOptions {
        deferrable: match (
            get::<bool>(row, "deferrable")?,
            get::<bool>(row, "deferred")?,
        ) {
            (true, true) => Some(Deferral::InitiallyDeferred),
            (true, false) => Some(Deferral::InitiallyImmediate),
            _ => None,
        },
        not_valid: get::<bool>(row, "not_valid")? && matches!(kind.as_str(), "c" | "f"),
        no_inherit: get::<bool>(row, "no_inherit")? && kind == "c",
        match_full: get::<bool>(row, "match_full")? && kind == "f",
        nulls_not_distinct: kind == "u" && definition.contains("NULLS NOT DISTINCT"),
        comment: get(row, "comment")?,
    };
    let foreign = ForeignKey {
        name: name.clone(),
        columns: columns.clone(),
        ref_table: get::<Option<String>>(row, "ref_table")?.unwrap_or_default(),
        ref_columns: get(row, "ref_columns")?,
        on_delete: action(&get::<String>(row, "on_delete")?),
        on_update: action(&get::<String>(row, "on_update")?),
        options: options.clone(),
    };
    let schema = reader.schema.to_string();
    let exclusion = without_options(&reader.local(&definition));
    let oid: i64 = get(row, "table_oid")?;
    let Some((table, extras)) = reader.table(oid) else {
        return Ok(());
    };
    match kind.as_str() {
        "p" => {
            table.primary_key = Some(PrimaryKey {
                name,
                columns,
                options,
            })
        }
        "u" => table.uniques.push(Unique {
            name,
            columns,
            options,
        }),
        "f" if ref_schema.as_deref() == Some(schema.as_str()) => table.foreign_keys.push(foreign),
        "x" => table.exclusions.push(Exclusion {
            name,
            definition: exclusion,
            options,
        }),
        "c" => table.checks.push(Check {
            name,
            expr: check.unwrap_or_default(),
            options,
        }),
        _ => extras.opaque_constraints.push(Opaque { name, definition }),
    }
    Ok(())
}

/// A constraint's definition without the words its options say (`DEFERRABLE ...`, `NOT
/// VALID`), which pg_get_constraintdef appends.
fn without_options(definition: &str) -> String {
    let mut text = definition.trim().to_string();
    for tail in [
        " NOT VALID",
        " INITIALLY DEFERRED",
        " DEFERRABLE",
        " NO INHERIT",
    ] {
        if let Some(rest) = text.strip_suffix(tail) {
            text = rest.to_string();
        }
    }
    text
}

fn read_index(reader: &mut Reader<'_>, row: &PgRow) -> Result<(), DbError> {
    // Constraints own their index (same name); they were read as constraints.
    if get::<Option<String>>(row, "owned_by_constraint")?.is_some() {
        return Ok(());
    }
    let name: String = get(row, "index_name")?;
    let key_count = usize::try_from(get::<i32>(row, "key_count")?).unwrap_or_default();
    let columns: Vec<Option<String>> = get(row, "columns")?;
    let exprs: Vec<Option<String>> = get(row, "exprs")?;
    let descs: Vec<Option<bool>> = get(row, "descs")?;
    let nulls: Vec<Option<String>> = get(row, "nulls_firsts")?;
    let opclasses: Vec<Option<String>> = get(row, "opclasses")?;
    let collations: Vec<Option<String>> = get(row, "collations")?;
    let mut ix = crate::schema::index(name, Vec::<KeyPart>::new());
    for (pos, column) in columns.into_iter().enumerate() {
        if pos >= key_count {
            ix.include.extend(column);
            continue;
        }
        let expr = exprs.get(pos).cloned().flatten();
        ix.columns.push(KeyPart {
            column: column.clone(),
            expr: expr.filter(|_| column.is_none()).map(|e| reader.local(&e)),
            desc: descs.get(pos).copied().flatten().unwrap_or(false),
            nulls_first: match nulls.get(pos).cloned().flatten().as_deref() {
                Some("first") => Some(true),
                Some("last") => Some(false),
                _ => None,
            },
            opclass: opclasses.get(pos).cloned().flatten(),
            collation: collations.get(pos).cloned().flatten(),
            length: None,
        });
    }
    ix.unique = get(row, "is_unique")?;
    ix.nulls_not_distinct = get(row, "nulls_not_distinct")?;
    ix.predicate = get::<Option<String>>(row, "predicate")?.map(|p| reader.local(&p));
    ix.method = Some(get::<String>(row, "method")?).filter(|m| m != "btree");
    ix.with = get::<Option<String>>(row, "with_options")?.filter(|w| !w.is_empty());
    ix.comment = get(row, "index_comment")?;
    let oid: i64 = get(row, "table_oid")?;
    if let Some((table, _)) = reader.table(oid) {
        table.indexes.push(ix);
    }
    Ok(())
}
