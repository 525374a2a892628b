//! Throwaway databases for tests: a SQLite file in a folder of its own, or a fresh database on
//! the PostgreSQL or MySQL server an environment variable names; either is removed when the
//! value is dropped.

use std::path::{Path, PathBuf};

use super::block_on;
use crate::config::Config;
use crate::dialect::{Database, DbError, OpenMode, Target};
use crate::model::DEFAULT_DATABASE;

/// A database that lives as long as this value: created empty, removed on drop.
///
/// ```
/// use outflow::testing::TestDatabase;
/// let db = TestDatabase::sqlite();
/// assert_eq!(db.label(), "default");
/// assert!(!db.target().exists()); // created by the first upgrade
/// ```
#[derive(Debug)]
pub struct TestDatabase {
    label: String,
    target: Target,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    /// The folder holding the SQLite file.
    Folder(PathBuf),
    /// The database made on a server, dropped through the server it was made on.
    Server { admin: Target, name: String },
}

impl TestDatabase {
    /// A SQLite database in a new temporary folder (the file appears on first use).
    pub fn sqlite() -> TestDatabase {
        let folder = std::env::temp_dir().join(format!("outflow-test-{}", unique()));
        std::fs::create_dir_all(&folder)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", folder.display()));
        TestDatabase {
            label: DEFAULT_DATABASE.to_string(),
            target: Target::sqlite(folder.join("test.db")),
            cleanup: Cleanup::Folder(folder),
        }
    }

    /// A new, empty database on the server whose URL (`postgres://...`, `mysql://...`) is in
    /// the environment variable `variable`; `None` when the variable is unset or empty, so that
    /// a test can say it needs the server. The URL's user must be allowed to create databases.
    ///
    /// Panics when the URL is not a server's or the database cannot be created.
    pub fn from_env(variable: &str) -> Option<TestDatabase> {
        let admin_url = std::env::var(variable)
            .ok()
            .filter(|u| !u.trim().is_empty())?;
        let shown = crate::dialect::redact(&admin_url);
        let admin = match Target::from_url(&admin_url, Path::new(".")) {
            Ok(Target::Sqlite { .. }) => {
                panic!("{variable} names a SQLite file ({shown}); use TestDatabase::sqlite()")
            }
            Ok(server) => server,
            Err(e) => panic!("{variable} is not a database URL: {e}"),
        };
        let name = format!("outflow_test_{}", unique());
        if let Err(e) = on_server(&admin, &name, Make::Create) {
            panic!("cannot create database {name} on {shown} ({variable}): {e}");
        }
        let url = with_database(&admin_url, &name);
        let target = Target::from_url(&url, Path::new("."))
            .unwrap_or_else(|e| panic!("the URL of {name} on {shown} is not valid: {e}"));
        Some(TestDatabase {
            label: DEFAULT_DATABASE.to_string(),
            target,
            cleanup: Cleanup::Server { admin, name },
        })
    }

    /// This database under another label than `default`, for a pipeline with several.
    pub fn for_label(mut self, label: &str) -> TestDatabase {
        self.label = label.to_string();
        self
    }

    /// The label it stands for.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Where it is.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// A config for a pipeline rooted at `root` whose label is this database (the other
    /// labels keep the built-in default).
    pub fn config(&self, root: &Path) -> Config {
        Config::new(root).with_database(&self.label, self.target.clone())
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Folder(folder) => {
                let _ = std::fs::remove_dir_all(folder);
            }
            Cleanup::Server { admin, name } => {
                // Never a panic here: the test may already be failing.
                if let Err(e) = on_server(admin, name, Make::Drop) {
                    tracing::warn!("test database {name} was not dropped: {e}");
                }
            }
        }
    }
}

/// A name no other test of any process uses at the same time.
fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..16].to_string()
}

/// `url` with its database (path) replaced by `name`, its query kept.
fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let query = tail.find('?').map_or("", |q| &tail[q..]);
    format!("{scheme}://{authority}/{name}{query}")
}

/// What [`on_server`] does with a database.
#[derive(Debug, Clone, Copy)]
enum Make {
    Create,
    Drop,
}

/// Creates or drops the database `name` on the server `admin` connects to, through the
/// dialect (each quotes the name and knows how its server drops a database in use).
fn on_server(admin: &Target, name: &str, make: Make) -> Result<(), DbError> {
    block_on(|| async {
        let mut db = Database::open(admin, OpenMode::ReadWrite).await?;
        let done = match make {
            Make::Create => db.create_database(name).await,
            Make::Drop => db.drop_database(name).await,
        };
        db.close().await;
        done
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_of_a_url_is_replaced() {
        assert_eq!(
            with_database("postgres://u:p@h:5432/postgres?sslmode=disable", "t1"),
            "postgres://u:p@h:5432/t1?sslmode=disable"
        );
        assert_eq!(
            with_database("mysql://root@h:3306", "t2"),
            "mysql://root@h:3306/t2"
        );
    }

    #[test]
    fn a_sqlite_database_leaves_nothing_behind() {
        let db = TestDatabase::sqlite();
        let Target::Sqlite { path } = db.target().clone() else {
            panic!("not SQLite")
        };
        std::fs::write(&path, b"").unwrap();
        let folder = path.parent().unwrap().to_path_buf();
        drop(db);
        assert!(!folder.exists());
    }

    #[test]
    fn an_unset_variable_gives_no_database() {
        assert!(TestDatabase::from_env("OUTFLOW_TEST_SURELY_UNSET_VARIABLE").is_none());
    }
}
