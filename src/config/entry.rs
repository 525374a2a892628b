//! One `databases:` entry of `config.yml`, and the environment's overrides.

use crate::dialect::DialectName;
use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Deserializer};

use super::{ConfigError, absolute};
use crate::dialect::{ServerTarget, Target};

/// Reads an environment variable (a parameter, so tests do not touch the process's).
pub(super) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A scalar read as text: a numeric password is still a password (and a type error would
/// print it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Scalar {
            Text(String),
            Int(i64),
            Float(f64),
            Bool(bool),
        }
        let text = match Scalar::deserialize(deserializer)
            .map_err(|_| serde::de::Error::custom("expected a text value"))?
        {
            Scalar::Text(s) => s,
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Bool(b) => b.to_string(),
        };
        Ok(Text(text))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DatabaseEntry {
    dialect: String,
    path: Option<Text>,
    address: Option<Text>,
    database: Option<Text>,
    admin: Option<Text>,
    user: Option<Text>,
    url: Option<Text>,
    schema: Option<Text>,
}

/// `${NAME}` replaced by the environment variable `NAME`.
fn interpolate(key: &str, value: &Text, env: Env<'_>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = value.0.as_str();
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .ok_or_else(|| format!("`{key}:` has a `${{` without its `}}`"))?;
        let name = &rest[start + 2..start + end];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "`{key}:` names an invalid environment variable `${{{name}}}`"
            ));
        }
        let found = env(name).ok_or_else(|| {
            format!("`{key}:` uses the environment variable {name}, which is not set")
        })?;
        out.push_str(&found);
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `name:password` split, percent-encoded for a URL.
fn credentials(key: &str, value: &str) -> Result<(String, String), String> {
    let (name, password) = value
        .split_once(':')
        .ok_or_else(|| format!("`{key}:` is `name:password`; the `:` is missing"))?;
    if name.is_empty() {
        return Err(format!("`{key}:` has an empty name"));
    }
    Ok((name.to_string(), password.to_string()))
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl DatabaseEntry {
    /// The entry as a target; the error says which key is wrong and what to write.
    pub(super) fn into_target(self, root: &Path, env: Env<'_>) -> Result<Target, String> {
        let get =
            |key: &str, v: &Option<Text>| v.as_ref().map(|t| interpolate(key, t, env)).transpose();
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
                let path = get("path", &self.path)?
                    .ok_or("a sqlite database needs `path:`, for example `path: outflow.db`")?;
                if path.trim().is_empty() {
                    return Err("`path:` is empty; give a file name such as outflow.db".into());
                }
                Ok(Target::sqlite(absolute(root, Path::new(&path))))
            }
            dialect @ ("postgresql" | "postgres" | "mysql" | "mariadb") => {
                if self.path.is_some() {
                    return Err(format!(
                        "`path:` is for sqlite; a {dialect} server takes `address:`, `database:` and `admin:`, or `url:`"
                    ));
                }
                if self.schema.is_some() && matches!(dialect, "mysql" | "mariadb") {
                    return Err(
                        "`schema:` is for postgresql; on mysql the database is the schema".into(),
                    );
                }
                let name: DialectName = dialect.parse()?;
                let scheme = match name {
                    DialectName::Postgres => "postgres",
                    _ => "mysql",
                };
                let server = self.server(scheme, env)?;
                Ok(Target::server(name, server).expect("a server dialect"))
            }
            other => Err(format!(
                "unknown dialect '{other}'; use sqlite, postgresql or mysql"
            )),
        }
    }

    fn server(self, scheme: &str, env: Env<'_>) -> Result<ServerTarget, String> {
        let get =
            |key: &str, v: &Option<Text>| v.as_ref().map(|t| interpolate(key, t, env)).transpose();
        let user = get("user", &self.user)?
            .map(|u| credentials("user", &u))
            .transpose()?;
        let schema = get("schema", &self.schema)?;
        let self_url = self.url.is_some();
        let (url, host_and_db) = match get("url", &self.url)? {
            Some(url) => {
                if self.address.is_some() || self.database.is_some() || self.admin.is_some() {
                    return Err(
                        "give either `url:` or `address:`, `database:` and `admin:`, not both"
                            .into(),
                    );
                }
                let target = Target::from_url(&url, Path::new("."))?;
                let rest = url.split_once("://").map(|(_, r)| r).unwrap_or("");
                let after_at = rest.rsplit_once('@').map_or(rest, |(_, h)| h).to_string();
                (target_url(target)?, after_at)
            }
            None => {
                let address = get("address", &self.address)?
                    .ok_or("a server needs `address:` (host:port) or `url:`")?;
                let database = get("database", &self.database)?
                    .ok_or("a server needs `database:` (or a `url:`)")?;
                let admin = get("admin", &self.admin)?
                    .ok_or("admin credentials missing: add `admin: name:password` (migrations connect as admin), or a `url:`")?;
                let (name, password) = credentials("admin", &admin)?;
                let host_and_db = format!("{address}/{}", encode(&database));
                (
                    format!(
                        "{scheme}://{}:{}@{host_and_db}",
                        encode(&name),
                        encode(&password)
                    ),
                    host_and_db,
                )
            }
        };
        let dialect = if scheme == "postgres" {
            DialectName::Postgres
        } else {
            DialectName::Mysql
        };
        // A `url:` was checked as it was read; `address:` and `database:` are checked here.
        if let (false, Some(problem)) = (
            self_url,
            crate::dialect::target::server_url_problem(dialect, &url),
        ) {
            return Err(format!(
                "`address:` and `database:` do not make a valid server address ({problem}); write `address:` as host:port"
            ));
        }
        let runtime_url = user.as_ref().map(|(name, password)| {
            format!(
                "{scheme}://{}:{}@{host_and_db}",
                encode(name),
                encode(password)
            )
        });
        Ok(ServerTarget {
            url,
            runtime_url,
            user: user.map(|(name, _)| name),
            schema,
        })
    }
}

fn target_url(target: Target) -> Result<String, String> {
    match target.server_target() {
        Some(server) => Ok(server.url.clone()),
        None => Err("`url:` of a server must be a postgres:// or mysql:// URL".into()),
    }
}

/// `OUTFLOW_DATABASE_URL` (label `default`) and `OUTFLOW_DATABASE_URL_<LABEL>` replace entries.
pub(super) fn apply_env_overrides(
    databases: &mut BTreeMap<String, Target>,
    root: &Path,
    env: Env<'_>,
) -> Result<(), ConfigError> {
    let labels: Vec<String> = databases.keys().cloned().collect();
    for label in labels {
        let var = if label == crate::model::DEFAULT_DATABASE {
            "OUTFLOW_DATABASE_URL".to_string()
        } else {
            format!(
                "OUTFLOW_DATABASE_URL_{}",
                label
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    })
                    .collect::<String>()
            )
        };
        if let Some(url) = env(&var).filter(|u| !u.trim().is_empty()) {
            let target =
                Target::from_url(&url, root).map_err(|message| ConfigError::Environment {
                    variable: var.clone(),
                    message,
                })?;
            databases.insert(label, target);
        }
    }
    Ok(())
}
