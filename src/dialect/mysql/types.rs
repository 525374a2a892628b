//! MySQL spellings of the portable types, and reading `COLUMN_TYPE` back.
//!
//! | portable | rendered | read back from |
//! |---|---|---|
//! | `smallint`, `integer`, `bigint` | `SMALLINT`, `INT`, `BIGINT` | any display width (`int(11)`) |
//! | `boolean` | `BOOLEAN` | `tinyint(1)` |
//! | `real`, `double` | `FLOAT`, `DOUBLE` | `float`, `double` |
//! | `numeric(p, s)` | `DECIMAL(p, s)` (p ≤ 65, s ≤ 30) | `decimal(p,s)` |
//! | `text` | `LONGTEXT` (unbounded, as on PostgreSQL) | `longtext` |
//! | `varchar(n)`, `char(n)` | `VARCHAR(n)`, `CHAR(n)` (n ≤ 255) | same |
//! | `date` | `DATE` | `date` |
//! | `time` | `TIME(6)` (microseconds, as on PostgreSQL) | `time(6)` |
//! | `timestamp` | `DATETIME(6)`: no time zone, years 1000–9999 | `datetime(6)` |
//! | `timestamp with time zone` | `TIMESTAMP(6)`: an instant stored in UTC and shown in the session's time zone, like PostgreSQL's `timestamptz`, but limited to 1970–2038 (2106 on MariaDB 11.5+) | `timestamp(6)` |
//! | `blob` | `LONGBLOB` | `longblob` |
//! | `json` | `JSON` | MySQL `json`; MariaDB `longtext` with its `json_valid` check |
//! | `uuid` | `CHAR(36)`, the hyphenated text | `char(36)`, read as `char(36)`: the normal form of `uuid` is `char(36)` |
//! | `enum` | `ENUM('a', 'b')` | `enum(...)`, with an empty type name (the server keeps none) |
//! | raw | verbatim | anything else, lower-cased, integer display widths dropped |
//!
//! Smaller text and blob types (`TEXT`, `MEDIUMTEXT`, `BLOB`...) read back as raw types: their
//! capacity differs from the portable `text`/`blob`.

use super::text;
use crate::dialect::pool::{PoolError, add_value, bind_failed, typed_null};
use crate::model::value::Value;
use crate::schema::{Type, split_args};

/// The column type we write for `ty`.
pub(crate) fn render(ty: &Type) -> String {
    match ty {
        Type::SmallInt => "SMALLINT".into(),
        Type::Integer => "INT".into(),
        Type::BigInt => "BIGINT".into(),
        Type::Boolean => "BOOLEAN".into(),
        Type::Real => "FLOAT".into(),
        Type::Double => "DOUBLE".into(),
        Type::Numeric(p, s) => format!("DECIMAL({p}, {s})"),
        Type::Text => "LONGTEXT".into(),
        Type::Varchar(n) => format!("VARCHAR({n})"),
        Type::Char(n) => format!("CHAR({n})"),
        Type::Date => "DATE".into(),
        Type::Time => "TIME(6)".into(),
        Type::Timestamp => "DATETIME(6)".into(),
        Type::TimestampTz => "TIMESTAMP(6)".into(),
        Type::Blob => "LONGBLOB".into(),
        Type::Json => "JSON".into(),
        Type::Uuid => "CHAR(36)".into(),
        Type::Enum { values, .. } => {
            let labels: Vec<String> = values.iter().map(|v| text::literal(v)).collect();
            format!("ENUM({})", labels.join(", "))
        }
        Type::Raw(spelling) => spelling.trim().to_string(),
    }
}

/// Why MySQL cannot hold `ty` as the portable type means it, if it cannot.
pub(crate) fn size_problem(ty: &Type) -> Option<&'static str> {
    match ty {
        Type::Numeric(p, s) if *p > 65 || *s > 30 => {
            Some("MySQL's DECIMAL allows a precision up to 65 and a scale up to 30")
        }
        Type::Char(n) if *n > 255 => {
            Some("MySQL's CHAR holds at most 255 characters; use varchar(n)")
        }
        _ => None,
    }
}

