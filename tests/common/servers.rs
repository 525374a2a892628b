//! The dialects the end-to-end tests run on, and a fresh database on each server.
//!
//! `scripts/test.sh` starts throwaway PostgreSQL and MariaDB servers and exports
//! `OUTFLOW_TEST_POSTGRES_URL` and `OUTFLOW_TEST_MYSQL_URL`. Without them the server dialects
//! are left out, loudly, except under CI (`CI=true`), where a missing server is a failure.

use sqlx::{AssertSqlSafe, Connection};

/// A dialect an end-to-end test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// A SQLite file in the pipeline root.
    Sqlite,
    /// A database on the test PostgreSQL server.
    Postgres,
    /// A database on the test MariaDB server.
    Mysql,
}

impl Dialect {
    fn variable(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => "OUTFLOW_TEST_POSTGRES_URL",
            Dialect::Mysql => "OUTFLOW_TEST_MYSQL_URL",
        }
    }

    /// The server's admin URL, if the tests have one.
    fn server_url(self) -> Option<String> {
        if self == Dialect::Sqlite {
            return None;
        }
        let url = std::env::var(self.variable())
            .ok()
            .filter(|u| !u.is_empty());
        if url.is_none() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{} is not set: CI must run every dialect (scripts/test.sh starts the servers)",
                self.variable()
            );
            eprintln!(
                "note: {} is not set, {self:?} left out (scripts/test.sh starts the servers)",
                self.variable()
            );
        }
        url
    }
}

/// Every dialect with a server to run on: SQLite always.
pub fn dialects() -> Vec<Dialect> {
    [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql]
        .into_iter()
        .filter(|d| *d == Dialect::Sqlite || d.server_url().is_some())
        .collect()
}

/// A database created for one test and dropped after it.
pub struct ServerDatabase {
    dialect: Dialect,
    admin_url: String,
    /// The database's name.
    pub name: String,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// `scheme://user@host:port/` of a server URL, without its database.
fn base(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{host}")
}

async fn execute(dialect: Dialect, url: &str, sql: String) {
    match dialect {
        Dialect::Postgres => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .unwrap();
        }
        Dialect::Mysql => {
            let mut conn = sqlx::MySqlConnection::connect(url).await.unwrap();
            sqlx::query(AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .unwrap();
        }
        Dialect::Sqlite => unreachable!("SQLite needs no server"),
    }
}

impl ServerDatabase {
    /// A fresh, empty database on `dialect`'s server; `None` for SQLite or without a server.
    pub fn create(dialect: Dialect) -> Option<ServerDatabase> {
        let admin_url = dialect.server_url()?;
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("outflow_e2e_{}_{n}", std::process::id());
        runtime().block_on(execute(
            dialect,
            &admin_url,
            format!("CREATE DATABASE {name}"),
        ));
        Some(ServerDatabase {
            dialect,
            admin_url,
            name,
        })
    }

    /// The database's name on its server.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The server's `host:port`.
    pub fn address(&self) -> String {
        let base = base(&self.admin_url);
        let authority = base.split_once("://").map_or(base.as_str(), |(_, r)| r);
        authority
            .rsplit_once('@')
            .map_or(authority, |(_, a)| a)
            .to_string()
    }

    /// The sqlx URL of the database.
    pub fn url(&self) -> String {
        format!("{}/{}", base(&self.admin_url), self.name)
    }

    /// A `config.yml` whose `default` database is this one.
    pub fn config_yaml(&self) -> String {
        let dialect = match self.dialect {
            Dialect::Postgres => "postgresql",
            _ => "mysql",
        };
        format!(
            "databases:\n  default:\n    dialect: {dialect}\n    url: {}\n",
            self.url()
        )
    }

    /// Drops the database and creates it again, empty.
    pub async fn reset(&self) {
        let drop = match self.dialect {
            Dialect::Postgres => format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            _ => format!("DROP DATABASE IF EXISTS {}", self.name),
        };
        execute(self.dialect, &self.admin_url, drop).await;
        let create = format!("CREATE DATABASE {}", self.name);
        execute(self.dialect, &self.admin_url, create).await;
    }

    /// Runs SQL in the database (tests set up tables nobody owns with it).
    pub fn execute(&self, sql: &str) {
        runtime().block_on(execute(self.dialect, &self.url(), sql.to_string()));
    }
}

impl Drop for ServerDatabase {
    fn drop(&mut self) {
        let sql = match self.dialect {
            Dialect::Postgres => format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            _ => format!("DROP DATABASE IF EXISTS {}", self.name),
        };
        let (dialect, url) = (self.dialect, self.admin_url.clone());
        // Dropping must not panic while a test is already failing.
        let _ = std::panic::catch_unwind(move || runtime().block_on(execute(dialect, &url, sql)));
    }
}

impl ServerDatabase {
    /// The server's own command-line client (`psql`, `mariadb`) on this database, with
    /// `flags` (`-v ON_ERROR_STOP=1`, `-1`, `-e SQL`...) before its connection options.
    pub fn client(&self, flags: &[&str]) -> std::process::Command {
        match self.dialect {
            Dialect::Postgres => {
                let dump =
                    std::env::var("OUTFLOW_TEST_PG_DUMP").unwrap_or_else(|_| "pg_dump".into());
                let psql = std::path::Path::new(&dump).with_file_name("psql");
                let mut c = std::process::Command::new(psql);
                c.args(["-X", "-q"]).args(flags).args(["-d", &self.url()]);
                c
            }
            _ => {
                let rest = self.url().split_once("://").unwrap().1.to_string();
                let (user, rest) = rest.split_once('@').unwrap();
                let (host, _) = rest.split_once('/').unwrap();
                let (host, port) = host.split_once(':').unwrap_or((host, "3306"));
                let mut c = std::process::Command::new("mariadb");
                c.args(["--no-defaults"])
                    .args(flags)
                    .args(["-h", host, "-P", port, "-u", user, &self.name]);
                c
            }
        }
    }

    /// Feeds `sql` to the server's own command-line client, as a user applying an offline
    /// script would; panics with the client's message on failure.
    pub fn run_client(&self, sql: &str) {
        let flags: &[&str] = match self.dialect {
            Dialect::Postgres => &["-v", "ON_ERROR_STOP=1"],
            _ => &[],
        };
        let mut command = self.client(flags);
        let out = run_with_stdin(&mut command, sql);
        assert!(
            out.status.success(),
            "{:?} failed: {}\n{sql}",
            command.get_program(),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The rows of `sql` as the client prints them unaligned: one line per row, columns
    /// separated by `|` (PostgreSQL) or a tab (MariaDB).
    pub fn query(&self, sql: &str) -> String {
        let flags: &[&str] = match self.dialect {
            Dialect::Postgres => &["-A", "-t", "-c", sql],
            _ => &["-N", "-B", "-e", sql],
        };
        let out = self.client(flags).output().unwrap();
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

/// Runs `command` with `input` on its standard input.
pub fn run_with_stdin(command: &mut std::process::Command, input: &str) -> std::process::Output {
    use std::io::Write as _;
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{:?} cannot run: {e}", command.get_program()));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
