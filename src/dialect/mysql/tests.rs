//! Against a real MariaDB or MySQL server: `OUTFLOW_TEST_MYSQL_URL` (for instance
//! `mysql://root@127.0.0.1:3306/mysql`; `scripts/servers.sh` starts one). Each test creates its
//! own database and drops it at the end, so tests run in parallel. Without the variable the
//! tests are skipped, unless `CI=true`.

mod apply;
mod roundtrip;

use std::str::FromStr;

use sqlx::Connection;
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};

use super::*;
use crate::dialect::{OpenMode, ServerTarget, Step, VersionChange};
use crate::diff::diff;
use crate::schema::{Action, Table, Type, column, foreign_key, table};

pub(super) const VERSION: &str = "outflow_version";

/// The server URL, or `None` (after saying so) when the tests are skipped.
fn server_url() -> Option<String> {
    match std::env::var("OUTFLOW_TEST_MYSQL_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("OUTFLOW_TEST_MYSQL_URL is not set, and CI=true requires the MySQL tests")
        }
        _ => {
            eprintln!("skipped: OUTFLOW_TEST_MYSQL_URL is not set");
            None
        }
    }
}

/// `url` with its path (the database) replaced.
fn with_database(url: &str, database: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let path = url[start..].find('/').map(|i| start + i);
    let query = url.find('?');
    let head = &url[..path.or(query).unwrap_or(url.len())];
    let tail = query.map_or("", |q| &url[q..]);
    format!("{head}/{database}{tail}")
}

/// A database of its own for one test, dropped when the test ends (even by a panic).
pub(super) struct Scratch {
    server: String,
    name: String,
    pub(super) target: ServerTarget,
}

impl Scratch {
    /// A new empty database, or `None` when the tests are skipped.
    pub(super) async fn new(tag: &str) -> Option<Scratch> {
        let server = server_url()?;
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let name = format!("outflow_t_{tag}_{}", &suffix[..8]);
        let mut conn = admin(&server).await;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE `{name}` CHARACTER SET utf8mb4"
        )))
        .execute(&mut conn)
        .await
        .unwrap();
        let target = ServerTarget {
            url: with_database(&server, &name),
            runtime_url: None,
            user: None,
            schema: None,
        };
        Some(Scratch {
            server,
            name,
            target,
        })
    }

    /// A read-write connection to the database.
    pub(super) async fn open(&self) -> MySqlDb {
        MySqlDb::open(&self.target, OpenMode::ReadWrite)
            .await
            .unwrap()
    }
}

async fn admin(server: &str) -> MySqlConnection {
    let options = MySqlConnectOptions::from_str(server).unwrap();
    MySqlConnection::connect_with(&options).await.unwrap()
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which cannot block: use a runtime of our own.
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let mut conn = admin(&server).await;
                let sql = format!("DROP DATABASE IF EXISTS `{name}`");
                let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await;
            });
        });
        let _ = done.join();
    }
}

/// Runs `ops` as one step without version change.
pub(super) async fn apply(db: &mut MySqlDb, ops: &[Operation]) {
    if let Err(e) = db.run_step(&step(ops, &[])).await {
        panic!("{e}");
    }
}

pub(super) fn step<'a>(ops: &'a [Operation], version: &'a [VersionChange]) -> Step<'a> {
    Step {
        ops,
        version,
        version_table: VERSION,
        log: &[],
    }
}

pub(super) async fn read(db: &mut MySqlDb) -> Schema {
    db.introspect(&[VERSION]).await.unwrap()
}

pub(super) async fn count(db: &mut MySqlDb, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM `{table}`");
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut db.conn)
        .await
        .unwrap()
}

pub(super) async fn show_create(db: &mut MySqlDb, table: &str) -> String {
    let sql = format!("SHOW CREATE TABLE `{table}`");
    let row: (String, String) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut db.conn)
        .await
        .unwrap();
    row.1
}

/// Every type, default and constraint kind the model has (MySQL refuses keys on text, so none
/// is declared on one).
pub(super) fn every_kind() -> Schema {
    Schema::from_tables([parent_table(), child_table()])
}

fn state() -> Type {
    Type::enumeration("state", ["pending", "it's", r"back\slash"])
}

fn parent_table() -> Table {
    table("parent")
        .column(
            column("id", Type::BigInt)
                .not_null()
                .autoincrement()
                .comment("generated"),
        )
        .column(column("code", Type::Char(3)).not_null())
        .column(column("label", Type::Varchar(40)).default("'unnamed'"))
        .column(column("state", state()))
        .primary_key("pk_parent", ["id"])
        .unique("uq_parent_code", ["code"])
        .unique("uq_parent_code_label", ["code", "label"])
        .index("ix_parent_label", ["label"])
        .check("ck_parent_code_length", "length(code) = 3")
        .comment("parents")
}

