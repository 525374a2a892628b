//! Commands and their tasks: a [`Command`] has clap arguments and builds a [`Workflow`], a
//! chain of [`Task`]s in which each task's output is the next one's input, checked by the
//! compiler.

use std::any::Any;
use std::marker::PhantomData;
use std::sync::Arc;

use serde_json::json;

use super::Context;

/// What a task returns when it fails: any error (`anyhow::Error`, `std::io::Error`, ...).
pub type TaskError = Box<dyn std::error::Error + Send + Sync>;

/// Why a task stopped: its error, and the error's Rust type.
#[derive(Debug)]
pub struct TaskFailure {
    /// The error's type name (`panic` for a panic).
    pub type_name: String,
    /// The error, with its chain of causes.
    pub error: TaskError,
}

type Erased = Box<dyn Any>;
type Body = Arc<dyn Fn(&mut Context<'_>, Erased) -> Result<Erased, TaskFailure>>;

/// One step of a workflow: a function from its input to its output.
///
/// ```
/// use outflow::pipeline::{Context, Task};
///
/// fn compute(ctx: &mut Context, raw_data: i32) -> Result<i32, std::num::TryFromIntError> {
///     Ok(raw_data * 2)
/// }
///
/// let task = Task::new("compute", compute)
///     .input("raw_data")
///     .output("computation_result");
/// assert_eq!(task.name(), "compute");
/// ```
pub struct Task<I, O> {
    step: Step,
    _types: PhantomData<fn(I) -> O>,
}

/// A task with its types erased, as a workflow runs it.
#[derive(Clone)]
pub(crate) struct Step {
    pub name: String,
    pub input: Option<(String, &'static str)>,
    pub output: Option<(String, &'static str)>,
    pub body: Body,
}

impl<I: 'static, O: 'static> Task<I, O> {
    /// A task called `name` (its block's name in `outflow_block`) running `f`.
    pub fn new<F, E>(name: &str, f: F) -> Task<I, O>
    where
        F: Fn(&mut Context<'_>, I) -> Result<O, E> + 'static,
        E: Into<TaskError> + 'static,
    {
        let body: Body = Arc::new(move |ctx, input| {
            let input = *input
                .downcast::<I>()
                .expect("the workflow's types are checked when it is built");
            match f(ctx, input) {
                Ok(output) => Ok(Box::new(output) as Erased),
                Err(e) => Err(TaskFailure {
                    type_name: std::any::type_name::<E>().to_string(),
                    error: e.into(),
                }),
            }
        });
        let target = |ty: &'static str| (ty != "()").then(|| ("input".to_string(), ty));
        let step = Step {
            name: name.to_string(),
            input: target(std::any::type_name::<I>()),
            output: target(std::any::type_name::<O>()).map(|(_, t)| ("output".to_string(), t)),
            body,
        };
        Task {
            step,
            _types: PhantomData,
        }
    }

    /// Names the input target (recorded in `outflow_block.input_targets`).
    pub fn input(mut self, name: &str) -> Self {
        if let Some(target) = &mut self.step.input {
            target.0 = name.to_string();
        }
        self
    }

    /// Names the output target (recorded in `outflow_block.output_targets`).
    pub fn output(mut self, name: &str) -> Self {
        if let Some(target) = &mut self.step.output {
            target.0 = name.to_string();
        }
        self
    }

    /// The task's name.
    pub fn name(&self) -> &str {
        &self.step.name
    }
}

impl Step {
    /// `{"name": {"type": "i32"}}`, or `{}`.
    pub fn targets(target: &Option<(String, &'static str)>) -> serde_json::Value {
        match target {
            Some((name, ty)) => json!({ name.as_str(): { "type": ty } }),
            None => json!({}),
        }
    }
}

/// Tasks run in order, each output feeding the next task.
///
/// ```
/// use outflow::pipeline::{Context, Task, Workflow};
///
/// fn gen_data(_: &mut Context, _: ()) -> Result<i32, std::convert::Infallible> {
///     Ok(42)
/// }
/// fn print_data(_: &mut Context, value: i32) -> Result<(), std::convert::Infallible> {
///     println!("{value}");
///     Ok(())
/// }
///
/// let flow = Workflow::new()
///     .then(Task::new("gen_data", gen_data))
///     .then(Task::new("print_data", print_data));
/// assert_eq!(flow.task_names(), ["gen_data", "print_data"]);
/// ```
pub struct Workflow<O> {
    pub(crate) steps: Vec<Step>,
    _output: PhantomData<fn() -> O>,
}

impl Workflow<()> {
    /// An empty workflow, whose first task takes `()`.
    pub fn new() -> Workflow<()> {
        Workflow {
            steps: Vec::new(),
            _output: PhantomData,
        }
    }
}

impl Default for Workflow<()> {
    fn default() -> Self {
        Workflow::new()
    }
}

impl<O: 'static> Workflow<O> {
    /// Adds `task`, which takes this workflow's output.
    pub fn then<N: 'static>(mut self, task: Task<O, N>) -> Workflow<N> {
        self.steps.push(task.step);
        Workflow {
            steps: self.steps,
            _output: PhantomData,
        }
    }

    /// The tasks' names, in order.
    pub fn task_names(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.name.as_str()).collect()
    }

    pub(crate) fn erase(self) -> Vec<Step> {
        self.steps
    }
}

type Setup = Arc<dyn Fn(&clap::ArgMatches) -> Result<(Erased, Vec<Step>), clap::Error>>;

/// A command of the pipeline's command line: its arguments (a clap `Args` struct) and the
/// workflow it runs, built from them.
///
/// ```
/// use outflow::pipeline::{Command, Context, Task, Workflow};
///
/// #[derive(clap::Args)]
/// struct ComputeArgs {
///     #[arg(long)]
///     multiplier: i32,
/// }
///
/// fn double(ctx: &mut Context, _: ()) -> Result<i32, std::convert::Infallible> {
///     Ok(2 * ctx.args::<ComputeArgs>().multiplier)
/// }
///
/// let command = Command::new("compute_data", |_: &ComputeArgs| {
///     Workflow::new().then(Task::new("double", double))
/// })
/// .about("Doubles the multiplier");
/// assert_eq!(command.name(), "compute_data");
/// ```
#[derive(Clone)]
pub struct Command {
    name: String,
    about: Option<String>,
    db_untracked: bool,
    arguments: fn(clap::Command) -> clap::Command,
    setup: Setup,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Command")
            .field("name", &self.name)
            .field("db_untracked", &self.db_untracked)
            .finish_non_exhaustive()
    }
}

impl Command {
    /// A command called `name` whose arguments are `A` and whose tasks `setup_tasks` chains.
    pub fn new<A, O, F>(name: &str, setup_tasks: F) -> Command
    where
        A: clap::Args + clap::FromArgMatches + 'static,
        O: 'static,
        F: Fn(&A) -> Workflow<O> + 'static,
    {
        let setup: Setup = Arc::new(move |matches| {
            let args = A::from_arg_matches(matches)?;
            let steps = setup_tasks(&args).erase();
            Ok((Box::new(args) as Erased, steps))
        });
        Command {
            name: name.to_string(),
            about: None,
            db_untracked: false,
            arguments: A::augment_args,
            setup,
        }
    }

    /// The help line of the command.
    pub fn about(mut self, text: &str) -> Command {
        self.about = Some(text.to_string());
        self
    }

    /// Runs without recording anything in the database (no run, no block rows); tasks still
    /// have their databases.
    pub fn db_untracked(mut self) -> Command {
        self.db_untracked = true;
        self
    }

    /// The command's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether runs of it are recorded.
    pub fn is_tracked(&self) -> bool {
        !self.db_untracked
    }

    /// The clap subcommand: the arguments, plus `--dry-run`.
    pub(crate) fn clap(&self) -> clap::Command {
        let mut command = (self.arguments)(clap::Command::new(self.name.clone())).arg(
            clap::Arg::new("dry_run")
                .long("dry-run")
                .action(clap::ArgAction::SetTrue)
                .help("Run the tasks without any database: nothing is read, written or recorded"),
        );
        if let Some(about) = &self.about {
            command = command.about(about.clone());
        }
        command
    }

    /// The parsed arguments and the tasks to run.
    pub(crate) fn setup(
        &self,
        matches: &clap::ArgMatches,
    ) -> Result<(Box<dyn Any>, Vec<Step>), clap::Error> {
        (self.setup)(matches)
    }
}
