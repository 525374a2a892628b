//! Renames: the ones the models ask for (`renamed_from`), and the ones they may have meant.
//!
//! A rename the model asks for is made before anything else, so that the rest of the diff
//! compares the renamed schema: the column keeps its values, and its constraints and indexes,
//! matched by definition, follow it. It is asked for only while the database still has the
//! old name and not the new one; once every database is renamed the hint does nothing.
//!
//! Without a hint, a column dropped and one added with the same type in one table, or a table
//! dropped and one created with the same columns, may be a rename the differ cannot know of:
//! [`rename_hints`] names them and the attribute that says so, for the generated file and the
//! command's output. Nothing is renamed on a guess (Django asks; we say it in the file, which is
//! reproducible and reviewed).

use std::collections::BTreeSet;

use super::Compare;
use crate::ops::Operation;
use crate::schema::{Column, Schema, Table};

/// The renames `desired` asks of `current`, and `current` with them made.
pub(crate) fn renames(current: &Schema, desired: &Schema) -> (Vec<Operation>, Schema) {
    let mut ops = Vec::new();
    let mut renamed = current.clone();
    for table in desired.tables() {
        if let Some(old) = &table.renamed_from
            && !renamed.contains(&table.name)
            && renamed.contains(old)
        {
            push(
                &mut ops,
                &mut renamed,
                Operation::RenameTable {
                    from: old.clone(),
                    to: table.name.clone(),
                },
            );
        }
    }
    for table in desired.tables() {
        for column in &table.columns {
            let Some(old) = &column.renamed_from else {
                continue;
            };
            let Some(now) = renamed.table(&table.name) else {
                continue;
            };
            if now.column_named(old).is_some() && now.column_named(&column.name).is_none() {
                push(
                    &mut ops,
                    &mut renamed,
                    Operation::RenameColumn {
                        table: table.name.clone(),
                        from: old.clone(),
                        to: column.name.clone(),
                    },
                );
            }
        }
    }
    (ops, renamed)
}

fn push(ops: &mut Vec<Operation>, schema: &mut Schema, op: Operation) {
    op.apply(schema)
        .expect("a rename of a name that exists to one that does not applies");
    ops.push(op);
}

/// A drop and an add (or create) that look like a rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameHint {
    /// Column `old` of `table` is dropped and `new` added, with the same type.
    Column {
        /// The table.
        table: String,
        /// The dropped column.
        old: String,
        /// The added column.
        new: String,
    },
    /// Table `old` is dropped and `new` created, with the same columns.
    Table {
        /// The dropped table.
        old: String,
        /// The created table.
        new: String,
    },
}

impl RenameHint {
    /// Where the hint belongs: the operation that would lose the data (the drop).
    pub fn drops(&self, op: &Operation) -> bool {
        match (self, op) {
            (
                RenameHint::Column { table, old, .. },
                Operation::DropColumn {
                    table: t, column, ..
                },
            ) => t == table && column == old,
            (RenameHint::Table { old, .. }, Operation::DropTable { table, .. }) => table == old,
            _ => false,
        }
    }
}

impl std::fmt::Display for RenameHint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenameHint::Column { table, old, new } => write!(
                f,
                "column '{table}.{old}' is dropped and '{table}.{new}' added with the same type; \
                 if it is a rename, add #[column(renamed_from = \"{old}\")] to the field of \
                 '{new}' (`renamed_from: {old}` in a YAML description) and generate again: a \
                 rename keeps the values, a drop loses them"
            ),
            RenameHint::Table { old, new } => write!(
                f,
                "table '{old}' is dropped and '{new}' created with the same columns; if it is a \
                 rename, add #[model(renamed_from = \"{old}\")] to the model of '{new}' \
                 (`renamed_from: {old}` in a YAML description) and generate again: a rename \
                 keeps the rows, a drop loses them"
            ),
        }
    }
}

/// The drops and adds among `ops` that may be renames the models did not say.
pub fn rename_hints(ops: &[Operation], cmp: &dyn Compare) -> Vec<RenameHint> {
    let mut hints = Vec::new();
    let dropped_tables: Vec<&Table> = ops
        .iter()
        .filter_map(|op| match op {
            Operation::DropTable {
                definition: Some(t),
                ..
            } => Some(&**t),
            _ => None,
        })
        .collect();
    for op in ops {
        match op {
            Operation::CreateTable(new) => {
                for old in dropped_tables
                    .iter()
                    .filter(|old| same_columns(old, new, cmp))
                {
                    hints.push(RenameHint::Table {
                        old: old.name.clone(),
                        new: new.name.clone(),
                    });
                }
            }
            Operation::AddColumn { table, column } => {
                for old in dropped_columns(ops, table) {
                    if same_type(old, column, cmp) {
                        hints.push(RenameHint::Column {
                            table: table.clone(),
                            old: old.name.clone(),
                            new: column.name.clone(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    hints
}

fn dropped_columns<'a>(ops: &'a [Operation], table: &'a str) -> impl Iterator<Item = &'a Column> {
    ops.iter().filter_map(move |op| match op {
        Operation::DropColumn {
            table: t,
            definition: Some(column),
            ..
        } if t == table => Some(column),
        _ => None,
    })
}

fn same_type(a: &Column, b: &Column, cmp: &dyn Compare) -> bool {
    let owner = crate::schema::table("");
    cmp.ty(&owner, a) == cmp.ty(&owner, b)
}

fn same_columns(a: &Table, b: &Table, cmp: &dyn Compare) -> bool {
    let columns = |t: &Table| -> BTreeSet<(String, String)> {
        t.columns
            .iter()
            .map(|c| (c.name.clone(), cmp.ty(t, c).to_string()))
            .collect()
    };
    columns(a) == columns(b)
}
