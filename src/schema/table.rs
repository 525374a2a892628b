//! Tables, columns and constraints, with the builder functions revision files use.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Column;
use super::index::{Index, KeyPart, index};

/// A table: ordered columns plus named constraints and indexes.
///
/// Build one with [`table`]:
///
/// ```
/// use outflow::schema::{column, table, Type};
/// let t = table("computation_result")
///     .column(column("id_computation_result", Type::Integer).not_null())
///     .column(column("input_value", Type::Integer).not_null())
///     .primary_key("pk_computation_result", ["id_computation_result"])
///     .unique("uq_computation_result_input_value", ["input_value"]);
/// assert_eq!(t.column_named("input_value").unwrap().nullable, false);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Table name.
    pub name: String,
    /// Columns in table order.
    pub columns: Vec<Column>,
    /// The primary key, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    /// Unique constraints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uniques: Vec<Unique>,
    /// Indexes (unique or not).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// Foreign keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// Check constraints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    /// Exclusion constraints (PostgreSQL).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<Exclusion>,
    /// Table comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Options of the table, by the names each database gives them: MySQL `engine`,
    /// `charset`, `collation`, `row_format`, `key_block_size`; PostgreSQL `unlogged` and its
    /// storage parameters (`fillfactor`); SQLite `strict` and `without_rowid`. A database that
    /// does not know an option refuses the table, naming it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    /// The name the table had before (a model's hint: autogenerate renames the old table
    /// instead of dropping it and creating this one). No database state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

pub(super) fn yes() -> bool {
    true
}

pub(super) fn is_false(value: &bool) -> bool {
    !value
}

/// A named primary key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrimaryKey {
    /// Constraint name.
    pub name: String,
    /// Key columns in order.
    pub columns: Vec<String>,
    /// What else is said of it (deferral, comment).
    #[serde(default, skip_serializing_if = "ConstraintOptions::is_default")]
    pub options: ConstraintOptions,
}

/// A named unique constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unique {
    /// Constraint name.
    pub name: String,
    /// Columns in order.
    pub columns: Vec<String>,
    /// What else is said of it (deferral, NULLS NOT DISTINCT, comment).
    #[serde(default, skip_serializing_if = "ConstraintOptions::is_default")]
    pub options: ConstraintOptions,
}

/// What a constraint says beyond its definition. Each is for the databases that have it
/// (PostgreSQL has them all; SQLite defers foreign keys); a dialect without one refuses it by
/// name rather than drop it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstraintOptions {
    /// Checked at the end of the transaction rather than of each statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deferrable: Option<Deferral>,
    /// Not checked against the rows already there when it was added (`NOT VALID`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_valid: bool,
    /// A check not inherited by child tables (`NO INHERIT`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_inherit: bool,
    /// A foreign key whose columns are all NULL or none (`MATCH FULL`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub match_full: bool,
    /// A unique constraint for which NULLs are equal (`NULLS NOT DISTINCT`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// The constraint's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl ConstraintOptions {
    /// Whether nothing is said.
    pub fn is_default(&self) -> bool {
        *self == ConstraintOptions::default()
    }
}

/// When a deferrable constraint is checked by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deferral {
    /// `DEFERRABLE INITIALLY IMMEDIATE`: at each statement unless a transaction defers it.
    InitiallyImmediate,
    /// `DEFERRABLE INITIALLY DEFERRED`: at the end of the transaction.
    InitiallyDeferred,
}

/// A named exclusion constraint (PostgreSQL): no two rows may match by its operators. Held
/// as its SQL (`EXCLUDE USING gist (room WITH =, during WITH &&)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// Constraint name.
    pub name: String,
    /// The clause after the name: `EXCLUDE USING ... (...) [WHERE (...)]`.
    pub definition: String,
    /// What else is said of it (deferral, comment).
    #[serde(default, skip_serializing_if = "ConstraintOptions::is_default")]
    pub options: ConstraintOptions,
}

/// What a foreign key does when the referenced row is deleted or updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// `NO ACTION` (the SQL default).
    #[default]
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl Action {
    /// The SQL spelling.
    pub fn sql(self) -> &'static str {
        match self {
            Action::NoAction => "NO ACTION",
            Action::Restrict => "RESTRICT",
            Action::Cascade => "CASCADE",
            Action::SetNull => "SET NULL",
            Action::SetDefault => "SET DEFAULT",
        }
    }

    /// Reads the SQL spelling (any case, `_` or space between words).
    pub fn from_sql(text: &str) -> Option<Action> {
        let norm = text.trim().to_ascii_uppercase().replace('_', " ");
        [
            Action::NoAction,
            Action::Restrict,
            Action::Cascade,
            Action::SetNull,
            Action::SetDefault,
        ]
        .into_iter()
        .find(|a| a.sql() == norm)
    }

    fn is_default(&self) -> bool {
        *self == Action::NoAction
    }
}

