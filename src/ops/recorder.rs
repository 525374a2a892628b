//! [`Operations`]: what a revision's `upgrade` and `downgrade` functions record into.

use std::sync::Arc;

use super::data::{DataResult, DataStep, Rows};
use super::{Alter, Constraint, DialectName, Operation};
use crate::schema::{
    Check, Column, ForeignKey, Index, Object, ObjectKind, PrimaryKey, Table, Unique,
};

/// The operations a revision function records, in order. Recording touches no database: the
/// runner renders and runs them afterwards, `--sql` prints them, and the replay computes the
/// schema at any revision.
///
/// ```
/// use outflow::migration::prelude::*;
///
/// fn upgrade(op: &mut Operations) {
///     op.create_table(
///         table("t")
///             .column(column("id", Type::Integer).not_null())
///             .primary_key("pk_t", ["id"]),
///     );
///     op.add_column("t", column("note", Type::Text));
/// }
///
/// let mut op = Operations::new();
/// upgrade(&mut op);
/// assert_eq!(op.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Operations {
    ops: Vec<Operation>,
    /// The line of the revision file that recorded each operation (the call site), for the
    /// linter's findings and its `// lint: allow` comments.
    lines: Vec<u32>,
    /// Why this function cannot be run, when it says so ([`Operations::irreversible`]).
    irreversible: Option<String>,
}

impl Operations {
    /// An empty recording.
    pub fn new() -> Operations {
        Operations::default()
    }

    /// The recorded operations.
    pub fn as_slice(&self) -> &[Operation] {
        &self.ops
    }

    /// Takes the recorded operations.
    pub fn into_vec(self) -> Vec<Operation> {
        self.ops
    }

    /// The line of the calling file that recorded each operation, in order.
    pub fn lines(&self) -> &[u32] {
        &self.lines
    }

    /// Number of operations.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Records any operation value.
    #[track_caller]
    pub fn push(&mut self, op: Operation) {
        self.ops.push(op);
        self.lines.push(std::panic::Location::caller().line());
    }

    /// Creates a table with its constraints and indexes.
    #[track_caller]
    pub fn create_table(&mut self, table: Table) {
        self.push(Operation::CreateTable(table));
    }

    /// Drops a table.
    #[track_caller]
    pub fn drop_table(&mut self, table: &str) {
        self.push(Operation::DropTable {
            table: table.into(),
            definition: None,
        });
    }

    /// Renames a table.
    #[track_caller]
    pub fn rename_table(&mut self, from: &str, to: &str) {
        self.push(Operation::RenameTable {
            from: from.into(),
            to: to.into(),
        });
    }

    /// Adds a column.
    #[track_caller]
    pub fn add_column(&mut self, table: &str, column: Column) {
        self.push(Operation::AddColumn {
            table: table.into(),
            column,
        });
    }

    /// Drops a column.
    #[track_caller]
    pub fn drop_column(&mut self, table: &str, column: &str) {
        self.push(Operation::DropColumn {
            table: table.into(),
            column: column.into(),
            definition: None,
        });
    }

    /// Changes a column's attributes; see [`alter`](super::alter).
    #[track_caller]
    pub fn alter_column(&mut self, table: &str, column: &str, changes: Alter) {
        self.push(Operation::AlterColumn {
            table: table.into(),
            column: column.into(),
            changes,
            previous: None,
        });
    }

    /// Renames a column.
    #[track_caller]
    pub fn rename_column(&mut self, table: &str, from: &str, to: &str) {
        self.push(Operation::RenameColumn {
            table: table.into(),
            from: from.into(),
            to: to.into(),
        });
    }

    /// Creates an index; see [`index`](crate::schema::index).
    #[track_caller]
    pub fn create_index(&mut self, table: &str, index: Index) {
        self.push(Operation::CreateIndex {
            table: table.into(),
            index,
        });
    }

    /// Drops an index.
    #[track_caller]
    pub fn drop_index(&mut self, table: &str, name: &str) {
        self.push(Operation::DropIndex {
            table: table.into(),
            name: name.into(),
            definition: None,
        });
    }

