//! `db ...`: migrations and schema commands.

use clap::{Args, Subcommand};

use super::CliError;
use super::output::{Format, print_json};
use super::progress;
use crate::autogen::{Autogen, CheckReport, MergeRequest, Request, SquashRequest};
use crate::config::Config;
use crate::dialect::{Database, DialectName, LockWait, OpenMode};
use crate::model::DEFAULT_DATABASE;
use crate::pipeline::Pipeline;
use crate::runner::Migrator;

mod diff;
mod history;
mod lint;
mod show;

/// The database label option every command shares.
#[derive(Debug, Clone, Args)]
pub struct Label {
    /// Database label (a key of `databases:` in config.yml)
    #[arg(long = "db-label", short = 'd', default_value = DEFAULT_DATABASE, value_name = "LABEL")]
    pub db_label: String,
}

/// Printing SQL instead of running it.
#[derive(Debug, Clone, Args)]
pub struct Offline {
    /// Print the SQL (DDL and version-table statements) instead of running it; no database
    /// is opened
    #[arg(long)]
    pub sql: bool,
    /// Dialect of the SQL [default: the configured database's]
    #[arg(long, requires = "sql", value_parser = ["sqlite", "postgresql", "mysql"])]
    pub dialect: Option<String>,
}

impl Offline {
    fn dialect(&self, config: &Config, label: &Label) -> Result<DialectName, CliError> {
        match self.dialect.as_deref() {
            Some(name) => name.parse().map_err(CliError::Usage),
            None => Ok(config.database(&label.db_label)?.dialect()),
        }
    }
}

/// How long a migrating command waits for another one.
#[derive(Debug, Clone, Args)]
pub struct Locking {
    /// Seconds to wait for the migration lock while another process migrates the database
    /// (0: do not wait)
    #[arg(long, value_name = "SECONDS", default_value = "300", value_parser = parse_seconds)]
    pub lock_timeout: std::time::Duration,
}

fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    text.parse::<f64>()
        .ok()
        .and_then(|s| std::time::Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("'{text}' is not a number of seconds (for instance 30 or 0.5)"))
}

impl Locking {
    fn wait(&self) -> LockWait {
        LockWait {
            timeout: self.lock_timeout,
        }
    }
}

