//! What only a table's `CREATE TABLE` text tells: constraint names, checks, AUTOINCREMENT.
//!
//! SQLite's pragmas report columns, keys, indexes and foreign keys but not the names of
//! constraints, the CHECK constraints or AUTOINCREMENT. Those are read from `sqlite_master.sql`
//! with sqlparser. sqlparser rejects a few type spellings SQLite accepts (`UNSIGNED BIG INT`)
//! and table-level `ON CONFLICT`; for those the text is simplified (types and conflict clauses
//! removed, as the pragmas already gave them) and parsed again.

use sqlparser::ast::{
    ColumnOption, CreateTable, Expr, Ident, IndexColumn, ObjectName, OrderBySort, Statement,
    TableConstraint,
};

use crate::schema::{Deferral, Index, KeyPart};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::Parser;

/// The facts read from a `CREATE TABLE` statement.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct TableDdl {
    /// Name given to the primary key, if any.
    pub primary_key_name: Option<String>,
    /// The column declared `AUTOINCREMENT`.
    pub autoincrement: Option<String>,
    /// Unique constraints: name (if given) and columns.
    pub uniques: Vec<(Option<String>, Vec<String>)>,
    /// Foreign keys as written.
    pub foreign_keys: Vec<DeclaredForeignKey>,
    /// Checks: name (if given) and the expression as sqlparser prints it.
    pub checks: Vec<(Option<String>, String)>,
    /// Generated columns: column, expression (as sqlparser prints it), whether stored.
    pub generated: Vec<(String, String, bool)>,
    /// Columns declared with a collation: column, collation.
    pub collations: Vec<(String, String)>,
}

/// A foreign key as the table's SQL declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeclaredForeignKey {
    /// The name, if given.
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub deferral: Option<Deferral>,
}

/// Reads `sql`; `None` when even the simplified text does not parse.
pub(crate) fn parse(sql: &str) -> Option<TableDdl> {
    let create = parse_create(sql).or_else(|| parse_create(&simplify(sql)?))?;
    let mut ddl = TableDdl::default();
    for column in &create.columns {
        for def in &column.options {
            let name = def.name.as_ref().map(ident);
            let col = vec![ident(&column.name)];
            match &def.option {
                ColumnOption::PrimaryKey(_) => ddl.primary_key_name = name,
                ColumnOption::Unique(_) => ddl.uniques.push((name, col)),
                ColumnOption::ForeignKey(fk) => ddl.foreign_keys.push(DeclaredForeignKey {
                    name,
                    columns: col,
                    ref_table: object_name(&fk.foreign_table),
                    deferral: deferral(fk.characteristics.as_ref()),
                }),
                ColumnOption::Check(check) => ddl.checks.push((name, check.expr.to_string())),
                ColumnOption::Generated {
                    generation_expr: Some(expr),
                    generation_expr_mode,
                    ..
                } => ddl.generated.push((
                    ident(&column.name),
                    expr.to_string(),
                    matches!(
                        generation_expr_mode,
                        Some(sqlparser::ast::GeneratedExpressionMode::Stored)
                    ),
                )),
                ColumnOption::Collation(collation) => ddl
                    .collations
                    .push((ident(&column.name), object_name(collation))),
                ColumnOption::DialectSpecific(tokens)
                    if tokens
                        .iter()
                        .any(|t| t.to_string().eq_ignore_ascii_case("AUTOINCREMENT")) =>
                {
                    ddl.autoincrement = Some(ident(&column.name));
                }
                _ => {}
            }
        }
    }
    for constraint in &create.constraints {
        match constraint {
            TableConstraint::PrimaryKey(pk) => ddl.primary_key_name = pk.name.as_ref().map(ident),
            TableConstraint::Unique(u) => ddl
                .uniques
                .push((u.name.as_ref().map(ident), index_columns(&u.columns))),
            TableConstraint::ForeignKey(fk) => ddl.foreign_keys.push(DeclaredForeignKey {
                name: fk.name.as_ref().map(ident),
                columns: fk.columns.iter().map(ident).collect(),
                ref_table: object_name(&fk.foreign_table),
                deferral: deferral(fk.characteristics.as_ref()),
            }),
            TableConstraint::Check(c) => ddl
                .checks
                .push((c.name.as_ref().map(ident), c.expr.to_string())),
            _ => {}
        }
    }
    Some(ddl)
}

/// Reads a `CREATE INDEX` statement as SQLite stores it: key parts (columns, expressions,
/// collations, order) and the predicate of a partial index; `None` when it does not parse.
pub(crate) fn parse_index(name: &str, sql: &str) -> Option<Index> {
    let statement = Parser::parse_sql(&SQLiteDialect {}, sql)
        .ok()?
        .into_iter()
        .next()?;
    let Statement::CreateIndex(create) = statement else {
        return None;
    };
    let mut ix = crate::schema::index(name, Vec::<KeyPart>::new());
    for column in &create.columns {
        let options = &column.column.options;
        let (expr, collation) = match &column.column.expr {
            Expr::Collate { expr, collation } => (expr.as_ref(), Some(object_name(collation))),
            other => (other, None),
        };
        let mut part = match expr {
            Expr::Identifier(id) => crate::schema::key_column(ident(id)),
            other => crate::schema::key_expr(other.to_string()),
        };
        part.collation = collation;
        part.desc = matches!(options.sort, Some(OrderBySort::Desc));
        ix.columns.push(part);
    }
    ix.unique = create.unique;
    ix.predicate = create.predicate.as_ref().map(ToString::to_string);
    Some(ix)
}

