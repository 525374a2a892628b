//! Models and plugins: what a pipeline declares.

use crate::revision::RevisionSet;
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
    fn values(&self) -> Vec<crate::store::Value>;
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

/// A named group of models and of the revisions that create their tables.
///
/// ```
/// use outflow::Plugin;
/// let plugin = Plugin::new("tuto.data_reduction");
/// assert_eq!(plugin.name(), "tuto.data_reduction");
/// ```
#[derive(Debug, Clone)]
pub struct Plugin {
    name: String,
    models: Vec<ModelEntry>,
    revisions: Option<RevisionSet>,
    commands: Vec<crate::pipeline::Command>,
}

impl Plugin {
    /// A plugin with no model and no revision yet.
    pub fn new(name: impl Into<String>) -> Plugin {
        Plugin {
            name: name.into(),
            models: Vec::new(),
            revisions: None,
            commands: Vec::new(),
        }
    }

    /// Adds a command to the pipeline's command line.
    pub fn command(mut self, command: crate::pipeline::Command) -> Plugin {
        self.commands.push(command);
        self
    }

    /// The plugin's commands.
    pub fn commands(&self) -> &[crate::pipeline::Command] {
        &self.commands
    }

    /// Adds a model.
    pub fn model<M: Model>(mut self) -> Plugin {
        self.models.push(ModelEntry {
            table_name: M::TABLE,
            database: M::DATABASE,
            table: M::table,
        });
        self
    }

    /// Sets the plugin's revisions, from `outflow::embed_revisions!("revisions")`.
    pub fn revisions(mut self, revisions: RevisionSet) -> Plugin {
        self.revisions = Some(revisions);
        self
    }

    /// The plugin's name (also its branch label).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The plugin's models.
    pub fn models(&self) -> &[ModelEntry] {
        &self.models
    }

    /// The plugin's embedded revisions, if it declared where they live.
    pub fn revision_set(&self) -> Option<&RevisionSet> {
        self.revisions.as_ref()
    }

    /// The tables of this plugin's models in database `label`.
    pub fn tables_in(&self, label: &str) -> Vec<Table> {
        self.models
            .iter()
            .filter(|m| m.database == label)
            .map(|m| (m.table)())
            .collect()
    }
}
