//! Outflow's portable column types.
//!
//! They live in their own crate so that `outflow` and its derive macro (which cannot depend on
//! `outflow`) read `#[column(sql_type = "...")]` with one parser; use them as
//! `outflow::schema::Type`.

mod snake;

pub use snake::snake_case;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A column type that every dialect knows how to spell.
///
/// The portable spelling (`Display`/`FromStr`) is the one used in the YAML schema description:
/// `integer`, `varchar(32)`, `numeric(12, 2)`, `timestamp with time zone`, ... A type no dialect
/// maps is kept verbatim as [`Type::Raw`], written `{raw: "GEOMETRY"}` in YAML.
///
/// ```
/// use outflow_types::Type;
/// assert_eq!("varchar(32)".parse::<Type>().unwrap(), Type::Varchar(32));
/// assert_eq!(Type::Numeric(12, 2).to_string(), "numeric(12, 2)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    /// 16-bit integer.
    SmallInt,
    /// 32-bit integer.
    Integer,
    /// 64-bit integer.
    BigInt,
    /// True or false.
    Boolean,
    /// 32-bit floating point.
    Real,
    /// 64-bit floating point.
    Double,
    /// Exact decimal with precision and scale.
    Numeric(u32, u32),
    /// Unbounded text.
    Text,
    /// Text of at most `n` characters.
    Varchar(u32),
    /// Text of exactly `n` characters.
    Char(u32),
    /// Calendar date.
    Date,
    /// Time of day.
    Time,
    /// Date and time without time zone.
    Timestamp,
    /// Date and time with time zone.
    TimestampTz,
    /// Bytes.
    Blob,
    /// JSON document.
    Json,
    /// UUID.
    Uuid,
    /// Text limited to a list of labels: a named type on PostgreSQL (`CREATE TYPE ... AS
    /// ENUM`), an `ENUM(...)` column on MySQL, a `CHECK (... IN (...))` on SQLite. Columns
    /// of one enum share its name; the order of the labels is the order of the type. An enum
    /// read from MySQL has no name (MySQL keeps none): comparisons take the model's.
    Enum {
        /// The type's name (PostgreSQL's type; kept in SQLite's check constraint name).
        name: String,
        /// The labels, in order.
        values: Vec<String>,
    },
    /// A type given verbatim in the dialect's own spelling (the escape hatch).
    Raw(String),
}

/// A database's own integer type read from a raw spelling: its width and sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawInteger {
    /// Storage width in bytes (1, 2, 3, 4 or 8).
    pub bytes: u8,
    /// Whether it is `unsigned`.
    pub unsigned: bool,
}

/// A raw type spelling naming an integer type: a known integer name, an optional display
/// width, then only sign or zero-fill words.
fn raw_integer(spelling: &str) -> Option<RawInteger> {
    const NAMES: [(&str, u8); 15] = [
        ("tinyint", 1),
        ("smallint", 2),
        ("int2", 2),
        ("smallserial", 2),
        ("serial2", 2),
        ("mediumint", 3),
        ("int", 4),
        ("integer", 4),
        ("int4", 4),
        ("serial", 4),
        ("serial4", 4),
        ("bigint", 8),
        ("int8", 8),
        ("bigserial", 8),
        ("serial8", 8),
    ];
    let lower = spelling.trim().to_ascii_lowercase();
    let name_end = lower
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(lower.len());
    let (name, mut rest) = lower.split_at(name_end);
    rest = rest.trim_start();
    if let Some(width) = rest.strip_prefix('(') {
        let (digits, after) = width.split_once(')')?;
        let digits = digits.trim();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        rest = after;
    }
    let bytes = NAMES.iter().find(|(n, _)| *n == name)?.1;
    let words: Vec<&str> = rest.split_whitespace().collect();
    if !words
        .iter()
        .all(|w| matches!(*w, "unsigned" | "signed" | "zerofill"))
    {
        return None;
    }
    Some(RawInteger {
        bytes,
        unsigned: words.contains(&"unsigned"),
    })
}

impl Type {
    /// A raw, dialect-specific type spelled as the database expects it.
    pub fn raw(spelling: impl Into<String>) -> Type {
        Type::Raw(spelling.into())
    }

