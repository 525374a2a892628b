//! Comparing one table that exists on both sides.
//!
//! Columns match by name. Constraints and indexes match by what they are (columns, kind,
//! referenced table, actions, normalised expression), not by name: a database that named its
//! constraints differently is not "changed", and its names are kept.

use super::Compare;
use crate::ops::{Alter, Constraint, Operation};
use crate::schema::{Column, Table};

/// The operations for one table, grouped so the caller can order them across tables.
#[derive(Debug, Default)]
pub(crate) struct TableChanges {
    /// Foreign keys to drop (before anything else, so referenced objects can go).
    pub drop_foreign_keys: Vec<Operation>,
    /// Other constraints and indexes to drop.
    pub drop_constraints: Vec<Operation>,
    /// Column additions and alterations in the model's order, then the comment.
    pub columns: Vec<Operation>,
    /// Columns to drop (destroying their data: after every other change).
    pub drop_columns: Vec<Operation>,
    /// Constraints and indexes renamed to the names the desired side gives them.
    pub renames: Vec<Operation>,
    /// Constraints and indexes to add (foreign keys excluded).
    pub add_constraints: Vec<Operation>,
    /// Foreign keys to add (after every table exists).
    pub add_foreign_keys: Vec<Operation>,
}

impl TableChanges {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.drop_foreign_keys.is_empty()
            && self.drop_constraints.is_empty()
            && self.columns.is_empty()
            && self.drop_columns.is_empty()
            && self.renames.is_empty()
            && self.add_constraints.is_empty()
            && self.add_foreign_keys.is_empty()
    }
}

pub(crate) fn compare_table(current: &Table, desired: &Table, cmp: &dyn Compare) -> TableChanges {
    let mut out = TableChanges::default();
    let name = &desired.name;
    compare_constraints(current, desired, cmp, &mut out);
    // A partition's columns are its parent's: they change with the parent's.
    let parent = current.options.get("partition_of");
    let follows_parent = parent.is_some() && parent == desired.options.get("partition_of");
    let (desired_columns, current_columns) = match follows_parent {
        true => (&[][..], &[][..]),
        false => (&desired.columns[..], &current.columns[..]),
    };
    for column in desired_columns {
        match current.column_named(&column.name) {
            None => out.columns.extend(add_column(name, column)),
            Some(old) => {
                if let Some(op) = alter_column(current, old, desired, column, cmp) {
                    out.columns.push(op);
                }
            }
        }
    }
    for old in current_columns {
        if desired.column_named(&old.name).is_none() {
            let drop = Operation::DropColumn {
                table: name.clone(),
                column: old.name.clone(),
                definition: Some(old.clone()),
            };
            // A column whose name an added one takes, where the database folds case, must
            // go first.
            match desired
                .columns
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(&old.name))
            {
                true => out.columns.insert(0, drop),
                false => out.drop_columns.push(drop),
            }
        }
    }
    if cmp.table_options(current) != cmp.table_options(desired) {
        out.columns.insert(
            0,
            Operation::SetTableOptions {
                table: name.clone(),
                options: desired.options.clone(),
                previous: Some(current.options.clone()),
            },
        );
    }
    if cmp.comments() && current.comment != desired.comment {
        out.columns.push(Operation::SetTableComment {
            table: name.clone(),
            comment: desired.comment.clone(),
            previous: Some(current.comment.clone()),
        });
    }
    out
}

/// Adding `column` to a table that exists, and so may have rows. A NOT NULL column the
/// database cannot fill (no default, not numbered) is added nullable, its rows backfilled,
/// then made NOT NULL: a revision that cannot fail on existing rows, or that says, in the
/// backfill left to write, what it needs.
fn add_column(table: &str, column: &Column) -> Vec<Operation> {
    let fills_itself = column.nullable || column.default.is_some() || column.autoincrement;
    if fills_itself {
        return vec![Operation::AddColumn {
            table: table.to_string(),
            column: column.clone(),
        }];
    }
    let mut nullable = column.clone();
    nullable.nullable = true;
    vec![
        Operation::AddColumn {
            table: table.to_string(),
            column: nullable,
        },
        Operation::AlterColumn {
            table: table.to_string(),
            column: column.name.clone(),
            changes: backfilled(crate::ops::alter().set_not_null(), column),
            previous: Some(crate::ops::alter().set_nullable()),
        },
    ]
}

