use std::io::Write;
use std::process::{Command, Stdio};

use super::*;
use crate::diff::{Exact, diff};
use crate::ops::{Constraint, alter, reverse_all};
use crate::schema::{Action, Check, Schema, Type, column, foreign_key, index, table};

fn date() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
        .unwrap()
        .and_hms_opt(16, 21, 37)
        .unwrap()
}

fn computation_result() -> Schema {
    Schema::from_tables([table("computation_result")
        .column(column("id_computation_result", Type::Integer).not_null())
        .column(column("input_value", Type::Integer).not_null())
        .column(column("multiplier", Type::Integer).not_null())
        .column(column("result", Type::Integer).not_null())
        .primary_key("pk_computation_result", ["id_computation_result"])
        .unique(
            "uq_computation_result_input_value_multiplier",
            ["input_value", "multiplier"],
        )])
}

/// Runs rustfmt on `text` and returns what it would write (None when rustfmt is absent).
pub(crate) fn rustfmt(text: &str) -> Option<String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "rustfmt failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

fn assert_rustfmt_clean(text: &str) {
    match rustfmt(text) {
        Some(formatted) => assert_eq!(formatted, text, "the generated file is not rustfmt-clean"),
        None => eprintln!("rustfmt not found: layout not checked against it"),
    }
}

#[test]
fn the_tutorial_revision_has_the_guide_shape() {
    let upgrade = diff(&Schema::new(), &computation_result(), &Exact);
    let downgrade = reverse_all(&upgrade).unwrap();
    let text = render(&NewRevision {
        id: "a0d8cd78f167",
        message: "Add table 'computation_result'",
        down_revisions: &[],
        branch_labels: &["tuto.data_reduction".to_string()],
        depends_on: &[],
        create_date: date(),
        upgrade: &upgrade,
        downgrade: &downgrade,
        notes: &[],
        header: &[],
        irreversible: None,
    });
    insta::assert_snapshot!(text);
    assert_rustfmt_clean(&text);
}

