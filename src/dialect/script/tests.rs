//! Scripts as users run them: read through (snapshots), and, on SQLite, run statement by
//! statement as `sqlite3` does without `-bail`: going on after every error.

use sqlx::{Connection, Row, SqliteConnection};

use super::*;
use crate::ops::alter;
use crate::schema::{Type, column, index, table};

fn person() -> crate::schema::Table {
    table("person")
        .column(column("id", Type::Integer).not_null())
        .column(column("name", Type::Varchar(20)).not_null())
        .column(column("age", Type::Integer))
        .primary_key("pk_person", ["id"])
}

fn options(dialect: DialectName, purpose: Purpose) -> ScriptOptions<'static> {
    ScriptOptions {
        dialect,
        schema: "public",
        version_table: "outflow_version",
        purpose,
    }
}

/// A rename of a column by drop and add, the case: the new column is NOT NULL and
/// nothing fills it, so the copy of the rebuild fails on a table with rows.
fn renamed_by_hand() -> Vec<Operation> {
    vec![
        Operation::AddColumn {
            table: "person".into(),
            column: column("full_name", Type::Varchar(20)).not_null(),
        },
        Operation::DropColumn {
            table: "person".into(),
            column: "name".into(),
            definition: None,
        },
    ]
}

fn diff_script(dialect: DialectName, ops: &[Operation]) -> String {
    let step = ScriptStep {
        title: "Difference from a.db to b.db".into(),
        ops,
        version: &[],
    };
    let before = Baseline::Schema(Schema::from_tables([person()]));
    render(options(dialect, Purpose::Diff), before, &[step]).unwrap()
}

#[test]
fn sqlite_script() {
    insta::assert_snapshot!(diff_script(DialectName::Sqlite, &renamed_by_hand()));
}

#[test]
fn postgres_script() {
    insta::assert_snapshot!(diff_script(DialectName::Postgres, &renamed_by_hand()));
}

#[test]
fn mysql_script() {
    insta::assert_snapshot!(diff_script(DialectName::Mysql, &renamed_by_hand()));
}

/// Every destructive operation is announced once, before the statements that carry it out.
#[test]
fn destructive_statements_carry_a_warning() {
    let mut ops = renamed_by_hand();
    ops.push(Operation::DropTable {
        table: "person".into(),
        definition: None,
    });
    for dialect in [
        DialectName::Sqlite,
        DialectName::Postgres,
        DialectName::Mysql,
    ] {
        let sql = diff_script(dialect, &ops);
        let column = sql
            .find("-- WARNING: drops column 'person.name' and its data.")
            .unwrap_or_else(|| panic!("{dialect:?}:\n{sql}"));
        let table = sql
            .find("-- WARNING: drops table 'person' and every row in it.")
            .unwrap_or_else(|| panic!("{dialect:?}:\n{sql}"));
        assert!(column < table, "{sql}");
        assert!(sql[table..].contains("DROP TABLE"), "{dialect:?}:\n{sql}");
    }
}

/// Raw SQL ends what the planner knows; a rebuild after it is planned from the schema the
/// step has made so far (it used to panic offline).
#[test]
fn a_rebuild_after_raw_sql_is_planned_from_the_replay() {
    let ops = [
        Operation::Execute {
            sql: "UPDATE person SET age = 0 WHERE age IS NULL".into(),
            dialect: None,
        },
        Operation::AlterColumn {
            table: "person".into(),
            column: "age".into(),
            changes: alter().set_not_null(),
            previous: None,
        },
    ];
    let sql = diff_script(DialectName::Sqlite, &ops);
    let update = sql.find("UPDATE person SET age = 0").unwrap();
    let rebuild = sql.find("RENAME TO \"_outflow_old_person\"").unwrap();
    assert!(update < rebuild, "{sql}");
    assert!(sql.contains("\"age\" INTEGER NOT NULL"), "{sql}");
}

