//! The per-revision path: what `db upgrade heads` costs for each revision beyond the
//! database's own work, on a chain of empty revisions (Alembic's S4 shape).
//!
//! `cargo bench --bench revisions`: planning alone (graph plan, operations, checksums, the
//! SQL script), then the whole upgrade on a fresh SQLite file. Whole-process figures beside
//! Alembic come from `benches/scale/graph.sh`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use outflow::config::Config;
use outflow::dialect::{DialectName, Target};
use outflow::ops::Operations;
use outflow::pipeline::{Pipeline, Plugin};
use outflow::revision::{EmbeddedRevision, RevisionSet};
use outflow::runner::Migrator;

/// Revisions in the chain.
const CHAIN: usize = 1000;

fn nothing(_: &mut Operations) {}

/// A linear chain of `n` empty revisions, leaked: embedded revisions are `'static`.
fn chain(n: usize) -> &'static [EmbeddedRevision] {
    let ids: Vec<&'static str> = (0..n)
        .map(|i| &*Box::leak(format!("{i:012x}").into_boxed_str()))
        .collect();
    let revisions: Vec<EmbeddedRevision> = (0..n)
        .map(|i| {
            let down: &'static [&'static str] = match i {
                0 => &[],
                _ => Box::leak(Box::new([ids[i - 1]])),
            };
            EmbeddedRevision::in_code(ids[i], down, nothing, nothing)
        })
        .collect();
    Box::leak(revisions.into_boxed_slice())
}

fn pipeline(dir: &std::path::Path) -> Pipeline {
    let set = RevisionSet {
        dir: "/nonexistent",
        revisions: chain(CHAIN),
    };
    Pipeline::new(dir).plugin(Plugin::new("chain").revisions(set))
}

fn planning(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = pipeline(dir.path());
    let config = Config::new(dir.path());
    let migrator = Migrator::new(pipeline.catalog(), &config, "default").unwrap();
    let mut group = c.benchmark_group(format!("chain_{CHAIN}"));
    group.bench_function("load_revisions", |b| {
        b.iter(|| Migrator::new(pipeline.catalog(), &config, "default").unwrap())
    });
    group.bench_function("upgrade_sql_script", |b| {
        b.iter(|| migrator.upgrade_sql("heads", DialectName::Sqlite).unwrap())
    });
    group.finish();
}

fn upgrading(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pipeline = pipeline(dir.path());
    static FILES: AtomicUsize = AtomicUsize::new(0);
    let mut group = c.benchmark_group(format!("chain_{CHAIN}"));
    group.sample_size(10);
    group.bench_function("upgrade_heads_sqlite_file", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let n = FILES.fetch_add(1, Ordering::Relaxed);
                let path = dir.path().join(format!("bench-{n}.db"));
                let config =
                    Config::new(dir.path()).with_database("default", Target::sqlite(&path));
                let migrator = Migrator::new(pipeline.catalog(), &config, "default").unwrap();
                let started = Instant::now();
                let applied = runtime.block_on(migrator.upgrade("heads")).unwrap();
                total += started.elapsed();
                assert!(applied.len() > CHAIN);
                let _ = std::fs::remove_file(&path);
            }
            total
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = planning, upgrading
}
criterion_main!(benches);
