//! `#[model(...)]`: reading the struct's attributes.

use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Error, Ident, LitStr, Path, Result};

use crate::attrs::{ACTIONS, Action, Given, key_name, non_empty_string, set, string};

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
    /// `foreign_key(a, b, references = "t(x, y)", ...)` in declaration order.
    pub foreign_keys: Vec<TableForeignKey>,
    /// `extend = path`: a `fn(Table) -> Table` that finishes the description.
    pub extend: Option<Given<Path>>,
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

/// `unique(a, b)`, `index(a, b)` or `unique_index(a, b)`: field identifiers, and the exact
/// name of the constraint or index when `name = "..."` gives it.
pub(crate) struct KeyList {
    pub kind: ListKind,
    pub key: Path,
    pub fields: Vec<Ident>,
    pub name: Option<LitStr>,
}

/// `foreign_key(a, b, references = "parent(x, y)", name = "...", on_delete = "...")`.
pub(crate) struct TableForeignKey {
    pub key: Path,
    pub fields: Vec<Ident>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub name: Option<LitStr>,
    pub on_delete: Option<Action>,
    pub on_update: Option<Action>,
}

/// `check(name = "...", expr = "...")`.
pub(crate) struct TableCheck {
    pub key: Path,
    pub name: LitStr,
    pub expr: LitStr,
}

const MODEL_KEYS: &str = "table, database, comment, renamed_from, primary_key(...), unique(...), index(...), unique_index(...), \
     check(name = \"...\", expr = \"...\"), foreign_key(..., references = \"...\"), extend = function";

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
        "foreign_key" => {
            let fk = table_foreign_key(meta)?;
            out.foreign_keys.push(fk);
            Ok(())
        }
        "extend" => {
            if !meta.input.peek(syn::Token![=]) {
                let msg =
                    "`extend` names a function `fn(Table) -> Table`: write `extend = my_table`";
                return Err(Error::new_spanned(&meta.path, msg));
            }
            let path: Path = meta.value()?.parse()?;
            set(&mut out.extend, meta, path)
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
    let example = format!("`{key}(field_a, field_b)` or `{key}(field_a, name = \"exact_name\")`");
    let (fields, options) = fields_and_options(meta, &example)?;
    let mut name = None;
    for (option, lit) in options {
        match option.to_string().as_str() {
            "name" => name = Some(exact_name(name, &option, lit)?),
            other => {
                let msg = format!(
                    "unknown `{key}` key `{other}`; expected field names and `name = \"...\"`"
                );
                return Err(Error::new_spanned(option, msg));
            }
        }
    }
    out.key_lists.push(KeyList {
        kind,
        key: meta.path.clone(),
        fields,
        name,
    });
    Ok(())
}

/// `name = "..."` given once, not blank.
fn exact_name(before: Option<LitStr>, option: &Ident, lit: LitStr) -> Result<LitStr> {
    if before.is_some() {
        return Err(Error::new_spanned(
            option,
            "`name` is given twice; keep one",
        ));
    }
    if lit.value().trim().is_empty() {
        return Err(Error::new_spanned(lit, "`name` cannot be empty"));
    }
    Ok(lit)
}

/// `key = "value"` after a list's fields.
type ListOption = (Ident, LitStr);

