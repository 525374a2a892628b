//! The catalog: every plugin's models and revisions, as the database layer sees a pipeline.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Model, ModelEntry};
use crate::revision::RevisionSet;
use crate::schema::{Object, Schema, Table};

/// The name of the framework's own plugin (the tables that record runs), also the branch
/// label of its revisions. Commands that pick a plugin by themselves never pick it beside the
/// pipeline's own (see `ARCHITECTURE.md`, "The framework's branch is Outflow's").
pub const FRAMEWORK_PLUGIN: &str = "outflow";

/// One plugin's models and the revisions that create their tables.
///
/// ```
/// use outflow::model::PluginModels;
/// let plugin = PluginModels::new("tuto.data_reduction");
/// assert_eq!(plugin.name(), "tuto.data_reduction");
/// assert!(plugin.models().is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct PluginModels {
    name: String,
    models: Vec<ModelEntry>,
    /// Views, triggers, functions... by database label.
    objects: Vec<(String, Object)>,
    revisions: Option<RevisionSet>,
}

impl PluginModels {
    /// A plugin with no model and no revision yet.
    pub fn new(name: impl Into<String>) -> PluginModels {
        PluginModels {
            name: name.into(),
            models: Vec::new(),
            objects: Vec::new(),
            revisions: None,
        }
    }

    /// Adds a model.
    pub fn add_model<M: Model>(&mut self) {
        self.models.push(ModelEntry {
            table_name: M::TABLE,
            database: M::DATABASE,
            table: M::table,
        });
    }

    /// Adds a view, trigger, function... to database `label`.
    pub fn add_object(&mut self, label: &str, object: Object) {
        self.objects.push((label.to_string(), object));
    }

    /// The views, triggers, functions... of this plugin in database `label`.
    pub fn objects_in(&self, label: &str) -> Vec<Object> {
        self.objects
            .iter()
            .filter(|(l, _)| l == label)
            .map(|(_, o)| o.clone())
            .collect()
    }

    /// The plugin's tables and objects in database `label`.
    pub fn schema_in(&self, label: &str) -> Schema {
        Schema::from_tables(self.tables_in(label)).with_objects(self.objects_in(label))
    }

    /// Sets the revisions, from `outflow::embed_revisions!("revisions")`.
    pub fn set_revisions(&mut self, revisions: RevisionSet) {
        self.revisions = Some(revisions);
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

    /// Whether this is the framework's own plugin.
    pub fn is_framework(&self) -> bool {
        self.name == FRAMEWORK_PLUGIN
    }
}

/// Two plugins declare the same table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "table '{table}' of database '{label}' is declared by the models of both '{first}' and '{second}'; a table belongs to one plugin"
)]
pub struct DuplicateTable {
    /// The table.
    pub table: String,
    /// The database label.
    pub label: String,
    /// One plugin.
    pub first: String,
    /// The other.
    pub second: String,
}

/// Every plugin's models and revisions, and the crate folder the pipeline was built from
/// (where `schema/<label>.yml` and the revision folders are).
#[derive(Debug, Clone)]
pub struct Catalog {
    source_dir: PathBuf,
    plugins: Vec<PluginModels>,
}

impl Catalog {
    /// A catalog of no plugin, for the crate in `source_dir`.
    pub fn new(source_dir: impl Into<PathBuf>) -> Catalog {
        Catalog {
            source_dir: source_dir.into(),
            plugins: Vec::new(),
        }
    }

    /// Adds a plugin.
    pub fn push(&mut self, plugin: PluginModels) {
        self.plugins.push(plugin);
    }

    /// The plugins, in the order they were added.
    pub fn plugins(&self) -> &[PluginModels] {
        &self.plugins
    }

    /// The plugin called `name`.
    pub fn plugin(&self, name: &str) -> Option<&PluginModels> {
        self.plugins.iter().find(|p| p.name() == name)
    }

    /// Every plugin's embedded revisions, with the plugin's name.
    pub fn revision_sets(&self) -> impl Iterator<Item = (&str, &RevisionSet)> {
        self.plugins
            .iter()
            .filter_map(|p| p.revision_set().map(|set| (p.name(), set)))
    }

    /// The crate folder the pipeline was built from.
    pub fn source_dir(&self) -> &Path {
        &self.source_dir
    }

    /// `schema/<label>.yml`: the description of every model of `label` at head.
    pub fn schema_file(&self, label: &str) -> PathBuf {
        self.source_dir.join("schema").join(format!("{label}.yml"))
    }

    /// Every model table of database `label`, all plugins together.
    pub fn models(&self, label: &str) -> Result<Schema, DuplicateTable> {
        let mut schema = Schema::new();
        let mut owner: BTreeMap<String, &str> = BTreeMap::new();
        for plugin in &self.plugins {
            for mut table in plugin.tables_in(label) {
                if let Some(first) = owner.insert(table.name.clone(), plugin.name()) {
                    return Err(DuplicateTable {
                        table: table.name,
                        label: label.to_string(),
                        first: first.to_string(),
                        second: plugin.name().to_string(),
                    });
                }
                table.sort_constraints();
                schema.insert(table);
            }
            for object in plugin.objects_in(label) {
                schema.insert_object(object);
            }
        }
        Ok(schema)
    }
}
