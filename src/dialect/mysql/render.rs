//! MySQL DDL for tables, columns, keys and indexes. Identifiers go through
//! [`Quote::Backtick`], literals through [`text::literal`], expressions through
//! [`text::to_mysql`].

use sqlparser::ast::{Expr, UnaryOperator, Value};
use sqlparser::dialect::GenericDialect;

use super::{Flavor, text, types};
use crate::dialect::expr;
use crate::dialect::sql::Quote;
use crate::schema::{Action, Column, ForeignKey, Index, KeyPart, Table};

pub(crate) const Q: Quote = Quote::Backtick;

/// Which server the statements are for: the live servers, or offline SQL that runs on both
/// (MariaDB 10.5+, MySQL 8.0.19+).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// MariaDB: `IF [NOT] EXISTS` wherever it is accepted, so a statement can be run again.
    MariaDb,
    /// MySQL 8: no `IF [NOT] EXISTS` for columns and constraints; checks dropped with
    /// `DROP CHECK`.
    MySql,
    /// Offline SQL: what both accept.
    Portable,
}

impl From<Flavor> for Syntax {
    fn from(flavor: Flavor) -> Syntax {
        match flavor {
            Flavor::MariaDb => Syntax::MariaDb,
            Flavor::MySql => Syntax::MySql,
        }
    }
}

impl Syntax {
    /// ` IF EXISTS` on MariaDB.
    pub(crate) fn if_exists(self) -> &'static str {
        if self == Syntax::MariaDb {
            " IF EXISTS"
        } else {
            ""
        }
    }

    /// ` IF NOT EXISTS` on MariaDB.
    pub(crate) fn if_not_exists(self) -> &'static str {
        if self == Syntax::MariaDb {
            " IF NOT EXISTS"
        } else {
            ""
        }
    }

    /// The `ALTER TABLE` clause dropping a table-level check: MariaDB has no `DROP CHECK`,
    /// MySQL before 8.0.19 no `DROP CONSTRAINT`.
    pub(crate) fn drop_check(self, name: &str) -> String {
        match self {
            Syntax::MySql => format!("DROP CHECK {}", Q.ident(name)),
            other => format!("DROP CONSTRAINT{} {}", other.if_exists(), Q.ident(name)),
        }
    }
}

/// `` `name` TYPE [NOT NULL] [DEFAULT ...] [AUTO_INCREMENT] [COMMENT '...'] `` with what the
/// extras say MySQL must be told again (collation, `ON UPDATE`), then column-level `checks`
/// (MariaDB) in MySQL spelling.
pub(crate) fn column_def(column: &Column, checks: &[&str]) -> String {
    let mut out = format!("{} {}", Q.ident(&column.name), types::render(&column.ty));
    if let Some(collation) = &column.collation {
        out.push_str(" COLLATE ");
        out.push_str(&Q.ident(collation));
    }
    if let Some(g) = &column.generated {
        let kind = if g.stored { "STORED" } else { "VIRTUAL" };
        out.push_str(&format!(" AS ({}) {kind}", text::to_mysql(&g.expr)));
    } else {
        out.push_str(if column.nullable {
            " NULL"
        } else {
            " NOT NULL"
        });
    }
    if let Some(default) = column
        .default
        .as_ref()
        .filter(|_| column.generated.is_none())
    {
        out.push_str(" DEFAULT ");
        out.push_str(&default_clause(column, default));
    }
    if let Some(on_update) = &column.on_update {
        out.push_str(" ON UPDATE ");
        out.push_str(on_update);
    }
    if column.autoincrement {
        out.push_str(" AUTO_INCREMENT");
    }
    if let Some(comment) = &column.comment {
        out.push_str(" COMMENT ");
        out.push_str(&text::literal(comment));
    }
    for check in checks {
        out.push_str(&format!(" CHECK ({})", text::to_mysql(check)));
    }
    out
}

