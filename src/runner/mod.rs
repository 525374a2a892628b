//! The runner: applies and reverts revisions on a database.
//!
//! Layer: above `config`, `dialect`, `revision`, `model`, `ops` and `schema`; it knows no
//! pipeline and no command line, and prints nothing (it logs through `tracing`).
//!
//! The version table holds one row per applied head, as Alembic's does. Every revision runs in
//! its own transaction together with its version-table change, so a failed revision leaves
//! nothing behind. Targets are resolved before the database is opened for writing: a bad
//! target or a graph error never touches the database.

use std::collections::BTreeSet;

use tracing::{info, warn};

use crate::config::{Config, ConfigError};
use crate::dialect::applied::LogEvent;
use crate::dialect::{
    Database, DbError, LockWait, LogEntry, LogRow, OpenMode, Step, StepEvent, Target, VERSION_TABLE,
};
use crate::model::Catalog;
use crate::ops::VersionChange;
use crate::revision::graph::{Direction, GraphError, PlanStep};
use crate::revision::load::Revisions;

pub use checksum::{EditedRevision, Verification, checksum};

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
    /// An applied revision was edited since it was applied.
    #[error(transparent)]
    Edited(Box<EditedRevision>),
    /// A revision of the plan cannot run as written (a backfill still to write, pasted SQL that
    /// is not one expression): refused before anything ran.
    #[error(
        "revision {id} ({message}) cannot run as written, nothing was applied: {reason}",
        id = .0.id,
        message = .0.message,
        reason = .0.source
    )]
    Unrunnable(Box<RevisionFailed>),
    /// A revision's function says it cannot run (`op.irreversible(..)`): refused before
    /// anything ran.
    #[error(
        "revision {id} ({message}) cannot be {done}: {reason}; nothing was applied: restore a backup taken before it was applied, or, if the schema is already as wanted, set the version with `db stamp`",
        id = .0.id,
        message = .0.message,
        done = .0.done,
        reason = .0.reason
    )]
    Irreversible(Box<Refused>),
    /// `--sql` over a revision that runs Rust code, which a script cannot hold.
    #[error(
        "revision {id} ({message}) cannot be written as SQL: {reason}; run `db {word}` against the database instead, or print the SQL of the revisions before it",
        id = .0.id,
        message = .0.message,
        word = .0.done,
        reason = .0.reason
    )]
    NotScriptable(Box<Refused>),
    /// `--update-checksums` named a revision that is not applied.
    #[error(
        "revision {0} is not applied: `db stamp --update-checksums` accepts the source of applied revisions only (see `db current`)"
    )]
    NotApplied(String),
}

/// A revision refused before anything ran, and why.
#[derive(Debug)]
pub struct Refused {
    /// The revision.
    pub id: String,
    /// Its message.
    pub message: String,
    /// `upgraded`/`downgraded`, or the command's verb (`upgrade`, `downgrade`).
    pub done: &'static str,
    /// Why.
    pub reason: String,
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

/// What a migration says as it goes, for a progress display: the plan's length once the
/// migration lock is held, then each revision as it starts and ends, then the end (also after
/// a failure).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressEvent<'a> {
    /// The number of revisions about to run.
    Planned {
        /// How many.
        steps: usize,
    },
    /// A revision starts: `Running upgrade a -> b, message`.
    Step {
        /// What it does.
        title: &'a str,
    },
    /// The revision that started is applied.
    Done,
    /// The migration is over.
    Finished,
}

/// Where a [`Migrator`] reports its [`ProgressEvent`]s.
pub type Progress = std::sync::Arc<dyn Fn(ProgressEvent<'_>) + Send + Sync>;

/// Migrations of one database label of a pipeline.
#[derive(Debug)]
pub struct Migrator {
    label: String,
    target: Target,
    revisions: Revisions,
    lock_wait: LockWait,
    progress: Reporter,
}

/// The optional progress callback (a closure has no `Debug`).
#[derive(Default)]
struct Reporter(Option<Progress>);

impl Reporter {
    fn say(&self, event: ProgressEvent<'_>) {
        if let Some(progress) = &self.0 {
            progress(event);
        }
    }
}

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Reporter(set)"
        } else {
            "Reporter(none)"
        })
    }
}

