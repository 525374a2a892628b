//! Indexes: key parts that are columns or expressions, with their order, operator class,
//! collation or prefix length; partial indexes; access methods; covering columns.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::table::is_false;

/// A named index.
///
/// ```
/// use outflow::schema::{index, key_expr, key_column};
/// let by_email = index("ix_person_email", ["email"]).unique().filter("deleted_at IS NULL");
/// let by_name = index("ix_person_lower_name", [key_expr("lower(name)"), key_column("id").desc()]);
/// assert_eq!(by_email.column_names(), ["email"]);
/// assert!(!by_name.is_plain());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// Index name.
    pub name: String,
    /// Key parts in order: columns (a name in YAML) or parts written out.
    pub columns: Vec<KeyPart>,
    /// Whether the index enforces uniqueness.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
    /// The condition of a partial index (`WHERE ...`), an SQL expression.
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// The access method when it is not the database's default B-tree: `gin`, `gist`, `brin`,
    /// `hash` (PostgreSQL), `fulltext`, `spatial` (MySQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Columns stored in the index without being part of its key (`INCLUDE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Whether NULLs count as equal for uniqueness (`NULLS NOT DISTINCT`, PostgreSQL 15).
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// Storage parameters as SQL (`fillfactor = 70`), written in `WITH (...)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with: Option<String>,
    /// The index's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One key part of an index: a column or an expression, ascending unless said otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyPart {
    /// The column, for a part that is one.
    pub column: Option<String>,
    /// The SQL expression, for a part that is not a plain column (`lower(name)`).
    pub expr: Option<String>,
    /// Descending order.
    pub desc: bool,
    /// `NULLS FIRST` (`Some(true)`) or `NULLS LAST` (`Some(false)`), when said.
    pub nulls_first: Option<bool>,
    /// The operator class (`text_pattern_ops`, PostgreSQL).
    pub opclass: Option<String>,
    /// The collation of the part, when not the column's.
    pub collation: Option<String>,
    /// How many leading characters are indexed (MySQL prefix indexes).
    pub length: Option<u32>,
}

/// A key part that is the column `name`, ascending.
pub fn key_column(name: impl Into<String>) -> KeyPart {
    KeyPart {
        column: Some(name.into()),
        ..KeyPart::default()
    }
}

/// A key part that is the SQL expression `expr` (`lower(email)`).
pub fn key_expr(expr: impl Into<String>) -> KeyPart {
    KeyPart {
        expr: Some(expr.into()),
        ..KeyPart::default()
    }
}

impl From<&str> for KeyPart {
    fn from(name: &str) -> KeyPart {
        key_column(name)
    }
}

impl From<String> for KeyPart {
    fn from(name: String) -> KeyPart {
        key_column(name)
    }
}

impl From<&String> for KeyPart {
    fn from(name: &String) -> KeyPart {
        key_column(name.clone())
    }
}

impl KeyPart {
    /// Descending order.
    pub fn desc(mut self) -> KeyPart {
        self.desc = true;
        self
    }

    /// `NULLS FIRST`.
    pub fn nulls_first(mut self) -> KeyPart {
        self.nulls_first = Some(true);
        self
    }

    /// `NULLS LAST`.
    pub fn nulls_last(mut self) -> KeyPart {
        self.nulls_first = Some(false);
        self
    }

    /// Sets the operator class.
    pub fn opclass(mut self, opclass: impl Into<String>) -> KeyPart {
        self.opclass = Some(opclass.into());
        self
    }

    /// Sets the collation.
    pub fn collate(mut self, collation: impl Into<String>) -> KeyPart {
        self.collation = Some(collation.into());
        self
    }

    /// Indexes only the first `length` characters.
    pub fn length(mut self, length: u32) -> KeyPart {
        self.length = Some(length);
        self
    }

    /// The column, for a part that is a column with nothing else said of it.
    pub fn plain_column(&self) -> Option<&str> {
        let plain = KeyPart {
            column: self.column.clone(),
            ..KeyPart::default()
        };
        (*self == plain).then_some(self.column.as_deref()).flatten()
    }

    /// The part in words: its column or expression, with what else is said of it.
    pub fn describe(&self) -> String {
        let mut out = match (&self.column, &self.expr) {
            (Some(c), _) => c.clone(),
            (None, Some(e)) => format!("({e})"),
            (None, None) => String::new(),
        };
        if let Some(n) = self.length {
            out.push_str(&format!("({n})"));
        }
        if let Some(c) = &self.collation {
            out.push_str(&format!(" collate {c}"));
        }
        if let Some(o) = &self.opclass {
            out.push_str(&format!(" {o}"));
        }
        if self.desc {
            out.push_str(" desc");
        }
        match self.nulls_first {
            Some(true) => out.push_str(" nulls first"),
            Some(false) => out.push_str(" nulls last"),
            None => {}
        }
        out
    }
}

/// The YAML form of a key part: a column name alone, or its fields.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum PartRepr {
    Column(String),
    Full(PartFields),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expr: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    desc: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nulls_first: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    opclass: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    collation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    length: Option<u32>,
}

