//! Offline rendering: statements for each operation, no server needed.

use crate::dialect::mysql::connect::books_of;
use crate::dialect::mysql::render;
use crate::dialect::{PlanError, VersionChange};
use crate::ops::{Constraint, DialectName, Operation, alter};
use crate::schema::{
    Action, Check, PrimaryKey, Schema, Table, Type, Unique, column, foreign_key, table,
};

fn parent() -> Table {
    table("parent")
        .column(
            column("id", Type::BigInt)
                .not_null()
                .autoincrement()
                .comment("generated"),
        )
        .column(column("code", Type::Char(3)).not_null())
        .primary_key("pk_parent", ["id"])
        .unique("uq_parent_code", ["code"])
        .comment("the parents' table")
}

fn child() -> Table {
    table("child")
        .column(column("id", Type::Integer).not_null())
        .column(column("flag", Type::Boolean).not_null().default("false"))
        .column(column("amount", Type::Numeric(12, 2)).default("0"))
        .column(column("body", Type::Text).default(r"'it''s a \ backslash'"))
        .column(column("created", Type::Timestamp).default("CURRENT_TIMESTAMP"))
        .column(column("seen", Type::TimestampTz))
        .column(column("doc", Type::Json))
        .column(column("uid", Type::Uuid))
        .column(
            column("state", Type::enumeration("state", ["new", "it's"]))
                .not_null()
                .default("'new'"),
        )
        .column(column("parent_id", Type::BigInt))
        .primary_key("pk_child", ["id"])
        .index("ix_child_created", ["created"])
        .unique_index("ix_child_uid", ["uid"])
        .foreign_key(
            foreign_key("fk_child_parent_id_parent", ["parent_id"], "parent", ["id"])
                .on_delete(Action::Cascade),
        )
        .check("ck_child_amount", "amount >= 0 AND \"state\" <> 'x'")
}

fn schema() -> Schema {
    Schema::from_tables([parent(), child()])
}

fn sql(ops: &[Operation], before: &Schema) -> String {
    render(ops, before).unwrap().join(";\n")
}

#[test]
fn tables_with_every_clause() {
    let ops = [
        Operation::CreateTable(parent()),
        Operation::CreateTable(child()),
    ];
    insta::assert_snapshot!(sql(&ops, &Schema::new()));
}

#[test]
fn column_changes_repeat_the_full_definition() {
    let ops = [
        Operation::AddColumn {
            table: "child".into(),
            column: column("note", Type::Varchar(20))
                .not_null()
                .default("'n\\a'")
                .comment("a note"),
        },
        Operation::AlterColumn {
            table: "child".into(),
            column: "amount".into(),
            changes: alter().set_type(Type::Numeric(14, 2)).set_not_null(),
            previous: None,
        },
        Operation::AlterColumn {
            table: "child".into(),
            column: "state".into(),
            changes: alter().set_type(Type::enumeration("state", ["new", "it's", "done"])),
            previous: None,
        },
        Operation::RenameColumn {
            table: "child".into(),
            from: "body".into(),
            to: "text".into(),
        },
        Operation::DropColumn {
            table: "child".into(),
            column: "amount".into(),
            definition: None,
        },
        Operation::SetTableComment {
            table: "child".into(),
            comment: Some("kids".into()),
            previous: None,
        },
        Operation::SetTableComment {
            table: "child".into(),
            comment: None,
            previous: None,
        },
    ];
    insta::assert_snapshot!(sql(&ops, &schema()));
}

#[test]
fn constraints_are_dropped_by_kind() {
    let ops = [
        drop("child", "fk_child_parent_id_parent"),
        drop("child", "ck_child_amount"),
        drop("parent", "uq_parent_code"),
        drop("parent", "pk_parent"),
        Operation::AlterColumn {
            table: "parent".into(),
            column: "id".into(),
            changes: alter().set_autoincrement(false),
            previous: None,
        },
    ];
    insta::assert_snapshot!(sql(&ops, &schema()));
}

fn drop(table: &str, name: &str) -> Operation {
    Operation::DropConstraint {
        table: table.into(),
        name: name.into(),
        definition: None,
    }
}

fn add(table: &str, constraint: Constraint) -> Operation {
    Operation::AddConstraint {
        table: table.into(),
        constraint,
    }
}

#[test]
fn constraints_and_indexes_are_added() {
    let mut before = schema();
    let c = before.table_mut("child").unwrap();
    c.foreign_keys.clear();
    c.checks.clear();
    let fk = foreign_key("fk_child_parent_id_parent", ["parent_id"], "parent", ["id"]);
    let ops = [
        add("child", Constraint::ForeignKey(fk)),
        add(
            "child",
            Constraint::Check(Check {
                name: "ck_child_flag".into(),
                expr: "flag IN (0, 1)".into(),
                options: Default::default(),
            }),
        ),
        add(
            "child",
            Constraint::Unique(Unique {
                name: "uq_child_state".into(),
                columns: vec!["state".into()],
                options: Default::default(),
            }),
        ),
        Operation::CreateIndex {
            table: "child".into(),
            index: crate::schema::index("ix_child_parent_id_state", ["parent_id", "state"]),
        },
        Operation::DropIndex {
            table: "child".into(),
            name: "ix_child_parent_id_state".into(),
            definition: None,
        },
    ];
    insta::assert_snapshot!(sql(&ops, &before));
}

