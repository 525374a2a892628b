//! Where a database is, and how to show it without its password.

use std::path::PathBuf;

use super::{DialectName, OpenMode, sqlite};

/// A database server and the credentials to reach it.
///
/// `url` connects with the credentials migrations use (Outflow's `admin`); `runtime_url`, when
/// the config gives a `user`, with the credentials the pipeline uses at run time. Neither is
/// ever printed: [`ServerTarget::display`] and [`redact`] hide passwords.
#[derive(Clone, PartialEq, Eq)]
pub struct ServerTarget {
    /// sqlx connection URL for migrations (`postgres://...`, `mysql://...`).
    pub url: String,
    /// The pipeline's run-time connection URL, when it differs.
    pub runtime_url: Option<String>,
    /// The run-time role's name, granted access to the tables migrations create.
    pub user: Option<String>,
    /// PostgreSQL schema holding the tables (`public` when `None`).
    pub schema: Option<String>,
}

impl std::fmt::Debug for ServerTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerTarget")
            .field("url", &redact(&self.url))
            .field("runtime_url", &self.runtime_url.as_deref().map(redact))
            .field("user", &self.user)
            .field("schema", &self.schema)
            .finish()
    }
}

impl ServerTarget {
    /// The URL without its password.
    pub fn display(&self) -> String {
        redact(&self.url)
    }

    /// The PostgreSQL schema (`public` unless the config says otherwise).
    pub fn schema(&self) -> &str {
        self.schema.as_deref().unwrap_or("public")
    }
}

/// `scheme://user:secret@host/db` with the password replaced by `***`; other text unchanged.
///
/// ```
/// use outflow::dialect::redact;
/// assert_eq!(redact("postgres://admin:s3cret@db:5432/app"), "postgres://admin:***@db:5432/app");
/// assert_eq!(redact("mysql://root@127.0.0.1/x?password=abc"), "mysql://root@127.0.0.1/x?password=***");
/// assert_eq!(redact("outflow.db"), "outflow.db");
/// ```
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let mut out = url[..scheme_end + 3].to_string();
    match authority.rfind('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            match userinfo.find(':') {
                Some(colon) => out.push_str(&format!("{}:***", &userinfo[..colon])),
                None => out.push_str(userinfo),
            }
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    out.push_str(&redact_query(&rest[authority_end..]));
    out
}

/// Hides `password=...` (and `sslpassword=...`) query parameters.
fn redact_query(tail: &str) -> String {
    let Some(q) = tail.find('?') else {
        return tail.to_string();
    };
    let (path, query) = tail.split_at(q + 1);
    let params: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if k.to_ascii_lowercase().ends_with("password") => format!("{k}=***"),
            _ => p.to_string(),
        })
        .collect();
    format!("{path}{}", params.join("&"))
}

/// What keeps sqlx from using a server URL (a bad port, host or option, or no database), so
/// that a malformed URL is an input error found when the config is read, before anything
/// connects. The reason never repeats the URL (it may hold a password).
pub(crate) fn server_url_problem(dialect: DialectName, url: &str) -> Option<String> {
    use std::str::FromStr;
    let parsed = match dialect {
        DialectName::Postgres => sqlx::postgres::PgConnectOptions::from_str(url)
            .map(|o| o.get_database().map(str::to_string)),
        DialectName::Mysql => sqlx::mysql::MySqlConnectOptions::from_str(url)
            .map(|o| o.get_database().map(str::to_string)),
        DialectName::Sqlite => return None,
    };
    match parsed {
        Err(e) => {
            let message = e.to_string();
            Some(
                message
                    .trim_start_matches("error with configuration: ")
                    .to_string(),
            )
        }
        Ok(Some(database)) if !database.is_empty() => None,
        Ok(_) => Some("no database".into()),
    }
}

fn check_server_url(dialect: DialectName, url: &str) -> Result<(), String> {
    let example = match dialect {
        DialectName::Postgres => "postgres://user:password@host:5432/database",
        _ => "mysql://user:password@host:3306/database",
    };
    match server_url_problem(dialect, url) {
        None => Ok(()),
        Some(problem) => Err(format!(
            "the URL is not valid ({problem}); write it as {example}"
        )),
    }
}

/// Where a database is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A SQLite file.
    Sqlite {
        /// The file.
        path: PathBuf,
    },
    /// A PostgreSQL server.
    Postgres(ServerTarget),
    /// A MySQL or MariaDB server.
    Mysql(ServerTarget),
}

