//! Round trips: upgrade, downgrade (the reversed operations), upgrade again give the same
//! introspected schemas each time, and keep the rows.

use super::*;
use crate::ops::{Constraint, alter, reverse_all};
use crate::schema::{Check, PrimaryKey};

const SEED: &str = "INSERT INTO parent (code, label, state) VALUES ('abc', 'a', 'pending'), ('def', 'd', 'it''s');
INSERT INTO child (id, tiny, name, body, day, parent_id, parent_code, state, doc, uid)
VALUES (1, 3, 'one', 'b', '2024-01-02', 1, 'abc', 'pending', '{\"k\": 1}', '00000000-0000-0000-0000-000000000001'),
       (2, 4, 'two', 'b', NULL, 2, 'def', 'it''s', NULL, NULL)";

/// Creates `before`, seeds it, then checks `ops` (the differ's when `None`) both ways.
async fn round_trip(tag: &str, before: Schema, after: &Schema, ops: Option<Vec<Operation>>) {
    let Some(scratch) = Scratch::new(tag).await else {
        return;
    };
    let mut db = scratch.open().await;
    apply(&mut db, &diff(&Schema::new(), &before, &MySqlCompare)).await;
    db.execute_raw(SEED).await.unwrap();
    let s0 = read(&mut db).await;
    let ops = ops.unwrap_or_else(|| diff(&s0, after, &MySqlCompare));
    assert!(!ops.is_empty());
    // A dropped table loses its rows; every other keeps them.
    let dropped = |t: &str| {
        ops.iter()
            .any(|op| matches!(op, Operation::DropTable { table, .. } if table == t))
    };
    let tables: Vec<String> = s0
        .table_names()
        .filter(|t| !dropped(t))
        .map(str::to_owned)
        .collect();
    let rows = counts(&mut db, &tables).await;
    apply(&mut db, &ops).await;
    let s1 = read(&mut db).await;
    let left = diff(&s1, after, &MySqlCompare);
    assert!(left.is_empty(), "after the upgrade: {left:#?}");
    let down = reverse_all(&ops).unwrap();
    apply(&mut db, &down).await;
    let s2 = read(&mut db).await;
    assert_eq!(s2, s0, "the downgrade restores the schema");
    assert_eq!(counts(&mut db, &tables).await, rows);
    apply(&mut db, &ops).await;
    assert_eq!(
        read(&mut db).await,
        s1,
        "the upgrade again gives the same schema"
    );
    let now: Vec<String> = s1.table_names().map(str::to_owned).collect();
    if now == tables {
        assert_eq!(counts(&mut db, &tables).await, rows);
    }
}

async fn counts(db: &mut MySqlDb, tables: &[String]) -> Vec<i64> {
    let mut out = Vec::new();
    for t in tables {
        out.push(count(db, t).await);
    }
    out
}

fn child(schema: &mut Schema) -> &mut Table {
    schema.table_mut("child").unwrap()
}

#[tokio::test]
async fn column_changes_round_trip() {
    let mut before = every_kind();
    // A re-added column comes last (as on every server): the dropped one is last already.
    child(&mut before).columns.push(
        column("spare", Type::Integer)
            .default("7")
            .comment("to drop"),
    );
    let mut after = before.clone();
    let c = child(&mut after);
    c.columns.retain(|c| c.name != "spare");
    let mut set = |name: &str, change: &dyn Fn(&mut crate::schema::Column)| {
        change(c.column_named_mut(name).unwrap());
    };
    set("tiny", &|c| {
        c.ty = Type::Integer;
        c.nullable = false;
    });
    set("name", &|c| {
        c.ty = Type::Varchar(200);
        c.nullable = true;
    });
    set("amount", &|c| c.ty = Type::Numeric(14, 3));
    set("country", &|c| c.default = Some("'FR'".into()));
    set("precise", &|c| c.default = None);
    set("big", &|c| c.default = Some("42".into()));
    set("body", &|c| {
        c.comment = Some("changed 'comment' \\ here".into())
    });
    set("odd", &|c| c.comment = Some("odd".into()));
    set("flag", &|c| c.default = Some("true".into()));
    set("created", &|c| c.default = None);
    set("uid", &|c| c.ty = Type::Varchar(40));
    // Both sides of a foreign key widen: the key is set aside meanwhile.
    set("parent_code", &|c| c.ty = Type::Varchar(10));
    c.columns
        .push(column("extra", Type::Varchar(5)).not_null().default("'e'"));
    c.columns.push(column("note", Type::Text).comment("new"));
    c.comment = Some("children".into());
    let code = after
        .table_mut("parent")
        .unwrap()
        .column_named_mut("code")
        .unwrap();
    code.ty = Type::Varchar(10);
    round_trip("columns", before, &after, None).await;
}

