//! The runner: applies and reverts revisions on a database.
//!
//! The version table holds one row per applied head, as Alembic's does. Every revision runs in
//! its own transaction together with its version-table change, so a failed revision leaves
//! nothing behind. Targets are resolved before the database is opened for writing: a bad
//! target or a graph error never touches the database.

use tracing::info;

use crate::config::{Config, ConfigError};
use crate::dialect::{Database, DbError, OpenMode, Step, Target, VERSION_TABLE};
use crate::pipeline::Pipeline;
use crate::revision::VersionChange;
use crate::revision::graph::{Direction, GraphError, PlanStep};
use crate::revision::load::Revisions;

/// A failure of a migration command.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The config is unusable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The revisions or the target are wrong.
    #[error(transparent)]
    Graph(Box<GraphError>),
    /// The database failed outside a revision.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A revision failed; nothing of it was applied.
    #[error(transparent)]
    Revision(Box<RevisionFailed>),
}

/// A revision that failed to apply or revert.
#[derive(Debug, thiserror::Error)]
#[error("{direction} of revision {id} ({message}) failed, nothing of it was applied: {source}")]
pub struct RevisionFailed {
    /// `upgrade` or `downgrade`.
    pub direction: &'static str,
    /// The revision.
    pub id: String,
    /// Its message.
    pub message: String,
    /// The database's error.
    pub source: DbError,
}

impl From<GraphError> for RunError {
    fn from(e: GraphError) -> RunError {
        RunError::Graph(Box::new(e))
    }
}

/// Migrations of one database label of a pipeline.
#[derive(Debug)]
pub struct Migrator {
    label: String,
    target: Target,
    revisions: Revisions,
}

impl Migrator {
    /// Loads the revisions of `label` and finds its database. Fails on any revision-graph
    /// error before a database is opened.
    pub fn new(pipeline: &Pipeline, config: &Config, label: &str) -> Result<Migrator, RunError> {
        let target = config.database(label)?.clone();
        let revisions = Revisions::load(pipeline.plugins(), label)?;
        Ok(Migrator {
            label: label.to_string(),
            target,
            revisions,
        })
    }

    /// The database label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Where the database is.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The revisions of this label.
    pub fn revisions(&self) -> &Revisions {
        &self.revisions
    }

    /// The applied heads; empty when the database does not exist yet (which creates nothing).
    pub async fn current_heads(&self) -> Result<Vec<String>, RunError> {
        if !self.target.exists() {
            return Ok(Vec::new());
        }
        let mut db = Database::open(&self.target, OpenMode::ReadOnly).await?;
        Ok(db.current_heads().await?)
    }

    /// Applies the revisions up to `target` (`heads`, `head`, an id, `+N`, `<branch>@head`...).
    /// Returns the ids applied, in order.
    pub async fn upgrade(&self, target: &str) -> Result<Vec<String>, RunError> {
        let current = self.current_heads().await?;
        let plan = self.revisions.graph.upgrade(&current, target)?;
        self.run(plan).await
    }

    /// Reverts the revisions down to `target` (`base`, an id, `-N`, `<branch>@-N`...).
    /// Returns the ids reverted, in order.
    pub async fn downgrade(&self, target: &str) -> Result<Vec<String>, RunError> {
        let current = self.current_heads().await?;
        let plan = self.revisions.graph.downgrade(&current, target)?;
        self.run(plan).await
    }

    /// Sets the version table to `targets` without running any revision (`--purge` empties it
    /// first). Returns the changes made.
    pub async fn stamp(
        &self,
        targets: &[String],
        purge: bool,
    ) -> Result<Vec<VersionChange>, RunError> {
        let current = self.current_heads().await?;
        let changes = self.revisions.graph.stamp(&current, targets, purge)?;
        if changes.is_empty() && !matches!(self.target, crate::dialect::Target::Mysql(_)) {
            info!(
                "Nothing to do: the version table of '{}' already says that",
                self.label
            );
            return Ok(changes);
        }
        // On MySQL the step runs even without a change: it also clears the record of a
        // migration that stopped half-way, which `db stamp` is for after a repair by hand.
        let mut db = Database::open(&self.target, OpenMode::ReadWrite).await?;
        db.run_step(&Step {
            ops: &[],
            version: &changes,
            version_table: VERSION_TABLE,
        })
        .await?;
        for change in &changes {
            info!("Stamped: {change}");
        }
        Ok(changes)
    }

    async fn run(&self, plan: Vec<PlanStep>) -> Result<Vec<String>, RunError> {
        if plan.is_empty() {
            info!("Nothing to do: database '{}' is already there", self.label);
            return Ok(Vec::new());
        }
        let existed = self.target.exists();
        let result = self.apply(plan).await;
        if result.is_err() && !existed {
            // A first revision that failed leaves no empty database behind.
            self.target.remove_if_empty().await;
        }
        result
    }

    async fn apply(&self, plan: Vec<PlanStep>) -> Result<Vec<String>, RunError> {
        let mut db = Database::open(&self.target, OpenMode::ReadWrite).await?;
        let mut done = Vec::with_capacity(plan.len());
        for step in plan {
            let revision = self.revisions.get(&step.revision);
            let (direction, ops) = match step.direction {
                Direction::Up => ("upgrade", revision.upgrade_ops()),
                Direction::Down => ("downgrade", revision.downgrade_ops()),
            };
            info!(
                "Running {direction} {}, {}",
                self.arrow(&step),
                revision.message()
            );
            let run = Step {
                ops: &ops,
                version: &step.version,
                version_table: VERSION_TABLE,
            };
            db.run_step(&run).await.map_err(|source| {
                RunError::Revision(Box::new(RevisionFailed {
                    direction,
                    id: step.revision.clone(),
                    message: revision.message(),
                    source,
                }))
            })?;
            done.push(step.revision);
        }
        Ok(done)
    }

    /// `a -> b` as Alembic prints a step (parents joined by `, `; empty side for base).
    fn arrow(&self, step: &PlanStep) -> String {
        let parents = self
            .revisions
            .get(&step.revision)
            .embedded
            .down_revision
            .join(", ");
        match step.direction {
            Direction::Up => format!("{parents} -> {}", step.revision),
            Direction::Down => format!("{} -> {parents}", step.revision),
        }
    }
}

mod offline;

pub use offline::statements;

#[cfg(test)]
mod tests;
