//! Every input a user can get wrong: one `error:` line naming the thing, the documented exit
//! code, and the database left as it was (SQLite: the file byte-identical; servers: the same
//! catalog and version rows), on every dialect.

mod common;

use common::{Dialect, Project, Run};

/// Runs `args` and checks the exit code, that the error line contains every `needle`, and that
/// the database did not change.
fn refused(p: &Project, args: &[&str], code: i32, needles: &[&str]) -> Run {
    refused_with_env(p, args, &[], code, needles)
}

/// [`refused`] with extra environment variables.
fn refused_with_env(
    p: &Project,
    args: &[&str],
    env: &[(&str, &str)],
    code: i32,
    needles: &[&str],
) -> Run {
    let before = p.fingerprint();
    let run = p.run_with_env(args, env).expect(code);
    let line = run.error_line().to_string();
    for needle in needles {
        assert!(
            line.contains(needle),
            "{args:?}: {line:?} should contain {needle:?}"
        );
    }
    assert!(p.fingerprint() == before, "{args:?} changed the database");
    run
}

#[test]
fn bad_input_on_sqlite() {
    bad_input(Dialect::Sqlite);
}

#[test]
fn bad_input_on_postgres() {
    bad_input(Dialect::Postgres);
}

#[test]
fn bad_input_on_mysql() {
    bad_input(Dialect::Mysql);
}

fn bad_input(dialect: Dialect) {
    if !common::dialects().contains(&dialect) {
        return;
    }
    let p = Project::example("tuto").on(dialect);
    p.run(&["db", "upgrade", "heads"]).expect(0);

    refused(
        &p,
        &["db", "make_migrations", "--plugin", "tuto.nope", "-m", "x"],
        2,
        &["unknown plugin 'tuto.nope'", "outflow, tuto.data_reduction"],
    );
    refused(&p, &["db", "upgrade", "feedfacecafe"], 2, &["feedfacecafe"]);
    refused(&p, &["db", "downgrade", "zz"], 2, &["'zz'"]);
    refused(
        &p,
        &["db", "make_migrations", "-m", "   "],
        2,
        &["message is empty"],
    );
    refused(
        &p,
        &["db", "make_migrations", "-m", "x", "--rev-id", "bad-id"],
        2,
        &["invalid revision id 'bad-id'"],
    );
    refused(
        &p,
        &["db", "upgrade", "--db-label", "elsewhere"],
        2,
        &["no database 'elsewhere'", "labels defined: default"],
    );
    let usage = p.run(&["db", "frobnicate"]).expect(2);
    assert!(
        usage
            .stderr
            .contains("unrecognized subcommand 'frobnicate'"),
        "{}",
        usage.stderr
    );

    // Behind the heads: downgrade, then autogenerate refuses.
    p.run(&["db", "downgrade", "base"]).expect(0);
    refused(
        &p,
        &["db", "make_migrations", "-m", "x"],
        2,
        &["is not at its heads", "run `db upgrade heads` first"],
    );
    p.run(&["db", "upgrade", "heads"]).expect(0);

    // A revision file the binary was not built with.
    let stray = p.path("src/data_reduction/revisions/default/0000aaaa0000_stray.rs");
    std::fs::write(&stray, "//! stray\n").unwrap();
    refused(
        &p,
        &["db", "make_migrations", "-m", "x"],
        2,
        &["0000aaaa0000_stray.rs is not in this build", "cargo build"],
    );
    refused(
        &p,
        &["db", "check"],
        2,
        &["0000aaaa0000_stray.rs is not in this build"],
    );
    std::fs::remove_file(&stray).unwrap();

    // Malformed configs.
    let config = p.path("config.yml");
    let good = std::fs::read_to_string(&config).unwrap();
    for (text, needle) in [
        ("databases: [\n", "invalid config file"),
        (
            "databases:\n  default:\n    dialect: sqlite\n    pth: x.db\n",
            "unknown field `pth`",
        ),
        (
            "databases:\n  default:\n    dialect: nosql\n    path: x\n",
            "unknown dialect 'nosql'",
        ),
    ] {
        std::fs::write(&config, text).unwrap();
        refused(&p, &["db", "upgrade", "heads"], 2, &[needle, "config.yml"]);
        refused(&p, &["db", "current"], 2, &[needle]);
    }
    for (text, needle) in [
        (
            "databases:\n  default:\n    dialect: postgresql\n    address: h:1\n    database: d\n    admin: \"a:${OUTFLOW_SURELY_UNSET}\"\n",
            "OUTFLOW_SURELY_UNSET, which is not set",
        ),
        (
            "databases:\n  default:\n    dialect: mysql\n    address: \"h:notaport\"\n    database: d\n    admin: \"a:topsecret\"\n",
            "`address:` and `database:` do not make a valid server address (invalid port number)",
        ),
    ] {
        std::fs::write(&config, text).unwrap();
        let run = refused(&p, &["db", "upgrade", "heads"], 2, &[needle, "config.yml"]);
        assert!(!run.stderr.contains("topsecret"), "{}", run.stderr);
    }
    std::fs::write(&config, &good).unwrap();
    // Environment overrides: the URL is checked before anything connects, never printed.
    for (url, needle) in [
        (
            "oracle://u:topsecret@h/d",
            "unsupported URL scheme 'oracle'",
        ),
        ("not a url", "not a URL"),
        ("postgres://u:topsecret@h:notaport/d", "invalid port number"),
        ("postgres://u:topsecret@h/d?sslmode=bogus", "bogus"),
        ("mysql://u:topsecret@h:3306", "(no database)"),
        ("sqlite://", "needs a file"),
    ] {
        let run = refused_with_env(
            &p,
            &["db", "upgrade", "heads"],
            &[("OUTFLOW_DATABASE_URL", url)],
            2,
            &["invalid OUTFLOW_DATABASE_URL", needle],
        );
        assert!(!run.stderr.contains("topsecret"), "{}", run.stderr);
    }
    refused(
        &p,
        &["db", "upgrade", "--lock-timeout", "-1"],
        2,
        &["'-1' is not a number of seconds"],
    );
    refused(
        &p,
        &["db", "upgrade", "+x"],
        2,
        &["'+x' is not a valid target"],
    );
    refused(
        &p,
        &["db", "upgrade", "heads", "--sql", "--dialect", "oracle"],
        2,
        &["invalid value 'oracle'"],
    );
    refused(
        &p,
        &["db", "stamp", "--update-checksums", "feedfacecafe"],
        2,
        &["feedfacecafe"],
    );
    refused(
        &p,
        &["--config", "missing.yml", "db", "current"],
        2,
        &["cannot read config file", "missing.yml"],
    );
    refused(
        &p,
        &["--root", "/nonexistent/root", "db", "current"],
        2,
        &["/nonexistent/root is not a directory"],
    );

    if dialect == Dialect::Sqlite {
        unreadable_sqlite_paths(&p, &config, &good);
    } else {
        unreachable_servers(&p, &config, &good);
    }
    p.run(&["db", "check"]).expect(0);
}

