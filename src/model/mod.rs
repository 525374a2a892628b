//! Models: what a pipeline declares of its tables, and the [`Catalog`] of every plugin's
//! models and revisions that the database layer (autogenerate, the runner) works from.
//! Nothing here runs or prints; plugins with their commands are the pipeline's
//! ([`crate::pipeline::Plugin`]).
//!
//! Layer: above `revision` and `schema`, the only modules it may use.

mod catalog;
pub mod value;

pub use catalog::{Catalog, DuplicateTable, FRAMEWORK_PLUGIN, PluginModels};

use crate::schema::{Table, Type};

/// The database label models use unless they say otherwise.
pub const DEFAULT_DATABASE: &str = "default";

/// A struct that describes a table. Implemented by `#[derive(Model)]`:
///
/// ```
/// use outflow::Model;
///
/// #[derive(Model)]
/// #[model(unique(input_value, multiplier))]
/// pub struct ComputationResult {
///     #[column(primary_key)]
///     pub id_computation_result: i32,
///     pub input_value: i32,
///     pub multiplier: i32,
///     pub result: i32,
/// }
///
/// assert_eq!(ComputationResult::TABLE, "computation_result");
/// let table = ComputationResult::table();
/// assert_eq!(table.uniques[0].name, "uq_computation_result_input_value_multiplier");
/// ```
pub trait Model {
    /// The table name.
    const TABLE: &'static str;
    /// The database label (`config.yml`'s `databases:` key) the table lives in.
    const DATABASE: &'static str;
    /// The column names, in field order.
    const COLUMNS: &'static [&'static str];
    /// The table description.
    fn table() -> Table;
    /// The row's values, in the order of [`Model::COLUMNS`] (an enum field gives its label).
    fn values(&self) -> Vec<value::Value>;
}

/// A Rust enum stored in an enum column. Implemented by `#[derive(DbEnum)]`:
///
/// ```
/// use outflow::DbEnum;
///
/// #[derive(Debug, Clone, Copy, PartialEq, Eq, DbEnum)]
/// pub enum StateEnum {
///     Pending,
///     Running,
///     #[db_enum(rename = "success")]
///     Succeeded,
/// }
///
/// assert_eq!(StateEnum::NAME, "state_enum");
/// assert_eq!(StateEnum::VALUES, ["pending", "running", "success"]);
/// assert_eq!(StateEnum::Succeeded.label(), "success");
/// assert_eq!(StateEnum::from_label("running"), Some(StateEnum::Running));
/// ```
///
/// A model field of such a type is declared with `#[column(db_enum)]`.
#[diagnostic::on_unimplemented(note = "add `#[derive(outflow::DbEnum)]` to the enum `{Self}`")]
pub trait DbEnum: Sized + 'static {
    /// The enum type's name (PostgreSQL's type name).
    const NAME: &'static str;
    /// The labels, in declaration order.
    const VALUES: &'static [&'static str];
    /// The label of this value.
    fn label(&self) -> &'static str;
    /// The value of a label.
    fn from_label(label: &str) -> Option<Self>;
    /// The column type.
    fn column_type() -> Type {
        Type::enumeration(Self::NAME, Self::VALUES.iter().copied())
    }
}

/// A model as a plugin keeps it.
#[derive(Debug, Clone, Copy)]
pub struct ModelEntry {
    /// Table name.
    pub table_name: &'static str,
    /// Database label.
    pub database: &'static str,
    /// The table description.
    pub table: fn() -> Table,
}
