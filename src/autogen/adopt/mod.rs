//! Rust models from a schema (`db inspect --models`): a team with a database adopts Outflow by
//! committing these structs, then marking the database as at the first revision (`db stamp`).
//!
//! Each table becomes a `#[derive(Model)]` struct whose attributes describe it exactly as the
//! introspection read it, so that a diff between the models and the database is empty. What
//! the attributes cannot say is listed in a `// Not in the model:` comment above the struct
//! (composite foreign keys, foreign keys to names that are not plain `table.column`): the
//! differ would otherwise drop it, so the user decides.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::schema::{Action, Column, Schema, Table, Type, snake_case};

/// Rust's keywords, which a field cannot be named.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// The Rust source of models for every table of `schema`; `source` names where it was read.
///
/// ```
/// use outflow::schema::{Schema, Type, column, table};
/// let schema = Schema::from_tables([table("Album")
///     .column(column("AlbumId", Type::Integer).not_null())
///     .column(column("Title", Type::Varchar(160)))
///     .primary_key("pk", ["AlbumId"])]);
/// let code = outflow::autogen::adopt::models(&schema, "chinook.db", "default");
/// assert!(code.contains("#[model(table = \"Album\")]\npub struct Album {"));
/// assert!(code.contains("#[column(primary_key, name = \"AlbumId\")]\n    pub album_id: i32,"));
/// assert!(code.contains("#[column(length = 160, name = \"Title\")]\n    pub title: Option<String>,"));
/// ```
pub fn models(schema: &Schema, source: &str, label: &str) -> String {
    let enums = enum_types(schema);
    let mut out = format!(
        "//! Models of {source}, written by `db inspect --models`.\n//!\n//! Review them, add \
         them to a plugin (`add_models` below), then run `db make_migrations`:\n//! nothing \
         should be detected against this database.\n\n"
    );
    let uses = if enums.is_empty() {
        "Model"
    } else {
        "{DbEnum, Model}"
    };
    let _ = writeln!(out, "use outflow::{uses};");
    for (type_name, (ident, labels)) in &enums {
        out.push('\n');
        write_enum(&mut out, type_name, ident, labels);
    }
    let mut structs: BTreeMap<String, usize> = BTreeMap::new();
    let mut idents = Vec::new();
    for table in schema.tables() {
        out.push('\n');
        let ident = unique(&mut structs, camel(&table.name));
        write_struct(&mut out, table, &ident, &enums, label);
        idents.push(ident);
    }
    out.push_str("\n/// Every model above, added to `plugin`.\npub fn add_models(plugin: outflow::Plugin) -> outflow::Plugin {\n");
    if idents.is_empty() {
        out.push_str("    plugin\n}\n");
        return out;
    }
    out.push_str("    plugin\n");
    for ident in idents {
        let _ = writeln!(out, "        .model::<{ident}>()");
    }
    out.push_str("}\n");
    out
}

/// Enum types by database name: the Rust name and the labels. MySQL's enums have no type name:
/// they are named after their table and column.
fn enum_types(schema: &Schema) -> BTreeMap<String, (String, Vec<String>)> {
    let mut out = BTreeMap::new();
    let mut idents = BTreeMap::new();
    for table in schema.tables() {
        for c in &table.columns {
            if let Type::Enum { name, values } = &c.ty {
                let name = enum_name(table, c, name);
                if let std::collections::btree_map::Entry::Vacant(slot) = out.entry(name) {
                    let ident = unique(&mut idents, camel(slot.key()));
                    slot.insert((ident, values.clone()));
                }
            }
        }
    }
    out
}

fn enum_name(table: &Table, column: &Column, name: &str) -> String {
    if name.is_empty() {
        format!("{}_{}", table.name, column.name)
    } else {
        name.to_string()
    }
}

fn write_enum(out: &mut String, type_name: &str, ident: &str, labels: &[String]) {
    let _ = writeln!(out, "#[derive(Debug, Clone, Copy, PartialEq, Eq, DbEnum)]");
    if snake_case(ident) != type_name {
        let _ = writeln!(out, "#[db_enum(name = {})]", string(type_name));
    }
    let _ = writeln!(out, "pub enum {ident} {{");
    let mut variants = BTreeMap::new();
    for label in labels {
        let variant = unique(&mut variants, camel(label));
        if snake_case(&variant) != *label {
            let _ = writeln!(out, "    #[db_enum(rename = {})]", string(label));
        }
        let _ = writeln!(out, "    {variant},");
    }
    out.push_str("}\n");
}