    /// An enum type called `name` with these labels, in order.
    ///
    /// ```
    /// use outflow_types::Type;
    /// let state = Type::enumeration("state", ["pending", "running"]);
    /// assert_eq!(state.to_string(), "enum state ('pending', 'running')");
    /// ```
    pub fn enumeration<I>(name: impl Into<String>, values: I) -> Type
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        Type::Enum {
            name: name.into(),
            values: values.into_iter().map(Into::into).collect(),
        }
    }

    /// Whether this is one of the integer types.
    pub fn is_integer(&self) -> bool {
        matches!(self, Type::SmallInt | Type::Integer | Type::BigInt)
    }

    /// Whether a column of this type can be numbered automatically (`autoincrement`): one of
    /// the portable integers, or a raw spelling of a database's own integer type, such as
    /// MySQL's `int unsigned` or `mediumint(8) unsigned zerofill`.
    ///
    /// ```
    /// use outflow_types::Type;
    /// assert!(Type::BigInt.takes_autoincrement());
    /// assert!(Type::raw("INT UNSIGNED").takes_autoincrement());
    /// assert!(!Type::raw("int[]").takes_autoincrement());
    /// assert!(!Type::Text.takes_autoincrement());
    /// ```
    pub fn takes_autoincrement(&self) -> bool {
        match self {
            Type::Raw(_) => self.raw_integer().is_some(),
            other => other.is_integer(),
        }
    }

    /// The width and sign of a raw spelling of a database's integer type.
    ///
    /// ```
    /// use outflow_types::{RawInteger, Type};
    /// let u32 = RawInteger { bytes: 4, unsigned: true };
    /// assert_eq!(Type::raw("INT(10) UNSIGNED").raw_integer(), Some(u32));
    /// assert_eq!(Type::Integer.raw_integer(), None);
    /// ```
    pub fn raw_integer(&self) -> Option<RawInteger> {
        match self {
            Type::Raw(spelling) => raw_integer(spelling),
            _ => None,
        }
    }

    /// Why the type's size is out of range, if it is: a `numeric` precision from 1 to 1000 and
    /// a scale at most the precision, a `varchar`/`char` length of at least 1, a raw spelling
    /// that is not blank.
    pub fn size_problem(&self) -> Option<&'static str> {
        match self {
            Type::Numeric(p, s) if !(1..=1000).contains(p) || s > p => {
                Some("precision must be 1 to 1000 and scale at most the precision")
            }
            Type::Varchar(0) | Type::Char(0) => Some("a varchar/char length must be at least 1"),
            Type::Raw(spelling) if spelling.trim().is_empty() => Some("a raw type cannot be blank"),
            Type::Enum { values, .. } if values.is_empty() => {
                Some("an enum needs at least one label")
            }
            Type::Enum { values, .. } if has_duplicates(values) => {
                Some("an enum's labels must differ")
            }
            _ => None,
        }
    }

    /// Whether converting a column from `self` to `to` can lose or reject existing values.
    ///
    /// Widening conversions (`integer` to `bigint`, `varchar(10)` to `varchar(20)` or `text`,
    /// `real` to `double`, a larger `numeric`) are safe; anything else counts as narrowing.
    pub fn narrows_to(&self, to: &Type) -> bool {
        use Type::*;
        if self == to {
            return false;
        }
        let widening = match (self, to) {
            (SmallInt, Integer | BigInt) | (Integer, BigInt) => true,
            (SmallInt | Integer | BigInt, Numeric(p, 0)) => *p >= integer_digits(self),
            (SmallInt | Integer | BigInt | Real | Double | Numeric(..), Text) => true,
            (Real, Double) => true,
            (Numeric(p1, s1), Numeric(p2, s2)) => {
                s2 >= s1 && i64::from(*p2) - i64::from(*s2) >= i64::from(*p1) - i64::from(*s1)
            }
            (Varchar(a), Varchar(b)) | (Char(a), Varchar(b)) => b >= a,
            (Varchar(_) | Char(_), Text) => true,
            (Uuid | Date | Time | Timestamp | TimestampTz | Json, Text) => true,
            (Timestamp, TimestampTz) => true,
            // New labels only add values; removing or reordering is narrowing.
            (Enum { values: old, .. }, Enum { values: new, .. }) => {
                old.iter().all(|v| new.contains(v))
            }
            (Enum { .. }, Text) => true,
            _ => false,
        };
        !widening
    }
}

