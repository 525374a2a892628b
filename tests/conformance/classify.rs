//! The kind of a case, by the features its SQL shows: how `docs/conformance.md` groups the
//! cases that fail. Every case runs whatever its kind; the kind only says what a failure is
//! about (views, partitions, types...), so that the failures are listed by kind.

use crate::cases::Case;

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

/// The kind of `case`: upstream's own conditions first (a case upstream expects to fail, a
/// flavour or version named), then the first feature its SQL shows, else plain tables.
pub fn kind(case: &Case) -> String {
    if case.meta.contains_key("error") {
        return "cases upstream expects to fail".into();
    }
    if case.meta.contains_key("managed_roles") || case.meta.contains_key("manage") {
        return "privileges".into();
    }
    let text = normalised(&format!("{}\n{}", case.before, case.after));
    if non_enum_type(&text).is_some() {
        return "composite, range and base types".into();
    }
    for (feature, phrases) in RULES {
        if phrases.iter().any(|p| text.contains(*p)) {
            return (*feature).into();
        }
    }
    if let Some(flavor) = case.meta.get("flavor") {
        return format!("cases for a flavour ({flavor})");
    }
    "tables, columns, keys and indexes".into()
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
