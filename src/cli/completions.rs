//! `completions <shell>`: a completion script for the pipeline's command line, with the
//! revision ids and branch labels compiled into this build offered where a command takes a
//! revision.

use std::collections::BTreeSet;

use clap::builder::PossibleValuesParser;
use clap_complete::Shell;

use crate::model::Catalog;

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct Completions {
    /// The shell to write the script for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The arguments that take a revision, as `(subcommand of db, argument id)`.
const REVISION_ARGS: [(&str, &str); 7] = [
    ("upgrade", "target"),
    ("downgrade", "target"),
    ("stamp", "targets"),
    ("show", "revision"),
    ("merge", "revisions"),
    ("make_migrations", "head"),
    ("make_migrations", "depends_on"),
];

/// Writes the script for `shell` on `out`. `app` is the whole command line (built-in and
/// plugins' commands); `name` the binary's name, as the shell calls it.
pub fn write(
    shell: Shell,
    app: clap::Command,
    name: &str,
    catalog: &Catalog,
    out: &mut dyn std::io::Write,
) {
    let mut app = with_revisions(app, &revision_words(catalog));
    clap_complete::generate(shell, &mut app, name, out);
}

/// What a revision argument can be, from this build: the keywords, every revision id, every
/// branch label and `<label>@head`.
fn revision_words(catalog: &Catalog) -> Vec<String> {
    let mut words: BTreeSet<String> = ["heads", "head", "base"].map(String::from).into();
    for (_, set) in catalog.revision_sets() {
        for revision in set.revisions {
            words.insert(revision.id.to_string());
            for label in revision.branch_labels {
                words.insert(label.to_string());
                words.insert(format!("{label}@head"));
            }
        }
    }
    words.into_iter().collect()
}

/// `app` with the revision arguments listing `words` as their values. Only the script sees
/// the list: the command line that parses still takes `+2`, `ae1@-1` and partial ids.
fn with_revisions(app: clap::Command, words: &[String]) -> clap::Command {
    app.mut_subcommand("db", |mut db| {
        for (command, arg) in REVISION_ARGS {
            db = db.mut_subcommand(command, |sub| {
                sub.mut_arg(arg, |a| {
                    a.value_parser(PossibleValuesParser::new(words.to_vec()))
                })
            });
        }
        db
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;
    use crate::cli::Cli;

    #[test]
    fn every_listed_argument_exists() {
        let app = Cli::command();
        let db = app.find_subcommand("db").expect("db");
        for (command, arg) in REVISION_ARGS {
            let sub = db.find_subcommand(command).expect(command);
            assert!(
                sub.get_arguments().any(|a| a.get_id() == arg),
                "db {command} has no argument {arg}"
            );
        }
    }

    #[test]
    fn scripts_offer_the_revisions() {
        let words = vec!["heads".to_string(), "ae10".into(), "tuto@head".into()];
        let script = |shell| {
            let mut app = with_revisions(Cli::command(), &words);
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut app, "tuto", &mut out);
            String::from_utf8(out).unwrap()
        };
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let text = script(shell);
            assert!(text.contains("ae10"), "{shell}: no revision id");
            assert!(text.contains("tuto@head"), "{shell}: no branch label");
            assert!(text.contains("make_migrations"), "{shell}: no command");
        }
        // clap's PowerShell script completes commands and options, not values.
        let text = script(Shell::PowerShell);
        assert!(text.contains("make_migrations") && text.contains("--db-label"));
    }
}
