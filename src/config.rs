//! `config.yml`: where each database label lives, in Outflow's shape.
//!
//! ```yaml
//! databases:
//!   default:
//!     dialect: sqlite
//!     path: outflow.db
//! ```
//!
//! The pipeline root is `--root`, else `OUTFLOW_ROOT`, else the current directory. The file is
//! `--config`, else `OUTFLOW_CONFIG_PATH`, else `<root>/config.yml`; without one every label
//! is missing but `default`, which is always there: SQLite `outflow.db` in the root unless the
//! file says otherwise. Relative paths resolve against the root. Keys other than `databases`
//! belong to the pipeline and are kept as they are.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::dialect::Target;
use crate::model::DEFAULT_DATABASE;

/// A `config.yml` that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {message}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The file is not valid YAML for a config.
    #[error("invalid config file {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong, with its line and column.
        message: String,
    },
    /// A database entry is incomplete or contradictory.
    #[error("invalid config file {path}: databases.{label}: {message}")]
    Database {
        /// The file (or `(built-in default)`).
        path: PathBuf,
        /// The database label.
        label: String,
        /// What is wrong and what to write instead.
        message: String,
    },
    /// A database label the config does not define.
    #[error("no database '{label}' in {path}; labels defined: {known}")]
    UnknownLabel {
        /// The label.
        label: String,
        /// The file.
        path: String,
        /// Labels that exist.
        known: String,
    },
}

#[derive(Debug, Default, Deserialize)]
struct File {
    #[serde(default)]
    databases: BTreeMap<String, DatabaseEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DatabaseEntry {
    dialect: String,
    path: Option<String>,
    address: Option<String>,
    database: Option<String>,
    admin: Option<String>,
    user: Option<String>,
    url: Option<String>,
    schema: Option<String>,
}

/// The databases of a pipeline, resolved against its root.
#[derive(Debug, Clone)]
pub struct Config {
    root: PathBuf,
    file: Option<PathBuf>,
    databases: BTreeMap<String, Target>,
}

impl Config {
    /// Reads the config for a pipeline rooted at `root`; `file` is the explicit config path
    /// (`--config` or `OUTFLOW_CONFIG_PATH`), otherwise `<root>/config.yml` if it exists.
    pub fn load(root: &Path, file: Option<&Path>) -> Result<Config, ConfigError> {
        let default_file = root.join("config.yml");
        let file = match file {
            Some(f) => Some(absolute(root, f)),
            None => default_file.exists().then_some(default_file),
        };
        let parsed = match &file {
            Some(path) => parse_file(path)?,
            None => File::default(),
        };
        let shown = file
            .clone()
            .unwrap_or_else(|| PathBuf::from("(built-in default)"));
        let mut databases = BTreeMap::new();
        for (label, entry) in parsed.databases {
            let target = entry
                .into_target(root)
                .map_err(|message| ConfigError::Database {
                    path: shown.clone(),
                    label: label.clone(),
                    message,
                })?;
            databases.insert(label, target);
        }
        databases
            .entry(DEFAULT_DATABASE.to_string())
            .or_insert_with(|| Target::Sqlite {
                path: root.join("outflow.db"),
            });
        Ok(Config {
            root: root.to_path_buf(),
            file,
            databases,
        })
    }

    /// The pipeline root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The config file read, if any.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// Every label, in order.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.databases.keys().map(String::as_str)
    }

