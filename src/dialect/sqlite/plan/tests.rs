use super::*;
use crate::ops::{Constraint, alter};
use crate::schema::{Check, Type, column, foreign_key, index, table};

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
                    "CREATE TRIGGER trg AFTER INSERT ON person BEGIN SELECT 1; END".into(),
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
    assert!(
        sql[0].starts_with("CREATE TABLE \"_outflow_new_person\""),
        "{sql:?}"
    );
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
    assert!(sql[0].starts_with("CREATE TABLE \"_outflow_new_person\""));
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
    assert_eq!(sql.len(), 7, "{sql:#?}");
    assert!(sql[1].contains("REFERENCES \"b\" (\"id\")"));
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