/// `DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]` as the model holds it.
fn deferral(c: Option<&sqlparser::ast::ConstraintCharacteristics>) -> Option<Deferral> {
    let c = c?;
    if c.deferrable != Some(true) {
        return None;
    }
    Some(match c.initially {
        Some(sqlparser::ast::DeferrableInitial::Deferred) => Deferral::InitiallyDeferred,
        _ => Deferral::InitiallyImmediate,
    })
}

fn parse_create(sql: &str) -> Option<CreateTable> {
    match Parser::parse_sql(&SQLiteDialect {}, sql)
        .ok()?
        .into_iter()
        .next()?
    {
        Statement::CreateTable(create) => Some(create),
        _ => None,
    }
}

fn ident(i: &Ident) -> String {
    i.value.clone()
}

fn object_name(name: &ObjectName) -> String {
    name.0
        .last()
        .and_then(|part| part.as_ident())
        .map(ident)
        .unwrap_or_else(|| name.to_string())
}

fn index_columns(columns: &[IndexColumn]) -> Vec<String> {
    columns
        .iter()
        .map(|c| match &c.column.expr {
            sqlparser::ast::Expr::Identifier(i) => ident(i),
            other => other.to_string(),
        })
        .collect()
}

/// Words that end a column's type in a column definition.
const AFTER_TYPE: &[&str] = &[
    "CONSTRAINT",
    "PRIMARY",
    "NOT",
    "NULL",
    "UNIQUE",
    "CHECK",
    "DEFAULT",
    "COLLATE",
    "REFERENCES",
    "GENERATED",
    "AS",
];

/// Rewrites `CREATE TABLE` text without column types and without table-level `ON CONFLICT`.
fn simplify(sql: &str) -> Option<String> {
    let open = sql.find('(')?;
    let close = sql.rfind(')')?;
    let parts = split_top_level(&sql[open + 1..close]);
    let simplified: Vec<String> = parts
        .iter()
        .map(|part| simplify_part(part.trim()))
        .collect();
    Some(format!(
        "{}({}){}",
        &sql[..open],
        simplified.join(", "),
        &sql[close + 1..]
    ))
}

fn simplify_part(part: &str) -> String {
    let words = words(part);
    let Some(first) = words.first() else {
        return part.to_string();
    };
    let upper = first.to_ascii_uppercase();
    if ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"].contains(&upper.as_str()) {
        return strip_on_conflict(&words).join(" ");
    }
    let rest = &words[1..];
    let after = rest
        .iter()
        .position(|w| AFTER_TYPE.contains(&w.to_ascii_uppercase().as_str()));
    let kept = after.map_or(&[][..], |i| &rest[i..]);
    std::iter::once(first.clone())
        .chain(strip_on_conflict(kept))
        .collect::<Vec<_>>()
        .join(" ")
}

fn strip_on_conflict(words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i].eq_ignore_ascii_case("ON")
            && words
                .get(i + 1)
                .is_some_and(|w| w.eq_ignore_ascii_case("CONFLICT"))
        {
            i += 3;
            continue;
        }
        out.push(words[i].clone());
        i += 1;
    }
    out
}

/// Splits on commas outside quotes and parentheses.
fn split_top_level(body: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in body.chars() {
        match (quote, c) {
            (Some(q), c) if c == q || (q == '[' && c == ']') => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`' | '[') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        parts.last_mut().expect("never empty").push(c);
    }
    parts
}

/// Whitespace-separated words, keeping quoted names and parenthesised groups whole.
fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q || (q == '[' && c == ']') => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`' | '[') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            (None, c) if c.is_whitespace() && depth == 0 => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_checks_and_autoincrement_are_read() {
        let sql = r#"CREATE TABLE "t" (
            "id" INTEGER NOT NULL CONSTRAINT "pk_t" PRIMARY KEY AUTOINCREMENT,
            "a" TEXT UNIQUE CHECK (a <> ''),
            "p" INTEGER CONSTRAINT fk_p REFERENCES "parent" ("id"),
            CONSTRAINT "uq_t_a_p" UNIQUE ("a", "p"),
            FOREIGN KEY ("a") REFERENCES other (x),
            CONSTRAINT "ck_t_id" CHECK (id>0)
        )"#;
        let ddl = parse(sql).unwrap();
        assert_eq!(ddl.primary_key_name.as_deref(), Some("pk_t"));
        assert_eq!(ddl.autoincrement.as_deref(), Some("id"));
        assert_eq!(
            ddl.uniques,
            [
                (None, vec!["a".into()]),
                (Some("uq_t_a_p".into()), vec!["a".into(), "p".into()])
            ]
        );
        let declared = |name: Option<&str>, column: &str, parent: &str| DeclaredForeignKey {
            name: name.map(str::to_string),
            columns: vec![column.to_string()],
            ref_table: parent.to_string(),
            deferral: None,
        };
        assert_eq!(
            ddl.foreign_keys,
            [
                declared(Some("fk_p"), "p", "parent"),
                declared(None, "a", "other")
            ]
        );
        assert_eq!(
            ddl.checks,
            [
                (None, "a <> ''".into()),
                (Some("ck_t_id".into()), "id > 0".into())
            ]
        );
    }

    #[test]
    fn spellings_sqlparser_rejects_go_through_the_simplified_text() {
        let sql = "CREATE TABLE t (a UNSIGNED BIG INT CHECK (a > 0), b VARYING CHARACTER(255) \
                   CONSTRAINT nn NOT NULL, c, UNIQUE (b) ON CONFLICT REPLACE, CONSTRAINT k CHECK (length(b) < 9))";
        let ddl = parse(sql).unwrap();
        assert_eq!(ddl.uniques, [(None, vec!["b".into()])]);
        assert_eq!(
            ddl.checks,
            [
                (None, "a > 0".into()),
                (Some("k".into()), "length(b) < 9".into())
            ]
        );
        assert_eq!(parse("CREATE VIEW v AS SELECT 1"), None);
    }
}