#[tokio::test]
async fn enum_labels_added_and_removed_round_trip() {
    let before = every_kind();
    let mut after = before.clone();
    let labels = Type::enumeration("state", ["pending", "it's", r"back\slash", "done"]);
    child(&mut after).column_named_mut("state").unwrap().ty = labels.clone();
    after
        .table_mut("parent")
        .unwrap()
        .column_named_mut("state")
        .unwrap()
        .ty = labels;
    round_trip("enum_add", before.clone(), &after, None).await;
    let mut fewer = before.clone();
    let labels = Type::enumeration("state", ["pending", "it's"]);
    child(&mut fewer).column_named_mut("state").unwrap().ty = labels.clone();
    fewer
        .table_mut("parent")
        .unwrap()
        .column_named_mut("state")
        .unwrap()
        .ty = labels;
    round_trip("enum_drop", before, &fewer, None).await;
}

#[tokio::test]
async fn constraint_changes_round_trip() {
    let before = every_kind();
    let mut after = before.clone();
    let c = child(&mut after);
    c.checks.retain(|k| k.name != "ck_child_name");
    c.checks.push(Check {
        name: "ck_child_big".into(),
        expr: "big <> 7".into(),
        options: Default::default(),
    });
    c.foreign_keys
        .retain(|k| k.name != "fk_child_parent_code_parent");
    c.foreign_keys[0].on_delete = Action::Restrict;
    c.uniques.clear();
    c.uniques.push(crate::schema::Unique {
        name: "uq_child_id_name".into(),
        columns: vec!["id".into(), "name".into()],
        options: Default::default(),
    });
    c.indexes.retain(|i| i.name != "ix_child_tiny_big");
    c.indexes.push(crate::schema::index(
        "ix_child_parent_id_tiny",
        ["parent_id", "tiny"],
    ));
    let p = after.table_mut("parent").unwrap();
    p.uniques.retain(|u| u.name != "uq_parent_code_label");
    p.indexes.clear();
    p.checks.clear();
    round_trip("constraints", before, &after, None).await;
}

#[tokio::test]
async fn primary_keys_and_autoincrement_round_trip() {
    let before = Schema::from_tables([
        table("parent")
            .column(column("code", Type::Char(3)).not_null())
            .column(column("label", Type::Varchar(40)))
            .column(column("state", Type::Varchar(10))),
        table("child")
            .column(column("id", Type::Integer).not_null())
            .column(column("tiny", Type::SmallInt))
            .column(column("name", Type::Varchar(10)))
            .column(column("body", Type::Text))
            .column(column("day", Type::Date))
            .column(column("parent_id", Type::BigInt))
            .column(column("parent_code", Type::Char(3)))
            .column(column("state", Type::Varchar(10)))
            .column(column("doc", Type::Json))
            .column(column("uid", Type::Uuid))
            .primary_key("pk_child", ["id"]),
    ]);
    let mut after = before.clone();
    let p = after.table_mut("parent").unwrap();
    p.columns
        .insert(0, column("id", Type::BigInt).not_null().autoincrement());
    p.primary_key = Some(PrimaryKey {
        name: "pk_parent".into(),
        columns: vec!["id".into()],
        options: Default::default(),
    });
    let c = child(&mut after);
    c.primary_key = Some(PrimaryKey {
        name: "pk_child".into(),
        columns: vec!["id".into(), "name".into()],
        options: Default::default(),
    });
    c.column_named_mut("name").unwrap().nullable = false;
    c.column_named_mut("name").unwrap().default = Some("''".into());
    c.foreign_keys.push(foreign_key(
        "fk_child_parent_id_parent",
        ["parent_id"],
        "parent",
        ["id"],
    ));
    round_trip("keys", before, &after, None).await;
}

#[tokio::test]
async fn renames_and_drops_round_trip() {
    let before = every_kind();
    let ops = vec![
        Operation::RenameColumn {
            table: "child".into(),
            from: "name".into(),
            to: "title".into(),
        },
        Operation::RenameTable {
            from: "parent".into(),
            to: "mother".into(),
        },
        Operation::AlterColumn {
            table: "child".into(),
            column: "title".into(),
            changes: alter().set_type(Type::Varchar(150)),
            previous: Some(alter().set_type(Type::Varchar(120))),
        },
        Operation::AddConstraint {
            table: "child".into(),
            constraint: Constraint::Check(Check {
                name: "ck_child_title".into(),
                expr: "title <> 'x'".into(),
                options: Default::default(),
            }),
        },
        Operation::SetTableComment {
            table: "mother".into(),
            comment: None,
            previous: Some(Some("parents".into())),
        },
    ];
    let mut after = before.clone();
    for op in &ops {
        op.apply(&mut after).unwrap();
    }
    round_trip("renames", before.clone(), &after, Some(ops)).await;
    let mut without = before.clone();
    let drop_child = diff(
        &before,
        &{
            without.remove("child");
            without.clone()
        },
        &MySqlCompare,
    );
    assert!(matches!(drop_child[0], Operation::DropTable { .. }));
    round_trip("drop", before, &without, None).await;
}
