//! Against a real server: `OUTFLOW_TEST_POSTGRES_URL` (trust auth, e.g.
//! `postgres://postgres@127.0.0.1:5432/postgres`). Each test creates its own database and drops
//! it at the end, so tests run in parallel. Without the variable the tests are skipped (said on
//! stderr), except under CI (`CI=true`), where they fail.

mod round_trips;
mod steps;

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{AssertSqlSafe, Connection, PgConnection};

use super::connect::exec;
use super::*;
use crate::dialect::{DbError, OpenMode, ServerTarget, Step, VersionChange};
use crate::diff::diff;
use crate::schema::Table;
use crate::schema::{Action, column, foreign_key, index, key_column, key_expr, table};

/// A database of its own on the test server, dropped (with `FORCE`) when this goes away, even
/// when the test panics.
pub(super) struct TestDb {
    admin: String,
    name: String,
    url: String,
}

impl TestDb {
    /// A new database, or `None` (test skipped) without a server.
    pub async fn new(label: &str) -> Option<TestDb> {
        let Ok(admin) = std::env::var("OUTFLOW_TEST_POSTGRES_URL") else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "OUTFLOW_TEST_POSTGRES_URL is not set: CI must run the PostgreSQL tests"
            );
            eprintln!(
                "skipped: OUTFLOW_TEST_POSTGRES_URL is not set (scripts/servers.sh starts a server)"
            );
            return None;
        };
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "outflow_{label}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut conn = PgConnection::connect(&admin)
            .await
            .expect("the test server answers");
        exec(
            &mut conn,
            &format!("DROP DATABASE IF EXISTS {}", Q.ident(&name)),
        )
        .await
        .unwrap();
        exec(&mut conn, &format!("CREATE DATABASE {}", Q.ident(&name)))
            .await
            .unwrap();
        let url = with_database(&admin, &name);
        Some(TestDb { admin, name, url })
    }

    /// A target on this database, in `schema` (`None`: public).
    pub fn target(&self, schema: Option<&str>) -> ServerTarget {
        ServerTarget {
            url: self.url.clone(),
            runtime_url: None,
            user: None,
            schema: schema.map(str::to_string),
        }
    }

    /// A read-write connection in `schema`.
    pub async fn open(&self, schema: Option<&str>) -> PgDb {
        PgDb::open(&self.target(schema), OpenMode::ReadWrite)
            .await
            .unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // Drop cannot await: a thread with its own runtime does it.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                if let Ok(mut conn) = PgConnection::connect(&admin).await {
                    let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", Q.ident(&name));
                    let _ = exec(&mut conn, &sql).await;
                }
            });
        })
        .join();
    }
}

/// `url` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let query = tail.find('?').map_or("", |q| &tail[q..]);
    format!("{scheme}://{authority}/{name}{query}")
}

pub(super) async fn apply(db: &mut PgDb, ops: &[Operation]) {
    let step = Step {
        ops,
        version: &[],
        version_table: "outflow_version",
        log: &[],
    };
    if let Err(e) = db.run_step(&step).await {
        panic!("{e}\nops: {ops:#?}");
    }
}

pub(super) async fn read(db: &mut PgDb) -> Schema {
    db.introspect(&["outflow_version"]).await.unwrap()
}

pub(super) async fn count(db: &mut PgDb, table: &str) -> i64 {
    let sql = format!("SELECT count(*) FROM {}", Q.ident(table));
    sqlx::query_scalar(AssertSqlSafe(sql))
        .fetch_one(db.conn())
        .await
        .unwrap()
}

/// A model with every type, default and constraint kind.
fn every_kind() -> Schema {
    let state = Type::enumeration("state", ["pending", "it's", "done"]);
    Schema::from_tables([parent(&state), child(&state), link()])
}

