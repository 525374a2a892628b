//! `#[derive(DbEnum)]`: reading a fieldless enum and writing its `DbEnum` impl (the sqlx impls
//! are in `sqlx_enum`).

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Data, DataEnum, DeriveInput, Error, Fields, Ident, LitStr, Result};

use crate::attrs::{Given, key_name, non_empty_string, set};
use crate::sqlx_enum;

/// How a fieldless enum should be written, for the errors about its shape.
const SHAPE: &str = "write `enum Name { First, Second }`, one variant per label";

/// The enum, read and checked.
pub(crate) struct EnumDef<'a> {
    pub ident: &'a Ident,
    /// The type's name (`DbEnum::NAME`).
    pub name: String,
    pub variants: Vec<VariantDef<'a>>,
}

/// One variant and its label.
pub(crate) struct VariantDef<'a> {
    pub ident: &'a Ident,
    pub label: String,
    /// Where errors about the label point: the `rename = "..."` literal, or the variant.
    label_tokens: TokenStream,
}

/// Expands `#[derive(DbEnum)]`.
pub(crate) fn derive(input: &DeriveInput) -> Result<TokenStream> {
    let data = enum_data(input)?;
    let def = read_enum(input, data)?;
    let db_enum = db_enum_impl(&def);
    let sqlx = sqlx_enum::impls(&def);
    Ok(quote! {
        #db_enum
        #sqlx
    })
}

fn enum_data(input: &DeriveInput) -> Result<&DataEnum> {
    let data = match &input.data {
        Data::Enum(data) => data,
        Data::Struct(data) => {
            let msg = format!("`DbEnum` can only be derived for an enum, not a struct: {SHAPE}");
            return Err(Error::new_spanned(data.struct_token, msg));
        }
        Data::Union(data) => {
            let msg = format!("`DbEnum` can only be derived for an enum, not a union: {SHAPE}");
            return Err(Error::new_spanned(data.union_token, msg));
        }
    };
    if !input.generics.params.is_empty() {
        let msg = format!("a `DbEnum` cannot have generic parameters: {SHAPE}");
        return Err(Error::new_spanned(&input.generics, msg));
    }
    if data.variants.is_empty() {
        let msg = format!("a `DbEnum` needs at least one variant: {SHAPE}");
        return Err(Error::new_spanned(&input.ident, msg));
    }
    Ok(data)
}

/// Reads the enum's name and every variant's label, refusing labels used twice.
fn read_enum<'a>(input: &'a DeriveInput, data: &'a DataEnum) -> Result<EnumDef<'a>> {
    let name = enum_name(&input.attrs)?
        .map(|lit| lit.value())
        .unwrap_or_else(|| outflow_types::snake_case(&input.ident.unraw().to_string()));
    let mut variants: Vec<VariantDef> = Vec::with_capacity(data.variants.len());
    let mut seen: HashMap<String, &Ident> = HashMap::new();
    for variant in &data.variants {
        let def = read_variant(variant)?;
        if let Some(first) = seen.insert(def.label.clone(), def.ident) {
            let msg = format!(
                "label \"{}\" is already the label of variant `{first}`: give one of them \
                 `#[db_enum(rename = \"...\")]`",
                def.label
            );
            return Err(Error::new_spanned(&def.label_tokens, msg));
        }
        variants.push(def);
    }
    Ok(EnumDef {
        ident: &input.ident,
        name,
        variants,
    })
}

fn read_variant(variant: &syn::Variant) -> Result<VariantDef<'_>> {
    if !matches!(variant.fields, Fields::Unit) {
        let ident = &variant.ident;
        let msg = format!(
            "a `DbEnum` variant holds no data, only its label: write `{ident},` without fields"
        );
        return Err(Error::new_spanned(&variant.fields, msg));
    }
    let (label, label_tokens) = match variant_rename(&variant.attrs)? {
        Some(lit) => (lit.value(), lit.to_token_stream()),
        None => {
            let ident = variant.ident.unraw();
            (
                outflow_types::snake_case(&ident.to_string()),
                ident.to_token_stream(),
            )
        }
    };
    Ok(VariantDef {
        ident: &variant.ident,
        label,
        label_tokens,
    })
}