/// A SQLite path that is a directory, in a missing folder, or not a database: exit 3.
fn unreadable_sqlite_paths(p: &Project, config: &std::path::Path, good: &str) {
    std::fs::create_dir(p.path("a_directory.db")).unwrap();
    for (path, command, needles) in [
        (
            "a_directory.db",
            "upgrade",
            &["a_directory.db", "is a directory"][..],
        ),
        ("no/such/dir/x.db", "upgrade", &["no/such/dir/x.db"][..]),
        ("config.yml", "current", &["config.yml"][..]),
    ] {
        std::fs::write(
            config,
            format!("databases:\n  default:\n    dialect: sqlite\n    path: {path}\n"),
        )
        .unwrap();
        let mut expected = vec!["cannot open database"];
        expected.extend(needles);
        refused(
            p,
            &["db", command, "heads"][..if command == "current" { 2 } else { 3 }],
            3,
            &expected,
        );
    }
    std::fs::write(config, good).unwrap();
}

/// A server nobody listens on, and wrong credentials: exit 3, and no password in the output.
fn unreachable_servers(p: &Project, config: &std::path::Path, good: &str) {
    let dialect = p.dialect();
    let scheme = if dialect == "postgresql" {
        "postgres"
    } else {
        "mysql"
    };
    let nobody = format!(
        "databases:\n  default:\n    dialect: {dialect}\n    url: {scheme}://someone:hunter2secret@127.0.0.1:9/db\n"
    );
    std::fs::write(config, nobody).unwrap();
    let run = refused(
        p,
        &["db", "upgrade", "heads"],
        3,
        &["cannot open database", "someone:***@127.0.0.1:9"],
    );
    assert!(!format!("{}{}", run.stdout, run.stderr).contains("hunter2secret"));
    if dialect == "mysql" {
        let url =
            p.database
                .as_ref()
                .unwrap()
                .url()
                .replacen("://root@", "://root:wrongpassword99@", 1);
        std::fs::write(
            config,
            format!("databases:\n  default:\n    dialect: mysql\n    url: {url}\n"),
        )
        .unwrap();
        let run = refused(
            p,
            &["db", "current"],
            3,
            &["cannot open database", "root:***@"],
        );
        assert!(!format!("{}{}", run.stdout, run.stderr).contains("wrongpassword99"));
    }
    std::fs::write(config, good).unwrap();
}
