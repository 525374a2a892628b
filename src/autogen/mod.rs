//! Autogenerate: compare the models with the live database and write revisions (`db
//! make_migrations`), or only report the differences (`db check`).
//!
//! Layer: above `runner` and everything below it; it returns what it wrote ([`Generated`])
//! and prints nothing.
//!
//! Each plugin is compared on the tables it owns (see [`ownership`]); each plugin with changes
//! gets its own revision on its own branch, labelled with the plugin's name. The database must
//! be at its heads, and the revision files on disk must be the ones in the build.

pub mod adopt;
mod from_diff;
mod history;
mod merge;
mod ownership;
mod place;
mod squash;
mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use tracing::info;

pub use merge::MergeRequest;
pub use ownership::{Ownership, OwnershipConflict};
pub use squash::{SquashError, SquashRequest};
pub use write::Written;

use crate::config::Config;
use crate::dialect::script::{self, Baseline, Purpose, ScriptOptions, ScriptStep};
use crate::dialect::{Database, OpenMode, compare_for};
use crate::diff::diff;
use crate::model::PluginModels;
use crate::model::{Catalog, DuplicateTable};
use crate::ops::Operation;
use crate::revision::disk::{self, DiskError};
use crate::runner::{Migrator, RunError};
use crate::schema::{Schema, SchemaError};

/// Why autogenerate cannot run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AutogenError {
    /// Loading revisions or talking to the database failed.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The revision files on disk are not the ones in the build.
    #[error(transparent)]
    Disk(#[from] DiskError),
    /// Two plugins claim a table.
    #[error(transparent)]
    Ownership(#[from] OwnershipConflict),
    /// Two plugins' models declare a table.
    #[error(transparent)]
    Duplicate(#[from] DuplicateTable),
    /// A model does not describe a valid table.
    #[error("invalid model: {0}")]
    Model(#[from] SchemaError),
    /// No plugin has that name.
    #[error("unknown plugin '{name}'; plugins of this pipeline: {known}")]
    UnknownPlugin {
        /// The name given.
        name: String,
        /// The plugins there are.
        known: String,
    },
    /// The database has not applied every revision.
    #[error(
        "database '{label}' is not at its heads (applied: {current}; heads: {heads}); run `db upgrade heads` first"
    )]
    NotAtHeads {
        /// Database label.
        label: String,
        /// Applied heads.
        current: String,
        /// Heads of the revision graph.
        heads: String,
    },
    /// The plugin's branch has several heads.
    #[error(
        "the branch of plugin '{plugin}' has several heads ({heads}); merge them with `db merge` first"
    )]
    SeveralHeads {
        /// The plugin.
        plugin: String,
        /// Its heads.
        heads: String,
    },
    /// The plugin's revisions carry no branch label to append to.
    #[error(
        "plugin '{plugin}' has revisions but none is labelled '{plugin}'; add BRANCH_LABELS = &[\"{plugin}\"] to its first revision"
    )]
    UnlabelledBranch {
        /// The plugin.
        plugin: String,
    },
    /// The plugin has no revision folder.
    #[error(
        "plugin '{plugin}' has no revision folder; add `.revisions(outflow::embed_revisions!(\"revisions\"))` to it"
    )]
    NoRevisionFolder {
        /// The plugin.
        plugin: String,
    },
    /// `--rev-id` is unusable.
    #[error("invalid revision id '{id}': {reason}")]
    BadRevisionId {
        /// The id.
        id: String,
        /// Why.
        reason: &'static str,
    },
    /// `db squash` refused the run.
    #[error(transparent)]
    Squash(#[from] squash::SquashError),
    /// A replaced revision file could not be deleted.
    #[error(
        "cannot delete {path}: {message}; delete it by hand (the squash that replaces it is written)"
    )]
    Remove {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// `--message` is blank.
    #[error("the message is empty; say what the revision does with --message")]
    BlankMessage,
    /// `db diff --revision` without a plugin to put the revision in.
    #[error(
        "db diff --revision needs --plugin to say which plugin's branch gets the revision ({known})"
    )]
    DiffNeedsPlugin {
        /// The candidates.
        known: String,
    },
    /// `--empty` or `--head` without a plugin to put the revision in.
    #[error(
        "--empty and --head need --plugin when several plugins have models or revisions ({known})"
    )]
    EmptyNeedsPlugin {
        /// The candidates.
        known: String,
    },
    /// `--head` names a revision that is not a head.
    #[error(
        "revision {revision} is not a head; pass --splice to start a new branch from it, or name a head"
    )]
    NotAHead {
        /// The revision.
        revision: String,
    },
    /// `--head` names several revisions.
    #[error("--head {target} names several revisions ({revisions}); name one")]
    SeveralParents {
        /// What was given.
        target: String,
        /// What it names.
        revisions: String,
    },
    /// `db merge` was given fewer than two distinct heads.
    #[error("a merge needs at least two revisions, none an ancestor of another; {found}")]
    NothingToMerge {
        /// What the arguments gave.
        found: String,
    },
    /// The revisions to merge belong to several plugins.
    #[error(
        "the revisions belong to plugins {plugins}; pass --plugin to choose the folder of the merge revision"
    )]
    MergeNeedsPlugin {
        /// The plugins.
        plugins: String,
    },
    /// A revision or label was not found.
    #[error(transparent)]
    Graph(#[from] Box<crate::revision::graph::GraphError>),
    /// The changes cannot be made on this database.
    #[error("plugin '{plugin}': {message}; no revision was written")]
    Unrenderable {
        /// The plugin.
        plugin: String,
        /// What the dialect refuses and what to do.
        message: String,
    },
    /// A file could not be written.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// What `db make_migrations` is asked for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `--plugin`.
    pub plugin: Option<String>,
    /// `--message`.
    pub message: String,
    /// `--empty`.
    pub empty: bool,
    /// `--rev-id`.
    pub rev_id: Option<String>,
    /// `--head`: the revision to build on instead of the plugin's branch head.
    pub head: Option<String>,
    /// `--splice`: `--head` may name a revision that is not a head (a new branch starts there).
    pub splice: bool,
    /// `--depends-on`: revisions or branch labels the new revision depends on.
    pub depends_on: Vec<String>,
    /// `--offline`: compare the models with the schema the revisions build, replayed in
    /// memory, instead of the database (which is not opened).
    pub offline: bool,
}

