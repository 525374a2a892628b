//! `#[derive(Model)]`: reading the struct and writing the `Model` impl.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Error, Field, Fields, Ident, Result};

use crate::attrs::{ColumnAttrs, parse_column};
use crate::rust_type::{self, FieldType};
use crate::sql_type::{SqlType, Type};
use crate::table_attrs::{KeyList, ListKind, ModelAttrs, TableForeignKey, parse_model};

/// One field, read and checked.
pub(crate) struct ModelField {
    /// The field name, without `r#`.
    ident: Ident,
    /// The field name as written (`r#type`), to build the struct.
    pub member: Ident,
    /// The field's Rust type, as written.
    pub rust_ty: syn::Type,
    /// The column name.
    pub column: String,
    /// Where errors about the column name point: the `name = "..."` literal, or the field.
    name_tokens: TokenStream,
    ty: ColumnType,
    nullable: bool,
    attrs: ColumnAttrs,
}

/// A column's type: one the macro knows, or the one a `DbEnum` impl gives at run time.
enum ColumnType {
    Sql(SqlType),
    /// `<T as ::outflow::DbEnum>::column_type()`, spanned at `T`.
    DbEnum(TokenStream),
}

impl ColumnType {
    fn takes_autoincrement(&self) -> bool {
        matches!(self, ColumnType::Sql(ty) if ty.takes_autoincrement())
    }
}

impl ToTokens for ColumnType {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            ColumnType::Sql(ty) => ty.to_tokens(tokens),
            ColumnType::DbEnum(expr) => expr.to_tokens(tokens),
        }
    }
}

/// A table-level key list with its field names resolved to column names.
struct ResolvedList<'a> {
    list: &'a KeyList,
    columns: Vec<String>,
}

/// A table-level foreign key with its field names resolved to column names.
struct ResolvedForeignKey<'a> {
    fk: &'a TableForeignKey,
    columns: Vec<String>,
}

/// Expands `#[derive(Model)]`.
pub(crate) fn derive(input: &DeriveInput) -> Result<TokenStream> {
    let model = parse_model(&input.attrs)?;
    let named = named_fields(input, model.extend.is_some())?;
    check_placement(input, &named)?;
    let fields = read_fields(named)?;
    check_columns(&fields)?;
    let lists = resolve_lists(&model, &fields)?;
    let foreign_keys = resolve_foreign_keys(&model, &fields)?;
    check_listed_key(&fields, &lists)?;
    let table = match &model.table {
        Some(given) => given.value.value(),
        None => outflow_types::snake_case(&input.ident.unraw().to_string()),
    };
    check_object_names(&table, &fields, &model, &lists, &foreign_keys)?;
    // The default label comes from the runtime constant, so it is defined in one place.
    let database = match &model.database {
        Some(given) => given.value.to_token_stream(),
        None => quote!(::outflow::model::DEFAULT_DATABASE),
    };
    let columns = fields.iter().map(|f| &f.column);
    let body = table_body(&fields, &model, &lists, &foreign_keys);
    let from_row = crate::from_row::impl_from_row(input, &fields);
    let values = fields.iter().map(field_value);
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        #from_row
        #[automatically_derived]
        impl #impl_generics ::outflow::Model for #ident #ty_generics #where_clause {
            const TABLE: &'static str = #table;
            const DATABASE: &'static str = #database;
            const COLUMNS: &'static [&'static str] = &[#(#columns),*];
            fn table() -> ::outflow::schema::Table {
                #body
            }
            fn values(&self) -> ::std::vec::Vec<::outflow::store::Value> {
                ::std::vec![#(#values),*]
            }
        }
    })
}

