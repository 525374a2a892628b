//! Database objects held as the SQL that creates them: views, triggers, functions, types...
//!
//! Tables are values the differ takes apart column by column; these objects are compared
//! whole, by the normal form of their definition (each dialect's, see
//! [`crate::diff::Compare::definition`]), and replaced whole when it differs. Their
//! definition is the statement that creates them, as the database reports it (introspection)
//! or as the model declares it; the drop statement comes from the kind and the name.

use serde::{Deserialize, Serialize};

/// What an [`Object`] is. The order is the order of creation among objects that do not depend
/// on each other: what tables use (extensions, types, sequences, functions) first. Schemas are
/// not objects: a database label manages one schema (ARCHITECTURE.md, "Fidelity").
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    /// An extension (PostgreSQL `CREATE EXTENSION`).
    Extension,
    /// A collation (PostgreSQL `CREATE COLLATION`).
    Collation,
    /// A composite, range or base type (PostgreSQL; enums are column types).
    Type,
    /// A domain: a type with constraints (PostgreSQL).
    Domain,
    /// A sequence that no column owns as its numbering (PostgreSQL).
    Sequence,
    /// A function.
    Function,
    /// A procedure.
    Procedure,
    /// An aggregate function (PostgreSQL).
    Aggregate,
    /// A view.
    #[default]
    View,
    /// A materialized view (PostgreSQL).
    MaterializedView,
    /// An index on a materialized view (PostgreSQL; indexes on tables belong to tables).
    Index,
    /// A trigger on a table or view.
    Trigger,
    /// A rule on a table or view (PostgreSQL).
    Rule,
    /// Row-level security switched on for a table (PostgreSQL).
    RowSecurity,
    /// A row-level security policy on a table (PostgreSQL).
    Policy,
    /// The privileges one role has on one object (`GRANT ...`).
    Grant,
    /// A scheduled event (MySQL).
    Event,
}

impl ObjectKind {
    /// Every kind, in creation order.
    pub const ALL: [ObjectKind; 17] = [
        ObjectKind::Extension,
        ObjectKind::Collation,
        ObjectKind::Type,
        ObjectKind::Domain,
        ObjectKind::Sequence,
        ObjectKind::Function,
        ObjectKind::Procedure,
        ObjectKind::Aggregate,
        ObjectKind::View,
        ObjectKind::MaterializedView,
        ObjectKind::Index,
        ObjectKind::Trigger,
        ObjectKind::Rule,
        ObjectKind::RowSecurity,
        ObjectKind::Policy,
        ObjectKind::Grant,
        ObjectKind::Event,
    ];

    /// Whether objects of this kind exist before tables are created and after they are
    /// dropped: tables may use them (a column of a domain, a default calling a function).
    /// The other kinds use tables.
    pub fn before_tables(self) -> bool {
        self <= ObjectKind::Aggregate
    }

    /// Whether an object of this kind belongs to a table (named in [`Object::table`]) and goes
    /// with it.
    pub fn on_table(self) -> bool {
        matches!(
            self,
            ObjectKind::Trigger
                | ObjectKind::Rule
                | ObjectKind::RowSecurity
                | ObjectKind::Policy
                | ObjectKind::Grant
                | ObjectKind::Index
        )
    }

    /// The kind in words, as messages and revision files say it (`materialized view`).
    pub fn words(self) -> &'static str {
        match self {
            ObjectKind::Extension => "extension",
            ObjectKind::Collation => "collation",
            ObjectKind::Type => "type",
            ObjectKind::Domain => "domain",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Function => "function",
            ObjectKind::Procedure => "procedure",
            ObjectKind::Aggregate => "aggregate",
            ObjectKind::View => "view",
            ObjectKind::MaterializedView => "materialized view",
            ObjectKind::Index => "index",
            ObjectKind::Trigger => "trigger",
            ObjectKind::Rule => "rule",
            ObjectKind::RowSecurity => "row security",
            ObjectKind::Policy => "policy",
            ObjectKind::Grant => "grant",
            ObjectKind::Event => "event",
        }
    }

    /// The Rust path of the kind in a revision file (`ObjectKind::MaterializedView`).
    pub fn rust_path(self) -> &'static str {
        match self {
            ObjectKind::Extension => "ObjectKind::Extension",
            ObjectKind::Collation => "ObjectKind::Collation",
            ObjectKind::Type => "ObjectKind::Type",
            ObjectKind::Domain => "ObjectKind::Domain",
            ObjectKind::Sequence => "ObjectKind::Sequence",
            ObjectKind::Function => "ObjectKind::Function",
            ObjectKind::Procedure => "ObjectKind::Procedure",
            ObjectKind::Aggregate => "ObjectKind::Aggregate",
            ObjectKind::View => "ObjectKind::View",
            ObjectKind::MaterializedView => "ObjectKind::MaterializedView",
            ObjectKind::Index => "ObjectKind::Index",
            ObjectKind::Trigger => "ObjectKind::Trigger",
            ObjectKind::Rule => "ObjectKind::Rule",
            ObjectKind::RowSecurity => "ObjectKind::RowSecurity",
            ObjectKind::Policy => "ObjectKind::Policy",
            ObjectKind::Grant => "ObjectKind::Grant",
            ObjectKind::Event => "ObjectKind::Event",
        }
    }
}

