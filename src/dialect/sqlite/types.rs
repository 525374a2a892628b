//! SQLite spellings of the portable types, and reading declared types back.
//!
//! SQLite keeps a column's declared type verbatim, so we render each portable type with a
//! distinct spelling and read it back to the same [`Type`]. Common synonyms written by hand
//! (`INT`, `DATETIME`, `CHARACTER VARYING(20)`, ...) read to the portable type they mean.

use crate::dialect::pool::{PoolError, add_value, bind_failed, typed_null};
use crate::model::value::Value;
use crate::schema::Type;
use crate::schema::split_args;

/// The declared type we write for `ty`.
pub(crate) fn render(ty: &Type) -> String {
    match ty {
        Type::SmallInt => "SMALLINT".into(),
        Type::Integer => "INTEGER".into(),
        Type::BigInt => "BIGINT".into(),
        Type::Boolean => "BOOLEAN".into(),
        Type::Real => "REAL".into(),
        Type::Double => "DOUBLE".into(),
        Type::Numeric(p, s) => format!("NUMERIC({p}, {s})"),
        Type::Text => "TEXT".into(),
        Type::Varchar(n) => format!("VARCHAR({n})"),
        Type::Char(n) => format!("CHAR({n})"),
        Type::Date => "DATE".into(),
        Type::Time => "TIME".into(),
        Type::Timestamp => "TIMESTAMP".into(),
        Type::TimestampTz => "TIMESTAMP WITH TIME ZONE".into(),
        Type::Blob => "BLOB".into(),
        Type::Json => "JSON".into(),
        Type::Uuid => "UUID".into(),
        // The labels are a CHECK constraint of the column (see `render`).
        Type::Enum { .. } => "TEXT".into(),
        Type::Raw(spelling) => spelling.trim().to_string(),
    }
}

/// The portable type a declared type means; unknown spellings are kept as [`Type::Raw`].
pub(crate) fn parse(declared: &str) -> Type {
    let norm = declared
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    let Some((head, args)) = split_args(&norm) else {
        return Type::Raw(declared.trim().to_string());
    };
    let ty = match (head, args.as_slice()) {
        ("SMALLINT" | "INT2", []) => Type::SmallInt,
        ("INTEGER" | "INT" | "INT4" | "MEDIUMINT", []) => Type::Integer,
        ("BIGINT" | "INT8", []) => Type::BigInt,
        ("BOOLEAN" | "BOOL", []) => Type::Boolean,
        ("REAL" | "FLOAT" | "FLOAT4", []) => Type::Real,
        ("DOUBLE" | "DOUBLE PRECISION" | "FLOAT8", []) => Type::Double,
        ("NUMERIC" | "DECIMAL", [p, s]) => Type::Numeric(*p, *s),
        ("NUMERIC" | "DECIMAL", [p]) => Type::Numeric(*p, 0),
        ("TEXT" | "CLOB", []) => Type::Text,
        ("VARCHAR" | "CHARACTER VARYING" | "NVARCHAR" | "VARYING CHARACTER", [n]) => {
            Type::Varchar(*n)
        }
        ("CHAR" | "CHARACTER" | "NCHAR" | "NATIVE CHARACTER", [n]) => Type::Char(*n),
        ("DATE", []) => Type::Date,
        ("TIME", []) => Type::Time,
        ("TIMESTAMP" | "DATETIME", []) => Type::Timestamp,
        ("TIMESTAMP WITH TIME ZONE" | "TIMESTAMPTZ", []) => Type::TimestampTz,
        // A column declared without a type has BLOB affinity.
        ("BLOB" | "", []) => Type::Blob,
        ("JSON", []) => Type::Json,
        ("UUID", []) => Type::Uuid,
        _ => Type::Raw(declared.trim().to_string()),
    };
    match ty {
        Type::Varchar(0) | Type::Char(0) => Type::Raw(declared.trim().to_string()),
        Type::Numeric(p, s) if p == 0 || s > p => Type::Raw(declared.trim().to_string()),
        ty => ty,
    }
}

/// The type a declared type is read as: the portable type when we would declare that type
/// with exactly this spelling, else the spelling itself (SQLite keeps it, and a database
/// adopted or compared must keep it too: `DATETIME` stays `DATETIME`).
pub(crate) fn declared(spelling: &str) -> Type {
    let spelling = spelling.trim();
    let ty = parse(spelling);
    if render(&ty) == spelling {
        ty
    } else {
        Type::Raw(spelling.to_string())
    }
}

/// The normal form used to compare types: the declared type the type is created with, read
/// back (two types are the same on SQLite when they are declared with the same spelling).
pub(crate) fn normal(ty: &Type) -> Type {
    if let Type::Enum { .. } = ty {
        // Read back from the column's check (see `render::column_def`), labels and name.
        return ty.clone();
    }
    declared(&render(ty))
}

/// SQLite arguments for `values`: JSON as its text, a UUID hyphenated.
pub(crate) fn bind(
    values: Vec<(Value, &Type)>,
) -> Result<sqlx::sqlite::SqliteArguments, PoolError> {
    use sqlx::Arguments as _;
    typed_null!(null, sqlx::sqlite::SqliteArguments,);
    let mut args = sqlx::sqlite::SqliteArguments::default();
    for (value, ty) in values {
        add_value!(&mut args, value, ty, null: null, json: |v| v.to_string(), uuid: |v| v.hyphenated().to_string())
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
            assert_eq!(parse(&render(&ty)), ty, "{ty}");
        }
    }

    #[test]
    fn synonyms_and_raw_spellings() {
        assert_eq!(parse("int"), Type::Integer);
        assert_eq!(parse("character  varying(20)"), Type::Varchar(20));
        assert_eq!(parse("DATETIME"), Type::Timestamp);
        assert_eq!(parse("decimal(10)"), Type::Numeric(10, 0));
        assert_eq!(parse(""), Type::Blob);
        assert_eq!(parse("unsigned big int"), Type::raw("unsigned big int"));
        assert_eq!(parse("varchar(0)"), Type::raw("varchar(0)"));
        assert_eq!(normal(&Type::raw("INTEGER")), Type::Integer);
        assert_eq!(normal(&Type::raw("int")), Type::raw("int"));
        assert_eq!(declared("DATETIME"), Type::raw("DATETIME"));
        assert_eq!(declared("TIMESTAMP"), Type::Timestamp);
        assert_ne!(normal(&Type::raw("DATETIME")), normal(&Type::Timestamp));
    }
}
