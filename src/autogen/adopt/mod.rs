//! Rust models from a schema (`db inspect --models`): a team with a database adopts Outflow by
//! committing these structs, then marking the database as at the first revision (`db stamp`).
//!
//! Each table becomes a `#[derive(Model)]` struct whose attributes describe it as the
//! introspection read it, names included, so that a diff between the models and the database
//! is empty and a database created from the models is the same database. What attributes do
//! not say (an expression or partial index, a deferrable constraint, table options, identity
//! options...) is said with the schema's builders in the table's `extend` function, in the
//! `extras` module at the end, beside the database's views, triggers, functions... as the
//! database gives their SQL.

mod extras;
mod names;
mod plan;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::revision::codegen::layout::{Expr, tail_expression};
use crate::schema::{Schema, Table, Type, snake_case};
use names::{camel, enum_name, field, rust_type, string, unique};

/// Enum types by database name: the Rust name and the labels.
type Enums = BTreeMap<String, (String, Vec<String>)>;

/// The Rust source of models for every table and object of `schema`; `source` names where
/// it was read, `label` the database label of `config.yml`.
///
/// ```
/// use outflow::schema::{Schema, Type, column, table};
/// let schema = Schema::from_tables([table("Album")
///     .column(column("AlbumId", Type::Integer).not_null())
///     .column(column("Title", Type::Varchar(160)))
///     .primary_key("PK_Album", ["AlbumId"])]);
/// let code = outflow::autogen::adopt::models(&schema, "chinook.db", "default");
/// assert!(code.contains("#[model(table = \"Album\")]\n#[model(primary_key(album_id, name = \"PK_Album\"))]\npub struct Album {"));
/// assert!(code.contains("#[column(name = \"AlbumId\")]\n    pub album_id: i32,"));
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
    let mut extras = extras::Extras::default();
    for table in schema.tables() {
        out.push('\n');
        let ident = unique(&mut structs, camel(&table.name));
        write_struct(&mut out, table, &ident, &enums, label, &mut extras);
        idents.push(ident);
    }
    let objects: Vec<_> = schema
        .objects()
        .filter(|o| o.enum_labels().is_none() || !enums.contains_key(&o.name))
        .cloned()
        .collect();
    write_add_models(&mut out, &idents, !objects.is_empty());
    out.push_str(&extras.render(&objects, label));
    out
}

/// Enum types by database name: the Rust name and the labels. MySQL's enums have no type name:
/// they are named after their table and column.
fn enum_types(schema: &Schema) -> Enums {
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
    enums: &Enums,
    label: &str,
    extras: &mut extras::Extras,
) {
    let mut fields = BTreeMap::new();
    let names: BTreeMap<&str, String> = table
        .columns
        .iter()
        .map(|c| (c.name.as_str(), unique(&mut fields, field(&c.name))))
        .collect();
    let plan = plan::plan(table, &names);
    let _ = writeln!(out, "#[derive(Model)]");
    let mut attrs = Vec::new();
    if label != crate::model::DEFAULT_DATABASE {
        attrs.push(format!("database = {}", string(label)));
    }
    if snake_case(ident) != table.name {
        attrs.push(format!("table = {}", string(&table.name)));
    }
    if let Some(comment) = &table.comment {
        attrs.push(format!("comment = {}", string(comment)));
    }
    attrs.extend(plan.model);
    if !plan.extend.is_empty() {
        let function = extras.add(&table.name, plan.extend);
        attrs.push(format!("extend = extras::{function}"));
    }
    for attr in attrs {
        let _ = writeln!(out, "#[model({attr})]");
    }
    if table.columns.is_empty() {
        // A table that inherits all its columns (PostgreSQL).
        let _ = writeln!(out, "pub struct {ident} {{}}");
        return;
    }
    let _ = writeln!(out, "pub struct {ident} {{");
    for c in &table.columns {
        let attrs = &plan.columns[&c.name];
        if !attrs.is_empty() {
            let _ = writeln!(out, "    #[column({})]", attrs.join(", "));
        }
        let rust = rust_type(table, c, enums);
        // A key column is NOT NULL in the model (SQLite may read one back as nullable).
        let ty = if c.nullable && !plan::in_key(table, c) {
            format!("Option<{rust}>")
        } else {
            rust
        };
        let _ = writeln!(out, "    pub {}: {ty},", names[c.name.as_str()]);
    }
    out.push_str("}\n");
}

/// `add_models`: every model, then (when there are any) the database's objects.
fn write_add_models(out: &mut String, idents: &[String], objects: bool) {
    out.push_str(
        "\n/// Every model above, added to `plugin`, with the database's views, triggers, functions...\n\
         pub fn add_models(plugin: outflow::Plugin) -> outflow::Plugin {\n",
    );
    let models = idents
        .iter()
        .map(|ident| (format!("model::<{ident}>"), vec![]))
        .collect::<Vec<_>>();
    let plugin = match models.is_empty() {
        true => Expr::Atom("plugin".into()),
        false => Expr::Chain(Box::new(Expr::Atom("plugin".into())), models),
    };
    let body = match objects {
        true => Expr::Call("extras::add_objects".into(), vec![plugin]),
        false => plugin,
    };
    let _ = writeln!(out, "{}\n}}", tail_expression(&body, 4));
}

#[cfg(test)]
mod tests;