fn child_table() -> Table {
    table("child")
        .column(column("id", Type::Integer).not_null())
        .column(column("tiny", Type::SmallInt).default("-1"))
        .column(column("big", Type::BigInt).default("0"))
        .column(column("flag", Type::Boolean).not_null().default("false"))
        .column(column("single", Type::Real).default("1.5"))
        .column(column("precise", Type::Double).default("0.5"))
        .column(column("amount", Type::Numeric(12, 2)).default("0"))
        .column(
            column("body", Type::Text)
                .not_null()
                .default("'it''s'")
                .comment("free text"),
        )
        .column(column("slashes", Type::Text).default(r"'a\b'"))
        .column(column("name", Type::Varchar(120)).not_null())
        .column(column("country", Type::Char(2)))
        .column(column("day", Type::Date))
        .column(column("at", Type::Time))
        .column(
            column("created", Type::Timestamp)
                .not_null()
                .default("CURRENT_TIMESTAMP"),
        )
        .column(column("seen", Type::TimestampTz))
        .column(column("data", Type::Blob))
        .column(column("doc", Type::Json))
        .column(column("uid", Type::Uuid))
        .column(column("odd", Type::raw("MEDIUMTEXT")))
        .column(column("parent_id", Type::BigInt))
        .column(column("parent_code", Type::Char(3)))
        .column(column("state", state()).not_null().default("'pending'"))
        .primary_key("pk_child", ["id"])
        .unique("uq_child_name_day", ["name", "day"])
        .index("ix_child_tiny_big", ["tiny", "big"])
        .unique_index("ix_child_day_created", ["day", "created"])
        .foreign_key(
            foreign_key("fk_child_parent_id_parent", ["parent_id"], "parent", ["id"])
                .on_delete(Action::Cascade)
                .on_update(Action::SetNull),
        )
        .foreign_key(foreign_key(
            "fk_child_parent_code_parent",
            ["parent_code"],
            "parent",
            ["code"],
        ))
        .check("ck_child_amount", "amount>=0")
        .check("ck_child_name", "length(name) > 0")
        .check("ck_child_tiny", "tiny > -100")
        .check("ck_child_flag", "flag IN (0, 1) AND NOT (state = 'x')")
}

#[tokio::test]
async fn a_model_of_every_kind_reads_back_equal() {
    let Some(scratch) = Scratch::new("every").await else {
        return;
    };
    let mut db = scratch.open().await;
    let model = every_kind();
    apply(&mut db, &diff(&Schema::new(), &model, &MySqlCompare)).await;
    let live = read(&mut db).await;
    let again = diff(&live, &model, &MySqlCompare);
    assert!(again.is_empty(), "false differences: {again:#?}");
    let child = live.table("child").unwrap();
    assert_eq!(child.checks.len(), 4, "the JSON check is not a check");
    assert_eq!(child.column_named("doc").unwrap().ty, Type::Json);
    assert_eq!(child.column_named("uid").unwrap().ty, Type::Char(36));
    assert_eq!(
        child.column_named("slashes").unwrap().default.as_deref(),
        Some(r"'a\b'")
    );
    assert_eq!(
        child.column_named("created").unwrap().default.as_deref(),
        Some("CURRENT_TIMESTAMP")
    );
    assert_eq!(
        child.column_named("flag").unwrap().default.as_deref(),
        Some("false")
    );
    assert!(
        child.indexes.iter().all(|i| !i.name.starts_with("fk_")),
        "{:?}",
        child.indexes
    );
    assert_eq!(child.uniques.len(), 1);
    assert!(
        child
            .indexes
            .iter()
            .any(|i| i.name == "ix_child_day_created" && i.unique)
    );
    let fk = &child.foreign_keys[1];
    assert_eq!(
        (fk.on_delete, fk.on_update),
        (Action::Cascade, Action::SetNull)
    );
    let parent = live.table("parent").unwrap();
    assert!(parent.columns[0].autoincrement);
    assert_eq!(parent.primary_key.as_ref().unwrap().name, "pk_parent");
    assert_eq!(parent.comment.as_deref(), Some("parents"));
    let Type::Enum { name, values } = &parent.column_named("state").unwrap().ty else {
        panic!("state is an enum");
    };
    assert!(name.is_empty());
    assert_eq!(values[2], r"back\slash");
    let ddl = show_create(&mut db, "child").await;
    for part in [
        "`created` datetime(6) NOT NULL DEFAULT current_timestamp(6)",
        "`seen` timestamp(6) NULL DEFAULT NULL",
        "KEY `fk_child_parent_id_parent` (`parent_id`)",
        "COMMENT 'free text'",
        "DEFAULT CHARSET=utf8mb4",
    ] {
        assert!(ddl.contains(part), "{part} not in {ddl}");
    }
}

/// The server's `Questions` counter: statements the session has sent, this one included.
async fn questions(db: &mut MySqlDb) -> u64 {
    let (_, value): (String, String) = sqlx::query_as("SHOW SESSION STATUS LIKE 'Questions'")
        .fetch_one(&mut db.conn)
        .await
        .unwrap();
    value.parse().unwrap()
}

