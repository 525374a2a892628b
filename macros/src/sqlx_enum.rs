//! The sqlx impls of a `#[derive(DbEnum)]` enum, for SQLite, PostgreSQL and MySQL: the value
//! travels as its label, as text.
//!
//! sqlx's own derives are off in Outflow, so these are written out here, the way sqlx's
//! `#[derive(sqlx::Type)]` writes them for an enum of unit variants, with one difference: the
//! labels come from the `DbEnum` impl, so there is one place that maps variants to labels.

use proc_macro2::TokenStream;
use quote::quote;

use crate::db_enum::EnumDef;

/// `Type`, `Encode` and `Decode` for the three databases, plus `PgHasArrayType`.
pub(crate) fn impls(def: &EnumDef) -> TokenStream {
    let sqlx = quote!(::outflow::__private::sqlx);
    let mut out = TokenStream::new();
    out.extend(postgres_type(def));
    out.extend(text_type(def, &quote!(#sqlx::Sqlite)));
    out.extend(text_type(def, &quote!(#sqlx::MySql)));
    for db in [quote!(Sqlite), quote!(Postgres), quote!(MySql)] {
        let db = quote!(#sqlx::#db);
        out.extend(encode(def, &db));
        out.extend(decode(def, &db));
    }
    out
}

/// PostgreSQL: the named type, so the value binds to a native enum column; text columns (and
/// `::text` casts) are read too.
fn postgres_type(def: &EnumDef) -> TokenStream {
    let ident = def.ident;
    let pg = quote!(::outflow::__private::sqlx::postgres);
    let name = pg_type_name(&def.name);
    quote! {
        #[automatically_derived]
        impl ::outflow::__private::sqlx::Type<::outflow::__private::sqlx::Postgres> for #ident {
            fn type_info() -> #pg::PgTypeInfo {
                #pg::PgTypeInfo::with_name(#name)
            }
            fn compatible(ty: &#pg::PgTypeInfo) -> ::std::primitive::bool {
                *ty == #pg::PgTypeInfo::with_name(#name)
                    || <&::std::primitive::str as ::outflow::__private::sqlx::Type<
                        ::outflow::__private::sqlx::Postgres,
                    >>::compatible(ty)
            }
        }
        #[automatically_derived]
        impl #pg::PgHasArrayType for #ident {
            fn array_type_info() -> #pg::PgTypeInfo {
                #pg::PgTypeInfo::array_of(#name)
            }
        }
    }
}

/// The name sqlx looks the type up by (`to_regtype(...)`, which folds unquoted names to lower
/// case): Outflow creates enum types with quoted names, so any name but a plain lower-case one
/// is quoted to be found as written.
fn pg_type_name(name: &str) -> String {
    let mut chars = name.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// SQLite and MySQL: the type of `str`, accepting what `str` accepts (text, and MySQL's `ENUM`).
fn text_type(def: &EnumDef, db: &TokenStream) -> TokenStream {
    let ident = def.ident;
    let sqlx = quote!(::outflow::__private::sqlx);
    let type_info = quote!(<#db as #sqlx::Database>::TypeInfo);
    quote! {
        #[automatically_derived]
        impl #sqlx::Type<#db> for #ident {
            fn type_info() -> #type_info {
                <::std::primitive::str as #sqlx::Type<#db>>::type_info()
            }
            fn compatible(ty: &#type_info) -> ::std::primitive::bool {
                <::std::primitive::str as #sqlx::Type<#db>>::compatible(ty)
            }
        }
    }
}

/// The label, encoded as `&str` is.
fn encode(def: &EnumDef, db: &TokenStream) -> TokenStream {
    let ident = def.ident;
    let sqlx = quote!(::outflow::__private::sqlx);
    let str_encode = quote!(<&'static ::std::primitive::str as #sqlx::Encode<'q, #db>>);
    quote! {
        #[automatically_derived]
        impl<'q> #sqlx::Encode<'q, #db> for #ident {
            fn encode_by_ref(
                &self,
                buf: &mut <#db as #sqlx::Database>::ArgumentBuffer,
            ) -> ::std::result::Result<#sqlx::encode::IsNull, #sqlx::error::BoxDynError> {
                #str_encode::encode_by_ref(&<#ident as ::outflow::DbEnum>::label(self), buf)
            }
            fn size_hint(&self) -> ::std::primitive::usize {
                #str_encode::size_hint(&<#ident as ::outflow::DbEnum>::label(self))
            }
        }
    }
}

/// Decoded as `&str` is, then looked up; an unknown label is a decode error that names the
/// enum, the label and the labels it knows.
fn decode(def: &EnumDef, db: &TokenStream) -> TokenStream {
    let ident = def.ident;
    let sqlx = quote!(::outflow::__private::sqlx);
    let enum_desc = format!("{ident} (type {})", def.name);
    let known: Vec<String> = def
        .variants
        .iter()
        .map(|v| format!("{:?}", v.label))
        .collect();
    let known = known.join(", ");
    quote! {
        #[automatically_derived]
        impl<'r> #sqlx::Decode<'r, #db> for #ident {
            fn decode(
                value: <#db as #sqlx::Database>::ValueRef<'r>,
            ) -> ::std::result::Result<Self, #sqlx::error::BoxDynError> {
                let label = <&'r ::std::primitive::str as #sqlx::Decode<'r, #db>>::decode(value)?;
                <#ident as ::outflow::DbEnum>::from_label(label).ok_or_else(|| {
                    ::std::format!(
                        "unknown label {:?} for enum {}; expected one of: {}",
                        label,
                        #enum_desc,
                        #known,
                    )
                    .into()
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pg_type_name;

    #[test]
    fn postgres_names_are_quoted_unless_plain_lower_case() {
        assert_eq!(pg_type_name("run_state"), "run_state");
        assert_eq!(pg_type_name("_v2"), "_v2");
        assert_eq!(pg_type_name("RunState"), "\"RunState\"");
        assert_eq!(pg_type_name("2fa"), "\"2fa\"");
        assert_eq!(pg_type_name("a\"b"), "\"a\"\"b\"");
    }
}
