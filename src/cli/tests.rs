//! The help of every command, as users read it: snapshot-tested, and each with an example.

use clap::CommandFactory;

use super::Cli;

/// The command line as the binary shows it: built, so global options and full usage lines
/// are in each command's help.
fn built() -> clap::Command {
    let mut app = Cli::command();
    app.build();
    app
}

/// Every command of the tree, with its path (`db upgrade`), but clap's own `help`.
fn commands(command: &clap::Command, path: String, out: &mut Vec<(String, clap::Command)>) {
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("{path} {}", sub.get_name()).trim().to_string();
        out.push((name.clone(), sub.clone()));
        commands(sub, name, out);
    }
}

#[test]
fn every_command_has_an_example_and_a_reviewed_help() {
    let mut all = Vec::new();
    commands(&built(), String::new(), &mut all);
    assert!(all.len() >= 20, "only {} commands found", all.len());
    for (name, mut command) in all {
        let help = command.render_long_help().to_string();
        assert!(
            help.contains("Example: "),
            "`{name} --help` shows no example"
        );
        insta::assert_snapshot!(format!("help {name}").replace(' ', "_"), help);
    }
}

#[test]
fn the_top_level_help_lists_every_command() {
    let help = built().render_long_help().to_string();
    assert!(help.contains("Examples: "), "`--help` shows no example");
    for name in ["db", "list_runs", "completions"] {
        assert!(help.contains(name), "`--help` does not list {name}");
    }
    insta::assert_snapshot!("help", help);
}