#[tokio::test]
async fn introspection_costs_the_same_queries_for_10_and_1000_tables() {
    let Some(scratch) = Scratch::new("count").await else {
        return;
    };
    let mut db = scratch.open().await;
    let mut counts = Vec::new();
    let mut made = 0;
    for target in [10, 1000] {
        let mut ddl = String::new();
        for i in made..target {
            ddl.push_str(&format!(
                "CREATE TABLE t{i:04} (id INT PRIMARY KEY, v VARCHAR(10) UNIQUE, p INT, \
                 CONSTRAINT ck_{i} CHECK (id > 0), CONSTRAINT fk_{i} FOREIGN KEY (p) REFERENCES t0000 (id));"
            ));
        }
        made = target;
        db.execute_raw(&ddl).await.unwrap();
        let before = (db.catalog_queries(), questions(&mut db).await);
        let schema = read(&mut db).await;
        assert_eq!(schema.len(), target);
        // The server's own count of the statements the session sent, beside ours: nothing
        // per table can hide from it.
        let asked = questions(&mut db).await - before.1 - 1;
        counts.push((db.catalog_queries() - before.0, asked));
    }
    assert_eq!(counts[0], counts[1], "10 tables, then 1000");
    assert_eq!(counts[0].0, 13);
}

#[tokio::test]
async fn opening_names_the_target_and_what_to_do() {
    let Some(scratch) = Scratch::new("open").await else {
        return;
    };
    let mut missing = scratch.target.clone();
    missing.url = with_database(&scratch.target.url, "outflow_no_such_database");
    let err = MySqlDb::open(&missing, OpenMode::ReadOnly)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("database 'outflow_no_such_database' does not exist; create it"),
        "{err}"
    );
    let mut secret = scratch.target.clone();
    let rest = &secret.url["mysql://".len()..];
    let host = rest[rest.find('@').map_or(0, |i| i + 1)..].to_string();
    secret.url = format!("mysql://nobody:topsecret@{host}");
    let err = MySqlDb::open(&secret, OpenMode::ReadOnly)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("cannot open database mysql://nobody:***@"),
        "{err}"
    );
    assert!(!err.contains("topsecret"), "{err}");
    let mut db = MySqlDb::open(&scratch.target, OpenMode::ReadOnly)
        .await
        .unwrap();
    assert!(!format!("{db:?}").contains("topsecret"));
    assert_eq!(db.flavor(), Flavor::MariaDb, "the test server is MariaDB");
    assert!(db.is_empty().await.unwrap());
    let err = db
        .execute_raw("CREATE TABLE t (a INT)")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("READ ONLY"), "{err}");
    assert_eq!(db.version_rows(VERSION).await.unwrap(), None);
}

#[tokio::test]
async fn hand_made_tables_keep_what_the_model_does_not_hold() {
    let Some(scratch) = Scratch::new("hand").await else {
        return;
    };
    let mut db = scratch.open().await;
    db.execute_raw(
        "CREATE TABLE p (id INT PRIMARY KEY);
         CREATE TABLE h (
           id INT PRIMARY KEY,
           q INT COMMENT 'qq' CHECK (q > 0),
           s VARCHAR(10) COLLATE utf8mb4_bin,
           at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
           p_id INT,
           CONSTRAINT fk_h FOREIGN KEY (p_id) REFERENCES p (id)
         ) CHARSET=utf8mb4;
         INSERT INTO p VALUES (1); INSERT INTO h (id, q, s, p_id) VALUES (1, 5, 'x', 1);",
    )
    .await
    .unwrap();
    let live = read(&mut db).await;
    let h = live.table("h").unwrap();
    assert!(
        h.indexes.is_empty(),
        "InnoDB's index for fk_h is hidden: {:?}",
        h.indexes
    );
    assert_eq!(h.checks[0].name, "q");
    let mut model = live.clone();
    let m = model.table_mut("h").unwrap();
    m.checks.clear();
    m.foreign_keys.clear();
    m.column_named_mut("q").unwrap().nullable = false;
    let ops = diff(&live, &model, &MySqlCompare);
    apply(&mut db, &ops).await;
    let after = read(&mut db).await;
    assert!(diff(&after, &model, &MySqlCompare).is_empty());
    let ddl = show_create(&mut db, "h").await;
    assert!(
        !ddl.contains("CHECK") && !ddl.contains("KEY `fk_h`"),
        "{ddl}"
    );
    assert!(
        ddl.contains("`s` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"),
        "{ddl}"
    );
    assert!(ddl.contains("ON UPDATE current_timestamp(6)"), "{ddl}");
    assert!(ddl.contains("`q` int(11) NOT NULL COMMENT 'qq'"), "{ddl}");
    apply(&mut db, &crate::ops::reverse_all(&ops).unwrap()).await;
    assert_eq!(read(&mut db).await, live);
    assert_eq!(count(&mut db, "h").await, 1);
}