impl Migrator {
    /// Loads the revisions of `label` and finds its database. Fails on any revision-graph
    /// error before a database is opened.
    pub fn new(catalog: &Catalog, config: &Config, label: &str) -> Result<Migrator, RunError> {
        let target = config.database(label)?.clone();
        let revisions = Revisions::load(catalog.revision_sets(), label)?;
        Ok(Migrator {
            label: label.to_string(),
            target,
            revisions,
            lock_wait: LockWait::DEFAULT,
            progress: Reporter::default(),
        })
    }

    /// Reports the progress of `upgrade` and `downgrade` to `progress`.
    pub fn progress(mut self, progress: Progress) -> Migrator {
        self.progress = Reporter(Some(progress));
        self
    }

    /// How long `upgrade`, `downgrade` and `stamp` wait for the migration lock.
    pub fn lock_wait(mut self, wait: LockWait) -> Migrator {
        self.lock_wait = wait;
        self
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
        Ok(self.read_state().await?.0)
    }

    /// The applied heads and the applied log, read without writing anything.
    async fn read_state(&self) -> Result<(Vec<String>, Vec<LogRow>), RunError> {
        if !self.target.exists() {
            return Ok((Vec::new(), Vec::new()));
        }
        let mut db = Database::open(&self.target, OpenMode::ReadOnly).await?;
        Ok((db.current_heads().await?, db.applied_log().await?))
    }

    /// Every row of the applied log, oldest first (empty when there is no database yet).
    pub async fn applied_log(&self) -> Result<Vec<LogRow>, RunError> {
        Ok(self.read_state().await?.1)
    }

    /// Compares the applied revisions with the checksums the applied log recorded for them.
    pub async fn verify(&self) -> Result<Verification, RunError> {
        let (current, log) = self.read_state().await?;
        Ok(checksum::verify(&self.revisions, &current, &log))
    }

    /// Applies the revisions up to `target` (`heads`, `head`, an id, `+N`, `<branch>@head`...).
    /// Returns the ids applied, in order.
    pub async fn upgrade(&self, target: &str) -> Result<Vec<String>, RunError> {
        self.migrate(|current| {
            let target = self.pipeline_step(target, current);
            self.revisions.graph.upgrade(current, &target)
        })
        .await
    }

    /// Reverts the revisions down to `target` (`base`, an id, `-N`, `<branch>@-N`...).
    /// Returns the ids reverted, in order.
    pub async fn downgrade(&self, target: &str) -> Result<Vec<String>, RunError> {
        self.migrate(|current| {
            let target = self.pipeline_step(target, current);
            self.revisions.graph.downgrade(current, &target)
        })
        .await
    }

    /// Reverts exactly revision `id` (a full id) and what the database applied on top of it,
    /// leaving every other applied revision in place. Returns the ids reverted, in order.
    pub async fn revert(&self, id: &str) -> Result<Vec<String>, RunError> {
        self.migrate(|current| self.revisions.graph.revert(current, id))
            .await
    }

    /// `-N` and `+N` step from the pipeline's applied head when the only other applied head
    /// is the framework's own branch (`outflow`), which moves only with `heads`, `base` or its
    /// own name: `db downgrade -1` undoes the plugin's last revision, as in the tutorial.
    fn pipeline_step(&self, target: &str, current: &[String]) -> String {
        let relative = target
            .strip_prefix(['-', '+'])
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if !relative || current.len() < 2 {
            return target.to_string();
        }
        let framework = |id: &String| {
            self.revisions
                .by_id
                .get(id)
                .is_some_and(|r| r.plugin == crate::model::FRAMEWORK_PLUGIN)
        };
        let pipeline: Vec<&String> = current.iter().filter(|id| !framework(id)).collect();
        match pipeline.as_slice() {
            [only] if current.iter().any(framework) => format!("{only}@{target}"),
            _ => target.to_string(),
        }
    }

