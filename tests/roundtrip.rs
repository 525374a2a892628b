//! Round trips on every dialect: for random tables, rows and changes of every kind the differ
//! knows, upgrade then downgrade then upgrade gives the same schema, read through our
//! introspection and through the dialect's own dump (`sqlite_master`, `pg_dump --schema-only`,
//! `SHOW CREATE TABLE`), and every row survives wherever the change keeps data (including
//! SQLite's table rebuilds, with foreign keys between the tables).

mod common;

use common::live::{Live, unordered};
use common::{Dialect, dialects};
use outflow::diff::diff;
use outflow::ops::reverse_all;
use outflow::schema::{Action, Schema, Table, Type, column, foreign_key, naming, table};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};

const TYPES: &[Type] = &[
    Type::Integer,
    Type::Text,
    Type::Varchar(20),
    Type::Real,
    Type::Boolean,
    Type::Numeric(8, 2),
];

/// A value of `ty` as an SQL literal, different for each row.
fn literal(ty: &Type, row: usize) -> String {
    match ty {
        Type::Integer | Type::BigInt => (row as i64 * 7 - 3).to_string(),
        Type::Real => format!("{}.5", row),
        Type::Boolean => (row % 2 == 1).to_string(),
        Type::Numeric(..) => format!("{row}.25"),
        _ => format!("'v{row}''s'"),
    }
}

/// Table `t{i}`: an integer key, some columns, maybe a foreign key to `t{i-1}`.
fn arb_table(i: usize) -> impl Strategy<Value = Table> {
    let cols = prop::collection::vec(
        (prop::sample::select(TYPES), any::<bool>(), any::<bool>()),
        1..4,
    );
    (cols, any::<bool>(), any::<bool>(), any::<bool>()).prop_map(move |(cols, fk, index, check)| {
        let name = format!("t{i}");
        let mut t = table(&name).column(column("id", Type::Integer).not_null());
        for (n, (ty, nullable, default)) in cols.into_iter().enumerate() {
            let mut c = column(format!("c{n}"), ty.clone());
            if !nullable {
                c = c.not_null();
            }
            if default {
                c = c.default(literal(&ty, 0));
            }
            t = t.column(c);
        }
        t = t.primary_key(naming::primary_key(&name), ["id"]);
        if index && t.columns[1].ty != Type::Text {
            t = t.index(naming::index(&name, &["c0"]), ["c0"]);
        }
        if check {
            t = t.check(naming::check(&name, "id"), "id > -1000000");
        }
        if fk && i > 0 {
            t = t.column(column("parent_id", Type::Integer));
            let parent = format!("t{}", i - 1);
            t = t.foreign_key(foreign_key(
                naming::foreign_key(&name, &["parent_id"], &parent),
                ["parent_id"],
                parent,
                ["id"],
            ));
        }
        t
    })
}

fn arb_schema() -> impl Strategy<Value = Schema> {
    prop::collection::vec(any::<u8>(), 1..4).prop_flat_map(|tables| {
        let strategies: Vec<_> = (0..tables.len()).map(arb_table).collect();
        strategies.prop_map(Schema::from_tables)
    })
}

/// One change of every kind the differ detects, chosen by `kind`, applied to `t`.
fn mutate(schema: &mut Schema, kind: u8, pick: usize) {
    let names: Vec<String> = schema.table_names().map(str::to_owned).collect();
    let name = names[pick % names.len()].clone();
    let referenced = schema
        .tables()
        .any(|t| t.foreign_keys.iter().any(|f| f.ref_table == name));
    let t = schema.table_mut(&name).unwrap();
    let plain: Vec<String> = t
        .columns
        .iter()
        .map(|c| c.name.clone())
        .filter(|c| c != "id" && c != "parent_id")
        .collect();
    let col = plain[pick % plain.len()].clone();
    // MySQL keys no TEXT column (it would need a prefix length the model does not hold).
    let keyable = t.column_named(&col).is_some_and(|c| c.ty != Type::Text);
    match kind % 14 {
        0 if t.column_named("added").is_none() => t.columns.push(column("added", Type::Text)),
        1 if t.column_named("added_nn").is_none() => t
            .columns
            .push(column("added_nn", Type::Integer).not_null().default("7")),
        2 if plain.len() > 1 => {
            t.columns.retain(|c| c.name != col);
            t.indexes
                .retain(|i| !i.column_names().iter().any(|c| c == &col));
            t.uniques.retain(|u| !u.columns.contains(&col));
        }
        3 => {
            let c = t.column_named_mut(&col).unwrap();
            c.ty = match &c.ty {
                Type::Integer => Type::BigInt,
                Type::Varchar(n) => Type::Varchar(n + 10),
                Type::Real => Type::Double,
                Type::Numeric(p, s) => Type::Numeric(p + 2, *s),
                _ => Type::Varchar(40),
            };
        }
        4 => t.column_named_mut(&col).unwrap().nullable = true,
        // A NOT NULL column keeps its default: one added without a default cannot be filled
        // on rows that exist (any tool fails there).
        5 if t.column_named(&col).is_some_and(|c| c.nullable) => {
            let c = t.column_named_mut(&col).unwrap();
            c.default = if c.default.is_some() {
                None
            } else {
                Some(literal(&c.ty.clone(), 1))
            };
        }
        6 if keyable => {
            t.indexes = vec![outflow::schema::index(
                naming::index(&name, &["id", &col]),
                ["id".to_string(), col],
            )]
        }
        7 if keyable => {
            let unique = naming::unique(&name, &["id", &col]);
            t.uniques.retain(|u| u.name != unique);
            t.uniques
                .push(outflow::schema::unique(unique, ["id".to_string(), col]));
        }
        8 => {
            t.checks = if t.checks.is_empty() {
                vec![outflow::schema::check(
                    naming::check(&name, "pos"),
                    "id >= -1000000",
                )]
            } else {
                vec![]
            }
        }
        9 => t.foreign_keys.iter_mut().for_each(|f| {
            f.on_delete = if f.on_delete == Action::Cascade {
                Action::NoAction
            } else {
                Action::Cascade
            }
        }),
        10 if !referenced => {
            schema.remove(&name);
        }
        11 => {
            schema.insert(
                table("fresh")
                    .column(column("id", Type::BigInt).not_null())
                    .column(column("x", Type::Text).default("'x'"))
                    .primary_key("pk_fresh", ["id"]),
            );
        }
        12 if !referenced => {
            t.primary_key = if t.primary_key.is_some() {
                None
            } else {
                Some(outflow::schema::primary_key(
                    naming::primary_key(&name),
                    ["id"],
                ))
            }
        }
        _ => t.comment = Some(format!("comment {pick}")),
    }
}

