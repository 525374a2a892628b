//! Derive and embedding macros for Outflow; use them through the `outflow` crate
//! (`outflow::Model`, `outflow::DbEnum`, `outflow::embed_revisions!`), whose paths the generated
//! code names.

mod attrs;
mod db_enum;
mod embed;
mod from_row;
mod model;
mod rust_type;
mod sql_type;
mod sqlx_enum;
mod table_attrs;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Implements `outflow::Model` for a struct with named fields, one per column.
///
/// The table is named by `#[model(table = "...")]`, or else from the struct name by Outflow's
/// snake-case rule (`ComputationResult` -> `computation_result`, `HTTPResponse` ->
/// `http_response`). Columns come in field order and are named after the fields.
///
/// Column types follow the Rust type: `i16` smallint, `i32` integer, `i64` bigint, `bool`
/// boolean, `f32` real, `f64` double, `String` text, `Vec<u8>` blob, `NaiveDate` date,
/// `NaiveTime` time, `NaiveDateTime` timestamp, `DateTime<Utc>` timestamp with time zone,
/// `Uuid` uuid, `serde_json::Value` json. `Option<T>` makes the column nullable; every other
/// column is NOT NULL. A field whose type (or `Option` of it) derives `DbEnum` is declared with
/// `#[column(db_enum)]` and gets the enum's column type.
///
/// Field attributes, `#[column(...)]`, repeatable:
/// - flags: `primary_key`, `autoincrement`, `unique`, `index`;
/// - `name = "col"`, `default = "<sql expr>"`, `comment = "..."`, `check = "<sql expr>"`;
/// - `length = 32` (a `String` becomes `varchar(32)`);
/// - `sql_type = "numeric(12, 2)"` (a portable spelling) or `raw_type = "GEOMETRY"`;
/// - `foreign_key = "table.column"`, with `on_delete`/`on_update` = `"cascade"`, `"restrict"`,
///   `"set null"`, `"set default"` or `"no action"`;
/// - `db_enum`: the type implements `outflow::DbEnum`, whose `column_type()` is the column type
///   (not with `sql_type`, `raw_type`, `length` or `autoincrement`);
/// - `renamed_from = "old"`: the column was called `old`; autogenerate renames it (keeping its
///   values) while a database still has the old name;
/// - `backfill = "<sql expr>"`: the value existing rows get when the column becomes NOT NULL;
/// - `collate = "C"`: the column's collation;
/// - `generated = "<sql expr>"`, with `stored` when the value is stored: a computed column.
///
/// Struct attributes, `#[model(...)]`, repeatable: `table = "..."`, `database = "label"`
/// (default `"default"`), `comment = "..."`, `renamed_from = "old_table"` (the table was called
/// that; autogenerate renames it), and the repeatable `primary_key(field, ...)`,
/// `unique(field, ...)`, `index(field, ...)`, `unique_index(field, ...)`,
/// `foreign_key(field, ..., references = "table(column, ...)")` (with `on_delete`,
/// `on_update`) and `check(name = "...", expr = "...")`. Each key list and foreign key takes
/// `name = "..."`, the constraint's or index's exact name.
///
/// `extend = my_table` names a `fn(outflow::schema::Table) -> outflow::schema::Table` that
/// finishes the description with the schema's builders: what attributes do not say (an
/// expression or partial index, table options, identity options, deferrable constraints...).
///
/// Names not given come from `outflow::schema::naming` at run time. `fn table()` lists the
/// primary key, then unique constraints, indexes, foreign keys and checks, each with the
/// column-level ones (in field order) before the struct-level ones (in declaration order),
/// then passes the table to `extend`.
///
/// The derive also implements `sqlx::FromRow` for every sqlx row type whose database decodes all
/// the field types, reading each field from its column by name, so a pipeline reads rows with
/// `sqlx::query_as::<_, ComputationResult>("SELECT ... FROM computation_result")`.
///
/// (Not compiled here: this crate cannot depend on `outflow`; `tests/derive.rs` covers it.)
///
/// ```text
/// use outflow::Model;
///
/// #[derive(Model)]
/// #[model(unique(input_value, multiplier))]
/// pub struct ComputationResult {
///     #[column(primary_key, autoincrement)]
///     pub id_computation_result: i32,
///     pub input_value: i32,
///     #[column(default = "1", check = "multiplier > 0")]
///     pub multiplier: i32,
///     #[column(comment = "input_value * multiplier")]
///     pub result: Option<i64>,
/// }
///
/// assert_eq!(ComputationResult::TABLE, "computation_result");
/// assert_eq!(ComputationResult::table().checks[0].name, "ck_computation_result_multiplier");
/// ```
#[proc_macro_derive(Model, attributes(model, column))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    model::derive(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Implements `outflow::DbEnum` for a fieldless enum, and sqlx's `Type`, `Encode` and `Decode`
/// for SQLite, PostgreSQL and MySQL (plus `PgHasArrayType`): a value travels as its label.
///
/// The type's name (`DbEnum::NAME`, PostgreSQL's type) is `#[db_enum(name = "...")]` on the
/// enum, or else the enum's name by Outflow's snake-case rule (the rule of table names). Each
/// variant's label is `#[db_enum(rename = "...")]` on the variant, or else the variant's name by
/// the same rule (`InProgress` -> `in_progress`). Labels must differ.
///
/// On PostgreSQL the value's type is the named enum type, so it binds to and reads from native
/// enum columns (text columns are read too); sqlx looks the type up by its name on the
/// connection's `search_path` (quoted unless the name is plain lower case, as Outflow creates it).
/// On SQLite and MySQL the value is text. Reading a label the enum does not have is a decode
/// error naming the enum and the label.
///
/// ```text
/// use outflow::DbEnum;
///
/// #[derive(Debug, Clone, Copy, PartialEq, Eq, DbEnum)]
/// #[db_enum(name = "run_state")]
/// pub enum State {
///     Pending,
///     #[db_enum(rename = "ok")]
///     Succeeded,
/// }
///
/// assert_eq!(State::VALUES, ["pending", "ok"]);
/// ```
#[proc_macro_derive(DbEnum, attributes(db_enum))]
pub fn derive_db_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    db_enum::derive(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Compiles a plugin's revision files into the binary, as an `outflow::revision::RevisionSet`.
///
/// `embed_revisions!("revisions")` reads the folder `revisions`, relative to the directory of
/// the source file that invokes it (as `include_str!` does). The folder holds one sub-folder per
/// database label (`revisions/default/`, ...), each with revision files `<rev>_<slug>.rs`; other
/// files and names starting with `.` are skipped. A folder that does not exist yet gives an empty
/// set that still records the absolute path it will have.
///
/// Each revision file becomes a module (`#[path = "..."] mod ...;`) and its text is embedded with
/// `include_str!`, so cargo rebuilds when a revision is edited or removed. Cargo cannot see a
/// *new* file in the folder, so the crate that invokes the macro needs a one-line `build.rs`:
///
/// ```text
/// fn main() { println!("cargo::rerun-if-changed=src"); }
/// ```
///
/// (name the folder that contains the revisions if it is not under `src`).
#[proc_macro]
pub fn embed_revisions(input: TokenStream) -> TokenStream {
    let base = invoking_dir();
    embed::expand(input.into(), &base)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// The directory of the source file that invokes the macro. `local_file` is `None` for code
/// that does not come from a file on disk; the package root is then the best guess.
fn invoking_dir() -> std::path::PathBuf {
    let file = proc_macro::Span::call_site().local_file();
    match file.as_deref().and_then(std::path::Path::parent) {
        Some(dir) => dir.to_path_buf(),
        None => std::env::var_os("CARGO_MANIFEST_DIR")
            .map(Into::into)
            .unwrap_or_default(),
    }
}