/// A named foreign key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignKey {
    /// Constraint name.
    pub name: String,
    /// Referencing columns.
    pub columns: Vec<String>,
    /// Referenced table.
    pub ref_table: String,
    /// Referenced columns, in the order of `columns`.
    pub ref_columns: Vec<String>,
    /// `ON DELETE` action.
    #[serde(default, skip_serializing_if = "Action::is_default")]
    pub on_delete: Action,
    /// `ON UPDATE` action.
    #[serde(default, skip_serializing_if = "Action::is_default")]
    pub on_update: Action,
    /// What else is said of it (deferral, `MATCH FULL`, `NOT VALID`, comment).
    #[serde(default, skip_serializing_if = "ConstraintOptions::is_default")]
    pub options: ConstraintOptions,
}

/// A named check constraint over an SQL expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Constraint name.
    pub name: String,
    /// The SQL expression that must hold.
    pub expr: String,
    /// What else is said of it (`NOT VALID`, `NO INHERIT`, comment).
    #[serde(default, skip_serializing_if = "ConstraintOptions::is_default")]
    pub options: ConstraintOptions,
}

/// Starts a table definition.
pub fn table(name: impl Into<String>) -> Table {
    Table {
        name: name.into(),
        columns: Vec::new(),
        primary_key: None,
        uniques: Vec::new(),
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
        checks: Vec::new(),
        exclusions: Vec::new(),
        comment: None,
        options: BTreeMap::new(),
        renamed_from: None,
    }
}

/// Starts a foreign key definition (actions default to `NO ACTION`).
pub fn foreign_key<C, R>(
    name: impl Into<String>,
    columns: C,
    ref_table: impl Into<String>,
    ref_columns: R,
) -> ForeignKey
where
    C: IntoIterator,
    C::Item: Into<String>,
    R: IntoIterator,
    R::Item: Into<String>,
{
    ForeignKey {
        name: name.into(),
        columns: strings(columns),
        ref_table: ref_table.into(),
        ref_columns: strings(ref_columns),
        on_delete: Action::NoAction,
        on_update: Action::NoAction,
        options: Default::default(),
    }
}

fn strings<I>(items: I) -> Vec<String>
where
    I: IntoIterator,
    I::Item: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

impl Table {
    /// Appends a column.
    pub fn column(mut self, column: Column) -> Table {
        self.columns.push(column);
        self
    }

    /// Puts `column` in place of the column of the same name, or appends it: a model's
    /// `extend` function says with it what its field's attributes do not.
    ///
    /// ```
    /// use outflow::schema::{NumberingKind, Type, column, numbering, table};
    /// let t = table("t")
    ///     .column(column("id", Type::Integer).not_null())
    ///     .column(column("name", Type::Text))
    ///     .with_column(column("id", Type::Integer).not_null().numbered(numbering(NumberingKind::Always)));
    /// assert_eq!(t.columns[0].name, "id");
    /// assert!(t.columns[0].numbering.is_some());
    /// ```
    pub fn with_column(mut self, column: Column) -> Table {
        match self.columns.iter_mut().find(|c| c.name == column.name) {
            Some(slot) => *slot = column,
            None => self.columns.push(column),
        }
        self
    }