#[test]
fn an_autoincrement_key_comes_with_its_column() {
    let before = Schema::from_tables([table("t").column(column("name", Type::Varchar(10)))]);
    let ops = [
        Operation::AddColumn {
            table: "t".into(),
            column: column("id", Type::BigInt).not_null().autoincrement(),
        },
        Operation::AddColumn {
            table: "t".into(),
            column: column("other", Type::Integer),
        },
        add(
            "t",
            Constraint::PrimaryKey(PrimaryKey {
                name: "pk_t".into(),
                columns: vec!["id".into()],
                options: Default::default(),
            }),
        ),
    ];
    let text = sql(&ops, &before);
    assert_eq!(
        text,
        "ALTER TABLE `t` ADD COLUMN `other` INT NULL;\n\
         ALTER TABLE `t` ADD COLUMN `id` BIGINT NOT NULL AUTO_INCREMENT AFTER `name`, ADD CONSTRAINT `pk_t` PRIMARY KEY (`id`)"
    );
    let err = render(&ops[..1], &before).unwrap_err().to_string();
    assert!(
        err.contains("needs an AUTO_INCREMENT column to start a key"),
        "{err}"
    );
}

#[test]
fn tables_renames_raw_sql_and_enums() {
    let ops = [
        Operation::RenameTable {
            from: "child".into(),
            to: "kid".into(),
        },
        Operation::Execute {
            sql: "UPDATE kid SET flag = 1".into(),
            dialect: None,
        },
        Operation::Execute {
            sql: "SELECT 1".into(),
            dialect: Some(DialectName::Mysql),
        },
        Operation::Execute {
            sql: "VACUUM".into(),
            dialect: Some(DialectName::Sqlite),
        },
        Operation::CreateEnum {
            name: "e".into(),
            values: vec!["a".into()],
        },
        Operation::DropTable {
            table: "kid".into(),
            definition: None,
        },
    ];
    insta::assert_snapshot!(sql(&ops, &schema()));
}

#[test]
fn what_mysql_cannot_do_is_refused_by_name() {
    let text_key = Operation::CreateIndex {
        table: "child".into(),
        index: crate::schema::index("ix_child_body", ["body"]),
    };
    let err = render(&[text_key], &schema()).unwrap_err();
    assert!(matches!(err, PlanError::Impossible { .. }));
    assert_eq!(
        err.to_string(),
        "create index 'ix_child_body' on 'child' (body): column 'child.body' is LONGTEXT, which MySQL indexes only by a prefix length; give it a bounded type such as varchar(n) (`#[column(length = n)]`)"
    );
    let set_default =
        foreign_key("fk", ["parent_id"], "parent", ["id"]).on_delete(Action::SetDefault);
    let err = render(
        &[add("child", Constraint::ForeignKey(set_default))],
        &schema(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("InnoDB has no SET DEFAULT action"),
        "{err}"
    );
    let wide = Operation::AddColumn {
        table: "child".into(),
        column: column("n", Type::Numeric(80, 2)),
    };
    assert!(
        render(&[wide], &schema())
            .unwrap_err()
            .to_string()
            .contains("precision up to 65")
    );
    let unknown = drop("child", "nope");
    assert_eq!(
        render(&[unknown], &schema()).unwrap_err().to_string(),
        "drop constraint 'nope' on 'child': table 'child' has no constraint or index named 'nope'"
    );
}

#[test]
fn version_table_statements_quote_their_literals() {
    let changes = [
        VersionChange::Insert("a1".into()),
        VersionChange::Update {
            from: "a1".into(),
            to: r"b\2".into(),
        },
        VersionChange::Delete("it's".into()),
    ];
    let books = books_of("outflow_version");
    let mut out = vec![books.version_table_ddl()];
    out.extend(changes.iter().map(|c| books.version_change_literal(c)));
    insta::assert_snapshot!(out.join(";\n"));
}

#[test]
fn keys_are_set_aside_while_their_columns_change_type() {
    let widen = |table: &str, column: &str| Operation::AlterColumn {
        table: table.into(),
        column: column.into(),
        changes: alter().set_type(Type::raw("BIGINT UNSIGNED")),
        previous: None,
    };
    let ops = [widen("child", "parent_id"), widen("parent", "id")];
    insta::assert_snapshot!(sql(&ops, &schema()));
}
