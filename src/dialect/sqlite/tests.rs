//! Against real SQLite files.

use super::*;
use crate::dialect::Step;
use crate::dialect::{OpenMode, VersionChange};
use crate::diff::diff;
use crate::ops::reverse_all;
use crate::schema::{Action, Schema, Type, column, foreign_key, table};

fn every_kind() -> Schema {
    let parent = table("parent")
        .column(column("id", Type::BigInt).not_null().autoincrement())
        .column(column("code", Type::Char(3)).not_null())
        .column(column(
            "state",
            Type::enumeration("state", ["pending", "it's"]),
        ))
        .primary_key("pk_parent", ["id"])
        .unique("uq_parent_code", ["code"])
        .comment("parents");
    let child = table("child")
        .column(column("id", Type::Integer).not_null())
        .column(column("small", Type::SmallInt).default("-1"))
        .column(column("flag", Type::Boolean).not_null().default("false"))
        .column(column("ratio", Type::Real))
        .column(column("precise", Type::Double).default("0.5"))
        .column(column("amount", Type::Numeric(12, 2)).default("0"))
        .column(
            column("body", Type::Text)
                .default("'it''s'")
                .comment("free text"),
        )
        .column(column("name", Type::Varchar(120)).not_null())
        .column(column("day", Type::Date))
        .column(column("at", Type::Time))
        .column(column("created", Type::Timestamp).default("CURRENT_TIMESTAMP"))
        .column(column("seen", Type::TimestampTz))
        .column(column("data", Type::Blob))
        .column(column("doc", Type::Json))
        .column(column("uid", Type::Uuid))
        .column(column("julian", Type::Real).default("julianday('now')"))
        .column(column("odd", Type::raw("MEDIUMTEXT")))
        .column(column("parent_id", Type::BigInt))
        .column(column("parent_code", Type::Char(3)))
        .column(
            column("state", Type::enumeration("state", ["pending", "it's"]))
                .not_null()
                .default("'pending'"),
        )
        .primary_key("pk_child", ["id"])
        .unique("uq_child_name_day", ["name", "day"])
        .index("ix_child_created", ["created"])
        .unique_index("ix_child_uid", ["uid"])
        .foreign_key(
            foreign_key("fk_child_parent_id_parent", ["parent_id"], "parent", ["id"])
                .on_delete(Action::Cascade)
                .on_update(Action::SetNull),
        )
        .foreign_key(foreign_key(
            "fk_child_parent_code_parent",
            ["parent_code"],
            "parent",
            ["code"],
        ))
        .check("ck_child_amount", "amount>=0")
        .check("ck_child_name", "length(name) > 0");
    Schema::from_tables([parent, child])
}

async fn fresh() -> (tempfile::TempDir, SqliteDb) {
    let dir = tempfile::tempdir().unwrap();
    let db = SqliteDb::open(&dir.path().join("t.db"), OpenMode::ReadWrite)
        .await
        .unwrap();
    (dir, db)
}

async fn apply(db: &mut SqliteDb, ops: &[crate::ops::Operation]) {
    let step = Step {
        ops,
        version: &[],
        version_table: "outflow_version",
        log: &[],
    };
    db.run_step(&step).await.unwrap();
}

