//! Autogenerate with in-process pipelines: ownership between plugins, unmanaged tables,
//! dependencies across branches, refusals.

use std::path::Path;

use super::*;
use crate::ops::Operations;
use crate::pipeline::Plugin;
use crate::revision::{EmbeddedRevision, RevisionSet};
use crate::schema::{Type, column, table};
use crate::{Model, Pipeline};

// The tests only need the models' tables, never their fields.
#[allow(dead_code)]
#[derive(Model)]
#[model(table = "author")]
struct Author {
    #[column(primary_key)]
    id: i32,
    name: String,
}

#[allow(dead_code)]
#[derive(Model)]
#[model(table = "book")]
struct Book {
    #[column(primary_key)]
    id: i32,
    #[column(foreign_key = "author.id")]
    author_id: Option<i32>,
}

/// The `library` plugin's first revision: it created `author` and `old_shelf`.
fn library_upgrade(op: &mut Operations) {
    op.create_table(
        table("author")
            .column(column("id", Type::Integer).not_null())
            .column(column("name", Type::Text).not_null())
            .primary_key("pk_author", ["id"]),
    );
    op.create_table(table("old_shelf").column(column("id", Type::Integer)));
}

fn library_downgrade(op: &mut Operations) {
    op.drop_table("old_shelf");
    op.drop_table("author");
}

const LIBRARY_SOURCE: &str = "//! Library tables\n";

static LIBRARY_REVISIONS: [EmbeddedRevision; 1] = [EmbeddedRevision {
    db_label: "default",
    file_name: "aaaa00000001_library_tables.rs",
    source: LIBRARY_SOURCE,
    id: "aaaa00000001",
    down_revision: &[],
    branch_labels: &["library"],
    depends_on: &[],
    upgrade: library_upgrade,
    downgrade: library_downgrade,
}];

struct Fixture {
    dir: tempfile::TempDir,
    config: Config,
}

impl Fixture {
    /// A pipeline root and revision folders matching the embedded revisions.
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("library/default");
        std::fs::create_dir_all(&library).unwrap();
        std::fs::write(
            library.join("aaaa00000001_library_tables.rs"),
            LIBRARY_SOURCE,
        )
        .unwrap();
        let config = Config::load(dir.path(), None).unwrap();
        Fixture { dir, config }
    }

    fn folder(&self, name: &str) -> &'static str {
        Box::leak(
            self.dir
                .path()
                .join(name)
                .display()
                .to_string()
                .into_boxed_str(),
        )
    }

    /// `library` (Author, revisions creating author and old_shelf) and `shop` (Book).
    fn pipeline(&self) -> Pipeline {
        let library = Plugin::new("library")
            .model::<Author>()
            .revisions(RevisionSet {
                dir: self.folder("library"),
                revisions: &LIBRARY_REVISIONS,
            });
        let shop = Plugin::new("shop").model::<Book>().revisions(RevisionSet {
            dir: self.folder("shop"),
            revisions: &[],
        });
        Pipeline::new(self.dir.path()).plugin(library).plugin(shop)
    }

    async fn upgrade(&self, pipeline: &Pipeline) {
        Migrator::new(pipeline.catalog(), &self.config, "default")
            .unwrap()
            .upgrade("heads")
            .await
            .unwrap();
    }

    async fn exec(&self, sql: &'static str) {
        let target = self.config.database("default").unwrap();
        let Database::Sqlite(db) = &mut Database::open(target, OpenMode::ReadWrite).await.unwrap()
        else {
            panic!("the fixture is SQLite");
        };
        db.execute_raw(sql).await.unwrap();
    }
}

fn request(message: &str) -> Request {
    Request {
        message: message.into(),
        ..Request::default()
    }
}

#[tokio::test]
async fn each_plugin_touches_only_its_own_tables() {
    let f = Fixture::new();
    let pipeline = f.pipeline();
    f.upgrade(&pipeline).await;
    f.exec("CREATE TABLE stray (x INTEGER)").await;
    let autogen = Autogen::new(pipeline.catalog(), &f.config, "default").unwrap();
    let report = autogen.check(false).await.unwrap();
    let pending: BTreeMap<&str, Vec<String>> = report
        .pending
        .iter()
        .map(|(p, ops)| (p.as_str(), ops.iter().map(ToString::to_string).collect()))
        .collect();
    // library's revision created old_shelf, which no model declares any more: it is dropped;
    // the stray table nobody owns is left alone; shop creates its table.
    assert_eq!(pending["library"], ["drop table 'old_shelf'"]);
    assert_eq!(pending["shop"], ["create table 'book' (2 columns)"]);
    assert!(!pending.values().flatten().any(|op| op.contains("stray")));
}

