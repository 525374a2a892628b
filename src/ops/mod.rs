//! Operations: schema changes as values.
//!
//! Layer: above `schema`, which alone it may use. Version-table changes
//! ([`VersionChange`]) are values here too, so that the graph plans them and the dialects run
//! them without knowing each other.
//!
//! The differ produces [`Operation`]s, revision files record them through [`Operations`], the
//! dialects render them to SQL, and [`Operation::apply`] replays them on an in-memory
//! [`Schema`](crate::schema::Schema). Every operation has a [`reverse`](Operation::reverse);
//! operations that destroy something keep what they destroy (when the differ built them), so a
//! downgrade can always be generated. An operation whose reverse is unknown says so by name.

mod alter;
mod apply;
pub mod data;
mod describe;
mod recorder;
pub mod version;

use crate::schema::{
    Check, Column, ConstraintOptions, Exclusion, ForeignKey, Index, Object, ObjectKind, PrimaryKey,
    Table, Unique,
};

pub use alter::{Alter, Backfill, alter};
pub use apply::ApplyError;
pub use data::{DataError, DataResult, DataStep, Row, Rows};
pub use recorder::Operations;
pub use version::VersionChange;

/// The dialects an [`Operation::Execute`] can be limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DialectName {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL and MariaDB.
    Mysql,
}

impl DialectName {
    /// The name used in `config.yml` (`sqlite`, `postgresql`, `mysql`).
    pub fn as_str(self) -> &'static str {
        match self {
            DialectName::Sqlite => "sqlite",
            DialectName::Postgres => "postgresql",
            DialectName::Mysql => "mysql",
        }
    }
}

impl std::fmt::Display for DialectName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for DialectName {
    type Err = String;

    /// `sqlite`, `postgresql` (or `postgres`), `mysql` (or `mariadb`).
    fn from_str(name: &str) -> Result<DialectName, String> {
        match name {
            "sqlite" => Ok(DialectName::Sqlite),
            "postgresql" | "postgres" => Ok(DialectName::Postgres),
            "mysql" | "mariadb" => Ok(DialectName::Mysql),
            other => Err(format!(
                "unknown dialect '{other}'; use sqlite, postgresql or mysql"
            )),
        }
    }
}

/// A table-level constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    /// Primary key.
    PrimaryKey(PrimaryKey),
    /// Unique constraint.
    Unique(Unique),
    /// Foreign key.
    ForeignKey(ForeignKey),
    /// Check constraint.
    Check(Check),
    /// Exclusion constraint (PostgreSQL).
    Exclusion(Exclusion),
}

impl From<PrimaryKey> for Constraint {
    fn from(c: PrimaryKey) -> Constraint {
        Constraint::PrimaryKey(c)
    }
}

impl From<Unique> for Constraint {
    fn from(c: Unique) -> Constraint {
        Constraint::Unique(c)
    }
}

impl From<ForeignKey> for Constraint {
    fn from(c: ForeignKey) -> Constraint {
        Constraint::ForeignKey(c)
    }
}

impl From<Check> for Constraint {
    fn from(c: Check) -> Constraint {
        Constraint::Check(c)
    }
}

impl From<Exclusion> for Constraint {
    fn from(c: Exclusion) -> Constraint {
        Constraint::Exclusion(c)
    }
}

impl Constraint {
    /// Every constraint of `table`: its primary key, unique constraints, foreign keys, checks
    /// and exclusion constraints, in that order.
    pub fn all_of(table: &crate::schema::Table) -> Vec<Constraint> {
        let t = table;
        let pk = t.primary_key.iter().cloned().map(Constraint::PrimaryKey);
        pk.chain(t.uniques.iter().cloned().map(Constraint::Unique))
            .chain(t.foreign_keys.iter().cloned().map(Constraint::ForeignKey))
            .chain(t.checks.iter().cloned().map(Constraint::Check))
            .chain(t.exclusions.iter().cloned().map(Constraint::Exclusion))
            .collect()
    }

    /// What the constraint says beyond its definition.
    pub fn options(&self) -> &ConstraintOptions {
        match self {
            Constraint::PrimaryKey(c) => &c.options,
            Constraint::Unique(c) => &c.options,
            Constraint::ForeignKey(c) => &c.options,
            Constraint::Check(c) => &c.options,
            Constraint::Exclusion(c) => &c.options,
        }
    }

    /// The constraint's name.
    pub fn name(&self) -> &str {
        match self {
            Constraint::PrimaryKey(c) => &c.name,
            Constraint::Unique(c) => &c.name,
            Constraint::ForeignKey(c) => &c.name,
            Constraint::Check(c) => &c.name,
            Constraint::Exclusion(c) => &c.name,
        }
    }

