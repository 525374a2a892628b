//! PostgreSQL spellings of the portable types, and reading types back.
//!
//! We write each portable type with PostgreSQL's usual spelling and read columns back from
//! `format_type(atttypid, atttypmod)` (`character varying(32)`, `numeric(12,2)`,
//! `timestamp without time zone`). A type no portable type stands for stays [`Type::Raw`] in a
//! canonical spelling: lower case, single spaces, no space around parentheses and commas, and
//! PostgreSQL's own name for the common aliases (`int` is `integer`, `varchar` is
//! `character varying`), so that a raw type in a model compares equal to what the catalog says.

use crate::dialect::pool::{PoolError, add_value, bind_failed, typed_null};
use crate::dialect::sql::Quote;
use crate::model::value::Value;
use crate::schema::Type;

/// The SQL we write for `ty`; enums are named types of `schema`.
pub(crate) fn render(ty: &Type, schema: &str) -> String {
    match ty {
        Type::SmallInt => "SMALLINT".into(),
        Type::Integer => "INTEGER".into(),
        Type::BigInt => "BIGINT".into(),
        Type::Boolean => "BOOLEAN".into(),
        Type::Real => "REAL".into(),
        Type::Double => "DOUBLE PRECISION".into(),
        Type::Numeric(p, s) => format!("NUMERIC({p}, {s})"),
        Type::Text => "TEXT".into(),
        Type::Varchar(n) => format!("VARCHAR({n})"),
        Type::Char(n) => format!("CHAR({n})"),
        Type::Date => "DATE".into(),
        Type::Time => "TIME".into(),
        Type::Timestamp => "TIMESTAMP".into(),
        Type::TimestampTz => "TIMESTAMP WITH TIME ZONE".into(),
        Type::Blob => "BYTEA".into(),
        // JSONB: indexable and compared by value; `json` columns read back as Json too.
        Type::Json => "JSONB".into(),
        Type::Uuid => "UUID".into(),
        Type::Enum { name, .. } => qualified(schema, name),
        Type::Raw(spelling) => spelling.trim().to_string(),
    }
}

/// `"schema"."name"`.
pub(crate) fn qualified(schema: &str, name: &str) -> String {
    format!(
        "{}.{}",
        Quote::Double.ident(schema),
        Quote::Double.ident(name)
    )
}

/// The portable type a PostgreSQL spelling means (any alias, any case); other spellings are
/// kept as [`Type::Raw`] in canonical form.
pub(crate) fn parse(spelling: &str) -> Type {
    let canon = canonical(spelling);
    let (head, args) = split(&canon);
    match (head.as_str(), args.as_slice()) {
        ("smallint", []) => Type::SmallInt,
        ("integer", []) => Type::Integer,
        ("bigint", []) => Type::BigInt,
        ("boolean", []) => Type::Boolean,
        ("real", []) => Type::Real,
        ("double precision", []) => Type::Double,
        ("numeric", [p, s]) if *p >= 1 && *s <= *p => Type::Numeric(*p, *s),
        ("numeric", [p]) if *p >= 1 => Type::Numeric(*p, 0),
        ("text", []) => Type::Text,
        ("character varying", [n]) if *n >= 1 => Type::Varchar(*n),
        ("character", [n]) if *n >= 1 => Type::Char(*n),
        ("date", []) => Type::Date,
        // 6 fractional digits is the default precision: `time(6)` is `time`.
        ("time without time zone", [] | [6]) => Type::Time,
        ("timestamp without time zone", [] | [6]) => Type::Timestamp,
        ("timestamp with time zone", [] | [6]) => Type::TimestampTz,
        ("bytea", []) => Type::Blob,
        ("json" | "jsonb", []) => Type::Json,
        ("uuid", []) => Type::Uuid,
        _ => Type::Raw(canon),
    }
}

