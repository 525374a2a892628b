//! The dialect-free schema model: what a database holds, as plain values.
//!
//! Layer: the bottom. It may use no other module of the crate.
//!
//! A [`Schema`] is a set of [`Table`]s; a table has columns, a primary key, unique constraints,
//! indexes, foreign keys, checks and a comment. Models (`#[derive(Model)]`), introspection of a
//! live database, YAML schema descriptions and the replay of revisions all produce these same
//! values, and the differ compares them. Nothing here knows SQL.
//!
//! The YAML form of a [`Schema`] is the documented *schema description* (see
//! `docs/schema-description.md`).

mod column;
mod constraint;
mod index;
pub mod naming;
mod object;
mod table;
mod validate;
pub mod value;

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use column::{Column, Generated, Numbering, NumberingKind, column, numbering};
pub use constraint::{check, exclusion, primary_key, unique};
pub use index::{Index, KeyPart, index, key_column, key_expr};
pub use object::{
    Object, ObjectKey, ObjectKind, describe as describe_object, enum_type, object, view,
};
pub(crate) use outflow_types::split_args;
pub use outflow_types::{PORTABLE_NAMES, RawInteger, Type, UnknownType, snake_case};
pub use table::{
    Action, Check, ConstraintOptions, Deferral, Exclusion, ForeignKey, PrimaryKey, Table, Unique,
    foreign_key, table,
};
pub use validate::SchemaError;

/// A set of tables, keyed and ordered by name, and the other objects (views, triggers,
/// functions...), keyed by kind, table and name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    tables: BTreeMap<String, Table>,
    objects: BTreeMap<ObjectKey, Object>,
}

impl Schema {
    /// An empty schema.
    pub fn new() -> Schema {
        Schema::default()
    }

    /// Builds a schema from tables; a later table replaces an earlier one of the same name.
    pub fn from_tables(tables: impl IntoIterator<Item = Table>) -> Schema {
        let mut schema = Schema::new();
        for table in tables {
            schema.insert(table);
        }
        schema
    }

    /// The table called `name`.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    /// The table called `name`, mutably.
    pub fn table_mut(&mut self, name: &str) -> Option<&mut Table> {
        self.tables.get_mut(name)
    }

    /// Adds or replaces a table; returns the one it replaced.
    pub fn insert(&mut self, table: Table) -> Option<Table> {
        self.tables.insert(table.name.clone(), table)
    }

    /// Removes the table called `name`.
    pub fn remove(&mut self, name: &str) -> Option<Table> {
        self.tables.remove(name)
    }

    /// Whether a table called `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.tables.contains_key(name)
    }

    /// Tables in name order.
    pub fn tables(&self) -> impl ExactSizeIterator<Item = &Table> {
        self.tables.values()
    }

    /// Table names in order.
    pub fn table_names(&self) -> impl ExactSizeIterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    /// Number of tables.
    pub fn len(&self) -> usize {
        self.tables.len()
    }

    /// Whether there are no tables.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// Keeps only the tables for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&Table) -> bool) {
        self.tables.retain(|_, t| keep(t));
    }

    /// The objects other than tables, by kind, table and name.
    pub fn objects(&self) -> impl ExactSizeIterator<Item = &Object> {
        self.objects.values()
    }

    /// The object found by `key`.
    pub fn object(&self, key: &ObjectKey) -> Option<&Object> {
        self.objects.get(key)
    }

    /// The object found by `key`, mutably.
    pub fn object_mut(&mut self, key: &ObjectKey) -> Option<&mut Object> {
        self.objects.get_mut(key)
    }

    /// Adds or replaces an object; returns the one it replaced.
    pub fn insert_object(&mut self, object: Object) -> Option<Object> {
        self.objects.insert(object.key(), object)
    }

    /// Removes the object found by `key`.
    pub fn remove_object(&mut self, key: &ObjectKey) -> Option<Object> {
        self.objects.remove(key)
    }

    /// Keeps only the objects for which `keep` returns true.
    pub fn retain_objects(&mut self, mut keep: impl FnMut(&Object) -> bool) {
        self.objects.retain(|_, o| keep(o));
    }

    /// Builds a schema from tables and objects.
    pub fn with_objects(mut self, objects: impl IntoIterator<Item = Object>) -> Schema {
        for object in objects {
            self.insert_object(object);
        }
        self
    }

    /// Checks every table (see [`Table::validate`]), the enum types and the objects.
    pub fn validate(&self) -> Result<(), SchemaError> {
        validate::schema(self)
    }

    /// Checks that no two tables have an index of the same name, as PostgreSQL and SQLite
    /// require (MySQL names indexes in their table).
    pub fn validate_index_names(&self) -> Result<(), SchemaError> {
        validate::index_names_across_tables(self)
    }

    /// The YAML schema description.
    pub fn to_yaml(&self) -> String {
        yaml_serde::to_string(self).expect("a schema always serialises")
    }

    /// Reads a YAML schema description and validates it.
    pub fn from_yaml(text: &str) -> Result<Schema, SchemaError> {
        let schema: Schema =
            yaml_serde::from_str(text).map_err(|e| SchemaError::Yaml(e.to_string()))?;
        schema.validate()?;
        Ok(schema)
    }
}