fn integer_digits(ty: &Type) -> u32 {
    match ty {
        Type::SmallInt => 5,
        Type::Integer => 10,
        _ => 19,
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::SmallInt => f.write_str("smallint"),
            Type::Integer => f.write_str("integer"),
            Type::BigInt => f.write_str("bigint"),
            Type::Boolean => f.write_str("boolean"),
            Type::Real => f.write_str("real"),
            Type::Double => f.write_str("double"),
            Type::Numeric(p, s) => write!(f, "numeric({p}, {s})"),
            Type::Text => f.write_str("text"),
            Type::Varchar(n) => write!(f, "varchar({n})"),
            Type::Char(n) => write!(f, "char({n})"),
            Type::Date => f.write_str("date"),
            Type::Time => f.write_str("time"),
            Type::Timestamp => f.write_str("timestamp"),
            Type::TimestampTz => f.write_str("timestamp with time zone"),
            Type::Blob => f.write_str("blob"),
            Type::Json => f.write_str("json"),
            Type::Uuid => f.write_str("uuid"),
            Type::Enum { name, values } => {
                let labels: Vec<String> = values
                    .iter()
                    .map(|v| format!("'{}'", v.replace('\'', "''")))
                    .collect();
                // MySQL's enums have no type name.
                let name = if name.is_empty() {
                    String::new()
                } else {
                    format!("{name} ")
                };
                write!(f, "enum {name}({})", labels.join(", "))
            }
            Type::Raw(s) => write!(f, "raw({s})"),
        }
    }
}

fn has_duplicates(values: &[String]) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    !values.iter().all(|v| seen.insert(v))
}

/// The portable spellings, for messages.
pub const PORTABLE_NAMES: &str = "smallint, integer, bigint, boolean, real, double, numeric(p, s), \
     text, varchar(n), char(n), date, time, timestamp, timestamp with time zone, blob, json, uuid";

/// A portable type name that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown column type '{0}'; portable types are {PORTABLE_NAMES} (or a raw type in the database's own spelling)"
)]
pub struct UnknownType(pub String);

impl FromStr for Type {
    type Err = UnknownType;

    fn from_str(input: &str) -> Result<Type, UnknownType> {
        let unknown = || UnknownType(input.to_string());
        let norm = input
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        let (head, args) = split_args(&norm).ok_or_else(unknown)?;
        let ty = match (head, args.as_slice()) {
            ("smallint", []) => Type::SmallInt,
            ("integer", []) => Type::Integer,
            ("bigint", []) => Type::BigInt,
            ("boolean", []) => Type::Boolean,
            ("real", []) => Type::Real,
            ("double", []) => Type::Double,
            ("numeric", [p, s]) => Type::Numeric(*p, *s),
            ("text", []) => Type::Text,
            ("varchar", [n]) => Type::Varchar(*n),
            ("char", [n]) => Type::Char(*n),
            ("date", []) => Type::Date,
            ("time", []) => Type::Time,
            ("timestamp", []) => Type::Timestamp,
            ("timestamp with time zone", []) => Type::TimestampTz,
            ("blob", []) => Type::Blob,
            ("json", []) => Type::Json,
            ("uuid", []) => Type::Uuid,
            _ => return Err(unknown()),
        };
        Ok(ty)
    }
}

/// Splits `name(1, 2)` into `("name", [1, 2])`; `None` when the arguments are not numbers.
#[doc(hidden)]
pub fn split_args(text: &str) -> Option<(&str, Vec<u32>)> {
    let Some(open) = text.find('(') else {
        return Some((text.trim(), Vec::new()));
    };
    let inner = text[open + 1..].strip_suffix(')')?;
    let args = inner
        .split(',')
        .map(|a| a.trim().parse::<u32>().ok())
        .collect::<Option<Vec<_>>>()?;
    Some((text[..open].trim(), args))
}

impl Serialize for Type {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Type::Raw(spelling) => {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("raw", spelling)?;
                map.end()
            }
            Type::Enum { name, values } => {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("enum", name)?;
                map.serialize_entry("values", values)?;
                map.end()
            }
            portable => serializer.collect_str(portable),
        }
    }
}

