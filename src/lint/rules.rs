//! The rules: one function that looks at an operation in its context and says which rules it
//! breaks, with the message of each.

use std::collections::BTreeSet;

use super::{Rule, Severity};
use crate::ops::{Backfill, Constraint, DialectName, Operation};
use crate::schema::{Schema, Table};

use DialectName::{Mysql, Postgres};
use Severity::{Error, Warning};

const fn rule(
    id: &'static str,
    severity: Severity,
    dialect: Option<DialectName>,
    summary: &'static str,
) -> Rule {
    Rule {
        id,
        severity,
        dialect,
        summary,
    }
}

/// Every rule, errors first.
pub const RULES: &[Rule] = &[
    rule(
        "drop-table",
        Error,
        None,
        "a table that exists is dropped, with every row",
    ),
    rule(
        "drop-column",
        Error,
        None,
        "a column is dropped, with its values",
    ),
    rule(
        "narrowing-type",
        Error,
        None,
        "a column's type narrows: values may be cut or refused",
    ),
    rule(
        "not-null-without-backfill",
        Error,
        None,
        "a column becomes NOT NULL with nothing to give existing rows a value",
    ),
    rule(
        "backfill-to-write",
        Error,
        None,
        "a backfill is still to write: the revision cannot run",
    ),
    rule(
        "enum-value-removed",
        Error,
        None,
        "an enum type loses labels that rows may hold",
    ),
    rule(
        "type-rewrite",
        Warning,
        None,
        "a column's type changes: the table is rewritten (PostgreSQL, MySQL) or rebuilt (SQLite)",
    ),
    rule(
        "unique-on-existing-data",
        Warning,
        None,
        "a unique key or primary key is added to a table that may hold duplicates",
    ),
    rule(
        "check-on-existing-data",
        Warning,
        None,
        "a check is added to a table whose rows may break it",
    ),
    rule(
        "foreign-key-without-index",
        Warning,
        None,
        "a foreign key's columns start no index: deletes of the parent scan this table",
    ),
    rule(
        "rename-table",
        Warning,
        None,
        "a table is renamed: code that reads the old name breaks",
    ),
    rule(
        "rename-column",
        Warning,
        None,
        "a column is renamed: code that reads the old name breaks",
    ),
    rule(
        "index-without-concurrently",
        Warning,
        Some(Postgres),
        "an index is built on a table that exists, blocking its writes",
    ),
    rule(
        "drop-index-without-concurrently",
        Warning,
        Some(Postgres),
        "an index is dropped under an exclusive lock",
    ),
    rule(
        "constraint-without-not-valid",
        Warning,
        Some(Postgres),
        "a foreign key or check is validated on every row under a lock",
    ),
    rule(
        "ddl-with-data-changes",
        Warning,
        Some(Mysql),
        "DDL and data changes in one revision: MySQL commits the DDL by itself, so a failure leaves data changed",
    ),
];

fn find(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.id == id)
        .expect("every rule checked is listed")
}

/// Where an operation stands: the schema before it, the tables the revision created before it.
pub(super) struct Context<'a> {
    pub state: &'a Schema,
    pub created: &'a BTreeSet<String>,
    pub ops: &'a [Operation],
    pub index: usize,
}

impl Context<'_> {
    /// Whether `table` existed before the revision (and so may hold rows).
    fn existing(&self, table: &str) -> bool {
        self.state.contains(table) && !self.created.contains(table)
    }

    /// The table as it is once the whole revision ran.
    fn at_end(&self, table: &str) -> Option<Table> {
        let mut schema = self.state.clone();
        for op in &self.ops[self.index..] {
            let _ = op.apply(&mut schema);
        }
        schema.table(table).cloned()
    }
}