#[derive(Serialize)]
struct SchemaOut<'a> {
    tables: Vec<&'a Table>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    objects: Vec<&'a Object>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaIn {
    #[serde(default)]
    tables: Vec<Table>,
    #[serde(default)]
    objects: Vec<Object>,
}

impl Serialize for Schema {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SchemaOut {
            tables: self.tables.values().collect(),
            objects: self.objects.values().collect(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Schema, D::Error> {
        let input = SchemaIn::deserialize(deserializer)?;
        let mut schema = Schema::new();
        for table in input.tables {
            let name = table.name.clone();
            if schema.insert(table).is_some() {
                return Err(serde::de::Error::custom(format!(
                    "table '{name}' is described twice"
                )));
            }
        }
        for object in input.objects {
            let what = object.describe();
            if schema.insert_object(object).is_some() {
                return Err(serde::de::Error::custom(format!(
                    "{what} is described twice"
                )));
            }
        }
        Ok(schema)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Schema {
        Schema::from_tables([
            table("parent")
                .column(column("id", Type::Integer).not_null().autoincrement())
                .column(column("name", Type::Varchar(30)).not_null().default("'x'"))
                .primary_key("pk_parent", ["id"])
                .unique("uq_parent_name", ["name"])
                .comment("the parents"),
            table("child")
                .column(column("id", Type::BigInt).not_null())
                .column(column("parent_id", Type::Integer))
                .column(column("score", Type::Numeric(5, 2)).comment("out of 100"))
                .column(column("shape", Type::raw("GEOMETRY")))
                .primary_key("pk_child", ["id"])
                .index("ix_child_parent_id", ["parent_id"])
                .foreign_key(
                    foreign_key("fk_child_parent_id_parent", ["parent_id"], "parent", ["id"])
                        .on_delete(Action::Cascade),
                )
                .check("ck_child_score", "score >= 0"),
        ])
    }

    #[test]
    fn yaml_description_round_trips() {
        let schema = sample();
        let yaml = schema.to_yaml();
        assert_eq!(Schema::from_yaml(&yaml).unwrap(), schema);
        insta::assert_snapshot!(yaml);
    }

    #[test]
    fn yaml_rejects_duplicates_and_unknown_fields() {
        let dup = "tables:\n- name: a\n  columns: [{name: x, type: integer}]\n- name: a\n  columns: [{name: x, type: integer}]\n";
        let err = Schema::from_yaml(dup).unwrap_err().to_string();
        assert!(err.contains("table 'a' is described twice"), "{err}");
        let typo = "tables:\n- name: a\n  colums: []\n";
        let err = Schema::from_yaml(typo).unwrap_err().to_string();
        assert!(err.contains("unknown field `colums`"), "{err}");
    }

    #[test]
    fn tables_are_kept_in_name_order() {
        let names: Vec<_> = sample().table_names().map(str::to_owned).collect();
        assert_eq!(names, ["child", "parent"]);
    }
}