/// Every row of `sql`, each column as text.
async fn texts(db: &mut SqliteDb, sql: &str) -> Vec<Vec<String>> {
    use sqlx::Row;
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(&mut db.conn)
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (0..row.len())
                .map(|i| {
                    row.try_get::<String, _>(i)
                        .or_else(|_| row.try_get::<i64, _>(i).map(|n| n.to_string()))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect()
}

async fn read(db: &mut SqliteDb) -> Schema {
    db.introspect(&["outflow_version"]).await.unwrap().schema
}

#[tokio::test]
async fn a_model_of_every_kind_reads_back_equal() {
    let (_dir, mut db) = fresh().await;
    let model = every_kind();
    apply(&mut db, &diff(&Schema::new(), &model, &SqliteCompare)).await;
    let live = read(&mut db).await;
    let again = diff(&live, &model, &SqliteCompare);
    assert!(again.is_empty(), "false differences: {again:#?}");
    let child = live.table("child").unwrap();
    assert_eq!(child.checks.len(), 2);
    assert_eq!(child.foreign_keys[1].on_delete, Action::Cascade);
    assert!(live.table("parent").unwrap().columns[0].autoincrement);
}

#[tokio::test]
async fn enum_labels_change_with_a_rebuild_and_keep_rows() {
    let (_dir, mut db) = fresh().await;
    let before = every_kind();
    apply(&mut db, &diff(&Schema::new(), &before, &SqliteCompare)).await;
    sqlx::query("INSERT INTO parent (code, state) VALUES ('abc', 'it''s')")
        .execute(&mut db.conn)
        .await
        .unwrap();
    let mut after = before.clone();
    for t in ["parent", "child"] {
        let c = after
            .table_mut(t)
            .unwrap()
            .column_named_mut("state")
            .unwrap();
        c.ty = Type::enumeration("state", ["pending", "it's", "done"]);
    }
    let ops = diff(&before, &after, &SqliteCompare);
    assert_eq!(
        ops[0].to_string(),
        "alter enum type 'state': ('pending', 'it''s', 'done') (was ('pending', 'it''s'))"
    );
    apply(&mut db, &ops).await;
    assert!(diff(&read(&mut db).await, &after, &SqliteCompare).is_empty());
    sqlx::query("INSERT INTO parent (code, state) VALUES ('def', 'done')")
        .execute(&mut db.conn)
        .await
        .unwrap();
    let bad = sqlx::query("INSERT INTO parent (code, state) VALUES ('ghi', 'nope')")
        .execute(&mut db.conn)
        .await;
    assert!(
        bad.unwrap_err()
            .to_string()
            .contains("CHECK constraint failed")
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM parent")
        .fetch_one(&mut db.conn)
        .await
        .unwrap();
    assert_eq!(count, 2);
}

#[tokio::test]
async fn read_only_never_creates_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.db");
    let err = SqliteDb::open(&path, OpenMode::ReadOnly)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!("cannot open database {}", path.display())),
        "{err}"
    );
    assert!(!path.exists());
    let err = SqliteDb::open(dir.path(), OpenMode::ReadWrite)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("it is a directory"), "{err}");
    std::fs::write(
        &path,
        b"this is not a database, just text that is long enough....",
    )
    .unwrap();
    let err = SqliteDb::open(&path, OpenMode::ReadOnly)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a database"), "{err}");
}

#[tokio::test]
async fn rebuilds_keep_rows_and_downgrades_restore_the_table() {
    let (_dir, mut db) = fresh().await;
    let before = every_kind();
    apply(&mut db, &diff(&Schema::new(), &before, &SqliteCompare)).await;
    sqlx::query("INSERT INTO parent (code) VALUES ('abc'), ('def')")
        .execute(&mut db.conn)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO child (id, name, parent_id, amount) VALUES (1, 'a', 1, 2.5), (2, 'b', 2, 3)",
    )
    .execute(&mut db.conn)
    .await
    .unwrap();
    let mut after = before.clone();
    let child = after.table_mut("child").unwrap();
    child.columns.retain(|c| c.name != "ratio");
    child.column_named_mut("small").unwrap().ty = Type::BigInt;
    child.column_named_mut("name").unwrap().nullable = true;
    child.checks.retain(|c| c.name != "ck_child_name");
    child.foreign_keys[1].on_delete = Action::Restrict;
    child
        .columns
        .push(column("extra", Type::Text).not_null().default("'e'"));
    let ops = diff(&before, &after, &SqliteCompare);
    apply(&mut db, &ops).await;
    assert!(diff(&read(&mut db).await, &after, &SqliteCompare).is_empty());
    let names: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, extra FROM child ORDER BY id")
            .fetch_all(&mut db.conn)
            .await
            .unwrap();
    assert_eq!(
        names,
        [(1, "a".into(), "e".into()), (2, "b".into(), "e".into())]
    );
    apply(&mut db, &reverse_all(&ops).unwrap()).await;
    assert!(diff(&read(&mut db).await, &before, &SqliteCompare).is_empty());
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM child")
        .fetch_one(&mut db.conn)
        .await
        .unwrap();
    assert_eq!(count, 2);
}

