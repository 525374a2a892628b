//! `#[column(...)]`: reading a field's attributes, plus the value readers `#[model]` shares.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Error, Expr, ExprLit, Lit, LitStr, Path, Result, Token};

use crate::sql_type::{self, SqlType};

/// A value given in an attribute with the key that gave it, so errors can point at the key.
pub(crate) struct Given<T> {
    pub key: Path,
    pub value: T,
}

/// What `#[column(...)]` attributes of one field say, all repetitions combined.
#[derive(Default)]
pub(crate) struct ColumnAttrs {
    pub primary_key: Option<Given<()>>,
    pub autoincrement: Option<Given<()>>,
    pub unique: Option<Given<()>>,
    pub index: Option<Given<()>>,
    pub default: Option<Given<LitStr>>,
    pub length: Option<Given<u32>>,
    pub name: Option<Given<LitStr>>,
    pub foreign_key: Option<Given<ForeignKeyTarget>>,
    pub on_delete: Option<Given<Action>>,
    pub on_update: Option<Given<Action>>,
    pub check: Option<Given<LitStr>>,
    pub comment: Option<Given<LitStr>>,
    pub renamed_from: Option<Given<LitStr>>,
    pub backfill: Option<Given<LitStr>>,
    pub sql_type: Option<Given<SqlType>>,
    pub raw_type: Option<Given<LitStr>>,
    /// The field's type (or `Option` of it) implements `DbEnum`, which gives the column type.
    pub db_enum: Option<Given<()>>,
    pub collate: Option<Given<LitStr>>,
    /// `generated = "<sql expr>"`: a computed column, virtual unless `stored`.
    pub generated: Option<Given<LitStr>>,
    pub stored: Option<Given<()>>,
}

/// `foreign_key = "table.column"`, split.
pub(crate) struct ForeignKeyTarget {
    pub table: String,
    pub column: String,
}

