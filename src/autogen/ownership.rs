//! Which plugin owns which table.
//!
//! A plugin owns the tables its models declare and the tables its revisions created (replayed
//! in memory: a table created then dropped by its revisions is no longer its own). Autogenerate
//! only ever touches a plugin's own tables; a table nobody owns is reported, never dropped.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::PluginModels;
use crate::ops::Operation;
use crate::revision::load::Revisions;
use crate::schema::{Object, ObjectKey};

/// A table claimed by two plugins.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "table '{table}' is declared by the models of plugin '{declared_by}' but was created by the revisions of plugin '{created_by}'; move the model to '{created_by}' or drop the table in a revision of '{created_by}' first"
)]
pub struct OwnershipConflict {
    /// The table.
    pub table: String,
    /// The plugin whose model declares it.
    pub declared_by: String,
    /// The plugin whose revisions created it.
    pub created_by: String,
}

/// Tables and objects by owning plugin, for one database label.
#[derive(Debug, Default)]
pub struct Ownership {
    owned: BTreeMap<String, BTreeSet<String>>,
    objects: BTreeMap<String, BTreeSet<ObjectKey>>,
}

impl Ownership {
    /// Works out ownership from the plugins' models and the replay of their revisions.
    pub fn new(
        plugins: &[PluginModels],
        revisions: &Revisions,
        label: &str,
    ) -> Result<Ownership, OwnershipConflict> {
        let created: BTreeMap<&str, BTreeSet<String>> = plugins
            .iter()
            .map(|p| (p.name(), replay(revisions, p.name())))
            .collect();
        let objects = plugins
            .iter()
            .map(|p| {
                let mut keys = replay_objects(revisions, p.name());
                keys.extend(p.objects_in(label).iter().map(Object::key));
                (p.name().to_string(), keys)
            })
            .collect();
        let mut owned = BTreeMap::new();
        for plugin in plugins {
            let mut tables = created[plugin.name()].clone();
            for model in plugin.models().iter().filter(|m| m.database == label) {
                let other = created
                    .iter()
                    .find(|(name, t)| **name != plugin.name() && t.contains(model.table_name));
                if let Some((other, _)) = other {
                    return Err(OwnershipConflict {
                        table: model.table_name.to_string(),
                        declared_by: plugin.name().to_string(),
                        created_by: other.to_string(),
                    });
                }
                tables.insert(model.table_name.to_string());
            }
            owned.insert(plugin.name().to_string(), tables);
        }
        Ok(Ownership { owned, objects })
    }

    /// The views, triggers, functions... `plugin` owns: those it declares and those its
    /// revisions created.
    pub fn objects_of(&self, plugin: &str) -> &BTreeSet<ObjectKey> {
        static EMPTY: BTreeSet<ObjectKey> = BTreeSet::new();
        self.objects.get(plugin).unwrap_or(&EMPTY)
    }

    /// Whether some plugin owns the object found by `key`.
    pub fn owns_object(&self, key: &ObjectKey) -> bool {
        self.objects.values().any(|keys| keys.contains(key))
    }

    /// The tables `plugin` owns.
    pub fn tables_of(&self, plugin: &str) -> &BTreeSet<String> {
        static EMPTY: BTreeSet<String> = BTreeSet::new();
        self.owned.get(plugin).unwrap_or(&EMPTY)
    }

    /// The plugin owning `table`, if any.
    pub fn owner_of(&self, table: &str) -> Option<&str> {
        self.owned
            .iter()
            .find(|(_, t)| t.contains(table))
            .map(|(p, _)| p.as_str())
    }
}

/// The tables that `plugin`'s revisions leave behind, replayed in graph order.
fn replay(revisions: &Revisions, plugin: &str) -> BTreeSet<String> {
    let mut tables = BTreeSet::new();
    for revision in revisions.of_plugin(plugin) {
        for op in revision.upgrade_ops() {
            match op {
                Operation::CreateTable(t) => {
                    tables.insert(t.name);
                }
                Operation::DropTable { table, .. } => {
                    tables.remove(&table);
                }
                Operation::RenameTable { from, to } if tables.remove(&from) => {
                    tables.insert(to);
                }
                _ => {}
            }
        }
    }
    tables
}

/// The objects that `plugin`'s revisions leave behind, replayed in graph order.
fn replay_objects(revisions: &Revisions, plugin: &str) -> BTreeSet<ObjectKey> {
    let mut keys = BTreeSet::new();
    for revision in revisions.of_plugin(plugin) {
        for op in revision.upgrade_ops() {
            match &op {
                Operation::CreateObject(o) => {
                    keys.insert(o.key());
                }
                Operation::DropObject {
                    kind, table, name, ..
                } => {
                    keys.remove(&(*kind, table.clone().unwrap_or_default(), name.clone()));
                }
                _ => {}
            }
        }
    }
    keys
}