#[tokio::test]
async fn a_failing_step_leaves_nothing_behind() {
    let (dir, mut db) = fresh().await;
    let t = table("t").column(column("a", Type::Integer));
    apply(&mut db, &[crate::ops::Operation::CreateTable(t)]).await;
    sqlx::query("INSERT INTO t (a) VALUES (NULL)")
        .execute(&mut db.conn)
        .await
        .unwrap();
    let bytes = std::fs::read(dir.path().join("t.db")).unwrap();
    let ops = [
        crate::ops::Operation::CreateTable(table("u").column(column("x", Type::Text))),
        crate::ops::Operation::AlterColumn {
            table: "t".into(),
            column: "a".into(),
            changes: crate::ops::alter().set_not_null(),
            previous: None,
        },
    ];
    let step = Step {
        ops: &ops,
        version: &[VersionChange::Insert("r1".into())],
        version_table: "v",
        log: &[],
    };
    let failure = db.run_step(&step).await.unwrap_err();
    // SQLITE_CONSTRAINT_NOTNULL, kept from the driver's error.
    assert_eq!(failure.sqlstate().as_deref(), Some("1299"));
    let err = failure.to_string();
    assert!(err.starts_with("NOT NULL constraint failed: t.a"), "{err}");
    assert_eq!(std::fs::read(dir.path().join("t.db")).unwrap(), bytes);
    assert_eq!(db.version_rows("v").await.unwrap(), None);
}

#[tokio::test]
async fn version_changes_move_rows_and_refuse_a_missing_one() {
    let (_dir, mut db) = fresh().await;
    let run = |changes: Vec<VersionChange>| async move { changes };
    let changes = run(vec![
        VersionChange::Insert("a".into()),
        VersionChange::Insert("b".into()),
    ])
    .await;
    db.run_step(&Step {
        ops: &[],
        version: &changes,
        version_table: "v",
        log: &[],
    })
    .await
    .unwrap();
    let update = [
        VersionChange::Update {
            from: "a".into(),
            to: "c".into(),
        },
        VersionChange::Delete("b".into()),
    ];
    db.run_step(&Step {
        ops: &[],
        version: &update,
        version_table: "v",
        log: &[],
    })
    .await
    .unwrap();
    assert_eq!(
        db.version_rows("v").await.unwrap(),
        Some(vec!["c".to_string()])
    );
    let stale = [VersionChange::Delete("zzz".into())];
    let err = db
        .run_step(&Step {
            ops: &[],
            version: &stale,
            version_table: "v",
            log: &[],
        })
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("expected exactly one row"),
        "{err}"
    );
}

