//! Rendering without a server: statements for each operation, snapshots of representative
//! revisions.

use super::*;
use crate::dialect::VersionChange;
use crate::dialect::postgres::connect::books_of;
use crate::dialect::postgres::{render, render_step};
use crate::ops::{Alter, Constraint, alter};
use crate::schema::{Action, Check, Table, column, foreign_key, index, table};

fn state() -> Type {
    Type::enumeration("state", ["pending", "done"])
}

fn person() -> Table {
    table("person")
        .column(column("id", Type::BigInt).not_null().autoincrement())
        .column(column("name", Type::Varchar(20)).not_null().default("'x'"))
        .column(column("age", Type::Integer).default("0"))
        .column(column("state", state()).not_null().default("'pending'"))
        .primary_key("pk_person", ["id"])
        .index("ix_person_name", ["name"])
}

fn before() -> Schema {
    Schema::from_tables([person()])
}

fn sql(ops: &[Operation]) -> String {
    render(ops, &before(), "app").unwrap().join(";\n")
}

#[test]
fn a_table_with_every_clause() {
    let t = table("child")
        .column(column("id", Type::Integer).not_null().autoincrement())
        .column(column("parent_id", Type::BigInt).comment("the parent"))
        .column(column("amount", Type::Numeric(12, 2)).default("0"))
        .column(column("doc", Type::Json))
        .column(column("data", Type::Blob))
        .column(column("seen", Type::TimestampTz).default("now()"))
        .column(column("shape", Type::raw("int4range")))
        .column(column("state", state()))
        .primary_key("pk_child", ["id"])
        .unique("uq_child_parent_id_amount", ["parent_id", "amount"])
        .unique_index("ix_child_seen", ["seen"])
        .foreign_key(
            foreign_key("fk_child_parent_id_person", ["parent_id"], "person", ["id"])
                .on_delete(Action::Cascade)
                .on_update(Action::SetNull),
        )
        .check("ck_child_amount", "amount >= 0")
        .comment("it's a child");
    insta::assert_snapshot!(sql(&[Operation::CreateTable(t)]));
}

#[test]
fn every_other_operation() {
    let ops = [
        Operation::AddColumn {
            table: "person".into(),
            column: column("note", Type::Text).default("'n/a'").comment("free"),
        },
        Operation::RenameColumn {
            table: "person".into(),
            from: "age".into(),
            to: "years".into(),
        },
        Operation::CreateIndex {
            table: "person".into(),
            index: index("ix_person_years", ["years"]).unique(),
        },
        Operation::DropIndex {
            table: "person".into(),
            name: "ix_person_name".into(),
            definition: None,
        },
        Operation::AddConstraint {
            table: "person".into(),
            constraint: Constraint::Check(Check {
                name: "ck_person_years".into(),
                expr: "years >= 0".into(),
                options: Default::default(),
            }),
        },
        Operation::DropConstraint {
            table: "person".into(),
            name: "ck_person_years".into(),
            definition: None,
        },
        Operation::SetTableComment {
            table: "person".into(),
            comment: Some("people".into()),
            previous: None,
        },
        Operation::DropColumn {
            table: "person".into(),
            column: "note".into(),
            definition: None,
        },
    ];
    insta::assert_snapshot!(sql(&ops));
}

#[test]
fn table_and_type_operations() {
    let ops = [
        Operation::RenameTable {
            from: "person".into(),
            to: "people".into(),
        },
        Operation::CreateEnum {
            name: "mood".into(),
            values: vec!["ok".into(), "it's".into()],
        },
        Operation::DropEnum {
            name: "mood".into(),
            values: None,
        },
        Operation::Execute {
            sql: "UPDATE people SET years = 1".into(),
            dialect: None,
        },
        Operation::Execute {
            sql: "PRAGMA foreign_keys = ON".into(),
            dialect: Some(DialectName::Sqlite),
        },
        Operation::DropTable {
            table: "people".into(),
            definition: None,
        },
    ];
    insta::assert_snapshot!(sql(&ops));
}

fn alter_op(column: &str, changes: Alter, previous: Option<Alter>) -> Operation {
    Operation::AlterColumn {
        table: "person".into(),
        column: column.into(),
        changes,
        previous,
    }
}

#[test]
fn column_changes() {
    let ops = [
        alter_op("age", alter().set_type(Type::BigInt).set_not_null(), None),
        alter_op("name", alter().set_type(Type::Text).set_nullable(), None),
        alter_op(
            "age",
            alter().set_type(Type::Varchar(5)).set_default("'0'"),
            None,
        ),
        alter_op("age", alter().set_type(Type::Boolean).drop_default(), None),
        alter_op(
            "age",
            alter().set_comment("years").set_autoincrement(true),
            None,
        ),
        alter_op("id", alter().set_autoincrement(false).drop_comment(), None),
        alter_op("name", alter().set_type(state()), None),
    ];
    insta::assert_snapshot!(sql(&ops));
}