/// The type a `COLUMN_TYPE` (or one of our spellings) means. Enums come back with an empty
/// name; unknown spellings are kept as [`Type::Raw`], lower-cased.
pub(crate) fn parse(column_type: &str) -> Type {
    let trimmed = column_type.trim();
    if trimmed.len() > 5 && trimmed[..5].eq_ignore_ascii_case("enum(") {
        if let Some(values) = trimmed[5..].strip_suffix(')').and_then(enum_labels) {
            return Type::Enum {
                name: String::new(),
                values,
            };
        }
        return Type::Raw(trimmed.to_string());
    }
    let norm = lower_outside_strings(&trimmed.split_whitespace().collect::<Vec<_>>().join(" "));
    let (head, tail) = split_tail(&norm);
    let Some((name, args)) = split_args(head) else {
        return Type::Raw(norm);
    };
    if !tail.is_empty() {
        // `unsigned`, `zerofill`, a character set...: kept, without the integer display width.
        return Type::Raw(without_width(name, &args, head, tail));
    }
    portable(name, &args).unwrap_or_else(|| Type::Raw(without_width(name, &args, head, "")))
}

/// Lower-cases a type spelling but its quoted labels: `SET('Trailers')` holds `Trailers`.
fn lower_outside_strings(spelling: &str) -> String {
    let mut in_string = false;
    spelling
        .chars()
        .map(|c| {
            if c == '\'' {
                in_string = !in_string;
            }
            if in_string { c } else { c.to_ascii_lowercase() }
        })
        .collect()
}

/// `("bigint(20)", "unsigned")` from `bigint(20) unsigned`; the head keeps its arguments.
fn split_tail(norm: &str) -> (&str, &str) {
    let end = match norm.find('(') {
        Some(open) => norm[open..].find(')').map_or(norm.len(), |c| open + c + 1),
        None => norm.find(' ').unwrap_or(norm.len()),
    };
    // Multi-word names (`double precision`, `character varying(3)`) have no tail.
    let head = &norm[..end];
    let tail = norm[end..].trim();
    if matches!(tail, "precision" | "varying") || tail.starts_with("varying(") {
        return (norm, "");
    }
    (head, tail)
}

fn portable(name: &str, args: &[u32]) -> Option<Type> {
    Some(match (name, args) {
        ("tinyint", [1]) | ("bool" | "boolean", []) => Type::Boolean,
        ("smallint", [] | [6]) => Type::SmallInt,
        ("int" | "integer", [] | [11]) => Type::Integer,
        ("bigint", [] | [20]) => Type::BigInt,
        ("float", []) => Type::Real,
        // REAL is DOUBLE unless the REAL_AS_FLOAT mode is on.
        ("double" | "double precision" | "real", []) => Type::Double,
        ("decimal" | "numeric" | "dec" | "fixed", [p, s]) => Type::Numeric(*p, *s),
        ("decimal" | "numeric" | "dec" | "fixed", [p]) => Type::Numeric(*p, 0),
        ("decimal" | "numeric" | "dec" | "fixed", []) => Type::Numeric(10, 0),
        ("longtext", []) => Type::Text,
        ("varchar" | "character varying", [n]) if *n > 0 => Type::Varchar(*n),
        ("char" | "character", [n]) if *n > 0 => Type::Char(*n),
        ("char" | "character", []) => Type::Char(1),
        ("date", []) => Type::Date,
        ("time", [6]) => Type::Time,
        ("datetime", [6]) => Type::Timestamp,
        ("timestamp", [6]) => Type::TimestampTz,
        ("longblob", []) => Type::Blob,
        ("json", []) => Type::Json,
        _ => return None,
    })
}