/// Puts back the columns `after` dropped that were NOT NULL without a default in `before`: no
/// downgrade can bring those back onto rows (tested on its own below), every other change is
/// kept.
fn keep_unrestorable_columns(before: &Schema, after: &mut Schema) {
    for old in before.tables() {
        let Some(new) = after.table_mut(&old.name) else {
            continue;
        };
        for c in &old.columns {
            if !c.nullable && c.default.is_none() && new.column_named(&c.name).is_none() {
                new.columns.push(c.clone());
            }
        }
    }
}

/// Inserts three rows in every table of `schema`.
async fn insert_rows(live: &Live, schema: &Schema) {
    let mut conn = live.conn().await;
    for t in schema.tables() {
        for row in 1..=3 {
            let names: Vec<String> = t.columns.iter().map(|c| live.quote(&c.name)).collect();
            let values: Vec<String> = t
                .columns
                .iter()
                .map(|c| match c.name.as_str() {
                    "id" | "parent_id" => row.to_string(),
                    _ => literal(&c.ty, row),
                })
                .collect();
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                live.quote(&t.name),
                names.join(", "),
                values.join(", ")
            );
            conn.execute(&sql).await;
        }
    }
}

/// Columns of each table present, with the same name, in both schemas.
fn common(a: &Schema, b: &Schema) -> Vec<(String, Vec<String>)> {
    a.tables()
        .filter_map(|t| {
            let other = b.table(&t.name)?;
            let cols = t
                .columns
                .iter()
                .map(|c| c.name.clone())
                .filter(|c| other.column_named(c).is_some())
                .collect();
            Some((t.name.clone(), cols))
        })
        .collect()
}

/// The schema and rows after each pass are the expected ones, and the dialect's dump after
/// the downgrade (the second upgrade) is the one before the first upgrade (after it).
///
/// The database is made and dropped outside the runtime: its setup blocks on its own.
fn round_trip(dialect: Dialect, before: Schema, after: Schema) {
    let Some(live) = Live::new(dialect) else {
        return;
    };
    runtime().block_on(check_round_trip(&live, before, after));
}

