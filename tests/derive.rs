//! `#[derive(Model)]`, `#[derive(DbEnum)]` and `embed_revisions!` from the user's side: the
//! tables the derives produce, rows read back through the derived `sqlx::FromRow`, the revision
//! sets the embedding produces, and the compile errors of all three (`tests/ui/`, checked with
//! trybuild).

// Most models here are only described, never built: their fields are never read.
#![allow(dead_code)]

use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use outflow::migration::prelude::Operations;
use outflow::ops::Operation;
use outflow::revision::RevisionSet;
use outflow::schema::{Action, Table, Type, column, foreign_key, index, key_expr, naming, table};
use outflow::{DbEnum, Model, Plugin};
use sqlx::mysql::{MySql, MySqlRow};
use sqlx::postgres::{PgRow, Postgres};
use sqlx::sqlite::SqliteRow;
use sqlx::{Connection, FromRow, SqliteConnection};
use uuid::Uuid;

/// Every mapped Rust type, `Option`, `length`, `sql_type`, `raw_type` and a raw identifier.
#[derive(Model)]
#[model(table = "all_types", database = "warehouse")]
#[model(comment = "one column per Rust type")]
struct AllTypes {
    #[column(primary_key, autoincrement)]
    id: i64,
    small: i16,
    int: i32,
    flag: bool,
    ratio: f32,
    amount: f64,
    label: String,
    #[column(length = 32)]
    code: String,
    data: Vec<u8>,
    day: chrono::NaiveDate,
    at: NaiveTime,
    stamp: NaiveDateTime,
    stamp_tz: chrono::DateTime<chrono::Utc>,
    uid: uuid::Uuid,
    doc: serde_json::Value,
    maybe: Option<i32>,
    maybe_text: std::option::Option<String>,
    #[column(length = 8)]
    maybe_code: Option<String>,
    #[column(sql_type = "numeric(12, 2)")]
    price: f64,
    #[column(sql_type = "Timestamp With Time Zone")]
    seen_at: Option<String>,
    #[column(raw_type = "GEOMETRY")]
    shape: Option<Vec<u8>>,
    r#type: String,
}

fn all_types_table() -> Table {
    let t = "all_types";
    table(t)
        .column(column("id", Type::BigInt).not_null().autoincrement())
        .column(column("small", Type::SmallInt).not_null())
        .column(column("int", Type::Integer).not_null())
        .column(column("flag", Type::Boolean).not_null())
        .column(column("ratio", Type::Real).not_null())
        .column(column("amount", Type::Double).not_null())
        .column(column("label", Type::Text).not_null())
        .column(column("code", Type::Varchar(32)).not_null())
        .column(column("data", Type::Blob).not_null())
        .column(column("day", Type::Date).not_null())
        .column(column("at", Type::Time).not_null())
        .column(column("stamp", Type::Timestamp).not_null())
        .column(column("stamp_tz", Type::TimestampTz).not_null())
        .column(column("uid", Type::Uuid).not_null())
        .column(column("doc", Type::Json).not_null())
        .column(column("maybe", Type::Integer))
        .column(column("maybe_text", Type::Text))
        .column(column("maybe_code", Type::Varchar(8)))
        .column(column("price", Type::Numeric(12, 2)).not_null())
        .column(column("seen_at", Type::TimestampTz))
        .column(column("shape", Type::raw("GEOMETRY")))
        .column(column("type", Type::Text).not_null())
        .primary_key(naming::primary_key(t), ["id"])
        .comment("one column per Rust type")
}

/// Every other column attribute and every table attribute, with repeated attributes.
#[derive(Model)]
#[model(comment = "children")]
#[model(unique(parent_id, rank), index(created_at, rank))]
#[model(
    unique_index(nickname),
    check(name = "rank_positive", expr = "rank >= 0")
)]
#[model(check(name = "nick_len", expr = "length(nick) > 1"))]
struct ChildRecord {
    #[column(primary_key)]
    id: i32,
    #[column(
        foreign_key = "parent.id",
        on_delete = "cascade",
        on_update = "set_null"
    )]
    parent_id: Option<i32>,
    #[column(foreign_key = "other.key")]
    other_key: i64,
    #[column(name = "nick", unique, comment = "display name")]
    #[column(length = 20, check = "nick <> ''")]
    nickname: String,
    #[column(default = "0", index)]
    rank: i32,
    #[column(default = "CURRENT_TIMESTAMP", comment = "set by the database")]
    created_at: NaiveDateTime,
}

