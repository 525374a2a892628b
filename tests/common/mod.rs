//! A pipeline crate copied to a temporary folder, built with cargo and driven as a user would.

#![allow(dead_code)]

pub mod account;
pub mod live;
pub mod samples;
pub mod servers;

// Each test binary uses a different part of this module.
#[allow(unused_imports)]
pub use servers::{Dialect, ServerDatabase, dialects};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

/// The workspace root.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds are serialised: they share one target folder.
static BUILD: Mutex<()> = Mutex::new(());

/// A copy of a pipeline crate (the tutorial by default) outside the workspace.
pub struct Project {
    _tmp: tempfile::TempDir,
    /// The crate folder.
    pub dir: PathBuf,
    name: String,
    /// The server database its config.yml points at (none: SQLite `outflow.db`).
    pub database: Option<ServerDatabase>,
}

/// A command's outcome.
#[derive(Debug)]
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Panics with the output unless the exit code is `code`.
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// The `error: ...` line.
    pub fn error_line(&self) -> &str {
        let lines: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect();
        assert_eq!(
            lines.len(),
            1,
            "one error line expected in:\n{}",
            self.stderr
        );
        lines[0]
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == "target" || name.ends_with(".db") || name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(&*name));
        } else {
            std::fs::copy(&path, to.join(&*name)).unwrap();
        }
    }
}

impl Project {
    /// A copy of `examples/<name>` depending on this workspace's `outflow`, with the
    /// example's other dependencies.
    pub fn example(name: &str) -> Project {
        let dir = workspace().join("examples").join(name);
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let dependencies: String = manifest
            .split("[dependencies]")
            .nth(1)
            .unwrap_or("")
            .lines()
            .take_while(|l| !l.starts_with('['))
            .filter(|l| !l.trim().is_empty() && !l.starts_with("outflow"))
            .map(|l| format!("{l}\n"))
            .collect();
        Project::copy(&dir, name, &dependencies)
    }

    /// A copy of `tests/fixtures/pipelines/<name>`, with extra `[dependencies]` lines.
    pub fn fixture(name: &str, dependencies: &str) -> Project {
        Project::copy(
            &workspace().join("tests/fixtures/pipelines").join(name),
            name,
            dependencies,
        )
    }