async fn check_round_trip(live: &Live, before: Schema, after: Schema) {
    let dialect = live.dialect;
    let compare = live.compare();
    live.run(&diff(&Schema::new(), &before, compare))
        .await
        .unwrap_or_else(|e| panic!("{dialect:?}: creating the tables failed: {e}"));
    insert_rows(live, &before).await;
    let kept = common(&before, &after);
    let mut rows = Vec::new();
    for (t, cols) in &kept {
        rows.push(live.rows(t, cols).await);
    }
    let up = diff(&before, &after, compare);
    let down = reverse_all(&up).unwrap();
    let mut dumps = vec![unordered(&live.dump().await)];
    for (pass, ops, expected) in [
        ("upgrade", &up, &after),
        ("downgrade", &down, &before),
        ("upgrade again", &up, &after),
    ] {
        live.run(ops)
            .await
            .unwrap_or_else(|e| panic!("{dialect:?}: {pass} failed: {e}\n{ops:#?}"));
        let read = live.schema().await;
        let left = diff(&read, expected, compare);
        assert!(
            left.is_empty(),
            "{dialect:?}: {pass}: schema differs: {left:#?}"
        );
        let extra = diff(expected, &read, compare);
        assert!(
            extra.is_empty(),
            "{dialect:?}: {pass}: schema differs: {extra:#?}"
        );
        for ((t, cols), expected_rows) in kept.iter().zip(&rows) {
            assert_eq!(
                &live.rows(t, cols).await,
                expected_rows,
                "{dialect:?}: {pass}: rows of {t} changed"
            );
        }
        dumps.push(unordered(&live.dump().await));
    }
    assert_eq!(
        dumps[2], dumps[0],
        "{dialect:?}: the dump after the downgrade"
    );
    assert_eq!(
        dumps[3], dumps[1],
        "{dialect:?}: the dump after the second upgrade"
    );
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Random schemas and changes on `dialect`: `cases` of them (fewer on servers, where each
/// case creates a database).
fn property(dialect: Dialect, cases: u32) {
    if !dialects().contains(&dialect) {
        return;
    }
    let config = Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/proptest-regressions/roundtrip.txt",
        ))),
        ..Config::default()
    };
    let changes = prop::collection::vec((any::<u8>(), any::<usize>()), 1..4);
    let result = TestRunner::new(config).run(&(arb_schema(), changes), |(before, changes)| {
        let mut after = before.clone();
        for (kind, pick) in changes {
            if !after.is_empty() {
                mutate(&mut after, kind, pick);
            }
        }
        keep_unrestorable_columns(&before, &mut after);
        prop_assert!(
            after.validate().is_ok(),
            "the generator made an invalid schema: {:?}",
            after.validate()
        );
        round_trip(dialect, before, after);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{dialect:?}: {e}");
    }
}

#[test]
fn sqlite_round_trips_random_changes() {
    property(Dialect::Sqlite, 96);
}

#[test]
fn postgres_round_trips_random_changes() {
    property(Dialect::Postgres, 24);
}

#[test]
fn mysql_round_trips_random_changes() {
    property(Dialect::Mysql, 24);
}

/// Dropping a NOT NULL column without a default cannot be undone on rows: the downgrade
/// fails by the column's name and leaves the database as it was (SQLite, PostgreSQL). MySQL
/// fills the column it adds back with the type's implicit default (`''`) instead: the schema
/// comes back, the values cannot.
#[test]
fn re_adding_a_dropped_not_null_column_to_rows() {
    for dialect in dialects() {
        if let Some(live) = Live::new(dialect) {
            runtime().block_on(re_add_dropped_not_null(&live));
        }
    }
}

async fn re_add_dropped_not_null(live: &Live) {
    let dialect = live.dialect;
    let compare = live.compare();
    let before = Schema::from_tables([table("t")
        .column(column("id", Type::Integer).not_null())
        .column(column("must", Type::Varchar(10)).not_null())]);
    let mut after = before.clone();
    after.table_mut("t").unwrap().columns.pop();
    live.run(&diff(&Schema::new(), &before, compare))
        .await
        .unwrap();
    insert_rows(live, &before).await;
    let up = diff(&before, &after, compare);
    live.run(&up).await.unwrap();
    let down = live.run(&reverse_all(&up).unwrap()).await;
    if dialect == Dialect::Mysql {
        down.unwrap();
        assert!(diff(&live.schema().await, &before, compare).is_empty());
        let values = live.rows("t", &["must".to_string()]).await;
        assert_eq!(values, ["", "", ""]);
        return;
    }
    let err = down.unwrap_err();
    let expected = match dialect {
        Dialect::Sqlite => "NOT NULL constraint failed: t.must",
        _ => "column \"must\" of relation \"t\" contains null values",
    };
    assert!(err.contains(expected), "{dialect:?}: {err}");
    assert!(
        diff(&live.schema().await, &after, compare).is_empty(),
        "{dialect:?}: nothing of the failed downgrade stays"
    );
}

#[test]
fn every_change_kind_round_trips() {
    let base = Schema::from_tables([
        table("t0")
            .column(column("id", Type::Integer).not_null())
            .column(column("c0", Type::Varchar(20)).not_null())
            .column(column("c1", Type::Integer))
            .primary_key("pk_t0", ["id"]),
        table("t1")
            .column(column("id", Type::Integer).not_null())
            .column(column("c0", Type::Integer).default("3"))
            .column(column("parent_id", Type::Integer))
            .primary_key("pk_t1", ["id"])
            .foreign_key(foreign_key(
                "fk_t1_parent_id_t0",
                ["parent_id"],
                "t0",
                ["id"],
            )),
    ]);
    for dialect in dialects() {
        for kind in 0..14 {
            for pick in 0..2 {
                let mut after = base.clone();
                mutate(&mut after, kind, pick);
                keep_unrestorable_columns(&base, &mut after);
                round_trip(dialect, base.clone(), after);
            }
        }
    }
}