/// Mirror of `outflow::schema::Action`.
#[derive(Clone, Copy)]
#[expect(
    clippy::enum_variant_names,
    reason = "same variant names as `outflow::schema::Action`"
)]
pub(crate) enum Action {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

const COLUMN_KEYS: &str = "primary_key, autoincrement, unique, index, default, length, name, \
     foreign_key, on_delete, on_update, check, comment, renamed_from, backfill, sql_type, raw_type, \
     db_enum, collate, generated, stored";

pub(crate) const ACTIONS: &str = "cascade, restrict, set null, set default, no action";

impl Action {
    /// Reads an action the way `Action::from_sql` does: any case, `_` or space between words.
    pub(crate) fn parse(text: &str) -> Option<Action> {
        match text.trim().to_ascii_uppercase().replace('_', " ").as_str() {
            "NO ACTION" => Some(Action::NoAction),
            "RESTRICT" => Some(Action::Restrict),
            "CASCADE" => Some(Action::Cascade),
            "SET NULL" => Some(Action::SetNull),
            "SET DEFAULT" => Some(Action::SetDefault),
            _ => None,
        }
    }
}

impl ToTokens for Action {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let action = quote!(::outflow::schema::Action);
        tokens.extend(match self {
            Action::NoAction => quote!(#action::NoAction),
            Action::Restrict => quote!(#action::Restrict),
            Action::Cascade => quote!(#action::Cascade),
            Action::SetNull => quote!(#action::SetNull),
            Action::SetDefault => quote!(#action::SetDefault),
        });
    }
}

/// Reads every `#[column(...)]` of a field and checks the combinations that do not depend on the
/// field's type.
pub(crate) fn parse_column(attrs: &[Attribute]) -> Result<ColumnAttrs> {
    let mut out = ColumnAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("column")) {
        attr.parse_nested_meta(|meta| column_key(&mut out, &meta))?;
    }
    check_combinations(&out)?;
    Ok(out)
}

fn column_key(out: &mut ColumnAttrs, meta: &ParseNestedMeta) -> Result<()> {
    match key_name(&meta.path).as_str() {
        "primary_key" => set_flag(&mut out.primary_key, meta, "column"),
        "autoincrement" => set_flag(&mut out.autoincrement, meta, "column"),
        "unique" => set_flag(&mut out.unique, meta, "column"),
        "index" => set_flag(&mut out.index, meta, "column"),
        "default" => {
            let lit = string(meta, "default = \"0\"")?;
            if lit.value().trim().is_empty() {
                let msg = "`default` is an SQL expression and cannot be empty; \
                           for an empty string write `default = \"''\"`";
                return Err(Error::new_spanned(lit, msg));
            }
            set(&mut out.default, meta, lit)
        }
        "length" | "sql_type" | "raw_type" | "db_enum" | "enum" => type_key(out, meta),
        "name" => {
            let lit = non_empty_string(meta, "name = \"column_name\"")?;
            set(&mut out.name, meta, lit)
        }
        "foreign_key" => {
            let target = foreign_key(meta)?;
            set(&mut out.foreign_key, meta, target)
        }
        "on_delete" => {
            let action = action(meta)?;
            set(&mut out.on_delete, meta, action)
        }
        "on_update" => {
            let action = action(meta)?;
            set(&mut out.on_update, meta, action)
        }
        "check" => {
            let lit = non_empty_string(meta, "check = \"value > 0\"")?;
            set(&mut out.check, meta, lit)
        }
        "comment" => {
            let lit = string(meta, "comment = \"what the column holds\"")?;
            set(&mut out.comment, meta, lit)
        }
        "renamed_from" => {
            let lit = non_empty_string(meta, "renamed_from = \"old_column_name\"")?;
            set(&mut out.renamed_from, meta, lit)
        }
        "backfill" => {
            let lit = non_empty_string(meta, "backfill = \"0\"")?;
            set(&mut out.backfill, meta, lit)
        }
        "collate" => {
            let lit = non_empty_string(meta, "collate = \"C\"")?;
            set(&mut out.collate, meta, lit)
        }
        "generated" => {
            let lit = non_empty_string(meta, "generated = \"price * quantity\"")?;
            set(&mut out.generated, meta, lit)
        }
        "stored" => set_flag(&mut out.stored, meta, "column"),
        other => Err(Error::new_spanned(
            &meta.path,
            format!("unknown column attribute `{other}`; expected one of: {COLUMN_KEYS}"),
        )),
    }
}

/// The keys that give or shape the column type.
fn type_key(out: &mut ColumnAttrs, meta: &ParseNestedMeta) -> Result<()> {
    match key_name(&meta.path).as_str() {
        "length" => {
            let length = length(meta)?;
            set(&mut out.length, meta, length)
        }
        "sql_type" => {
            let lit = string(meta, "sql_type = \"varchar(32)\"")?;
            let ty = sql_type::parse(&lit.value()).map_err(|msg| Error::new_spanned(&lit, msg))?;
            set(&mut out.sql_type, meta, ty)
        }
        "raw_type" => {
            let lit = non_empty_string(meta, "raw_type = \"GEOMETRY\"")?;
            set(&mut out.raw_type, meta, lit)
        }
        "db_enum" => set_flag(&mut out.db_enum, meta, "column"),
        // `enum`, the keyword: a likely guess at `db_enum`.
        _ => Err(Error::new_spanned(
            &meta.path,
            "for a field whose type derives `DbEnum`, write `#[column(db_enum)]`",
        )),
    }
}

fn length(meta: &ParseNestedMeta) -> Result<u32> {
    let expr = value(meta, "length = 32")?;
    let Expr::Lit(ExprLit {
        lit: Lit::Int(lit), ..
    }) = &expr
    else {
        return Err(Error::new_spanned(
            expr,
            "`length` expects a whole number: write `length = 32`",
        ));
    };
    match lit.base10_parse::<u32>() {
        Ok(0) => Err(Error::new_spanned(
            lit,
            "`length` must be at least 1: write `length = 32`",
        )),
        Ok(n) => Ok(n),
        Err(_) => Err(Error::new_spanned(
            lit,
            "`length` must be from 1 to 4294967295",
        )),
    }
}

fn foreign_key(meta: &ParseNestedMeta) -> Result<ForeignKeyTarget> {
    let lit = string(meta, "foreign_key = \"table.column\"")?;
    let text = lit.value();
    let parts: Vec<&str> = text.split('.').collect();
    let plain = |s: &str| !s.is_empty() && !s.contains(char::is_whitespace);
    match parts.as_slice() {
        [table, column] if plain(table) && plain(column) => Ok(ForeignKeyTarget {
            table: (*table).to_string(),
            column: (*column).to_string(),
        }),
        _ => Err(Error::new_spanned(
            lit,
            format!(
                "`foreign_key` must name a referenced \"table.column\", not \"{text}\": \
                 write e.g. `foreign_key = \"parent.id\"`"
            ),
        )),
    }
}

fn action(meta: &ParseNestedMeta) -> Result<Action> {
    let key = key_name(&meta.path);
    let lit = string(meta, &format!("{key} = \"cascade\""))?;
    Action::parse(&lit.value()).ok_or_else(|| {
        let msg = format!(
            "invalid `{key}` action \"{}\"; expected one of: {ACTIONS}",
            lit.value()
        );
        Error::new_spanned(&lit, msg)
    })
}

fn check_combinations(attrs: &ColumnAttrs) -> Result<()> {
    check_db_enum(attrs)?;
    check_generated(attrs)?;
    if attrs.foreign_key.is_none()
        && let Some(given) = attrs.on_delete.as_ref().or(attrs.on_update.as_ref())
    {
        let key = key_name(&given.key);
        let msg = format!(
            "`{key}` applies to a foreign key: add `foreign_key = \"table.column\"` or remove `{key}`"
        );
        return Err(Error::new_spanned(&given.key, msg));
    }
    if let (Some(_), Some(raw)) = (&attrs.sql_type, &attrs.raw_type) {
        let msg = "`raw_type` and `sql_type` cannot be combined: keep one of them";
        return Err(Error::new_spanned(&raw.key, msg));
    }
    if let Some(length) = &attrs.length {
        let msg = if attrs.sql_type.is_some() {
            "`length` cannot be combined with `sql_type`: put the size in the type, e.g. `sql_type = \"varchar(32)\"`"
        } else if attrs.raw_type.is_some() {
            "`length` cannot be combined with `raw_type`: put the size in the raw type"
        } else {
            return Ok(());
        };
        return Err(Error::new_spanned(&length.key, msg));
    }
    Ok(())
}

/// A generated column's value is its expression: nothing may give it another.
fn check_generated(attrs: &ColumnAttrs) -> Result<()> {
    if attrs.generated.is_none() {
        return match &attrs.stored {
            Some(stored) => Err(Error::new_spanned(
                &stored.key,
                "`stored` applies to a generated column: add `generated = \"<sql expression>\"` or remove `stored`",
            )),
            None => Ok(()),
        };
    }
    let conflicts = [
        attrs.default.as_ref().map(|g| &g.key),
        attrs.autoincrement.as_ref().map(|g| &g.key),
        attrs.backfill.as_ref().map(|g| &g.key),
    ];
    if let Some(key) = conflicts.into_iter().flatten().next() {
        let key_text = key_name(key);
        let msg = format!(
            "`{key_text}` cannot be combined with `generated`: the expression gives the value; remove `{key_text}`"
        );
        return Err(Error::new_spanned(key, msg));
    }
    Ok(())
}

/// `db_enum` gives the column type, so nothing else may give or constrain it.
fn check_db_enum(attrs: &ColumnAttrs) -> Result<()> {
    if attrs.db_enum.is_none() {
        return Ok(());
    }
    let conflicts = [
        attrs.sql_type.as_ref().map(|g| &g.key),
        attrs.raw_type.as_ref().map(|g| &g.key),
        attrs.length.as_ref().map(|g| &g.key),
    ];
    if let Some(key) = conflicts.into_iter().flatten().next() {
        let key_text = key_name(key);
        let msg = format!(
            "`{key_text}` cannot be combined with `db_enum`: the enum gives the column type; remove `{key_text}`"
        );
        return Err(Error::new_spanned(key, msg));
    }
    if let Some(auto) = &attrs.autoincrement {
        let msg = "`autoincrement` needs an integer column, and a `db_enum` column holds labels: remove `autoincrement`";
        return Err(Error::new_spanned(&auto.key, msg));
    }
    Ok(())
}

/// The key as written (`primary_key`, or `a::b` for a path the parser accepted).
pub(crate) fn key_name(path: &Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments.join("::")
}

/// Stores a value, refusing a key given twice (also across repeated attributes).
pub(crate) fn set<T>(slot: &mut Option<Given<T>>, meta: &ParseNestedMeta, value: T) -> Result<()> {
    if slot.is_some() {
        let key = key_name(&meta.path);
        let msg = format!("`{key}` is given twice; keep one");
        return Err(Error::new_spanned(&meta.path, msg));
    }
    *slot = Some(Given {
        key: meta.path.clone(),
        value,
    });
    Ok(())
}

/// A flag key (`primary_key`): refuses `= value` and `(...)` after it.
fn set_flag(slot: &mut Option<Given<()>>, meta: &ParseNestedMeta, attr: &str) -> Result<()> {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        let key = key_name(&meta.path);
        let msg = format!("`{key}` takes no value: write `#[{attr}({key})]`");
        return Err(Error::new_spanned(&meta.path, msg));
    }
    set(slot, meta, ())
}

/// The expression after `key =`; `example` shows the expected form in the error.
pub(crate) fn value(meta: &ParseNestedMeta, example: &str) -> Result<Expr> {
    if !meta.input.peek(Token![=]) {
        let key = key_name(&meta.path);
        let msg = format!("`{key}` needs a value: write `{example}`");
        return Err(Error::new_spanned(&meta.path, msg));
    }
    meta.value()?.parse::<Expr>()
}

/// A string literal after `key =`.
pub(crate) fn string(meta: &ParseNestedMeta, example: &str) -> Result<LitStr> {
    match value(meta, example)? {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Ok(lit),
        other => {
            let key = key_name(&meta.path);
            let msg = format!("`{key}` expects a string literal: write `{example}`");
            Err(Error::new_spanned(other, msg))
        }
    }
}

/// A string literal that is not blank.
pub(crate) fn non_empty_string(meta: &ParseNestedMeta, example: &str) -> Result<LitStr> {
    let lit = string(meta, example)?;
    if lit.value().trim().is_empty() {
        let key = key_name(&meta.path);
        let msg = format!("`{key}` cannot be empty: write `{example}`");
        return Err(Error::new_spanned(lit, msg));
    }
    Ok(lit)
}
