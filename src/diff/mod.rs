//! The differ: two schemas in, the operations that turn one into the other out.
//!
//! Layer: above `ops` and `schema`, the only modules it may use.
//!
//! It is a pure function over values and knows no SQL: the dialect only answers "are these the
//! same?" through [`Compare`]. The operations come in an order every server accepts, with
//! everything that destroys data last, so that on a server without transactional DDL
//! (MySQL) a revision or script that fails stops before it has lost anything:
//!
//! 0. the renames the models ask for (`renamed_from`), before anything else: the rest compares
//!    the renamed schema (see [`rename`]);
//!    then enum types created or relabelled (columns of a new type need it first);
//! 1. foreign keys removed from surviving tables (so their targets can go), and the foreign
//!    keys of dropped tables that point at a surviving table that changes (its key or
//!    column may change or go before the dropped table does);
//! 2. other constraints and indexes removed from surviving tables;
//! 3. tables created, parents before children (foreign keys that close a cycle are left out);
//! 4. per surviving table, in name order: columns added or altered (in the model's column
//!    order), the comment, then constraints and indexes added;
//! 5. foreign keys added, including the ones left out in step 3;
//! 6. tables dropped, children before parents (a table whose name a created table takes,
//!    which SQLite and MySQL may see as the same name, goes before step 3);
//! 7. columns dropped, per table in name order (a column whose name an added column takes
//!    goes before the table's other column changes);
//! 8. enum types no column uses any more, dropped.
//!
//! The downgrade is the reverse of this list, which is again a valid order.

mod compare;
mod enums;
mod objects;
mod order;
mod placement;
pub mod rename;
mod table;

pub use compare::{Compare, Exact};
pub use rename::{RenameHint, rename_hints};

use std::collections::{BTreeMap, BTreeSet};

use crate::ops::{Constraint, Operation};
use crate::schema::{Schema, Table};

/// The operations that turn `current` into `desired`.
///
/// ```
/// use outflow::diff::{diff, Exact};
/// use outflow::schema::{column, table, Schema, Type};
///
/// let current = Schema::new();
/// let desired = Schema::from_tables([table("t").column(column("id", Type::Integer))]);
/// let ops = diff(&current, &desired, &Exact);
/// assert_eq!(ops.len(), 1);
/// assert_eq!(ops[0].to_string(), "create table 't' (1 column)");
/// ```
pub fn diff(current: &Schema, desired: &Schema, cmp: &dyn Compare) -> Vec<Operation> {
    let (mut ops, renamed) = rename::renames(current, desired);
    ops.extend(
        changes(&renamed, desired, cmp)
            .into_iter()
            .map(without_hints),
    );
    ops
}

/// The operations as a database runs them: the models' hints (`renamed_from`, `backfill`)
/// are not part of a table or column created.
fn without_hints(op: Operation) -> Operation {
    match op {
        Operation::CreateTable(t) => Operation::CreateTable(t.without_hints()),
        Operation::AddColumn { table, column } => Operation::AddColumn {
            table,
            column: column.without_hints(),
        },
        other => other,
    }
}

