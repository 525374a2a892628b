//! Passwords never appear in what a command prints, whatever fails (a wrong password, an
//! unreachable host, a revision's bad SQL, debug logs), and PostgreSQL roles as in Outflow:
//! migrations connect as `admin`, the pipeline's `user` may read and write rows of the tables
//! the revisions create but not drop or alter them.

mod common;

use common::{Dialect, Project, ServerDatabase};
use sqlx::{AssertSqlSafe, Connection};

const PASSWORD: &str = "Sup3r-s3cret_pw";
const WRONG: &str = "Wr0ng-s3cret_pw";

#[test]
fn no_password_in_any_output_on_postgres() {
    secrets(Dialect::Postgres);
}

#[test]
fn no_password_in_any_output_on_mysql() {
    secrets(Dialect::Mysql);
}

/// A login role (PostgreSQL) or user (MySQL) with `PASSWORD`, allowed to create tables in `db`.
fn create_login(db: &ServerDatabase, dialect: Dialect, name: &str) {
    match dialect {
        Dialect::Postgres => {
            db.execute(&format!("CREATE ROLE {name} LOGIN PASSWORD '{PASSWORD}'"));
            db.execute(&format!("GRANT ALL ON DATABASE {} TO {name}", db.name()));
            db.execute(&format!("GRANT ALL ON SCHEMA public TO {name}"));
        }
        _ => {
            db.execute(&format!(
                "CREATE USER '{name}'@'%' IDENTIFIED BY '{PASSWORD}'"
            ));
            db.execute(&format!("GRANT ALL ON `{}`.* TO '{name}'@'%'", db.name()));
        }
    }
}

fn drop_login(db: &ServerDatabase, dialect: Dialect, name: &str) {
    match dialect {
        Dialect::Postgres => {
            db.execute(&format!("DROP OWNED BY {name}"));
            db.execute(&format!("DROP ROLE {name}"));
        }
        _ => db.execute(&format!("DROP USER '{name}'@'%'")),
    }
}

fn config(dialect: Dialect, db: &ServerDatabase, admin: &str, extra: &str) -> String {
    let dialect = if dialect == Dialect::Postgres {
        "postgresql"
    } else {
        "mysql"
    };
    format!(
        "databases:\n  default:\n    dialect: {dialect}\n    address: {}\n    database: {}\n    admin: \"{admin}\"\n{extra}",
        db.address(),
        db.name()
    )
}

/// Everything the run printed, checked for both passwords.
fn assert_clean(what: &str, run: &common::Run) {
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(
        !all.contains(PASSWORD) && !all.contains(WRONG),
        "{what} printed a password:\n{all}"
    );
}