/// What SQLite keeps beside a table (partial and expression indexes, its triggers, views over
/// it) comes back unchanged after a rebuild of the table, the rows with it; and a change to
/// what the view reads makes the view again around it.
#[tokio::test]
async fn a_rebuild_keeps_partial_and_expression_indexes_triggers_and_views() {
    let (_dir, mut db) = fresh().await;
    db.execute_raw(
        "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER, note TEXT);\n\
         CREATE TABLE audit (what TEXT);\n\
         CREATE INDEX ix_adult ON person (name) WHERE age >= 18;\n\
         CREATE INDEX ix_lower ON person (lower(name) DESC);\n\
         CREATE TRIGGER trg_person AFTER INSERT ON person BEGIN INSERT INTO audit VALUES ('in'); END;\n\
         CREATE VIEW adults AS SELECT id, name FROM person WHERE age >= 18;\n\
         INSERT INTO person (id, name, age) VALUES (1, 'ada', 36), (2, 'alan', 41);",
    )
    .await
    .unwrap();
    let objects = "SELECT type, name, sql FROM sqlite_master WHERE name <> 'person' \
                   AND name NOT LIKE 'outflow_version%' AND name NOT LIKE 'sqlite_%' ORDER BY name";
    let before = texts(&mut db, objects).await;
    let live = read(&mut db).await;
    // A NOT NULL column without a default rebuilds the table; the view reads other columns.
    let mut target = live.clone();
    let person = target.table_mut("person").unwrap();
    person.column_named_mut("note").unwrap().nullable = false;
    person.column_named_mut("note").unwrap().default = Some("''".into());
    let ops = diff(&live, &target, &SqliteCompare);
    apply(&mut db, &ops).await;
    assert_eq!(texts(&mut db, objects).await, before);
    assert_eq!(
        texts(&mut db, "SELECT name FROM adults ORDER BY id").await,
        [["ada"], ["alan"]]
    );
    // Dropping a column the view reads drops the view first and makes it again after.
    let mut target = read(&mut db).await;
    let person = target.table_mut("person").unwrap();
    person.columns.retain(|c| c.name != "age");
    person.indexes.retain(|i| i.name != "ix_adult");
    let view = crate::schema::view(
        "adults",
        "CREATE VIEW adults AS SELECT id, name FROM person",
    );
    target.insert_object(view);
    let current = read(&mut db).await;
    let ops = diff(&current, &target, &SqliteCompare);
    let said: Vec<String> = ops.iter().map(ToString::to_string).collect();
    let at = |what: &str| said.iter().position(|s| s == what).unwrap_or(usize::MAX);
    assert!(
        at("drop view 'adults'") < at("drop column 'person.age'"),
        "{said:#?}"
    );
    assert!(
        at("create view 'adults'") > at("drop column 'person.age'"),
        "{said:#?}"
    );
    assert!(at("create view 'adults'") < usize::MAX, "{said:#?}");
    apply(&mut db, &ops).await;
    let again = read(&mut db).await;
    assert!(diff(&again, &target, &SqliteCompare).is_empty());
    assert_eq!(texts(&mut db, "SELECT count(*) FROM adults").await, [["2"]]);
}

/// Introspection reads the catalog in the same number of queries for 10 tables as for 1,000
/// (table-valued pragmas joined with `sqlite_master`, never a query per table).
#[tokio::test]
async fn introspection_takes_five_queries_for_ten_or_a_thousand_tables() {
    let (_dir, mut db) = fresh().await;
    let mut counts = Vec::new();
    for (from, to) in [(0, 10), (10, 1000)] {
        let sql: Vec<String> = (from..to)
            .map(|i| {
                let parent = if i == 0 { 0 } else { i - 1 };
                format!(
                    "CREATE TABLE t{i:04} (id INTEGER PRIMARY KEY, prev INTEGER REFERENCES t{parent:04} (id), \
                     name TEXT UNIQUE CHECK (name <> ''), n INTEGER DEFAULT 0);\n\
                     CREATE INDEX ix_t{i:04} ON t{i:04} (n);\n\
                     CREATE INDEX ix_t{i:04}_expr ON t{i:04} (lower(name)) WHERE n > 0;\n\
                     CREATE TRIGGER tr_t{i:04} AFTER INSERT ON t{i:04} BEGIN SELECT 1; END"
                )
            })
            .collect();
        db.execute_raw(&sql.join(";\n")).await.unwrap();
        let before = db.catalog_queries();
        let schema = read(&mut db).await;
        assert_eq!(schema.table_names().count(), to);
        assert_eq!(schema.table("t0009").unwrap().foreign_keys.len(), 1);
        counts.push(db.catalog_queries() - before);
    }
    assert_eq!(counts, [5, 5], "10 tables, then 1000");
}