    /// `primary key`, `unique constraint`, `foreign key` or `check constraint`.
    pub fn kind(&self) -> &'static str {
        match self {
            Constraint::PrimaryKey(_) => "primary key",
            Constraint::Unique(_) => "unique constraint",
            Constraint::ForeignKey(_) => "foreign key",
            Constraint::Check(_) => "check constraint",
            Constraint::Exclusion(_) => "exclusion constraint",
        }
    }
}

/// One schema change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// Create a table with its constraints and indexes.
    CreateTable(Table),
    /// Drop a table; `definition` is the dropped table, when known.
    DropTable {
        /// Table.
        table: String,
        /// What is dropped (makes the operation reversible).
        definition: Option<Box<Table>>,
    },
    /// Rename a table.
    RenameTable {
        /// Current name.
        from: String,
        /// New name.
        to: String,
    },
    /// Add a column.
    AddColumn {
        /// Table.
        table: String,
        /// The new column.
        column: Column,
    },
    /// Drop a column; `definition` is the dropped column, when known.
    DropColumn {
        /// Table.
        table: String,
        /// Column.
        column: String,
        /// What is dropped (makes the operation reversible).
        definition: Option<Column>,
    },
    /// Change a column's type, nullability, default, comment or autoincrement.
    AlterColumn {
        /// Table.
        table: String,
        /// Column.
        column: String,
        /// The new values of what changes.
        changes: Alter,
        /// The old values of the same attributes, when known (makes it reversible).
        previous: Option<Alter>,
    },
    /// Rename a column.
    RenameColumn {
        /// Table.
        table: String,
        /// Current name.
        from: String,
        /// New name.
        to: String,
    },
    /// Create an index.
    CreateIndex {
        /// Table.
        table: String,
        /// The index.
        index: Index,
    },
    /// Drop an index; `definition` is the dropped index, when known.
    DropIndex {
        /// Table.
        table: String,
        /// Index name.
        name: String,
        /// What is dropped (makes the operation reversible).
        definition: Option<Index>,
    },
    /// Rename an index.
    RenameIndex {
        /// Table.
        table: String,
        /// Current name.
        from: String,
        /// New name.
        to: String,
    },
    /// Rename a constraint (the index of a primary key or unique constraint goes with it).
    RenameConstraint {
        /// Table.
        table: String,
        /// Current name.
        from: String,
        /// New name.
        to: String,
    },
    /// Add a constraint to an existing table.
    AddConstraint {
        /// Table.
        table: String,
        /// The constraint.
        constraint: Constraint,
    },
    /// Drop a constraint; `definition` is the dropped constraint, when known.
    DropConstraint {
        /// Table.
        table: String,
        /// Constraint name.
        name: String,
        /// What is dropped (makes the operation reversible).
        definition: Option<Constraint>,
    },
    /// Set or remove an index's comment.
    SetIndexComment {
        /// Table.
        table: String,
        /// Index.
        name: String,
        /// The new comment.
        comment: Option<String>,
        /// The old comment, when known (`Some(None)`: there was none).
        previous: Option<Option<String>>,
    },
    /// Set a table's options (engine, character set, `UNLOGGED`, `STRICT`...).
    SetTableOptions {
        /// Table.
        table: String,
        /// Every option the table has after the change.
        options: std::collections::BTreeMap<String, String>,
        /// The options before, when known (makes it reversible).
        previous: Option<std::collections::BTreeMap<String, String>>,
    },
    /// Set or remove a table comment.
    SetTableComment {
        /// Table.
        table: String,
        /// The new comment.
        comment: Option<String>,
        /// The old comment, when known (`Some(None)`: there was none).
        previous: Option<Option<String>>,
    },
    /// Create an enum type (PostgreSQL; the other dialects keep labels in the columns).
    CreateEnum {
        /// Type name.
        name: String,
        /// Labels, in order.
        values: Vec<String>,
    },
    /// Drop an enum type; `values` are its labels, when known.
    DropEnum {
        /// Type name.
        name: String,
        /// What is dropped (makes the operation reversible).
        values: Option<Vec<String>>,
    },
    /// Change an enum type's labels. Columns of the type change with it (the differ also emits
    /// their `AlterColumn`, for the dialects that keep labels in columns).
    AlterEnum {
        /// Type name.
        name: String,
        /// The new labels, in order.
        values: Vec<String>,
        /// The old labels, when known (makes it reversible).
        previous: Option<Vec<String>>,
    },
    /// Create a view, trigger, function... from its definition.
    CreateObject(Object),
    /// Drop a view, trigger, function...; `definition` is the dropped object, when known.
    DropObject {
        /// What it is.
        kind: ObjectKind,
        /// The table it belongs to, for the kinds that belong to one.
        table: Option<String>,
        /// Its name.
        name: String,
        /// What is dropped (makes the operation reversible).
        definition: Option<Box<Object>>,
    },
    /// Replace an object by a new definition in place (`CREATE OR REPLACE`), where the
    /// database can: what uses it (a trigger using a function) is kept.
    ReplaceObject {
        /// The new definition.
        object: Object,
        /// The old one, when known (makes it reversible).
        previous: Option<Box<Object>>,
    },
    /// Set or remove an object's comment.
    SetObjectComment {
        /// What it is.
        kind: ObjectKind,
        /// The table it belongs to, for the kinds that belong to one.
        table: Option<String>,
        /// Its name.
        name: String,
        /// The new comment.
        comment: Option<String>,
        /// The old comment, when known (`Some(None)`: there was none).
        previous: Option<Option<String>>,
    },
    /// Run SQL as given, on every dialect or on one.
    Execute {
        /// The statement(s).
        sql: String,
        /// Only on this dialect; `None` means every dialect.
        dialect: Option<DialectName>,
    },
    /// Run Rust code on the rows, on the migration's connection (see [`data`]).
    RunRust(DataStep),
}

