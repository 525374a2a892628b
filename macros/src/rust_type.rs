//! From a field's Rust type to its nullability and default column type.

use syn::{GenericArgument, PathArguments, Result, Type, TypePath};

use crate::sql_type::{SqlType, Type as Ty};

/// What a field's Rust type says about its column.
pub(crate) struct FieldType<'a> {
    /// `Option<T>`: the column allows NULL.
    pub nullable: bool,
    /// `T` for `Option<T>`, the field type otherwise.
    pub inner: &'a Type,
    /// The column type `T` maps to, if it maps to one.
    pub mapped: Option<SqlType>,
    /// `T` is `String` (the only type `length` applies to).
    pub is_string: bool,
}

/// Reads a field type. Types are matched on their last path segment, so `chrono::NaiveDate` and
/// `NaiveDate` are the same; a proc macro cannot resolve names, so this is the best it can do.
pub(crate) fn analyze(ty: &Type) -> Result<FieldType<'_>> {
    let ty = strip(ty);
    let (nullable, inner) = match single_arg(ty, "Option") {
        Some(inner) => {
            let inner = strip(inner);
            if single_arg(inner, "Option").is_some() {
                let msg = "`Option<Option<T>>` cannot be a column (NULL is the only \"no value\"): use `Option<T>`";
                return Err(syn::Error::new_spanned(inner, msg));
            }
            (true, inner)
        }
        None => (false, ty),
    };
    let is_string = is_plain(inner, "String");
    Ok(FieldType {
        nullable,
        inner,
        mapped: map(inner),
        is_string,
    })
}

/// Removes the invisible groups macro_rules adds around `$t:ty` and redundant parentheses.
fn strip(mut ty: &Type) -> &Type {
    loop {
        match ty {
            Type::Group(group) => ty = &group.elem,
            Type::Paren(paren) => ty = &paren.elem,
            _ => return ty,
        }
    }
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(TypePath {
            qself: None, path, ..
        }) => path.segments.last(),
        _ => None,
    }
}

/// `T` when `ty` is `<name><T>`.
fn single_arg<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let segment = last_segment(ty)?;
    if segment.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(arg)] => Some(strip(arg)),
        _ => None,
    }
}

/// Whether `ty` is `<name>` without generic arguments.
fn is_plain(ty: &Type, name: &str) -> bool {
    last_segment(ty).is_some_and(|s| s.ident == name && s.arguments.is_none())
}

fn map(ty: &Type) -> Option<SqlType> {
    const PLAIN: &[(&str, SqlType)] = &[
        ("i16", SqlType(Ty::SmallInt)),
        ("i32", SqlType(Ty::Integer)),
        ("i64", SqlType(Ty::BigInt)),
        ("bool", SqlType(Ty::Boolean)),
        ("f32", SqlType(Ty::Real)),
        ("f64", SqlType(Ty::Double)),
        ("String", SqlType(Ty::Text)),
        ("NaiveDate", SqlType(Ty::Date)),
        ("NaiveTime", SqlType(Ty::Time)),
        ("NaiveDateTime", SqlType(Ty::Timestamp)),
        ("Uuid", SqlType(Ty::Uuid)),
        ("Value", SqlType(Ty::Json)),
    ];
    if let Some((_, sql)) = PLAIN.iter().find(|(name, _)| is_plain(ty, name)) {
        return Some(sql.clone());
    }
    if single_arg(ty, "Vec").is_some_and(|arg| is_plain(arg, "u8")) {
        return Some(SqlType(Ty::Blob));
    }
    if single_arg(ty, "DateTime").is_some_and(|arg| is_plain(arg, "Utc")) {
        return Some(SqlType(Ty::TimestampTz));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(text: &str) -> (bool, Option<SqlType>) {
        let ty: Type = syn::parse_str(text).unwrap();
        let field = analyze(&ty).unwrap();
        (field.nullable, field.mapped)
    }

    #[test]
    fn maps_plain_qualified_and_optional_types() {
        assert_eq!(mapped("i32"), (false, Some(SqlType(Ty::Integer))));
        assert_eq!(mapped("Option<String>"), (true, Some(SqlType(Ty::Text))));
        assert_eq!(
            mapped("std::option::Option<chrono::NaiveDate>"),
            (true, Some(SqlType(Ty::Date)))
        );
        assert_eq!(
            mapped("chrono::DateTime<chrono::Utc>"),
            (false, Some(SqlType(Ty::TimestampTz)))
        );
        assert_eq!(mapped("Vec<u8>"), (false, Some(SqlType(Ty::Blob))));
        assert_eq!(
            mapped("serde_json::Value"),
            (false, Some(SqlType(Ty::Json)))
        );
        assert_eq!(mapped("Vec<u16>"), (false, None));
        assert_eq!(mapped("u32"), (false, None));
    }

    #[test]
    fn refuses_nested_options() {
        let ty: Type = syn::parse_str("Option<Option<i32>>").unwrap();
        assert!(analyze(&ty).is_err());
    }
}
