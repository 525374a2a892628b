//! The command line: a thin clap layer over the library, reachable from any pipeline's `main`
//! with `outflow::pipeline!().plugin(..).run()`.
//!
//! Layer: the top. It may use every module, and only it prints (results on stdout, errors
//! on stderr).
//!
//! Exit codes: 0 ok, 1 differences found (`db check`, `db diff`), 2 usage or input error,
//! 3 database error. Errors are one line on stderr, starting with `error:`.

mod completions;
mod db;
mod error;
mod logging;
pub(crate) mod output;
mod progress;
mod runs;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

pub use error::CliError;

use crate::config::Config;
use crate::pipeline::Pipeline;

/// Command line of a pipeline.
#[derive(Debug, Parser)]
#[command(
    version,
    about = "An Outflow pipeline",
    after_help = "Examples: `db make_migrations -m \"Add a table\"`, `db upgrade heads`, `db history --json`",
    propagate_version = true
)]
pub struct Cli {
    /// Pipeline root: where config.yml is and relative database paths start [default: the
    /// current directory]
    #[arg(
        long,
        global = true,
        env = "OUTFLOW_ROOT",
        hide_env_values = true,
        value_name = "DIR"
    )]
    pub root: Option<PathBuf>,
    /// Config file [default: <root>/config.yml]
    #[arg(
        long,
        global = true,
        env = "OUTFLOW_CONFIG_PATH",
        hide_env_values = true,
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,
    /// Say more: -v each SQL statement with its duration and the unmanaged tables, -vv
    /// everything (RUST_LOG, when set, decides instead)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Colour in logs and progress: auto (on a terminal, unless NO_COLOR is set), always,
    /// never
    #[arg(long, global = true, value_enum, default_value_t = logging::Color::Auto, value_name = "WHEN")]
    pub color: logging::Color,
    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Database and migrations
    ///
    /// Example: `db upgrade heads`
    #[command(subcommand)]
    Db(db::DbCommand),
    /// The most recent runs recorded in the database, newest first
    ///
    /// Example: `list_runs -n 5 --json`
    #[command(name = "list_runs")]
    ListRuns(runs::ListRuns),
    /// Print a completion script for a shell, offering this build's revisions
    ///
    /// Example: `echo 'source <(my_pipeline completions bash)' >> ~/.bashrc`
    Completions(completions::Completions),
}

/// The built-in commands, which a plugin's command may not shadow.
const BUILT_IN: [&str; 4] = ["db", "list_runs", "completions", "help"];

/// The command line of a pipeline whose sources are the calling crate's (its `schema/` folder
/// is written there): `outflow::pipeline!().plugin(...).run()`.
#[macro_export]
macro_rules! pipeline {
    () => {
        $crate::cli::App::new($crate::Pipeline::new(env!("CARGO_MANIFEST_DIR")))
    };
}

/// A pipeline's command line: what `outflow::pipeline!()` makes, `.plugin(...)` fills and
/// `.run()` runs.
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     outflow::pipeline!()
///         .plugin(outflow::Plugin::new("tuto.data_reduction"))
///         .run()
/// }
/// ```
#[derive(Debug, Clone)]
pub struct App {
    pipeline: Pipeline,
}

impl App {
    /// The command line of `pipeline`.
    pub fn new(pipeline: Pipeline) -> App {
        App { pipeline }
    }

    /// Adds a plugin to the pipeline.
    pub fn plugin(self, plugin: crate::Plugin) -> App {
        App {
            pipeline: self.pipeline.plugin(plugin),
        }
    }

    /// The pipeline.
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// The pipeline, for `outflow::testing` in a pipeline's tests.
    pub fn into_pipeline(self) -> Pipeline {
        self.pipeline
    }

    /// Parses the process arguments, runs the command and returns the exit code.
    pub fn run(self) -> ExitCode {
        main(self.pipeline)
    }
}

