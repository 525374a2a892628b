//! The `outflow` binary (the framework's plugin only): `db diff`, `db inspect`, the config
//! lookup by environment, and the help texts.

use std::path::Path;
use std::process::Command;

use outflow::schema::{Schema, Type, column, table};
use sqlx::Connection;

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn outflow(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_outflow"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("OUTFLOW_ROOT")
        .env_remove("OUTFLOW_CONFIG_PATH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn write_yaml(dir: &Path, name: &str, schema: &Schema) {
    std::fs::write(dir.join(name), schema.to_yaml()).unwrap();
}

fn before() -> Schema {
    Schema::from_tables([table("t")
        .column(column("id", Type::Integer).not_null())
        .column(column("name", Type::Varchar(20)))
        .primary_key("pk_t", ["id"])])
}

fn after() -> Schema {
    let mut s = before();
    let t = s.table_mut("t").unwrap();
    t.columns[1].ty = Type::Text;
    t.columns
        .push(column("added", Type::BigInt).not_null().default("0"));
    s
}

fn sqlite_file(path: &Path, sql: &'static str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    });
}

#[test]
fn diff_between_descriptions_prints_operations_or_sql() {
    let dir = tempfile::tempdir().unwrap();
    write_yaml(dir.path(), "a.yml", &before());
    write_yaml(dir.path(), "b.yaml", &after());
    let same = outflow(
        dir.path(),
        &["db", "diff", "--from", "a.yml", "--to", "a.yml"],
        &[],
    );
    assert_eq!((same.code, same.stdout.as_str()), (0, "No differences\n"));
    let ops = outflow(
        dir.path(),
        &["db", "diff", "--from", "a.yml", "--to", "b.yaml"],
        &[],
    );
    assert_eq!(ops.code, 1, "{}", ops.stderr);
    assert_eq!(
        ops.stdout,
        "alter column 't.name': type text (was varchar(20))\nadd column 't.added' bigint NOT NULL DEFAULT 0\n"
    );
    let sql = outflow(
        dir.path(),
        &[
            "db",
            "diff",
            "--from",
            "a.yml",
            "--to",
            "b.yaml",
            "--sql",
            "--dialect",
            "sqlite",
        ],
        &[],
    );
    assert_eq!(sql.code, 1);
    assert!(
        sql.stdout
            .starts_with("-- Outflow SQL script for SQLite: one transaction per step.\n"),
        "{}",
        sql.stdout
    );
    let body = &sql.stdout[sql.stdout.find("BEGIN;\n").expect("a transaction")..];
    assert!(
        body.contains("ALTER TABLE \"t\" RENAME TO \"_outflow_old_t\";\n"),
        "{body}"
    );
    assert!(body.contains(
        "INSERT INTO \"t\" (\"id\", \"name\") SELECT \"id\", \"name\" FROM \"_outflow_old_t\";"
    ));
    assert!(body.trim_end().ends_with("COMMIT;"), "{body}");
}

#[test]
fn diff_and_inspect_read_live_databases() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    sqlite_file(
        &db,
        "CREATE TABLE t (id INTEGER NOT NULL, name VARCHAR(20), CONSTRAINT pk_t PRIMARY KEY (id))",
    );
    write_yaml(dir.path(), "a.yml", &before());
    for from in ["live.db", "sqlite://live.db", "sqlite:live.db"] {
        let same = outflow(
            dir.path(),
            &["db", "diff", "--from", from, "--to", "a.yml"],
            &[],
        );
        assert_eq!(same.code, 0, "{from}: {}{}", same.stdout, same.stderr);
    }
    let config = dir.path().join("elsewhere.yml");
    std::fs::write(
        &config,
        "databases:\n  default:\n    dialect: sqlite\n    path: live.db\n",
    )
    .unwrap();
    let root = dir.path().display().to_string();
    let config = config.display().to_string();
    let env = [
        ("OUTFLOW_ROOT", root.as_str()),
        ("OUTFLOW_CONFIG_PATH", config.as_str()),
    ];
    let inspected = outflow(Path::new("/"), &["db", "inspect"], &env);
    assert_eq!(inspected.code, 0, "{}", inspected.stderr);
    assert_eq!(Schema::from_yaml(&inspected.stdout).unwrap(), before());
    let current = outflow(Path::new("/"), &["db", "current"], &env);
    assert_eq!((current.code, current.stdout.as_str()), (0, ""));
    let bytes = std::fs::read(&db).unwrap();
    outflow(Path::new("/"), &["db", "check"], &env);
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "read-only commands leave the file alone"
    );
}

#[test]
fn bad_diff_inputs_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yml"),
        "tables:\n- name: t\n  columns: [{name: a, type: integr}]\n",
    )
    .unwrap();
    let cases = [
        (
            vec!["--from", "bad.yml", "--to", "bad.yml"],
            2,
            "bad.yml: invalid schema description: ",
        ),
        (
            vec!["--from", "missing.yml", "--to", "missing.yml"],
            2,
            "cannot read",
        ),
        (
            vec!["--from", "nothing.db", "--to", "nothing.db"],
            2,
            "nothing.db is not a SQLite file",
        ),
        (
            vec!["--from", "oracle://u:secret@h/db", "--to", "x.yml"],
            2,
            "unsupported URL scheme 'oracle'",
        ),
        (
            vec![
                "--from",
                "postgres://u:secret@nowhere.invalid/db",
                "--to",
                "x.yml",
            ],
            3,
            "cannot open database postgres://u:***@nowhere.invalid/db",
        ),
    ];
    for (args, code, needle) in cases {
        let mut all = vec!["db", "diff"];
        all.extend(args);
        let out = outflow(dir.path(), &all, &[]);
        assert_eq!(out.code, code, "{all:?}: {}", out.stderr);
        assert!(
            out.stderr.starts_with("error: ") && out.stderr.contains(needle),
            "{all:?}: {}",
            out.stderr
        );
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(
            !out.stderr.contains("secret"),
            "passwords are never printed"
        );
    }
    let typo = outflow(
        dir.path(),
        &["db", "diff", "--from", "bad.yml", "--to", "bad.yml"],
        &[],
    );
    assert!(
        typo.stderr.contains("unknown column type 'integr'"),
        "{}",
        typo.stderr
    );
}

/// The binary prints the help the library's snapshots show (`src/cli/snapshots`, every
/// command); here, that it does so as a process, with its exit code and its examples.
#[test]
fn help_texts() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--help"][..],
        &["db", "--help"],
        &["db", "upgrade", "--help"],
    ] {
        let out = outflow(dir.path(), args, &[]);
        assert_eq!(out.code, 0);
        assert!(out.stdout.contains("Example"), "{args:?}: {}", out.stdout);
    }
}
