//! Rust names and types for database names and types.

use std::collections::BTreeMap;

use crate::schema::{Column, Table, Type, snake_case};

/// Rust's keywords, which a field cannot be named.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// The Rust type of a column's field (without `Option`).
pub(super) fn rust_type(
    table: &Table,
    c: &Column,
    enums: &BTreeMap<String, (String, Vec<String>)>,
) -> String {
    match &c.ty {
        Type::SmallInt => "i16".into(),
        Type::Integer => "i32".into(),
        Type::BigInt => "i64".into(),
        Type::Boolean => "bool".into(),
        Type::Real => "f32".into(),
        Type::Double => "f64".into(),
        Type::Blob => "Vec<u8>".into(),
        Type::Date => "chrono::NaiveDate".into(),
        Type::Time => "chrono::NaiveTime".into(),
        Type::Timestamp => "chrono::NaiveDateTime".into(),
        Type::TimestampTz => "chrono::DateTime<chrono::Utc>".into(),
        Type::Uuid => "uuid::Uuid".into(),
        Type::Json => "serde_json::Value".into(),
        Type::Enum { name, .. } => enums[&enum_name(table, c, name)].0.clone(),
        Type::Raw(spelling) => raw_rust_type(spelling).into(),
        _ => "String".into(),
    }
}

/// The enum type a column uses: its name, or (MySQL) `<table>_<column>`.
pub(super) fn enum_name(table: &Table, column: &Column, name: &str) -> String {
    if name.is_empty() {
        format!("{}_{}", table.name, column.name)
    } else {
        name.to_string()
    }
}

/// The Rust type sqlx decodes a database's own type into: the integer of its width and sign
/// (`int unsigned` is `u32`), an instant for MySQL's `timestamp`, a float or a boolean for the
/// spellings that say so (`DOUBLE PRECISION`, `FLOAT`, `BOOL`), bytes for SQLite's untyped
/// and `BLOB` columns, else text.
pub(super) fn raw_rust_type(spelling: &str) -> &'static str {
    let lower = spelling.trim().to_ascii_lowercase();
    let first = lower.split(['(', ' ']).next().unwrap_or_default();
    match first {
        "timestamp" if lower == "timestamp" => return "chrono::DateTime<chrono::Utc>",
        "real" | "float" | "double" | "float4" | "float8" => return "f64",
        "bool" | "boolean" => return "bool",
        "" | "blob" => return "Vec<u8>",
        _ => {}
    }
    match Type::raw(spelling).raw_integer() {
        None => "String",
        Some(int) => match (int.bytes, int.unsigned) {
            (1, false) => "i8",
            (1, true) => "u8",
            (2, false) => "i16",
            (2, true) => "u16",
            (8, false) => "i64",
            (8, true) => "u64",
            (_, false) => "i32",
            (_, true) => "u32",
        },
    }
}

/// A Rust string literal.
pub(super) fn string(text: &str) -> String {
    format!("{text:?}")
}

/// `UpperCamelCase` of a database name, as a valid identifier.
pub(super) fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if upper {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
        if c.is_ascii_digit() {
            upper = false;
        }
    }
    let out: String = out.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    match out.chars().next() {
        None => "Unnamed".into(),
        Some(first) if first.is_ascii_digit() => format!("T{out}"),
        Some(_) => out,
    }
}

/// A field name: the snake_case of the column name, as a valid identifier.
pub(super) fn field(name: &str) -> String {
    let snake = snake_case(&camel(name));
    if KEYWORDS.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// `name`, or `name2`, `name3`... when taken.
pub(super) fn unique(taken: &mut BTreeMap<String, usize>, name: String) -> String {
    let n = taken.entry(name.clone()).or_insert(0);
    *n += 1;
    if *n == 1 { name } else { format!("{name}{n}") }
}
