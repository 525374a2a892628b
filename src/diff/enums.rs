//! Enum types: which exist on each side, and the operations between them.
//!
//! An enum type exists where a column uses it. On MySQL a column's labels carry no type name,
//! so an unnamed enum of the current schema takes the name its column has in the desired one.

use std::collections::BTreeMap;

use crate::ops::Operation;
use crate::schema::{Schema, Type};

/// Enum types by name, with their labels.
fn named_enums(schema: &Schema, names_from: Option<&Schema>) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for table in schema.tables() {
        for column in &table.columns {
            let Type::Enum { name, values } = &column.ty else {
                continue;
            };
            let name = if name.is_empty() {
                let desired = names_from
                    .and_then(|d| d.table(&table.name))
                    .and_then(|t| t.column_named(&column.name));
                match desired.map(|c| &c.ty) {
                    // Both sides read from MySQL: no type on either side.
                    Some(Type::Enum { name, .. }) if !name.is_empty() => name.clone(),
                    _ => continue,
                }
            } else {
                name.clone()
            };
            out.entry(name).or_insert_with(|| values.clone());
        }
    }
    // Types no column uses (yet) are objects; their labels are changed here all the same.
    for o in schema.objects() {
        if let Some(labels) = o.enum_labels() {
            out.entry(o.name.clone()).or_insert(labels);
        }
    }
    out
}

/// `(before the tables, after the tables)`: types created and relabelled first, dropped last.
pub(super) fn enum_ops(current: &Schema, desired: &Schema) -> (Vec<Operation>, Vec<Operation>) {
    let old = named_enums(current, Some(desired));
    let new = named_enums(desired, None);
    let mut first = Vec::new();
    for (name, values) in &new {
        match old.get(name) {
            None => first.push(Operation::CreateEnum {
                name: name.clone(),
                values: values.clone(),
            }),
            Some(previous) if previous != values => first.push(Operation::AlterEnum {
                name: name.clone(),
                values: values.clone(),
                previous: Some(previous.clone()),
            }),
            Some(_) => {}
        }
    }
    let last = old
        .iter()
        .filter(|(name, _)| !new.contains_key(*name))
        .map(|(name, values)| Operation::DropEnum {
            name: name.clone(),
            values: Some(values.clone()),
        })
        .collect();
    (first, last)
}