/// An operation whose reverse cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot reverse {operation}: {reason}")]
pub struct Irreversible {
    /// The operation, described.
    pub operation: String,
    /// Why.
    pub reason: &'static str,
}

impl Operation {
    /// The opposite operation: applying `self` then `self.reverse()` restores the schema.
    pub fn reverse(&self) -> Result<Operation, Irreversible> {
        use Operation::*;
        let missing = |reason| Irreversible {
            operation: self.to_string(),
            reason,
        };
        Ok(match self {
            CreateTable(t) => DropTable {
                table: t.name.clone(),
                definition: Some(Box::new(t.clone())),
            },
            DropTable { definition, .. } => CreateTable(
                *definition
                    .clone()
                    .ok_or_else(|| missing("the dropped table's definition is not recorded"))?,
            ),
            RenameTable { from, to } => RenameTable {
                from: to.clone(),
                to: from.clone(),
            },
            AddColumn { table, column } => DropColumn {
                table: table.clone(),
                column: column.name.clone(),
                definition: Some(column.clone()),
            },
            DropColumn {
                table, definition, ..
            } => AddColumn {
                table: table.clone(),
                column: definition
                    .clone()
                    .ok_or_else(|| missing("the dropped column's definition is not recorded"))?,
            },
            AlterColumn {
                table,
                column,
                changes,
                previous,
            } => AlterColumn {
                table: table.clone(),
                column: column.clone(),
                changes: previous
                    .clone()
                    .ok_or_else(|| missing("the column's previous state is not recorded"))?,
                previous: Some(changes.clone()),
            },
            RenameColumn { table, from, to } => RenameColumn {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            RenameIndex { table, from, to } => RenameIndex {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            RenameConstraint { table, from, to } => RenameConstraint {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            CreateIndex { table, index } => DropIndex {
                table: table.clone(),
                name: index.name.clone(),
                definition: Some(index.clone()),
            },
            DropIndex {
                table, definition, ..
            } => CreateIndex {
                table: table.clone(),
                index: definition
                    .clone()
                    .ok_or_else(|| missing("the dropped index's definition is not recorded"))?,
            },
            AddConstraint { table, constraint } => DropConstraint {
                table: table.clone(),
                name: constraint.name().to_string(),
                definition: Some(constraint.clone()),
            },
            DropConstraint {
                table, definition, ..
            } => AddConstraint {
                table: table.clone(),
                constraint: definition.clone().ok_or_else(|| {
                    missing("the dropped constraint's definition is not recorded")
                })?,
            },
            CreateEnum { name, values } => DropEnum {
                name: name.clone(),
                values: Some(values.clone()),
            },
            DropEnum { name, values } => CreateEnum {
                name: name.clone(),
                values: values
                    .clone()
                    .ok_or_else(|| missing("the dropped type's labels are not recorded"))?,
            },
            AlterEnum {
                name,
                values,
                previous,
            } => AlterEnum {
                name: name.clone(),
                values: previous
                    .clone()
                    .ok_or_else(|| missing("the type's previous labels are not recorded"))?,
                previous: Some(values.clone()),
            },
            SetIndexComment {
                table,
                name,
                comment,
                previous,
            } => SetIndexComment {
                table: table.clone(),
                name: name.clone(),
                comment: previous
                    .clone()
                    .ok_or_else(|| missing("the previous comment is not recorded"))?,
                previous: Some(comment.clone()),
            },
            SetTableOptions {
                table,
                options,
                previous,
            } => SetTableOptions {
                table: table.clone(),
                options: previous
                    .clone()
                    .ok_or_else(|| missing("the previous options are not recorded"))?,
                previous: Some(options.clone()),
            },
            SetTableComment {
                table,
                comment,
                previous,
            } => SetTableComment {
                table: table.clone(),
                comment: previous
                    .clone()
                    .ok_or_else(|| missing("the previous comment is not recorded"))?,
                previous: Some(comment.clone()),
            },
            CreateObject(o) => DropObject {
                kind: o.kind,
                table: o.table.clone(),
                name: o.name.clone(),
                definition: Some(Box::new(o.clone())),
            },
            DropObject { definition, .. } => CreateObject(
                *definition
                    .clone()
                    .ok_or_else(|| missing("the dropped object's definition is not recorded"))?,
            ),
            ReplaceObject { object, previous } => ReplaceObject {
                object: *previous
                    .clone()
                    .ok_or_else(|| missing("the object's previous definition is not recorded"))?,
                previous: Some(Box::new(object.clone())),
            },
            SetObjectComment {
                kind,
                table,
                name,
                comment,
                previous,
            } => SetObjectComment {
                kind: *kind,
                table: table.clone(),
                name: name.clone(),
                comment: previous
                    .clone()
                    .ok_or_else(|| missing("the previous comment is not recorded"))?,
                previous: Some(comment.clone()),
            },
            Execute { .. } => {
                return Err(missing(
                    "raw SQL has no known reverse; write the downgrade by hand",
                ));
            }
            RunRust(_) => {
                return Err(missing(
                    "Rust code has no known reverse; write the downgrade by hand",
                ));
            }
        })
    }

    /// The object other than a table the operation is about: kind, table and name.
    pub fn object(&self) -> Option<(ObjectKind, Option<&str>, &str)> {
        use Operation::*;
        match self {
            CreateObject(o) | ReplaceObject { object: o, .. } => {
                Some((o.kind, o.table.as_deref(), &o.name))
            }
            DropObject {
                kind, table, name, ..
            }
            | SetObjectComment {
                kind, table, name, ..
            } => Some((*kind, table.as_deref(), name)),
            _ => None,
        }
    }

    /// The table the operation changes (`None` for raw SQL and Rust code).
    pub fn table(&self) -> Option<&str> {
        use Operation::*;
        match self {
            CreateTable(t) => Some(&t.name),
            RenameTable { from, .. } => Some(from),
            DropTable { table, .. }
            | AddColumn { table, .. }
            | DropColumn { table, .. }
            | AlterColumn { table, .. }
            | RenameColumn { table, .. }
            | RenameIndex { table, .. }
            | RenameConstraint { table, .. }
            | CreateIndex { table, .. }
            | DropIndex { table, .. }
            | AddConstraint { table, .. }
            | DropConstraint { table, .. }
            | SetTableComment { table, .. }
            | SetIndexComment { table, .. }
            | SetTableOptions { table, .. } => Some(table),
            Execute { .. }
            | RunRust(_)
            | CreateEnum { .. }
            | DropEnum { .. }
            | AlterEnum { .. }
            | CreateObject(_)
            | DropObject { .. }
            | ReplaceObject { .. }
            | SetObjectComment { .. } => None,
        }
    }

    /// Why the operation can lose data, if it can: a reviewer must not miss these.
    pub fn destruction(&self) -> Option<String> {
        match self {
            Operation::DropTable { table, .. } => {
                Some(format!("drops table '{table}' and every row in it"))
            }
            Operation::DropColumn { table, column, .. } => {
                Some(format!("drops column '{table}.{column}' and its data"))
            }
            Operation::AlterColumn {
                table,
                column,
                changes,
                previous,
            } => {
                let to = changes.ty.as_ref()?;
                let narrowing = match previous.as_ref().and_then(|p| p.ty.as_ref()) {
                    Some(from) => from.narrows_to(to),
                    None => true,
                };
                narrowing.then(|| {
                    format!("changes the type of '{table}.{column}' to {to}, which can lose or reject data")
                })
            }
            _ => None,
        }
    }
}

/// Reverses a list of operations: the downgrade of an upgrade.
pub fn reverse_all(ops: &[Operation]) -> Result<Vec<Operation>, Irreversible> {
    ops.iter().rev().map(Operation::reverse).collect()
}