fn parent(state: &Type) -> Table {
    table("parent")
        .column(
            column("id", Type::BigInt)
                .not_null()
                .autoincrement()
                .comment("generated"),
        )
        .column(column("code", Type::Char(3)).not_null())
        .column(
            column("label", Type::Varchar(40))
                .not_null()
                .default("'unnamed'"),
        )
        .column(column("state", state.clone()))
        .primary_key("pk_parent", ["id"])
        .unique("uq_parent_code", ["code"])
        .unique("uq_parent_code_label", ["code", "label"])
        .index("ix_parent_label", ["label"])
        .check("ck_parent_code_length", "length(code) = 3")
        .comment("parents")
}

fn child(state: &Type) -> Table {
    table("child")
        .column(column("id", Type::Integer).not_null())
        .column(column("tiny", Type::SmallInt).default("-1"))
        .column(column("big", Type::BigInt).default("0"))
        .column(column("flag", Type::Boolean).not_null().default("false"))
        .column(column("single", Type::Real).default("1.5"))
        .column(column("double", Type::Double).default("-0.25"))
        .column(column("amount", Type::Numeric(12, 2)).default("0"))
        .column(
            column("body", Type::Text)
                .default("'it''s'")
                .comment("free text"),
        )
        .column(column("title", Type::Varchar(120)))
        .column(column("country", Type::Char(2)).default("'fr'"))
        .column(column("payload", Type::Blob))
        .column(column("day", Type::Date).default("CURRENT_DATE"))
        .column(column("at", Type::Time).default("'12:00'"))
        .column(
            column("moment", Type::Timestamp)
                .not_null()
                .default("CURRENT_TIMESTAMP"),
        )
        .column(column("seen", Type::TimestampTz).default("now()"))
        .column(column("uid", Type::Uuid).default("gen_random_uuid()"))
        .column(column("doc", Type::Json).default("'{\"a\":[1, 2]}'"))
        .column(column("span", Type::raw("INT4RANGE")))
        .column(column("tags", Type::raw("text[]")).default("'{}'"))
        // Identity and serial columns are NOT NULL on PostgreSQL, whatever the model says.
        .column(column("counter", Type::raw("serial")).not_null())
        .column(
            column("state", state.clone())
                .not_null()
                .default("'pending'"),
        )
        .column(column("parent_id", Type::BigInt))
        .column(column("parent_code", Type::Char(3)))
        .column(column("parent_label", Type::Varchar(40)))
        .primary_key("pk_child", ["id"])
        .unique("uq_child_title_day", ["title", "day"])
        .index("ix_child_tiny_big", ["tiny", "big"])
        .unique_index("ix_child_day_moment", ["day", "moment"])
        .foreign_key(
            foreign_key("fk_child_parent_id_parent", ["parent_id"], "parent", ["id"])
                .on_delete(Action::Cascade)
                .on_update(Action::SetNull),
        )
        .foreign_key(
            foreign_key(
                "fk_child_parent_code_parent",
                ["parent_code", "parent_label"],
                "parent",
                ["code", "label"],
            )
            .on_delete(Action::Restrict)
            .on_update(Action::Cascade),
        )
        .check("ck_child_amount", "amount>=0")
        .check("ck_child_tiny", "tiny > -100")
        .check("ck_child_title", "length(title) > 0")
        .check("ck_child_state", "state IN ('pending', 'done')")
        .check("ck_child_big", "big BETWEEN 0 AND 1000000 OR big IS NULL")
}

fn link() -> Table {
    table("link")
        .column(column("parent_id", Type::BigInt).not_null())
        .column(column("child_id", Type::Integer).not_null())
        .column(column("weight", Type::Numeric(5, 0)).default("'1'"))
        .primary_key("pk_link", ["parent_id", "child_id"])
        .foreign_key(
            foreign_key("fk_link_parent_id_parent", ["parent_id"], "parent", ["id"])
                .on_delete(Action::SetDefault),
        )
        .foreign_key(foreign_key(
            "fk_link_child_id_child",
            ["child_id"],
            "child",
            ["id"],
        ))
}

