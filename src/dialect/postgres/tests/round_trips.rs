//! Every change kind, with rows: upgrade, downgrade (the reverse operations), upgrade again
//! give the expected schemas, identical introspections, and keep the rows. Each case runs in
//! a schema of its own.

use super::*;
use crate::ops::{Constraint, alter, reverse_all};
use crate::schema::{Check, PrimaryKey, Table, Unique, index};

fn state(labels: &[&str]) -> Type {
    Type::enumeration("state", labels.iter().copied())
}

fn base() -> Schema {
    let parent = table("parent")
        .column(column("id", Type::BigInt).not_null().autoincrement())
        .column(column("code", Type::Varchar(10)).not_null())
        .primary_key("pk_parent", ["id"])
        .unique("uq_parent_code", ["code"]);
    let item = table("item")
        .column(column("id", Type::Integer).not_null())
        .column(column("parent_id", Type::BigInt))
        .column(column("name", Type::Varchar(20)).not_null().default("'x'"))
        .column(column("qty", Type::Integer).default("0"))
        .column(column("state", state(&["a", "b", "c"])).default("'a'"))
        .column(column("note", Type::Text).comment("n"))
        .primary_key("pk_item", ["id"])
        .index("ix_item_name", ["name"])
        .foreign_key(foreign_key(
            "fk_item_parent_id_parent",
            ["parent_id"],
            "parent",
            ["id"],
        ))
        .check("ck_item_qty", "qty >= 0")
        .comment("items");
    Schema::from_tables([parent, item])
}

const ROWS: &str = "INSERT INTO parent (code) VALUES ('p1'), ('p2');\n\
    INSERT INTO item (id, parent_id, name, qty, state) VALUES \
    (1, 1, 'one', 1, 'a'), (2, 2, 'two', 2, 'b'), (3, NULL, 'three', 3, 'a')";

fn item(schema: &mut Schema) -> &mut Table {
    schema.table_mut("item").unwrap()
}

/// Runs `ops` from `before` on a fresh schema: upgrade, downgrade, upgrade.
async fn round_trip(server: &TestDb, case: &str, before: &Schema, ops: &[Operation]) {
    let mut after = before.clone();
    for op in ops {
        op.apply(&mut after).unwrap();
    }
    let mut db = server.open(Some(case)).await;
    apply(&mut db, &diff(&Schema::new(), before, &PgCompare)).await;
    db.execute_raw(ROWS).await.unwrap();
    let initial = read(&mut db).await;
    // Tables that live through the change keep their rows.
    let lasting: Vec<&str> = ["parent", "item"]
        .into_iter()
        .filter(|t| after.contains(t))
        .collect();
    let mut counts = Vec::new();
    for t in &lasting {
        counts.push(count(&mut db, t).await);
    }
    apply(&mut db, ops).await;
    let up = read(&mut db).await;
    let left = diff(&up, &after, &PgCompare);
    assert!(left.is_empty(), "{case}: upgrade left {left:#?}");
    apply(&mut db, &reverse_all(ops).unwrap()).await;
    let down = read(&mut db).await;
    same(&down, &initial, &format!("{case}: downgrade"));
    for (t, n) in lasting.iter().zip(&counts) {
        assert_eq!(count(&mut db, t).await, *n, "{case}: rows of {t} lost");
    }
    apply(&mut db, ops).await;
    same(
        &read(&mut db).await,
        &up,
        &format!("{case}: second upgrade"),
    );
}

/// The same schema: no difference either way, the same names everywhere. (The catalog text
/// of a check can change when its column's type goes and comes back: `qty >= 0` is stored as
/// `qty::numeric >= 0::numeric` once `qty` was numeric.)
fn same(a: &Schema, b: &Schema, what: &str) {
    let (ab, ba) = (diff(a, b, &PgCompare), diff(b, a, &PgCompare));
    assert!(ab.is_empty() && ba.is_empty(), "{what}: {ab:#?} {ba:#?}");
    let names = |s: &Schema| -> Vec<(String, Vec<String>)> {
        s.tables()
            .map(|t| {
                (
                    t.name.clone(),
                    t.object_names().map(str::to_string).collect(),
                )
            })
            .collect()
    };
    assert_eq!(names(a), names(b), "{what}: names differ");
}