/// One operation of every kind, as the differ or a user would record them.
pub(crate) fn every_operation() -> Vec<Operation> {
    let parent = table("parent")
        .column(
            column("id", Type::BigInt)
                .not_null()
                .autoincrement()
                .comment("the key"),
        )
        .column(
            column("label", Type::Varchar(40))
                .not_null()
                .default("'none'"),
        )
        .column(column("ratio", Type::Numeric(5, 2)))
        .column(column("shape", Type::raw("GEOMETRY")))
        .primary_key("pk_parent", ["id"])
        .unique("uq_parent_label", ["label"])
        .index("ix_parent_ratio", ["ratio"])
        .unique_index("ix_parent_shape", ["shape"])
        .check("ck_parent_ratio", "ratio >= 0")
        .comment("parents, with a \"quoted\" word");
    let child = table("child")
        .column(column("id", Type::Integer).not_null())
        .column(column("parent_id", Type::BigInt))
        .foreign_key(
            foreign_key("fk_child_parent_id_parent", ["parent_id"], "parent", ["id"])
                .on_delete(Action::Cascade)
                .on_update(Action::SetNull),
        );
    vec![
        Operation::CreateTable(parent),
        Operation::CreateTable(child),
        Operation::AddColumn {
            table: "child".into(),
            column: column("note", Type::Text).default("''"),
        },
        Operation::AlterColumn {
            table: "child".into(),
            column: "note".into(),
            changes: alter()
                .set_type(Type::Varchar(10))
                .set_not_null()
                .drop_default()
                .set_comment("short"),
            previous: None,
        },
        Operation::AlterColumn {
            table: "child".into(),
            column: "note".into(),
            changes: alter()
                .set_nullable()
                .set_default("'x'")
                .drop_comment()
                .set_autoincrement(false),
            previous: None,
        },
        Operation::RenameColumn {
            table: "child".into(),
            from: "note".into(),
            to: "remark".into(),
        },
        Operation::CreateIndex {
            table: "child".into(),
            index: index("ix_child_remark", ["remark"]).unique(),
        },
        Operation::DropIndex {
            table: "child".into(),
            name: "ix_child_remark".into(),
            definition: None,
        },
        Operation::AddConstraint {
            table: "child".into(),
            constraint: Constraint::PrimaryKey(crate::schema::PrimaryKey {
                name: "pk_child".into(),
                columns: vec!["id".into()],
                options: Default::default(),
            }),
        },
        Operation::AddConstraint {
            table: "child".into(),
            constraint: Constraint::Unique(crate::schema::Unique {
                name: "uq_child_remark".into(),
                columns: vec!["remark".into()],
                options: Default::default(),
            }),
        },
        Operation::AddConstraint {
            table: "child".into(),
            constraint: Constraint::Check(Check {
                name: "ck_child_id".into(),
                expr: "id > 0".into(),
                options: Default::default(),
            }),
        },
        Operation::AddConstraint {
            table: "child".into(),
            constraint: Constraint::ForeignKey(foreign_key(
                "fk_child_id_parent",
                ["id"],
                "parent",
                ["id"],
            )),
        },
        Operation::DropConstraint {
            table: "child".into(),
            name: "fk_child_id_parent".into(),
            definition: None,
        },
        Operation::SetTableComment {
            table: "child".into(),
            comment: Some("children".into()),
            previous: None,
        },
        Operation::SetTableComment {
            table: "child".into(),
            comment: None,
            previous: None,
        },
        Operation::DropColumn {
            table: "child".into(),
            column: "remark".into(),
            definition: None,
        },
        Operation::RenameTable {
            from: "child".into(),
            to: "kid".into(),
        },
        Operation::Execute {
            sql: "UPDATE kid SET id = id".into(),
            dialect: None,
        },
        Operation::Execute {
            sql: "VACUUM".into(),
            dialect: Some(crate::ops::DialectName::Sqlite),
        },
        Operation::DropTable {
            table: "kid".into(),
            definition: None,
        },
    ]
}

/// The file compiled by `tests/codegen.rs`, which checks it records `every_operation()`.
pub(crate) const EVERY_OPERATION_FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/codegen/every_operation.rs"
);

#[test]
fn every_operation_renders_rustfmt_clean_and_matches_the_compiled_fixture() {
    let ops = every_operation();
    let text = render(&NewRevision {
        id: "0123456789ab",
        message: "Every operation\n\nwith a second paragraph",
        down_revisions: &["aaaaaaaaaaaa".into(), "bbbbbbbbbbbb".into()],
        branch_labels: &[],
        depends_on: &["cccccccccccc".into()],
        create_date: date(),
        upgrade: &ops,
        downgrade: &[],
        notes: &[],
        header: &[],
        irreversible: None,
    });
    assert_rustfmt_clean(&text);
    if std::env::var_os("OUTFLOW_BLESS").is_some() {
        std::fs::write(EVERY_OPERATION_FIXTURE, &text).unwrap();
    }
    let fixture = std::fs::read_to_string(EVERY_OPERATION_FIXTURE).unwrap_or_default();
    assert_eq!(
        fixture, text,
        "tests/fixtures/codegen/every_operation.rs is stale: rerun with OUTFLOW_BLESS=1 and review"
    );
}

#[test]
fn long_lists_of_parents_break_as_rustfmt_does() {
    let parents: Vec<String> = (0..5).map(|i| format!("{i:012}")).collect();
    let text = render(&NewRevision {
        id: "0123456789ab",
        message: "merge",
        down_revisions: &parents,
        branch_labels: &["a".into()],
        depends_on: &[],
        create_date: date(),
        upgrade: &[],
        downgrade: &[],
        notes: &[],
        header: &[],
        irreversible: None,
    });
    assert!(
        text.contains("pub const DOWN_REVISION: &[&str] = &[\n    \"000000000000\",\n"),
        "{text}"
    );
    assert!(text.contains("pub fn upgrade(_op: &mut Operations) {}"));
    assert_rustfmt_clean(&text);
}

