//! Consistency checks on schema values, with errors that name the table and the object.

use std::collections::{BTreeMap, BTreeSet};

use super::{Schema, Table, Type};

/// A schema value that cannot describe a real database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// The YAML text is not a schema description.
    #[error("invalid schema description: {0}")]
    Yaml(String),
    /// A name is empty.
    #[error("table '{table}': {what} has an empty name")]
    EmptyName {
        /// Table.
        table: String,
        /// What is unnamed.
        what: String,
    },
    /// A table has no column.
    #[error("table '{0}' has no column; give it at least one (or the tables it inherits from)")]
    NoColumns(String),
    /// Two columns share a name.
    #[error("table '{table}' has two columns named '{column}'")]
    DuplicateColumn {
        /// Table.
        table: String,
        /// Column.
        column: String,
    },
    /// Two constraints or indexes share a name.
    #[error(
        "the name '{name}' is used twice (table '{table}'); constraint and index names must be unique"
    )]
    DuplicateName {
        /// Table.
        table: String,
        /// Name.
        name: String,
    },
    /// A constraint or index names a column the table does not have.
    #[error(
        "table '{table}': {object} '{name}' names column '{column}', which the table does not have"
    )]
    UnknownColumn {
        /// Table.
        table: String,
        /// Kind of object.
        object: &'static str,
        /// Object name.
        name: String,
        /// Missing column.
        column: String,
    },
    /// A constraint or index lists no column.
    #[error("table '{table}': {object} '{name}' lists no column")]
    NoKeyColumns {
        /// Table.
        table: String,
        /// Kind of object.
        object: &'static str,
        /// Object name.
        name: String,
    },
    /// A primary-key column allows NULL.
    #[error("table '{table}': primary-key column '{column}' must be NOT NULL")]
    NullablePrimaryKey {
        /// Table.
        table: String,
        /// Column.
        column: String,
    },
    /// `autoincrement` on a column that does not hold integers.
    #[error(
        "table '{table}': column '{column}' is autoincrement but its type is not an integer type; give it one or remove autoincrement"
    )]
    BadAutoincrement {
        /// Table.
        table: String,
        /// Column.
        column: String,
    },
    /// A foreign key's column lists differ in length.
    #[error(
        "table '{table}': foreign key '{name}' has {columns} column(s) but references {ref_columns}"
    )]
    ForeignKeyArity {
        /// Table.
        table: String,
        /// Constraint.
        name: String,
        /// Referencing column count.
        columns: usize,
        /// Referenced column count.
        ref_columns: usize,
    },
    /// Two columns use one enum type with different labels.
    #[error(
        "enum type '{name}' has different labels in '{first}' and '{second}'; give them one list (or two type names)"
    )]
    EnumConflict {
        /// The type.
        name: String,
        /// One column.
        first: String,
        /// The other.
        second: String,
    },
    /// A `renamed_from` that cannot be a rename.
    #[error("{what} '{name}' says it was renamed from '{old}', {reason}")]
    BadRename {
        /// `table` or `column 't.c'`'s kind and place.
        what: &'static str,
        /// The new name (`t` or `t.c`).
        name: String,
        /// The old name.
        old: String,
        /// Why not, and what to do.
        reason: &'static str,
    },
    /// An object other than a table is not usable.
    #[error("{what}: {reason}")]
    BadObject {
        /// The object (`view 'adults'`).
        what: String,
        /// What is wrong and what to do.
        reason: &'static str,
    },
    /// A type's parameters are out of range.
    #[error(
        "table '{table}': column '{column}' has type {ty}, whose size is out of range: {reason}"
    )]
    BadTypeSize {
        /// Table.
        table: String,
        /// Column.
        column: String,
        /// Type.
        ty: Type,
        /// What the range is.
        reason: &'static str,
    },
}

pub(super) fn schema(schema: &Schema) -> Result<(), SchemaError> {
    let mut enums: BTreeMap<&str, (&Vec<String>, String)> = BTreeMap::new();
    for table in schema.tables() {
        table.validate()?;
        if let Some(old) = &table.renamed_from {
            let bad = |reason| SchemaError::BadRename {
                what: "table",
                name: table.name.clone(),
                old: old.clone(),
                reason,
            };
            if old == &table.name {
                return Err(bad("its own name; remove renamed_from"));
            }
            if schema.contains(old) {
                return Err(bad(
                    "but a model still declares a table of that name; rename one of them",
                ));
            }
            if schema
                .tables()
                .any(|t| t.name != table.name && t.renamed_from.as_deref() == Some(old))
            {
                return Err(bad("like another table; a table is renamed to one name"));
            }
        }
        for c in &table.columns {
            // A nameless enum (MySQL keeps no type name) is its column's own.
            let Type::Enum { name, values } = &c.ty else {
                continue;
            };
            if name.is_empty() {
                continue;
            }
            let here = format!("{}.{}", table.name, c.name);
            match enums.get(name.as_str()) {
                Some((first, there)) if *first != values => {
                    return Err(SchemaError::EnumConflict {
                        name: name.clone(),
                        first: there.clone(),
                        second: here,
                    });
                }
                Some(_) => {}
                None => {
                    enums.insert(name, (values, here));
                }
            }
        }
    }
    schema.objects().try_for_each(object)
}

