//! Column types as the macro knows them, and the compile-time reading of `sql_type = "..."`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// Mirror of `outflow::schema::Type`; [`ToTokens`] writes the matching `Type::...` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SqlType {
    SmallInt,
    Integer,
    BigInt,
    Boolean,
    Real,
    Double,
    Numeric(u32, u32),
    Text,
    Varchar(u32),
    Char(u32),
    Date,
    Time,
    Timestamp,
    TimestampTz,
    Blob,
    Json,
    Uuid,
    Raw(String),
}

/// The portable spellings, for error messages.
pub(crate) const PORTABLE_NAMES: &str = "smallint, integer, bigint, boolean, real, double, \
     numeric(p, s), text, varchar(n), char(n), date, time, timestamp, timestamp with time zone, \
     blob, json, uuid";

impl SqlType {
    /// Whether `autoincrement` may be used on a column of this type.
    pub(crate) fn is_integer(&self) -> bool {
        matches!(self, SqlType::SmallInt | SqlType::Integer | SqlType::BigInt)
    }
}

/// Reads a portable type spelling the way `Type`'s `FromStr` does (any case, any spacing).
///
/// Also rejects sizes the schema validation would reject at run time, so the mistake shows at
/// compile time. The error is the message to show, without location.
pub(crate) fn parse(input: &str) -> Result<SqlType, String> {
    let unknown = || {
        format!(
            "unknown sql_type \"{input}\"; portable types are {PORTABLE_NAMES} \
             (use `raw_type = \"...\"` for a database's own type)"
        )
    };
    let norm = input
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    let (head, args) = split_args(&norm).ok_or_else(unknown)?;
    let ty = match (head, args.as_slice()) {
        ("smallint", []) => SqlType::SmallInt,
        ("integer", []) => SqlType::Integer,
        ("bigint", []) => SqlType::BigInt,
        ("boolean", []) => SqlType::Boolean,
        ("real", []) => SqlType::Real,
        ("double", []) => SqlType::Double,
        ("numeric", [p, s]) => SqlType::Numeric(*p, *s),
        ("text", []) => SqlType::Text,
        ("varchar", [n]) => SqlType::Varchar(*n),
        ("char", [n]) => SqlType::Char(*n),
        ("date", []) => SqlType::Date,
        ("time", []) => SqlType::Time,
        ("timestamp", []) => SqlType::Timestamp,
        ("timestamp with time zone", []) => SqlType::TimestampTz,
        ("blob", []) => SqlType::Blob,
        ("json", []) => SqlType::Json,
        ("uuid", []) => SqlType::Uuid,
        _ => return Err(unknown()),
    };
    check_size(&ty)?;
    Ok(ty)
}

/// Same bounds as the schema validation (`check_type_size` in `src/schema/validate.rs`).
fn check_size(ty: &SqlType) -> Result<(), String> {
    match ty {
        SqlType::Numeric(p, s) if !(1..=1000).contains(p) || s > p => Err(format!(
            "numeric({p}, {s}) is out of range; precision must be 1 to 1000 and scale at most the precision"
        )),
        SqlType::Varchar(0) | SqlType::Char(0) => {
            Err("a varchar/char length must be at least 1".to_string())
        }
        _ => Ok(()),
    }
}

/// Splits `name(1, 2)` into `("name", [1, 2])`; `None` when the arguments are not numbers.
/// Same as `split_args` in `src/schema/types.rs`.
fn split_args(text: &str) -> Option<(&str, Vec<u32>)> {
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

impl ToTokens for SqlType {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let ty = quote!(::outflow::schema::Type);
        tokens.extend(match self {
            SqlType::SmallInt => quote!(#ty::SmallInt),
            SqlType::Integer => quote!(#ty::Integer),
            SqlType::BigInt => quote!(#ty::BigInt),
            SqlType::Boolean => quote!(#ty::Boolean),
            SqlType::Real => quote!(#ty::Real),
            SqlType::Double => quote!(#ty::Double),
            SqlType::Numeric(p, s) => quote!(#ty::Numeric(#p, #s)),
            SqlType::Text => quote!(#ty::Text),
            SqlType::Varchar(n) => quote!(#ty::Varchar(#n)),
            SqlType::Char(n) => quote!(#ty::Char(#n)),
            SqlType::Date => quote!(#ty::Date),
            SqlType::Time => quote!(#ty::Time),
            SqlType::Timestamp => quote!(#ty::Timestamp),
            SqlType::TimestampTz => quote!(#ty::TimestampTz),
            SqlType::Blob => quote!(#ty::Blob),
            SqlType::Json => quote!(#ty::Json),
            SqlType::Uuid => quote!(#ty::Uuid),
            SqlType::Raw(spelling) => quote!(#ty::raw(#spelling)),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_portable_spelling() {
        let cases = [
            ("smallint", SqlType::SmallInt),
            ("integer", SqlType::Integer),
            ("bigint", SqlType::BigInt),
            ("boolean", SqlType::Boolean),
            ("real", SqlType::Real),
            ("double", SqlType::Double),
            ("numeric(12, 2)", SqlType::Numeric(12, 2)),
            ("text", SqlType::Text),
            ("varchar(32)", SqlType::Varchar(32)),
            ("char(2)", SqlType::Char(2)),
            ("date", SqlType::Date),
            ("time", SqlType::Time),
            ("timestamp", SqlType::Timestamp),
            ("timestamp with time zone", SqlType::TimestampTz),
            ("blob", SqlType::Blob),
            ("json", SqlType::Json),
            ("uuid", SqlType::Uuid),
        ];
        for (text, ty) in cases {
            assert_eq!(parse(text), Ok(ty), "{text}");
        }
    }

    #[test]
    fn ignores_case_and_spacing_like_from_str() {
        assert_eq!(parse(" VARCHAR ( 10 ) "), Ok(SqlType::Varchar(10)));
        assert_eq!(parse("Timestamp  WITH time zone"), Ok(SqlType::TimestampTz));
        assert_eq!(parse("NUMERIC(10,0)"), Ok(SqlType::Numeric(10, 0)));
    }

    #[test]
    fn rejects_unknown_spellings_with_the_portable_list() {
        for bad in [
            "integr",
            "varchar",
            "varchar(x)",
            "numeric(1)",
            "text(3)",
            "",
            "int",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(
                err.starts_with(&format!("unknown sql_type \"{bad}\"")),
                "{err}"
            );
            assert!(err.contains(PORTABLE_NAMES), "{err}");
        }
    }

    #[test]
    fn rejects_out_of_range_sizes() {
        for bad in ["numeric(0, 0)", "numeric(2, 5)", "numeric(1001, 2)"] {
            assert!(parse(bad).unwrap_err().contains("out of range"), "{bad}");
        }
        for bad in ["varchar(0)", "char(0)"] {
            assert!(parse(bad).unwrap_err().contains("at least 1"), "{bad}");
        }
    }

    #[test]
    fn writes_outflow_type_paths() {
        let tokens = SqlType::Numeric(12, 2).to_token_stream().to_string();
        assert_eq!(
            tokens,
            ":: outflow :: schema :: Type :: Numeric (12u32 , 2u32)"
        );
        let raw = SqlType::Raw("GEOMETRY".into())
            .to_token_stream()
            .to_string();
        assert_eq!(raw, ":: outflow :: schema :: Type :: raw (\"GEOMETRY\")");
    }
}