    /// Adds a primary key to an existing table.
    pub fn create_primary_key<I>(&mut self, table: &str, name: &str, columns: I)
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let key = PrimaryKey {
            name: name.into(),
            columns: columns.into_iter().map(Into::into).collect(),
            options: Default::default(),
        };
        self.add_constraint(table, Constraint::PrimaryKey(key));
    }

    /// Adds a unique constraint to an existing table.
    pub fn create_unique<I>(&mut self, table: &str, name: &str, columns: I)
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let unique = Unique {
            name: name.into(),
            columns: columns.into_iter().map(Into::into).collect(),
            options: Default::default(),
        };
        self.add_constraint(table, Constraint::Unique(unique));
    }

    /// Adds a foreign key to an existing table; see [`foreign_key`](crate::schema::foreign_key).
    #[track_caller]
    pub fn create_foreign_key(&mut self, table: &str, foreign_key: ForeignKey) {
        self.add_constraint(table, Constraint::ForeignKey(foreign_key));
    }

    /// Adds a check constraint to an existing table.
    #[track_caller]
    pub fn create_check(&mut self, table: &str, name: &str, expr: &str) {
        self.add_constraint(
            table,
            Constraint::Check(Check {
                name: name.into(),
                expr: expr.into(),
                options: Default::default(),
            }),
        );
    }

    /// Drops a constraint (primary key, unique, foreign key or check) by name.
    #[track_caller]
    pub fn drop_constraint(&mut self, table: &str, name: &str) {
        self.push(Operation::DropConstraint {
            table: table.into(),
            name: name.into(),
            definition: None,
        });
    }

    /// Sets (`Some`) or removes (`None`) a table's comment.
    #[track_caller]
    pub fn set_table_comment(&mut self, table: &str, comment: Option<&str>) {
        self.push(Operation::SetTableComment {
            table: table.into(),
            comment: comment.map(Into::into),
            previous: None,
        });
    }

    /// Creates an enum type (a named type on PostgreSQL; nothing on the dialects that keep the
    /// labels in the columns).
    pub fn create_enum<I>(&mut self, name: &str, values: I)
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let values = values.into_iter().map(Into::into).collect();
        self.push(Operation::CreateEnum {
            name: name.into(),
            values,
        });
    }

    /// Drops an enum type.
    #[track_caller]
    pub fn drop_enum(&mut self, name: &str) {
        self.push(Operation::DropEnum {
            name: name.into(),
            values: None,
        });
    }

    /// Sets an enum type's labels. On PostgreSQL the type changes and its columns with it; on
    /// MySQL and SQLite the labels live in the columns, so a revision also alters each column
    /// (generated revisions do).
    #[track_caller]
    pub fn alter_enum<I>(&mut self, name: &str, values: I)
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let values = values.into_iter().map(Into::into).collect();
        self.push(Operation::AlterEnum {
            name: name.into(),
            values,
            previous: None,
        });
    }

    /// Adds any constraint, with its options (`unique("uq_t_a", ["a"]).initially_deferred()`).
    #[track_caller]
    pub fn add_constraint(&mut self, table: &str, constraint: impl Into<Constraint>) {
        self.push(Operation::AddConstraint {
            table: table.into(),
            constraint: constraint.into(),
        });
    }

    /// Sets every option of a table (`engine`, `charset`, `unlogged`, `strict`...).
    #[track_caller]
    pub fn set_table_options<'a>(
        &mut self,
        table: &str,
        options: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) {
        self.push(Operation::SetTableOptions {
            table: table.into(),
            options: options
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            previous: None,
        });
    }

    /// Sets or removes an index's comment.
    #[track_caller]
    pub fn set_index_comment(&mut self, table: &str, name: &str, comment: Option<&str>) {
        self.push(Operation::SetIndexComment {
            table: table.into(),
            name: name.into(),
            comment: comment.map(str::to_string),
            previous: None,
        });
    }

    /// Renames an index.
    #[track_caller]
    pub fn rename_index(&mut self, table: &str, from: &str, to: &str) {
        self.push(Operation::RenameIndex {
            table: table.into(),
            from: from.into(),
            to: to.into(),
        });
    }

    /// Renames a constraint.
    #[track_caller]
    pub fn rename_constraint(&mut self, table: &str, from: &str, to: &str) {
        self.push(Operation::RenameConstraint {
            table: table.into(),
            from: from.into(),
            to: to.into(),
        });
    }

    /// Creates a view, trigger, function... from the SQL that creates it.
    #[track_caller]
    pub fn create_object(&mut self, object: Object) {
        self.push(Operation::CreateObject(object));
    }

    /// Drops an object that belongs to no table (a view, a function...).
    #[track_caller]
    pub fn drop_object(&mut self, kind: ObjectKind, name: &str) {
        self.push(Operation::DropObject {
            kind,
            table: None,
            name: name.into(),
            definition: None,
        });
    }

    /// Drops an object that belongs to `table` (a trigger, a policy...).
    #[track_caller]
    pub fn drop_object_on(&mut self, kind: ObjectKind, table: &str, name: &str) {
        self.push(Operation::DropObject {
            kind,
            table: Some(table.into()),
            name: name.into(),
            definition: None,
        });
    }

    /// Replaces an object's definition in place (`CREATE OR REPLACE`), keeping what uses it.
    #[track_caller]
    pub fn replace_object(&mut self, object: Object) {
        self.push(Operation::ReplaceObject {
            object,
            previous: None,
        });
    }

    /// Sets or removes the comment of an object that belongs to no table.
    #[track_caller]
    pub fn set_object_comment(&mut self, kind: ObjectKind, name: &str, comment: Option<&str>) {
        self.push(Operation::SetObjectComment {
            kind,
            table: None,
            name: name.into(),
            comment: comment.map(str::to_string),
            previous: None,
        });
    }

    /// Sets or removes the comment of an object that belongs to `table`.
    #[track_caller]
    pub fn set_object_comment_on(
        &mut self,
        kind: ObjectKind,
        table: &str,
        name: &str,
        comment: Option<&str>,
    ) {
        self.push(Operation::SetObjectComment {
            kind,
            table: Some(table.into()),
            name: name.into(),
            comment: comment.map(str::to_string),
            previous: None,
        });
    }

    /// Runs SQL as written, on every dialect. Prefer the schema operations: raw SQL is opaque
    /// to `--sql` replay and has no automatic reverse.
    #[track_caller]
    pub fn execute(&mut self, sql: &str) {
        self.push(Operation::Execute {
            sql: sql.into(),
            dialect: None,
        });
    }

    /// Runs SQL as written, only when the database is of `dialect`.
    #[track_caller]
    pub fn execute_on(&mut self, dialect: DialectName, sql: &str) {
        self.push(Operation::Execute {
            sql: sql.into(),
            dialect: Some(dialect),
        });
    }

    /// Runs Rust code on the rows at this point of the migration: on the migration's
    /// connection, inside its transaction, after the operations recorded before it ran. The
    /// body reads and writes through [`Rows`] (tables as the database has them then, not as
    /// today's models say); an error from it fails the revision and undoes it where the
    /// database can. `--sql` cannot print Rust code, so it refuses a revision that has one.
    ///
    /// ```
    /// use outflow::migration::prelude::*;
    ///
    /// fn upgrade(op: &mut Operations) {
    ///     op.run_rust("lower-case every e-mail", |rows| {
    ///         for user in rows.select("account", ["id", "email"]).all()? {
    ///             let email = user.text("email")?.unwrap_or_default().to_lowercase();
    ///             rows.update("account")
    ///                 .set("email", email)
    ///                 .filter("id", user.get("id")?)
    ///                 .run()?;
    ///         }
    ///         Ok(())
    ///     });
    /// }
    /// # let mut op = Operations::new();
    /// # upgrade(&mut op);
    /// ```
    #[track_caller]
    pub fn run_rust<F>(&mut self, name: &str, body: F)
    where
        F: Fn(&mut Rows<'_>) -> DataResult + Send + Sync + 'static,
    {
        self.push(Operation::RunRust(DataStep {
            name: name.into(),
            body: Arc::new(body),
        }));
    }

    /// Says that this function cannot be run, and why: in a `downgrade`, `db downgrade` past
    /// the revision refuses before anything runs, naming the revision and this reason (a data
    /// change that cannot be undone, say). Operations recorded with it are not run.
    ///
    /// ```
    /// use outflow::migration::prelude::*;
    ///
    /// fn downgrade(op: &mut Operations) {
    ///     op.irreversible("the old free-text addresses were split into columns; they cannot be joined back exactly");
    /// }
    /// # let mut op = Operations::new();
    /// # downgrade(&mut op);
    /// # assert!(op.irreversible_reason().is_some());
    /// ```
    pub fn irreversible(&mut self, reason: &str) {
        self.irreversible = Some(reason.into());
    }

    /// The reason given to [`Operations::irreversible`], if any.
    pub fn irreversible_reason(&self) -> Option<&str> {
        self.irreversible.as_deref()
    }
}
