//! `--json` of the read commands: one JSON document on stdout per command, in a shape that
//! says its version (docs/json.md).

use clap::Args;
use serde_json::{Map, Value};

use super::CliError;

/// The version of every JSON shape. A change that could break a reader (a key removed,
/// renamed or retyped) bumps it; a key added does not.
pub const JSON_VERSION: u32 = 1;

/// The `--json` flag of a read command.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Format {
    /// Print one JSON document instead of text (shape in docs/json.md; exit codes unchanged)
    #[arg(long)]
    pub json: bool,
}

/// The document of `command` (`"db heads"`): `{"version": 1, "command": ..., <body>}`.
pub fn document(command: &str, body: Value) -> Value {
    let mut out = Map::new();
    out.insert("version".into(), JSON_VERSION.into());
    out.insert("command".into(), command.into());
    match body {
        Value::Object(fields) => out.extend(fields),
        other => {
            out.insert("result".into(), other);
        }
    }
    Value::Object(out)
}

/// Prints the document of `command` on stdout, pretty-printed, with a final newline.
pub fn print_json(command: &str, body: Value) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(&document(command, body))
        .map_err(|e| CliError::Usage(format!("cannot write the JSON of {command}: {e}")))?;
    println!("{text}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_version_and_command_come_first() {
        let doc = document("db heads", json!({"heads": []}));
        let text = serde_json::to_string(&doc).unwrap();
        assert_eq!(text, r#"{"version":1,"command":"db heads","heads":[]}"#);
    }
}
