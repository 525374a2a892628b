//! The `sqlx::FromRow` impl `#[derive(Model)]` writes: each field read from its column by name,
//! for any sqlx row type whose database decodes every field type (as sqlx's own `FromRow`
//! derive does, which is off in Outflow).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{DeriveInput, Ident, Lifetime, parse_quote};

use crate::model::ModelField;

/// `impl<'r, R: Row> FromRow<'r, R> for Model where &'r str: ColumnIndex<R>, <field>: Decode +
/// Type, ...`, reusing the struct's first lifetime as the row's, as sqlx does, if it has one.
pub(crate) fn impl_from_row(input: &DeriveInput, fields: &[ModelField]) -> TokenStream {
    let sqlx = quote!(::outflow::__private::sqlx);
    let ident = &input.ident;
    let (_, ty_generics, _) = input.generics.split_for_impl();
    let mut generics = input.generics.clone();
    let lifetime = match generics.lifetimes().next() {
        Some(def) => def.lifetime.clone(),
        None => {
            let lifetime = Lifetime::new("'r", Span::call_site());
            generics.params.insert(0, parse_quote!(#lifetime));
            lifetime
        }
    };
    // `R`, unless the struct already has a type parameter of that name.
    let taken = |name: &str| generics.type_params().any(|p| p.ident == name);
    let row = Ident::new(if taken("R") { "__R" } else { "R" }, Span::call_site());
    // After the lifetimes: type parameters may not come before them.
    let first_type = generics.lifetimes().count();
    generics
        .params
        .insert(first_type, parse_quote!(#row: #sqlx::Row));
    let predicates = &mut generics.make_where_clause().predicates;
    predicates.push(parse_quote!(&#lifetime ::std::primitive::str: #sqlx::ColumnIndex<#row>));
    for field in fields {
        let ty = &field.rust_ty;
        predicates.push(parse_quote!(
            #ty: #sqlx::Decode<#lifetime, #row::Database> + #sqlx::Type<#row::Database>
        ));
    }
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let reads = fields.iter().map(|field| {
        let (member, column) = (&field.member, &field.column);
        quote!(#member: #sqlx::Row::try_get(__row, #column)?)
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #sqlx::FromRow<#lifetime, #row> for #ident #ty_generics #where_clause {
            fn from_row(__row: &#lifetime #row) -> ::std::result::Result<Self, #sqlx::Error> {
                ::std::result::Result::Ok(Self { #(#reads,)* })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(source: &str) -> String {
        let input: DeriveInput = syn::parse_str(source).unwrap();
        crate::model::derive(&input).unwrap().to_string()
    }

    #[test]
    fn reads_each_field_from_its_column_name() {
        let tokens = expand(
            "struct Run { #[column(name = \"kind\")] r#type: String, note: Option<String> }",
        );
        assert!(
            tokens.contains("impl < 'r , R : :: outflow :: __private :: sqlx :: Row >"),
            "{tokens}"
        );
        assert!(
            tokens.contains(
                "r#type : :: outflow :: __private :: sqlx :: Row :: try_get (__row , \"kind\") ?"
            ),
            "{tokens}"
        );
        assert!(tokens.contains("Option < String > : :: outflow :: __private :: sqlx :: Decode < 'r , R :: Database >"), "{tokens}");
    }

    #[test]
    fn reuses_the_struct_lifetime_and_keeps_its_generics() {
        let tokens = expand(
            "struct Run<'a, T> { #[column(sql_type = \"text\")] name: &'a str, \
             #[column(raw_type = \"ANY\")] extra: T }",
        );
        assert!(
            tokens.contains("impl < 'a , R : :: outflow :: __private :: sqlx :: Row , T >"),
            "{tokens}"
        );
        assert!(
            tokens.contains("FromRow < 'a , R > for Run < 'a , T >"),
            "{tokens}"
        );
    }
}