fn child_record_table() -> Table {
    let t = "child_record";
    table(t)
        .column(column("id", Type::Integer).not_null())
        .column(column("parent_id", Type::Integer))
        .column(column("other_key", Type::BigInt).not_null())
        .column(
            column("nick", Type::Varchar(20))
                .not_null()
                .comment("display name"),
        )
        .column(column("rank", Type::Integer).not_null().default("0"))
        .column(
            column("created_at", Type::Timestamp)
                .not_null()
                .default("CURRENT_TIMESTAMP")
                .comment("set by the database"),
        )
        .primary_key(naming::primary_key(t), ["id"])
        .unique(naming::unique(t, &["nick"]), ["nick"])
        .unique(
            naming::unique(t, &["parent_id", "rank"]),
            ["parent_id", "rank"],
        )
        .index(naming::index(t, &["rank"]), ["rank"])
        .index(
            naming::index(t, &["created_at", "rank"]),
            ["created_at", "rank"],
        )
        .unique_index(naming::index(t, &["nick"]), ["nick"])
        .foreign_key(
            foreign_key(
                naming::foreign_key(t, &["parent_id"], "parent"),
                ["parent_id"],
                "parent",
                ["id"],
            )
            .on_delete(Action::Cascade)
            .on_update(Action::SetNull),
        )
        .foreign_key(foreign_key(
            naming::foreign_key(t, &["other_key"], "other"),
            ["other_key"],
            "other",
            ["key"],
        ))
        .check(naming::check(t, "nick"), "nick <> ''")
        .check(naming::check(t, "rank_positive"), "rank >= 0")
        .check(naming::check(t, "nick_len"), "length(nick) > 1")
        .comment("children")
}

/// A composite primary key, in field order.
#[derive(Model)]
struct Membership {
    #[column(primary_key)]
    group_id: i32,
    role: Option<String>,
    #[column(primary_key)]
    user_id: i64,
}

/// Numbered columns the databases allow outside a lone key: the first column of a composite
/// key (MySQL, PostgreSQL), a column outside the key (PostgreSQL), a database's own integer.
#[derive(Model)]
struct Numbered {
    #[column(primary_key, autoincrement, raw_type = "int unsigned")]
    id: u32,
    #[column(primary_key)]
    part: i32,
    #[column(autoincrement)]
    sequence_number: i64,
}

/// A primary key whose column order is not the fields' order.
#[derive(Model)]
#[model(primary_key(paid_at, payment_id))]
struct Payment {
    #[column(autoincrement)]
    payment_id: i32,
    amount: f64,
    paid_at: NaiveDateTime,
}

/// Every foreign-key action spelling.
#[derive(Model)]
struct Actions {
    #[column(foreign_key = "a.id", on_delete = "restrict", on_update = "RESTRICT")]
    a_id: i32,
    #[column(
        foreign_key = "b.id",
        on_delete = "set null",
        on_update = "Set_Default"
    )]
    b_id: Option<i32>,
    #[column(foreign_key = "c.id", on_delete = "no action", on_update = "no_action")]
    c_id: i32,
    #[column(foreign_key = "d.id", on_delete = "SET DEFAULT", on_update = "cascade")]
    d_id: i32,
}

/// Names longer than the identifier limit are shortened by the runtime helpers.
#[derive(Model)]
#[model(table = "a_rather_long_table_name_that_goes_on_and_on")]
struct LongNames {
    #[column(unique)]
    a_rather_long_column_name_as_well_really: i32,
}

#[derive(Model)]
struct MyTable {
    #[column(primary_key)]
    id: i32,
}

#[derive(Model)]
struct HTTPResponse {
    #[column(primary_key)]
    id: i32,
}

#[test]
fn every_type_maps_to_its_column_type() {
    assert_eq!(AllTypes::TABLE, "all_types");
    assert_eq!(AllTypes::DATABASE, "warehouse");
    assert_eq!(AllTypes::COLUMNS.len(), 22);
    assert_eq!(AllTypes::COLUMNS[..3], ["id", "small", "int"]);
    assert_eq!(AllTypes::COLUMNS.last(), Some(&"type"));
    assert_eq!(AllTypes::table(), all_types_table());
    AllTypes::table().validate().unwrap();
}