/// A case made by the differ: `change` turns the base into the desired schema.
async fn differ_case(server: &TestDb, case: &str, change: impl FnOnce(&mut Schema)) {
    let before = base();
    let mut after = before.clone();
    change(&mut after);
    let ops = diff(&before, &after, &PgCompare);
    assert!(!ops.is_empty(), "{case}: no change");
    round_trip(server, case, &before, &ops).await;
}

#[tokio::test]
async fn columns_change_and_change_back() {
    let Some(server) = TestDb::new("columns").await else {
        return;
    };
    differ_case(&server, "add nullable", |s| {
        item(s).columns.push(column("extra", Type::Text));
    })
    .await;
    differ_case(&server, "add not null", |s| {
        let c = column("flag", Type::Boolean).not_null().default("true");
        item(s).columns.push(c.comment("new"));
    })
    .await;
    differ_case(&server, "drop", |s| {
        item(s).columns.retain(|c| c.name != "note")
    })
    .await;
    differ_case(&server, "nullability", |s| {
        item(s).column_named_mut("name").unwrap().nullable = true;
        item(s).column_named_mut("id").unwrap().nullable = false;
    })
    .await;
    differ_case(&server, "defaults", |s| {
        item(s).column_named_mut("qty").unwrap().default = Some("-5".into());
        item(s).column_named_mut("name").unwrap().default = None;
        item(s).column_named_mut("note").unwrap().default = Some("'it''s'".into());
    })
    .await;
    differ_case(&server, "comments", |s| {
        item(s).column_named_mut("note").unwrap().comment = Some("changed".into());
        item(s).column_named_mut("qty").unwrap().comment = Some("how many".into());
        item(s).comment = None;
    })
    .await;
    differ_case(&server, "autoincrement", |s| {
        item(s).column_named_mut("id").unwrap().autoincrement = true;
    })
    .await;
    let renamed = [Operation::RenameColumn {
        table: "item".into(),
        from: "qty".into(),
        to: "quantity".into(),
    }];
    round_trip(&server, "rename column", &base(), &renamed).await;
}

#[tokio::test]
async fn column_types_change_and_change_back() {
    let Some(server) = TestDb::new("types").await else {
        return;
    };
    differ_case(&server, "widen", |s| {
        item(s).column_named_mut("qty").unwrap().ty = Type::BigInt;
        item(s).column_named_mut("name").unwrap().ty = Type::Varchar(50);
    })
    .await;
    differ_case(&server, "to text and numeric", |s| {
        item(s).column_named_mut("name").unwrap().ty = Type::Text;
        item(s).column_named_mut("qty").unwrap().ty = Type::Numeric(12, 2);
    })
    .await;
    differ_case(&server, "to an enum", |s| {
        let note = item(s).column_named_mut("note").unwrap();
        note.ty = state(&["a", "b", "c"]);
    })
    .await;
    differ_case(&server, "to a new enum with a default", |s| {
        let name = item(s).column_named_mut("name").unwrap();
        name.ty = Type::enumeration("kind", ["x", "one", "two", "three"]);
    })
    .await;
}

