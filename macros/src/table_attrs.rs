//! `#[model(...)]`: reading the struct's attributes.

use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Error, Ident, LitStr, Path, Result};

use crate::attrs::{Given, key_name, non_empty_string, set, string};

/// What `#[model(...)]` attributes say, all repetitions combined.
#[derive(Default)]
pub(crate) struct ModelAttrs {
    pub table: Option<Given<LitStr>>,
    pub database: Option<Given<LitStr>>,
    pub comment: Option<Given<LitStr>>,
    pub renamed_from: Option<Given<LitStr>>,
    /// `unique(...)`, `index(...)` and `unique_index(...)` in declaration order.
    pub key_lists: Vec<KeyList>,
    /// `check(name = "...", expr = "...")` in declaration order.
    pub checks: Vec<TableCheck>,
}

/// Which table-level list a [`KeyList`] is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListKind {
    /// The primary key, when its column order is not the fields' order.
    PrimaryKey,
    Unique,
    Index,
    UniqueIndex,
}

/// `unique(a, b)`, `index(a, b)` or `unique_index(a, b)`: field identifiers.
pub(crate) struct KeyList {
    pub kind: ListKind,
    pub key: Path,
    pub fields: Vec<Ident>,
}

/// `check(name = "...", expr = "...")`.
pub(crate) struct TableCheck {
    pub key: Path,
    pub name: LitStr,
    pub expr: LitStr,
}

const MODEL_KEYS: &str = "table, database, comment, renamed_from, primary_key(...), unique(...), index(...), unique_index(...), \
     check(name = \"...\", expr = \"...\")";

/// Reads every `#[model(...)]` of the struct.
pub(crate) fn parse_model(attrs: &[Attribute]) -> Result<ModelAttrs> {
    let mut out = ModelAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
        attr.parse_nested_meta(|meta| model_key(&mut out, &meta))?;
    }
    Ok(out)
}

fn model_key(out: &mut ModelAttrs, meta: &ParseNestedMeta) -> Result<()> {
    match key_name(&meta.path).as_str() {
        "table" => {
            let lit = non_empty_string(meta, "table = \"table_name\"")?;
            set(&mut out.table, meta, lit)
        }
        "database" => {
            let lit = non_empty_string(meta, "database = \"default\"")?;
            if !is_label(&lit.value()) {
                let msg = "`database` must be a `databases:` label of config.yml made of letters, \
                           digits, `_` and `-`, e.g. `database = \"default\"`";
                return Err(Error::new_spanned(lit, msg));
            }
            set(&mut out.database, meta, lit)
        }
        "comment" => {
            let lit = string(meta, "comment = \"what the table holds\"")?;
            set(&mut out.comment, meta, lit)
        }
        "renamed_from" => {
            let lit = non_empty_string(meta, "renamed_from = \"old_table_name\"")?;
            set(&mut out.renamed_from, meta, lit)
        }
        "primary_key" => key_list(out, meta, ListKind::PrimaryKey),
        "unique" => key_list(out, meta, ListKind::Unique),
        "index" => key_list(out, meta, ListKind::Index),
        "unique_index" => key_list(out, meta, ListKind::UniqueIndex),
        "check" => {
            let check = table_check(meta)?;
            out.checks.push(check);
            Ok(())
        }
        other => Err(Error::new_spanned(
            &meta.path,
            format!("unknown model attribute `{other}`; expected one of: {MODEL_KEYS}"),
        )),
    }
}

/// Whether `text` can name a database label (and so a `revisions/<label>/` folder).
pub(crate) fn is_label(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn key_list(out: &mut ModelAttrs, meta: &ParseNestedMeta, kind: ListKind) -> Result<()> {
    let key = key_name(&meta.path);
    let example = format!("`{key}(field_a, field_b)`");
    if !meta.input.peek(syn::token::Paren) {
        let msg = format!("`{key}` lists the fields it covers: write {example}");
        return Err(Error::new_spanned(&meta.path, msg));
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let mut fields = Vec::new();
    while !content.is_empty() {
        if !content.peek(Ident::peek_any) {
            return Err(content.error(format!("expected a field name: write {example}")));
        }
        fields.push(content.call(Ident::parse_any)?);
        if !content.is_empty() {
            content.parse::<syn::Token![,]>()?;
        }
    }
    if fields.is_empty() {
        let msg = format!("`{key}()` lists no field: write {example}");
        return Err(Error::new_spanned(&meta.path, msg));
    }
    out.key_lists.push(KeyList {
        kind,
        key: meta.path.clone(),
        fields,
    });
    Ok(())
}

fn table_check(meta: &ParseNestedMeta) -> Result<TableCheck> {
    const EXAMPLE: &str = "`check(name = \"positive\", expr = \"value > 0\")`";
    if !meta.input.peek(syn::token::Paren) {
        let msg = format!("`check` needs a name and an expression: write {EXAMPLE}");
        return Err(Error::new_spanned(&meta.path, msg));
    }
    let mut name: Option<Given<LitStr>> = None;
    let mut expr: Option<Given<LitStr>> = None;
    let content;
    syn::parenthesized!(content in meta.input);
    let tokens: proc_macro2::TokenStream = content.parse()?;
    // `check()` would otherwise fail inside syn with a vague "expected nested attribute".
    if !tokens.is_empty() {
        let logic = syn::meta::parser(|inner| match key_name(&inner.path).as_str() {
            "name" => {
                let lit = non_empty_string(&inner, "name = \"positive\"")?;
                set(&mut name, &inner, lit)
            }
            "expr" => {
                let lit = non_empty_string(&inner, "expr = \"value > 0\"")?;
                set(&mut expr, &inner, lit)
            }
            other => {
                let msg =
                    format!("unknown `check` key `{other}`; expected `name` and `expr`: {EXAMPLE}");
                Err(Error::new_spanned(&inner.path, msg))
            }
        });
        syn::parse::Parser::parse2(logic, tokens)?;
    }
    match (name, expr) {
        (Some(name), Some(expr)) => Ok(TableCheck {
            key: meta.path.clone(),
            name: name.value,
            expr: expr.value,
        }),
        (None, _) => {
            let msg = format!("`check(...)` is missing `name = \"...\"`: write {EXAMPLE}");
            Err(Error::new_spanned(&meta.path, msg))
        }
        (_, None) => {
            let msg = format!("`check(...)` is missing `expr = \"...\"`: write {EXAMPLE}");
            Err(Error::new_spanned(&meta.path, msg))
        }
    }
}