#[test]
fn column_and_table_attributes_build_named_constraints() {
    assert_eq!(ChildRecord::TABLE, "child_record");
    assert_eq!(ChildRecord::DATABASE, "default");
    assert_eq!(
        ChildRecord::COLUMNS,
        ["id", "parent_id", "other_key", "nick", "rank", "created_at"]
    );
    let derived = ChildRecord::table();
    assert_eq!(derived, child_record_table());
    derived.validate().unwrap();
    assert_eq!(
        derived.foreign_keys[0].name,
        "fk_child_record_parent_id_parent"
    );
    assert_eq!(derived.uniques[1].name, "uq_child_record_parent_id_rank");
    assert_eq!(derived.checks[0].name, "ck_child_record_nick");
}

#[test]
fn primary_keys_follow_field_order() {
    let expected = table("membership")
        .column(column("group_id", Type::Integer).not_null())
        .column(column("role", Type::Text))
        .column(column("user_id", Type::BigInt).not_null())
        .primary_key("pk_membership", ["group_id", "user_id"]);
    assert_eq!(Membership::table(), expected);
    assert_eq!(Membership::COLUMNS, ["group_id", "role", "user_id"]);
}

#[test]
fn autoincrement_is_kept_outside_a_lone_key() {
    let expected = table("numbered")
        .column(
            column("id", Type::raw("int unsigned"))
                .not_null()
                .autoincrement(),
        )
        .column(column("part", Type::Integer).not_null())
        .column(
            column("sequence_number", Type::BigInt)
                .not_null()
                .autoincrement(),
        )
        .primary_key("pk_numbered", ["id", "part"]);
    assert_eq!(Numbered::table(), expected);
    Numbered::table().validate().unwrap();
}

#[test]
fn a_listed_primary_key_keeps_its_order() {
    let expected = table("payment")
        .column(
            column("payment_id", Type::Integer)
                .not_null()
                .autoincrement(),
        )
        .column(column("amount", Type::Double).not_null())
        .column(column("paid_at", Type::Timestamp).not_null())
        .primary_key("pk_payment", ["paid_at", "payment_id"]);
    assert_eq!(Payment::table(), expected);
}

#[test]
fn foreign_key_actions_accept_every_spelling() {
    let actions: Vec<(Action, Action)> = Actions::table()
        .foreign_keys
        .iter()
        .map(|fk| (fk.on_delete, fk.on_update))
        .collect();
    assert_eq!(
        actions,
        [
            (Action::Restrict, Action::Restrict),
            (Action::SetNull, Action::SetDefault),
            (Action::NoAction, Action::NoAction),
            (Action::SetDefault, Action::Cascade),
        ]
    );
    assert!(Actions::table().primary_key.is_none());
}

#[test]
fn long_names_are_shortened_by_the_naming_helpers() {
    let derived = LongNames::table();
    let column = "a_rather_long_column_name_as_well_really";
    assert_eq!(
        derived.uniques[0].name,
        naming::unique(LongNames::TABLE, &[column])
    );
    assert_eq!(derived.uniques[0].name.len(), naming::MAX_IDENTIFIER_LEN);
}

#[test]
fn default_table_names_follow_the_snake_case_rule() {
    assert_eq!(MyTable::TABLE, "my_table");
    assert_eq!(HTTPResponse::TABLE, "http_response");
    assert_eq!(
        HTTPResponse::table().primary_key.unwrap().name,
        "pk_http_response"
    );
    let plugin = Plugin::new("tests")
        .model::<MyTable>()
        .model::<ChildRecord>();
    let names: Vec<&str> = plugin.models().iter().map(|m| m.table_name).collect();
    assert_eq!(names, ["my_table", "child_record"]);
}

/// Default names and labels by the snake-case rule, and one rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, DbEnum)]
enum RunState {
    Pending,
    InProgress,
    #[db_enum(rename = "done")]
    Finished,
}

