//! Which cases need what the schema model does not hold. Each rule names a feature and the
//! SQL that shows it; a case matching one is out of scope *for that feature*, listed as such in
//! `docs/conformance.md`. The rules are the reviewed list: a new rule is a decision about the
//! product (see `docs/conformance.md`), never a way to hide a failure.

use crate::cases::Case;
use crate::common::Dialect;

/// (feature, phrases that show it) in the order they are tried.
const RULES: &[(&str, &[&str])] = &[
    (
        "views",
        &[
            "create view",
            "create or replace view",
            "create materialized view",
            "create algorithm",
            "create definer",
            "create sql security",
        ],
    ),
    (
        "triggers",
        &[
            "create trigger",
            "create or replace trigger",
            "create constraint trigger",
        ],
    ),
    (
        "functions and procedures",
        &[
            "create function",
            "create or replace function",
            "create procedure",
            "create or replace procedure",
            "create aggregate",
        ],
    ),
    ("extensions", &["create extension"]),
    (
        "partitions and inheritance",
        &[
            "partition by",
            "partition of",
            " inherits ",
            " inherits(",
            "partitions ",
        ],
    ),
    (
        "row-level security policies",
        &["create policy", "row level security"],
    ),
    ("privileges", &["grant ", "revoke "]),
    ("domains", &["create domain"]),
    (
        "sequences as objects",
        &["create sequence", "alter sequence"],
    ),
    ("schemas other than the configured one", &["create schema"]),
    ("exclusion constraints", &["exclude using", "exclude ("]),
    (
        "generated columns",
        &["generated always as (", " stored", " virtual"],
    ),
    ("collations", &["collate ", "create collation"]),
    ("events", &["create event"]),
    (
        "full-text and spatial indexes",
        &["fulltext", "spatial index", "spatial key"],
    ),
    ("rules", &["create rule"]),
    (
        "table options",
        &[
            "tablespace",
            "unlogged",
            "without oids",
            "with (fillfactor",
            "row_format",
            "key_block_size",
        ],
    ),
    ("constraint deferral", &["deferrable", "initially deferred"]),
    (
        "statistics and misc objects",
        &[
            "create statistics",
            "create cast",
            "create operator",
            "create text search",
            "create conversion",
        ],
    ),
];

/// The SQL in lower case, without comments, with single spaces.
fn normalised(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, r)| r);
            out.push(' ');
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r);
            out.push(' ');
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why a case is out of scope, if it is: upstream's own conditions first (a case that must
/// fail, another engine, another version), then the features of its SQL.
pub fn out_of_scope(case: &Case, dialect: Dialect) -> Option<String> {
    if let Some(error) = case.meta.get("error") {
        return Some(format!("upstream expects an error: {}", first_line(error)));
    }
    if let Some(flavor) = case.meta.get("flavor") {
        let ours = dialect == Dialect::Mysql && flavor.contains("mariadb");
        if !ours {
            return Some(format!(
                "another engine or flavour: {flavor} (our server is {})",
                server(dialect)
            ));
        }
    }
    if let Some(min) = case.meta.get("min_version")
        && dialect == Dialect::Postgres
        && version_above(min, 15)
    {
        return Some(format!("needs PostgreSQL {min} (our server is 15)"));
    }
    if case.meta.contains_key("managed_roles") || case.meta.contains_key("manage") {
        return Some("privileges: managed roles and grants".into());
    }
    let text = normalised(&format!("{}\n{}", case.before, case.after));
    if let Some(kind) = non_enum_type(&text) {
        return Some(format!(
            "composite, range and base types (`create type ... as {kind}`)"
        ));
    }
    for (feature, phrases) in RULES {
        if let Some(p) = phrases.iter().find(|p| text.contains(*p)) {
            return Some(format!("{feature} (`{}`)", p.trim()));
        }
    }
    None
}

/// The kind of the first `CREATE TYPE` that is not an enum (the model holds enums only).
fn non_enum_type(text: &str) -> Option<String> {
    text.match_indices("create type ").find_map(|(at, _)| {
        let rest = &text[at + "create type ".len()..];
        let after_name = rest.split_once(' ').map_or("", |(_, r)| r);
        let kind: String = after_name
            .trim_start_matches("as ")
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '(')
            .collect();
        (kind != "enum" && !kind.starts_with("enum(")).then_some(kind)
    })
}

fn server(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "SQLite",
        Dialect::Postgres => "PostgreSQL 15",
        Dialect::Mysql => "MariaDB",
    }
}

fn version_above(version: &str, ours: u32) -> bool {
    version
        .split('.')
        .next()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .is_some_and(|major| major > ours)
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim()
}