/// The options a table is created or altered with: the engine and character set always (we
/// create InnoDB and utf8mb4 tables unless told otherwise), then what the table says.
/// Altering, the options a table no longer says are set back (`ROW_FORMAT=DEFAULT`,
/// `KEY_BLOCK_SIZE=0`).
pub(crate) fn table_options(
    options: &std::collections::BTreeMap<String, String>,
    altering: bool,
) -> Vec<String> {
    let get = |k: &str| options.get(k).map(String::as_str);
    let mut out = vec![
        format!("ENGINE={}", get("engine").unwrap_or("InnoDB")),
        format!("DEFAULT CHARSET={}", get("charset").unwrap_or("utf8mb4")),
    ];
    if let Some(collation) = get("collation") {
        out.push(format!("COLLATE={collation}"));
    }
    match (get("row_format"), altering) {
        (Some(format), _) => out.push(format!("ROW_FORMAT={format}")),
        (None, true) => out.push("ROW_FORMAT=DEFAULT".into()),
        (None, false) => {}
    }
    match (get("key_block_size"), altering) {
        (Some(size), _) => out.push(format!("KEY_BLOCK_SIZE={size}")),
        (None, true) => out.push("KEY_BLOCK_SIZE=0".into()),
        (None, false) => {}
    }
    out
}

/// A default as MySQL wants it: literals re-quoted for MySQL, `CURRENT_TIMESTAMP` with the
/// column's fractional digits (MySQL refuses `DATETIME(6) DEFAULT CURRENT_TIMESTAMP`), other
/// expressions in parentheses (MariaDB 10.2.1+, MySQL 8.0.13+). Text, blob and JSON columns
/// take even literals as expressions: MySQL 8 refuses a plain literal there.
pub(crate) fn default_clause(column: &Column, default: &str) -> String {
    let d = GenericDialect {};
    let literal = match expr::parse(&d, default) {
        Some(Expr::Value(v)) => match v.value {
            Value::SingleQuotedString(s) => Some(text::literal(&s)),
            Value::Number(n, _) => Some(n),
            Value::Boolean(b) => Some(if b { "TRUE" } else { "FALSE" }.into()),
            Value::Null => return "NULL".into(),
            _ => None,
        },
        Some(Expr::UnaryOp {
            op: op @ (UnaryOperator::Minus | UnaryOperator::Plus),
            expr,
        }) => match *expr {
            Expr::Value(ref v) if matches!(v.value, Value::Number(..)) => {
                Some(format!("{op}{}", v.value))
            }
            _ => None,
        },
        _ => None,
    };
    match literal {
        Some(l) if types::large_object(&column.ty).is_some() => format!("({l})"),
        Some(l) => l,
        None if super::normal::default(column)
            .is_some_and(|n| n.starts_with("CURRENT_TIMESTAMP(")) =>
        {
            match types::fraction_digits(&column.ty) {
                0 => "CURRENT_TIMESTAMP".into(),
                n => format!("CURRENT_TIMESTAMP({n})"),
            }
        }
        None => format!("({})", text::to_mysql(strip_parentheses(default))),
    }
}

fn strip_parentheses(text: &str) -> &str {
    let mut t = text.trim();
    while t.starts_with('(')
        && t.ends_with(')')
        && expr::parse(&GenericDialect {}, &t[1..t.len() - 1]).is_some()
    {
        t = t[1..t.len() - 1].trim();
    }
    t
}

/// `CONSTRAINT ... FOREIGN KEY (...) REFERENCES ... ON DELETE ... ON UPDATE ...`, both actions
/// always written: MariaDB reads an unwritten action back as `RESTRICT`, a written `NO ACTION`
/// as `NO ACTION`.
pub(crate) fn foreign_key_clause(fk: &ForeignKey, syntax: Syntax) -> String {
    format!(
        "CONSTRAINT {} FOREIGN KEY{} ({}) REFERENCES {} ({}) ON DELETE {} ON UPDATE {}",
        Q.ident(&fk.name),
        syntax.if_not_exists(),
        Q.list(&fk.columns),
        Q.ident(&fk.ref_table),
        Q.list(&fk.ref_columns),
        fk.on_delete.sql(),
        fk.on_update.sql()
    )
}