fn secrets(dialect: Dialect) {
    if !common::dialects().contains(&dialect) {
        return;
    }
    let p = Project::fixture("chain", "").on(dialect);
    let db = p.database.as_ref().unwrap();
    let name = format!("outflow_admin_{}", std::process::id());
    create_login(db, dialect, &name);
    let write = |admin: &str| {
        std::fs::write(p.path("config.yml"), config(dialect, db, admin, "")).unwrap();
    };

    write(&format!("{name}:{WRONG}"));
    for args in [&["db", "upgrade", "heads"][..], &["-v", "db", "current"]] {
        let run = p.run(args).expect(3);
        assert!(
            run.error_line().contains(&format!("{name}:***@")),
            "{}",
            run.stderr
        );
        assert_clean("a wrong password", &run);
    }
    let wrong_url = format!(
        "{}://{name}:{WRONG}@{}/{}",
        if dialect == Dialect::Postgres {
            "postgres"
        } else {
            "mysql"
        },
        db.address(),
        db.name()
    );
    let run = p
        .run_with_env(
            &["-v", "db", "upgrade"],
            &[("OUTFLOW_DATABASE_URL", &wrong_url)],
        )
        .expect(3);
    assert_clean("a wrong password from the environment", &run);

    write(&format!("{name}:{PASSWORD}"));
    std::fs::write(
        p.path("config.yml"),
        config(dialect, db, &format!("{name}:{PASSWORD}"), "")
            .replace(&db.address(), "127.0.0.1:9"),
    )
    .unwrap();
    let run = p.run(&["-v", "db", "upgrade", "heads"]).expect(3);
    assert_clean("an unreachable host", &run);

    // Through the environment, with debug logs: the run works and prints no password.
    std::fs::write(
        p.path("config.yml"),
        config(dialect, db, &format!("{name}:${{OUTFLOW_TEST_SECRET}}"), ""),
    )
    .unwrap();
    let env = [("OUTFLOW_TEST_SECRET", PASSWORD)];
    let run = p
        .run_with_env(&["-v", "db", "upgrade", "c0de00000002"], &env)
        .expect(0);
    assert_clean("a successful upgrade", &run);
    // Every log, sqlx's connection and statement records included (`-vv`; the harness sets
    // RUST_LOG, which decides over the flags, so it says trace too).
    let everything = [("OUTFLOW_TEST_SECRET", PASSWORD), ("RUST_LOG", "trace")];
    let run = p
        .run_with_env(&["-vv", "db", "current", "--json"], &everything)
        .expect(0);
    assert!(run.stderr.contains("sqlx::query"), "{}", run.stderr);
    assert_clean("trace logs", &run);

    // A revision whose SQL fails, run as that admin.
    let broken = p.path("src/revisions/default/c0de00000021_broken.rs");
    let last =
        std::fs::read_to_string(p.path("src/revisions/default/c0de00000020_step_20.rs")).unwrap();
    let text = last
        .replace("c0de00000020", "c0de00000021")
        .replace("c0de00000019", "c0de00000020")
        .replacen(
            "pub fn upgrade(op: &mut Operations) {",
            "pub fn upgrade(op: &mut Operations) {\n    op.execute(\"THIS IS NOT SQL\");",
            1,
        );
    std::fs::write(&broken, text).unwrap();
    p.build();
    let run = p
        .run_with_env(&["-v", "db", "upgrade", "heads"], &env)
        .expect(3);
    assert!(run.error_line().contains("c0de00000021"), "{}", run.stderr);
    assert_clean("a failing revision", &run);
    let log = p.run_with_env(&["db", "log"], &env).expect(0);
    assert!(
        log.stdout
            .lines()
            .any(|l| l.contains("c0de00000021") && l.contains("failed")),
        "{}",
        log.stdout
    );
    std::fs::remove_file(&broken).unwrap();
    p.build();
    std::fs::write(p.path("config.yml"), db.config_yaml()).unwrap();
    drop_login(db, dialect, &name);
}

#[test]
fn the_runtime_role_reads_and_writes_but_cannot_drop() {
    let dialect = Dialect::Postgres;
    if !common::dialects().contains(&dialect) {
        return;
    }
    let p = Project::fixture("chain", "").on(dialect);
    let db = p.database.as_ref().unwrap();
    let pid = std::process::id();
    let (admin, user) = (
        format!("outflow_owner_{pid}"),
        format!("outflow_runtime_{pid}"),
    );
    create_login(db, dialect, &admin);
    db.execute(&format!("CREATE ROLE {user} LOGIN PASSWORD '{PASSWORD}'"));
    let extra = format!("    user: \"{user}:{PASSWORD}\"\n");
    std::fs::write(
        p.path("config.yml"),
        config(dialect, db, &format!("{admin}:{PASSWORD}"), &extra),
    )
    .unwrap();
    let run = p.run(&["db", "upgrade", "c0de00000002"]).expect(0);
    assert_clean("an upgrade with roles", &run);

    let url = format!(
        "postgres://{user}:{PASSWORD}@{}/{}",
        db.address(),
        db.name()
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        let run = async |conn: &mut sqlx::PgConnection, sql: &str| {
            sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
                .execute(conn)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        };
        run(
            &mut conn,
            "INSERT INTO r02_t0 (id, label) VALUES (10, 'ten')",
        )
        .await
        .unwrap();
        run(
            &mut conn,
            "UPDATE r01_t1 SET label = 'changed' WHERE id = 1",
        )
        .await
        .unwrap();
        run(&mut conn, "DELETE FROM r02_t1 WHERE id = 3")
            .await
            .unwrap();
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM r02_t0")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(n, 4);
        for sql in [
            "DROP TABLE r02_t5",
            "ALTER TABLE r02_t0 ADD COLUMN sneaky INTEGER",
            "CREATE TABLE mine (id INTEGER)",
            "DELETE FROM outflow_version",
        ] {
            let err = run(&mut conn, sql).await.unwrap_err();
            assert!(
                err.contains("must be owner") || err.contains("permission denied"),
                "{sql}: {err}"
            );
        }
    });
    std::fs::write(p.path("config.yml"), db.config_yaml()).unwrap();
    db.execute(&format!("DROP OWNED BY {user}"));
    db.execute(&format!("DROP ROLE {user}"));
    drop_login(db, dialect, &admin);
}