/// A given type name, acronyms, a raw identifier and repeated attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, DbEnum)]
#[db_enum(name = "verb")]
#[db_enum()]
enum HttpVerb {
    Get,
    HTTPPost,
    #[db_enum(rename = "PUT")]
    Put,
    r#Box,
}

/// A model with every kind of field a pipeline reads back: an enum, an optional enum, an
/// optional text, a renamed column, chrono and uuid values.
#[derive(Debug, Clone, PartialEq, Model)]
struct Reading {
    #[column(primary_key)]
    id: i64,
    #[column(name = "station_name", length = 40)]
    station: String,
    note: Option<String>,
    #[column(db_enum, index)]
    state: RunState,
    #[column(db_enum, default = "'pending'")]
    previous_state: Option<RunState>,
    taken_at: NaiveDateTime,
    received_at: DateTime<Utc>,
    uid: Uuid,
}

fn reading_table() -> Table {
    let t = "reading";
    let state = Type::enumeration("run_state", ["pending", "in_progress", "done"]);
    table(t)
        .column(column("id", Type::BigInt).not_null())
        .column(column("station_name", Type::Varchar(40)).not_null())
        .column(column("note", Type::Text))
        .column(column("state", state.clone()).not_null())
        .column(column("previous_state", state).default("'pending'"))
        .column(column("taken_at", Type::Timestamp).not_null())
        .column(column("received_at", Type::TimestampTz).not_null())
        .column(column("uid", Type::Uuid).not_null())
        .primary_key(naming::primary_key(t), ["id"])
        .index(naming::index(t, &["state"]), ["state"])
}

#[test]
fn db_enums_name_their_type_and_labels() {
    assert_eq!(RunState::NAME, "run_state");
    assert_eq!(RunState::VALUES, ["pending", "in_progress", "done"]);
    assert_eq!(RunState::InProgress.label(), "in_progress");
    assert_eq!(RunState::Finished.label(), "done");
    assert_eq!(RunState::from_label("done"), Some(RunState::Finished));
    assert_eq!(RunState::from_label("finished"), None);
    assert_eq!(RunState::from_label("Pending"), None);
    assert_eq!(HttpVerb::NAME, "verb");
    assert_eq!(HttpVerb::VALUES, ["get", "http_post", "PUT", "box"]);
    let verbs = [
        HttpVerb::Get,
        HttpVerb::HTTPPost,
        HttpVerb::Put,
        HttpVerb::r#Box,
    ];
    assert_eq!(verbs.map(|v| v.label()), HttpVerb::VALUES);
    assert!(
        verbs
            .iter()
            .all(|v| HttpVerb::from_label(v.label()) == Some(*v))
    );
    assert_eq!(
        RunState::column_type(),
        Type::enumeration("run_state", ["pending", "in_progress", "done"])
    );
}

#[test]
fn db_enum_fields_take_the_enum_column_type() {
    let columns = "id station_name note state previous_state taken_at received_at uid";
    assert_eq!(Reading::COLUMNS.join(" "), columns);
    let derived = Reading::table();
    assert_eq!(derived, reading_table());
    derived.validate().unwrap();
    assert!(!derived.columns[3].nullable);
    assert!(derived.columns[4].nullable);
}

/// The derived `FromRow` and the enum's sqlx impls exist for every database Outflow drives;
/// this only needs to compile.
fn rows_decode_on_every_database(
    pg: &PgRow,
    my: &MySqlRow,
    lite: &SqliteRow,
) -> sqlx::Result<Vec<Reading>> {
    let _: [AllTypes; 3] = [
        AllTypes::from_row(pg)?,
        AllTypes::from_row(my)?,
        AllTypes::from_row(lite)?,
    ];
    let _ = sqlx::query::<Postgres>("SELECT $1, $2, $3")
        .bind(RunState::Pending)
        .bind(Some(HttpVerb::Get))
        .bind(vec![RunState::Finished]);
    let _ = sqlx::query::<MySql>("SELECT ?, ?")
        .bind(RunState::Pending)
        .bind(None::<HttpVerb>);
    Ok(vec![
        Reading::from_row(pg)?,
        Reading::from_row(my)?,
        Reading::from_row(lite)?,
    ])
}

