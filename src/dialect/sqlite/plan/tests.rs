use super::*;
use crate::ops::{Constraint, alter};
use crate::schema::{Check, Type, column, foreign_key, index, table};

/// How every rebuild of `person` starts, once legacy renaming is on.
const MOVE_ASIDE: &str = "ALTER TABLE \"person\" RENAME TO \"_outflow_old_person\"";

fn person() -> Table {
    table("person")
        .column(column("id", Type::Integer).not_null())
        .column(column("name", Type::Varchar(20)).not_null())
        .column(column("age", Type::Integer))
        .primary_key("pk_person", ["id"])
        .index("ix_person_name", ["name"])
}

/// Plans `ops` with `person` known, as a revision would, and returns every statement.
fn plan(ops: &[Operation]) -> Vec<String> {
    let mut planner = Planner::new();
    let mut out = Vec::new();
    for op in ops {
        if let Some(table) = planner.needs(op) {
            assert_eq!(table, "person");
            let extras = TableExtras {
                triggers: vec![
                    crate::schema::Object::new(
                        crate::schema::ObjectKind::Trigger,
                        "trg",
                        "CREATE TRIGGER trg AFTER INSERT ON person BEGIN SELECT 1; END",
                    )
                    .on("person"),
                ],
                ..TableExtras::default()
            };
            planner.provide(person(), extras);
        }
        out.extend(planner.push(op).unwrap());
    }
    out.extend(planner.finish().unwrap());
    out
}

#[test]
fn plain_changes_run_in_place() {
    let sql = plan(&[
        Operation::AddColumn {
            table: "person".into(),
            column: column("note", Type::Text).default("'n/a'"),
        },
        Operation::RenameColumn {
            table: "person".into(),
            from: "age".into(),
            to: "years".into(),
        },
        Operation::CreateIndex {
            table: "person".into(),
            index: index("ix_person_age", ["years"]).unique(),
        },
        Operation::DropIndex {
            table: "person".into(),
            name: "ix_person_name".into(),
            definition: None,
        },
        Operation::RenameTable {
            from: "person".into(),
            to: "people".into(),
        },
        Operation::SetTableComment {
            table: "people".into(),
            comment: Some("x".into()),
            previous: None,
        },
    ]);
    insta::assert_snapshot!(sql.join(";\n"));
}

#[test]
fn several_changes_to_one_table_make_one_rebuild() {
    let sql = plan(&[
        Operation::AlterColumn {
            table: "person".into(),
            column: "age".into(),
            changes: alter()
                .set_type(Type::SmallInt)
                .set_not_null()
                .set_default("0"),
            previous: None,
        },
        Operation::DropColumn {
            table: "person".into(),
            column: "name".into(),
            definition: None,
        },
        Operation::AddColumn {
            table: "person".into(),
            column: column("born", Type::Date)
                .not_null()
                .default("CURRENT_DATE"),
        },
        Operation::RenameColumn {
            table: "person".into(),
            from: "age".into(),
            to: "years".into(),
        },
        Operation::AddConstraint {
            table: "person".into(),
            constraint: Constraint::Check(Check {
                name: "ck_person_years".into(),
                expr: "years >= 0".into(),
                options: Default::default(),
            }),
        },
        Operation::CreateIndex {
            table: "person".into(),
            index: index("ix_person_born", ["born"]),
        },
    ]);
    insta::assert_snapshot!(sql.join(";\n"));
}

#[test]
fn adding_a_column_sqlite_cannot_add_rebuilds() {
    let sql = plan(&[Operation::AddColumn {
        table: "person".into(),
        column: column("at", Type::Timestamp)
            .not_null()
            .default("CURRENT_TIMESTAMP"),
    }]);
    assert_eq!(sql[1], MOVE_ASIDE, "{sql:#?}");
    let nullable_plain = plan(&[Operation::AddColumn {
        table: "person".into(),
        column: column("x", Type::Text),
    }]);
    assert_eq!(
        nullable_plain,
        ["ALTER TABLE \"person\" ADD COLUMN \"x\" TEXT"]
    );
}