/// The spelling without an integer type's display width when it is the server's default
/// for the type (`mediumint(9)` → `mediumint`, `int(10) unsigned` → `int unsigned`); a width
/// given on purpose (`int(4)`) is kept, as MariaDB keeps and shows it.
fn without_width(name: &str, args: &[u32], head: &str, tail: &str) -> String {
    let unsigned = tail.contains("unsigned") || tail.contains("zerofill");
    let default_width = match (name, unsigned) {
        ("tinyint", false) => Some(4),
        ("tinyint", true) => Some(3),
        ("smallint", false) => Some(6),
        ("smallint", true) => Some(5),
        ("mediumint", false) => Some(9),
        ("mediumint", true) => Some(8),
        ("int" | "integer", false) => Some(11),
        ("int" | "integer", true) => Some(10),
        ("bigint", _) => Some(20),
        _ => None,
    };
    let head = match (default_width, args) {
        (Some(width), [given]) if *given == width => name,
        _ => head,
    };
    if tail.is_empty() {
        head.to_string()
    } else {
        format!("{head} {tail}")
    }
}

/// The labels inside `enum(...)`: quoted, separated by commas, quotes doubled or
/// backslash-escaped as MySQL writes them.
pub(crate) fn enum_labels(inner: &str) -> Option<Vec<String>> {
    let mut labels = Vec::new();
    let mut chars = inner.trim().chars().peekable();
    loop {
        if chars.next()? != '\'' {
            return None;
        }
        let mut label = String::new();
        loop {
            match chars.next()? {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    label.push('\'');
                }
                '\'' => break,
                '\\' => label.push(text::unescape_char(chars.next()?)),
                c => label.push(c),
            }
        }
        labels.push(label);
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return Some(labels),
            Some(',') => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            Some(_) => return None,
        }
    }
}

/// The normal form used to compare types: what the type reads back as once created.
pub(crate) fn normal(ty: &Type) -> Type {
    match ty {
        Type::Enum { values, .. } => Type::Enum {
            name: String::new(),
            values: values.clone(),
        },
        Type::Raw(spelling) => parse(spelling),
        portable => parse(&render(portable)),
    }
}

/// Digits of fractional seconds the type keeps (what a bare `CURRENT_TIMESTAMP` default means
/// on it).
pub(crate) fn fraction_digits(ty: &Type) -> u32 {
    match normal(ty) {
        Type::Time | Type::Timestamp | Type::TimestampTz => 6,
        Type::Raw(spelling) => match split_args(&spelling) {
            Some(("datetime" | "timestamp" | "time", args)) => args.first().copied().unwrap_or(0),
            _ => 0,
        },
        _ => 0,
    }
}

/// Whether the type holds numbers (defaults then compare by value).
pub(crate) fn is_numeric(ty: &Type) -> bool {
    match normal(ty) {
        Type::SmallInt
        | Type::Integer
        | Type::BigInt
        | Type::Boolean
        | Type::Real
        | Type::Double
        | Type::Numeric(..) => true,
        Type::Raw(spelling) => {
            let name = spelling.split([' ', '(']).next().unwrap_or("");
            matches!(
                name,
                "tinyint"
                    | "smallint"
                    | "mediumint"
                    | "int"
                    | "integer"
                    | "bigint"
                    | "float"
                    | "double"
                    | "decimal"
                    | "bit"
            )
        }
        _ => false,
    }
}

/// The spelling of a text, blob or JSON type: MySQL indexes those only with a prefix length,
/// and gives them literal defaults only as expressions.
pub(crate) fn large_object(ty: &Type) -> Option<String> {
    let name = match normal(ty) {
        Type::Text => return Some("LONGTEXT".into()),
        Type::Blob => return Some("LONGBLOB".into()),
        Type::Json => return Some("JSON".into()),
        Type::Raw(spelling) => spelling.split([' ', '(']).next().unwrap_or("").to_string(),
        _ => return None,
    };
    let large = matches!(
        name.as_str(),
        "tinytext"
            | "text"
            | "mediumtext"
            | "longtext"
            | "tinyblob"
            | "blob"
            | "mediumblob"
            | "longblob"
            | "json"
            | "geometry"
    );
    large.then(|| name.to_ascii_uppercase())
}