/// Migration commands.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Compare the models with the database and write a revision for each plugin with changes
    ///
    /// Example: `db make_migrations --plugin tuto.data_reduction -m "Add the reading table"`
    #[command(name = "make_migrations", visible_alias = "make-migrations")]
    MakeMigrations(MakeMigrationsArgs),
    /// Replace a linear run of revisions by one revision holding their operations
    ///
    /// The squash keeps the last revision's id, so databases at the end of the run or past it
    /// need nothing; the replaced files are deleted. Refused for a run with a branch point, a
    /// merge, a data step, or a database inside it.
    ///
    /// Example: `db squash 1a2b:9f8e -m "Initial schema"`
    Squash {
        /// The run: `<first revision>:<last revision>`
        #[arg(value_name = "FROM:TO")]
        range: String,
        /// What the squashed revision holds [default: one naming the run]
        #[arg(long, short)]
        message: Option<String>,
        #[command(flatten)]
        label: Label,
    },
    /// Write a revision that merges several heads (`heads` for all of them)
    ///
    /// Example: `db merge heads -m "Merge the two branches"`
    Merge {
        /// Revisions to merge, or `heads`
        #[arg(required = true, value_name = "REVISION")]
        revisions: Vec<String>,
        /// What the merge is for
        #[arg(long, short)]
        message: String,
        /// Whose revision folder gets the merge, when the heads belong to several plugins
        #[arg(long, short)]
        plugin: Option<String>,
        /// Use this id instead of a random one
        #[arg(long, value_name = "ID")]
        rev_id: Option<String>,
        #[command(flatten)]
        label: Label,
    },
    /// Apply revisions up to a target: heads (default), head, <rev>, +N, <branch>@head
    ///
    /// Example: `db upgrade heads` (or `db upgrade +1`, `db upgrade ae10:heads --sql`)
    Upgrade {
        /// Target revision (with --sql: a range `from:to`, or `to` from base)
        #[arg(default_value = "heads", allow_hyphen_values = true)]
        target: String,
        #[command(flatten)]
        offline: Offline,
        #[command(flatten)]
        locking: Locking,
        #[command(flatten)]
        label: Label,
    },
    /// Revert revisions down to a target: -N, base, <rev>, <branch>@-N
    ///
    /// Example: `db downgrade -1` (or `db downgrade base`, `db downgrade tuto.data_reduction@-2`)
    Downgrade {
        /// Target revision (with --sql: a range `from:to`)
        #[arg(allow_hyphen_values = true)]
        target: String,
        #[command(flatten)]
        offline: Offline,
        #[command(flatten)]
        locking: Locking,
        #[command(flatten)]
        label: Label,
    },
    /// Set the version table to revisions without running them
    ///
    /// Example: `db stamp heads` (or `db stamp --purge base`)
    Stamp {
        /// Revisions to stamp (`heads`, `base`, ids, `<branch>@head`...)
        #[arg(required = true, allow_hyphen_values = true, value_name = "REVISION")]
        targets: Vec<String>,
        /// Empty the version table first
        #[arg(long, conflicts_with = "update_checksums")]
        purge: bool,
        /// Accept the current source of these applied revisions, edited since they were
        /// applied, instead of moving the version table
        #[arg(long)]
        update_checksums: bool,
        #[command(flatten)]
        locking: Locking,
        #[command(flatten)]
        label: Label,
    },
    /// Show the applied log: every revision applied, reverted or stamped, oldest first
    ///
    /// Example: `db log --json`
    Log {
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        label: Label,
    },
    /// Exit 1 when an applied revision was edited since it was applied (checksums in the
    /// applied log); changes nothing
    ///
    /// Example: `db verify --json`
    Verify {
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        label: Label,
    },
    /// Show the revisions the database is at
    ///
    /// Example: `db current --check-heads`
    Current {
        /// Exit 1 when the database is not at every head
        #[arg(long)]
        check_heads: bool,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        label: Label,
    },
    /// Show the heads of the revision graph
    ///
    /// Example: `db heads --json`
    Heads {
        /// Leave out heads that another revision depends on
        #[arg(long)]
        resolve_dependencies: bool,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        label: Label,
    },
    /// Show the revisions, newest first
    ///
    /// Example: `db history -r base:current -i` (or `db history --graph`)
    History(history::HistoryArgs),
    /// Show one revision: its header, place in the graph and operations
    ///
    /// Example: `db show head` (or `db show ae10`, a partial id of 4 characters or more)
    Show {
        /// The revision (id, partial id, `head`, `<branch>@head`...)
        #[arg(allow_hyphen_values = true)]
        revision: String,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        label: Label,
    },
    /// Show the branch points of the revision graph
    ///
    /// Example: `db branches`
    Branches {
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        label: Label,
    },
    /// Exit 1 and list what differs when the models, the database or schema/<label>.yml disagree
    ///
    /// Example: `db check --offline` (in CI, with no database)
    Check {
        /// Compare the models with the schema the revisions build, replayed in memory, instead
        /// of the database (which is not opened): for CI without a database
        #[arg(long)]
        offline: bool,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        label: Label,
    },
    /// Print the live database as a YAML schema description, or as Rust models (`--models`)
    ///
    /// Example: `db inspect --models > src/models.rs`
    Inspect {
        /// Print `#[derive(Model)]` structs for every table instead, to adopt an existing
        /// database
        #[arg(long)]
        models: bool,
        #[command(flatten)]
        label: Label,
    },
    /// Compare two schemas (databases or YAML descriptions); exit 1 when they differ
    ///
    /// Example: `db diff --from prod.db --to schema/default.yml --sql`
    Diff(diff::DiffArgs),
    /// Report what the revisions not yet applied risk (dropped data, locks, failures on rows
    /// that exist), one line per finding; exit 1 on an error
    ///
    /// Example: `db lint base:heads --dialect postgresql`
    Lint(lint::LintArgs),
}

