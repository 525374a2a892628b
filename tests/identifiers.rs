//! Hostile identifiers round-trip on every dialect (proptest): table, column, constraint and
//! index names with quotes, spaces, unicode, reserved words and semicolons, and string
//! defaults with quotes, are created, introspected back equal, changed, reverted and changed
//! again, with the rows they hold kept. Nothing is ever built from unquoted user text: a name
//! that escaped its quotes would fail or run its injected statement here.

mod common;

use common::live::Live;
use common::{Dialect, dialects};
use outflow::diff::diff;
use outflow::ops::reverse_all;
use outflow::schema::{Schema, Table, Type, column, foreign_key, index, table};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Pieces of hostile names. MySQL refuses names ending with a space and compares column names
/// without case, so names end with a distinct number and differ by more than case.
const WORDS: &[&str] = &[
    "select", "Order", "user", "from", "名前", "café", "table", "drop",
];
const JOINS: &[&str] = &[
    "\"",
    "`",
    "'",
    " ",
    ";",
    "; DROP TABLE x; --",
    "\"\"",
    " é ü ",
    "-",
    "')--",
];

fn name(word: usize, join: usize, n: usize) -> String {
    format!(
        "{}{}{n}",
        WORDS[word % WORDS.len()],
        JOINS[join % JOINS.len()]
    )
}

fn arb_names(count: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec((any::<usize>(), any::<usize>()), count).prop_map(|picks| {
        picks
            .into_iter()
            .enumerate()
            .map(|(n, (w, j))| name(w, j, n))
            .collect()
    })
}

/// Two tables named `n[0]`, `n[1]`, with hostile columns, keys, an index, a unique
/// constraint, a foreign key and a quoted string default.
fn schema(n: &[String]) -> Schema {
    let parent = table(&n[0])
        .column(column(&n[2], Type::Integer).not_null())
        .column(
            column(&n[3], Type::Varchar(30))
                .not_null()
                .default("'it''s; --'"),
        )
        .primary_key(&n[4], [n[2].as_str()])
        .unique(&n[5], [n[3].as_str()]);
    let child = table(&n[1])
        .column(column(&n[6], Type::Integer).not_null())
        .column(column(&n[7], Type::Integer))
        .primary_key(&n[8], [n[6].as_str()])
        .index(&n[9], [n[7].as_str()])
        .foreign_key(foreign_key(&n[10], [n[7].as_str()], &n[0], [n[2].as_str()]));
    Schema::from_tables([parent, child])
}

/// The change: a new hostile column with a quoted default and its own index on the child, and
/// a new table.
fn changed(before: &Schema, n: &[String]) -> Schema {
    let mut after = before.clone();
    let child = after.table_mut(&n[1]).unwrap();
    child
        .columns
        .push(column(&n[11], Type::Varchar(10)).default("'a\"b`c'"));
    child.indexes.push(index(&n[12], [n[11].as_str()]));
    let extra = table(&n[13]).column(column(&n[14], Type::Integer));
    let mut tables: Vec<Table> = after.tables().cloned().collect();
    tables.push(extra);
    Schema::from_tables(tables)
}

async fn insert_rows(live: &Live, n: &[String]) {
    let mut conn = live.conn().await;
    let q = |s: &str| live.quote(s);
    conn.execute(&format!(
        "INSERT INTO {} ({}, {}) VALUES (1, 'one'), (2, 'two')",
        q(&n[0]),
        q(&n[2]),
        q(&n[3])
    ))
    .await;
    conn.execute(&format!(
        "INSERT INTO {} ({}, {}) VALUES (10, 1), (20, 2)",
        q(&n[1]),
        q(&n[6]),
        q(&n[7])
    ))
    .await;
}

async fn check(live: &Live, n: &[String]) {
    let compare = live.compare();
    let before = schema(n);
    let after = changed(&before, n);
    live.run(&diff(&Schema::new(), &before, compare))
        .await
        .unwrap();
    let read = live.schema().await;
    assert!(diff(&read, &before, compare).is_empty(), "{n:?}: {read:#?}");
    insert_rows(live, n).await;
    let rows = live
        .rows_by(&n[1], &[n[6].clone(), n[7].clone()], &n[6])
        .await;
    let up = diff(&before, &after, compare);
    let down = reverse_all(&up).unwrap();
    for (pass, ops, expected) in [
        ("upgrade", &up, &after),
        ("downgrade", &down, &before),
        ("upgrade again", &up, &after),
    ] {
        live.run(ops)
            .await
            .unwrap_or_else(|e| panic!("{n:?}: {pass}: {e}"));
        let read = live.schema().await;
        let left = diff(&read, expected, compare);
        let extra = diff(expected, &read, compare);
        assert!(
            left.is_empty() && extra.is_empty(),
            "{n:?}: {pass}: {left:#?} {extra:#?}"
        );
        assert_eq!(
            live.rows_by(&n[1], &[n[6].clone(), n[7].clone()], &n[6])
                .await,
            rows,
            "{n:?}: {pass}"
        );
    }
}

fn property(dialect: Dialect, cases: u32) {
    if !dialects().contains(&dialect) {
        return;
    }
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let result = TestRunner::new(config).run(&arb_names(15), |n| {
        let live = Live::new(dialect).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(check(&live, &n));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{dialect:?}: {e}");
    }
}

#[test]
fn hostile_identifiers_round_trip_on_sqlite() {
    property(Dialect::Sqlite, 48);
}

#[test]
fn hostile_identifiers_round_trip_on_postgres() {
    property(Dialect::Postgres, 16);
}

#[test]
fn hostile_identifiers_round_trip_on_mysql() {
    property(Dialect::Mysql, 16);
}