fn write_struct(
    out: &mut String,
    table: &Table,
    ident: &str,
    enums: &BTreeMap<String, (String, Vec<String>)>,
    label: &str,
) {
    let mut fields = BTreeMap::new();
    let names: BTreeMap<&str, String> = table
        .columns
        .iter()
        .map(|c| (c.name.as_str(), unique(&mut fields, field(&c.name))))
        .collect();
    let left_out = unexpressed(table);
    if !left_out.is_empty() {
        let _ = writeln!(
            out,
            "// Not expressible as attributes: `db make_migrations` would drop these; keep them\n// in a revision of your own (`op.execute`) or rename what they name."
        );
        for line in &left_out {
            let _ = writeln!(out, "// - {line}");
        }
    }
    let _ = writeln!(out, "#[derive(Model)]");
    let mut attrs = table_attrs(table, ident, &names);
    if label != crate::model::DEFAULT_DATABASE {
        attrs.insert(0, format!("database = {}", string(label)));
    }
    for attr in attrs {
        let _ = writeln!(out, "#[model({attr})]");
    }
    let _ = writeln!(out, "pub struct {ident} {{");
    for c in &table.columns {
        let attrs = column_attrs(table, c, &names[c.name.as_str()]);
        if !attrs.is_empty() {
            let _ = writeln!(out, "    #[column({})]", attrs.join(", "));
        }
        let rust = rust_type(table, c, enums);
        // A key column is NOT NULL in the model (SQLite may read one back as nullable).
        let ty = if c.nullable && !in_key(table, c) {
            format!("Option<{rust}>")
        } else {
            rust
        };
        let _ = writeln!(out, "    pub {}: {ty},", names[c.name.as_str()]);
    }
    out.push_str("}\n");
}

fn table_attrs(table: &Table, ident: &str, names: &BTreeMap<&str, String>) -> Vec<String> {
    let mut out = Vec::new();
    if snake_case(ident) != table.name {
        out.push(format!("table = {}", string(&table.name)));
    }
    if let Some(comment) = &table.comment {
        out.push(format!("comment = {}", string(comment)));
    }
    let list = |cols: &[String]| -> String {
        cols.iter()
            .map(|c| names[c.as_str()].clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(pk) = table
        .primary_key
        .as_ref()
        .filter(|pk| !in_field_order(table, pk))
    {
        out.push(format!("primary_key({})", list(&pk.columns)));
    }
    for u in table.uniques.iter().filter(|u| u.columns.len() > 1) {
        out.push(format!("unique({})", list(&u.columns)));
    }
    for (i, columns) in table
        .indexes
        .iter()
        .filter_map(|i| Some((i, owned(i.plain_columns()?))))
        .filter(|(i, columns)| columns.len() > 1 || i.unique)
    {
        let kind = if i.unique { "unique_index" } else { "index" };
        out.push(format!("{kind}({})", list(&columns)));
    }
    for c in &table.checks {
        out.push(format!(
            "check(name = {}, expr = {})",
            string(&c.name),
            string(&c.expr)
        ));
    }
    out
}

fn column_attrs(table: &Table, c: &Column, field: &str) -> Vec<String> {
    let mut out = Vec::new();
    let single = |cols: &[String]| cols.len() == 1 && cols[0] == c.name;
    if in_key(table, c)
        && table
            .primary_key
            .as_ref()
            .is_some_and(|pk| in_field_order(table, pk))
    {
        out.push("primary_key".to_string());
    }
    if c.autoincrement {
        out.push("autoincrement".into());
    }
    if table.uniques.iter().any(|u| single(&u.columns)) {
        out.push("unique".into());
    }
    if table
        .indexes
        .iter()
        .any(|i| !i.unique && i.plain_columns().is_some_and(|c| single(&owned(c))))
    {
        out.push("index".into());
    }
    match &c.ty {
        Type::Varchar(n) => out.push(format!("length = {n}")),
        Type::Numeric(..) | Type::Char(_) => {
            out.push(format!("sql_type = {}", string(&c.ty.to_string())))
        }
        Type::Raw(spelling) => out.push(format!("raw_type = {}", string(spelling))),
        Type::Enum { .. } => out.push("db_enum".into()),
        _ => {}
    }
    if field != c.name {
        out.push(format!("name = {}", string(&c.name)));
    }
    if let Some(d) = &c.default {
        out.push(format!("default = {}", string(d)));
    }
    if let Some(fk) = expressible_fk(table, c) {
        out.push(format!(
            "foreign_key = {}",
            string(&format!("{}.{}", fk.ref_table, fk.ref_columns[0]))
        ));
        for (key, action) in [("on_delete", fk.on_delete), ("on_update", fk.on_update)] {
            if action != Action::NoAction {
                out.push(format!("{key} = {}", string(action_name(action))));
            }
        }
    }
    if let Some(comment) = &c.comment {
        out.push(format!("comment = {}", string(comment)));
    }
    out
}

/// The single-column foreign key of `c` that `foreign_key = "table.column"` can say.
fn expressible_fk<'a>(table: &'a Table, c: &Column) -> Option<&'a crate::schema::ForeignKey> {
    table.foreign_keys.iter().find(|fk| {
        fk.columns.len() == 1
            && fk.columns[0] == c.name
            && plain(&fk.ref_table)
            && plain(&fk.ref_columns[0])
    })
}