type Found = Vec<(&'static Rule, String)>;

/// The rules `op` breaks, with their messages.
pub(super) fn check(op: &Operation, cx: &Context<'_>) -> Found {
    let mut out = Found::new();
    let mut say = |id: &str, message: String| out.push((find(id), message));
    match op {
        Operation::DropTable { table, .. } if cx.existing(table) => say(
            "drop-table",
            format!("drops table '{table}' and every row in it; keep a backup, or rename it and drop it in a later release"),
        ),
        Operation::DropColumn { table, column, .. } => say(
            "drop-column",
            format!("drops column '{table}.{column}' and its values; stop reading and writing it first (deploy that), then drop it"),
        ),
        Operation::AlterColumn { .. } => alter_column(op, cx, &mut say),
        Operation::AddColumn { table, column }
            if cx.existing(table)
                && !column.nullable
                && column.default.is_none()
                && !column.autoincrement =>
        {
            say(
                "not-null-without-backfill",
                format!("adds NOT NULL column '{table}.{}' without a default: it fails on a table with rows; add it nullable, backfill it, then make it NOT NULL (what `db make_migrations` generates)", column.name),
            )
        }
        Operation::AlterEnum {
            name,
            values,
            previous: Some(old),
        } => {
            let gone: Vec<&String> = old.iter().filter(|v| !values.contains(v)).collect();
            if !gone.is_empty() {
                say(
                    "enum-value-removed",
                    format!("enum type '{name}' loses {}: rows holding them are refused or lose their value; move them to another label first (op.execute)", quoted(&gone)),
                );
            }
        }
        Operation::AddConstraint { table, constraint } => {
            constraint_rules(table, constraint, cx, &mut say)
        }
        Operation::CreateIndex { table, index } if cx.existing(table) => {
            if index.unique {
                say(
                    "unique-on-existing-data",
                    format!("unique index '{}' on '{table}' fails if rows already repeat ({}); check with a SELECT ... GROUP BY ... HAVING count(*) > 1 first", index.name, index.describe_key()),
                );
            }
            say(
                "index-without-concurrently",
                format!("index '{}' is built under a lock that blocks writes to '{table}'; on a large table build it with op.execute_on(DialectName::Postgres, \"CREATE INDEX CONCURRENTLY ...\") in a revision of its own", index.name),
            );
        }
        Operation::DropIndex { table, name, .. } if cx.existing(table) => say(
            "drop-index-without-concurrently",
            format!("index '{name}' is dropped under an exclusive lock on '{table}'; on a busy table use op.execute_on(DialectName::Postgres, \"DROP INDEX CONCURRENTLY ...\")"),
        ),
        Operation::CreateTable(t) => {
            for fk in &t.foreign_keys {
                if !covered(t, &fk.columns) {
                    say("foreign-key-without-index", without_index(&t.name, &fk.name));
                }
            }
        }
        Operation::RenameTable { from, to } if cx.existing(from) => say(
            "rename-table",
            format!("renames table '{from}' to '{to}': code that reads '{from}' fails from this revision on; deploy the code that reads '{to}' with it"),
        ),
        Operation::RenameColumn { table, from, to } if cx.existing(table) => say(
            "rename-column",
            format!("renames column '{table}.{from}' to '{to}': code that reads '{from}' fails from this revision on; deploy the code that reads '{to}' with it"),
        ),
        Operation::Execute { dialect, .. }
            if dialect.is_none_or(|d| d == Mysql)
                && cx.index == first_data_change(cx.ops)
                && cx.ops.iter().any(is_ddl) =>
        {
            say(
                "ddl-with-data-changes",
                "this revision mixes DDL and raw SQL: MySQL commits each DDL statement by itself, so a failure half-way leaves the data changed and the schema half changed; put data changes in a revision of their own".into(),
            )
        }
        Operation::RunRust(step)
            if cx.index == first_data_change(cx.ops) && cx.ops.iter().any(is_ddl) =>
        {
            say(
                "ddl-with-data-changes",
                format!("this revision mixes DDL and the Rust data step '{}': MySQL commits each DDL statement by itself, so a failure half-way leaves the data changed and the schema half changed; put data changes in a revision of their own", step.name),
            )
        }
        _ => {}
    }
    out
}

fn alter_column(op: &Operation, cx: &Context<'_>, say: &mut impl FnMut(&str, String)) {
    let Operation::AlterColumn {
        table,
        column,
        changes,
        previous,
    } = op
    else {
        return;
    };
    if !cx.existing(table) {
        return;
    }
    if let Some(to) = &changes.ty {
        let from = previous
            .as_ref()
            .and_then(|p| p.ty.clone())
            .or_else(|| Some(cx.state.table(table)?.column_named(column)?.ty.clone()));
        match from {
            Some(from) if !from.narrows_to(to) => say(
                "type-rewrite",
                format!(
                    "changes the type of '{table}.{column}' from {from} to {to}: the table is rewritten under a lock that blocks it (PostgreSQL, MySQL) or rebuilt (SQLite), as long as it takes to copy"
                ),
            ),
            _ => say(
                "narrowing-type",
                format!(
                    "changes the type of '{table}.{column}' to {to}, which can cut or refuse values; check the values fit first"
                ),
            ),
        }
    }
    if changes.nullable == Some(false) {
        match &changes.backfill {
            None => say(
                "not-null-without-backfill",
                format!(
                    "makes '{table}.{column}' NOT NULL: it fails if a row holds NULL; give it a backfill (`.backfill(\"<SQL expression>\")`)"
                ),
            ),
            Some(Backfill::ToWrite) => say(
                "backfill-to-write",
                format!(
                    "the backfill of '{table}.{column}' is still to write: replace `.backfill_to_write()` with `.backfill(\"<SQL expression>\")` giving existing rows their value"
                ),
            ),
            Some(Backfill::Expr(_)) => {}
        }
    }
}

fn constraint_rules(
    table: &str,
    constraint: &Constraint,
    cx: &Context<'_>,
    say: &mut impl FnMut(&str, String),
) {
    let existing = cx.existing(table);
    match constraint {
        Constraint::PrimaryKey(k) if existing => say(
            "unique-on-existing-data",
            format!(
                "primary key '{}' on '{table}' fails if rows repeat or hold NULL in ({}); check first",
                k.name,
                k.columns.join(", ")
            ),
        ),
        Constraint::Unique(u) if existing => say(
            "unique-on-existing-data",
            format!(
                "unique constraint '{}' on '{table}' fails if rows already repeat ({}); check with a SELECT ... GROUP BY ... HAVING count(*) > 1 first",
                u.name,
                u.columns.join(", ")
            ),
        ),
        Constraint::Check(c) if existing => {
            say(
                "check-on-existing-data",
                format!(
                    "check '{}' on '{table}' fails if a row breaks it ({}); check the rows first",
                    c.name, c.expr
                ),
            );
            say("constraint-without-not-valid", not_valid(table, &c.name));
        }
        Constraint::ForeignKey(fk) => {
            let covered_at_end = cx.at_end(table).is_some_and(|t| covered(&t, &fk.columns));
            if !covered_at_end {
                say("foreign-key-without-index", without_index(table, &fk.name));
            }
            if existing {
                say("constraint-without-not-valid", not_valid(table, &fk.name));
            }
        }
        _ => {}
    }
}

fn not_valid(table: &str, name: &str) -> String {
    format!(
        "'{name}' is checked on every row of '{table}' under a lock that blocks writes; on a large table add it NOT VALID, then VALIDATE CONSTRAINT in a later revision (op.execute_on)"
    )
}

fn without_index(table: &str, name: &str) -> String {
    format!(
        "foreign key '{name}' of '{table}': no index starts with its columns, so deleting or updating a parent row scans '{table}'; add an index on them"
    )
}

/// Whether an index, unique constraint or primary key of `t` starts with `columns`.
fn covered(t: &Table, columns: &[String]) -> bool {
    let starts = |key: &[String]| key.len() >= columns.len() && key[..columns.len()] == *columns;
    t.primary_key.iter().any(|k| starts(&k.columns))
        || t.uniques.iter().any(|u| starts(&u.columns))
        || t.indexes.iter().any(|i| starts(&i.key_columns()))
}

fn is_data_change(op: &Operation) -> bool {
    matches!(op, Operation::Execute { .. } | Operation::RunRust(_))
}

fn is_ddl(op: &Operation) -> bool {
    !is_data_change(op)
}

fn first_data_change(ops: &[Operation]) -> usize {
    ops.iter().position(is_data_change).unwrap_or(usize::MAX)
}

fn quoted(values: &[&String]) -> String {
    let labels: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
    labels.join(", ")
}
