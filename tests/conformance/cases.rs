//! The cases: sqldef's YAML test files, migra's fixtures and the sample schemas, read from
//! `tests/conformance/corpora` (copied from their projects with their licenses; see the
//! `SOURCES.md` files there).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::Dialect;

/// One transition: the schema before, the schema after, and what upstream says of it.
#[derive(Debug, Clone)]
pub struct Case {
    /// `sqldef`, `migra` or `samples`.
    pub suite: &'static str,
    /// `<file>/<case>` for sqldef, the fixture's folder for migra, `<name>` for samples.
    pub name: String,
    /// The schema before (the live database).
    pub before: String,
    /// The schema after (the models).
    pub after: String,
    /// sqldef's other keys (`error`, `flavor`, `min_version`, `user`, ...).
    pub meta: BTreeMap<String, String>,
}

fn corpora() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/corpora")
}

fn dir_name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "sqlite",
        Dialect::Postgres => "postgresql",
        Dialect::Mysql => "mysql",
    }
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

/// sqldef's cases for `dialect`, from its YAML files (`current` is before, `desired` after;
/// a missing `current` is an empty schema).
pub fn sqldef(dialect: Dialect) -> Vec<Case> {
    let mut cases = Vec::new();
    for file in sorted_entries(&corpora().join("sqldef").join(dir_name(dialect))) {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc: BTreeMap<String, yaml_serde::Value> =
            yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let group = file.file_stem().unwrap().to_string_lossy();
        let group = group
            .trim_start_matches("tests_")
            .trim_start_matches("tests");
        let group = if group.is_empty() { "tests" } else { group };
        for (name, value) in doc {
            let yaml_serde::Value::Mapping(map) = value else {
                continue;
            };
            let mut fields: BTreeMap<String, String> = BTreeMap::new();
            for (k, v) in map {
                let key = k.as_str().unwrap_or_default().to_string();
                let text = match v {
                    yaml_serde::Value::String(s) => s,
                    other => yaml_serde::to_string(&other).unwrap().trim().to_string(),
                };
                fields.insert(key, text);
            }
            let before = fields.remove("current").unwrap_or_default();
            let after = fields.remove("desired").unwrap_or_default();
            fields.remove("up");
            fields.remove("down");
            cases.push(Case {
                suite: "sqldef",
                name: format!("{group}/{name}"),
                before,
                after,
                meta: fields,
            });
        }
    }
    cases
}

/// migra's fixtures (PostgreSQL): `a.sql` before, `b.sql` after.
pub fn migra() -> Vec<Case> {
    sorted_entries(&corpora().join("migra"))
        .into_iter()
        .filter(|p| p.is_dir())
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            // migra's own test diffs these two in one schema (`schema="goodschema"`), as a
            // label configured with `schema: goodschema` does.
            let mut meta = BTreeMap::new();
            if name.starts_with("singleschema") {
                meta.insert("schema".to_string(), "goodschema".to_string());
            }
            Case {
                suite: "migra",
                before: std::fs::read_to_string(dir.join("a.sql")).unwrap(),
                after: std::fs::read_to_string(dir.join("b.sql")).unwrap(),
                name,
                meta,
            }
        })
        .collect()
}

/// The sample schemas that exist for `dialect`, each as a creation from empty.
pub fn samples(dialect: Dialect) -> Vec<Case> {
    sorted_entries(&corpora().join("schemas"))
        .into_iter()
        .filter_map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let after = crate::common::samples::driver_sql(&name, dialect)?;
            Some(Case {
                suite: "samples",
                name,
                before: String::new(),
                after,
                meta: BTreeMap::new(),
            })
        })
        .collect()
}
