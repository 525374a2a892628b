//! Random revision graphs embedded in a pipeline and run on SQLite: `upgrade heads` then
//! `downgrade base` leaves nothing, and reaching the heads through any target ends where
//! `upgrade heads` does directly.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use outflow::config::Config;
use outflow::dialect::{Database, OpenMode};
use outflow::ops::Operations;
use outflow::revision::{EmbeddedRevision, RevisionSet};
use outflow::runner::Migrator;
use outflow::schema::{Type, column, table};
use outflow::{Pipeline, Plugin};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

const MAX: usize = 12;

/// `up_N` creates table `tN`, `down_N` drops it: revision N of a random graph uses them.
macro_rules! revision_functions {
    ($($n:literal),*) => {
        const UP: [fn(&mut Operations); MAX] = [$(|op: &mut Operations| {
            op.create_table(table(concat!("t", $n)).column(column("id", Type::Integer)));
        }),*];
        const DOWN: [fn(&mut Operations); MAX] = [$(|op: &mut Operations| op.drop_table(concat!("t", $n))),*];
    };
}
revision_functions!(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

/// A revision: its parents and dependencies, as indexes of earlier revisions.
#[derive(Debug, Clone)]
struct Node {
    parents: Vec<usize>,
    depends_on: Vec<usize>,
    label: bool,
}

fn arb_graph() -> impl Strategy<Value = Vec<Node>> {
    (2..=MAX).prop_flat_map(|n| {
        let nodes: Vec<_> = (0..n)
            .map(|i| {
                let earlier = prop::sample::subsequence((0..i).collect::<Vec<_>>(), 0..=i.min(2));
                let deps = prop::sample::subsequence((0..i).collect::<Vec<_>>(), 0..=i.min(1));
                (earlier, deps, any::<bool>()).prop_map(|(parents, depends_on, label)| Node {
                    parents,
                    depends_on,
                    label,
                })
            })
            .collect();
        nodes
    })
}

fn id(i: usize) -> &'static str {
    Box::leak(format!("rev{i:03}").into_boxed_str())
}

fn leak(items: Vec<&'static str>) -> &'static [&'static str] {
    Box::leak(items.into_boxed_slice())
}

/// The graph as embedded revisions; a base gets a branch label when the node asks for one.
fn embed(nodes: &[Node]) -> &'static [EmbeddedRevision] {
    let revisions: Vec<EmbeddedRevision> = nodes
        .iter()
        .enumerate()
        .map(|(i, node)| EmbeddedRevision {
            db_label: "default",
            file_name: id(i),
            source: "//! random revision\n",
            id: id(i),
            down_revision: leak(node.parents.iter().map(|p| id(*p)).collect()),
            branch_labels: if node.label && node.parents.is_empty() {
                leak(vec![Box::leak(format!("branch{i}").into_boxed_str())])
            } else {
                &[]
            },
            depends_on: leak(node.depends_on.iter().map(|d| id(*d)).collect()),
            upgrade: UP[i],
            downgrade: DOWN[i],
        })
        .collect();
    Box::leak(revisions.into_boxed_slice())
}

struct Run {
    runtime: tokio::runtime::Runtime,
}

impl Run {
    fn new() -> Run {
        Run {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
        }
    }

    fn migrator(&self, dir: &Path, revisions: &'static [EmbeddedRevision]) -> Migrator {
        let pipeline = Pipeline::new(dir).plugin(Plugin::new("p").revisions(RevisionSet {
            dir: "/nonexistent",
            revisions,
        }));
        Migrator::new(
            pipeline.catalog(),
            &Config::load(dir, None).unwrap(),
            "default",
        )
        .unwrap()
    }

    /// Rows of the version table and the tables of the database, the framework's own branch
    /// and tables left out (`heads` applies them too; `base` reverts them).
    fn state(&self, m: &Migrator) -> (BTreeSet<String>, BTreeSet<String>) {
        let framework = common::framework_head();
        self.runtime.block_on(async {
            let rows = m
                .current_heads()
                .await
                .unwrap()
                .into_iter()
                .filter(|r| *r != framework)
                .collect();
            if !m.target().exists() {
                return (rows, BTreeSet::new());
            }
            let mut db = Database::open(m.target(), OpenMode::ReadOnly)
                .await
                .unwrap();
            let tables = db
                .introspect()
                .await
                .unwrap()
                .table_names()
                .filter(|t| !t.starts_with("outflow_"))
                .map(str::to_owned)
                .collect();
            (rows, tables)
        })
    }

    fn upgrade(&self, m: &Migrator, target: &str) {
        self.runtime
            .block_on(m.upgrade(target))
            .unwrap_or_else(|e| panic!("upgrade {target}: {e}"));
    }

    fn downgrade(&self, m: &Migrator, target: &str) {
        self.runtime
            .block_on(m.downgrade(target))
            .unwrap_or_else(|e| panic!("downgrade {target}: {e}"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("tests/proptest-regressions/graph_sqlite.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn upgrade_heads_then_downgrade_base_leaves_nothing(nodes in arb_graph()) {
        let run = Run::new();
        let dir = tempfile::tempdir().unwrap();
        let m = run.migrator(dir.path(), embed(&nodes));
        run.upgrade(&m, "heads");
        let (rows, tables) = run.state(&m);
        prop_assert_eq!(tables.len(), nodes.len(), "every revision created its table");
        prop_assert!(!rows.is_empty());
        run.downgrade(&m, "base");
        prop_assert_eq!(run.state(&m), (BTreeSet::new(), BTreeSet::new()));
    }

    #[test]
    fn any_target_then_heads_ends_like_heads(nodes in arb_graph(), pick in any::<prop::sample::Index>()) {
        let run = Run::new();
        let revisions = embed(&nodes);
        let direct_dir = tempfile::tempdir().unwrap();
        let direct = run.migrator(direct_dir.path(), revisions);
        run.upgrade(&direct, "heads");
        let expected = run.state(&direct);

        let k = pick.index(nodes.len());
        let target = id(k);
        let dir = tempfile::tempdir().unwrap();
        let m = run.migrator(dir.path(), revisions);
        run.upgrade(&m, target);
        prop_assert!(run.state(&m).1.contains(&format!("t{k}")), "the target's table exists");
        run.upgrade(&m, "heads");
        prop_assert_eq!(run.state(&m), expected.clone());
        // And down to that target again, then back up.
        run.downgrade(&m, target);
        run.upgrade(&m, "heads");
        prop_assert_eq!(run.state(&m), expected);
    }
}
