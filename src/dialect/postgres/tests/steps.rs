//! Steps: atomicity, version rows, statements run before the transaction, drops by name.

use super::*;

#[tokio::test]
async fn a_failing_step_leaves_nothing_behind() {
    let Some(server) = TestDb::new("failing").await else {
        return;
    };
    let mut db = server.open(None).await;
    let t = table("t").column(column("a", Type::Integer));
    db.run_step(&Step {
        ops: &[Operation::CreateTable(t)],
        version: &[VersionChange::Insert("r1".into())],
        version_table: "v",
        log: &[],
    })
    .await
    .unwrap();
    db.execute_raw("INSERT INTO t (a) VALUES (NULL)")
        .await
        .unwrap();
    let before = db.introspect(&["v"]).await.unwrap();
    let ops = [
        Operation::CreateTable(table("u").column(column("x", Type::Text))),
        Operation::AddColumn {
            table: "t".into(),
            column: column("b", Type::Text),
        },
        Operation::AlterColumn {
            table: "t".into(),
            column: "a".into(),
            changes: crate::ops::alter().set_not_null(),
            previous: None,
        },
    ];
    let step = Step {
        ops: &ops,
        version: &[VersionChange::Update {
            from: "r1".into(),
            to: "r2".into(),
        }],
        version_table: "v",
        log: &[],
    };
    let err = db.run_step(&step).await.unwrap_err();
    let DbError::Statement { sql, message, .. } = &err else {
        panic!("not a statement error: {err}");
    };
    // The driver's error is kept: its SQLSTATE says what happened (not_null_violation).
    assert_eq!(err.sqlstate().as_deref(), Some("23502"));
    assert!(std::error::Error::source(&err).is_some());
    assert!(message.contains("contains null values"), "{message}");
    assert!(sql.contains("SET NOT NULL"), "{sql}");
    assert_eq!(db.introspect(&["v"]).await.unwrap(), before);
    assert_eq!(
        db.version_rows("v").await.unwrap(),
        Some(vec!["r1".to_string()])
    );
}

#[tokio::test]
async fn version_changes_move_rows_and_refuse_a_missing_one() {
    let Some(server) = TestDb::new("versions").await else {
        return;
    };
    let mut db = server.open(Some("audit")).await;
    assert_eq!(db.version_rows("v").await.unwrap(), None);
    let run = async |db: &mut PgDb, version: &[VersionChange]| {
        db.run_step(&Step {
            ops: &[],
            version,
            version_table: "v",
            log: &[],
        })
        .await
    };
    let insert = [
        VersionChange::Insert("a".into()),
        VersionChange::Insert("b".into()),
    ];
    run(&mut db, &insert).await.unwrap();
    let moves = [
        VersionChange::Update {
            from: "a".into(),
            to: "c".into(),
        },
        VersionChange::Delete("b".into()),
    ];
    run(&mut db, &moves).await.unwrap();
    assert_eq!(
        db.version_rows("v").await.unwrap(),
        Some(vec!["c".to_string()])
    );
    let stale = [
        VersionChange::Insert("d".into()),
        VersionChange::Delete("zzz".into()),
    ];
    let err = run(&mut db, &stale).await.unwrap_err();
    assert!(
        matches!(err, DbError::VersionRows { found: 0, .. }),
        "{err}"
    );
    assert_eq!(
        db.version_rows("v").await.unwrap(),
        Some(vec!["c".to_string()])
    );
    // The table is in the configured schema, under the convention's primary key.
    let pk: String = sqlx::query_scalar(
        "SELECT conname::text FROM pg_constraint WHERE conrelid = '\"audit\".\"v\"'::regclass",
    )
    .fetch_one(db.conn())
    .await
    .unwrap();
    assert_eq!(pk, "pk_v");
}

#[tokio::test]
async fn statements_refused_in_a_transaction_run_first() {
    let Some(server) = TestDb::new("early").await else {
        return;
    };
    let mut db = server.open(None).await;
    let state = |labels: &[&str]| Type::enumeration("state", labels.iter().copied());
    let before = Schema::from_tables([table("t")
        .column(column("id", Type::Integer).not_null())
        .column(column("s", state(&["a", "b"])).default("'a'"))
        .primary_key("pk_t", ["id"])]);
    apply(&mut db, &diff(&Schema::new(), &before, &PgCompare)).await;
    db.execute_raw("INSERT INTO t VALUES (1, 'b')")
        .await
        .unwrap();
    // A new label, used at once as the default and by raw SQL, and a concurrent index.
    let mut after = before.clone();
    let s = after.table_mut("t").unwrap().column_named_mut("s").unwrap();
    s.ty = state(&["a", "new", "b"]);
    s.default = Some("'new'".into());
    let mut ops = diff(&before, &after, &PgCompare);
    ops.push(Operation::Execute {
        sql: "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_t_s ON t (s);\n\
              UPDATE t SET s = 'new' WHERE id = 1"
            .into(),
        dialect: Some(crate::ops::DialectName::Postgres),
    });
    apply(&mut db, &ops).await;
    let t = after.table_mut("t").unwrap();
    t.indexes.push(crate::schema::index("ix_t_s", ["s"]));
    let left = diff(&read(&mut db).await, &after, &PgCompare);
    assert!(left.is_empty(), "{left:#?}");
    let s: String = sqlx::query_scalar("SELECT s::text FROM t")
        .fetch_one(db.conn())
        .await
        .unwrap();
    assert_eq!(s, "new");
}

