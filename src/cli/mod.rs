//! The command line: a thin clap layer over the library, reachable from any pipeline's `main`
//! with `outflow::pipeline!().plugin(..).run()`.
//!
//! Exit codes: 0 ok, 1 differences found (`db check`, `db diff`), 2 usage or input error,
//! 3 database error. Errors are one line on stderr, starting with `error:`.

mod db;
mod error;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use error::CliError;

use crate::config::Config;
use crate::pipeline::Pipeline;

/// Command line of a pipeline.
#[derive(Debug, Parser)]
#[command(version, about = "An Outflow pipeline", propagate_version = true)]
pub struct Cli {
    /// Pipeline root: where config.yml is and relative database paths start [default: the
    /// current directory]
    #[arg(long, global = true, env = "OUTFLOW_ROOT", value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Config file [default: <root>/config.yml]
    #[arg(long, global = true, env = "OUTFLOW_CONFIG_PATH", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Say more (debug logs, unmanaged tables)
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Database and migrations
    #[command(subcommand)]
    Db(db::DbCommand),
}

/// Parses the process arguments, runs the command and returns the exit code.
pub fn main(pipeline: Pipeline) -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    init_logging(cli.verbose);
    match run(cli, &pipeline) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Runs a parsed command line; `Ok` carries the exit code (0, or 1 when differences were
/// found).
pub fn run(cli: Cli, pipeline: &Pipeline) -> Result<u8, CliError> {
    let root = match &cli.root {
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
    let config = Config::load(&root, cli.config.as_deref())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start the async runtime: {e}")))?;
    match cli.command {
        Command::Db(command) => runtime.block_on(db::run(command, pipeline, &config, cli.verbose)),
    }
}

fn init_logging(verbose: bool) {
    use tracing_subscriber::EnvFilter;
    let default = if verbose {
        "debug,sqlx=warn"
    } else {
        "info,sqlx=warn"
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .with_target(false)
        .try_init();
}