/// Reads `(field, field, key = "value", ...)`: the field identifiers first, then the options.
fn fields_and_options(
    meta: &ParseNestedMeta,
    example: &str,
) -> Result<(Vec<Ident>, Vec<ListOption>)> {
    let key = key_name(&meta.path);
    if !meta.input.peek(syn::token::Paren) {
        let msg = format!("`{key}` lists the fields it covers: write {example}");
        return Err(Error::new_spanned(&meta.path, msg));
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let mut fields = Vec::new();
    let mut options = Vec::new();
    while !content.is_empty() {
        if !content.peek(Ident::peek_any) {
            return Err(content.error(format!("expected a field name: write {example}")));
        }
        let ident = content.call(Ident::parse_any)?;
        if content.peek(syn::Token![=]) {
            content.parse::<syn::Token![=]>()?;
            let lit: LitStr = content.parse().map_err(|e| {
                Error::new(
                    e.span(),
                    format!("`{ident}` expects a string literal: write {example}"),
                )
            })?;
            options.push((ident, lit));
        } else if let Some((option, _)) = options.first() {
            let msg = format!(
                "field `{ident}` comes after `{option} = ...`: list the fields first, then the options"
            );
            return Err(Error::new_spanned(ident, msg));
        } else {
            fields.push(ident);
        }
        if !content.is_empty() {
            content.parse::<syn::Token![,]>()?;
        }
    }
    if fields.is_empty() {
        let msg = format!("`{key}(...)` lists no field: write {example}");
        return Err(Error::new_spanned(&meta.path, msg));
    }
    Ok((fields, options))
}

/// `foreign_key(a, b, references = "parent(x, y)")`, with `name`, `on_delete`, `on_update`.
fn table_foreign_key(meta: &ParseNestedMeta) -> Result<TableForeignKey> {
    const EXAMPLE: &str = "`foreign_key(artist_id, references = \"artist(id)\")`";
    let (fields, options) = fields_and_options(meta, EXAMPLE)?;
    let mut target: Option<(String, Vec<String>)> = None;
    let (mut name, mut on_delete, mut on_update) = (None, None, None);
    for (option, lit) in options {
        let action = |lit: &LitStr| {
            Action::parse(&lit.value()).ok_or_else(|| {
                let msg = format!(
                    "invalid `{option}` action \"{}\"; expected one of: {ACTIONS}",
                    lit.value()
                );
                Error::new_spanned(lit, msg)
            })
        };
        match option.to_string().as_str() {
            "references" => target = Some(references(&lit)?),
            "name" => name = Some(exact_name(name, &option, lit)?),
            "on_delete" => on_delete = Some(action(&lit)?),
            "on_update" => on_update = Some(action(&lit)?),
            other => {
                let msg = format!(
                    "unknown `foreign_key` key `{other}`; expected `references`, `name`, `on_delete`, `on_update`"
                );
                return Err(Error::new_spanned(option, msg));
            }
        }
    }
    let Some((ref_table, ref_columns)) = target else {
        let msg = format!(
            "`foreign_key(...)` is missing `references = \"table(column, ...)\"`: write {EXAMPLE}"
        );
        return Err(Error::new_spanned(&meta.path, msg));
    };
    if ref_columns.len() != fields.len() {
        let msg = format!(
            "`foreign_key` lists {} field(s) but references {} column(s): give one referenced column per field",
            fields.len(),
            ref_columns.len()
        );
        return Err(Error::new_spanned(&meta.path, msg));
    }
    Ok(TableForeignKey {
        key: meta.path.clone(),
        fields,
        ref_table,
        ref_columns,
        name,
        on_delete,
        on_update,
    })
}

/// `"parent(x, y)"` or `"parent.x"`: the referenced table and columns.
fn references(lit: &LitStr) -> Result<(String, Vec<String>)> {
    let text = lit.value();
    let plain =
        |s: &str| !s.is_empty() && !s.contains(char::is_whitespace) && !s.contains(['(', ')', ',']);
    let parsed = match text.split_once('(') {
        Some((table, rest)) => rest.strip_suffix(')').map(|cols| {
            let cols: Vec<String> = cols.split(',').map(|c| c.trim().to_string()).collect();
            (table.trim().to_string(), cols)
        }),
        None => text
            .rsplit_once('.')
            .map(|(t, c)| (t.to_string(), vec![c.to_string()])),
    };
    match parsed {
        Some((table, cols)) if plain(&table) && cols.iter().all(|c| plain(c)) => Ok((table, cols)),
        _ => Err(Error::new_spanned(
            lit,
            format!(
                "`references` must name \"table(column, ...)\" or \"table.column\", not \"{text}\""
            ),
        )),
    }
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