    /// Sets the primary key.
    pub fn primary_key<I>(mut self, name: impl Into<String>, columns: I) -> Table
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.primary_key = Some(PrimaryKey {
            name: name.into(),
            columns: strings(columns),
            options: Default::default(),
        });
        self
    }

    /// Adds a unique constraint.
    pub fn unique<I>(mut self, name: impl Into<String>, columns: I) -> Table
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.uniques.push(Unique {
            name: name.into(),
            columns: strings(columns),
            options: Default::default(),
        });
        self
    }

    /// Adds a non-unique index on plain columns (see [`Table::with_index`] for the others).
    pub fn index<I>(mut self, name: impl Into<String>, columns: I) -> Table
    where
        I: IntoIterator,
        I::Item: Into<KeyPart>,
    {
        self.indexes.push(index(name, columns));
        self
    }

    /// Adds a unique index.
    pub fn unique_index<I>(mut self, name: impl Into<String>, columns: I) -> Table
    where
        I: IntoIterator,
        I::Item: Into<KeyPart>,
    {
        self.indexes.push(index(name, columns).unique());
        self
    }

    /// Adds an index of any kind (partial, on expressions, with a method...).
    pub fn with_index(mut self, index: Index) -> Table {
        self.indexes.push(index);
        self
    }

    /// Adds a foreign key.
    pub fn foreign_key(mut self, foreign_key: ForeignKey) -> Table {
        self.foreign_keys.push(foreign_key);
        self
    }

    /// Adds a check constraint.
    pub fn check(mut self, name: impl Into<String>, expr: impl Into<String>) -> Table {
        self.checks.push(Check {
            name: name.into(),
            expr: expr.into(),
            options: Default::default(),
        });
        self
    }

    /// Sets an option of the table (`engine`, `charset`, `unlogged`, `strict`...).
    pub fn option(mut self, name: impl Into<String>, value: impl Into<String>) -> Table {
        self.options.insert(name.into(), value.into());
        self
    }

    /// Sets the table comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Table {
        self.comment = Some(comment.into());
        self
    }

    /// Says the table was called `old` before: autogenerate renames it, keeping its rows.
    pub fn renamed_from(mut self, old: impl Into<String>) -> Table {
        self.renamed_from = Some(old.into());
        self
    }

    /// The table as a database holds it: without the model's hints, its columns' included.
    pub fn without_hints(mut self) -> Table {
        self.renamed_from = None;
        self.columns = self
            .columns
            .into_iter()
            .map(Column::without_hints)
            .collect();
        self
    }

    /// The tables this table is made from: the parents it inherits from (option `inherits`,
    /// names separated by `, `) and the table it is a partition of (option `partition_of`).
    /// They are created before it and dropped after it.
    pub fn parents(&self) -> Vec<&str> {
        let inherits = self.options.get("inherits").into_iter();
        let names = inherits.flat_map(|list| list.split(", ")).map(str::trim);
        names
            .chain(self.options.get("partition_of").map(String::as_str))
            .filter(|n| !n.is_empty())
            .collect()
    }

    /// The column called `name`.
    pub fn column_named(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The column called `name`, mutably.
    pub fn column_named_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    /// Names of every constraint and index of the table.
    pub fn object_names(&self) -> impl Iterator<Item = &str> {
        let pk = self.primary_key.iter().map(|k| k.name.as_str());
        pk.chain(self.uniques.iter().map(|u| u.name.as_str()))
            .chain(self.indexes.iter().map(|i| i.name.as_str()))
            .chain(self.foreign_keys.iter().map(|f| f.name.as_str()))
            .chain(self.checks.iter().map(|c| c.name.as_str()))
            .chain(self.exclusions.iter().map(|c| c.name.as_str()))
    }

    /// Sorts constraint and index lists by name, so equal tables compare equal whatever the
    /// order they were declared or introspected in. Column order is kept: it is meaningful.
    pub fn sort_constraints(&mut self) {
        self.uniques.sort_by(|a, b| a.name.cmp(&b.name));
        self.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        self.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        self.checks.sort_by(|a, b| a.name.cmp(&b.name));
        self.exclusions.sort_by(|a, b| a.name.cmp(&b.name));
    }
}

impl ForeignKey {
    /// Sets the `ON DELETE` action.
    pub fn on_delete(mut self, action: Action) -> ForeignKey {
        self.on_delete = action;
        self
    }

    /// Sets the `ON UPDATE` action.
    pub fn on_update(mut self, action: Action) -> ForeignKey {
        self.on_update = action;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Type, column};

    #[test]
    fn actions_read_their_sql_spellings() {
        for action in [
            Action::NoAction,
            Action::Restrict,
            Action::Cascade,
            Action::SetNull,
            Action::SetDefault,
        ] {
            assert_eq!(Action::from_sql(action.sql()), Some(action));
        }
        assert_eq!(Action::from_sql("set_null"), Some(Action::SetNull));
        assert_eq!(Action::from_sql("explode"), None);
    }

    #[test]
    fn sorting_orders_constraints_but_not_columns() {
        let mut t = table("t")
            .column(column("b", Type::Text))
            .column(column("a", Type::Text))
            .index("ix_t_b", ["b"])
            .index("ix_t_a", ["a"]);
        t.sort_constraints();
        assert_eq!(t.columns[0].name, "b");
        assert_eq!(t.indexes[0].name, "ix_t_a");
    }
}