#[tokio::test]
async fn early_statements_stay_when_the_transaction_fails() {
    let Some(server) = TestDb::new("early_fail").await else {
        return;
    };
    let mut db = server.open(None).await;
    let create = [
        Operation::CreateEnum {
            name: "state".into(),
            values: vec!["a".into(), "new".into(), "b".into()],
        },
        Operation::CreateTable(
            table("t").column(column("s", Type::enumeration("state", ["a", "new", "b"]))),
        ),
    ];
    apply(&mut db, &create).await;
    // A step failing after its early statements: the label stays, the transaction goes, and
    // the step runs again once fixed.
    let more = Operation::AlterEnum {
        name: "state".into(),
        values: vec!["a".into(), "new".into(), "b".into(), "c".into()],
        previous: None,
    };
    let failing = [
        more.clone(),
        Operation::Execute {
            sql: "SELECT 1/0".into(),
            dialect: None,
        },
    ];
    assert!(
        db.run_step(&Step {
            ops: &failing,
            version: &[],
            version_table: "v",
            log: &[],
        })
        .await
        .is_err()
    );
    apply(&mut db, &[more]).await;
    let found = db.introspect_full(&[]).await.unwrap();
    assert_eq!(found.enums["state"], ["a", "new", "b", "c"]);
}

#[tokio::test]
async fn a_constraint_dropped_without_its_definition_goes_by_name() {
    let Some(server) = TestDb::new("dropname").await else {
        return;
    };
    let mut db = server.open(None).await;
    db.execute_raw("CREATE TABLE t (a int CHECK (a > 0), b int UNIQUE)")
        .await
        .unwrap();
    let live = read(&mut db).await;
    let t = live.table("t").unwrap();
    let (check, unique) = (t.checks[0].name.clone(), t.uniques[0].name.clone());
    assert_eq!((check.as_str(), unique.as_str()), ("t_a_check", "t_b_key"));
    let ops: Vec<Operation> = [check, unique]
        .into_iter()
        .map(|name| Operation::DropConstraint {
            table: "t".into(),
            name,
            definition: None,
        })
        .collect();
    apply(&mut db, &ops).await;
    let t = read(&mut db).await.table("t").cloned().unwrap();
    assert!(t.checks.is_empty() && t.uniques.is_empty());
}

#[tokio::test]
async fn serial_columns_are_autoincrement_and_turn_off() {
    let Some(server) = TestDb::new("serial").await else {
        return;
    };
    let mut db = server.open(None).await;
    db.execute_raw(
        "CREATE TABLE s (id serial PRIMARY KEY, n int); INSERT INTO s (n) VALUES (1), (2)",
    )
    .await
    .unwrap();
    let found = db.introspect_full(&[]).await.unwrap();
    let id = found.schema.table("s").unwrap().columns[0].clone();
    assert!(id.autoincrement && id.default.is_none() && !id.nullable);
    assert_eq!(
        found.extras["s"].serial["id"],
        ("public".to_string(), "s_id_seq".to_string())
    );
    let toggle = |on: bool| Operation::AlterColumn {
        table: "s".into(),
        column: "id".into(),
        changes: crate::ops::alter().set_autoincrement(on),
        previous: Some(crate::ops::alter().set_autoincrement(!on)),
    };
    apply(&mut db, &[toggle(false)]).await;
    let id = read(&mut db).await.table("s").unwrap().columns[0].clone();
    assert!(!id.autoincrement && id.default.is_none());
    let sequences: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_class WHERE relkind = 'S'")
        .fetch_one(db.conn())
        .await
        .unwrap();
    assert_eq!(sequences, 0);
    // Back on, as an identity that continues after the rows already there.
    apply(&mut db, &[toggle(true)]).await;
    db.execute_raw("INSERT INTO s (n) VALUES (3)")
        .await
        .unwrap();
    let max: i32 = sqlx::query_scalar("SELECT max(id) FROM s")
        .fetch_one(db.conn())
        .await
        .unwrap();
    assert_eq!(max, 3);
}
