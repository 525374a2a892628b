//! The plan as data: what a migration command will do, decided before anything runs, and the
//! one value `upgrade`/`downgrade` run, `--sql` prints and a linter reads.
//!
//! A plan holds each step (a revision in one direction) with the operations it runs, the
//! version-table changes and applied-log entries that go with them, and where it commits:
//! each step is one transaction where the database allows it (SQLite, PostgreSQL), statement
//! by statement on MySQL, always under the migration lock of the database. Each dialect
//! renders a step's statements with one planner: `--sql` against the schema the revisions
//! build, `upgrade` against the database as it is when the step runs (see `ARCHITECTURE.md`,
//! "The plan is data").

use super::Migrator;
use crate::dialect::applied::LogEvent;
use crate::dialect::script::ScriptStep;
use crate::dialect::{LogEntry, Step, VERSION_TABLE};
use crate::ops::{Operation, VersionChange};
use crate::revision::graph::{Direction, PlanStep};

/// Every step of a migration command, in the order they run.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The steps.
    pub steps: Vec<PlannedStep>,
}

/// One revision applied or reverted.
#[derive(Debug, Clone)]
pub struct PlannedStep {
    /// The revision.
    pub revision: String,
    /// Up (its `upgrade`) or down (its `downgrade`).
    pub direction: Direction,
    /// `upgrade a -> b` or `downgrade b -> a`, as Alembic prints it.
    pub arrow: String,
    /// The revision's message.
    pub message: String,
    /// The operations.
    pub ops: Vec<Operation>,
    /// The version-table changes, made with the operations.
    pub version: Vec<VersionChange>,
    /// What the applied log records when the step succeeds.
    pub log: Vec<LogEntry>,
    /// Why the function cannot run, when it says so (`op.irreversible(..)`): the step is
    /// refused before anything runs.
    pub irreversible: Option<String>,
}

impl PlannedStep {
    /// `upgrade` or `downgrade`.
    pub fn word(&self) -> &'static str {
        match self.direction {
            Direction::Up => "upgrade",
            Direction::Down => "downgrade",
        }
    }

    /// `Running upgrade a -> b, message`: what the step says when it runs.
    pub fn title(&self) -> String {
        format!("Running {} {}, {}", self.word(), self.arrow, self.message)
    }

    /// The step as a dialect runs it.
    pub fn step(&self) -> Step<'_> {
        Step {
            ops: &self.ops,
            version: &self.version,
            version_table: VERSION_TABLE,
            log: &self.log,
        }
    }

    /// The first data step (Rust code) of the step, which no SQL script can hold.
    pub fn data_step(&self) -> Option<&str> {
        self.ops.iter().find_map(|op| match op {
            Operation::RunRust(data) => Some(data.name.as_str()),
            _ => None,
        })
    }

    /// The step as a script writes it.
    pub fn script_step(&self) -> ScriptStep<'_> {
        ScriptStep {
            title: self.title(),
            ops: &self.ops,
            version: &self.version,
        }
    }
}

impl Migrator {
    /// The plan of the graph's steps: each revision's operations in its direction, with its
    /// version-table changes and log entry.
    pub(crate) fn plan(&self, steps: Vec<PlanStep>) -> Plan {
        let steps = steps
            .into_iter()
            .map(|step| {
                let revision = self.revisions.get(&step.revision);
                let (recorded, event) = match step.direction {
                    Direction::Up => (revision.upgrade_recorded(), LogEvent::Upgrade),
                    Direction::Down => (revision.downgrade_recorded(), LogEvent::Downgrade),
                };
                let irreversible = recorded.irreversible_reason().map(str::to_string);
                let ops = recorded.into_vec();
                PlannedStep {
                    irreversible,
                    arrow: self.arrow(&step),
                    message: revision.message(),
                    log: vec![self.entry(&step.revision, event)],
                    ops,
                    direction: step.direction,
                    version: step.version,
                    revision: step.revision,
                }
            })
            .collect();
        Plan { steps }
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