#[tokio::test]
async fn a_model_of_every_kind_reads_back_equal() {
    let Some(server) = TestDb::new("every_kind").await else {
        return;
    };
    for (i, schema) in [None, Some("App Schema")].into_iter().enumerate() {
        let mut db = server.open(schema).await;
        let model = every_kind();
        assert!(db.is_empty().await.unwrap());
        apply(&mut db, &diff(&Schema::new(), &model, &PgCompare)).await;
        assert!(!db.is_empty().await.unwrap());
        let live = read(&mut db).await;
        let again = diff(&live, &model, &PgCompare);
        assert!(again.is_empty(), "false differences: {again:#?}");
        let parent = live.table("parent").unwrap();
        assert!(parent.columns[0].autoincrement && parent.columns[0].default.is_none());
        assert_eq!(parent.comment.as_deref(), Some("parents"));
        let child = live.table("child").unwrap();
        assert_eq!(child.checks.len(), 5);
        assert_eq!(child.foreign_keys[0].on_update, Action::Cascade);
        assert_eq!(child.column_named("doc").unwrap().ty, Type::Json);
        assert!(child.column_named("counter").unwrap().autoincrement);
        assert_eq!(
            child.column_named("state").unwrap().ty,
            Type::enumeration("state", ["pending", "it's", "done"])
        );
        assert_eq!(
            child.column_named("span").unwrap().ty,
            Type::raw("int4range")
        );
        // The offline rendering of the same operations builds the same schema.
        let copy_schema = format!("offline copy {i}");
        let ops = diff(&Schema::new(), &model, &PgCompare);
        let sql = render(&ops, &Schema::new(), &copy_schema).unwrap();
        let mut copy = server.open(Some(&copy_schema)).await;
        let create = format!(
            "CREATE SCHEMA {};\n{}",
            Q.ident(&copy_schema),
            sql.join(";\n")
        );
        copy.execute_raw(&create).await.unwrap();
        assert_eq!(read(&mut copy).await, live);
    }
}

#[tokio::test]
async fn indexes_and_generated_columns_of_every_kind_are_read_and_made_again() {
    let Some(server) = TestDb::new("indexes").await else {
        return;
    };
    let mut db = server.open(None).await;
    apply(&mut db, &diff(&Schema::new(), &every_kind(), &PgCompare)).await;
    db.execute_raw(
        "CREATE INDEX ix_expr ON child (lower(title)) WHERE amount > 1;\n\
         CREATE INDEX ix_gin ON child USING gin (tags);\n\
         CREATE INDEX ix_desc ON child (day DESC NULLS LAST, title text_pattern_ops) INCLUDE (amount);\n\
         CREATE UNIQUE INDEX ix_nnd ON child (country) NULLS NOT DISTINCT WITH (fillfactor = 70);\n\
         ALTER TABLE parent ADD CONSTRAINT ex_parent EXCLUDE USING btree (code WITH =);\n\
         ALTER TABLE child ADD COLUMN total numeric GENERATED ALWAYS AS (amount * 2) STORED;\n\
         ALTER TABLE child ADD COLUMN label text COLLATE \"C\"",
    )
    .await
    .unwrap();
    let found = db.introspect_full(&["outflow_version"]).await.unwrap();
    let child = found.schema.table("child").unwrap();
    let ix = |name: &str| child.indexes.iter().find(|i| i.name == name).unwrap();
    assert_eq!(
        ix("ix_expr"),
        &index("ix_expr", [key_expr("lower(title::text)")]).filter("amount > 1::numeric")
    );
    assert_eq!(ix("ix_gin").method.as_deref(), Some("gin"));
    assert_eq!(
        ix("ix_desc"),
        &index(
            "ix_desc",
            [
                key_column("day").desc().nulls_last(),
                key_column("title").opclass("text_pattern_ops")
            ]
        )
        .include(["amount"])
    );
    assert_eq!(
        ix("ix_nnd"),
        &index("ix_nnd", ["country"])
            .unique()
            .nulls_not_distinct()
            .with("fillfactor=70")
    );
    let total = child.column_named("total").unwrap();
    assert_eq!(
        total.generated.as_ref().unwrap().expr,
        "amount * 2::numeric"
    );
    assert_eq!(total.default, None);
    assert_eq!(
        child.column_named("label").unwrap().collation.as_deref(),
        Some("C")
    );
    let parent = found.schema.table("parent").unwrap();
    assert_eq!(
        parent.exclusions,
        [crate::schema::exclusion(
            "ex_parent",
            "EXCLUDE USING btree (code WITH =)"
        )]
    );
    // What was read makes the same schema again from nothing.
    let Some(copy) = TestDb::new("indexes_copy").await else {
        return;
    };
    let mut other = copy.open(None).await;
    apply(&mut other, &diff(&Schema::new(), &found.schema, &PgCompare)).await;
    let again = read(&mut other).await;
    let left = diff(&again, &found.schema, &PgCompare);
    assert!(left.is_empty(), "{left:#?}");
    assert_eq!(again.table("child"), found.schema.table("child"));
    assert_eq!(again.table("parent"), found.schema.table("parent"));
}