/// A model that borrows from the row: the derived `FromRow` reads with the struct's lifetime.
#[derive(Model)]
struct Borrowed<'a> {
    #[column(sql_type = "text")]
    name: &'a str,
}

fn borrowed_from_the_row(row: &SqliteRow) -> sqlx::Result<Borrowed<'_>> {
    Borrowed::from_row(row)
}

fn readings() -> [Reading; 2] {
    let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    [
        Reading {
            id: 1,
            station: "north".into(),
            note: Some("it's windy".into()),
            state: RunState::InProgress,
            previous_state: Some(RunState::Pending),
            taken_at: day.and_hms_milli_opt(23, 59, 58, 250).unwrap(),
            received_at: Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 5).unwrap(),
            uid: Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
        },
        Reading {
            id: 2,
            station: "south".into(),
            note: None,
            state: RunState::Finished,
            previous_state: None,
            taken_at: day.and_hms_opt(0, 0, 0).unwrap(),
            received_at: Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap(),
            uid: Uuid::nil(),
        },
    ]
}

#[tokio::test]
async fn rows_round_trip_through_sqlite_with_from_row() {
    let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
    sqlx::query(
        "CREATE TABLE reading (id BIGINT PRIMARY KEY, station_name VARCHAR(40) NOT NULL, \
         note TEXT, state TEXT NOT NULL, previous_state TEXT, taken_at TIMESTAMP NOT NULL, \
         received_at TIMESTAMP WITH TIME ZONE NOT NULL, uid UUID NOT NULL)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    for r in readings() {
        sqlx::query("INSERT INTO reading VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(r.id)
            .bind(&r.station)
            .bind(&r.note)
            .bind(r.state)
            .bind(r.previous_state)
            .bind(r.taken_at)
            .bind(r.received_at)
            .bind(r.uid)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    // Columns are read by name: their order in the SELECT does not matter.
    let read: Vec<Reading> = sqlx::query_as(
        "SELECT uid, received_at, taken_at, previous_state, state, note, station_name, id \
         FROM reading ORDER BY id",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(read, readings());
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT typeof(state) || ' ' || state FROM reading ORDER BY id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(stored, ["text in_progress", "text done"]);
}

#[tokio::test]
async fn decoding_an_unknown_label_names_the_enum_and_the_label() {
    let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
    let state: RunState = sqlx::query_scalar("SELECT 'done'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(state, RunState::Finished);
    let err = sqlx::query_scalar::<_, RunState>("SELECT 'finished'")
        .fetch_one(&mut conn)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "unknown label \"finished\" for enum RunState (type run_state); \
             expected one of: \"pending\", \"in_progress\", \"done\""
        ),
        "{err}"
    );
    let missing = sqlx::query_as::<_, Reading>("SELECT 1 AS id")
        .fetch_one(&mut conn)
        .await
        .unwrap_err();
    assert!(
        matches!(&missing, sqlx::Error::ColumnNotFound(c) if c == "station_name"),
        "{missing}"
    );
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/embed")
        .canonicalize()
        .unwrap()
}

/// Embedded once: embedding a folder twice compiles its files twice (clippy's `duplicate_mod`).
fn fixture_revisions() -> RevisionSet {
    outflow::embed_revisions!("fixtures/embed/revisions")
}

#[test]
fn revisions_are_embedded_sorted_by_label_then_file() {
    let set = fixture_revisions();
    assert_eq!(Path::new(set.dir), fixtures().join("revisions"));
    let found: Vec<(&str, &str)> = set
        .revisions
        .iter()
        .map(|r| (r.db_label, r.file_name))
        .collect();
    assert_eq!(
        found,
        [
            ("audit", "5f0b9d2e7a61_create_audit_log.rs"),
            ("default", "3c1e5b2a9f04_add_name.rs"),
            ("default", "a0d8cd78f167_create_t.rs"),
        ]
    );
    let [audit, add_name, create_t] = set.revisions else {
        panic!("three revisions")
    };
    assert_eq!(
        (create_t.id, create_t.down_revision),
        ("a0d8cd78f167", &[][..])
    );
    assert_eq!(create_t.branch_labels, ["tests.embed"]);
    assert_eq!(
        (add_name.id, add_name.down_revision),
        ("3c1e5b2a9f04", &["a0d8cd78f167"][..])
    );
    assert!(add_name.branch_labels.is_empty() && add_name.depends_on.is_empty());
    assert_eq!(
        (audit.id, audit.depends_on),
        ("5f0b9d2e7a61", &["a0d8cd78f167"][..])
    );
    assert_eq!(
        create_t.source,
        include_str!("fixtures/embed/revisions/default/a0d8cd78f167_create_t.rs")
    );
}

#[test]
fn embedded_functions_record_operations() {
    let set = fixture_revisions();
    let counts: Vec<(usize, usize)> = set
        .revisions
        .iter()
        .map(|r| {
            let (mut up, mut down) = (Operations::new(), Operations::new());
            (r.upgrade)(&mut up);
            (r.downgrade)(&mut down);
            (up.len(), down.len())
        })
        .collect();
    assert_eq!(counts, [(3, 1), (2, 2), (1, 1)]);
    let mut up = Operations::new();
    (set.revisions[2].upgrade)(&mut up);
    let expected = table("t").column(column("id", Type::Integer).not_null());
    assert_eq!(up.as_slice(), [Operation::CreateTable(expected)]);
}

#[test]
fn a_missing_folder_is_an_empty_set_with_its_future_path() {
    let set = outflow::embed_revisions!("fixtures/embed/not_created_yet");
    assert!(set.revisions.is_empty());
    assert_eq!(Path::new(set.dir), fixtures().join("not_created_yet"));
    let plugin = Plugin::new("tests").revisions(set);
    assert_eq!(plugin.revision_set().unwrap().dir, set.dir);
}

#[test]
fn compile_errors_point_at_the_offending_attribute() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}

/// Exact names, a composite foreign key, computed and collated columns, and `extend`.
#[derive(Model)]
#[model(table = "Track", primary_key(track_id, name = "PK_Track"))]
#[model(
    index(album_id, name = "IFK_TrackAlbumId"),
    unique(name_, album_id, name = "UQ_TrackName")
)]
#[model(foreign_key(
    album_id,
    references = "Album(AlbumId)",
    name = "FK_TrackAlbumId",
    on_delete = "cascade"
))]
#[model(foreign_key(media_a, media_b, references = "media(a, b)"))]
#[model(extend = track_extras)]
struct Track {
    track_id: i32,
    album_id: i32,
    #[column(name = "name", collate = "C")]
    name_: String,
    media_a: Option<i32>,
    media_b: Option<i32>,
    milliseconds: i32,
    #[column(generated = "milliseconds / 1000")]
    seconds: Option<i32>,
    #[column(generated = "milliseconds * 2", stored)]
    doubled: Option<i32>,
}