impl std::fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.words())
    }
}

/// A view, trigger, function... held as the SQL statement that creates it.
///
/// ```
/// use outflow::schema::{Object, ObjectKind};
/// let v = Object::new(ObjectKind::View, "adults", "CREATE VIEW adults AS SELECT * FROM person WHERE age >= 18");
/// let t = Object::new(ObjectKind::Trigger, "stamp", "CREATE TRIGGER stamp ...").on("person");
/// assert_eq!(v.key(), (ObjectKind::View, String::new(), "adults".to_string()));
/// assert_eq!(t.table.as_deref(), Some("person"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Object {
    /// What it is.
    pub kind: ObjectKind,
    /// Its name; a function's carries its argument types (`add(integer, integer)`), a grant's
    /// is the role it grants to.
    pub name: String,
    /// The table (or view) it belongs to, for the kinds that belong to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The SQL statement that creates it.
    pub definition: String,
    /// Its comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// How an object is found: kind, table (empty for none) and name.
pub type ObjectKey = (ObjectKind, String, String);

impl Object {
    /// An object of `kind` called `name`, created by `definition`.
    pub fn new(kind: ObjectKind, name: impl Into<String>, definition: impl Into<String>) -> Object {
        Object {
            kind,
            name: name.into(),
            table: None,
            definition: definition.into(),
            comment: None,
        }
    }

    /// Says the object belongs to `table` (a trigger, a policy, a rule, a grant).
    pub fn on(mut self, table: impl Into<String>) -> Object {
        self.table = Some(table.into());
        self
    }

    /// Sets the object's comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Object {
        self.comment = Some(comment.into());
        self
    }

    /// How the object is found in a schema.
    pub fn key(&self) -> ObjectKey {
        (
            self.kind,
            self.table.clone().unwrap_or_default(),
            self.name.clone(),
        )
    }

    /// The labels of an enum type (`CREATE TYPE mood AS ENUM ('sad', 'ok')`), in order;
    /// `None` for any other object. Enum types are changed through their labels, as the
    /// columns that use them are.
    pub fn enum_labels(&self) -> Option<Vec<String>> {
        if self.kind != ObjectKind::Type {
            return None;
        }
        let upper = self.definition.to_ascii_uppercase();
        let at = upper.find(" AS ENUM")? + " AS ENUM".len();
        let open = at + self.definition[at..].find('(')?;
        let mut labels = Vec::new();
        let mut chars = self.definition[open + 1..].chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\'' => {
                    let mut label = String::new();
                    while let Some(c) = chars.next() {
                        if c == '\'' {
                            if chars.peek() == Some(&'\'') {
                                chars.next();
                            } else {
                                break;
                            }
                        }
                        label.push(c);
                    }
                    labels.push(label);
                }
                ')' => return Some(labels),
                _ => {}
            }
        }
        None
    }

    /// `view 'adults'`, `trigger 'stamp' on 'person'`: the object in a message.
    pub fn describe(&self) -> String {
        describe(self.kind, self.table.as_deref(), &self.name)
    }
}

/// `view 'adults'`, `trigger 'stamp' on 'person'`.
pub fn describe(kind: ObjectKind, table: Option<&str>, name: &str) -> String {
    match table {
        Some(t) => format!("{kind} '{name}' on '{t}'"),
        None => format!("{kind} '{name}'"),
    }
}

/// An enum type as an object: what the replay of revisions and introspection hold of a type
/// (used by columns or not).
pub fn enum_type(name: &str, labels: &[String]) -> Object {
    let quoted: Vec<String> = labels
        .iter()
        .map(|l| format!("'{}'", l.replace('\'', "''")))
        .collect();
    Object::new(
        ObjectKind::Type,
        name,
        format!("CREATE TYPE {name} AS ENUM ({})", quoted.join(", ")),
    )
}

/// Starts a view: `view("adults", "CREATE VIEW adults AS ...")`.
pub fn view(name: impl Into<String>, definition: impl Into<String>) -> Object {
    Object::new(ObjectKind::View, name, definition)
}

/// Starts an object of any kind (see [`Object::new`]).
pub fn object(kind: ObjectKind, name: impl Into<String>, definition: impl Into<String>) -> Object {
    Object::new(kind, name, definition)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_enum_type_says_its_labels() {
        let labels = vec!["it's".to_string(), "ok, fine".to_string()];
        assert_eq!(enum_type("mood", &labels).enum_labels(), Some(labels));
        let t = Object::new(ObjectKind::Type, "p", "CREATE TYPE p AS (x int)");
        assert_eq!(t.enum_labels(), None);
    }

    #[test]
    fn kinds_are_listed_in_creation_order() {
        let mut sorted = ObjectKind::ALL;
        sorted.sort();
        assert_eq!(sorted, ObjectKind::ALL);
        assert!(ObjectKind::Function.before_tables());
        assert!(!ObjectKind::View.before_tables());
        assert!(ObjectKind::Trigger.on_table());
    }
}