/// Statements the server ran in this database since the last `pg_stat_statements_reset()`,
/// by its own count (`scripts/servers.sh` preloads the extension): nothing per table can hide
/// from it.
async fn statements_run(db: &mut PgDb) -> i64 {
    sqlx::query_scalar(
        "SELECT coalesce(sum(calls), 0)::int8 FROM pg_stat_statements \
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         AND query NOT LIKE '%pg_stat_statements%'",
    )
    .fetch_one(&mut db.conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn introspection_takes_six_queries_for_ten_or_a_thousand_tables() {
    let Some(server) = TestDb::new("count").await else {
        return;
    };
    let mut db = server.open(None).await;
    db.execute_raw("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .await
        .expect("scripts/servers.sh preloads pg_stat_statements");
    let mut counts = Vec::new();
    for (from, to) in [(0, 10), (10, 1000)] {
        let sql: Vec<String> = (from..to)
            .map(|i| {
                let parent = if i == 0 { 0 } else { i - 1 };
                format!(
                    "CREATE TABLE t{i:04} (id int PRIMARY KEY, prev int REFERENCES t{parent:04}, \
                     name text UNIQUE CHECK (name <> ''), n int DEFAULT 0);\n\
                     CREATE INDEX ix_t{i:04} ON t{i:04} (n);\n\
                     CREATE INDEX ix_t{i:04}_expr ON t{i:04} (lower(name)) WHERE n > 0"
                )
            })
            .collect();
        db.execute_raw(&sql.join(";\n")).await.unwrap();
        db.execute_raw("SELECT pg_stat_statements_reset()")
            .await
            .unwrap();
        let before = db.catalog_queries();
        let schema = read(&mut db).await;
        assert_eq!(schema.len(), to);
        counts.push((db.catalog_queries() - before, statements_run(&mut db).await));
    }
    assert_eq!(counts[0], counts[1], "10 tables, then 1000");
    assert_eq!(counts[0].0, 6);
}

#[tokio::test]
async fn opening_errors_say_where_and_what_to_do() {
    let target = ServerTarget {
        url: "postgres://someone:hunter2@127.0.0.1:1/nowhere".into(),
        runtime_url: None,
        user: None,
        schema: None,
    };
    let err = PgDb::open(&target, OpenMode::ReadOnly)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("cannot open database postgres://someone:***@127.0.0.1:1/nowhere: "),
        "{err}"
    );
    assert!(
        err.contains("check that the server runs") && !err.contains("hunter2"),
        "{err}"
    );
    let Some(server) = TestDb::new("readonly").await else {
        return;
    };
    let mut db = PgDb::open(&server.target(None), OpenMode::ReadOnly)
        .await
        .unwrap();
    assert!(!format!("{db:?}").contains("hunter2"));
    let err = db
        .run_step(&Step {
            ops: &[Operation::CreateTable(
                table("t").column(column("a", Type::Text)),
            )],
            version: &[],
            version_table: "v",
            log: &[],
        })
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("read-only transaction"), "{err}");
    assert!(db.is_empty().await.unwrap());
}