/// Two tables with an index of the same name: PostgreSQL and SQLite name indexes in the
/// schema, MySQL in their table.
pub(super) fn index_names_across_tables(schema: &Schema) -> Result<(), SchemaError> {
    let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
    for table in schema.tables() {
        for index in &table.indexes {
            if owners.insert(&index.name, &table.name).is_some() {
                return Err(SchemaError::DuplicateName {
                    table: table.name.clone(),
                    name: index.name.clone(),
                });
            }
        }
    }
    Ok(())
}

fn object(o: &super::Object) -> Result<(), SchemaError> {
    let bad = |reason| SchemaError::BadObject {
        what: o.describe(),
        reason,
    };
    if o.name.trim().is_empty() {
        return Err(bad("its name is empty; give it one"));
    }
    if o.definition.trim().is_empty() {
        return Err(bad(
            "its definition is empty; give the SQL statement that creates it",
        ));
    }
    match (&o.table, o.kind.on_table()) {
        (None, true) => Err(bad(
            "it belongs to a table but names none; say which with `table:` (`.on(\"table\")`)",
        )),
        (Some(_), false) => Err(bad(
            "this kind of object belongs to no table; remove `table:`",
        )),
        _ => Ok(()),
    }
}

impl Table {
    /// Checks names, column references, key nullability, autoincrement and type sizes.
    pub fn validate(&self) -> Result<(), SchemaError> {
        let t = &self.name;
        if t.is_empty() {
            return Err(empty(t, "a table"));
        }
        // A table made from others (inheriting, a partition) may have no column of its own.
        if self.columns.is_empty() && self.parents().is_empty() {
            return Err(SchemaError::NoColumns(t.clone()));
        }
        let mut seen = BTreeSet::new();
        for c in &self.columns {
            if c.name.is_empty() {
                return Err(empty(t, "a column"));
            }
            if !seen.insert(c.name.as_str()) {
                return Err(SchemaError::DuplicateColumn {
                    table: t.clone(),
                    column: c.name.clone(),
                });
            }
            check_type_size(t, &c.name, &c.ty)?;
        }
        self.validate_renames()?;
        self.validate_object_names()?;
        self.validate_key_columns()?;
        self.validate_primary_key()
    }

    fn validate_renames(&self) -> Result<(), SchemaError> {
        for c in &self.columns {
            let Some(old) = &c.renamed_from else {
                continue;
            };
            let bad = |reason| SchemaError::BadRename {
                what: "column",
                name: format!("{}.{}", self.name, c.name),
                old: old.clone(),
                reason,
            };
            if old == &c.name {
                return Err(bad("its own name; remove renamed_from"));
            }
            if self.column_named(old).is_some() {
                return Err(bad(
                    "but the table still has a column of that name; rename one of them",
                ));
            }
            let twice = self
                .columns
                .iter()
                .filter(|o| o.renamed_from.as_deref() == Some(old))
                .count();
            if twice > 1 {
                return Err(bad("like another column; a column is renamed to one name"));
            }
        }
        Ok(())
    }

    fn validate_object_names(&self) -> Result<(), SchemaError> {
        let mut names = BTreeSet::new();
        for name in self.object_names() {
            if name.is_empty() {
                return Err(empty(&self.name, "a constraint or index"));
            }
            if !names.insert(name) {
                return Err(SchemaError::DuplicateName {
                    table: self.name.clone(),
                    name: name.into(),
                });
            }
        }
        Ok(())
    }

    fn validate_key_columns(&self) -> Result<(), SchemaError> {
        let pk = self
            .primary_key
            .iter()
            .map(|k| ("primary key", &k.name, &k.columns));
        let uniques = self
            .uniques
            .iter()
            .map(|u| ("unique constraint", &u.name, &u.columns));
        let fks = self
            .foreign_keys
            .iter()
            .map(|f| ("foreign key", &f.name, &f.columns));
        // An index's columns: its key parts that are columns and its covering columns (an
        // index on expressions alone names none, and is not empty for that).
        let index_columns: Vec<(String, Vec<String>)> = self
            .indexes
            .iter()
            .filter(|i| !i.column_names().is_empty() || i.columns.is_empty())
            .map(|i| {
                let mut columns: Vec<String> =
                    i.column_names().into_iter().map(str::to_string).collect();
                columns.extend(i.include.iter().cloned());
                (i.name.clone(), columns)
            })
            .collect();
        let indexes = index_columns.iter().map(|(n, c)| ("index", n, c));
        for (object, name, columns) in pk.chain(uniques).chain(indexes).chain(fks) {
            if columns.is_empty() {
                return Err(SchemaError::NoKeyColumns {
                    table: self.name.clone(),
                    object,
                    name: name.clone(),
                });
            }
            // A table made from others has their columns too, which it does not list.
            let inherited = !self.parents().is_empty();
            let missing = columns.iter().find(|c| self.column_named(c).is_none());
            if let Some(missing) = missing.filter(|_| !inherited) {
                return Err(SchemaError::UnknownColumn {
                    table: self.name.clone(),
                    object,
                    name: name.clone(),
                    column: missing.clone(),
                });
            }
        }
        for fk in &self.foreign_keys {
            if fk.columns.len() != fk.ref_columns.len() {
                return Err(SchemaError::ForeignKeyArity {
                    table: self.name.clone(),
                    name: fk.name.clone(),
                    columns: fk.columns.len(),
                    ref_columns: fk.ref_columns.len(),
                });
            }
        }
        Ok(())
    }