fn plain(name: &str) -> bool {
    !name.is_empty() && !name.contains(['.', ' ', '\t', '\n'])
}

fn in_key(table: &Table, c: &Column) -> bool {
    table
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.contains(&c.name))
}

/// Whether the key's columns come in the table's column order: then `#[column(primary_key)]`
/// on each says it; otherwise `#[model(primary_key(...))]` gives the order.
fn in_field_order(table: &Table, pk: &crate::schema::PrimaryKey) -> bool {
    let positions: Vec<usize> = pk
        .columns
        .iter()
        .filter_map(|name| table.columns.iter().position(|c| &c.name == name))
        .collect();
    positions.windows(2).all(|w| w[0] < w[1])
}

/// What the table holds that the attributes cannot say.
fn unexpressed(table: &Table) -> Vec<String> {
    unexpressed_keys(table).collect()
}

fn owned(columns: Vec<&str>) -> Vec<String> {
    columns.into_iter().map(str::to_string).collect()
}

fn unexpressed_keys(table: &Table) -> impl Iterator<Item = String> + '_ {
    let indexes = table
        .indexes
        .iter()
        .filter(|i| !i.is_plain())
        .map(|i| format!("index {} ({})", i.name, i.describe_key()));
    indexes.chain(unexpressed_foreign_keys(table))
}

fn unexpressed_foreign_keys(table: &Table) -> impl Iterator<Item = String> + '_ {
    table
        .foreign_keys
        .iter()
        .filter(|fk| !(fk.columns.len() == 1 && plain(&fk.ref_table) && plain(&fk.ref_columns[0])))
        .map(|fk| {
            format!(
                "foreign key ({}) references {} ({})",
                fk.columns.join(", "),
                fk.ref_table,
                fk.ref_columns.join(", ")
            )
        })
}

fn action_name(action: Action) -> &'static str {
    match action {
        Action::Cascade => "cascade",
        Action::Restrict => "restrict",
        Action::SetNull => "set null",
        Action::SetDefault => "set default",
        Action::NoAction => "no action",
    }
}

fn rust_type(table: &Table, c: &Column, enums: &BTreeMap<String, (String, Vec<String>)>) -> String {
    match &c.ty {
        Type::SmallInt => "i16".into(),
        Type::Integer => "i32".into(),
        Type::BigInt => "i64".into(),
        Type::Boolean => "bool".into(),
        Type::Real => "f32".into(),
        Type::Double => "f64".into(),
        Type::Blob => "Vec<u8>".into(),
        Type::Date => "chrono::NaiveDate".into(),
        Type::Time => "chrono::NaiveTime".into(),
        Type::Timestamp => "chrono::NaiveDateTime".into(),
        Type::TimestampTz => "chrono::DateTime<chrono::Utc>".into(),
        Type::Uuid => "uuid::Uuid".into(),
        Type::Json => "serde_json::Value".into(),
        Type::Enum { name, .. } => enums[&enum_name(table, c, name)].0.clone(),
        Type::Raw(spelling) => raw_rust_type(spelling).into(),
        _ => "String".into(),
    }
}