/// What `make_migrations` wrote.
#[derive(Debug, Default)]
pub struct Generated {
    /// The revision files, in the order they were written.
    pub revisions: Vec<Written>,
    /// `schema/<label>.yml`, when it was rewritten.
    pub schema_file: Option<PathBuf>,
    /// Tables of the database no plugin's models or revisions own: left alone.
    pub unmanaged: Vec<String>,
}

/// What `db check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// The database is not at its heads: `(applied, heads)`.
    pub not_at_heads: Option<(Vec<String>, Vec<String>)>,
    /// Operations a `make_migrations` would write, by plugin.
    pub pending: Vec<(String, Vec<Operation>)>,
    /// `schema/<label>.yml` does not describe the models.
    pub stale_schema_file: Option<PathBuf>,
}

impl CheckReport {
    /// Whether models, database and schema file all agree.
    pub fn is_clean(&self) -> bool {
        self.not_at_heads.is_none() && self.pending.is_empty() && self.stale_schema_file.is_none()
    }
}

/// Autogenerate for one database label of a pipeline.
#[derive(Debug)]
pub struct Autogen<'a> {
    catalog: &'a Catalog,
    migrator: Migrator,
}

/// The live schema, the ownership of its tables and the models, read once.
struct Snapshot {
    live: Schema,
    ownership: Ownership,
}

