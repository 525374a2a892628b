//! `config.yml`: where each database label lives, in Outflow's shape.
//!
//! Layer: above `dialect` (for [`Target`](crate::dialect::Target)) and `model`; it opens no
//! database.
//!
//! ```yaml
//! databases:
//!   default:
//!     dialect: sqlite
//!     path: outflow.db
//! ```
//!
//! Servers are written as in Outflow, or with a URL:
//!
//! ```yaml
//! databases:
//!   default:
//!     dialect: postgresql          # or mysql (MySQL and MariaDB)
//!     address: localhost:5432      # host[:port]
//!     database: outflow_tuto
//!     admin: pipeadmin:${ADMIN_PASSWORD}   # migrations connect as admin
//!     user: pipeuser:${USER_PASSWORD}      # the pipeline connects as user
//!     schema: public               # PostgreSQL only
//!   other:
//!     dialect: postgresql
//!     url: postgres://pipeadmin:${ADMIN_PASSWORD}@db.example:5432/other
//! ```
//!
//! `${NAME}` in any value is replaced by the environment variable `NAME` (an error when it is
//! not set). `OUTFLOW_DATABASE_URL` replaces the `default` entry and
//! `OUTFLOW_DATABASE_URL_<LABEL>` any other (label upper-cased, other characters as `_`), with
//! an sqlx URL (`sqlite://`, `postgres://`, `mysql://`, `mariadb://`).
//!
//! The pipeline root is `--root`, else `OUTFLOW_ROOT`, else the current directory. The file is
//! `--config`, else `OUTFLOW_CONFIG_PATH`, else `<root>/config.yml`; without one every label
//! is missing but `default`, which is always there: SQLite `outflow.db` in the root unless the
//! file or the environment says otherwise. Relative paths resolve against the root. Keys other
//! than `databases` belong to the pipeline and are kept as they are. Passwords never appear in
//! messages.

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
    /// An environment override is unusable.
    #[error("invalid {variable}: {message}")]
    Environment {
        /// The variable.
        variable: String,
        /// What is wrong.
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

mod entry;

use entry::DatabaseEntry;

#[derive(Debug, Default, Deserialize)]
struct File {
    #[serde(default)]
    databases: BTreeMap<String, DatabaseEntry>,
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
        Config::load_with_env(root, file, &|name| std::env::var(name).ok())
    }

    /// [`Config::load`] reading environment variables through `env`.
    pub(crate) fn load_with_env(
        root: &Path,
        file: Option<&Path>,
        env: entry::Env<'_>,
    ) -> Result<Config, ConfigError> {
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
                .into_target(root, env)
                .map_err(|message| ConfigError::Database {
                    path: shown.clone(),
                    label: label.clone(),
                    message,
                })?;
            databases.insert(label, target);
        }
        databases
            .entry(DEFAULT_DATABASE.to_string())
            .or_insert_with(|| Target::sqlite(root.join("outflow.db")));
        entry::apply_env_overrides(&mut databases, root, env)?;
        Ok(Config {
            root: root.to_path_buf(),
            file,
            databases,
        })
    }

    /// The built-in default for a pipeline rooted at `root`, read from no file and no
    /// environment variable: the `default` label on SQLite `<root>/outflow.db`.
    ///
    /// ```
    /// use outflow::config::Config;
    /// use outflow::dialect::Target;
    /// let config = Config::new("/tmp/p").with_database("archive", Target::sqlite("/tmp/a.db"));
    /// assert_eq!(config.labels().collect::<Vec<_>>(), ["archive", "default"]);
    /// ```
    pub fn new(root: impl Into<PathBuf>) -> Config {
        let root = root.into();
        let default = Target::sqlite(root.join("outflow.db"));
        Config {
            databases: BTreeMap::from([(DEFAULT_DATABASE.to_string(), default)]),
            root,
            file: None,
        }
    }

    /// This config with database `label` at `target` (added or replaced).
    pub fn with_database(mut self, label: &str, target: Target) -> Config {
        self.databases.insert(label.to_string(), target);
        self
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

    fn with_env(text: &str, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.yml"), text).unwrap();
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let env = move |name: &str| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        Config::load_with_env(dir.path(), None, &env)
    }

    fn server(target: &Target) -> &crate::dialect::ServerTarget {
        match target {
            Target::Postgres(s) | Target::Mysql(s) => s,
            Target::Sqlite { .. } => panic!("a server was expected"),
        }
    }

    #[test]
    fn servers_in_outflow_shape_with_interpolated_secrets() {
        let text = "databases:\n  default:\n    dialect: postgresql\n    address: localhost:5432\n    \
                    database: outflow tuto\n    admin: pipeadmin:${ADMIN_PW}\n    user: pipeuser:p@ss:w0rd\n    \
                    schema: app\n  other:\n    dialect: mariadb\n    url: mysql://root:${ROOT_PW}@db:3306/other\n";
        let config = with_env(text, &[("ADMIN_PW", "s3cr/et"), ("ROOT_PW", "12345")]).unwrap();
        let pg = server(config.database("default").unwrap());
        assert_eq!(
            pg.url,
            "postgres://pipeadmin:s3cr%2Fet@localhost:5432/outflow%20tuto"
        );
        assert_eq!(
            pg.runtime_url.as_deref(),
            Some("postgres://pipeuser:p%40ss%3Aw0rd@localhost:5432/outflow%20tuto")
        );
        assert_eq!((pg.user.as_deref(), pg.schema()), (Some("pipeuser"), "app"));
        assert_eq!(
            config.database("default").unwrap().display(),
            "postgres://pipeadmin:***@localhost:5432/outflow%20tuto"
        );
        let my = config.database("other").unwrap();
        assert_eq!(my.dialect(), crate::dialect::DialectName::Mysql);
        assert_eq!(server(my).url, "mysql://root:12345@db:3306/other");
    }

    #[test]
    fn environment_urls_replace_entries() {
        let text = "databases:\n  other-db:\n    dialect: sqlite\n    path: x.db\n";
        let config = with_env(
            text,
            &[
                ("OUTFLOW_DATABASE_URL", "postgres://u:pw@h/d"),
                ("OUTFLOW_DATABASE_URL_OTHER_DB", "sqlite://y.db"),
            ],
        )
        .unwrap();
        assert_eq!(
            config.database("default").unwrap().display(),
            "postgres://u:***@h/d"
        );
        assert!(
            matches!(config.database("other-db").unwrap(), Target::Sqlite { path } if path.ends_with("y.db"))
        );
        let err = with_env(
            text,
            &[("OUTFLOW_DATABASE_URL", "oracle://u:topsecret@h/d")],
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "invalid OUTFLOW_DATABASE_URL: unsupported URL scheme 'oracle'; use sqlite://, postgres:// or mysql://"
        );
    }

    #[test]
    fn server_mistakes_are_named_and_never_show_passwords() {
        let cases = [
            (
                "dialect: postgresql\n    address: h:1\n    database: d\n",
                "admin credentials missing",
            ),
            (
                "dialect: postgresql\n    database: d\n    admin: a:b\n",
                "needs `address:`",
            ),
            (
                "dialect: postgresql\n    address: h\n    database: d\n    admin: nocolon\n",
                "`admin:` is `name:password`",
            ),
            (
                "dialect: postgresql\n    address: h\n    database: d\n    admin: a:${NOPE}\n",
                "environment variable NOPE, which is not set",
            ),
            (
                "dialect: mysql\n    url: mysql://a:topsecret@h/d\n    schema: s\n",
                "`schema:` is for postgresql",
            ),
            (
                "dialect: postgresql\n    url: postgres://a:topsecret@h/d\n    address: h\n",
                "either `url:` or `address:`",
            ),
            (
                "dialect: postgresql\n    path: x.db\n",
                "`path:` is for sqlite",
            ),
            (
                "dialect: postgresql\n    address: h\n    database: d\n    admin: 12345\n",
                "`admin:` is `name:password`",
            ),
        ];
        for (entry, needle) in cases {
            let err = with_env(&format!("databases:\n  default:\n    {entry}"), &[])
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{entry:?}: {err}");
            assert!(
                !err.contains("topsecret") && !err.contains("12345"),
                "{err}"
            );
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