#[test]
fn slugs_and_file_names() {
    assert_eq!(
        slug("Add table 'computation_result'"),
        "add_table_computation_result"
    );
    assert_eq!(slug("  Émile's   café!! "), "émile_s_café");
    assert_eq!(
        slug("one two three four five six seven eight nine ten"),
        "one_two_three_four_five_six_seven_eight"
    );
    assert_eq!(slug(&"x".repeat(50)), "x".repeat(40));
    assert_eq!(file_name("abc123", "Add table"), "abc123_add_table.rs");
    assert_eq!(file_name("abc123", "!!!"), "abc123.rs");
    let id = new_id();
    assert_eq!(id.len(), 12);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
}

#[test]
fn destructive_operations_carry_a_comment_that_stays_a_comment() {
    let ops = vec![
        Operation::DropTable {
            table: "evil\nfn x() {}".into(),
            definition: None,
        },
        Operation::DropColumn {
            table: "t".into(),
            column: "c".into(),
            definition: None,
        },
    ];
    let text = render(&NewRevision {
        id: "0123456789ab",
        message: "drop things",
        down_revisions: &[],
        branch_labels: &[],
        depends_on: &[],
        create_date: date(),
        upgrade: &ops,
        downgrade: &[],
        notes: &[],
        header: &[],
        irreversible: None,
    });
    assert!(
        text.contains("    // DESTRUCTIVE: drops table 'evil fn x() {}' and every row in it.\n"),
        "{text}"
    );
    assert!(text.contains("    // DESTRUCTIVE: drops column 't.c' and its data.\n"));
    assert_rustfmt_clean(&text);
}

#[test]
fn large_revisions_are_split_into_parts_of_fifty_operations() {
    let ops: Vec<Operation> = (0..120)
        .map(|i| Operation::DropIndex {
            table: "t".into(),
            name: format!("ix_{i}"),
            definition: None,
        })
        .collect();
    let text = render(&NewRevision {
        id: "0123456789ab",
        message: "many",
        down_revisions: &[],
        branch_labels: &[],
        depends_on: &[],
        create_date: date(),
        upgrade: &ops,
        downgrade: &ops[..3],
        notes: &[],
        header: &[],
        irreversible: None,
    });
    assert!(text.contains(
        "pub fn upgrade(op: &mut Operations) {\n    upgrade_part_1(op);\n    upgrade_part_2(op);\n    upgrade_part_3(op);\n}\n"
    ));
    assert!(text.contains(
        "\nfn upgrade_part_3(op: &mut Operations) {\n    op.drop_index(\"t\", \"ix_100\");\n"
    ));
    assert_eq!(text.matches("op.drop_index").count(), 123);
    assert!(
        text.contains(
            "pub fn downgrade(op: &mut Operations) {\n    op.drop_index(\"t\", \"ix_0\");"
        )
    );
    assert_rustfmt_clean(&text);
}

#[test]
fn a_squash_says_what_it_replaces_and_why_its_downgrade_cannot_run() {
    let up = [Operation::Execute {
        sql: "DELETE FROM person WHERE active = 0".into(),
        dialect: None,
    }];
    let text = render(&NewRevision {
        id: "0123456789ab",
        message: "first ten",
        down_revisions: &["aaaaaaaaaaaa".into()],
        branch_labels: &["chain".into()],
        depends_on: &[],
        create_date: date(),
        upgrade: &up,
        downgrade: &[],
        notes: &[],
        header: &[
            "Replaces: 111111111111, 222222222222".into(),
            "Replaced checksum: 0f0f".into(),
        ],
        irreversible: Some("222222222222: the deleted people are gone"),
    });
    assert_rustfmt_clean(&text);
    insta::assert_snapshot!(text);
}