/// `changes` with the backfill a column that becomes NOT NULL needs: the model's `backfill`,
/// else its default (rows that hold NULL get what new rows get), else one still to write.
fn backfilled(changes: Alter, column: &Column) -> Alter {
    match (&column.backfill, &column.default) {
        (Some(expr), _) | (None, Some(expr)) => changes.backfill(expr.clone()),
        (None, None) => changes.backfill_to_write(),
    }
}

fn alter_column(
    current_table: &Table,
    old: &Column,
    desired_table: &Table,
    new: &Column,
    cmp: &dyn Compare,
) -> Option<Operation> {
    let (mut changes, mut previous) = Alter::between(old, new);
    if changes.ty.is_some() && cmp.ty(current_table, old) == cmp.ty(desired_table, new) {
        (changes.ty, previous.ty) = (None, None);
    }
    if changes.default.is_some() && cmp.default(old) == cmp.default(new) {
        (changes.default, previous.default) = (None, None);
    }
    if changes.nullable.is_some()
        && cmp.nullable(current_table, old) == cmp.nullable(desired_table, new)
    {
        (changes.nullable, previous.nullable) = (None, None);
    }
    if changes.comment.is_some() && !cmp.comments() {
        (changes.comment, previous.comment) = (None, None);
    }
    if cmp.autoincrement(current_table, old) == cmp.autoincrement(desired_table, new) {
        (changes.autoincrement, previous.autoincrement) = (None, None);
    }
    if changes.numbering.is_some() && cmp.numbering(old) == cmp.numbering(new) {
        (changes.numbering, previous.numbering) = (None, None);
    }
    if changes.on_update.is_some() && cmp.on_update(old) == cmp.on_update(new) {
        (changes.on_update, previous.on_update) = (None, None);
    }
    if changes.generated.is_some() && cmp.generated(old) == cmp.generated(new) {
        (changes.generated, previous.generated) = (None, None);
    }
    if changes.collation.is_some()
        && cmp.collation(current_table, old) == cmp.collation(desired_table, new)
    {
        (changes.collation, previous.collation) = (None, None);
    }
    if changes.nullable == Some(false) {
        changes = backfilled(changes, new);
    }
    (!changes.is_empty()).then(|| Operation::AlterColumn {
        table: desired_table.name.clone(),
        column: new.name.clone(),
        changes,
        previous: Some(previous),
    })
}

/// Every constraint and index of a table as a [`Constraint`]-like item with a match key.
fn items(table: &Table, cmp: &dyn Compare) -> Vec<(String, Item)> {
    let mut out = Vec::new();
    if let Some(pk) = &table.primary_key {
        out.push((
            format!(
                "pk {:?} {:?}",
                pk.columns,
                cmp.constraint_options(&pk.options)
            ),
            Item::Constraint(Constraint::PrimaryKey(pk.clone())),
        ));
    }
    for u in &table.uniques {
        out.push((
            format!(
                "uq {:?} {:?}",
                u.columns,
                cmp.constraint_options(&u.options)
            ),
            Item::Constraint(Constraint::Unique(u.clone())),
        ));
    }
    for i in &table.indexes {
        out.push((format!("ix {}", cmp.index(i)), Item::Index(i.clone())));
    }
    for f in &table.foreign_keys {
        let key = format!(
            "fk {:?} {} {:?} {:?} {:?} {:?}",
            f.columns,
            f.ref_table,
            f.ref_columns,
            f.on_delete,
            f.on_update,
            cmp.constraint_options(&f.options)
        );
        out.push((key, Item::Constraint(Constraint::ForeignKey(f.clone()))));
    }
    for c in &table.checks {
        out.push((
            format!(
                "ck {} {:?}",
                cmp.check(&c.expr),
                cmp.constraint_options(&c.options)
            ),
            Item::Constraint(Constraint::Check(c.clone())),
        ));
    }
    for x in &table.exclusions {
        out.push((
            format!(
                "ex {} {:?}",
                cmp.definition_text(&x.definition),
                cmp.constraint_options(&x.options)
            ),
            Item::Constraint(Constraint::Exclusion(x.clone())),
        ));
    }
    out
}