#[test]
fn raw_sql_writes_pending_rebuilds_first_and_other_dialects_are_skipped() {
    let sql = plan(&[
        Operation::DropColumn {
            table: "person".into(),
            column: "age".into(),
            definition: None,
        },
        Operation::Execute {
            sql: "UPDATE person SET name = 'x'".into(),
            dialect: None,
        },
        Operation::Execute {
            sql: "VACUUM".into(),
            dialect: Some(DialectName::Postgres),
        },
    ]);
    assert_eq!(sql.last().unwrap(), "UPDATE person SET name = 'x'");
    assert!(sql.iter().all(|s| s != "VACUUM"));
    assert_eq!(sql[1], MOVE_ASIDE, "{sql:#?}");
}

#[test]
fn a_dropped_table_is_not_rebuilt_first() {
    let sql = plan(&[
        Operation::DropColumn {
            table: "person".into(),
            column: "age".into(),
            definition: None,
        },
        Operation::DropTable {
            table: "person".into(),
            definition: None,
        },
    ]);
    assert_eq!(sql, ["DROP TABLE \"person\""]);
}

#[test]
fn new_tables_with_foreign_keys_added_later() {
    let a = table("a")
        .column(column("id", Type::Integer).not_null())
        .column(column("b_id", Type::Integer));
    let ops = [
        Operation::CreateTable(a),
        Operation::AddConstraint {
            table: "a".into(),
            constraint: Constraint::ForeignKey(foreign_key("fk_a_b_id_b", ["b_id"], "b", ["id"])),
        },
    ];
    let mut planner = Planner::new();
    let mut sql = Vec::new();
    for op in &ops {
        assert_eq!(
            planner.needs(op),
            None,
            "a table created in the revision is known"
        );
        sql.extend(planner.push(op).unwrap());
    }
    sql.extend(planner.finish().unwrap());
    let created: Vec<&String> = sql
        .iter()
        .filter(|s| s.starts_with("CREATE TABLE \"a\""))
        .collect();
    assert_eq!(created.len(), 2, "created, then rebuilt: {sql:#?}");
    assert!(!created[0].contains("REFERENCES"), "{sql:#?}");
    assert!(created[1].contains("REFERENCES \"b\" (\"id\")"), "{sql:#?}");
}

#[test]
fn unsupported_tables_are_refused_by_name() {
    let mut planner = Planner::new();
    let extras = TableExtras {
        unsupported: Some("column 'g' is a generated column".into()),
        ..TableExtras::default()
    };
    planner.provide(person(), extras);
    let err = planner
        .push(&Operation::DropColumn {
            table: "person".into(),
            column: "age".into(),
            definition: None,
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "table 'person' cannot be rebuilt safely: column 'g' is a generated column; make this change with op.execute(...)"
    );
}

#[test]
fn only_the_whole_primary_key_is_numbered() {
    let outside_key = table("counter")
        .column(column("id", Type::Integer).not_null())
        .column(column("n", Type::Integer).not_null().autoincrement())
        .primary_key("pk_counter", ["id"]);
    let err = Planner::new()
        .push(&Operation::CreateTable(outside_key))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "autoincrement column 'counter.n': SQLite numbers only a column that is the whole primary key; make it the primary key or remove autoincrement"
    );
    let mut planner = Planner::new();
    planner.provide(person(), TableExtras::default());
    planner
        .push(&Operation::AlterColumn {
            table: "person".into(),
            column: "age".into(),
            changes: alter().set_autoincrement(true),
            previous: Some(alter().set_autoincrement(false)),
        })
        .unwrap();
    assert!(
        planner
            .finish()
            .unwrap_err()
            .to_string()
            .contains("'person.age'")
    );
}

/// Runs `statements` one by one as a client that goes on after errors does; `lost` rolls the
/// transaction back at the first error, as SQLite does on some (a full disk), so that what
/// follows runs outside any transaction. Returns the errors.
async fn run_regardless(
    conn: &mut sqlx::SqliteConnection,
    statements: &[String],
    lost: bool,
) -> Vec<String> {
    let mut errors = Vec::new();
    for sql in statements {
        let result = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut *conn)
            .await;
        if let Err(e) = result {
            if lost && errors.is_empty() {
                sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await.unwrap();
            }
            errors.push(e.to_string());
        }
    }
    errors
}

