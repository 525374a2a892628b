//! The progress record of a step that stops half-way, and the version table.

use super::*;
use crate::dialect::DbError;
use crate::ops::alter;

fn t_with_null() -> Operation {
    Operation::CreateTable(table("t").column(column("a", Type::Integer)))
}

/// Runs a step whose third statement of four fails (`t.a` holds a NULL); returns the error.
async fn stop_half_way(db: &mut MySqlDb) -> String {
    let first = [t_with_null()];
    let v1 = [VersionChange::Insert("r1".into())];
    db.run_step(&step(&first, &v1)).await.unwrap();
    db.execute_raw("INSERT INTO t (a) VALUES (NULL)")
        .await
        .unwrap();
    let ops = [
        Operation::CreateTable(table("u").column(column("x", Type::Text))),
        Operation::AddColumn {
            table: "t".into(),
            column: column("b", Type::Integer),
        },
        Operation::AlterColumn {
            table: "t".into(),
            column: "a".into(),
            changes: alter().set_not_null(),
            previous: None,
        },
        Operation::DropColumn {
            table: "t".into(),
            column: "b".into(),
            definition: None,
        },
    ];
    let v2 = [VersionChange::Update {
        from: "r1".into(),
        to: "r2".into(),
    }];
    db.run_step(&step(&ops, &v2)).await.unwrap_err().to_string()
}

#[tokio::test]
async fn a_failing_statement_is_recorded_and_blocks_the_next_step() {
    let Some(scratch) = Scratch::new("progress").await else {
        return;
    };
    let mut db = scratch.open().await;
    let err = stop_half_way(&mut db).await;
    assert!(
        err.starts_with("statement 3 of 4 of the step moving head 'r1' to 'r2' failed: "),
        "{err}"
    );
    assert!(
        err.contains("statements 1 to 2 ran (CREATE TABLE IF NOT EXISTS `u` ( ... | ALTER TABLE `t` ADD COLUMN IF NOT EXISTS `b` INT NULL)"),
        "{err}"
    );
    assert!(
        err.contains("finish the remaining statements by hand and run `db stamp r2`, or undo the ones that ran and run `db stamp r1`"),
        "{err}"
    );
    assert!(
        err.ends_with("(while running: ALTER TABLE `t` MODIFY COLUMN IF EXISTS `a` INT NOT NULL)"),
        "{err}"
    );
    assert!(!err.contains('\n'));
    assert_eq!(
        db.version_rows(VERSION).await.unwrap(),
        Some(vec!["r1".into()])
    );
}

#[tokio::test]
async fn a_stopped_step_blocks_the_next_ones_until_stamped() {
    let Some(scratch) = Scratch::new("blocked").await else {
        return;
    };
    let mut db = scratch.open().await;
    stop_half_way(&mut db).await;
    let v2 = [VersionChange::Update {
        from: "r1".into(),
        to: "r2".into(),
    }];
    // The next step with operations refuses, on this connection and on another one.
    let next = [Operation::CreateTable(
        table("w").column(column("x", Type::Integer)),
    )];
    for db in [&mut db, &mut scratch.open().await] {
        let refused = db
            .run_step(&step(&next, &[]))
            .await
            .unwrap_err()
            .to_string();
        assert!(refused.contains("a previous migration stopped half-way: statement 3 of 4 of the step moving head 'r1' to 'r2' failed: "), "{refused}");
        assert!(
            refused.contains("`db stamp r2`") && refused.contains("`outflow_version_progress`"),
            "{refused}"
        );
    }
    assert!(!read(&mut db).await.contains("w"));

    // Finished by hand, then stamped: the record goes and migrations run again.
    db.execute_raw("UPDATE t SET a = 0; ALTER TABLE t MODIFY a INT NOT NULL, DROP COLUMN b")
        .await
        .unwrap();
    db.run_step(&step(&[], &v2)).await.unwrap();
    assert_eq!(
        db.version_rows(VERSION).await.unwrap(),
        Some(vec!["r2".into()])
    );
    db.run_step(&step(&next, &[])).await.unwrap();
    assert!(read(&mut db).await.contains("w"));
}

#[tokio::test]
async fn a_first_statement_that_fails_leaves_no_record() {
    let Some(scratch) = Scratch::new("first").await else {
        return;
    };
    let mut db = scratch.open().await;
    let bad = [Operation::Execute {
        sql: "ALTER TABLE missing ADD COLUMN x INT".into(),
        dialect: None,
    }];
    let err = db.run_step(&step(&bad, &[])).await.unwrap_err().to_string();
    assert!(
        err.starts_with("Table ") && err.contains("missing' doesn't exist"),
        "{err}"
    );
    apply(&mut db, &[t_with_null()]).await;
}

#[tokio::test]
async fn raw_sql_is_followed_by_a_fresh_plan() {
    let Some(scratch) = Scratch::new("raw").await else {
        return;
    };
    let mut db = scratch.open().await;
    apply(&mut db, &[t_with_null()]).await;
    let ops = [
        Operation::Execute {
            sql: "ALTER TABLE t ADD COLUMN c INT COMMENT 'made by hand'".into(),
            dialect: None,
        },
        Operation::Execute {
            sql: "this is not for MySQL".into(),
            dialect: Some(crate::ops::DialectName::Postgres),
        },
        Operation::AlterColumn {
            table: "t".into(),
            column: "c".into(),
            changes: alter().set_type(Type::BigInt),
            previous: None,
        },
    ];
    apply(&mut db, &ops).await;
    let c = read(&mut db)
        .await
        .table("t")
        .unwrap()
        .column_named("c")
        .unwrap()
        .clone();
    assert_eq!(
        (c.ty, c.comment.as_deref()),
        (Type::BigInt, Some("made by hand"))
    );
}

#[tokio::test]
async fn version_changes_move_rows_and_refuse_a_missing_one() {
    let Some(scratch) = Scratch::new("version").await else {
        return;
    };
    let mut db = scratch.open().await;
    let insert = [
        VersionChange::Insert("a".into()),
        VersionChange::Insert("b".into()),
    ];
    db.run_step(&step(&[], &insert)).await.unwrap();
    let moves = [
        VersionChange::Update {
            from: "a".into(),
            to: "c".into(),
        },
        VersionChange::Delete("b".into()),
    ];
    db.run_step(&step(&[], &moves)).await.unwrap();
    assert_eq!(
        db.version_rows(VERSION).await.unwrap(),
        Some(vec!["c".to_string()])
    );
    let stale = [
        VersionChange::Insert("d".into()),
        VersionChange::Delete("zzz".into()),
    ];
    let err = db.run_step(&step(&[], &stale)).await.unwrap_err();
    assert!(
        matches!(err, DbError::VersionRows { found: 0, .. }),
        "{err}"
    );
    assert_eq!(
        db.version_rows(VERSION).await.unwrap(),
        Some(vec!["c".to_string()]),
        "all or nothing"
    );
    // With operations, a stale version change leaves the record for `db stamp`.
    let ops = [t_with_null()];
    let err = db.run_step(&step(&ops, &stale)).await.unwrap_err();
    assert!(
        err.to_string().contains("expected exactly one row"),
        "{err}"
    );
    let next = [Operation::DropTable {
        table: "t".into(),
        definition: None,
    }];
    let refused = db
        .run_step(&step(&next, &[]))
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("ran all 1 statements of the step inserting head 'd', deleting head 'zzz' but did not update the version table"), "{refused}");
    let stamp = [VersionChange::Insert("d".into())];
    db.run_step(&step(&[], &stamp)).await.unwrap();
    db.run_step(&step(&next, &[])).await.unwrap();
}
