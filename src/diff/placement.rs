//! Where each object's operations go around the tables' operations.
//!
//! Views, triggers, policies... use tables: they are created after the tables change and
//! dropped before. Types, sequences, functions... may be used by tables (a column of a domain,
//! a default calling a function, an index on a function's result): they come before. Such an
//! object still goes after the tables when its text names a table (a function returning
//! `SETOF customer`) or an object that goes after them (an aggregate over such a function),
//! unless a table uses it, directly or through another object: then it must exist first,
//! whatever its text mentions (which, read word by word, may be a table's name by chance).

use std::collections::BTreeSet;

use super::objects::{base_name, references};
use crate::schema::{ObjectKey, Schema, Table};

/// The keys of the objects of `schema` that go after the tables; `tables` are the lower-cased
/// names of the tables on either side.
pub(super) fn after_tables(schema: &Schema, tables: &BTreeSet<String>) -> BTreeSet<ObjectKey> {
    let needed = needed_by_tables(schema);
    let mut after: BTreeSet<ObjectKey> = schema
        .objects()
        .filter(|o| !o.kind.before_tables() || names_a_table(&o.definition, &o.name, tables))
        .map(|o| o.key())
        .collect();
    loop {
        let after_names: BTreeSet<String> = schema
            .objects()
            .filter(|o| after.contains(&o.key()))
            .map(|o| base_name(&o.name))
            .collect();
        let more: Vec<ObjectKey> = schema
            .objects()
            .filter(|o| !after.contains(&o.key()))
            .filter(|o| {
                let own = base_name(&o.name);
                references(&o.definition)
                    .iter()
                    .any(|r| *r != own && after_names.contains(r))
            })
            .map(|o| o.key())
            .collect();
        if more.is_empty() {
            break;
        }
        after.extend(more);
    }
    after.retain(|k| {
        let kind_first = schema.object(k).is_some_and(|o| o.kind.before_tables());
        !(kind_first && needed.contains(&base_name(&k.2)))
    });
    after
}

fn names_a_table(definition: &str, name: &str, tables: &BTreeSet<String>) -> bool {
    let own = base_name(name);
    references(definition)
        .iter()
        .any(|r| tables.contains(r) && *r != own)
}

/// The base names of the objects the tables of `schema` use, and of those these use in turn.
fn needed_by_tables(schema: &Schema) -> BTreeSet<String> {
    let objects: BTreeSet<String> = schema.objects().map(|o| base_name(&o.name)).collect();
    let mut needed: BTreeSet<String> = schema
        .tables()
        .flat_map(table_texts)
        .flat_map(|text| references(&text))
        .filter(|r| objects.contains(r))
        .collect();
    loop {
        let more: BTreeSet<String> = schema
            .objects()
            .filter(|o| needed.contains(&base_name(&o.name)))
            .flat_map(|o| references(&o.definition))
            .filter(|r| objects.contains(r) && !needed.contains(r))
            .collect();
        if more.is_empty() {
            return needed;
        }
        needed.extend(more);
    }
}

/// Every text of a table that may name an object: column types, defaults and generated
/// expressions, checks, index expressions and predicates, exclusion constraints.
fn table_texts(table: &Table) -> Vec<String> {
    let mut out = Vec::new();
    for c in &table.columns {
        out.push(c.ty.to_string());
        out.extend(c.default.clone());
        out.extend(c.generated.as_ref().map(|g| g.expr.clone()));
    }
    out.extend(table.checks.iter().map(|c| c.expr.clone()));
    for i in &table.indexes {
        out.extend(i.columns.iter().filter_map(|p| p.expr.clone()));
        out.extend(i.predicate.clone());
    }
    out.extend(table.exclusions.iter().map(|x| x.definition.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ObjectKind, Type, column, object, table};

    fn function(name: &str, sql: &str) -> crate::schema::Object {
        object(ObjectKind::Function, name, sql)
    }

    #[test]
    fn an_aggregate_over_a_function_that_names_a_table_follows_it_after_the_tables() {
        let schema = Schema::from_tables([table("language").column(column("id", Type::Integer))])
            .with_objects([
                function(
                    "_group_concat(text, text)",
                    "CREATE FUNCTION _group_concat(text, text) RETURNS text LANGUAGE sql AS $$ SELECT $1 || $2 $$",
                ),
                object(
                    ObjectKind::Aggregate,
                    "group_concat(text)",
                    "CREATE AGGREGATE group_concat(text) (SFUNC = _group_concat, STYPE = text)",
                ),
            ]);
        let tables = ["language".to_string()].into();
        let after = after_tables(&schema, &tables);
        assert_eq!(after.len(), 2, "{after:?}");
    }

    #[test]
    fn a_function_a_column_default_calls_comes_first_whatever_it_names() {
        let schema = Schema::from_tables([table("language")
            .column(column("id", Type::Integer).default("next_id()"))])
        .with_objects([
            function(
                "next_id()",
                "CREATE FUNCTION next_id() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$",
            ),
            function(
                "helper()",
                "CREATE FUNCTION helper() RETURNS SETOF language LANGUAGE sql AS $$ SELECT * FROM language $$",
            ),
        ]);
        let tables = ["language".to_string()].into();
        let after: Vec<String> = after_tables(&schema, &tables)
            .into_iter()
            .map(|k| k.2)
            .collect();
        assert_eq!(after, ["helper()"]);
    }
}