/// The value a field writes: an enum's label, or the field itself.
fn field_value(f: &ModelField) -> TokenStream {
    let member = &f.member;
    if f.attrs.db_enum.is_some() {
        quote!(::outflow::store::EnumValue::enum_value(&self.#member))
    } else {
        quote!(::outflow::store::ToValue::to_value(&self.#member))
    }
}

/// The struct's fields; none only when `extend` finishes the table (a PostgreSQL table that
/// inherits all its columns).
fn named_fields(input: &DeriveInput, extended: bool) -> Result<Vec<&Field>> {
    const NAMED: &str = "write `struct Name { id: i32, ... }`, one field per column";
    let fields = match &input.data {
        Data::Struct(data) => &data.fields,
        Data::Enum(data) => {
            let msg = format!(
                "`Model` can only be derived for a struct with named fields, not an enum: {NAMED} \
                 (an enum stored in a column derives `DbEnum`)"
            );
            return Err(Error::new_spanned(data.enum_token, msg));
        }
        Data::Union(data) => {
            let msg = format!(
                "`Model` can only be derived for a struct with named fields, not a union: {NAMED}"
            );
            return Err(Error::new_spanned(data.union_token, msg));
        }
    };
    match fields {
        Fields::Named(named) if named.named.is_empty() && !extended => {
            let msg = format!(
                "a model needs at least one field: {NAMED} (a table that inherits all its \
                 columns says so in an `extend` function)"
            );
            Err(Error::new_spanned(&input.ident, msg))
        }
        Fields::Named(named) => Ok(named.named.iter().collect()),
        Fields::Unnamed(unnamed) => {
            let msg = format!("`Model` needs named fields, not a tuple struct: {NAMED}");
            Err(Error::new_spanned(unnamed, msg))
        }
        Fields::Unit => {
            let msg = format!("`Model` needs named fields, not a unit struct: {NAMED}");
            Err(Error::new_spanned(&input.ident, msg))
        }
    }
}

/// `#[column]` on the struct or `#[model]` on a field would otherwise be silently ignored.
fn check_placement(input: &DeriveInput, fields: &[&Field]) -> Result<()> {
    if let Some(attr) = input.attrs.iter().find(|a| a.path().is_ident("column")) {
        let msg = "`#[column(...)]` belongs on a field; on the struct, write `#[model(...)]`";
        return Err(Error::new_spanned(attr, msg));
    }
    let mut field_attrs = fields.iter().flat_map(|f| &f.attrs);
    if let Some(attr) = field_attrs.find(|a| a.path().is_ident("model")) {
        let msg = "`#[model(...)]` belongs on the struct; on a field, write `#[column(...)]`";
        return Err(Error::new_spanned(attr, msg));
    }
    Ok(())
}

/// Reads every field, reporting the errors of all fields at once.
fn read_fields(named: Vec<&Field>) -> Result<Vec<ModelField>> {
    let mut fields = Vec::with_capacity(named.len());
    let mut errors: Option<Error> = None;
    for field in named {
        match read_field(field) {
            Ok(f) => fields.push(f),
            Err(e) => match &mut errors {
                Some(all) => all.combine(e),
                None => errors = Some(e),
            },
        }
    }
    errors.map_or(Ok(fields), Err)
}

fn read_field(field: &Field) -> Result<ModelField> {
    let attrs = parse_column(&field.attrs)?;
    let rust = rust_type::analyze(&field.ty)?;
    let ty = column_type(&rust, &attrs)?;
    check_field(&attrs, &rust, &ty)?;
    let member = field.ident.clone().expect("named field");
    let ident = member.unraw();
    let (column, name_tokens) = match &attrs.name {
        Some(given) => (given.value.value(), given.value.to_token_stream()),
        None => (ident.to_string(), ident.to_token_stream()),
    };
    Ok(ModelField {
        ident,
        member,
        rust_ty: field.ty.clone(),
        column,
        name_tokens,
        ty,
        nullable: rust.nullable,
        attrs,
    })
}

/// `db_enum`, then `raw_type`, then `sql_type`, then `length`, then the Rust type's own mapping.
fn column_type(rust: &FieldType, attrs: &ColumnAttrs) -> Result<ColumnType> {
    if attrs.db_enum.is_some() {
        let inner = rust.inner;
        let expr = quote_spanned!(inner.span()=> <#inner as ::outflow::DbEnum>::column_type());
        return Ok(ColumnType::DbEnum(expr));
    }
    sql_column_type(rust, attrs).map(ColumnType::Sql)
}

fn sql_column_type(rust: &FieldType, attrs: &ColumnAttrs) -> Result<SqlType> {
    if let Some(raw) = &attrs.raw_type {
        return Ok(SqlType(Type::Raw(raw.value.value())));
    }
    if let Some(sql) = &attrs.sql_type {
        return Ok(sql.value.clone());
    }
    if let Some(length) = &attrs.length {
        if !rust.is_string {
            let msg = "`length` applies to `String` fields only (it makes a varchar(n)); \
                       for another type write `sql_type = \"...\"`";
            return Err(Error::new_spanned(&length.key, msg));
        }
        return Ok(SqlType(Type::Varchar(length.value)));
    }
    rust.mapped.clone().ok_or_else(|| {
        let msg = "no column type for this Rust type: add `#[column(sql_type = \"...\")]` \
                   (a portable type), `#[column(raw_type = \"...\")]` (the database's spelling) \
                   or, for an enum that derives `DbEnum`, `#[column(db_enum)]`";
        Error::new_spanned(rust.inner, msg)
    })
}

/// Rules the schema validation would otherwise only report at run time.
fn check_field(attrs: &ColumnAttrs, rust: &FieldType, ty: &ColumnType) -> Result<()> {
    if let (Some(pk), true) = (&attrs.primary_key, rust.nullable) {
        let msg =
            "a primary-key column cannot be NULL: use a non-`Option` type or remove `primary_key`";
        return Err(Error::new_spanned(&pk.key, msg));
    }
    // Where the column may be numbered (SQLite: only a lone primary key; MySQL: the first
    // column of a key) depends on the database: the dialect says so when it plans the change.
    if let Some(auto) = &attrs.autoincrement
        && !ty.takes_autoincrement()
    {
        let msg = "`autoincrement` needs an integer column (i16, i32, i64, sql_type smallint/integer/bigint, or an integer raw_type such as \"int unsigned\")";
        return Err(Error::new_spanned(&auto.key, msg));
    }
    Ok(())
}

/// `#[model(primary_key(...))]`: given once, not beside `#[column(primary_key)]`, over
/// non-`Option` fields.
fn check_listed_key(fields: &[ModelField], lists: &[ResolvedList]) -> Result<()> {
    let mut listed = lists.iter().filter(|r| r.list.kind == ListKind::PrimaryKey);
    let Some(key) = listed.next() else {
        return Ok(());
    };
    if let Some(again) = listed.next() {
        let msg = "the primary key is given twice: keep one `primary_key(...)`";
        return Err(Error::new_spanned(&again.list.key, msg));
    }
    if let Some(flag) = fields.iter().find_map(|f| f.attrs.primary_key.as_ref()) {
        let msg = "the primary key is given by `#[model(primary_key(...))]` already: remove this `primary_key`";
        return Err(Error::new_spanned(&flag.key, msg));
    }
    for (ident, column) in key.list.fields.iter().zip(&key.columns) {
        if fields.iter().any(|f| &f.column == column && f.nullable) {
            let msg = "a primary-key column cannot be NULL: use a non-`Option` type or leave the field out of `primary_key(...)`";
            return Err(Error::new_spanned(ident, msg));
        }
    }
    Ok(())
}

/// Column names are unique.
fn check_columns(fields: &[ModelField]) -> Result<()> {
    let mut seen: HashMap<&str, &Ident> = HashMap::new();
    for f in fields {
        if let Some(first) = seen.insert(&f.column, &f.ident) {
            let msg = format!(
                "column name `{}` is already used by field `{first}`: give one of them `#[column(name = \"...\")]`",
                f.column
            );
            return Err(Error::new_spanned(&f.name_tokens, msg));
        }
    }
    Ok(())
}

/// Turns the field names of `unique(...)`/`index(...)`/`unique_index(...)` into column names.
fn resolve_lists<'a>(
    model: &'a ModelAttrs,
    fields: &[ModelField],
) -> Result<Vec<ResolvedList<'a>>> {
    let mut out = Vec::with_capacity(model.key_lists.len());
    for list in &model.key_lists {
        let columns = resolve_fields(fields, &list.key, &list.fields)?;
        out.push(ResolvedList { list, columns });
    }
    Ok(out)
}

/// Turns the field names of `foreign_key(...)` into column names.
fn resolve_foreign_keys<'a>(
    model: &'a ModelAttrs,
    fields: &[ModelField],
) -> Result<Vec<ResolvedForeignKey<'a>>> {
    let mut out = Vec::with_capacity(model.foreign_keys.len());
    for fk in &model.foreign_keys {
        let columns = resolve_fields(fields, &fk.key, &fk.fields)?;
        out.push(ResolvedForeignKey { fk, columns });
    }
    Ok(out)
}

/// The column names of the fields `key(...)` lists, each once.
fn resolve_fields(fields: &[ModelField], key: &syn::Path, listed: &[Ident]) -> Result<Vec<String>> {
    let mut columns: Vec<String> = Vec::with_capacity(listed.len());
    for ident in listed {
        let name = ident.unraw().to_string();
        let Some(field) = fields.iter().find(|f| f.ident == name) else {
            let key = crate::attrs::key_name(key);
            let msg = format!("no field `{name}` in this struct: `{key}(...)` lists field names");
            return Err(Error::new_spanned(ident, msg));
        };
        if columns.contains(&field.column) {
            return Err(Error::new_spanned(
                ident,
                format!("field `{name}` is listed twice"),
            ));
        }
        columns.push(field.column.clone());
    }
    Ok(columns)
}

/// Two constraints or indexes whose generated names collide (`unique` on a column and
/// `unique(...)` of the same column, say) are refused here rather than by the run-time
/// validation. Names are compared before shortening, which is deterministic.
fn check_object_names(
    table: &str,
    fields: &[ModelField],
    model: &ModelAttrs,
    lists: &[ResolvedList],
    foreign_keys: &[ResolvedForeignKey],
) -> Result<()> {
    let mut names: Vec<(String, &syn::Path)> = Vec::new();
    for f in fields {
        if let Some(given) = &f.attrs.unique {
            names.push((format!("uq_{table}_{}", f.column), &given.key));
        }
        if let Some(given) = &f.attrs.index {
            names.push((format!("ix_{table}_{}", f.column), &given.key));
        }
        if let Some(given) = &f.attrs.check {
            names.push((format!("ck_{table}_{}", f.column), &given.key));
        }
    }
    for resolved in lists {
        if let Some(name) = &resolved.list.name {
            names.push((name.value(), &resolved.list.key));
            continue;
        }
        let prefix = match resolved.list.kind {
            ListKind::PrimaryKey => continue,
            ListKind::Unique => "uq",
            ListKind::Index | ListKind::UniqueIndex => "ix",
        };
        names.push((
            format!("{prefix}_{table}_{}", resolved.columns.join("_")),
            &resolved.list.key,
        ));
    }
    for resolved in foreign_keys {
        let name = match &resolved.fk.name {
            Some(name) => name.value(),
            None => format!(
                "fk_{table}_{}_{}",
                resolved.columns.join("_"),
                resolved.fk.ref_table
            ),
        };
        names.push((name, &resolved.fk.key));
    }
    for check in &model.checks {
        names.push((format!("ck_{table}_{}", check.name.value()), &check.key));
    }
    let mut seen = std::collections::HashSet::new();
    for (name, key) in &names {
        if !seen.insert(name.as_str()) {
            let msg = format!(
                "another constraint or index of this model is also named `{name}`: remove one of them"
            );
            return Err(Error::new_spanned(key, msg));
        }
    }
    Ok(())
}

/// The body of `fn table()`: one builder chain, in this order: columns, primary key, unique
/// constraints (column ones, then table ones), indexes (column ones, then table ones), foreign
/// keys, checks (column ones, then table ones), comment.
fn table_body(
    fields: &[ModelField],
    model: &ModelAttrs,
    lists: &[ResolvedList],
    foreign_keys: &[ResolvedForeignKey],
) -> TokenStream {
    let naming = quote!(::outflow::schema::naming);
    let mut chain = quote!(::outflow::schema::table(table));
    for f in fields {
        let column = column_builder(f);
        chain.extend(quote!(.column(#column)));
    }
    let listed = lists.iter().find(|r| r.list.kind == ListKind::PrimaryKey);
    let pk: Vec<&str> = match listed {
        Some(r) => r.columns.iter().map(String::as_str).collect(),
        None => fields
            .iter()
            .filter(|f| f.attrs.primary_key.is_some())
            .map(|f| f.column.as_str())
            .collect(),
    };
    if !pk.is_empty() {
        let name = given_name(
            listed.and_then(|r| r.list.name.as_ref()),
            || quote!(#naming::primary_key(table)),
        );
        chain.extend(quote!(.primary_key(#name, [#(#pk),*])));
    }
    chain.extend(keys(fields, lists));
    for f in fields {
        if let Some(fk) = foreign_key_builder(f) {
            chain.extend(quote!(.foreign_key(#fk)));
        }
    }
    for resolved in foreign_keys {
        let fk = table_foreign_key_builder(resolved);
        chain.extend(quote!(.foreign_key(#fk)));
    }
    for f in fields {
        if let Some(check) = &f.attrs.check {
            let (col, expr) = (&f.column, &check.value);
            chain.extend(quote!(.check(#naming::check(table, #col), #expr)));
        }
    }
    for check in &model.checks {
        let (name, expr) = (&check.name, &check.expr);
        chain.extend(quote!(.check(#naming::check(table, #name), #expr)));
    }
    if let Some(comment) = &model.comment {
        let comment = &comment.value;
        chain.extend(quote!(.comment(#comment)));
    }
    if let Some(old) = &model.renamed_from {
        let old = &old.value;
        chain.extend(quote!(.renamed_from(#old)));
    }
    if let Some(extend) = &model.extend {
        let extend = &extend.value;
        chain = quote!(#extend(#chain));
    }
    quote! {
        let table: &'static str = <Self as ::outflow::Model>::TABLE;
        #chain
    }
}

/// The name given with `name = "..."`, or the convention's.
fn given_name(
    given: Option<&syn::LitStr>,
    convention: impl FnOnce() -> TokenStream,
) -> TokenStream {
    match given {
        Some(lit) => quote!(#lit),
        None => convention(),
    }
}

/// `.unique(..)`, `.index(..)` and `.unique_index(..)` calls: column-level ones in field order,
/// then table-level ones in declaration order.
fn keys(fields: &[ModelField], lists: &[ResolvedList]) -> TokenStream {
    let naming = quote!(::outflow::schema::naming);
    let mut chain = TokenStream::new();
    for f in fields.iter().filter(|f| f.attrs.unique.is_some()) {
        let col = &f.column;
        chain.extend(quote!(.unique(#naming::unique(table, &[#col]), [#col])));
    }
    for r in lists.iter().filter(|r| r.list.kind == ListKind::Unique) {
        let cols = &r.columns;
        let name = given_name(
            r.list.name.as_ref(),
            || quote!(#naming::unique(table, &[#(#cols),*])),
        );
        chain.extend(quote!(.unique(#name, [#(#cols),*])));
    }
    for f in fields.iter().filter(|f| f.attrs.index.is_some()) {
        let col = &f.column;
        chain.extend(quote!(.index(#naming::index(table, &[#col]), [#col])));
    }
    for r in lists.iter() {
        let cols = &r.columns;
        let method = match r.list.kind {
            ListKind::UniqueIndex => quote!(unique_index),
            ListKind::Index => quote!(index),
            ListKind::PrimaryKey | ListKind::Unique => continue,
        };
        let name = given_name(
            r.list.name.as_ref(),
            || quote!(#naming::index(table, &[#(#cols),*])),
        );
        chain.extend(quote!(.#method(#name, [#(#cols),*])));
    }
    chain
}

/// `column("name", Type::X).not_null().default(..).autoincrement().comment(..)`.
fn column_builder(f: &ModelField) -> TokenStream {
    let (name, ty) = (&f.column, &f.ty);
    let mut column = quote!(::outflow::schema::column(#name, #ty));
    if !f.nullable {
        column.extend(quote!(.not_null()));
    }
    if let Some(default) = &f.attrs.default {
        let expr = &default.value;
        column.extend(quote!(.default(#expr)));
    }
    if f.attrs.autoincrement.is_some() {
        column.extend(quote!(.autoincrement()));
    }
    if let Some(comment) = &f.attrs.comment {
        let comment = &comment.value;
        column.extend(quote!(.comment(#comment)));
    }
    if let Some(old) = &f.attrs.renamed_from {
        let old = &old.value;
        column.extend(quote!(.renamed_from(#old)));
    }
    if let Some(backfill) = &f.attrs.backfill {
        let expr = &backfill.value;
        column.extend(quote!(.backfill(#expr)));
    }
    if let Some(collation) = &f.attrs.collate {
        let collation = &collation.value;
        column.extend(quote!(.collate(#collation)));
    }
    match (&f.attrs.generated, &f.attrs.stored) {
        (Some(expr), Some(_)) => {
            let expr = &expr.value;
            column.extend(quote!(.generated_stored(#expr)));
        }
        (Some(expr), None) => {
            let expr = &expr.value;
            column.extend(quote!(.generated(#expr)));
        }
        (None, _) => {}
    }
    column
}

/// `foreign_key(name, [cols], "table", [ref cols])` for `#[model(foreign_key(...))]`.
fn table_foreign_key_builder(resolved: &ResolvedForeignKey) -> TokenStream {
    let fk = resolved.fk;
    let (cols, ref_table, ref_cols) = (&resolved.columns, &fk.ref_table, &fk.ref_columns);
    let name = given_name(
        fk.name.as_ref(),
        || quote!(::outflow::schema::naming::foreign_key(table, &[#(#cols),*], #ref_table)),
    );
    let mut out =
        quote!(::outflow::schema::foreign_key(#name, [#(#cols),*], #ref_table, [#(#ref_cols),*]));
    if let Some(action) = fk.on_delete {
        out.extend(quote!(.on_delete(#action)));
    }
    if let Some(action) = fk.on_update {
        out.extend(quote!(.on_update(#action)));
    }
    out
}

/// `foreign_key(naming::foreign_key(..), [col], "table", ["column"]).on_delete(..).on_update(..)`.
fn foreign_key_builder(f: &ModelField) -> Option<TokenStream> {
    let target = &f.attrs.foreign_key.as_ref()?.value;
    let (col, ref_table, ref_column) = (&f.column, &target.table, &target.column);
    let name = quote!(::outflow::schema::naming::foreign_key(table, &[#col], #ref_table));
    let mut fk = quote!(::outflow::schema::foreign_key(#name, [#col], #ref_table, [#ref_column]));
    if let Some(action) = &f.attrs.on_delete {
        let action = action.value;
        fk.extend(quote!(.on_delete(#action)));
    }
    if let Some(action) = &f.attrs.on_update {
        let action = action.value;
        fk.extend(quote!(.on_update(#action)));
    }
    Some(fk)
}