/// MySQL arguments for `values`: JSON as its text, a UUID hyphenated (a `CHAR(36)` column).
pub(crate) fn bind(values: Vec<(Value, &Type)>) -> Result<sqlx::mysql::MySqlArguments, PoolError> {
    use sqlx::Arguments as _;
    typed_null!(null, sqlx::mysql::MySqlArguments,);
    let mut args = sqlx::mysql::MySqlArguments::default();
    for (value, ty) in values {
        add_value!(&mut args, value, ty, null: null, json: |v| v.to_string(), uuid: |v| v.hyphenated().to_string())
            .map_err(bind_failed)?;
    }
    Ok(args)
}
#[cfg(test)]
mod tests {
    use super::*;

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
    ];

    #[test]
    fn every_portable_type_reads_back_as_itself() {
        for ty in ALL {
            assert_eq!(&parse(&render(ty)), ty, "{ty}");
        }
        assert_eq!(normal(&Type::Uuid), Type::Char(36));
        let e = Type::enumeration("state", ["a", "it's", "back\\slash"]);
        assert_eq!(
            render(&e),
            r"ENUM('a', 'it''s', 'back\\slash')",
            "labels are MySQL literals"
        );
        assert_eq!(parse(&render(&e)), normal(&e));
    }

    #[test]
    fn set_labels_keep_their_case() {
        assert_eq!(
            parse("SET('Trailers','Deleted Scenes')"),
            Type::raw("set('Trailers','Deleted Scenes')")
        );
        assert_eq!(parse("INT UNSIGNED"), Type::raw("int unsigned"));
    }

    #[test]
    fn catalog_spellings() {
        for (catalog, ty) in [
            ("int(11)", Type::Integer),
            ("smallint(6)", Type::SmallInt),
            ("bigint(20)", Type::BigInt),
            ("tinyint(1)", Type::Boolean),
            ("decimal(12,2)", Type::Numeric(12, 2)),
            ("varchar(120)", Type::Varchar(120)),
            ("char(36)", Type::Char(36)),
            ("datetime(6)", Type::Timestamp),
            ("timestamp(6)", Type::TimestampTz),
            ("time(6)", Type::Time),
            ("bigint(20) unsigned", Type::raw("bigint unsigned")),
            ("mediumint(9)", Type::raw("mediumint")),
            ("tinyint(4)", Type::raw("tinyint")),
            ("datetime", Type::raw("datetime")),
            ("mediumtext", Type::raw("mediumtext")),
            ("double precision", Type::Double),
        ] {
            assert_eq!(parse(catalog), ty, "{catalog}");
        }
        assert_eq!(
            parse("enum('pending','it''s','a\\\\b')"),
            Type::Enum {
                name: String::new(),
                values: vec!["pending".into(), "it's".into(), "a\\b".into()]
            }
        );
        assert_eq!(normal(&Type::raw("MEDIUMINT")), parse("mediumint(9)"));
        assert_eq!(normal(&Type::raw("INTEGER")), Type::Integer);
    }

    #[test]
    fn properties_of_types() {
        assert_eq!(fraction_digits(&Type::Timestamp), 6);
        assert_eq!(fraction_digits(&Type::raw("DATETIME(3)")), 3);
        assert_eq!(fraction_digits(&Type::Date), 0);
        assert!(is_numeric(&Type::Numeric(5, 2)) && is_numeric(&Type::raw("tinyint(4)")));
        assert!(!is_numeric(&Type::Varchar(3)));
        assert_eq!(large_object(&Type::Text).as_deref(), Some("LONGTEXT"));
        assert_eq!(
            large_object(&Type::raw("mediumtext")).as_deref(),
            Some("MEDIUMTEXT")
        );
        assert_eq!(large_object(&Type::Varchar(10)), None);
        assert!(size_problem(&Type::Numeric(66, 2)).is_some());
        assert!(size_problem(&Type::Char(256)).is_some());
        assert!(size_problem(&Type::Numeric(65, 30)).is_none());
    }
}