/// Arguments of `db make_migrations`.
#[derive(Debug, Args)]
pub struct MakeMigrationsArgs {
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
    /// Build on this revision instead of the plugin's branch head (`base` for a new root)
    #[arg(long, value_name = "REVISION")]
    head: Option<String>,
    /// Let --head name a revision that is not a head (a new branch starts there)
    #[arg(long, requires = "head")]
    splice: bool,
    /// A revision or branch label the new revision depends on (repeatable)
    #[arg(long, value_name = "REVISION")]
    depends_on: Vec<String>,
    /// Compare the models with the schema the revisions build, replayed in memory, instead of
    /// the database (which is not opened); gives the revision a database at its heads would
    #[arg(long)]
    offline: bool,
    #[command(flatten)]
    label: Label,
}

/// Runs a `db` command; `Ok` carries the exit code.
pub async fn run(
    command: DbCommand,
    pipeline: &Pipeline,
    config: &Config,
    verbose: bool,
) -> Result<u8, CliError> {
    let migrator = |label: &Label| Migrator::new(pipeline.catalog(), config, &label.db_label);
    match command {
        DbCommand::MakeMigrations(a) => {
            let request = Request {
                plugin: a.plugin,
                message: a.message,
                empty: a.empty,
                rev_id: a.rev_id,
                head: a.head,
                splice: a.splice,
                depends_on: a.depends_on,
                offline: a.offline,
            };
            let autogen = Autogen::new(pipeline.catalog(), config, &a.label.db_label)?;
            let generated = progress::spinning(
                &format!("Comparing the models with database '{}'", a.label.db_label),
                autogen.make_migrations(&request),
            )
            .await?;
            if verbose {
                for table in &generated.unmanaged {
                    println!(
                        "unmanaged table '{table}': no plugin's models or revisions own it; left alone"
                    );
                }
            }
            for written in &generated.revisions {
                print_generated(written);
            }
            if generated.revisions.is_empty() {
                println!("No changes detected");
            }
            if let Some(path) = &generated.schema_file {
                println!("Wrote {}", path.display());
            }
            Ok(0)
        }
        DbCommand::Squash {
            range,
            message,
            label,
        } => {
            let request = SquashRequest { range, message };
            let written = Autogen::new(pipeline.catalog(), config, &label.db_label)?
                .squash(&request)
                .await?;
            print_generated(&written);
            println!("Rebuild the pipeline: the replaced revision files were deleted");
            Ok(0)
        }
        DbCommand::Merge {
            revisions,
            message,
            plugin,
            rev_id,
            label,
        } => {
            let request = MergeRequest {
                revisions,
                message,
                plugin,
                rev_id,
            };
            print_generated(
                &Autogen::new(pipeline.catalog(), config, &label.db_label)?.merge(&request)?,
            );
            Ok(0)
        }
        DbCommand::Upgrade {
            target,
            offline,
            label,
            ..
        } if offline.sql => {
            let dialect = offline.dialect(config, &label)?;
            print!("{}", migrator(&label)?.upgrade_sql(&target, dialect)?);
            Ok(0)
        }
        DbCommand::Downgrade {
            target,
            offline,
            label,
            ..
        } if offline.sql => {
            let dialect = offline.dialect(config, &label)?;
            print!("{}", migrator(&label)?.downgrade_sql(&target, dialect)?);
            Ok(0)
        }
        DbCommand::Upgrade {
            target,
            locking,
            label,
            ..
        } => migrator(&label)?
            .lock_wait(locking.wait())
            .progress(progress::revisions_on_stderr())
            .upgrade(&target)
            .await
            .map(|_| 0)
            .map_err(Into::into),
        DbCommand::Downgrade {
            target,
            locking,
            label,
            ..
        } => migrator(&label)?
            .lock_wait(locking.wait())
            .progress(progress::revisions_on_stderr())
            .downgrade(&target)
            .await
            .map(|_| 0)
            .map_err(Into::into),
        DbCommand::Stamp {
            targets,
            update_checksums: true,
            locking,
            label,
            ..
        } => migrator(&label)?
            .lock_wait(locking.wait())
            .update_checksums(&targets)
            .await
            .map(|_| 0)
            .map_err(Into::into),
        DbCommand::Stamp {
            targets,
            purge,
            locking,
            label,
            ..
        } => migrator(&label)?
            .lock_wait(locking.wait())
            .stamp(&targets, purge)
            .await
            .map(|_| 0)
            .map_err(Into::into),
        DbCommand::Log { format, label } => show::log(&migrator(&label)?, format.json).await,
        DbCommand::Verify { format, label } => show::verify(&migrator(&label)?, format.json).await,
        DbCommand::Current {
            check_heads,
            format,
            label,
        } => show::current(&migrator(&label)?, check_heads, format.json).await,
        DbCommand::Heads {
            resolve_dependencies,
            format,
            label,
        } => show::heads(&migrator(&label)?, resolve_dependencies, format.json),
        DbCommand::History(args) => history::history(&migrator(&args.label)?, &args, verbose).await,
        DbCommand::Show {
            revision,
            format,
            label,
        } => history::show(&migrator(&label)?, &revision, format.json).await,
        DbCommand::Branches { format, label } => history::branches(&migrator(&label)?, format.json),
        DbCommand::Lint(args) => lint::run(args, config, pipeline.catalog()).await,
        DbCommand::Check {
            offline,
            format,
            label,
        } => {
            let autogen = Autogen::new(pipeline.catalog(), config, &label.db_label)?;
            let report = match format.json {
                true => autogen.check(offline).await?,
                false => {
                    let what = format!("Comparing the models with database '{}'", label.db_label);
                    progress::spinning(&what, autogen.check(offline)).await?
                }
            };
            match format.json {
                true => json_check(&report, &label.db_label),
                false => Ok(print_check(&report)),
            }
        }
        DbCommand::Inspect { models, label } => {
            let target = config.database(&label.db_label)?;
            let schema = if target.exists() {
                let mut db = Database::open(target, OpenMode::ReadOnly).await?;
                let what = format!("Reading database '{}'", label.db_label);
                progress::spinning(&what, db.introspect()).await?
            } else {
                crate::schema::Schema::new()
            };
            if models {
                print!(
                    "{}",
                    crate::autogen::adopt::models(&schema, &target.display(), &label.db_label)
                );
            } else {
                print!("{}", schema.to_yaml());
            }
            Ok(0)
        }
        DbCommand::Diff(args) => diff::run(args, config, pipeline).await,
    }
}

