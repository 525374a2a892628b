//! Crash consistency: `db upgrade heads` of a 20-revision chain killed (SIGKILL) at random
//! instants. After each kill, the database's schema is exactly the schema of the revisions its
//! version table names (compared with a reference database brought to those revisions), and a
//! rerun completes. On MySQL, which commits each DDL statement by itself, a kill in the middle
//! of a revision leaves a progress record: the next run refuses and says where it stopped.
//!
//! `OUTFLOW_KILLS` sets the number of kills (default 100 on SQLite and PostgreSQL, 20 on
//! MySQL); `OUTFLOW_KILL_SEED` replays a run (the seed is printed). `scripts/kill-test.sh`
//! runs this file alone.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Dialect, Project, ServerDatabase};

#[test]
fn killed_upgrades_on_sqlite() {
    kill_test(Dialect::Sqlite, 100);
}

#[test]
fn killed_upgrades_on_postgres() {
    kill_test(Dialect::Postgres, 100);
}

#[test]
fn killed_upgrades_on_mysql() {
    kill_test(Dialect::Mysql, 20);
}

/// A small xorshift generator: the test needs reproducible instants, not quality randomness.
struct Instants(u64);

impl Instants {
    fn next(&mut self, max: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        max.mul_f64((self.0 % 10_000) as f64 / 10_000.0)
    }
}

fn kills(default: usize) -> usize {
    std::env::var("OUTFLOW_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn seed() -> u64 {
    std::env::var("OUTFLOW_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            now.unwrap().as_nanos() as u64 | 1
        })
}

/// The heads `db current` prints (the chain's and the framework's), joined by spaces ("" at
/// base).
fn heads(p: &Project, config: &str) -> String {
    let framework = common::framework_head();
    let current = p.run(&["--config", config, "db", "current"]).expect(0);
    let ids: BTreeSet<&str> = current
        .stdout
        .split_whitespace()
        .filter(|w| w.starts_with("c0de") || *w == framework)
        .collect();
    ids.into_iter().collect::<Vec<_>>().join(" ")
}

/// The reference database, brought to given heads on demand, and what `db inspect` says of it
/// at each (cached).
struct Reference {
    config: String,
    schemas: BTreeMap<String, String>,
    _server: Option<ServerDatabase>,
}

impl Reference {
    fn new(p: &Project, dialect: Dialect) -> Reference {
        let path = p.path("reference.yml");
        let server = ServerDatabase::create(dialect);
        let yaml = match &server {
            Some(db) => db.config_yaml(),
            None => "databases:\n  default:\n    dialect: sqlite\n    path: reference.db\n".into(),
        };
        std::fs::write(&path, yaml).unwrap();
        Reference {
            config: path.display().to_string(),
            schemas: BTreeMap::new(),
            _server: server,
        }
    }

    fn schema(&mut self, p: &Project, heads: &str) -> String {
        if let Some(s) = self.schemas.get(heads) {
            return s.clone();
        }
        let c = self.config.as_str();
        p.run(&["--config", c, "db", "downgrade", "base"]).expect(0);
        for head in heads.split_whitespace() {
            p.run(&["--config", c, "db", "upgrade", head]).expect(0);
        }
        let schema = p.run(&["--config", c, "db", "inspect"]).expect(0).stdout;
        self.schemas.insert(heads.to_string(), schema.clone());
        schema
    }
}

fn kill_test(dialect: Dialect, default_kills: usize) {
    if !common::dialects().contains(&dialect) {
        return;
    }
    let mut p = Project::fixture("chain", "").on(dialect);
    if !p.path("config.yml").exists() {
        let sqlite = "databases:\n  default:\n    dialect: sqlite\n    path: outflow.db\n";
        std::fs::write(p.path("config.yml"), sqlite).unwrap();
    }
    let own = p.path("config.yml").display().to_string();
    let mut reference = Reference::new(&p, dialect);
    let all = reference.schema(&p, &format!("{} c0de00000020", common::framework_head()));

    let started = Instant::now();
    p.run(&["db", "upgrade", "heads"]).expect(0);
    let full = started.elapsed();
    p.run(&["db", "downgrade", "base"]).expect(0);

    let seed = seed();
    eprintln!("{dialect:?}: a full upgrade takes {full:?}; OUTFLOW_KILL_SEED={seed}");
    let mut instants = Instants(seed);
    let mut reached: BTreeMap<String, usize> = BTreeMap::new();
    let mut refusals = 0;
    for kill in 0..kills(default_kills) {
        let mut child = Command::new(p.binary())
            .args(["db", "upgrade", "heads"])
            .current_dir(&p.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(instants.next(full.mul_f64(1.2)));
        let _ = child.kill();
        child.wait().unwrap();

        let at = heads(&p, &own);
        let schema = p.run(&["db", "inspect"]).expect(0).stdout;
        let rerun = p.run(&["db", "upgrade", "heads"]);
        if dialect == Dialect::Mysql && rerun.code != 0 {
            // Killed inside a revision (or after its statements, before the version table
            // moved): the record says where, and the run refuses, naming `db stamp`.
            let line = rerun.error_line();
            let where_ = line.contains("a previous migration stopped half-way")
                || line.contains("a previous migration ran all");
            assert!(where_ && line.contains("db stamp"), "kill {kill}: {line}");
            refusals += 1;
            p = p.on(dialect);
            continue;
        }
        assert_eq!(rerun.code, 0, "kill {kill}: rerun failed: {}", rerun.stderr);
        assert!(
            schema == reference.schema(&p, &at),
            "kill {kill}: the schema is not that of revisions [{at}]:\n{schema}"
        );
        assert!(p.run(&["db", "inspect"]).expect(0).stdout == all);
        *reached.entry(at).or_default() += 1;
        p.run(&["db", "downgrade", "base"]).expect(0);
    }
    eprintln!("{dialect:?}: states after a kill: {reached:?}; refusals: {refusals}");
    if dialect == Dialect::Postgres {
        // One transaction per revision: kills must land between revisions, not only at the ends.
        assert!(reached.len() > 2, "{reached:?}");
    }
}
