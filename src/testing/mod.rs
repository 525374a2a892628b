//! Helpers for a pipeline's own `cargo test`: models and revisions in sync, every revision
//! reversible (a stairway), on a throwaway database.
//!
//! ```no_run
//! // In the pipeline crate, beside `main`:
//! #[cfg(test)]
//! mod tests {
//!     use outflow::testing::{TestDatabase, assert_migrations_in_sync, stairway};
//!
//!     fn pipeline() -> outflow::Pipeline {
//!         outflow::pipeline!()
//!             .plugin(outflow::Plugin::new("tuto.data_reduction"))
//!             .into_pipeline()
//!     }
//!
//!     #[test]
//!     fn migrations_are_in_sync() {
//!         assert_migrations_in_sync(&pipeline());
//!     }
//!
//!     #[test]
//!     fn every_revision_goes_down_and_up_again() {
//!         stairway(&pipeline(), &TestDatabase::sqlite());
//!         // And on a server when CI gives one:
//!         if let Some(db) = TestDatabase::from_env("TEST_POSTGRES_URL") {
//!             stairway(&pipeline(), &db);
//!         }
//!     }
//! }
//! ```
//!
//! Every helper is synchronous (it runs its own runtime on a thread of its own, so it works
//! from `#[test]` and `#[tokio::test]` alike) and panics with what to do when it fails.

mod database;

use std::collections::BTreeSet;

pub use database::TestDatabase;

use crate::autogen::Autogen;
use crate::config::Config;
use crate::dialect::{Database, OpenMode, Target, compare_for};
use crate::pipeline::Pipeline;
use crate::runner::Migrator;
use crate::schema::Schema;

/// Runs the future `work` makes to completion on a runtime of its own, on a thread of its
/// own (the future is made there: it need not be `Send`).
fn block_on<T: Send, F: Future<Output = T>>(work: impl FnOnce() -> F + Send) -> T {
    std::thread::scope(|scope| {
        let thread = scope.spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for outflow::testing")
                .block_on(work())
        });
        match thread.join() {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// The labels the pipeline has models or revisions for.
fn labels(pipeline: &Pipeline) -> BTreeSet<&'static str> {
    let catalog = pipeline.catalog();
    let models = catalog
        .plugins()
        .iter()
        .flat_map(|p| p.models().iter().map(|m| m.database));
    let revisions = catalog
        .revision_sets()
        .flat_map(|(_, set)| set.revisions.iter().map(|r| r.db_label));
    models.chain(revisions).collect()
}

/// Panics, with the operations a `db make_migrations` would write, when the models of
/// `pipeline` and its revisions disagree on any label, or when `schema/<label>.yml` is out of
/// date: `db check --offline`, with no database and no server. The dialect of each label is
/// the one the pipeline's `config.yml` gives (SQLite by default).
pub fn assert_migrations_in_sync(pipeline: &Pipeline) {
    let root = pipeline.source_dir();
    let config = Config::load(root, None)
        .unwrap_or_else(|e| panic!("cannot read the config of {}: {e}", root.display()));
    let catalog = pipeline.catalog();
    let mut problems = Vec::new();
    for label in labels(pipeline) {
        let report =
            block_on(|| async { Autogen::new(catalog, &config, label)?.check(true).await })
                .unwrap_or_else(|e| panic!("models and revisions of label '{label}': {e}"));
        for (plugin, ops) in &report.pending {
            problems.push(format!(
                "plugin '{plugin}' (label '{label}') has changes in no revision; run `db make_migrations --plugin {plugin}`:"
            ));
            problems.extend(ops.iter().map(|op| format!("  {op}")));
        }
        if let Some(path) = &report.stale_schema_file {
            problems.push(format!(
                "{} does not describe the models; run `db make_migrations`",
                path.display()
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "models and revisions are not in sync:\n{}",
        problems.join("\n")
    );
}

/// The stairway test: on `db` (empty), for every revision of its label in order, upgrade to
/// it, downgrade it, check that the schema is what it was before it, upgrade again and check
/// that the schema is what the first upgrade made. Returns how many revisions were checked.
///
/// Panics, naming the revision, when a step fails or a schema differs.
pub fn stairway(pipeline: &Pipeline, db: &TestDatabase) -> usize {
    let config = db.config(pipeline.source_dir());
    let migrator = Migrator::new(pipeline.catalog(), &config, db.label())
        .unwrap_or_else(|e| panic!("revisions of label '{}': {e}", db.label()));
    let order: Vec<String> = migrator
        .revisions()
        .graph
        .topological()
        .into_iter()
        .map(String::from)
        .collect();
    block_on(|| async {
        let mut before = schema_of(db.target()).await;
        for id in &order {
            before = step(&migrator, db.target(), id, before).await;
        }
    });
    order.len()
}

/// One step of the stairway for revision `id`; `before` is the schema without it. Returns the
/// schema with it.
async fn step(migrator: &Migrator, target: &Target, id: &str, before: Schema) -> Schema {
    let message = migrator.revisions().get(id).message();
    let named = format!("revision {id} ({message})");
    let ran = migrator.upgrade(id).await;
    let ran = ran.unwrap_or_else(|e| panic!("stairway: upgrade to {named} failed: {e}"));
    assert_eq!(
        ran,
        [id],
        "stairway: upgrade to {named} ran other revisions"
    );
    let after = schema_of(target).await;
    let reverted = migrator.revert(id).await;
    let reverted =
        reverted.unwrap_or_else(|e| panic!("stairway: downgrade of {named} failed: {e}"));
    assert_eq!(
        reverted,
        [id],
        "stairway: downgrade of {named} reverted others"
    );
    same(target, &before, &schema_of(target).await, || {
        format!("stairway: the downgrade of {named} does not give back the schema before it")
    });
    let again = migrator.upgrade(id).await;
    again
        .unwrap_or_else(|e| panic!("stairway: upgrade to {named} after its downgrade failed: {e}"));
    same(target, &after, &schema_of(target).await, || {
        format!("stairway: upgrading {named} again does not give the schema its first upgrade gave")
    });
    after
}

/// The schema of `target` (empty when the database does not exist).
async fn schema_of(target: &Target) -> Schema {
    if !target.exists() {
        return Schema::new();
    }
    let read = async {
        let mut db = Database::open(target, OpenMode::ReadOnly).await?;
        let schema = db.introspect().await;
        db.close().await;
        schema
    };
    read.await
        .unwrap_or_else(|e| panic!("stairway: cannot read {}: {e}", target.display()))
}

/// Panics with `what` and the difference when `expected` and `found` differ.
fn same(target: &Target, expected: &Schema, found: &Schema, what: impl Fn() -> String) {
    let ops = crate::diff::diff(found, expected, compare_for(target.dialect()));
    if !ops.is_empty() {
        let listed: Vec<String> = ops.iter().map(|op| format!("  {op}")).collect();
        panic!("{}; what would make it so:\n{}", what(), listed.join("\n"));
    }
}

#[cfg(test)]
mod tests;