/// `#[db_enum(name = "...")]` on the enum, all repetitions combined.
fn enum_name(attrs: &[Attribute]) -> Result<Option<LitStr>> {
    let mut name: Option<Given<LitStr>> = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("db_enum")) {
        attr.parse_nested_meta(|meta| match key_name(&meta.path).as_str() {
            "name" => {
                let lit = non_empty_string(&meta, "name = \"type_name\"")?;
                set(&mut name, &meta, lit)
            }
            "rename" => Err(misplaced(
                &meta,
                "`rename` belongs on a variant; on the enum, write `#[db_enum(name = \"...\")]`",
            )),
            other => Err(misplaced(
                &meta,
                &format!(
                    "unknown db_enum attribute `{other}`: on the enum, write `#[db_enum(name = \"...\")]`"
                ),
            )),
        })?;
    }
    Ok(name.map(|given| given.value))
}

/// `#[db_enum(rename = "...")]` on a variant, all repetitions combined.
fn variant_rename(attrs: &[Attribute]) -> Result<Option<LitStr>> {
    let mut rename: Option<Given<LitStr>> = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("db_enum")) {
        attr.parse_nested_meta(|meta| match key_name(&meta.path).as_str() {
            "rename" => {
                let lit = non_empty_string(&meta, "rename = \"label\"")?;
                set(&mut rename, &meta, lit)
            }
            "name" => Err(misplaced(
                &meta,
                "`name` belongs on the enum; on a variant, write `#[db_enum(rename = \"...\")]`",
            )),
            other => Err(misplaced(
                &meta,
                &format!(
                    "unknown db_enum attribute `{other}`: on a variant, write `#[db_enum(rename = \"...\")]`"
                ),
            )),
        })?;
    }
    Ok(rename.map(|given| given.value))
}

fn misplaced(meta: &ParseNestedMeta, msg: &str) -> Error {
    Error::new_spanned(&meta.path, msg)
}

/// `impl ::outflow::DbEnum for Enum`.
fn db_enum_impl(def: &EnumDef) -> TokenStream {
    let ident = def.ident;
    let name = &def.name;
    let labels: Vec<&str> = def.variants.iter().map(|v| v.label.as_str()).collect();
    let variants: Vec<&Ident> = def.variants.iter().map(|v| v.ident).collect();
    quote! {
        #[automatically_derived]
        impl ::outflow::DbEnum for #ident {
            const NAME: &'static str = #name;
            const VALUES: &'static [&'static str] = &[#(#labels),*];
            fn label(&self) -> &'static str {
                match self {
                    #(#ident::#variants => #labels,)*
                }
            }
            fn from_label(label: &str) -> ::std::option::Option<Self> {
                match label {
                    #(#labels => ::std::option::Option::Some(#ident::#variants),)*
                    _ => ::std::option::Option::None,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(source: &str) -> Result<(String, Vec<String>)> {
        let input: DeriveInput = syn::parse_str(source)?;
        let def = read_enum(&input, enum_data(&input)?)?;
        let labels = def.variants.iter().map(|v| v.label.clone()).collect();
        Ok((def.name, labels))
    }

    #[test]
    fn names_and_labels_follow_the_snake_case_rule_unless_given() {
        let (name, labels) =
            read("enum RunState { Pending, HTTPError, r#Box, #[db_enum(rename = \"ok\")] Done }")
                .unwrap();
        assert_eq!(name, "run_state");
        assert_eq!(labels, ["pending", "http_error", "box", "ok"]);
        let (name, _) = read("#[db_enum(name = \"state\")] enum S { A }").unwrap();
        assert_eq!(name, "state");
    }

    #[test]
    fn refuses_what_cannot_be_a_label_list() {
        for bad in [
            "struct S { a: i32 }",
            "enum S {}",
            "enum S { A(i32) }",
            "enum S { A { x: i32 } }",
            "enum S { A, #[db_enum(rename = \"a\")] B }",
            "#[db_enum(name = \"\")] enum S { A }",
            "#[db_enum(names = \"s\")] enum S { A }",
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn writes_one_match_arm_per_variant() {
        let input: DeriveInput =
            syn::parse_str("enum S { A, #[db_enum(rename = \"b\")] B }").unwrap();
        let def = read_enum(&input, enum_data(&input).unwrap()).unwrap();
        let tokens = db_enum_impl(&def).to_string();
        assert!(tokens.contains("S :: A => \"a\""), "{tokens}");
        assert!(
            tokens.contains("\"b\" => :: std :: option :: Option :: Some (S :: B)"),
            "{tokens}"
        );
    }
}