#[derive(Debug, Clone)]
enum Item {
    Constraint(Constraint),
    Index(crate::schema::Index),
}

impl Item {
    fn name(&self) -> &str {
        match self {
            Item::Constraint(c) => c.name(),
            Item::Index(i) => &i.name,
        }
    }

    /// Whether the name is Outflow's convention for the item (`pk_t`, `uq_t_...`): a model that
    /// leaves the name to the convention keeps the name a database has; one that says its own
    /// name (a database compared with another, a model naming it) gets it.
    fn conventional_name(&self, table: &str) -> bool {
        let prefix = match self {
            Item::Constraint(Constraint::PrimaryKey(_)) => {
                return self.name() == crate::schema::naming::primary_key(table);
            }
            Item::Constraint(Constraint::Unique(_)) => "uq",
            Item::Constraint(Constraint::ForeignKey(_)) => "fk",
            Item::Constraint(Constraint::Check(_)) => "ck",
            Item::Constraint(Constraint::Exclusion(_)) => "ex",
            Item::Index(_) => "ix",
        };
        self.name().starts_with(&format!("{prefix}_{table}_"))
    }
}

/// The rename that gives an item matched by definition the name the desired side says, when
/// it says one of its own.
fn rename(table: &str, current: &Item, desired: &Item, cmp: &dyn Compare) -> Option<Operation> {
    if current.name() == desired.name() || desired.conventional_name(table) {
        return None;
    }
    if matches!(desired, Item::Constraint(Constraint::PrimaryKey(_))) && !cmp.names_primary_keys() {
        return None;
    }
    let (from, to) = (current.name().to_string(), desired.name().to_string());
    let table = table.to_string();
    Some(match desired {
        Item::Index(_) => Operation::RenameIndex { table, from, to },
        Item::Constraint(_) => Operation::RenameConstraint { table, from, to },
    })
}

fn compare_constraints(
    current: &Table,
    desired: &Table,
    cmp: &dyn Compare,
    out: &mut TableChanges,
) {
    let name = &desired.name;
    let mut old = items(current, cmp);
    let new = items(desired, cmp);
    let mut added = Vec::new();
    for (key, item) in new {
        match old.iter().position(|(k, _)| *k == key) {
            Some(found) => {
                let (_, was) = old.remove(found);
                if let Some(op) = rename(name, &was, &item, cmp) {
                    out.renames.push(op);
                }
                if let (Item::Index(old), Item::Index(new)) = (&was, &item)
                    && cmp.comments()
                    && old.comment != new.comment
                {
                    out.add_constraints.push(Operation::SetIndexComment {
                        table: name.clone(),
                        name: new.name.clone(),
                        comment: new.comment.clone(),
                        previous: Some(old.comment.clone()),
                    });
                }
            }
            None => added.push(item),
        }
    }
    for (_, item) in old {
        match item {
            Item::Index(index) => out.drop_constraints.push(Operation::DropIndex {
                table: name.clone(),
                name: index.name.clone(),
                definition: Some(index),
            }),
            Item::Constraint(c) => {
                let op = Operation::DropConstraint {
                    table: name.clone(),
                    name: c.name().to_string(),
                    definition: Some(c.clone()),
                };
                match c {
                    Constraint::ForeignKey(_) => out.drop_foreign_keys.push(op),
                    _ => out.drop_constraints.push(op),
                }
            }
        }
    }
    for item in added {
        match item {
            Item::Index(index) => out.add_constraints.push(Operation::CreateIndex {
                table: name.clone(),
                index,
            }),
            Item::Constraint(c @ Constraint::ForeignKey(_)) => {
                out.add_foreign_keys.push(Operation::AddConstraint {
                    table: name.clone(),
                    constraint: c,
                })
            }
            Item::Constraint(c) => out.add_constraints.push(Operation::AddConstraint {
                table: name.clone(),
                constraint: c,
            }),
        }
    }
}