    fn validate_primary_key(&self) -> Result<(), SchemaError> {
        let pk_columns: &[String] = self.primary_key.as_ref().map_or(&[], |k| &k.columns);
        for name in pk_columns {
            if self.column_named(name).is_some_and(|c| c.nullable) {
                return Err(SchemaError::NullablePrimaryKey {
                    table: self.name.clone(),
                    column: name.clone(),
                });
            }
        }
        // Which columns a database numbers (SQLite: a lone key; MySQL: the first column of a
        // key) is the dialect's rule, checked when it plans the change.
        for c in self.columns.iter().filter(|c| c.autoincrement) {
            if !c.ty.takes_autoincrement() {
                return Err(SchemaError::BadAutoincrement {
                    table: self.name.clone(),
                    column: c.name.clone(),
                });
            }
        }
        Ok(())
    }
}

fn empty(table: &str, what: &str) -> SchemaError {
    SchemaError::EmptyName {
        table: table.to_string(),
        what: what.to_string(),
    }
}

fn check_type_size(table: &str, column: &str, ty: &Type) -> Result<(), SchemaError> {
    match ty.size_problem() {
        None => Ok(()),
        Some(reason) => Err(SchemaError::BadTypeSize {
            table: table.to_string(),
            column: column.to_string(),
            ty: ty.clone(),
            reason,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Schema, column, foreign_key, table};

    fn base() -> Table {
        table("t")
            .column(column("id", Type::Integer).not_null())
            .column(column("a", Type::Text))
            .primary_key("pk_t", ["id"])
    }

    fn message(table: Table) -> String {
        table.validate().unwrap_err().to_string()
    }

    #[test]
    fn a_sound_table_validates() {
        base().validate().unwrap();
        let mut auto = base();
        auto.columns[0].autoincrement = true;
        auto.validate().unwrap();
        // Numbered columns outside the key, and the databases' own integer types.
        let outside_key = base()
            .column(column("n", Type::BigInt).not_null().autoincrement())
            .column(column("u", Type::raw("int unsigned")).autoincrement());
        outside_key.validate().unwrap();
    }

    #[test]
    fn nameless_enums_are_their_columns_own() {
        // MySQL keeps no enum type name: two columns with other labels do not conflict.
        let t = base()
            .column(column("x", Type::enumeration("", ["a", "b"])))
            .column(column("y", Type::enumeration("", ["c"])));
        Schema::from_tables([t]).validate().unwrap();
    }

    #[test]
    fn each_defect_is_named() {
        assert_eq!(
            message(table("t")),
            "table 't' has no column; give it at least one (or the tables it inherits from)"
        );
        let dup = base().column(column("a", Type::Integer));
        assert_eq!(message(dup), "table 't' has two columns named 'a'");
        let unknown = base().index("ix_t_b", ["b"]);
        assert_eq!(
            message(unknown),
            "table 't': index 'ix_t_b' names column 'b', which the table does not have"
        );
        let twice = base().index("ix_t_a", ["a"]).unique("ix_t_a", ["a"]);
        assert!(message(twice).contains("the name 'ix_t_a' is used twice"));
        let nullable = table("t")
            .column(column("id", Type::Integer))
            .primary_key("pk_t", ["id"]);
        assert_eq!(
            message(nullable),
            "table 't': primary-key column 'id' must be NOT NULL"
        );
        let auto_text = table("t").column(column("a", Type::Text).autoincrement());
        assert_eq!(
            message(auto_text),
            "table 't': column 'a' is autoincrement but its type is not an integer type; give it one or remove autoincrement"
        );
        let arity = base().foreign_key(foreign_key("fk", ["a"], "u", ["x", "y"]));
        assert_eq!(
            message(arity),
            "table 't': foreign key 'fk' has 1 column(s) but references 2"
        );
        let size = base().column(column("n", Type::Numeric(2, 5)));
        assert!(message(size).contains("type numeric(2, 5)"));
        let no_cols = base().unique("uq", Vec::<String>::new());
        assert_eq!(
            message(no_cols),
            "table 't': unique constraint 'uq' lists no column"
        );
    }

    #[test]
    fn index_names_are_unique_across_tables() {
        let s = Schema::from_tables([
            base().index("ix_a", ["a"]),
            table("u")
                .column(column("a", Type::Text))
                .index("ix_a", ["a"]),
        ]);
        s.validate().unwrap();
        assert!(
            s.validate_index_names()
                .unwrap_err()
                .to_string()
                .contains("'ix_a' is used twice")
        );
    }
}