impl<'a> Autogen<'a> {
    /// Prepares autogenerate for `label`; fails on revision-graph and model errors.
    pub fn new(
        catalog: &'a Catalog,
        config: &Config,
        label: &str,
    ) -> Result<Autogen<'a>, AutogenError> {
        let migrator = Migrator::new(catalog, config, label)?;
        let models = catalog.models(label)?;
        models.validate()?;
        if migrator.target().dialect() != crate::dialect::DialectName::Mysql {
            models.validate_index_names()?;
        }
        Ok(Autogen { catalog, migrator })
    }

    fn label(&self) -> &str {
        self.migrator.label()
    }

    /// Checks the revision folders of every plugin against the build.
    fn check_disk(&self) -> Result<(), AutogenError> {
        for set in self
            .catalog
            .plugins()
            .iter()
            .filter_map(PluginModels::revision_set)
        {
            disk::check(set)?;
        }
        Ok(())
    }

    /// `(applied, heads)` when the database is not at its heads.
    async fn behind(&self) -> Result<Option<(Vec<String>, Vec<String>)>, AutogenError> {
        let mut current = self.migrator.current_heads().await?;
        current.sort();
        let heads: Vec<String> = self
            .migrator
            .revisions()
            .graph
            .heads()
            .iter()
            .map(|h| h.to_string())
            .collect();
        Ok((current != heads).then_some((current, heads)))
    }

    /// The schema to compare the models with: the database's, or, `offline`, the one every
    /// revision builds (what a database at its heads has).
    async fn snapshot(&self, offline: bool) -> Result<Snapshot, AutogenError> {
        let target = self.migrator.target();
        let heads: Vec<String> = self
            .migrator
            .revisions()
            .graph
            .heads()
            .iter()
            .map(|h| h.to_string())
            .collect();
        // Online, the replay only completes what the database cannot hold: a history the
        // replay cannot follow (raw SQL creating a table) does not stop autogenerate.
        let replayed = self.migrator.replayed(&heads);
        let live = if offline {
            replayed?
        } else if target.exists() {
            let mut db = Database::open(target, OpenMode::ReadOnly)
                .await
                .map_err(RunError::from)?;
            let mut live = db.introspect().await.map_err(RunError::from)?;
            if let Ok(replayed) = &replayed {
                history::name_enums(&mut live, replayed);
                history::declared_objects(&mut live, replayed);
            }
            live
        } else {
            Schema::new()
        };
        let ownership = Ownership::new(
            self.catalog.plugins(),
            self.migrator.revisions(),
            self.label(),
        )?;
        Ok(Snapshot { live, ownership })
    }

    /// The operations that bring `plugin`'s tables to its models.
    fn plugin_ops(&self, plugin: &PluginModels, snapshot: &Snapshot) -> Vec<Operation> {
        let desired = plugin.schema_in(self.label());
        let mut current = snapshot.live.clone();
        let owned = snapshot.ownership.tables_of(plugin.name());
        current.retain(|t| owned.contains(&t.name));
        let owned_objects = snapshot.ownership.objects_of(plugin.name());
        current.retain_objects(|o| owned_objects.contains(&o.key()));
        diff(
            &current,
            &desired,
            compare_for(self.migrator.target().dialect()),
        )
    }

    /// Plugins that have models or revisions in this label, the framework's first.
    fn candidates(&self) -> Vec<&'a PluginModels> {
        let label = self.label().to_string();
        let revisions = self.migrator.revisions();
        self.catalog
            .plugins()
            .iter()
            .filter(|p| {
                !p.tables_in(&label).is_empty()
                    || !p.objects_in(&label).is_empty()
                    || revisions.of_plugin(p.name()).next().is_some()
            })
            .collect()
    }

    fn select(&self, name: Option<&str>) -> Result<Vec<&'a PluginModels>, AutogenError> {
        match name {
            Some(name) => self.catalog.plugin(name).map(|p| vec![p]).ok_or_else(|| {
                AutogenError::UnknownPlugin {
                    name: name.to_string(),
                    known: self
                        .catalog
                        .plugins()
                        .iter()
                        .map(PluginModels::name)
                        .collect::<Vec<_>>()
                        .join(", "),
                }
            }),
            None => Ok(self.user_candidates()),
        }
    }

    /// The candidates a command without `--plugin` writes to: never the framework's own
    /// plugin beside the pipeline's (its revisions ship with Outflow), unless it is alone (the
    /// `outflow` binary of this repository).
    fn user_candidates(&self) -> Vec<&'a PluginModels> {
        let all = self.candidates();
        let users: Vec<&'a PluginModels> = all
            .iter()
            .copied()
            .filter(|p| p.name() != crate::model::FRAMEWORK_PLUGIN)
            .collect();
        if users.is_empty() { all } else { users }
    }

    /// Writes a revision for each selected plugin whose tables differ from its models, and
    /// rewrites `schema/<label>.yml`. Returns what was written (no revision: "No changes
    /// detected"); every revision is rendered before the first is written.
    pub async fn make_migrations(&self, request: &Request) -> Result<Generated, AutogenError> {
        if request.message.trim().is_empty() {
            return Err(AutogenError::BlankMessage);
        }
        let plugins = self.select(request.plugin.as_deref())?;
        if (request.empty || request.head.is_some()) && plugins.len() != 1 {
            let known = plugins
                .iter()
                .map(|p| p.name())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(AutogenError::EmptyNeedsPlugin { known });
        }
        if let Some(id) = &request.rev_id {
            write::validate_id(id, &self.migrator.revisions().graph)?;
        }
        self.check_disk()?;
        if !request.offline
            && let Some((current, heads)) = self.behind().await?
        {
            return Err(self.not_at_heads(current, heads));
        }
        let snapshot = self.snapshot(request.offline).await?;
        let mut prepared = Vec::new();
        let mut new_heads: BTreeMap<String, String> = BTreeMap::new();
        for plugin in dependency_order(plugins, &snapshot, self.label()) {
            let ops = self.plugin_ops(plugin, &snapshot);
            if ops.is_empty() && !request.empty {
                info!("No changes detected for plugin '{}'", plugin.name());
                continue;
            }
            for op in &ops {
                info!("Detected {op}");
            }
            self.check_renders(plugin, &ops, &snapshot)?;
            let placement = self.placement(plugin, request, &ops, &snapshot, &new_heads)?;
            let id = write::new_id(self, request.rev_id.as_deref());
            let file = write::revision(
                self,
                plugin,
                &id,
                &request.message,
                &placement,
                &ops,
                &snapshot.live,
            )?;
            new_heads.insert(plugin.name().to_string(), id);
            prepared.push(file);
        }
        let revisions = prepared
            .into_iter()
            .map(write::Prepared::write)
            .collect::<Result<_, _>>()?;
        Ok(Generated {
            revisions,
            schema_file: write::schema_file(self.catalog, self.label())?,
            unmanaged: self.unmanaged(&snapshot),
        })
    }

    /// What `make_migrations` would do, without writing anything; `offline`, against the
    /// schema the revisions build (no database is opened).
    pub async fn check(&self, offline: bool) -> Result<CheckReport, AutogenError> {
        self.check_disk()?;
        let mut report = CheckReport::default();
        let behind = if offline { None } else { self.behind().await? };
        if let Some(behind) = behind {
            report.not_at_heads = Some(behind);
        } else {
            let snapshot = self.snapshot(offline).await?;
            for plugin in self.candidates() {
                let ops = self.plugin_ops(plugin, &snapshot);
                if !ops.is_empty() {
                    report.pending.push((plugin.name().to_string(), ops));
                }
            }
        }
        if !write::schema_file_is_current(self.catalog, self.label())? {
            report.stale_schema_file = Some(self.catalog.schema_file(self.label()));
        }
        Ok(report)
    }

    /// Refuses a revision the database could not run (a MySQL key on a text column...), before
    /// it is written rather than when it is applied.
    fn check_renders(
        &self,
        plugin: &PluginModels,
        ops: &[Operation],
        snapshot: &Snapshot,
    ) -> Result<(), AutogenError> {
        let target = self.migrator.target();
        let schema = target.schema().to_string();
        let options = ScriptOptions {
            dialect: target.dialect(),
            schema: &schema,
            version_table: crate::dialect::VERSION_TABLE,
            purpose: Purpose::Diff,
        };
        let step = ScriptStep {
            title: String::new(),
            ops,
            version: &[],
        };
        script::render(options, Baseline::Schema(snapshot.live.clone()), &[step])
            .map(|_| ())
            .map_err(|e| AutogenError::Unrenderable {
                plugin: plugin.name().to_string(),
                message: e.to_string(),
            })
    }

    fn not_at_heads(&self, current: Vec<String>, heads: Vec<String>) -> AutogenError {
        let show = |ids: Vec<String>| {
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        };
        AutogenError::NotAtHeads {
            label: self.label().to_string(),
            current: show(current),
            heads: show(heads),
        }
    }

    /// The tables of the database no plugin owns (left alone).
    fn unmanaged(&self, snapshot: &Snapshot) -> Vec<String> {
        snapshot
            .live
            .table_names()
            .filter(|t| snapshot.ownership.owner_of(t).is_none())
            .map(str::to_string)
            .collect()
    }
}

/// Plugins ordered so that one whose models reference another's tables comes after it (so its
/// revision can depend on the other's new revision); name order otherwise.
fn dependency_order<'a>(
    plugins: Vec<&'a PluginModels>,
    snapshot: &Snapshot,
    label: &str,
) -> Vec<&'a PluginModels> {
    let mut remaining = plugins;
    let mut out: Vec<&PluginModels> = Vec::with_capacity(remaining.len());
    while !remaining.is_empty() {
        let ready = remaining.iter().position(|p| {
            let refs: BTreeSet<String> = p
                .tables_in(label)
                .iter()
                .flat_map(|t| t.foreign_keys.iter().map(|f| f.ref_table.clone()))
                .collect();
            refs.iter().all(|r| match snapshot.ownership.owner_of(r) {
                Some(owner) => owner == p.name() || !remaining.iter().any(|q| q.name() == owner),
                None => true,
            })
        });
        // A cycle between plugins: keep the declared order for the rest.
        out.push(remaining.remove(ready.unwrap_or(0)));
    }
    out
}

#[cfg(test)]
mod tests;