/// Parses the process arguments, runs the command and returns the exit code.
pub fn main(pipeline: Pipeline) -> ExitCode {
    let app = match command_line(&pipeline) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(e.exit_code());
        }
    };
    let matches = match app.try_get_matches() {
        Ok(matches) => matches,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    logging::init(
        matches.get_count("verbose"),
        matches
            .get_one::<logging::Color>("color")
            .copied()
            .unwrap_or_default(),
    );
    match run_matches(&matches, &pipeline) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// The command line: the built-in commands and every plugin's.
fn command_line(pipeline: &Pipeline) -> Result<clap::Command, CliError> {
    let mut app = Cli::command();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (plugin, command) in pipeline.commands() {
        let name = command.name();
        if BUILT_IN.contains(&name) {
            return Err(CliError::Usage(format!(
                "command '{name}' of plugin '{plugin}' has the name of a built-in command; rename it"
            )));
        }
        if let Some((_, other)) = seen.iter().find(|(n, _)| *n == name) {
            return Err(CliError::Usage(format!(
                "command '{name}' is declared by plugins '{other}' and '{plugin}'; rename one"
            )));
        }
        seen.push((name, plugin));
        app = app.subcommand(command.clap());
    }
    Ok(app)
}

/// Runs the parsed command line: a plugin's command, or a built-in one.
fn run_matches(matches: &clap::ArgMatches, pipeline: &Pipeline) -> Result<u8, CliError> {
    if let Some((name, sub)) = matches.subcommand()
        && let Some((plugin, command)) = pipeline.find_command(name)
    {
        let (config, runtime) = prepare(
            matches.get_one::<PathBuf>("root"),
            matches.get_one::<PathBuf>("config").map(PathBuf::as_path),
        )?;
        crate::pipeline::execute::run(crate::pipeline::execute::Invocation {
            pipeline,
            plugin,
            command,
            matches: sub,
            config,
            runtime,
        })?;
        return Ok(0);
    }
    let cli = Cli::from_arg_matches(matches).map_err(|e| CliError::Usage(e.to_string()))?;
    run(cli, pipeline)
}

/// The config and the runtime every command needs.
fn prepare(
    root: Option<&PathBuf>,
    config: Option<&std::path::Path>,
) -> Result<(Config, Arc<tokio::runtime::Runtime>), CliError> {
    let root = match root {
        Some(root) => root.clone(),
        None => std::env::current_dir()
            .map_err(|e| CliError::Usage(format!("cannot read the current directory: {e}")))?,
    };
    if !root.is_dir() {
        return Err(CliError::Usage(format!(
            "pipeline root {} is not a directory; fix --root or OUTFLOW_ROOT",
            root.display()
        )));
    }
    let config = Config::load(&root, config)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start the async runtime: {e}")))?;
    Ok((config, Arc::new(runtime)))
}

/// Runs a parsed built-in command; `Ok` carries the exit code (0, or 1 when differences were
/// found).
pub fn run(cli: Cli, pipeline: &Pipeline) -> Result<u8, CliError> {
    if let Command::Completions(args) = &cli.command {
        // Needs no config: it may run before the pipeline has one.
        let app = command_line(pipeline)?;
        let name = std::env::args_os()
            .next()
            .map(PathBuf::from)
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| app.get_name().to_string());
        completions::write(
            args.shell,
            app,
            &name,
            pipeline.catalog(),
            &mut std::io::stdout(),
        );
        return Ok(0);
    }
    let (config, runtime) = prepare(cli.root.as_ref(), cli.config.as_deref())?;
    match cli.command {
        Command::Db(command) => {
            runtime.block_on(db::run(command, pipeline, &config, cli.verbose > 0))
        }
        Command::ListRuns(args) => runs::list(&args, config, runtime),
        Command::Completions(_) => unreachable!("answered before the config is read"),
    }
}

#[cfg(test)]
mod tests;