    fn copy(from: &Path, name: &str, dependencies: &str) -> Project {
        // Tests run in parallel and share one target folder: each copy gets its own package
        // (and binary) name, or one test's build would replace another's binary.
        static COPIES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let copy = COPIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = &format!("{name}_{}_{copy}", std::process::id());
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(name);
        copy_dir(from, &dir);
        let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\noutflow = {{ path = {:?} }}\n{dependencies}\n[workspace]\n\n\
             [profile.dev]\ndebug = false\n",
            workspace().display().to_string()
        );
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
        std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        let project = Project {
            _tmp: tmp,
            dir,
            name: name.to_string(),
            database: None,
        };
        project.build();
        project
    }

    /// Points the pipeline's `default` database at a fresh database of `dialect` (SQLite: the
    /// crate's own config, `outflow.db`).
    pub fn on(mut self, dialect: Dialect) -> Project {
        if let Some(db) = ServerDatabase::create(dialect) {
            std::fs::write(self.path("config.yml"), db.config_yaml()).unwrap();
            self.database = Some(db);
        }
        self
    }

    /// The dialect the project runs on.
    pub fn dialect(&self) -> &'static str {
        match &self.database {
            None => "sqlite",
            Some(db) if db.url().starts_with("postgres") => "postgresql",
            Some(_) => "mysql",
        }
    }

    /// The database as `db inspect` reads it.
    pub fn schema(&self) -> outflow::schema::Schema {
        let inspected = self.run(&["db", "inspect"]).expect(0);
        outflow::schema::Schema::from_yaml(&inspected.stdout).unwrap()
    }

    /// What must not change when a command is refused: the SQLite file's bytes, or a server
    /// database's catalog and version rows.
    pub fn fingerprint(&self) -> Vec<u8> {
        match &self.database {
            None => std::fs::read(self.path("outflow.db")).unwrap_or_default(),
            Some(db) => {
                // The test may have broken config.yml: read through a config of our own.
                let good = self.dir.with_extension("fingerprint.yml");
                std::fs::write(&good, db.config_yaml()).unwrap();
                let config = good.display().to_string();
                let inspect = self.run(&["--config", &config, "db", "inspect"]);
                let current = self.run(&["--config", &config, "db", "current"]);
                let _ = std::fs::remove_file(&good);
                format!("{}\n{}\n{}", inspect.code, inspect.stdout, current.stdout).into_bytes()
            }
        }
    }

    /// `cargo build` of the copy, into a target folder shared by every test.
    pub fn build(&self) {
        let _guard = BUILD.lock().unwrap_or_else(|e| e.into_inner());
        let out = Command::new(env!("CARGO"))
            .args(["build", "--quiet"])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", self.target_dir())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cargo build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn target_dir(&self) -> PathBuf {
        workspace().join("target").join("e2e-pipelines")
    }

    /// The pipeline binary.
    pub fn binary(&self) -> PathBuf {
        self.target_dir().join("debug").join(&self.name)
    }

    /// Runs the built binary in the crate folder (the pipeline root).
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Runs the built binary with extra environment variables.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = Command::new(self.binary())
            .args(args)
            .current_dir(&self.dir)
            .env_remove("OUTFLOW_ROOT")
            .env_remove("OUTFLOW_CONFIG_PATH")
            .env_remove("OUTFLOW_DATABASE_URL")
            .env("RUST_LOG", "info")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        Run::from(out)
    }

    /// A file of the crate.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    /// Replaces `from` by `to` in a file of the crate.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let path = self.path(relative);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{relative} does not contain {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    /// Revision files of the tutorial plugin, sorted.
    pub fn revision_files(&self) -> Vec<PathBuf> {
        self.files_in("src/data_reduction/revisions/default")
    }

    /// Files of a folder of the crate, sorted (none when it does not exist).
    pub fn files_in(&self, relative: &str) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(self.path(relative)) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        files
    }

    /// The bytes of the SQLite database file.
    pub fn db_bytes(&self) -> Vec<u8> {
        std::fs::read(self.path("outflow.db")).unwrap()
    }
}

impl Drop for Project {
    /// Each copy has its own binary name: remove what its build left in the shared target folder
    /// (a debug pipeline binary weighs about 200 MB).
    fn drop(&mut self) {
        let debug = self.target_dir().join("debug");
        let _ = std::fs::remove_file(debug.join(&self.name));
        let _ = std::fs::remove_file(debug.join(format!("{}.d", self.name)));
        for folder in ["deps", ".fingerprint", "build", "incremental"] {
            let Ok(entries) = std::fs::read_dir(debug.join(folder)) else {
                continue;
            };
            for entry in entries.flatten() {
                if entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{}-", self.name))
                {
                    let path = entry.path();
                    let _ = if path.is_dir() {
                        std::fs::remove_dir_all(&path)
                    } else {
                        std::fs::remove_file(&path)
                    };
                }
            }
        }
    }
}

/// The head of the framework's own branch (`outflow`, `revisions/default/`), which every
/// pipeline's `db upgrade heads` applies too.
pub fn framework_head() -> String {
    let dir = workspace().join("revisions").join("default");
    let mut ids = Vec::new();
    let mut parents = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some(id) = line.strip_prefix("pub const REVISION: &str = \"") {
                ids.push(id.trim_end_matches("\";").to_string());
            }
            if line.starts_with("pub const DOWN_REVISION") {
                parents.push_str(line);
            }
        }
    }
    let heads: Vec<String> = ids
        .into_iter()
        .filter(|id| !parents.contains(id.as_str()))
        .collect();
    assert_eq!(
        heads.len(),
        1,
        "the framework's branch has one head: {heads:?}"
    );
    heads.into_iter().next().unwrap()
}