/// The normal form used to compare types: what the type reads back as once created.
pub(crate) fn normal(ty: &Type) -> Type {
    match ty {
        // `serial` is an integer with a sequence: introspection reads an autoincrement integer.
        Type::Raw(spelling) => match canonical(spelling).as_str() {
            "serial" => Type::Integer,
            "bigserial" => Type::BigInt,
            "smallserial" => Type::SmallInt,
            _ => parse(spelling),
        },
        other => other.clone(),
    }
}

/// Whether a raw spelling makes PostgreSQL attach a sequence (`serial` and friends).
pub(crate) fn is_serial(spelling: &str) -> bool {
    matches!(
        canonical(spelling).as_str(),
        "serial" | "bigserial" | "smallserial"
    )
}

/// `name(1,2)` as `("name", [1, 2])`; the whole text as the head when the arguments are not
/// plain numbers. The precision of `timestamp(3) with time zone` is moved out of the middle.
fn split(canon: &str) -> (String, Vec<u32>) {
    let Some(open) = canon.find('(') else {
        return (canon.to_string(), Vec::new());
    };
    let Some(close) = canon[open..].find(')').map(|c| open + c) else {
        return (canon.to_string(), Vec::new());
    };
    let args: Option<Vec<u32>> = canon[open + 1..close]
        .split(',')
        .map(|a| a.trim().parse().ok())
        .collect();
    match args {
        Some(args) => {
            let head = format!("{}{}", &canon[..open], &canon[close + 1..]);
            (head.split_whitespace().collect::<Vec<_>>().join(" "), args)
        }
        None => (canon.to_string(), Vec::new()),
    }
}

/// Aliases PostgreSQL prints under another name (`format_type`'s spelling on the right).
const ALIASES: &[(&str, &str)] = &[
    ("int", "integer"),
    ("int4", "integer"),
    ("int2", "smallint"),
    ("int8", "bigint"),
    ("serial4", "serial"),
    ("serial2", "smallserial"),
    ("serial8", "bigserial"),
    ("bool", "boolean"),
    ("float4", "real"),
    ("float8", "double precision"),
    ("float", "double precision"),
    ("decimal", "numeric"),
    ("dec", "numeric"),
    ("varchar", "character varying"),
    ("char varying", "character varying"),
    ("char", "character"),
    ("bpchar", "character"),
    ("timestamptz", "timestamp with time zone"),
    ("timestamp", "timestamp without time zone"),
    ("timetz", "time with time zone"),
    ("time", "time without time zone"),
    ("varbit", "bit varying"),
];

/// Lower case, single spaces, no spaces around `(`, `)`, `,`, `[`, `]`, aliases replaced by
/// PostgreSQL's names, `pg_catalog.` removed.
pub(crate) fn canonical(spelling: &str) -> String {
    let mut text = spelling
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    for sep in ["(", ")", ",", "[", "]"] {
        text = text.replace(&format!(" {sep}"), sep);
        text = text.replace(&format!("{sep} "), sep);
    }
    // `)with time zone` lost its space above: put the one PostgreSQL prints back.
    text = text
        .replace(")with", ") with")
        .replace(")without", ") without");
    let text = text
        .strip_prefix("pg_catalog.")
        .unwrap_or(&text)
        .to_string();
    let (base, suffix) = match text.find(['(', '[']) {
        Some(i) => text.split_at(i),
        None => (text.as_str(), ""),
    };
    let (base, suffix) = (base.trim().to_string(), suffix.to_string());
    // `timestamp(3) with time zone` keeps its zone words after the parentheses.
    let base = ALIASES
        .iter()
        .find(|(alias, _)| *alias == base)
        .map_or(base.clone(), |(_, name)| (*name).to_string());
    let mut out = match base.as_str() {
        "time without time zone" | "timestamp without time zone" if suffix.starts_with('(') => {
            zone_after_precision(&base, &suffix, "without time zone")
        }
        "time with time zone" | "timestamp with time zone" if suffix.starts_with('(') => {
            zone_after_precision(&base, &suffix, "with time zone")
        }
        "float" | "double precision" if suffix.starts_with('(') => float_precision(&suffix),
        // A bare `char` is `char(1)`.
        "character" if suffix.is_empty() => "character(1)".to_string(),
        _ => format!("{base}{suffix}"),
    };
    if out.ends_with(" array") {
        out = format!("{}[]", out.trim_end_matches(" array"));
    }
    out
}