#[tokio::test]
async fn a_new_branch_depends_on_the_branch_whose_table_it_references() {
    let f = Fixture::new();
    let pipeline = f.pipeline();
    f.upgrade(&pipeline).await;
    let autogen = Autogen::new(pipeline.catalog(), &f.config, "default").unwrap();
    let shop = Request {
        plugin: Some("shop".into()),
        ..request("Add books")
    };
    let written = autogen.make_migrations(&shop).await.unwrap().revisions;
    assert_eq!(written.len(), 1);
    let text = std::fs::read_to_string(&written[0].path).unwrap();
    assert!(
        text.contains("pub const BRANCH_LABELS: &[&str] = &[\"shop\"];"),
        "{text}"
    );
    assert!(
        text.contains("pub const DEPENDS_ON: &[&str] = &[\"aaaa00000001\"];"),
        "{text}"
    );
    assert!(
        written[0]
            .path
            .starts_with(f.dir.path().join("shop/default"))
    );
    let schema_file = std::fs::read_to_string(f.dir.path().join("schema/default.yml")).unwrap();
    assert!(schema_file.contains("name: book") && schema_file.contains("name: author"));
}

#[tokio::test]
async fn destructive_changes_are_reported_when_written() {
    let f = Fixture::new();
    let pipeline = f.pipeline();
    f.upgrade(&pipeline).await;
    let autogen = Autogen::new(pipeline.catalog(), &f.config, "default").unwrap();
    let library = Request {
        plugin: Some("library".into()),
        ..request("Drop the old shelf")
    };
    let written = autogen.make_migrations(&library).await.unwrap().revisions;
    assert_eq!(
        written[0].destructive,
        ["drops table 'old_shelf' and every row in it"]
    );
    let text = std::fs::read_to_string(&written[0].path).unwrap();
    assert!(text.contains("    // DESTRUCTIVE: drops table 'old_shelf' and every row in it.\n"));
    assert!(text.contains("    // lint: drop-table"), "{text}");
    assert!(text.contains("    op.drop_table(\"old_shelf\");"));
    assert!(text.contains("pub const DOWN_REVISION: &[&str] = &[\"aaaa00000001\"];"));
    assert!(text.contains("pub const BRANCH_LABELS: &[&str] = &[];"));
}

#[tokio::test]
async fn refusals_name_what_to_do() {
    let f = Fixture::new();
    let pipeline = f.pipeline();
    let autogen = Autogen::new(pipeline.catalog(), &f.config, "default").unwrap();
    let err = autogen
        .make_migrations(&request("x"))
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "database 'default' is not at its heads (applied: none; heads: 577fb987ff00, aaaa00000001); run `db upgrade heads` first"
    );
    let unknown = Request {
        plugin: Some("nope".into()),
        ..request("x")
    };
    let err = autogen
        .make_migrations(&unknown)
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "unknown plugin 'nope'; plugins of this pipeline: outflow, library, shop"
    );
    let empty = Request {
        empty: true,
        ..request("x")
    };
    let err = autogen
        .make_migrations(&empty)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("--empty and --head need --plugin when several plugins"),
        "{err}"
    );
    std::fs::write(f.dir.path().join("library/default/bbbb_new.rs"), "//! new").unwrap();
    let err = autogen
        .make_migrations(&request("x"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("bbbb_new.rs is not in this build"), "{err}");
}

#[tokio::test]
async fn a_table_claimed_by_two_plugins_is_refused() {
    #[allow(dead_code)]
    #[derive(Model)]
    #[model(table = "old_shelf")]
    struct Shelf {
        #[column(primary_key)]
        id: i32,
    }
    let f = Fixture::new();
    let pipeline = f
        .pipeline()
        .plugin(Plugin::new("furniture").model::<Shelf>());
    let autogen = Autogen::new(pipeline.catalog(), &f.config, "default").unwrap();
    f.upgrade(&pipeline).await;
    let err = autogen.check(false).await.unwrap_err().to_string();
    assert_eq!(
        err,
        "table 'old_shelf' is declared by the models of plugin 'furniture' but was created by the revisions of plugin 'library'; move the model to 'library' or drop the table in a revision of 'library' first"
    );
    let twice = f.pipeline().plugin(Plugin::new("copy").model::<Author>());
    let err = Autogen::new(twice.catalog(), &f.config, "default")
        .unwrap_err()
        .to_string();
    assert!(err.contains("table 'author' of database 'default' is declared by the models of both 'library' and 'copy'"), "{err}");
}

#[test]
fn the_folder_check_sees_the_fixture() {
    let f = Fixture::new();
    assert!(
        Path::new(f.folder("library"))
            .join("default/aaaa00000001_library_tables.rs")
            .exists()
    );
}