impl<'de> Deserialize<'de> for Type {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Type, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Portable(String),
            Raw {
                raw: String,
            },
            Enum {
                #[serde(rename = "enum")]
                name: String,
                values: Vec<String>,
            },
        }
        match Repr::deserialize(deserializer)? {
            Repr::Portable(text) => text.parse().map_err(serde::de::Error::custom),
            Repr::Raw { raw } => Ok(Type::Raw(raw)),
            Repr::Enum { name, values } => Ok(Type::Enum { name, values }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_integer_spellings_take_autoincrement() {
        for yes in [
            "int unsigned",
            "SMALLINT UNSIGNED",
            "mediumint(8) unsigned zerofill",
            "bigint( 20 )",
            "tinyint",
            "serial8",
            "int4",
        ] {
            assert!(Type::raw(yes).takes_autoincrement(), "{yes}");
        }
        for no in [
            "int[]",
            "int4range",
            "int()",
            "int(x)",
            "int(3",
            "integer primary",
            "double precision",
            "numeric(10)",
            "",
        ] {
            assert!(!Type::raw(no).takes_autoincrement(), "{no}");
        }
    }

    const ALL: &[Type] = &[
        Type::SmallInt,
        Type::Integer,
        Type::BigInt,
        Type::Boolean,
        Type::Real,
        Type::Double,
        Type::Numeric(12, 2),
        Type::Text,
        Type::Varchar(32),
        Type::Char(2),
        Type::Date,
        Type::Time,
        Type::Timestamp,
        Type::TimestampTz,
        Type::Blob,
        Type::Json,
        Type::Uuid,
    ];

    #[test]
    fn portable_spelling_round_trips() {
        for ty in ALL {
            assert_eq!(&ty.to_string().parse::<Type>().unwrap(), ty);
        }
        assert_eq!(" VARCHAR ( 10 ) ".parse::<Type>(), Ok(Type::Varchar(10)));
        assert_eq!(
            "Timestamp  WITH time zone".parse::<Type>(),
            Ok(Type::TimestampTz)
        );
    }

    #[test]
    fn unknown_spellings_are_rejected() {
        for bad in [
            "integr",
            "varchar",
            "varchar(x)",
            "numeric(1)",
            "text(3)",
            "",
        ] {
            let err = bad.parse::<Type>().unwrap_err();
            assert_eq!(err.0, bad);
            assert!(err.to_string().contains("unknown column type"));
        }
    }

    #[test]
    fn yaml_form_of_portable_and_raw_types() {
        let yaml = yaml_serde::to_string(&vec![Type::Varchar(3), Type::raw("GEOMETRY")]).unwrap();
        assert_eq!(yaml, "- varchar(3)\n- raw: GEOMETRY\n");
        let back: Vec<Type> = yaml_serde::from_str(&yaml).unwrap();
        assert_eq!(back, vec![Type::Varchar(3), Type::raw("GEOMETRY")]);
        let err = yaml_serde::from_str::<Type>("intgr")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown column type 'intgr'"), "{err}");
    }

    #[test]
    fn yaml_form_of_enums() {
        let state = Type::enumeration("state", ["pending", "it's"]);
        let yaml = yaml_serde::to_string(&state).unwrap();
        assert_eq!(yaml, "enum: state\nvalues:\n- pending\n- it's\n");
        assert_eq!(yaml_serde::from_str::<Type>(&yaml).unwrap(), state);
        assert_eq!(state.to_string(), "enum state ('pending', 'it''s')");
        assert_eq!(
            Type::enumeration("e", Vec::<String>::new()).size_problem(),
            Some("an enum needs at least one label")
        );
        assert_eq!(
            Type::enumeration("e", ["a", "a"]).size_problem(),
            Some("an enum's labels must differ")
        );
        assert!(!Type::enumeration("e", ["a"]).narrows_to(&Type::enumeration("e", ["a", "b"])));
        assert!(Type::enumeration("e", ["a", "b"]).narrows_to(&Type::enumeration("e", ["a"])));
    }

    #[test]
    fn narrowing_is_everything_but_known_widenings() {
        assert!(!Type::Integer.narrows_to(&Type::BigInt));
        assert!(Type::BigInt.narrows_to(&Type::Integer));
        assert!(!Type::Varchar(10).narrows_to(&Type::Varchar(20)));
        assert!(Type::Varchar(20).narrows_to(&Type::Varchar(10)));
        assert!(!Type::Varchar(20).narrows_to(&Type::Text));
        assert!(Type::Text.narrows_to(&Type::Varchar(20)));
        assert!(!Type::Numeric(10, 2).narrows_to(&Type::Numeric(12, 3)));
        assert!(Type::Numeric(10, 2).narrows_to(&Type::Numeric(10, 3)));
        assert!(!Type::Integer.narrows_to(&Type::Numeric(10, 0)));
        assert!(Type::Text.narrows_to(&Type::Integer));
        assert!(!Type::Text.narrows_to(&Type::Text));
    }
}
