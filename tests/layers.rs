//! The layers point one way (ARCHITECTURE.md, "Layers"): each top-level module of the library
//! uses only the modules below it, nothing outside `dialect/` names a dialect's folder, and
//! only the CLI prints. Read from the sources, so that a new import that breaks the order
//! fails here rather than in a review.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Bottom first: a module may use the ones before it.
const LAYERS: [&str; 13] = [
    "schema", "ops", "diff", "lint", "revision", "model", "dialect", "config", "store", "runner",
    "autogen", "pipeline", "cli",
];

/// The library code of `module`: its files without their tests.
fn sources(module: &str) -> Vec<(PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let file = src.join(format!("{module}.rs"));
    if file.is_file() {
        out.push(file);
    }
    let mut dirs = vec![src.join(module)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() && name != "tests" && name != "snapshots" {
                dirs.push(path);
            } else if name.ends_with(".rs") && name != "tests.rs" {
                out.push(path);
            }
        }
    }
    let test_only = test_only_modules(&out);
    out.into_iter()
        .filter(|path| {
            !test_only
                .iter()
                .any(|t| path.starts_with(t) || path == &t.with_extension("rs"))
        })
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path, code(&text))
        })
        .collect()
}

/// The files and folders of modules declared `#[cfg(test)] mod name;` in `files`.
fn test_only_modules(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        let dir = match file.file_name().and_then(|n| n.to_str()) {
            Some("mod.rs") => file.parent().unwrap().to_path_buf(),
            _ => file.with_extension(""),
        };
        for part in text.split("#[cfg(test)]\nmod ").skip(1) {
            if let Some(name) = part
                .split(';')
                .next()
                .filter(|n| !n.contains(char::is_whitespace))
            {
                out.push(dir.join(name));
            }
        }
    }
    out
}

/// The code of a file: no comments, nothing from its inline test module on.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules of [`LAYERS`] that `code` names as `crate::<module>` (a macro's `$crate::`
/// expands in its caller, which is not this module).
fn uses(code: &str) -> BTreeSet<&'static str> {
    LAYERS
        .into_iter()
        .filter(|m| {
            let needle = format!("crate::{m}");
            code.match_indices(&needle).any(|(at, _)| {
                let after = code[at + needle.len()..].chars().next();
                let before = code[..at].chars().last();
                before != Some('$') && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })
        .collect()
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    let mut wrong = Vec::new();
    for (i, module) in LAYERS.iter().enumerate() {
        for (path, code) in sources(module) {
            for used in uses(&code) {
                let below = LAYERS[..i].contains(&used);
                if used != *module && !below {
                    wrong.push(format!("{} uses {used}", path.display()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers {LAYERS:?}:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn only_the_dialect_layer_names_a_dialect_folder() {
    let mut wrong = Vec::new();
    for module in LAYERS.iter().filter(|m| **m != "dialect") {
        for (path, code) in sources(module) {
            for folder in ["sqlite", "postgres", "mysql"] {
                if code.contains(&format!("dialect::{folder}")) {
                    wrong.push(format!("{} names dialect::{folder}", path.display()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn only_the_cli_prints() {
    let mut wrong = Vec::new();
    for module in LAYERS.iter().filter(|m| **m != "cli") {
        for (path, code) in sources(module) {
            for print in ["println!", "eprintln!", "print!(", "eprint!("] {
                if code.contains(print) {
                    wrong.push(format!("{} uses {print}", path.display()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_dialect_folders_have_the_same_files() {
    let dialect = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/dialect");
    let files = |folder: &str| -> BTreeSet<String> {
        std::fs::read_dir(dialect.join(folder))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rs"))
            .collect()
    };
    let sqlite = files("sqlite");
    assert!(sqlite.len() >= 10, "{sqlite:?}");
    assert_eq!(files("postgres"), sqlite);
    assert_eq!(files("mysql"), sqlite);
}

/// The checks would pass on an empty tree: they must see the sources and find a real
/// violation when there is one.
#[test]
fn the_checks_see_what_they_check() {
    assert!(sources("dialect").len() > 30);
    assert_eq!(
        uses("use crate::cli::App;\nmacro_rules! m { () => { $crate::store::Db } }"),
        BTreeSet::from(["cli"])
    );
    assert!(uses("use crate::dialects::x;").is_empty());
    assert!(code("a\n// crate::cli\n#[cfg(test)]\nmod tests {\nuse crate::cli;\n}").trim() == "a");
}