impl Target {
    /// A target from an sqlx URL: `sqlite://path` (relative to `root`), `postgres://...`
    /// (or `postgresql://`), `mysql://...` (or `mariadb://`). The error never repeats the URL
    /// (it may hold a password).
    ///
    /// ```
    /// use std::path::Path;
    /// use outflow::dialect::Target;
    /// let t = Target::from_url("postgresql://a:b@h/db", Path::new("/")).unwrap();
    /// assert_eq!(t.display(), "postgres://a:***@h/db");
    /// ```
    pub fn from_url(url: &str, root: &std::path::Path) -> Result<Target, String> {
        let url = url.trim();
        let Some((scheme, rest)) = url.split_once(':') else {
            return Err("not a URL: use sqlite://path, postgres://... or mysql://...".into());
        };
        let server = |scheme: &str| {
            let rest = url
                .split_once("://")
                .map(|(_, r)| r)
                .filter(|r| !r.is_empty());
            rest.map(|r| ServerTarget {
                url: format!("{scheme}://{r}"),
                runtime_url: None,
                user: None,
                schema: None,
            })
            .ok_or_else(|| {
                format!(
                    "a {scheme}:// URL needs a host, as in {scheme}://user:password@host/database"
                )
            })
        };
        match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => {
                let path = rest
                    .trim_start_matches("//")
                    .split('?')
                    .next()
                    .unwrap_or("");
                if path.is_empty() {
                    return Err("a sqlite URL needs a file, as in sqlite://outflow.db".into());
                }
                let path = std::path::Path::new(path);
                Ok(Target::Sqlite {
                    path: if path.is_absolute() {
                        path.to_path_buf()
                    } else {
                        root.join(path)
                    },
                })
            }
            "postgres" | "postgresql" => {
                let target = server("postgres")?;
                check_server_url(DialectName::Postgres, &target.url)?;
                Ok(Target::Postgres(target))
            }
            "mysql" | "mariadb" => {
                let target = server("mysql")?;
                check_server_url(DialectName::Mysql, &target.url)?;
                Ok(Target::Mysql(target))
            }
            other => Err(format!(
                "unsupported URL scheme '{other}'; use sqlite://, postgres:// or mysql://"
            )),
        }
    }

    /// The dialect.
    pub fn dialect(&self) -> DialectName {
        match self {
            Target::Sqlite { .. } => DialectName::Sqlite,
            Target::Postgres(_) => DialectName::Postgres,
            Target::Mysql(_) => DialectName::Mysql,
        }
    }

    /// A SQLite database file.
    pub fn sqlite(path: impl Into<std::path::PathBuf>) -> Target {
        Target::Sqlite { path: path.into() }
    }

    /// A server database of `dialect` (PostgreSQL or MySQL); `None` for SQLite, which has no
    /// server.
    pub fn server(dialect: DialectName, server: ServerTarget) -> Option<Target> {
        match dialect {
            DialectName::Postgres => Some(Target::Postgres(server)),
            DialectName::Mysql => Some(Target::Mysql(server)),
            DialectName::Sqlite => None,
        }
    }

    /// The server, unless this is a SQLite file.
    pub fn server_target(&self) -> Option<&ServerTarget> {
        match self {
            Target::Sqlite { .. } => None,
            Target::Postgres(s) | Target::Mysql(s) => Some(s),
        }
    }

    /// The schema its objects live in: the configured one on PostgreSQL (`public` unless the
    /// config says otherwise); `public`, which nothing uses, on the others.
    pub fn schema(&self) -> &str {
        match self {
            Target::Postgres(server) => server.schema(),
            _ => "public",
        }
    }

    /// Whether a step can stop half-way on this database (each DDL statement commits by
    /// itself), leaving a record of what ran that `db stamp` clears.
    pub fn steps_stop_half_way(&self) -> bool {
        super::contract::dialect_of(self.dialect()).stops_half_way()
    }

    /// A description safe to print (no password).
    pub fn display(&self) -> String {
        match self {
            Target::Sqlite { path } => path.display().to_string(),
            Target::Postgres(s) | Target::Mysql(s) => s.display(),
        }
    }

    /// Whether the database exists yet. A missing SQLite file is an empty database that read
    /// commands do not create; a server's database is assumed to exist (connecting says if
    /// not).
    pub fn exists(&self) -> bool {
        match self {
            Target::Sqlite { path } => path.exists(),
            Target::Postgres(_) | Target::Mysql(_) => true,
        }
    }

    /// Removes a SQLite database that holds no table (a failed first migration created it),
    /// with its WAL files. Servers' databases are never removed.
    pub async fn remove_if_empty(&self) {
        let Target::Sqlite { path } = self else {
            return;
        };
        let Ok(mut db) = sqlite::SqliteDb::open(path, OpenMode::ReadOnly).await else {
            return;
        };
        let empty = db.is_empty().await.unwrap_or(false);
        drop(db);
        if empty {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        for (url, shown) in [
            ("postgres://a:b@h/d", "postgres://a:***@h/d"),
            (
                "postgres://a:p%40ss@h:1/d?sslmode=require",
                "postgres://a:***@h:1/d?sslmode=require",
            ),
            (
                "mysql://u@h/d?password=x&ssl-mode=required",
                "mysql://u@h/d?password=***&ssl-mode=required",
            ),
            ("postgres://h/d", "postgres://h/d"),
            ("postgres://a:b:c@h/d", "postgres://a:***@h/d"),
            ("not a url", "not a url"),
        ] {
            assert_eq!(redact(url), shown);
        }
        let target = ServerTarget {
            url: "postgres://admin:topsecret@h/d".into(),
            runtime_url: Some("postgres://user:alsosecret@h/d".into()),
            user: Some("user".into()),
            schema: None,
        };
        let debug = format!("{target:?}");
        assert!(
            !debug.contains("topsecret") && !debug.contains("alsosecret"),
            "{debug}"
        );
    }
}