    /// Where database `label` lives.
    pub fn database(&self, label: &str) -> Result<&Target, ConfigError> {
        self.databases
            .get(label)
            .ok_or_else(|| ConfigError::UnknownLabel {
                label: label.to_string(),
                path: self
                    .file
                    .as_ref()
                    .map_or("the built-in default config".into(), |f| {
                        f.display().to_string()
                    }),
                known: self
                    .databases
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

fn absolute(root: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    }
}

fn parse_file(path: &Path) -> Result<File, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    if text.trim().is_empty() {
        return Ok(File::default());
    }
    yaml_serde::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

impl DatabaseEntry {
    fn into_target(self, root: &Path) -> Result<Target, String> {
        match self.dialect.as_str() {
            "sqlite" => {
                let server_keys = [
                    &self.address,
                    &self.database,
                    &self.admin,
                    &self.user,
                    &self.url,
                    &self.schema,
                ];
                if server_keys.iter().any(|k| k.is_some()) {
                    return Err("a sqlite database takes only `path:` (address, database, admin, user, url and schema are for servers)".into());
                }
                let path = self
                    .path
                    .ok_or("a sqlite database needs `path:`, for example `path: outflow.db`")?;
                if path.trim().is_empty() {
                    return Err("`path:` is empty; give a file name such as outflow.db".into());
                }
                Ok(Target::Sqlite {
                    path: absolute(root, Path::new(&path)),
                })
            }
            "postgresql" | "postgres" | "mysql" | "mariadb" => Err(format!(
                "dialect '{}' is not available in this build yet; use `dialect: sqlite`",
                self.dialect
            )),
            other => Err(format!(
                "unknown dialect '{other}'; use sqlite, postgresql or mysql"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: Option<&str>) -> (tempfile::TempDir, Result<Config, ConfigError>) {
        let dir = tempfile::tempdir().unwrap();
        if let Some(text) = text {
            std::fs::write(dir.path().join("config.yml"), text).unwrap();
        }
        let config = Config::load(dir.path(), None);
        (dir, config)
    }

    #[test]
    fn no_file_means_sqlite_outflow_db_in_the_root() {
        let (dir, config) = load(None);
        let config = config.unwrap();
        assert_eq!(
            config.database("default").unwrap(),
            &Target::Sqlite {
                path: dir.path().join("outflow.db")
            }
        );
        assert!(config.file().is_none());
    }

    #[test]
    fn labels_resolve_relative_paths_and_default_is_added() {
        let (dir, config) = load(Some(
            "databases:\n  other:\n    dialect: sqlite\n    path: data/other.db\nparameters:\n  compute: {x: 1}\n",
        ));
        let config = config.unwrap();
        assert_eq!(config.labels().collect::<Vec<_>>(), ["default", "other"]);
        assert_eq!(
            config.database("other").unwrap(),
            &Target::Sqlite {
                path: dir.path().join("data/other.db")
            }
        );
        let err = config.database("nope").unwrap_err().to_string();
        assert!(
            err.starts_with("no database 'nope' in ")
                && err.ends_with("labels defined: default, other"),
            "{err}"
        );
    }

    #[test]
    fn malformed_files_are_named_with_what_to_do() {
        let cases = [
            ("databases: [", "invalid config file"),
            (
                "databases:\n  default:\n    dialect: sqlite\n    pth: x.db\n",
                "unknown field `pth`",
            ),
            (
                "databases:\n  default:\n    dialect: sqlite\n",
                "databases.default: a sqlite database needs `path:`",
            ),
            (
                "databases:\n  default:\n    dialect: oracle\n    path: x\n",
                "unknown dialect 'oracle'; use sqlite, postgresql or mysql",
            ),
            (
                "databases:\n  default:\n    path: x.db\n",
                "missing field `dialect`",
            ),
            (
                "databases:\n  default:\n    dialect: sqlite\n    path: x.db\n    address: h:1\n",
                "takes only `path:`",
            ),
        ];
        for (text, expected) in cases {
            let (_dir, config) = load(Some(text));
            let err = config.unwrap_err().to_string();
            assert!(err.contains(expected), "{text:?} gave {err}");
            assert!(err.contains("config.yml"), "{err}");
            assert!(!err.contains('\n'), "one line: {err}");
        }
    }

    #[test]
    fn an_explicit_missing_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = Config::load(dir.path(), Some(Path::new("nope.yml")))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("cannot read config file ") && err.contains("nope.yml"),
            "{err}"
        );
    }
}
