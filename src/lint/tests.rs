use super::*;
use crate::ops::{Constraint, alter};
use crate::schema::{Check, Type, Unique, column, foreign_key, index, table};

fn before() -> Schema {
    Schema::from_tables([
        table("person")
            .column(column("id", Type::Integer).not_null())
            .column(column("name", Type::Varchar(40)))
            .column(column("age", Type::Integer))
            .column(column(
                "state",
                Type::enumeration("state", ["new", "old", "gone"]),
            ))
            .primary_key("pk_person", ["id"])
            .index("ix_person_name", ["name"]),
        table("pet")
            .column(column("id", Type::Integer).not_null())
            .column(column("owner", Type::Integer))
            .primary_key("pk_pet", ["id"]),
    ])
}

/// One operation that breaks each rule, against the schema above.
fn every_rule() -> Vec<Operation> {
    vec![
        Operation::DropTable {
            table: "pet".into(),
            definition: None,
        },
        Operation::DropColumn {
            table: "person".into(),
            column: "age".into(),
            definition: None,
        },
        Operation::AlterColumn {
            table: "person".into(),
            column: "name".into(),
            changes: alter().set_type(Type::Varchar(10)),
            previous: Some(alter().set_type(Type::Varchar(40))),
        },
        Operation::AlterColumn {
            table: "person".into(),
            column: "id".into(),
            changes: alter().set_type(Type::BigInt),
            previous: Some(alter().set_type(Type::Integer)),
        },
        Operation::AddColumn {
            table: "person".into(),
            column: column("score", Type::Integer).not_null(),
        },
        Operation::AlterColumn {
            table: "person".into(),
            column: "name".into(),
            changes: alter().set_not_null(),
            previous: None,
        },
        Operation::AlterColumn {
            table: "person".into(),
            column: "score".into(),
            changes: alter().set_not_null().backfill_to_write(),
            previous: None,
        },
        Operation::AlterEnum {
            name: "state".into(),
            values: vec!["new".into(), "old".into()],
            previous: Some(vec!["new".into(), "old".into(), "gone".into()]),
        },
        Operation::AddConstraint {
            table: "person".into(),
            constraint: Constraint::Unique(Unique {
                name: "uq_person_name".into(),
                columns: vec!["name".into()],
                options: Default::default(),
            }),
        },
        Operation::AddConstraint {
            table: "person".into(),
            constraint: Constraint::Check(Check {
                name: "ck_person_score".into(),
                expr: "score >= 0".into(),
                options: Default::default(),
            }),
        },
        Operation::CreateTable(
            table("toy")
                .column(column("id", Type::Integer).not_null())
                .column(column("person", Type::Integer))
                .foreign_key(foreign_key(
                    "fk_toy_person_person",
                    ["person"],
                    "person",
                    ["id"],
                )),
        ),
        Operation::CreateIndex {
            table: "person".into(),
            index: index("ix_person_score", ["score"]).unique(),
        },
        Operation::DropIndex {
            table: "person".into(),
            name: "ix_person_name".into(),
            definition: None,
        },
        Operation::RenameColumn {
            table: "person".into(),
            from: "name".into(),
            to: "full_name".into(),
        },
        Operation::RenameTable {
            from: "person".into(),
            to: "people".into(),
        },
        Operation::Execute {
            sql: "UPDATE people SET score = 0".into(),
            dialect: None,
        },
    ]
}