async fn person_db() -> sqlx::SqliteConnection {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:")
        .await
        .unwrap();
    let mut setup = render::create_table(&person());
    setup.extend([
        "CREATE TRIGGER trg AFTER INSERT ON person BEGIN SELECT 1; END".to_string(),
        "INSERT INTO person (id, name, age) VALUES (1, 'ada', 36), (2, 'alan', 41)".into(),
    ]);
    assert!(run_regardless(&mut conn, &setup, false).await.is_empty());
    conn
}

async fn strings(conn: &mut sqlx::SqliteConnection, sql: &str) -> Vec<String> {
    use sqlx::Row;
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect()
}

/// The rebuild keeps the rows, makes the indexes and triggers again, and leaves nothing of
/// its own behind.
#[tokio::test]
async fn a_rebuild_keeps_rows_indexes_and_triggers() {
    let mut conn = person_db().await;
    let sql = plan(&[Operation::DropColumn {
        table: "person".into(),
        column: "age".into(),
        definition: None,
    }]);
    assert_eq!(
        run_regardless(&mut conn, &sql, false).await,
        Vec::<String>::new()
    );
    assert_eq!(
        strings(&mut conn, "SELECT name FROM person ORDER BY id").await,
        ["ada", "alan"]
    );
    assert_eq!(
        strings(&mut conn, "SELECT name FROM sqlite_master ORDER BY name").await,
        ["ix_person_name", "person", "trg"]
    );
}

/// The data-loss case: the copy fails and the transaction is lost with it, then a client
/// goes on with the rest outside any transaction. The drop names a table that only existed
/// inside the lost transaction: the table keeps its rows and its definition.
#[tokio::test]
async fn a_copy_lost_with_its_transaction_leaves_nothing_to_drop() {
    let mut conn = person_db().await;
    let mut sql = vec!["BEGIN".to_string()];
    sql.extend(plan(&[Operation::AddColumn {
        table: "person".into(),
        column: column("born", Type::Date).not_null(),
    }]));
    let errors = run_regardless(&mut conn, &sql, true).await;
    assert!(
        errors[0].contains("NOT NULL constraint failed"),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("no such table: _outflow_old_person")),
        "{errors:#?}"
    );
    assert_eq!(
        strings(&mut conn, "SELECT name FROM person ORDER BY id").await,
        ["ada", "alan"]
    );
    assert_eq!(
        strings(&mut conn, "SELECT name FROM pragma_table_info('person')").await,
        ["id", "name", "age"]
    );
    assert_eq!(
        strings(&mut conn, "SELECT name FROM sqlite_master ORDER BY name").await,
        ["ix_person_name", "person", "trg"]
    );
}

/// Every column replaced: the rows are still carried, by rowid, with the new defaults.
#[tokio::test]
async fn a_rebuild_that_copies_no_column_keeps_every_row() {
    let mut conn = person_db().await;
    let mut ops: Vec<Operation> = ["id", "name", "age"]
        .into_iter()
        .map(|c| Operation::DropColumn {
            table: "person".into(),
            column: c.into(),
            definition: None,
        })
        .collect();
    ops.insert(
        0,
        Operation::DropConstraint {
            table: "person".into(),
            name: "pk_person".into(),
            definition: None,
        },
    );
    ops.push(Operation::AddColumn {
        table: "person".into(),
        column: column("note", Type::Text).not_null().default("'none'"),
    });
    let sql = plan(&ops);
    assert_eq!(
        run_regardless(&mut conn, &sql, false).await,
        Vec::<String>::new(),
        "{sql:#?}"
    );
    assert_eq!(
        strings(&mut conn, "SELECT note FROM person").await,
        ["none", "none"]
    );
}

/// A script's rebuild records whether the copy was whole, before the drop.
#[test]
fn a_script_rebuild_records_its_copy() {
    let mut planner = Planner::for_script();
    planner.provide(person(), TableExtras::default());
    let op = Operation::DropColumn {
        table: "person".into(),
        column: "age".into(),
        definition: None,
    };
    assert!(planner.push(&op).unwrap().is_empty());
    let sql = planner.finish().unwrap();
    assert_eq!(planner.rebuilds(), 1);
    let fact = sql
        .iter()
        .position(|s| s.starts_with("INSERT INTO temp."))
        .unwrap();
    let drop = sql
        .iter()
        .position(|s| s == "DROP TABLE \"_outflow_old_person\"")
        .unwrap();
    assert_eq!(fact + 1, drop, "{sql:#?}");
}
