//! Plugins: a name, models, the revisions that create their tables, and commands.

use super::Command;
use crate::Model;
use crate::model::DEFAULT_DATABASE;
use crate::model::{ModelEntry, PluginModels};
use crate::revision::RevisionSet;
use crate::schema::{Object, Table};

/// A named group of models, of the revisions that create their tables, and of commands.
///
/// ```
/// use outflow::Plugin;
/// let plugin = Plugin::new("tuto.data_reduction");
/// assert_eq!(plugin.name(), "tuto.data_reduction");
/// ```
#[derive(Debug, Clone)]
pub struct Plugin {
    models: PluginModels,
    commands: Vec<Command>,
}

impl Plugin {
    /// A plugin with no model, no revision and no command yet.
    pub fn new(name: impl Into<String>) -> Plugin {
        Plugin {
            models: PluginModels::new(name),
            commands: Vec::new(),
        }
    }

    /// Adds a command to the pipeline's command line.
    pub fn command(mut self, command: Command) -> Plugin {
        self.commands.push(command);
        self
    }

    /// Adds a model.
    pub fn model<M: Model>(mut self) -> Plugin {
        self.models.add_model::<M>();
        self
    }

    /// Adds a view, trigger, function... to the `default` database, held as the SQL that
    /// creates it: autogenerate creates, replaces and drops it like a model's table.
    ///
    /// ```
    /// use outflow::Plugin;
    /// use outflow::schema::view;
    /// let plugin = Plugin::new("shop")
    ///     .object(view("adults", "CREATE VIEW adults AS SELECT * FROM person WHERE age >= 18"));
    /// assert_eq!(plugin.objects_in("default").len(), 1);
    /// ```
    pub fn object(self, object: Object) -> Plugin {
        self.object_in(DEFAULT_DATABASE, object)
    }

    /// Adds a view, trigger, function... to database `label`.
    pub fn object_in(mut self, label: &str, object: Object) -> Plugin {
        self.models.add_object(label, object);
        self
    }

    /// The views, triggers, functions... of this plugin in database `label`.
    pub fn objects_in(&self, label: &str) -> Vec<Object> {
        self.models.objects_in(label)
    }

    /// Sets the plugin's revisions, from `outflow::embed_revisions!("revisions")`.
    pub fn revisions(mut self, revisions: RevisionSet) -> Plugin {
        self.models.set_revisions(revisions);
        self
    }

    /// The plugin's name (also its branch label).
    pub fn name(&self) -> &str {
        self.models.name()
    }

    /// The plugin's commands.
    pub fn commands(&self) -> &[Command] {
        &self.commands
    }

    /// The plugin's models.
    pub fn models(&self) -> &[ModelEntry] {
        self.models.models()
    }

    /// The plugin's embedded revisions, if it declared where they live.
    pub fn revision_set(&self) -> Option<&RevisionSet> {
        self.models.revision_set()
    }

    /// The tables of this plugin's models in database `label`.
    pub fn tables_in(&self, label: &str) -> Vec<Table> {
        self.models.tables_in(label)
    }

    /// The models and revisions, without the commands: what the database layer works from.
    pub fn into_parts(self) -> (PluginModels, Vec<Command>) {
        (self.models, self.commands)
    }
}
