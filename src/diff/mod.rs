//! The differ: two schemas in, the operations that turn one into the other out.
//!
//! It is a pure function over values and knows no SQL: the dialect only answers "are these the
//! same?" through [`Compare`]. The operations come in an order every server accepts:
//!
//! 0. enum types created or relabelled (columns of a new type need it first);
//! 1. foreign keys removed from surviving tables (so their targets can go);
//! 2. other constraints and indexes removed from surviving tables;
//! 3. tables dropped, children before parents;
//! 4. tables created, parents before children (foreign keys that close a cycle are left out);
//! 5. per surviving table, in name order: columns added or altered (in the model's column
//!    order), columns dropped, the comment, then constraints and indexes added;
//! 6. foreign keys added, including the ones left out in step 4;
//! 7. enum types no column uses any more, dropped.
//!
//! The downgrade is the reverse of this list, which is again a valid order.

mod compare;
mod enums;
mod order;
mod table;

pub use compare::{Compare, Exact};

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
/// assert_eq!(ops[0].to_string(), "create table 't' (1 columns)");
/// ```
pub fn diff(current: &Schema, desired: &Schema, cmp: &dyn Compare) -> Vec<Operation> {
    let created: Vec<&Table> = desired
        .tables()
        .filter(|t| !current.contains(&t.name))
        .collect();
    let dropped: Vec<&Table> = current
        .tables()
        .filter(|t| !desired.contains(&t.name))
        .collect();
    let changes: Vec<table::TableChanges> = desired
        .tables()
        .filter_map(|t| {
            current
                .table(&t.name)
                .map(|old| table::compare_table(old, t, cmp))
        })
        .collect();

    let (enums_first, enums_last) = enums::enum_ops(current, desired);
    let mut ops = enums_first;
    for c in &changes {
        ops.extend(c.drop_foreign_keys.iter().cloned());
    }
    // Dropped tables go before the kept tables' constraints: a foreign key of a dropped
    // table may depend on a key being dropped (PostgreSQL refuses to drop the key first).
    let mut drop_order = order::creation_order(&dropped).tables;
    drop_order.reverse();
    ops.extend(drop_order.into_iter().map(|t| Operation::DropTable {
        table: t.name.clone(),
        definition: Some(Box::new(t.clone())),
    }));
    for c in &changes {
        ops.extend(c.drop_constraints.iter().cloned());
    }
    let creation = order::creation_order(&created);
    for t in &creation.tables {
        let mut t = (*t).clone();
        t.foreign_keys.retain(|fk| {
            !creation
                .deferred
                .iter()
                .any(|(n, d)| *n == t.name && d.name == fk.name)
        });
        ops.push(Operation::CreateTable(t));
    }
    for c in &changes {
        ops.extend(c.columns.iter().cloned());
        ops.extend(c.add_constraints.iter().cloned());
    }
    for c in &changes {
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
    ops.extend(enums_last);
    ops
}

#[cfg(test)]
mod tests;