impl Serialize for KeyPart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.plain_column() {
            Some(c) => PartRepr::Column(c.to_string()),
            None => PartRepr::Full(PartFields {
                column: self.column.clone(),
                expr: self.expr.clone(),
                desc: self.desc,
                nulls_first: self.nulls_first,
                opclass: self.opclass.clone(),
                collation: self.collation.clone(),
                length: self.length,
            }),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for KeyPart {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<KeyPart, D::Error> {
        Ok(match PartRepr::deserialize(deserializer)? {
            PartRepr::Column(c) => key_column(c),
            PartRepr::Full(f) => {
                if f.column.is_some() == f.expr.is_some() {
                    return Err(serde::de::Error::custom(
                        "an index key part is a column or an expression: give one of `column` and `expr`",
                    ));
                }
                KeyPart {
                    column: f.column,
                    expr: f.expr,
                    desc: f.desc,
                    nulls_first: f.nulls_first,
                    opclass: f.opclass,
                    collation: f.collation,
                    length: f.length,
                }
            }
        })
    }
}

/// Starts a non-unique index definition; see [`Index::unique`].
pub fn index<I>(name: impl Into<String>, columns: I) -> Index
where
    I: IntoIterator,
    I::Item: Into<KeyPart>,
{
    Index {
        name: name.into(),
        columns: columns.into_iter().map(Into::into).collect(),
        unique: false,
        predicate: None,
        method: None,
        include: Vec::new(),
        nulls_not_distinct: false,
        with: None,
        comment: None,
    }
}

impl Index {
    /// Makes the index enforce uniqueness.
    pub fn unique(mut self) -> Index {
        self.unique = true;
        self
    }

    /// Makes the index partial: only rows where `predicate` holds are indexed.
    pub fn filter(mut self, predicate: impl Into<String>) -> Index {
        self.predicate = Some(predicate.into());
        self
    }

    /// Sets the access method (`gin`, `gist`, `brin`, `hash`, `fulltext`, `spatial`).
    pub fn using(mut self, method: impl Into<String>) -> Index {
        self.method = Some(method.into());
        self
    }

    /// Adds columns stored in the index without being part of its key (`INCLUDE`).
    pub fn include<I>(mut self, columns: I) -> Index
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.include.extend(columns.into_iter().map(Into::into));
        self
    }

    /// Makes NULLs equal to each other for uniqueness (`NULLS NOT DISTINCT`).
    pub fn nulls_not_distinct(mut self) -> Index {
        self.nulls_not_distinct = true;
        self
    }

    /// Sets storage parameters (`fillfactor = 70`).
    pub fn with(mut self, parameters: impl Into<String>) -> Index {
        self.with = Some(parameters.into());
        self
    }

    /// Sets the index's comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Index {
        self.comment = Some(comment.into());
        self
    }

    /// The columns of the key parts that are columns, in order.
    pub fn column_names(&self) -> Vec<&str> {
        self.columns
            .iter()
            .filter_map(|p| p.column.as_deref())
            .collect()
    }

    /// The key's columns when the index is a plain one: ascending columns, a B-tree, nothing
    /// else said; `None` otherwise.
    pub fn plain_columns(&self) -> Option<Vec<&str>> {
        let extras = self.predicate.is_some()
            || self.method.is_some()
            || !self.include.is_empty()
            || self.nulls_not_distinct
            || self.with.is_some();
        if extras {
            return None;
        }
        self.columns.iter().map(KeyPart::plain_column).collect()
    }

    /// The columns the key starts with, as far as its parts are whole columns (a part that is
    /// an expression or a prefix of a column ends them): what a lookup by those columns uses.
    pub fn key_columns(&self) -> Vec<String> {
        self.columns
            .iter()
            .map_while(|p| p.column.clone().filter(|_| p.length.is_none()))
            .collect()
    }

    /// The key parts that are whole columns (not a prefix of one), in order.
    pub fn whole_columns(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter(|p| p.length.is_none())
            .filter_map(|p| p.column.clone())
            .collect()
    }

    /// Whether the index is a plain one (see [`Index::plain_columns`]).
    pub fn is_plain(&self) -> bool {
        self.plain_columns().is_some()
    }

    /// The key parts in words (`email, (lower(name)) desc`).
    pub fn describe_key(&self) -> String {
        self.columns
            .iter()
            .map(KeyPart::describe)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_part_is_a_name_in_yaml_and_the_others_are_written_out() {
        let ix = index(
            "ix",
            [
                key_column("a"),
                key_expr("lower(b)").desc(),
                key_column("c").length(10),
            ],
        )
        .filter("a > 0");
        let yaml = yaml_serde::to_string(&ix).unwrap();
        assert!(yaml.contains("- a\n"), "{yaml}");
        assert!(yaml.contains("expr: lower(b)"), "{yaml}");
        assert!(yaml.contains("where: a > 0"), "{yaml}");
        let back: Index = yaml_serde::from_str(&yaml).unwrap();
        assert_eq!(back, ix);
        let bad = "name: ix\ncolumns: [{column: a, expr: b}]\n";
        let err = yaml_serde::from_str::<Index>(bad).unwrap_err().to_string();
        assert!(err.contains("give one of `column` and `expr`"), "{err}");
    }

    #[test]
    fn plain_indexes_are_told_apart() {
        assert_eq!(
            index("ix", ["a", "b"]).plain_columns(),
            Some(vec!["a", "b"])
        );
        assert!(!index("ix", ["a"]).using("gin").is_plain());
        assert!(!index("ix", [key_column("a").desc()]).is_plain());
        assert_eq!(
            index("ix", [key_expr("a + b"), key_column("c")]).column_names(),
            ["c"]
        );
    }
}
