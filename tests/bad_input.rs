//! Every input a user can get wrong: one `error:` line naming the thing, the documented exit
//! code, and the database file left byte-identical.

mod common;

use common::{Project, Run};

/// Runs `args` and checks the exit code, that the error line contains every `needle`, and that
/// `outflow.db` did not change.
fn refused(p: &Project, args: &[&str], code: i32, needles: &[&str]) -> Run {
    let before = p.db_bytes();
    let run = p.run(args).expect(code);
    let line = run.error_line().to_string();
    for needle in needles {
        assert!(
            line.contains(needle),
            "{args:?}: {line:?} should contain {needle:?}"
        );
    }
    assert_eq!(p.db_bytes(), before, "{args:?} changed the database file");
    run
}

#[test]
fn bad_input_is_refused_clearly_and_leaves_the_database_alone() {
    let p = Project::example("tuto");
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
    std::fs::write(&config, &good).unwrap();
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

    // A database path that cannot be opened: a directory.
    std::fs::create_dir(p.path("a_directory.db")).unwrap();
    std::fs::write(
        &config,
        "databases:\n  default:\n    dialect: sqlite\n    path: a_directory.db\n",
    )
    .unwrap();
    refused(
        &p,
        &["db", "upgrade", "heads"],
        3,
        &["cannot open database", "a_directory.db", "is a directory"],
    );
    std::fs::write(
        &config,
        "databases:\n  default:\n    dialect: sqlite\n    path: no/such/dir/x.db\n",
    )
    .unwrap();
    refused(
        &p,
        &["db", "upgrade", "heads"],
        3,
        &["cannot open database", "no/such/dir/x.db"],
    );
    std::fs::write(&config, &good).unwrap();

    // Not a database at all.
    std::fs::write(
        &config,
        "databases:\n  default:\n    dialect: sqlite\n    path: config.yml\n",
    )
    .unwrap();
    refused(
        &p,
        &["db", "current"],
        3,
        &["cannot open database", "config.yml"],
    );
    std::fs::write(&config, &good).unwrap();
    p.run(&["db", "check"]).expect(0);
}
