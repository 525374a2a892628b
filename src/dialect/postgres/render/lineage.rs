//! A table's lineage on PostgreSQL: the tables it inherits from (option `inherits`) and the
//! table it is a partition of (options `partition_of` and `partition_bound`, the bound as
//! `pg_get_expr` gives it: `FOR VALUES FROM (...) TO (...)`, `FOR VALUES IN (...)`,
//! `DEFAULT`).
//!
//! A partition is created as `pg_dump` makes it: with its columns, then attached to its parent
//! (`ATTACH PARTITION`), which makes the keys and indexes it has from the parent. A partition
//! whose columns the model does not list is created `PARTITION OF` its parent.

use super::{Ddl, Q};
use crate::dialect::PlanError;
use crate::schema::Table;

/// The option keys that say a table's lineage (not storage parameters).
pub(crate) const KEYS: [&str; 3] = ["inherits", "partition_of", "partition_bound"];

/// `CREATE TABLE` of `table` from its column and constraint `lines` and the `tail` that ends
/// the statement (partitioning, storage parameters), then the statement that attaches it.
pub(crate) fn create_table(
    d: &Ddl<'_>,
    table: &Table,
    lines: &[String],
    head: &str,
    tail: &str,
) -> Result<Vec<String>, PlanError> {
    let name = d.name(&table.name);
    let body = format!("(\n    {}\n)", lines.join(",\n    "));
    let Some(parent) = table.options.get("partition_of") else {
        return Ok(vec![format!(
            "{head} {name} {body}{}{tail}",
            inherits(table)
        )]);
    };
    let bound = bound(table)?;
    let parent = d.name(parent);
    if table.columns.is_empty() {
        let body = if lines.is_empty() {
            String::new()
        } else {
            format!(" {body}")
        };
        return Ok(vec![format!(
            "{head} {name} PARTITION OF {parent}{body} {bound}{tail}"
        )]);
    }
    Ok(vec![
        format!("{head} {name} {body}{tail}"),
        format!("ALTER TABLE {parent} ATTACH PARTITION {name} {bound}"),
    ])
}

/// ` INHERITS ("a", "b")`, or nothing.
fn inherits(table: &Table) -> String {
    let parents: Vec<String> = table
        .options
        .get("inherits")
        .into_iter()
        .flat_map(|list| list.split(", "))
        .map(|p| Q.ident(p.trim()))
        .collect();
    match parents.is_empty() {
        true => String::new(),
        false => format!(" INHERITS ({})", parents.join(", ")),
    }
}

/// The partition bound, refused unless it is one: `FOR VALUES ...` or `DEFAULT`, one clause.
fn bound(table: &Table) -> Result<String, PlanError> {
    let text = table
        .options
        .get("partition_bound")
        .map(|b| b.trim())
        .unwrap_or_default();
    let upper = text.to_ascii_uppercase();
    if (upper == "DEFAULT" || upper.starts_with("FOR VALUES ")) && is_one_clause(text) {
        return Ok(text.to_string());
    }
    Err(PlanError::Impossible {
        operation: format!("create table '{}'", table.name),
        reason: format!(
            "the partition bound {text:?} is not one: write `FOR VALUES FROM (...) TO (...)`, \
             `FOR VALUES IN (...)`, `FOR VALUES WITH (...)` or `DEFAULT` in option 'partition_bound'"
        ),
    })
}

/// The statements that take `table` from the lineage `before` to `after`: inheritances given
/// up and taken (`NO INHERIT`, `INHERIT`), the partition detached from its old parent and
/// attached to its new one (or with its new bound).
pub(crate) fn changes(
    d: &Ddl<'_>,
    table: &Table,
    before: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<String>, PlanError> {
    let name = d.name(&table.name);
    let old = parents_in(before.get("inherits"));
    let new = parents_in(table.options.get("inherits"));
    let mut out: Vec<String> = old
        .iter()
        .filter(|p| !new.contains(p))
        .map(|p| format!("ALTER TABLE {name} NO INHERIT {}", d.name(p)))
        .collect();
    out.extend(
        new.iter()
            .filter(|p| !old.contains(p))
            .map(|p| format!("ALTER TABLE {name} INHERIT {}", d.name(p))),
    );
    let key = |o: &std::collections::BTreeMap<String, String>| {
        (
            o.get("partition_of").cloned(),
            o.get("partition_bound").cloned(),
        )
    };
    if key(before) != key(&table.options) {
        if let Some(parent) = before.get("partition_of") {
            out.push(format!(
                "ALTER TABLE {} DETACH PARTITION {name}",
                d.name(parent)
            ));
        }
        if let Some(parent) = table.options.get("partition_of") {
            let bound = bound(table)?;
            out.push(format!(
                "ALTER TABLE {} ATTACH PARTITION {name} {bound}",
                d.name(parent)
            ));
        }
    }
    Ok(out)
}

/// Whether `text` is one clause: balanced parentheses, no `;`, no comment.
fn is_one_clause(text: &str) -> bool {
    use sqlparser::tokenizer::{Token, Whitespace};
    let Some(tokens) = super::text::token_slices(text) else {
        return false;
    };
    let mut depth = 0i32;
    for (token, _) in &tokens {
        match token {
            Token::SemiColon
            | Token::Whitespace(
                Whitespace::SingleLineComment { .. } | Whitespace::MultiLineComment(_),
            ) => return false,
            Token::LParen => depth += 1,
            Token::RParen if depth == 0 => return false,
            Token::RParen => depth -= 1,
            _ => {}
        }
    }
    depth == 0
}

fn parents_in(list: Option<&String>) -> Vec<String> {
    list.into_iter()
        .flat_map(|l| l.split(", "))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}