/// `db check --json`: what `print_check` says, as a document.
fn json_check(report: &CheckReport, label: &str) -> Result<u8, CliError> {
    let not_at_heads = report
        .not_at_heads
        .as_ref()
        .map(|(applied, heads)| serde_json::json!({"applied": applied, "heads": heads}));
    let pending: Vec<serde_json::Value> = report
        .pending
        .iter()
        .map(|(plugin, ops)| {
            let ops: Vec<String> = ops.iter().map(ToString::to_string).collect();
            serde_json::json!({"plugin": plugin, "operations": ops})
        })
        .collect();
    let stale = report
        .stale_schema_file
        .as_ref()
        .map(|p| p.display().to_string());
    print_json(
        "db check",
        serde_json::json!({"label": label, "clean": report.is_clean(),
            "not_at_heads": not_at_heads, "pending": pending, "stale_schema_file": stale}),
    )?;
    Ok(u8::from(!report.is_clean()))
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

/// The line a written revision gets, as Alembic prints it, then what its reviewer must look
/// at: rename hints and the linter's findings (also in the file).
pub(super) fn print_generated(written: &crate::autogen::Written) {
    println!("Generating {} ... done", written.path.display());
    for hint in &written.hints {
        println!("  HINT: {hint}");
    }
    for finding in &written.findings {
        println!("  lint: {finding}");
    }
}
