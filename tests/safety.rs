//! Migrations run from several places at once, interrupted, or after a revision was edited,
//! through the real binary on every dialect: the lock makes concurrent upgrades apply each
//! revision exactly once, a held lock makes a command wait and give up, and an edited applied
//! revision is refused until it is undone or accepted.

mod common;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use common::{Dialect, Project};

#[test]
fn safety_on_sqlite() {
    safety(Dialect::Sqlite);
}

#[test]
fn safety_on_postgres() {
    safety(Dialect::Postgres);
}

#[test]
fn safety_on_mysql() {
    safety(Dialect::Mysql);
}

fn safety(dialect: Dialect) {
    if !common::dialects().contains(&dialect) {
        return;
    }
    let p = Project::fixture("chain", "").on(dialect);
    concurrent_upgrades(&p);
    held_lock(&p);
    edited_revision(&p);
}

/// The applied log as `db log` prints it: (direction, revision, outcome) per row.
fn log_rows(p: &Project) -> Vec<(String, String, String)> {
    let log = p.run(&["db", "log"]).expect(0);
    log.stdout
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            (f[1].to_string(), f[2].to_string(), f[3].to_string())
        })
        .collect()
}

/// 16 processes upgrade a fresh database at once: all succeed, each revision runs once.
fn concurrent_upgrades(p: &Project) {
    let children: Vec<_> = (0..16)
        .map(|_| {
            Command::new(p.binary())
                .args(["db", "upgrade", "heads"])
                .current_dir(&p.dir)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "a concurrent upgrade failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut runs: BTreeMap<String, usize> = BTreeMap::new();
    for (direction, revision, outcome) in log_rows(p) {
        assert_eq!(
            (direction.as_str(), outcome.as_str()),
            ("upgrade", "applied")
        );
        *runs.entry(revision).or_default() += 1;
    }
    assert_eq!(
        runs.len(),
        21,
        "the chain's 20 and the framework's: {runs:?}"
    );
    assert!(runs.contains_key(&common::framework_head()), "{runs:?}");
    assert!(runs.values().all(|&n| n == 1), "{runs:?}");
    let current = p.run(&["db", "current"]).expect(0);
    assert!(
        current.stdout.contains("c0de00000020 (chain) (head)"),
        "{}",
        current.stdout
    );
}

/// Another process holds the lock: the command says it waits, gives up after
/// `--lock-timeout`, and changes nothing.
fn held_lock(p: &Project) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = outflow::config::Config::load(&p.dir, None).unwrap();
    let target = config.database("default").unwrap().clone();
    let mut holder = runtime.block_on(async {
        let mut db =
            outflow::dialect::Database::open(&target, outflow::dialect::OpenMode::ReadWrite)
                .await
                .unwrap();
        db.lock(outflow::dialect::LockWait::DEFAULT).await.unwrap();
        db
    });
    let before = p.fingerprint();
    let run = p
        .run(&["db", "downgrade", "-1", "--lock-timeout", "3.5"])
        .expect(3);
    assert!(
        run.stderr.contains("Waiting for the migration lock"),
        "{}",
        run.stderr
    );
    assert!(
        run.error_line()
            .contains("could not take the migration lock")
            && run.error_line().contains("--lock-timeout"),
        "{}",
        run.stderr
    );
    runtime.block_on(holder.unlock()).unwrap();
    drop(holder);
    assert!(
        p.fingerprint() == before,
        "a refused downgrade changed the database"
    );
    let bad = p
        .run(&["db", "upgrade", "--lock-timeout", "soon"])
        .expect(2);
    assert!(
        bad.stderr.contains("'soon' is not a number of seconds"),
        "{}",
        bad.stderr
    );
}

/// An applied revision edited afterwards: `upgrade` and `verify` refuse with what to do,
/// `stamp --update-checksums` accepts it.
fn edited_revision(p: &Project) {
    p.run(&["db", "verify"]).expect(0);
    let file = "src/revisions/default/c0de00000003_step_3.rs";
    p.edit(
        file,
        "pub fn downgrade",
        "// Reviewed again.\npub fn downgrade",
    );
    p.build();
    let before = p.fingerprint();
    for args in [&["db", "upgrade", "heads"][..], &["db", "downgrade", "-1"]] {
        let run = p.run(args).expect(2);
        let line = run.error_line();
        for needle in [
            "revision c0de00000003 (step 3) was edited after it was applied on 20",
            "its checksum was ",
            "undo the edit, or accept it with `db stamp --update-checksums c0de00000003`",
        ] {
            assert!(line.contains(needle), "{args:?}: {line}");
        }
    }
    let verify = p.run(&["db", "verify"]).expect(1);
    assert!(
        verify
            .stdout
            .contains("revision c0de00000003 (step 3) was edited"),
        "{}",
        verify.stdout
    );
    assert!(p.fingerprint() == before, "a refusal changed the database");

    p.run(&["db", "stamp", "--update-checksums", "c0de00000003"])
        .expect(0);
    p.run(&["db", "verify"]).expect(0);
    p.run(&["db", "downgrade", "-1"]).expect(0);
    let refused = p
        .run(&["db", "stamp", "--update-checksums", "c0de00000020"])
        .expect(2);
    assert!(
        refused
            .error_line()
            .contains("revision c0de00000020 is not applied"),
        "{}",
        refused.stderr
    );
    p.run(&["db", "upgrade", "heads"]).expect(0);
    let last = log_rows(p).pop().unwrap();
    assert_eq!(
        last,
        ("upgrade".into(), "c0de00000020".into(), "applied".into())
    );
}
