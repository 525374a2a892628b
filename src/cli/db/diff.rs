//! `db diff --from X --to Y`: the autogenerate engine between any two schemas.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::autogen::{Autogen, Request};
use crate::cli::CliError;
use crate::cli::output::{Format, print_json};
use crate::config::Config;
use crate::dialect::script::{self, Baseline, Purpose, ScriptOptions, ScriptStep};
use crate::dialect::{Database, DialectName, OpenMode, Target, VERSION_TABLE, compare_for};
use crate::diff::{Exact, diff, rename_hints};
use crate::pipeline::Pipeline;
use crate::schema::Schema;

/// Arguments of `db diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The schema to start from: a database (an sqlx URL such as sqlite://app.db, or a path to a
    /// SQLite file) or a YAML description (*.yml, *.yaml)
    #[arg(long, value_name = "DB|FILE")]
    pub from: String,
    /// The schema to reach (same forms as --from)
    #[arg(long, value_name = "DB|FILE")]
    pub to: String,
    /// Print the SQL instead of the operations
    #[arg(long, conflicts_with = "json")]
    pub sql: bool,
    /// Dialect for comparing and for --sql when neither side is a database
    #[arg(long, value_parser = ["sqlite", "postgresql", "mysql"])]
    pub dialect: Option<String>,
    /// Write the operations as a revision of this pipeline (on the branch of --plugin, in the
    /// label of --db-label) instead of printing them
    #[arg(long, conflicts_with_all = ["sql", "json"], requires = "message")]
    pub revision: bool,
    /// With --revision: what the revision does
    #[arg(long, short, requires = "revision")]
    pub message: Option<String>,
    /// With --revision: whose branch gets it (may be left out when one plugin qualifies)
    #[arg(long, short, requires = "revision")]
    pub plugin: Option<String>,
    #[command(flatten)]
    pub format: Format,
    #[command(flatten)]
    pub label: super::Label,
}

enum Source {
    Database(Target),
    Description(PathBuf),
}

fn source(text: &str, root: &Path) -> Result<Source, CliError> {
    let lower = text.to_ascii_lowercase();
    let resolve = |p: &str| {
        if Path::new(p).is_absolute() {
            PathBuf::from(p)
        } else {
            root.join(p)
        }
    };
    if lower.ends_with(".yml") || lower.ends_with(".yaml") {
        return Ok(Source::Description(resolve(text)));
    }
    if text.contains("://") || lower.starts_with("sqlite:") {
        return Target::from_url(text, root)
            .map(Source::Database)
            .map_err(CliError::Usage);
    }
    let path = resolve(text);
    if !path.is_file() {
        return Err(CliError::Usage(format!(
            "{} is not a SQLite file; give an existing database file, an sqlx URL (sqlite://, postgres://, mysql://) or a .yml/.yaml description",
            path.display()
        )));
    }
    Ok(Source::Database(Target::sqlite(path)))
}

impl Source {
    /// What the source is, for the script's comment (a server's URL redacted).
    fn shown(&self) -> String {
        match self {
            Source::Database(target) => target.display(),
            Source::Description(path) => path.display().to_string(),
        }
    }
}

/// The schema of a source; a database with what a script planned against it needs.
async fn load(source: &Source) -> Result<Baseline, CliError> {
    match source {
        Source::Description(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?;
            Schema::from_yaml(&text)
                .map(Baseline::Schema)
                .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))
        }
        Source::Database(target) => {
            let mut db = Database::open(target, OpenMode::ReadOnly).await?;
            let baseline = db.baseline().await;
            db.close().await;
            Ok(baseline?)
        }
    }
}

fn dialect(args: &DiffArgs, sources: [&Source; 2]) -> Option<DialectName> {
    let from_db = sources.iter().find_map(|s| match s {
        Source::Database(t) => Some(t.dialect()),
        Source::Description(_) => None,
    });
    // clap only lets the three names through.
    from_db.or_else(|| args.dialect.as_deref().and_then(|d| d.parse().ok()))
}

/// Runs `db diff`: 0 when the schemas are the same, 1 when they differ (with `--revision`,
/// 0 once the revision is written).
pub async fn run(args: DiffArgs, config: &Config, pipeline: &Pipeline) -> Result<u8, CliError> {
    let from = source(&args.from, config.root())?;
    let to = source(&args.to, config.root())?;
    let (current, desired) = (load(&from).await?, load(&to).await?);
    let dialect = dialect(&args, [&from, &to]);
    let ops = match dialect {
        Some(d) => diff(current.schema(), desired.schema(), compare_for(d)),
        None => diff(current.schema(), desired.schema(), &Exact),
    };
    if args.format.json {
        let hints = rename_hints(&ops, compare_for(dialect.unwrap_or(DialectName::Sqlite)));
        let texts = |items: Vec<String>| serde_json::Value::from(items);
        print_json(
            "db diff",
            serde_json::json!({
                "from": from.shown(),
                "to": to.shown(),
                "dialect": dialect.map(|d| d.to_string()),
                "differences": !ops.is_empty(),
                "operations": texts(ops.iter().map(ToString::to_string).collect()),
                "hints": texts(hints.iter().map(ToString::to_string).collect()),
            }),
        )?;
        return Ok(u8::from(!ops.is_empty()));
    }
    if ops.is_empty() {
        if args.sql {
            // Still a script: a comment any client runs as nothing.
            println!("-- No differences: nothing to run.");
            eprintln!("No differences");
        } else {
            println!("No differences");
        }
        return Ok(0);
    }
    if args.revision {
        let request = Request {
            plugin: args.plugin,
            message: args.message.unwrap_or_default(),
            empty: false,
            rev_id: None,
            head: None,
            splice: false,
            depends_on: Vec::new(),
            offline: false,
        };
        super::print_generated(
            &Autogen::new(pipeline.catalog(), config, &args.label.db_label)?.write_diff(
                &request,
                &ops,
                current.schema(),
            )?,
        );
        return Ok(0);
    }
    // A drop and an add that look like a rename: said before the script (a rename keeps the
    // values, the script as it is drops them), and on stderr.
    let hints = rename_hints(&ops, compare_for(dialect.unwrap_or(DialectName::Sqlite)));
    for hint in &hints {
        eprintln!("HINT: {hint}");
    }
    if args.sql {
        for hint in &hints {
            println!(
                "-- HINT: {}",
                hint.to_string().replace(char::is_control, " ")
            );
        }
        let schema = [&from, &to]
            .iter()
            .find_map(|s| match s {
                Source::Database(target) => Some(target.schema().to_string()),
                Source::Description(_) => None,
            })
            .unwrap_or_else(|| "public".to_string());
        let options = ScriptOptions {
            dialect: dialect.unwrap_or(DialectName::Sqlite),
            schema: &schema,
            version_table: VERSION_TABLE,
            purpose: Purpose::Diff,
        };
        let step = ScriptStep {
            title: format!("Difference from {} to {}", from.shown(), to.shown()),
            ops: &ops,
            version: &[],
        };
        let sql = script::render(options, current, &[step])
            .map_err(|e| CliError::Usage(e.to_string()))?;
        print!("{sql}");
    } else {
        for op in &ops {
            println!("{op}");
        }
    }
    Ok(1)
}
