//! `db ...`: migrations and schema commands.

use clap::{Args, Subcommand};

use super::CliError;
use crate::autogen::{Autogen, CheckReport, Request};
use crate::config::Config;
use crate::dialect::{Database, OpenMode};
use crate::model::DEFAULT_DATABASE;
use crate::pipeline::Pipeline;
use crate::runner::Migrator;

mod diff;
mod show;

/// The database label option every command shares.
#[derive(Debug, Clone, Args)]
pub struct Label {
    /// Database label (a key of `databases:` in config.yml)
    #[arg(long = "db-label", short = 'd', default_value = DEFAULT_DATABASE, value_name = "LABEL")]
    pub db_label: String,
}

/// Migration commands.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Compare the models with the database and write a revision for each plugin with changes
    #[command(name = "make_migrations", visible_alias = "make-migrations")]
    MakeMigrations {
        /// Only this plugin (may be left out when one plugin has models)
        #[arg(long, short)]
        plugin: Option<String>,
        /// What the revision does (its first header line and file name)
        #[arg(long, short)]
        message: String,
        /// Write a revision even when nothing changed
        #[arg(long)]
        empty: bool,
        /// Use this id instead of a random one
        #[arg(long, value_name = "ID")]
        rev_id: Option<String>,
        #[command(flatten)]
        label: Label,
    },
    /// Apply revisions up to a target: heads (default), head, <rev>, +N, <branch>@head
    Upgrade {
        /// Target revision
        #[arg(default_value = "heads", allow_hyphen_values = true)]
        target: String,
        #[command(flatten)]
        label: Label,
    },
    /// Revert revisions down to a target: -N, base, <rev>, <branch>@-N
    Downgrade {
        /// Target revision
        #[arg(allow_hyphen_values = true)]
        target: String,
        #[command(flatten)]
        label: Label,
    },
    /// Show the revisions the database is at
    Current {
        #[command(flatten)]
        label: Label,
    },
    /// Show the heads of the revision graph
    Heads {
        #[command(flatten)]
        label: Label,
    },
    /// Show the revisions, newest first
    History {
        #[command(flatten)]
        label: Label,
    },
    /// Exit 1 and list what differs when the models, the database or schema/<label>.yml disagree
    Check {
        #[command(flatten)]
        label: Label,
    },
    /// Print the live database as a YAML schema description
    Inspect {
        #[command(flatten)]
        label: Label,
    },
    /// Compare two schemas (databases or YAML descriptions); exit 1 when they differ
    Diff(diff::DiffArgs),
}

/// Runs a `db` command; `Ok` carries the exit code.
pub async fn run(
    command: DbCommand,
    pipeline: &Pipeline,
    config: &Config,
    verbose: bool,
) -> Result<u8, CliError> {
    match command {
        DbCommand::MakeMigrations {
            plugin,
            message,
            empty,
            rev_id,
            label,
        } => {
            let autogen = Autogen::new(pipeline, config, &label.db_label)?;
            let request = Request {
                plugin,
                message,
                empty,
                rev_id,
            };
            autogen.make_migrations(&request, verbose).await?;
            Ok(0)
        }
        DbCommand::Upgrade { target, label } => {
            Migrator::new(pipeline, config, &label.db_label)?
                .upgrade(&target)
                .await?;
            Ok(0)
        }
        DbCommand::Downgrade { target, label } => {
            Migrator::new(pipeline, config, &label.db_label)?
                .downgrade(&target)
                .await?;
            Ok(0)
        }
        DbCommand::Current { label } => {
            show::current(&Migrator::new(pipeline, config, &label.db_label)?).await
        }
        DbCommand::Heads { label } => {
            show::heads(&Migrator::new(pipeline, config, &label.db_label)?)
        }
        DbCommand::History { label } => {
            show::history(&Migrator::new(pipeline, config, &label.db_label)?)
        }
        DbCommand::Check { label } => {
            let report = Autogen::new(pipeline, config, &label.db_label)?
                .check()
                .await?;
            Ok(print_check(&report))
        }
        DbCommand::Inspect { label } => {
            let target = config.database(&label.db_label)?;
            let schema = if target.exists() {
                Database::open(target, OpenMode::ReadOnly)
                    .await?
                    .introspect()
                    .await?
            } else {
                crate::schema::Schema::new()
            };
            print!("{}", schema.to_yaml());
            Ok(0)
        }
        DbCommand::Diff(args) => diff::run(args, config).await,
    }
}

fn print_check(report: &CheckReport) -> u8 {
    if let Some((current, heads)) = &report.not_at_heads {
        let show = |ids: &[String]| {
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        };
        println!(
            "Database is not at its heads (applied: {}; heads: {}): run `db upgrade heads`",
            show(current),
            show(heads)
        );
    }
    for (plugin, ops) in &report.pending {
        println!("Plugin '{plugin}' has changes not in any revision (run `db make_migrations`):");
        for op in ops {
            println!("  {op}");
        }
    }
    if let Some(path) = &report.stale_schema_file {
        println!(
            "{} does not describe the models: run `db make_migrations`",
            path.display()
        );
    }
    if report.is_clean() {
        println!("No changes detected");
        0
    } else {
        1
    }
}