/// What the attributes of [`Track`] do not say.
fn track_extras(table: Table) -> Table {
    table.with_index(
        index("ix_track_lower_name", [key_expr("lower(name)")]).filter("milliseconds > 0"),
    )
}

#[test]
fn names_composite_keys_computed_columns_and_extend_reach_the_table() {
    let expected = table("Track")
        .column(column("track_id", Type::Integer).not_null())
        .column(column("album_id", Type::Integer).not_null())
        .column(column("name", Type::Text).not_null().collate("C"))
        .column(column("media_a", Type::Integer))
        .column(column("media_b", Type::Integer))
        .column(column("milliseconds", Type::Integer).not_null())
        .column(column("seconds", Type::Integer).generated("milliseconds / 1000"))
        .column(column("doubled", Type::Integer).generated_stored("milliseconds * 2"))
        .primary_key("PK_Track", ["track_id"])
        .unique("UQ_TrackName", ["name", "album_id"])
        .index("IFK_TrackAlbumId", ["album_id"])
        .foreign_key(
            foreign_key("FK_TrackAlbumId", ["album_id"], "Album", ["AlbumId"])
                .on_delete(Action::Cascade),
        )
        .foreign_key(foreign_key(
            naming::foreign_key("Track", &["media_a", "media_b"], "media"),
            ["media_a", "media_b"],
            "media",
            ["a", "b"],
        ))
        .with_index(
            index("ix_track_lower_name", [key_expr("lower(name)")]).filter("milliseconds > 0"),
        );
    assert_eq!(Track::table(), expected);
    Track::table().validate().unwrap();
}