    /// Plans from the current heads and runs the plan under the migration lock. Everything is
    /// checked read-only first (target, graph, edited revisions), so that a refusal never
    /// opens the database for writing; then again under the lock, where the heads may have
    /// moved (another process migrated meanwhile).
    async fn migrate(
        &self,
        plan_for: impl Fn(&[String]) -> Result<Vec<PlanStep>, GraphError>,
    ) -> Result<Vec<String>, RunError> {
        let (current, log) = self.read_state().await?;
        let plan = plan_for(&current)?;
        self.refuse_edited(&current, &log)?;
        refuse_unrunnable(&self.plan(plan.clone()))?;
        if plan.is_empty() {
            info!("Nothing to do: database '{}' is already there", self.label);
            return Ok(Vec::new());
        }
        let existed = self.target.exists();
        let result = self
            .locked(async |db| {
                let current = db.current_heads().await?;
                self.refuse_edited(&current, &db.applied_log().await?)?;
                let plan = plan_for(&current)?;
                if plan.is_empty() {
                    info!(
                        "Nothing to do: another process brought '{}' there",
                        self.label
                    );
                }
                self.apply(db, self.plan(plan), existed).await
            })
            .await;
        if result.is_err() && !existed {
            // A first revision that failed leaves no empty database behind.
            self.target.remove_if_empty().await;
        }
        result
    }

    fn refuse_edited(&self, current: &[String], log: &[LogRow]) -> Result<(), RunError> {
        match checksum::verify(&self.revisions, current, log)
            .edited
            .into_iter()
            .next()
        {
            Some(edited) => Err(RunError::Edited(Box::new(edited))),
            None => Ok(()),
        }
    }

    /// Opens the database for writing, takes the migration lock, runs `body`, and releases the
    /// lock whatever happened.
    async fn locked<T>(
        &self,
        body: impl AsyncFnOnce(&mut Database) -> Result<T, RunError>,
    ) -> Result<T, RunError> {
        let mut db = Database::open(&self.target, OpenMode::ReadWrite).await?;
        db.lock(self.lock_wait).await?;
        let result = body(&mut db).await;
        let released = db.unlock().await;
        db.close().await;
        let value = result?;
        released?;
        Ok(value)
    }

    /// Sets the version table to `targets` without running any revision (`--purge` empties it
    /// first). Returns the changes made.
    pub async fn stamp(
        &self,
        targets: &[String],
        purge: bool,
    ) -> Result<Vec<VersionChange>, RunError> {
        let graph = &self.revisions.graph;
        let changes = graph.stamp(&self.current_heads().await?, targets, purge)?;
        // On MySQL the step runs even without a change: it also clears the record of a
        // migration that stopped half-way, which `db stamp` is for after a repair by hand.
        if changes.is_empty() && !self.target.steps_stop_half_way() {
            info!(
                "Nothing to do: the version table of '{}' already says that",
                self.label
            );
            return Ok(changes);
        }
        let changes = self
            .locked(async |db| {
                let current = db.current_heads().await?;
                let changes = graph.stamp(&current, targets, purge)?;
                let log = self.stamped(&current, &changes);
                db.run_step(&Step {
                    ops: &[],
                    version: &changes,
                    version_table: VERSION_TABLE,
                    log: &log,
                })
                .await?;
                Ok(changes)
            })
            .await?;
        for change in &changes {
            info!("Stamped: {change}");
        }
        Ok(changes)
    }

    /// Log entries for the revisions a stamp marks applied: those the new heads need and the
    /// old ones did not.
    fn stamped(&self, current: &[String], changes: &[VersionChange]) -> Vec<LogEntry> {
        let before: BTreeSet<&str> = checksum::applied(&self.revisions, current)
            .into_iter()
            .collect();
        let after = crate::ops::version::heads_after(current, changes);
        checksum::applied(&self.revisions, &after)
            .into_iter()
            .filter(|id| !before.contains(id))
            .map(|id| self.entry(id, LogEvent::Stamp))
            .collect()
    }