/// The Rust type sqlx decodes a database's own type into: the integer of its width and sign
/// (`int unsigned` is `u32`), an instant for MySQL's `timestamp`, else text.
fn raw_rust_type(spelling: &str) -> &'static str {
    if spelling.trim().eq_ignore_ascii_case("timestamp") {
        return "chrono::DateTime<chrono::Utc>";
    }
    match Type::raw(spelling).raw_integer() {
        None => "String",
        Some(int) => match (int.bytes, int.unsigned) {
            (1, false) => "i8",
            (1, true) => "u8",
            (2, false) => "i16",
            (2, true) => "u16",
            (8, false) => "i64",
            (8, true) => "u64",
            (_, false) => "i32",
            (_, true) => "u32",
        },
    }
}

/// A Rust string literal.
fn string(text: &str) -> String {
    format!("{text:?}")
}

/// `UpperCamelCase` of a database name, as a valid identifier.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if upper {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
        if c.is_ascii_digit() {
            upper = false;
        }
    }
    let out: String = out.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    match out.chars().next() {
        None => "Unnamed".into(),
        Some(first) if first.is_ascii_digit() => format!("T{out}"),
        Some(_) => out,
    }
}

/// A field name: the snake_case of the column name, as a valid identifier.
fn field(name: &str) -> String {
    let snake = snake_case(&camel(name));
    if KEYWORDS.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// `name`, or `name2`, `name3`... when taken.
fn unique(taken: &mut BTreeMap<String, usize>, name: String) -> String {
    let n = taken.entry(name.clone()).or_insert(0);
    *n += 1;
    if *n == 1 { name } else { format!("{name}{n}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{column, foreign_key, table};

    fn schema() -> Schema {
        let parent = table("Order Details")
            .column(column("id", Type::BigInt).not_null().autoincrement())
            .column(
                column("type", Type::enumeration("mood", ["happy", "so-so"])).default("'happy'"),
            )
            .column(column("Unit Price", Type::Numeric(10, 2)).not_null())
            .column(column("code", Type::Char(3)).comment("ISO"))
            .column(column("doc", Type::Json))
            .column(column("odd", Type::raw("int4range")))
            .primary_key("pk", ["id"])
            .unique("uq", ["code", "type"])
            .index("ix", ["code"])
            .check("positive", "\"Unit Price\" > 0")
            .comment("lines");
        let child = table("line_note")
            .column(column("order_id", Type::BigInt).not_null())
            .column(column("n", Type::Integer).not_null().autoincrement())
            .column(column("state", Type::enumeration("", ["a", "b"])))
            .primary_key("pk2", ["n", "order_id"])
            .foreign_key(
                foreign_key("fk", ["order_id"], "Order Details", ["id"]).on_delete(Action::Cascade),
            );
        Schema::from_tables([parent, child])
    }

    #[test]
    fn models_say_everything_the_attributes_can() {
        insta::assert_snapshot!(models(&schema(), "test.db", "archive"));
    }

    #[test]
    fn names_become_identifiers() {
        assert_eq!(camel("Order Details"), "OrderDetails");
        assert_eq!(camel("2fa_codes"), "T2faCodes");
        assert_eq!(field("type"), "type_");
        assert_eq!(field("Unit Price"), "unit_price");
        assert_eq!(field("名前"), "unnamed");
        assert_eq!(raw_rust_type("int unsigned"), "u32");
        assert_eq!(raw_rust_type("TINYINT(4)"), "i8");
        assert_eq!(raw_rust_type("bigint unsigned zerofill"), "u64");
        assert_eq!(raw_rust_type("mediumint"), "i32");
        assert_eq!(raw_rust_type("int4range"), "String");
        let mut taken = BTreeMap::new();
        assert_eq!(unique(&mut taken, "a".into()), "a");
        assert_eq!(unique(&mut taken, "a".into()), "a2");
    }
}