/// The statements of a script, as `sqlite3` reads them (ours end with `;` and a newline).
fn statements(script: &str) -> Vec<String> {
    let code: String = script
        .lines()
        .filter(|l| !l.starts_with("--"))
        .map(|l| format!("{l}\n"))
        .collect();
    code.split(";\n")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Runs every statement, going on after errors; returns the errors.
async fn run_as_sqlite3(conn: &mut SqliteConnection, script: &str) -> Vec<String> {
    let mut errors = Vec::new();
    for sql in statements(script) {
        if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
        {
            errors.push(e.to_string());
        }
    }
    errors
}

async fn database(setup: &[&str]) -> SqliteConnection {
    let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
    let mut sql = vec![
        "CREATE TABLE \"person\" (\"id\" INTEGER NOT NULL, \"name\" VARCHAR(20) NOT NULL, \"age\" INTEGER, CONSTRAINT \"pk_person\" PRIMARY KEY (\"id\"))".to_string(),
    ];
    sql.push("INSERT INTO person VALUES (1, 'ada', 36), (2, 'alan', 41), (3, 'grace', 41)".into());
    sql.extend(setup.iter().map(|s| s.to_string()));
    for s in sql {
        sqlx::raw_sql(sqlx::AssertSqlSafe(s))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    conn
}

/// The schema and rows of `person`, and every name in the database: what must not change.
async fn snapshot(conn: &mut SqliteConnection) -> (Vec<String>, Vec<String>) {
    let texts = |sql: &'static str| sqlx::query(sql);
    let schema = texts(
        "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let rows = texts("SELECT * FROM person ORDER BY 1")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    let show = |r: &sqlx::sqlite::SqliteRow| {
        (0..r.len())
            .map(|i| {
                r.try_get::<String, _>(i)
                    .or_else(|_| r.try_get::<i64, _>(i).map(|n| n.to_string()))
                    .unwrap_or_else(|_| "NULL".into())
            })
            .collect::<Vec<_>>()
            .join("|")
    };
    (
        schema.iter().map(show).collect(),
        rows.iter().map(show).collect(),
    )
}

/// The case: the copy fails, sqlite3 goes on, and the check before COMMIT rolls the
/// whole step back: the table, its rows and every other object are as before.
#[tokio::test]
async fn a_failed_copy_rolls_the_whole_step_back() {
    let mut conn = database(&["CREATE INDEX ix_person_age ON person (age)"]).await;
    let before = snapshot(&mut conn).await;
    let mut ops = vec![Operation::CreateTable(
        table("other").column(column("id", Type::Integer)),
    )];
    ops.extend(renamed_by_hand());
    let errors = run_as_sqlite3(&mut conn, &diff_script(DialectName::Sqlite, &ops)).await;
    assert!(
        errors[0].contains("NOT NULL constraint failed: person.full_name"),
        "{errors:#?}"
    );
    assert!(
        errors[1].contains("a statement of this step failed, the step was rolled back"),
        "{errors:#?}"
    );
    assert_eq!(snapshot(&mut conn).await, before);
}

/// A statement that runs in place and fails (a unique index over duplicates) rolls back the
/// statements before it too.
#[tokio::test]
async fn a_failed_statement_in_place_rolls_the_step_back() {
    let mut conn = database(&[]).await;
    let before = snapshot(&mut conn).await;
    let ops = [
        Operation::AddColumn {
            table: "person".into(),
            column: column("note", Type::Text),
        },
        Operation::CreateIndex {
            table: "person".into(),
            index: index("ix_person_age", ["age"]).unique(),
        },
    ];
    let errors = run_as_sqlite3(&mut conn, &diff_script(DialectName::Sqlite, &ops)).await;
    assert!(
        errors[0].contains("UNIQUE constraint failed"),
        "{errors:#?}"
    );
    assert_eq!(snapshot(&mut conn).await, before);
}

/// When nothing fails, the script does what it says and leaves nothing of its own.
#[tokio::test]
async fn a_script_that_succeeds_leaves_nothing_behind() {
    let mut conn = database(&[]).await;
    let ops = [
        Operation::AddColumn {
            table: "person".into(),
            column: column("full_name", Type::Varchar(20)).default("''"),
        },
        Operation::DropColumn {
            table: "person".into(),
            column: "name".into(),
            definition: None,
        },
    ];
    let errors = run_as_sqlite3(&mut conn, &diff_script(DialectName::Sqlite, &ops)).await;
    assert_eq!(errors, Vec::<String>::new());
    let (schema, rows) = snapshot(&mut conn).await;
    assert_eq!(rows, ["1|36|", "2|41|", "3|41|"]);
    assert_eq!(schema.len(), 1, "{schema:#?}");
    let temp: i64 = sqlx::query_scalar("SELECT count(*) FROM temp.sqlite_master")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(temp, 0);
}

/// A migration script run on a database that is not where it starts: the version-table
/// change touches no row, and the step is rolled back.
#[tokio::test]
async fn a_step_on_a_database_elsewhere_is_rolled_back() {
    let mut conn = database(&[
        "CREATE TABLE outflow_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        "INSERT INTO outflow_version VALUES ('other')",
    ])
    .await;
    let before = snapshot(&mut conn).await;
    let ops = [Operation::AddColumn {
        table: "person".into(),
        column: column("note", Type::Text),
    }];
    let version = [VersionChange::Update {
        from: "a1".into(),
        to: "b2".into(),
    }];
    let step = ScriptStep {
        title: "Running upgrade a1 -> b2, Notes".into(),
        ops: &ops,
        version: &version,
    };
    let purpose = Purpose::Migration {
        create_version_table: false,
    };
    let sql = render(
        options(DialectName::Sqlite, purpose),
        Baseline::Schema(Schema::from_tables([person()])),
        &[step],
    )
    .unwrap();
    let errors = run_as_sqlite3(&mut conn, &sql).await;
    assert!(
        errors[0].contains("the step was rolled back"),
        "{errors:#?}\n{sql}"
    );
    assert_eq!(snapshot(&mut conn).await, before);
}

/// A step of thousands of tables still checks itself: SQLite refuses an expression deeper
/// than 1,000, so the guard is cut in pieces.
#[tokio::test]
async fn a_step_of_many_tables_keeps_its_check_within_sqlite_limits() {
    let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
    let ops: Vec<Operation> = (0..1500)
        .map(|i| {
            Operation::CreateTable(
                table(format!("t{i}"))
                    .column(column("id", Type::Integer))
                    .index(format!("ix_t{i}_id"), ["id"]),
            )
        })
        .collect();
    let step = ScriptStep {
        title: "Many".into(),
        ops: &ops,
        version: &[],
    };
    let sql = render(
        options(DialectName::Sqlite, Purpose::Diff),
        Baseline::Schema(Schema::new()),
        &[step],
    )
    .unwrap();
    assert_eq!(run_as_sqlite3(&mut conn, &sql).await, Vec::<String>::new());
    let tables: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(tables, 1500);
}