    /// Accepts the current source of applied revisions (`db stamp --update-checksums`).
    /// Returns the ids accepted. The targets are checked read-only first, then again under the
    /// lock.
    pub async fn update_checksums(&self, targets: &[String]) -> Result<Vec<String>, RunError> {
        self.applied_targets(&self.current_heads().await?, targets)?;
        self.locked(async |db| {
            let ids = self.applied_targets(&db.current_heads().await?, targets)?;
            let entries: Vec<LogEntry> = ids
                .iter()
                .map(|id| self.entry(id, LogEvent::Checksum))
                .collect();
            db.log_applied(&entries).await?;
            for id in &ids {
                info!("Accepted the current source of revision {id}");
            }
            Ok(ids)
        })
        .await
    }

    /// The revisions `targets` designate, each of which must be applied.
    fn applied_targets(
        &self,
        current: &[String],
        targets: &[String],
    ) -> Result<Vec<String>, RunError> {
        let applied: BTreeSet<&str> = checksum::applied(&self.revisions, current)
            .into_iter()
            .collect();
        let mut ids = BTreeSet::new();
        for target in targets {
            for id in self.revisions.graph.resolve(target, current)? {
                if !applied.contains(id.as_str()) {
                    return Err(RunError::NotApplied(id));
                }
                ids.insert(id);
            }
        }
        Ok(ids.into_iter().collect())
    }

    fn entry(&self, id: &str, direction: LogEvent) -> LogEntry {
        LogEntry {
            revision: id.to_string(),
            direction,
            checksum: checksum::checksum(self.revisions.get(id).embedded.source),
        }
    }

    async fn apply(
        &self,
        db: &mut Database,
        plan: Plan,
        existed: bool,
    ) -> Result<Vec<String>, RunError> {
        self.progress.say(ProgressEvent::Planned {
            steps: plan.steps.len(),
        });
        let result = self.apply_steps(db, plan, existed).await;
        self.progress.say(ProgressEvent::Finished);
        result
    }

    async fn apply_steps(
        &self,
        db: &mut Database,
        plan: Plan,
        existed: bool,
    ) -> Result<Vec<String>, RunError> {
        let steps: Vec<Step<'_>> = plan.steps.iter().map(PlannedStep::step).collect();
        let mut done = Vec::with_capacity(plan.steps.len());
        let ran = db
            .run_steps(&steps, &mut |event| match event {
                StepEvent::Started(index) => {
                    let title = plan.steps[index].title();
                    info!("{title}");
                    self.progress.say(ProgressEvent::Step { title: &title });
                }
                StepEvent::Applied { index, took } => {
                    let step = &plan.steps[index];
                    info!(
                        "Revision {} {}d in {} ms",
                        step.revision,
                        step.word(),
                        took.as_millis()
                    );
                    self.progress.say(ProgressEvent::Done);
                    done.push(step.revision.clone());
                }
            })
            .await;
        let Err(failed) = ran else {
            return Ok(done);
        };
        let step = &plan.steps[failed.index];
        if existed {
            let error = failed.error.to_string();
            if let Err(e) = db.log_failure(&step.log[0], failed.took, &error).await {
                warn!("The failure could not be recorded in the applied log: {e}");
            }
        }
        Err(RunError::Revision(Box::new(RevisionFailed {
            direction: step.word(),
            id: step.revision.clone(),
            message: step.message.clone(),
            source: failed.error,
        })))
    }
}

mod checksum;
mod lint;
mod offline;
mod plan;

pub use lint::Reported;
pub use plan::{Plan, PlannedStep};

/// Refuses, before anything runs, a plan with a step no database can run (a backfill still
/// to write, pasted SQL that is not one expression), naming the revision.
fn refuse_unrunnable(plan: &Plan) -> Result<(), RunError> {
    for step in plan.steps.iter().cloned() {
        if let Some(reason) = &step.irreversible {
            return Err(RunError::Irreversible(Box::new(Refused {
                done: match step.direction {
                    Direction::Up => "upgraded",
                    Direction::Down => "downgraded",
                },
                reason: reason.clone(),
                id: step.revision,
                message: step.message,
            })));
        }
        if let Err(source) = crate::dialect::expr::check_pasted_text(&step.ops, false) {
            return Err(RunError::Unrunnable(Box::new(RevisionFailed {
                direction: step.word(),
                id: step.revision,
                message: step.message,
                source: source.into(),
            })));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