#[tokio::test]
async fn enum_labels_change_and_change_back() {
    let Some(server) = TestDb::new("labels").await else {
        return;
    };
    let relabel = |labels: &'static [&'static str]| {
        move |s: &mut Schema| item(s).column_named_mut("state").unwrap().ty = state(labels)
    };
    differ_case(&server, "labels added", relabel(&["z", "a", "b", "c", "d"])).await;
    differ_case(&server, "label removed", relabel(&["a", "b"])).await;
    differ_case(&server, "labels reordered", relabel(&["b", "a"])).await;
    // A check on a column of the type is of the old type too: made again after.
    let mut before = base();
    item(&mut before).checks.push(Check {
        name: "ck_item_state".into(),
        expr: "state IN ('a', 'b') AND state <> 'c'".into(),
        options: Default::default(),
    });
    let mut after = before.clone();
    relabel(&["b", "a", "c", "d"])(&mut after);
    let ops = diff(&before, &after, &PgCompare);
    round_trip(&server, "labels under a check", &before, &ops).await;
}

#[tokio::test]
async fn constraints_and_indexes_change_and_change_back() {
    let Some(server) = TestDb::new("constraints").await else {
        return;
    };
    differ_case(&server, "indexes", |s| {
        let t = item(s);
        t.indexes.clear();
        t.indexes
            .push(index("ix_item_qty_state", ["qty", "state"]).unique());
    })
    .await;
    differ_case(&server, "unique", |s| {
        item(s).uniques.push(Unique {
            name: "uq_item_name".into(),
            columns: vec!["name".into()],
            options: Default::default(),
        });
    })
    .await;
    differ_case(&server, "checks", |s| {
        item(s).checks = vec![Check {
            name: "ck_item_name".into(),
            expr: "length(name) > 1 AND name NOT LIKE '%!%'".into(),
            options: Default::default(),
        }];
    })
    .await;
    differ_case(&server, "foreign key actions", |s| {
        let fk = &mut item(s).foreign_keys[0];
        fk.on_delete = Action::Cascade;
        fk.on_update = Action::Restrict;
    })
    .await;
    differ_case(&server, "primary key", |s| {
        item(s).primary_key = Some(PrimaryKey {
            name: "pk_item".into(),
            columns: vec!["id".into(), "name".into()],
            options: Default::default(),
        });
    })
    .await;
    differ_case(&server, "no primary key", |s| item(s).primary_key = None).await;
    let added = [Operation::AddConstraint {
        table: "item".into(),
        constraint: Constraint::Unique(Unique {
            name: "uq_item_id_qty".into(),
            columns: vec!["id".into(), "qty".into()],
            options: Default::default(),
        }),
    }];
    round_trip(&server, "constraint op", &base(), &added).await;
    let created = [Operation::CreateIndex {
        table: "parent".into(),
        index: crate::schema::index("ix_parent_code_id", ["code", "id"]),
    }];
    round_trip(&server, "index op", &base(), &created).await;
}

#[tokio::test]
async fn tables_change_and_change_back() {
    let Some(server) = TestDb::new("tables").await else {
        return;
    };
    differ_case(&server, "table dropped", |s| {
        s.remove("item");
    })
    .await;
    differ_case(&server, "table added", |s| {
        s.insert(
            table("extra")
                .column(
                    column("id", Type::Uuid)
                        .not_null()
                        .default("gen_random_uuid()"),
                )
                .column(column("parent_id", Type::BigInt).not_null())
                .primary_key("pk_extra", ["id"])
                .foreign_key(
                    foreign_key("fk_extra_parent_id_parent", ["parent_id"], "parent", ["id"])
                        .on_delete(Action::Cascade),
                ),
        );
    })
    .await;
    let renamed = [Operation::RenameTable {
        from: "item".into(),
        to: "article".into(),
    }];
    round_trip(&server, "rename table", &base(), &renamed).await;
    let commented = [Operation::SetTableComment {
        table: "parent".into(),
        comment: Some("the parents".into()),
        previous: Some(None),
    }];
    round_trip(&server, "table comment", &base(), &commented).await;
    let dropped_autoincrement = [Operation::AlterColumn {
        table: "parent".into(),
        column: "id".into(),
        changes: alter().set_autoincrement(false),
        previous: Some(alter().set_autoincrement(true)),
    }];
    round_trip(&server, "identity dropped", &base(), &dropped_autoincrement).await;
}
