//! Column types as the macro writes them, and the compile-time reading of `sql_type = "..."`
//! with the library's own parser (`outflow-types`).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use outflow_types::PORTABLE_NAMES;
pub(crate) use outflow_types::Type;

/// A [`Type`] the macro writes as the matching `::outflow::schema::Type` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SqlType(pub Type);

impl SqlType {
    /// Whether `autoincrement` may be used on a column of this type.
    pub(crate) fn takes_autoincrement(&self) -> bool {
        self.0.takes_autoincrement()
    }
}

/// Reads a portable type spelling as `Type`'s `FromStr` does, and rejects the sizes the schema
/// validation would reject at run time, so the mistake shows at compile time. The error is the
/// message to show, without location.
pub(crate) fn parse(input: &str) -> Result<SqlType, String> {
    let ty: Type = input.parse().map_err(|_| {
        format!(
            "unknown sql_type \"{input}\"; portable types are {PORTABLE_NAMES} \
             (use `raw_type = \"...\"` for a database's own type)"
        )
    })?;
    if let Some(reason) = ty.size_problem() {
        return Err(format!("{ty} is out of range: {reason}"));
    }
    Ok(SqlType(ty))
}

impl ToTokens for SqlType {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let ty = quote!(::outflow::schema::Type);
        tokens.extend(match &self.0 {
            Type::SmallInt => quote!(#ty::SmallInt),
            Type::Integer => quote!(#ty::Integer),
            Type::BigInt => quote!(#ty::BigInt),
            Type::Boolean => quote!(#ty::Boolean),
            Type::Real => quote!(#ty::Real),
            Type::Double => quote!(#ty::Double),
            Type::Numeric(p, s) => quote!(#ty::Numeric(#p, #s)),
            Type::Text => quote!(#ty::Text),
            Type::Varchar(n) => quote!(#ty::Varchar(#n)),
            Type::Char(n) => quote!(#ty::Char(#n)),
            Type::Date => quote!(#ty::Date),
            Type::Time => quote!(#ty::Time),
            Type::Timestamp => quote!(#ty::Timestamp),
            Type::TimestampTz => quote!(#ty::TimestampTz),
            Type::Blob => quote!(#ty::Blob),
            Type::Json => quote!(#ty::Json),
            Type::Uuid => quote!(#ty::Uuid),
            Type::Enum { name, values } => quote!(#ty::enumeration(#name, [#(#values),*])),
            Type::Raw(spelling) => quote!(#ty::raw(#spelling)),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_portable_spellings_like_from_str() {
        assert_eq!(parse(" VARCHAR ( 10 ) "), Ok(SqlType(Type::Varchar(10))));
        assert_eq!(
            parse("Timestamp  WITH time zone"),
            Ok(SqlType(Type::TimestampTz))
        );
        assert_eq!(parse("NUMERIC(10,0)"), Ok(SqlType(Type::Numeric(10, 0))));
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
            assert!(
                parse(bad)
                    .unwrap_err()
                    .contains("out of range: precision must be"),
                "{bad}"
            );
        }
        for bad in ["varchar(0)", "char(0)"] {
            assert!(parse(bad).unwrap_err().contains("at least 1"), "{bad}");
        }
    }

    #[test]
    fn writes_outflow_type_paths() {
        let tokens = SqlType(Type::Numeric(12, 2)).to_token_stream().to_string();
        assert_eq!(
            tokens,
            ":: outflow :: schema :: Type :: Numeric (12u32 , 2u32)"
        );
        let raw = SqlType(Type::raw("GEOMETRY")).to_token_stream().to_string();
        assert_eq!(raw, ":: outflow :: schema :: Type :: raw (\"GEOMETRY\")");
    }
}