/// `timestamp without time zone` + `(3) with time zone`... rebuilt as PostgreSQL prints it:
/// `timestamp(3) without time zone`. A spelling that already names its zone keeps it.
fn zone_after_precision(base: &str, suffix: &str, default_zone: &str) -> String {
    let word = base.split(' ').next().unwrap_or(base);
    let close = suffix.find(')').map_or(suffix.len(), |i| i + 1);
    let (precision, rest) = suffix.split_at(close);
    let rest = rest.trim();
    let zone = if rest.is_empty() { default_zone } else { rest };
    format!("{word}{precision} {zone}")
}

/// `float(p)`: `real` up to 24 bits of precision, `double precision` above.
fn float_precision(suffix: &str) -> String {
    let digits: String = suffix.chars().filter(char::is_ascii_digit).collect();
    match digits.parse::<u32>() {
        Ok(p) if (1..=24).contains(&p) => "real".into(),
        _ => "double precision".into(),
    }
}

/// PostgreSQL arguments for `values`: JSON and UUID as themselves (the statement casts them to
/// the column's type).
pub(crate) fn bind(values: Vec<(Value, &Type)>) -> Result<sqlx::postgres::PgArguments, PoolError> {
    use sqlx::Arguments as _;
    typed_null!(null, sqlx::postgres::PgArguments, uuid::Uuid);
    let mut args = sqlx::postgres::PgArguments::default();
    for (value, ty) in values {
        add_value!(&mut args, value, ty, null: null, json: |v| v, uuid: |v| v)
            .map_err(bind_failed)?;
    }
    Ok(args)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_portable_type_reads_back_as_itself() {
        for ty in [
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
        ] {
            assert_eq!(parse(&render(&ty, "public")), ty, "{ty}");
        }
    }

    #[test]
    fn catalog_spellings_and_aliases() {
        for (spelling, ty) in [
            ("integer", Type::Integer),
            ("INT4", Type::Integer),
            ("character varying(120)", Type::Varchar(120)),
            ("character(3)", Type::Char(3)),
            ("bpchar(3)", Type::Char(3)),
            ("char", Type::Char(1)),
            ("numeric(12,2)", Type::Numeric(12, 2)),
            ("decimal(10)", Type::Numeric(10, 0)),
            ("timestamp(6) without time zone", Type::Timestamp),
            ("timestamptz", Type::TimestampTz),
            ("time without time zone", Type::Time),
            ("float", Type::Double),
            ("float(10)", Type::Real),
            ("json", Type::Json),
            ("jsonb", Type::Json),
        ] {
            assert_eq!(parse(spelling), ty, "{spelling}");
        }
        for (spelling, canon) in [
            ("varchar", "character varying"),
            ("int[]", "integer[]"),
            ("text ARRAY", "text[]"),
            ("timestamp(3)", "timestamp(3) without time zone"),
            ("TIMESTAMPTZ(3)", "timestamp(3) with time zone"),
            (
                "timestamp (3) with time zone",
                "timestamp(3) with time zone",
            ),
            ("numeric", "numeric"),
            ("numeric(10, -2)", "numeric(10,-2)"),
            ("INET", "inet"),
            ("pg_catalog.int4range", "int4range"),
            ("bit varying(5)", "bit varying(5)"),
            ("timetz", "time with time zone"),
        ] {
            assert_eq!(parse(spelling), Type::Raw(canon.into()), "{spelling}");
        }
        assert!(is_serial("BIGSERIAL") && is_serial("serial4") && !is_serial("bigint"));
        assert_eq!(normal(&Type::raw("serial8")), Type::BigInt);
    }
}