fn report(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("op {:>2}: {}", f.op, f.line()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_rule_on_postgres() {
    let findings = lint(&every_rule(), &before(), Some(DialectName::Postgres));
    let found: BTreeSet<&str> = findings.iter().map(|f| f.rule.id).collect();
    let expected: BTreeSet<&str> = RULES
        .iter()
        .filter(|r| r.dialect != Some(DialectName::Mysql))
        .map(|r| r.id)
        .collect();
    assert_eq!(
        found, expected,
        "every rule but MySQL's is found once at least"
    );
    insta::assert_snapshot!(report(&findings));
}

#[test]
fn every_rule_on_mysql() {
    let findings = lint(&every_rule(), &before(), Some(DialectName::Mysql));
    assert!(
        findings
            .iter()
            .all(|f| f.rule.dialect != Some(DialectName::Postgres))
    );
    assert!(
        findings
            .iter()
            .any(|f| f.rule.id == "ddl-with-data-changes")
    );
    insta::assert_snapshot!(report(&findings));
}

#[test]
fn every_rule_on_sqlite() {
    let findings = lint(&every_rule(), &before(), Some(DialectName::Sqlite));
    let found: BTreeSet<&str> = findings.iter().map(|f| f.rule.id).collect();
    let expected: BTreeSet<&str> = RULES
        .iter()
        .filter(|r| r.dialect.is_none())
        .map(|r| r.id)
        .collect();
    assert_eq!(
        found, expected,
        "every rule of all dialects, none of one server's"
    );
    insta::assert_snapshot!(report(&findings));
}

#[test]
fn a_data_step_beside_ddl_is_found_on_mysql() {
    let ops = vec![
        Operation::AddColumn {
            table: "person".into(),
            column: crate::schema::column("full_name", crate::schema::Type::Text),
        },
        Operation::RunRust(crate::ops::DataStep {
            name: "fill full names".into(),
            body: std::sync::Arc::new(|_| Ok(())),
        }),
    ];
    let findings = lint(&ops, &before(), Some(DialectName::Mysql));
    let lines: Vec<String> = findings.iter().map(|f| f.line()).collect();
    assert_eq!(
        lines,
        [
            "ddl-with-data-changes (warning): this revision mixes DDL and the Rust data step 'fill full names': MySQL commits each DDL statement by itself, so a failure half-way leaves the data changed and the schema half changed; put data changes in a revision of their own"
        ]
    );
    assert!(lint(&ops, &before(), Some(DialectName::Postgres)).is_empty());
}

/// What the revision creates has no rows yet: nothing to warn about.
#[test]
fn a_table_created_in_the_revision_is_left_alone() {
    let ops = [
        Operation::CreateTable(
            table("fresh")
                .column(column("id", Type::Integer).not_null())
                .column(column("code", Type::Text))
                .primary_key("pk_fresh", ["id"]),
        ),
        Operation::CreateIndex {
            table: "fresh".into(),
            index: index("ix_fresh_code", ["code"]).unique(),
        },
        Operation::AddColumn {
            table: "fresh".into(),
            column: column("n", Type::Integer).not_null(),
        },
        Operation::DropTable {
            table: "fresh".into(),
            definition: None,
        },
    ];
    assert_eq!(lint(&ops, &before(), Some(DialectName::Postgres)), []);
}

/// A foreign key whose index comes later in the same revision is covered.
#[test]
fn a_foreign_key_indexed_in_the_same_revision_is_fine() {
    let ops = [
        Operation::AddConstraint {
            table: "pet".into(),
            constraint: Constraint::ForeignKey(foreign_key(
                "fk_pet_owner_person",
                ["owner"],
                "person",
                ["id"],
            )),
        },
        Operation::CreateIndex {
            table: "pet".into(),
            index: index("ix_pet_owner", ["owner"]),
        },
    ];
    let ids: Vec<&str> = lint(&ops, &before(), Some(DialectName::Sqlite))
        .iter()
        .map(|f| f.rule.id)
        .collect();
    assert!(!ids.contains(&"foreign-key-without-index"), "{ids:?}");
}

#[test]
fn allow_comments_are_read_above_the_operation() {
    let source = "fn upgrade(op: &mut Operations) {\n    op.add_column(\"a\", x);\n    // DESTRUCTIVE: drops column 't.c' and its data.\n    // lint: allow drop-column, rename-column: nothing reads it since v2\n    op.drop_column(\"t\", \"c\");\n    // lint: allow drop-table\n    op.drop_table(\"t\");\n}\n";
    assert_eq!(
        allowed(source, 5),
        [
            (
                "drop-column".to_string(),
                "nothing reads it since v2".to_string()
            ),
            (
                "rename-column".to_string(),
                "nothing reads it since v2".to_string()
            ),
        ]
    );
    assert_eq!(
        allowed(source, 7),
        [("drop-table".to_string(), String::new())]
    );
    assert!(allowed(source, 2).is_empty());
}

use std::collections::BTreeSet;
