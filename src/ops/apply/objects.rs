//! Replaying the operations on views, triggers, functions...: they are kept whole, and those
//! that belong to a table go with it, as on the servers.

use super::ApplyError;
use crate::ops::Operation;
use crate::schema::{Object, ObjectKey, Schema, describe_object};

/// Applies an object operation (the caller matched one).
pub(super) fn apply(op: &Operation, schema: &mut Schema) -> Result<(), ApplyError> {
    match op {
        Operation::CreateObject(o) => {
            if schema.object(&o.key()).is_some() {
                return Err(ApplyError::DbObjectExists(o.describe()));
            }
            schema.insert_object(o.clone());
        }
        Operation::ReplaceObject { object, .. } => {
            existing(schema, &object.key())?;
            schema.insert_object(object.clone());
        }
        Operation::DropObject {
            kind, table, name, ..
        } => {
            let key = (*kind, table.clone().unwrap_or_default(), name.clone());
            existing(schema, &key)?;
            schema.remove_object(&key);
        }
        Operation::SetObjectComment {
            kind,
            table,
            name,
            comment,
            ..
        } => {
            let key = (*kind, table.clone().unwrap_or_default(), name.clone());
            existing(schema, &key)?;
            if let Some(o) = schema.object_mut(&key) {
                o.comment = comment.clone();
            }
        }
        _ => unreachable!("only object operations are applied here"),
    }
    Ok(())
}

fn existing<'a>(schema: &'a Schema, key: &ObjectKey) -> Result<&'a Object, ApplyError> {
    schema.object(key).ok_or_else(|| {
        let table = Some(key.1.as_str()).filter(|t| !t.is_empty());
        ApplyError::NoSuchDbObject(describe_object(key.0, table, &key.2))
    })
}

/// An enum type exists as an object whether columns use it or not (its comment lives there);
/// relabelled, it keeps its comment.
pub(super) fn enum_created(schema: &mut Schema, name: &str, labels: &[String]) {
    let mut o = crate::schema::enum_type(name, labels);
    if let Some(old) = schema.object(&o.key()) {
        o.comment = old.comment.clone();
    }
    schema.insert_object(o);
}

/// A dropped enum type's object goes with it.
pub(super) fn enum_dropped(schema: &mut Schema, name: &str) {
    let key = crate::schema::enum_type(name, &[]).key();
    schema.remove_object(&key);
}

/// Dropping a table drops what belongs to it (its triggers, rules, policies, grants).
pub(super) fn table_dropped(schema: &mut Schema, table: &str) {
    schema.retain_objects(|o| o.table.as_deref() != Some(table));
}

/// What belongs to a renamed table follows it.
pub(super) fn table_renamed(schema: &mut Schema, from: &str, to: &str) {
    let moved: Vec<Object> = schema
        .objects()
        .filter(|o| o.table.as_deref() == Some(from))
        .cloned()
        .collect();
    for mut o in moved {
        schema.remove_object(&o.key());
        o.table = Some(to.to_string());
        schema.insert_object(o);
    }
}
