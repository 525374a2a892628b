//! In-process benchmarks of the engine, on the shapes of the Alembic benchmark (1,000 tables of
//! 11 columns) and of the revision-graph targets (10,000 revisions).
//!
//! `cargo bench --bench engine`; whole-process figures come from `benches/scale/run.sh`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use outflow::dialect::sqlite::{SqliteCompare, SqliteDb};
use outflow::dialect::{OpenMode, Step};
use outflow::diff::diff;
use outflow::ops::reverse_all;
use outflow::revision::codegen::{NewRevision, render};
use outflow::revision::graph::RevisionGraph;
use outflow::revision::graph::fixtures::{branchy, linear};
use outflow::schema::{Schema, Table, Type, column, foreign_key, naming, table};

/// Table `tNNNN` of the Alembic benchmark's shape.
fn bench_table(i: usize) -> Table {
    let name = format!("t{i:04}");
    let mut t = table(&name)
        .column(column("id", Type::Integer).not_null())
        .column(column("prev_id", Type::Integer))
        .column(column("code", Type::Varchar(32)).not_null())
        .column(column("name", Type::Varchar(120)).not_null())
        .column(column("description", Type::Text))
        .column(column("amount", Type::Numeric(12, 2)))
        .column(column("ratio", Type::Double))
        .column(column("is_active", Type::Boolean).not_null())
        .column(column("counter", Type::BigInt))
        .column(column("created_at", Type::Timestamp))
        .column(column("birth_date", Type::Date))
        .primary_key(naming::primary_key(&name), ["id"])
        .unique(naming::unique(&name, &["code"]), ["code"])
        .index(naming::index(&name, &["name"]), ["name"]);
    if i > 0 {
        let parent = format!("t{:04}", i - 1);
        t = t.foreign_key(foreign_key(
            naming::foreign_key(&name, &["prev_id"], &parent),
            ["prev_id"],
            parent,
            ["id"],
        ));
    }
    t
}

fn bench_schema(n: usize) -> Schema {
    Schema::from_tables((0..n).map(bench_table))
}

fn graph(c: &mut Criterion) {
    let mut group = c.benchmark_group("graph");
    for (name, revisions) in [
        ("linear_10000", linear(10_000)),
        ("branchy_10000", branchy()),
    ] {
        group.bench_function(format!("{name}_build_and_heads"), |b| {
            b.iter(|| {
                let g = RevisionGraph::new(black_box(revisions.clone())).unwrap();
                black_box(g.resolve("heads", &[]).unwrap())
            })
        });
    }
    group.finish();
}

fn differ(c: &mut Criterion) {
    let models = bench_schema(1000);
    let mut group = c.benchmark_group("diff_1000_tables");
    group.bench_function("from_empty", |b| {
        b.iter(|| diff(&Schema::new(), black_box(&models), &SqliteCompare))
    });
    group.bench_function("no_change", |b| {
        b.iter(|| diff(black_box(&models), black_box(&models), &SqliteCompare))
    });
    group.finish();
}

fn codegen(c: &mut Criterion) {
    let ops = diff(&Schema::new(), &bench_schema(1000), &SqliteCompare);
    let down = reverse_all(&ops).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    c.bench_function("codegen_1000_tables", |b| {
        b.iter(|| {
            render(&NewRevision {
                id: "0123456789ab",
                message: "init",
                down_revisions: &[],
                branch_labels: &[],
                depends_on: &[],
                create_date: date,
                upgrade: black_box(&ops),
                downgrade: &down,
                notes: &[],
                header: &[],
                irreversible: None,
            })
        })
    });
    let models = bench_schema(1000);
    c.bench_function("schema_yaml_1000_tables", |b| {
        b.iter(|| black_box(&models).to_yaml())
    });
}

fn sqlite(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let ops = diff(&Schema::new(), &bench_schema(1000), &SqliteCompare);
    let mut db = runtime.block_on(async {
        let mut db = SqliteDb::open(&path, OpenMode::ReadWrite).await.unwrap();
        db.run_step(&Step {
            ops: &ops,
            version: &[],
            version_table: "outflow_version",
            log: &[],
        })
        .await
        .unwrap();
        db
    });
    c.bench_function("sqlite_introspect_1000_tables", |b| {
        b.iter(|| {
            runtime
                .block_on(db.introspect(&["outflow_version"]))
                .unwrap()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = graph, differ, codegen, sqlite
}
criterion_main!(benches);