/// The operations that turn `current` into `desired` once the renames are made.
fn changes(current: &Schema, desired: &Schema, cmp: &dyn Compare) -> Vec<Operation> {
    let created: Vec<&Table> = desired
        .tables()
        .filter(|t| !current.contains(&t.name))
        .collect();
    let changes: BTreeMap<&str, table::TableChanges> = desired
        .tables()
        .filter_map(|t| {
            current
                .table(&t.name)
                .map(|old| (t.name.as_str(), table::compare_table(old, t, cmp)))
        })
        .collect();
    let changing = |name: &str| changes.get(name).is_some_and(|c| !c.is_empty());
    let (dropped, early_foreign_keys) = dropped_tables(current, desired, &changing);
    // A dropped table whose name a created one takes (SQLite and MySQL may fold case: `USERS`
    // and `users` are one name) must go before it.
    let (dropped_first, dropped): (Vec<Operation>, Vec<Operation>) =
        dropped.into_iter().partition(|op| {
            let gone = op.table().unwrap_or_default();
            created.iter().any(|t| t.name.eq_ignore_ascii_case(gone))
        });

    let (enums_first, enums_last) = enums::enum_ops(current, desired);
    let objects =
        objects::object_changes(current, desired, &reshaped(current, desired, &changes), cmp);
    let mut ops = objects.early_drops;
    ops.extend(enums_first);
    ops.extend(objects.before_tables);
    ops.extend(early_foreign_keys);
    for c in changes.values() {
        ops.extend(c.drop_foreign_keys.iter().cloned());
    }
    for c in changes.values() {
        ops.extend(c.drop_constraints.iter().cloned());
    }
    for c in changes.values() {
        ops.extend(c.renames.iter().cloned());
    }
    ops.extend(dropped_first);
    let creation = order::creation_order(&created);
    // A new table's foreign key to a table that gains the key it references in this diff is
    // added once that key exists.
    let keyed = newly_keyed(&changes);
    let mut late_foreign_keys = Vec::new();
    let mut late_tables = Vec::new();
    for t in &creation.tables {
        let mut t = (*t).clone();
        t.foreign_keys.retain(|fk| {
            !creation
                .deferred
                .iter()
                .any(|(n, d)| *n == t.name && d.name == fk.name)
        });
        let (late, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut t.foreign_keys)
            .into_iter()
            .partition(|fk| fk.ref_table != t.name && keyed.contains(fk.ref_table.as_str()));
        t.foreign_keys = kept;
        late_foreign_keys.extend(late.into_iter().map(|fk| Operation::AddConstraint {
            table: t.name.clone(),
            constraint: Constraint::ForeignKey(fk),
        }));
        // A table made from one that changes (a new partition of a table that gains a
        // column) is made once its parent has changed.
        match t.parents().iter().any(|p| changes.contains_key(p)) {
            true => late_tables.push(Operation::CreateTable(t)),
            false => ops.push(Operation::CreateTable(t)),
        }
    }
    for c in changes.values() {
        ops.extend(c.columns.iter().cloned());
        ops.extend(c.add_constraints.iter().cloned());
    }
    ops.extend(late_tables);
    for c in changes.values() {
        ops.extend(c.add_foreign_keys.iter().cloned());
    }
    ops.extend(
        creation
            .deferred
            .iter()
            .map(|(table, fk)| Operation::AddConstraint {
                table: table.to_string(),
                constraint: Constraint::ForeignKey((*fk).clone()),
            }),
    );
    ops.extend(late_foreign_keys);
    ops.extend(dropped);
    for c in changes.values() {
        ops.extend(c.drop_columns.iter().cloned());
    }
    ops.extend(objects.after_tables);
    ops.extend(enums_last);
    ops.extend(objects.late_drops);
    ops
}

/// The tables that gain a primary key, a unique constraint or a unique index: a foreign key
/// may reference what they gain.
fn newly_keyed<'a>(changes: &BTreeMap<&'a str, table::TableChanges>) -> BTreeSet<&'a str> {
    changes
        .iter()
        .filter(|(_, c)| {
            c.add_constraints.iter().any(|op| match op {
                Operation::AddConstraint { constraint, .. } => {
                    matches!(
                        constraint,
                        Constraint::PrimaryKey(_) | Constraint::Unique(_)
                    )
                }
                Operation::CreateIndex { index, .. } => index.unique,
                _ => false,
            })
        })
        .map(|(name, _)| *name)
        .collect()
}

/// The tables whose columns change, are renamed or go, and the dropped tables: what uses
/// them must be made again around the change.
fn reshaped(
    current: &Schema,
    desired: &Schema,
    changes: &BTreeMap<&str, table::TableChanges>,
) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = current
        .table_names()
        .filter(|t| !desired.contains(t))
        .map(str::to_string)
        .collect();
    for (name, c) in changes {
        let columns_change = c.columns.iter().any(|op| {
            matches!(
                op,
                Operation::AlterColumn { .. }
                    | Operation::DropColumn { .. }
                    | Operation::RenameColumn { .. }
            )
        });
        if columns_change || !c.drop_columns.is_empty() {
            out.insert(name.to_string());
        }
    }
    out
}

/// The tables `desired` no longer has, dropped children first, and the foreign keys of theirs
/// that must go before the surviving tables change: a key or column they reference may be
/// dropped or altered first (PostgreSQL and MySQL refuse while a foreign key uses it). Each
/// dropped table's definition leaves those keys out, so that its downgrade (create the table,
/// then add the keys back) is exact.
fn dropped_tables(
    current: &Schema,
    desired: &Schema,
    changing: &dyn Fn(&str) -> bool,
) -> (Vec<Operation>, Vec<Operation>) {
    let dropped: Vec<&Table> = current
        .tables()
        .filter(|t| !desired.contains(&t.name))
        .collect();
    let mut order = order::creation_order(&dropped).tables;
    order.reverse();
    let mut early = Vec::new();
    let drops = order
        .into_iter()
        .map(|t| {
            let mut definition = t.clone();
            definition.foreign_keys.retain(|fk| {
                let early_drop = fk.ref_table != t.name && changing(&fk.ref_table);
                if early_drop {
                    early.push(Operation::DropConstraint {
                        table: t.name.clone(),
                        name: fk.name.clone(),
                        definition: Some(Constraint::ForeignKey(fk.clone())),
                    });
                }
                !early_drop
            });
            Operation::DropTable {
                table: t.name.clone(),
                definition: Some(Box::new(definition)),
            }
        })
        .collect();
    (drops, early)
}

#[cfg(test)]
mod tests;