#[test]
fn enum_labels_added_in_place_and_removed_by_recreating_the_type() {
    let added = [Operation::AlterEnum {
        name: "state".into(),
        values: vec![
            "new".into(),
            "pending".into(),
            "running".into(),
            "done".into(),
        ],
        previous: None,
    }];
    let rendered = render_step(&added, &before(), "app").unwrap();
    insta::assert_snapshot!("labels_added", rendered.before_transaction.join(";\n"));
    assert!(rendered.in_transaction.is_empty());
    let removed = [
        Operation::AlterEnum {
            name: "state".into(),
            values: vec!["done".into(), "pending".into()],
            previous: None,
        },
        // What the differ emits for each column of the type: nothing to run.
        alter_op(
            "state",
            alter().set_type(Type::enumeration("state", ["done", "pending"])),
            None,
        ),
    ];
    let rendered = render_step(&removed, &before(), "app").unwrap();
    assert!(rendered.before_transaction.is_empty());
    insta::assert_snapshot!("labels_removed", rendered.in_transaction.join(";\n"));
}

#[test]
fn raw_sql_that_cannot_run_in_a_transaction_goes_first() {
    let ops = [
        Operation::CreateIndex {
            table: "person".into(),
            index: index("ix_person_age", ["age"]),
        },
        Operation::Execute {
            sql: "UPDATE person SET name = 'a;b';\n CREATE INDEX CONCURRENTLY ix ON person (lower(name));\nalter type state add value 'x'"
                .into(),
            dialect: Some(DialectName::Postgres),
        },
    ];
    let rendered = render_step(&ops, &before(), "app").unwrap();
    assert_eq!(
        rendered.before_transaction,
        [
            "CREATE INDEX CONCURRENTLY ix ON person (lower(name))",
            "alter type state add value 'x'"
        ]
    );
    assert_eq!(
        rendered.in_transaction,
        [
            "CREATE INDEX \"ix_person_age\" ON \"app\".\"person\" (\"age\")",
            "UPDATE person SET name = 'a;b'"
        ]
    );
    for (statement, outside) in [
        ("REINDEX INDEX CONCURRENTLY ix", true),
        ("reindex table t", false),
        ("DROP INDEX CONCURRENTLY IF EXISTS ix", true),
        ("CREATE UNIQUE INDEX CONCURRENTLY ix ON t (a)", true),
        ("VACUUM ANALYZE t", true),
        ("ALTER TYPE mood ADD ATTRIBUTE x int", false),
        (
            "ALTER TYPE \"Mood\" ADD VALUE IF NOT EXISTS 'x' BEFORE 'y'",
            true,
        ),
        ("CREATE INDEX ix ON t (a)", false),
        ("SELECT 'CREATE INDEX CONCURRENTLY'", false),
    ] {
        assert_eq!(outside_transaction(statement), outside, "{statement}");
    }
    // Without such a statement, raw SQL is kept whole, as written.
    let body = "CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; END";
    assert_eq!(split(body), (Vec::new(), body.to_string()));
}

#[test]
fn pasted_sql_must_be_one_expression() {
    let bad = Operation::AddColumn {
        table: "person".into(),
        column: column("x", Type::Integer).default("0; DROP TABLE person"),
    };
    let err = render(&[bad], &before(), "app").unwrap_err().to_string();
    assert!(
        err.contains("the default of column 'x' is not a single SQL expression"),
        "{err}"
    );
    let bad = Operation::CreateTable(table("t").column(column("x", Type::raw("int) --"))));
    assert!(render(&[bad], &Schema::new(), "app").is_err());
}

#[test]
fn operations_that_do_not_fit_the_schema_are_refused_offline() {
    let op = Operation::DropColumn {
        table: "nope".into(),
        column: "x".into(),
        definition: None,
    };
    let err = render(&[op], &before(), "app").unwrap_err().to_string();
    assert!(err.contains("table 'nope' does not exist"), "{err}");
}

#[test]
fn version_table_statements() {
    let changes = [
        VersionChange::Insert("a1".into()),
        VersionChange::Update {
            from: "a1".into(),
            to: "b'2".into(),
        },
        VersionChange::Delete("b'2".into()),
    ];
    let books = books_of("app", "outflow_version");
    let mut out = vec![books.version_table_ddl()];
    out.extend(changes.iter().map(|c| books.version_change_literal(c)));
    insta::assert_snapshot!(out.join(";\n"));
}