/// The index part of `CREATE TABLE`/`ALTER TABLE ADD`: `[UNIQUE|FULLTEXT|SPATIAL] INDEX name
/// (parts) [USING HASH]`.
pub(crate) fn index_clause(index: &Index, syntax: Syntax) -> String {
    let method = index.method.as_deref().map(str::to_ascii_lowercase);
    let kind = match method.as_deref() {
        Some("fulltext") => "FULLTEXT ",
        Some("spatial") => "SPATIAL ",
        _ if index.unique => "UNIQUE ",
        _ => "",
    };
    let parts: Vec<String> = index.columns.iter().map(key_part).collect();
    let mut out = format!(
        "{kind}INDEX{} {} ({})",
        syntax.if_not_exists(),
        Q.ident(&index.name),
        parts.join(", ")
    );
    if let Some(m @ ("hash" | "btree")) = method.as_deref() {
        out.push_str(&format!(" USING {}", m.to_ascii_uppercase()));
    }
    if let Some(comment) = &index.comment {
        out.push_str(&format!(" COMMENT {}", text::literal(comment)));
    }
    out
}

/// A key part: the column with its prefix length, or the expression in parentheses (MySQL
/// 8's functional key parts), and `DESC`.
fn key_part(part: &KeyPart) -> String {
    let mut out = match (&part.column, &part.expr) {
        (Some(c), _) => Q.ident(c),
        (None, Some(e)) => format!("({})", text::to_mysql(e)),
        (None, None) => String::new(),
    };
    if let Some(n) = part.length {
        out.push_str(&format!("({n})"));
    }
    if part.desc {
        out.push_str(" DESC");
    }
    out
}

/// `CREATE TABLE` with every column, key, index and check, plus the indexes keeping its
/// foreign keys usable (`fk_indexes`). InnoDB would create those itself, but it also drops its
/// own silently when another index covers the key; ours stay until we drop them.
pub(crate) fn create_table(table: &Table, fk_indexes: &[Index], syntax: Syntax) -> String {
    let mut lines: Vec<String> = table.columns.iter().map(|c| column_def(c, &[])).collect();
    if let Some(pk) = &table.primary_key {
        lines.push(format!(
            "CONSTRAINT {} PRIMARY KEY ({})",
            Q.ident(&pk.name),
            Q.list(&pk.columns)
        ));
    }
    for u in &table.uniques {
        lines.push(format!(
            "CONSTRAINT {} UNIQUE ({})",
            Q.ident(&u.name),
            Q.list(&u.columns)
        ));
    }
    let no_if = Syntax::Portable;
    lines.extend(
        table
            .indexes
            .iter()
            .chain(fk_indexes)
            .map(|i| index_clause(i, no_if)),
    );
    lines.extend(
        table
            .foreign_keys
            .iter()
            .map(|k| foreign_key_clause(k, no_if)),
    );
    for c in &table.checks {
        lines.push(format!(
            "CONSTRAINT {} CHECK ({})",
            Q.ident(&c.name),
            text::to_mysql(&c.expr)
        ));
    }
    let mut out = format!(
        "CREATE TABLE{} {} (\n    {}\n) {}",
        syntax.if_not_exists(),
        Q.ident(&table.name),
        lines.join(",\n    "),
        table_options(&table.options, false).join(" ")
    );
    if let Some(comment) = &table.comment {
        out.push_str(" COMMENT=");
        out.push_str(&text::literal(comment));
    }
    // The partitioning ends the statement, after every other table option.
    if let Some(by) = table.options.get("partition_by") {
        out.push_str(" PARTITION BY ");
        out.push_str(by);
    }
    out
}

/// Why MySQL refuses `SET DEFAULT`, if the key asks for it.
pub(crate) fn action_problem(fk: &ForeignKey) -> Option<String> {
    (fk.on_delete == Action::SetDefault || fk.on_update == Action::SetDefault).then(|| {
        format!(
            "foreign key '{}': InnoDB has no SET DEFAULT action (MariaDB silently reads it as RESTRICT); use NO ACTION, RESTRICT, CASCADE or SET NULL",
            fk.name
        )
    })
}
