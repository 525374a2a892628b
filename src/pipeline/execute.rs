//! Running a command: its tasks in order, each recorded as it starts and ends (unless the
//! command is untracked or this is a dry run).

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use super::Pipeline;
use super::context::Context;
use super::flow::{Command, Step, TaskFailure};
use super::track::{self, Tracker};
use crate::config::Config;
use crate::model::DEFAULT_DATABASE;
use crate::pipeline::framework::models::{OutflowRun, State};
use crate::store::{Databases, StoreError};

/// Why a command did not succeed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// The arguments do not parse into the command's type.
    #[error("{0}")]
    Args(#[from] clap::Error),
    /// A database could not be opened or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The framework's tables are missing.
    #[error(
        "database '{label}' has no run tables ({message}); run `db upgrade heads` before a tracked command"
    )]
    NotUpgraded {
        /// The label.
        label: String,
        /// The database's message.
        message: String,
    },
    /// A task returned an error or panicked.
    #[error("task '{task}' failed: {message}")]
    TaskFailed {
        /// The task.
        task: String,
        /// Its error, with causes.
        message: String,
    },
}

/// What a command runs with.
pub(crate) struct Invocation<'a> {
    pub pipeline: &'a Pipeline,
    pub plugin: &'a str,
    pub command: &'a Command,
    pub matches: &'a clap::ArgMatches,
    pub config: Config,
    pub runtime: Arc<tokio::runtime::Runtime>,
}

/// Runs the command's tasks in order.
pub(crate) fn run(invocation: Invocation<'_>) -> Result<(), PipelineError> {
    let Invocation {
        pipeline,
        plugin,
        command,
        matches,
        config,
        runtime,
    } = invocation;
    let (args, steps) = command.setup(matches)?;
    let dry_run = matches.get_flag("dry_run");
    let databases = Databases::new(config.clone(), runtime);
    let tracker = if command.is_tracked() && !dry_run {
        let tracker = Arc::new(start_tracking(
            pipeline, plugin, command, &steps, &databases,
        )?);
        watch_interrupts(tracker.clone());
        Some(tracker)
    } else {
        None
    };
    let mut ctx = Context {
        args: args.as_ref(),
        command: command.name(),
        config: &config,
        databases: (!dry_run).then_some(&databases),
        run_uuid: tracker.as_ref().map(|t| t.uuid.as_str()),
    };
    let began = Instant::now();
    let outcome = run_steps(&mut ctx, &steps, tracker.as_deref());
    if let Some(tracker) = &tracker {
        let state = if outcome.is_ok() {
            State::Success
        } else {
            State::Failed
        };
        tracker.finish(state)?;
        tracing::info!(
            "Run {} of '{}': {} in {:.2} s",
            tracker.uuid,
            command.name(),
            if outcome.is_ok() { "success" } else { "failed" },
            began.elapsed().as_secs_f64()
        );
    }
    databases.close();
    outcome
}

fn start_tracking(
    pipeline: &Pipeline,
    plugin: &str,
    command: &Command,
    steps: &[Step],
    databases: &Databases,
) -> Result<Tracker, PipelineError> {
    let db = databases.get(DEFAULT_DATABASE)?;
    if let Err(e) = db.select::<OutflowRun>().limit(1).all() {
        return Err(PipelineError::NotUpgraded {
            label: DEFAULT_DATABASE.to_string(),
            message: e.to_string(),
        });
    }
    let plugins: Vec<&str> = pipeline
        .catalog()
        .plugins()
        .iter()
        .map(|p| p.name())
        .collect();
    let settings = serde_json::json!({
        "plugins": plugins,
        "outflow_version": env!("CARGO_PKG_VERSION"),
    });
    let configuration = track::configuration(databases.config(), settings);
    Ok(Tracker::start(
        db,
        command.name(),
        plugin,
        steps,
        configuration,
    )?)
}

/// Each task in turn, its output the next one's input; the first failure stops the run.
fn run_steps(
    ctx: &mut Context<'_>,
    steps: &[Step],
    tracker: Option<&Tracker>,
) -> Result<(), PipelineError> {
    let mut value: Box<dyn Any> = Box::new(());
    for (index, step) in steps.iter().enumerate() {
        if let Some(t) = tracker {
            t.started(index)?;
        }
        tracing::info!("Running task '{}'", step.name);
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| (step.body)(ctx, value)))
            .unwrap_or_else(|panic| Err(panicked(panic)));
        match result {
            Ok(output) => {
                if let Some(t) = tracker {
                    t.ended(index, State::Success)?;
                }
                value = output;
            }
            Err(failure) => {
                if let Some(t) = tracker {
                    t.failed(index, &failure)?;
                    t.skipped_from(index + 1)?;
                }
                return Err(PipelineError::TaskFailed {
                    task: step.name.clone(),
                    message: track::causes(failure.error.as_ref()).join(": "),
                });
            }
        }
    }
    Ok(())
}

/// Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).
const INTERRUPTED: i32 = 130;

/// On Ctrl-C (SIGINT), records the run as failed (the running task failed, the others
/// skipped) and exits; a second Ctrl-C exits at once.
fn watch_interrupts(tracker: Arc<Tracker>) {
    std::thread::spawn(move || {
        let Ok(signals) = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
        else {
            return;
        };
        if signals.block_on(tokio::signal::ctrl_c()).is_err() {
            return;
        }
        std::thread::spawn(move || {
            tracing::warn!("Interrupted: recording run {} as failed", tracker.uuid);
            let failure = TaskFailure {
                type_name: "interrupt".to_string(),
                error: "interrupted by Ctrl-C (SIGINT)".into(),
            };
            if let Err(e) = tracker.interrupted(&failure) {
                tracing::error!("the interrupted run could not be recorded: {e}");
            }
            std::process::exit(INTERRUPTED);
        });
        let _ = signals.block_on(tokio::signal::ctrl_c());
        std::process::exit(INTERRUPTED);
    });
}

fn panicked(panic: Box<dyn Any + Send>) -> TaskFailure {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the task panicked".to_string());
    TaskFailure {
        type_name: "panic".to_string(),
        error: format!("panic: {message}").into(),
    }
}
