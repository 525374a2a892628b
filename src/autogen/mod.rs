//! Autogenerate: compare the models with the live database and write revisions (`db
//! make_migrations`), or only report the differences (`db check`).
//!
//! Each plugin is compared on the tables it owns (see [`ownership`]); each plugin with changes
//! gets its own revision on its own branch, labelled with the plugin's name. The database must
//! be at its heads, and the revision files on disk must be the ones in the build.

mod ownership;
mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use tracing::info;

pub use ownership::{Ownership, OwnershipConflict};
pub use write::Written;

use crate::config::Config;
use crate::dialect::{Database, OpenMode, compare_for};
use crate::diff::diff;
use crate::model::Plugin;
use crate::ops::{Constraint, Operation};
use crate::pipeline::{DuplicateTable, Pipeline};
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
    /// `--message` is blank.
    #[error("the message is empty; say what the revision does with --message")]
    BlankMessage,
    /// `--empty` without a plugin to put it in.
    #[error("--empty needs --plugin when several plugins have models or revisions ({known})")]
    EmptyNeedsPlugin {
        /// The candidates.
        known: String,
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
    pipeline: &'a Pipeline,
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
        pipeline: &'a Pipeline,
        config: &Config,
        label: &str,
    ) -> Result<Autogen<'a>, AutogenError> {
        let migrator = Migrator::new(pipeline, config, label)?;
        pipeline.models(label)?.validate()?;
        Ok(Autogen { pipeline, migrator })
    }

    fn label(&self) -> &str {
        self.migrator.label()
    }

    /// Checks the revision folders of every plugin against the build.
    fn check_disk(&self) -> Result<(), AutogenError> {
        for set in self
            .pipeline
            .plugins()
            .iter()
            .filter_map(Plugin::revision_set)
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

    async fn snapshot(&self) -> Result<Snapshot, AutogenError> {
        let target = self.migrator.target();
        let live = if target.exists() {
            let mut db = Database::open(target, OpenMode::ReadOnly)
                .await
                .map_err(RunError::from)?;
            db.introspect().await.map_err(RunError::from)?
        } else {
            Schema::new()
        };
        let ownership = Ownership::new(
            self.pipeline.plugins(),
            self.migrator.revisions(),
            self.label(),
        )?;
        Ok(Snapshot { live, ownership })
    }

    /// The operations that bring `plugin`'s tables to its models.
    fn plugin_ops(&self, plugin: &Plugin, snapshot: &Snapshot) -> Vec<Operation> {
        let desired = Schema::from_tables(plugin.tables_in(self.label()));
        let mut current = snapshot.live.clone();
        let owned = snapshot.ownership.tables_of(plugin.name());
        current.retain(|t| owned.contains(&t.name));
        diff(
            &current,
            &desired,
            compare_for(self.migrator.target().dialect()),
        )
    }

    /// Plugins that have models or revisions in this label, the framework's first.
    fn candidates(&self) -> Vec<&'a Plugin> {
        let label = self.label().to_string();
        let revisions = self.migrator.revisions();
        self.pipeline
            .plugins()
            .iter()
            .filter(|p| {
                !p.tables_in(&label).is_empty() || revisions.of_plugin(p.name()).next().is_some()
            })
            .collect()
    }

    fn select(&self, name: Option<&str>) -> Result<Vec<&'a Plugin>, AutogenError> {
        match name {
            Some(name) => self
                .pipeline
                .find_plugin(name)
                .map(|p| vec![p])
                .ok_or_else(|| AutogenError::UnknownPlugin {
                    name: name.to_string(),
                    known: self
                        .pipeline
                        .plugins()
                        .iter()
                        .map(Plugin::name)
                        .collect::<Vec<_>>()
                        .join(", "),
                }),
            None => Ok(self.candidates()),
        }
    }

    /// Writes a revision for each selected plugin whose tables differ from its models, and
    /// rewrites `schema/<label>.yml`. Returns what was written (nothing: "No changes detected").
    pub async fn make_migrations(
        &self,
        request: &Request,
        verbose: bool,
    ) -> Result<Vec<Written>, AutogenError> {
        if request.message.trim().is_empty() {
            return Err(AutogenError::BlankMessage);
        }
        let plugins = self.select(request.plugin.as_deref())?;
        if request.empty && plugins.len() != 1 {
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
        if let Some((current, heads)) = self.behind().await? {
            return Err(self.not_at_heads(current, heads));
        }
        let snapshot = self.snapshot().await?;
        if verbose {
            self.report_unmanaged(&snapshot);
        }
        let mut written = Vec::new();
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
            let depends_on = self.depends_on(plugin, &ops, &snapshot, &new_heads)?;
            let file = write::revision(self, plugin, request, &ops, &depends_on)?;
            new_heads.insert(plugin.name().to_string(), file.id.clone());
            written.push(file);
        }
        if written.is_empty() {
            println!("No changes detected");
        }
        write::schema_file(self.pipeline, self.label())?;
        Ok(written)
    }

    /// What `make_migrations` would do, without writing anything.
    pub async fn check(&self) -> Result<CheckReport, AutogenError> {
        self.check_disk()?;
        let mut report = CheckReport::default();
        if let Some(behind) = self.behind().await? {
            report.not_at_heads = Some(behind);
        } else {
            let snapshot = self.snapshot().await?;
            for plugin in self.candidates() {
                let ops = self.plugin_ops(plugin, &snapshot);
                if !ops.is_empty() {
                    report.pending.push((plugin.name().to_string(), ops));
                }
            }
        }
        if !write::schema_file_is_current(self.pipeline, self.label())? {
            report.stale_schema_file = Some(self.pipeline.schema_file(self.label()));
        }
        Ok(report)
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

    fn report_unmanaged(&self, snapshot: &Snapshot) {
        for table in snapshot.live.table_names() {
            if snapshot.ownership.owner_of(table).is_none() {
                println!(
                    "unmanaged table '{table}': no plugin's models or revisions own it; left alone"
                );
            }
        }
    }

    /// The other plugins' branch heads that new foreign keys need created first.
    fn depends_on(
        &self,
        plugin: &Plugin,
        ops: &[Operation],
        snapshot: &Snapshot,
        new_heads: &BTreeMap<String, String>,
    ) -> Result<Vec<String>, AutogenError> {
        let mut deps = BTreeSet::new();
        for referenced in referenced_tables(ops) {
            let Some(owner) = snapshot.ownership.owner_of(&referenced) else {
                continue;
            };
            if owner == plugin.name() {
                continue;
            }
            if let Some(id) = new_heads.get(owner) {
                deps.insert(id.clone());
            } else if let Some(head) = self.branch_head(owner)? {
                deps.insert(head);
            }
        }
        Ok(deps.into_iter().collect())
    }

    /// The head of `plugin`'s branch; `None` when the plugin has no revision yet.
    fn branch_head(&self, plugin: &str) -> Result<Option<String>, AutogenError> {
        let revisions = self.migrator.revisions();
        if revisions.of_plugin(plugin).next().is_none() {
            return Ok(None);
        }
        let heads =
            revisions
                .graph
                .label_heads(plugin)
                .map_err(|_| AutogenError::UnlabelledBranch {
                    plugin: plugin.to_string(),
                })?;
        match heads.as_slice() {
            [one] => Ok(Some(one.to_string())),
            several => Err(AutogenError::SeveralHeads {
                plugin: plugin.to_string(),
                heads: several.join(", "),
            }),
        }
    }
}

/// Tables that the foreign keys created by `ops` reference.
fn referenced_tables(ops: &[Operation]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for op in ops {
        match op {
            Operation::CreateTable(t) => {
                out.extend(t.foreign_keys.iter().map(|f| f.ref_table.clone()))
            }
            Operation::AddConstraint {
                constraint: Constraint::ForeignKey(f),
                ..
            } => {
                out.insert(f.ref_table.clone());
            }
            _ => {}
        }
    }
    out
}

/// Plugins ordered so that one whose models reference another's tables comes after it (so its
/// revision can depend on the other's new revision); name order otherwise.
fn dependency_order<'a>(
    plugins: Vec<&'a Plugin>,
    snapshot: &Snapshot,
    label: &str,
) -> Vec<&'a Plugin> {
    let mut remaining = plugins;
    let mut out: Vec<&Plugin> = Vec::with_capacity(remaining.len());
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
