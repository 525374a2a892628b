//! `db lint`: what the revisions not yet applied risk, one line per finding, exit 1 on errors.

use clap::Args;
use serde_json::{Value, json};

use crate::cli::CliError;
use crate::cli::output::{Format, print_json};
use crate::config::Config;
use crate::lint::RULES;
use crate::model::Catalog;
use crate::runner::Migrator;

/// Arguments of `db lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// The revisions to lint: a range `from:to` as upgrade takes it (`base:heads` for all);
    /// default: the revisions the database has not applied
    #[arg(value_name = "RANGE")]
    pub range: Option<String>,
    /// The dialect whose rules apply [default: the database's]
    #[arg(long, value_parser = ["sqlite", "postgresql", "mysql"])]
    pub dialect: Option<String>,
    /// List the rules (id, severity, dialect, what each finds) and exit
    #[arg(long)]
    pub rules: bool,
    #[command(flatten)]
    pub format: Format,
    #[command(flatten)]
    pub label: super::Label,
}

/// Runs `db lint`: prints `path:line rule-id severity: message` for each finding not silenced
/// by a `// lint: allow <rule>: <reason>` comment, then a count on stderr; 1 when an error was
/// found.
pub async fn run(args: LintArgs, config: &Config, catalog: &Catalog) -> Result<u8, CliError> {
    if args.rules && args.format.json {
        let rules: Vec<Value> = RULES
            .iter()
            .map(|r| {
                json!({"id": r.id, "severity": r.severity.to_string(),
                       "dialect": r.dialect.map(|d| d.to_string()), "summary": r.summary})
            })
            .collect();
        print_json("db lint", json!({"rules": rules}))?;
        return Ok(0);
    }
    if args.rules {
        for rule in RULES {
            let only = rule
                .dialect
                .map(|d| format!(" ({d} only)"))
                .unwrap_or_default();
            println!("{} {}{only}: {}", rule.id, rule.severity, rule.summary);
        }
        return Ok(0);
    }
    let label = &args.label.db_label;
    let dialect = match args.dialect.as_deref() {
        Some(name) => name.parse().map_err(CliError::Usage)?,
        None => config.database(label)?.dialect(),
    };
    let migrator = Migrator::new(catalog, config, label)?;
    let findings = migrator.lint(args.range.as_deref(), dialect).await?;
    let here = std::env::current_dir().unwrap_or_default();
    let errors = findings.iter().filter(|f| f.is_error()).count();
    if args.format.json {
        let listed: Vec<Value> = findings
            .iter()
            .map(|f| {
                let path = f.path.strip_prefix(&here).unwrap_or(&f.path);
                json!({"revision": f.revision, "path": path.display().to_string(), "line": f.line,
                       "rule": f.rule.id, "severity": f.rule.severity.to_string(),
                       "message": f.message})
            })
            .collect();
        print_json(
            "db lint",
            json!({"label": label, "dialect": dialect.to_string(), "findings": listed,
                   "errors": errors, "warnings": findings.len() - errors}),
        )?;
        return Ok(u8::from(errors > 0));
    }
    for f in &findings {
        let path = f.path.strip_prefix(&here).unwrap_or(&f.path);
        println!(
            "{}:{} {} {}: {}",
            path.display(),
            f.line,
            f.rule.id,
            f.rule.severity,
            f.message
        );
    }
    eprintln!(
        "{errors} error(s), {} warning(s) (rules of {dialect})",
        findings.len() - errors
    );
    Ok(u8::from(errors > 0))
}
