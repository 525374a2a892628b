//! Turning a revision's operations into PostgreSQL statements.
//!
//! Most operations map to statements on their own. A few need the schema as it is when they
//! run: a column change (its current default, type and `serial` sequence), an enum's labels
//! (its current labels and every column of the type). The planner keeps what it knows in
//! [`Known`], replays each operation on it, and asks for it again when [`Planner::needs`] says
//! so: the runner provides the live schema (read inside the migration's transaction), offline
//! rendering the schema before the revision.
//!
//! Some statements cannot run in a transaction block, or must be committed before what follows
//! can use them: `ALTER TYPE ... ADD VALUE`, `CREATE/DROP INDEX CONCURRENTLY`, `REINDEX ...
//! CONCURRENTLY`, `VACUUM`, ... [`Planner::early`] takes them out, to run first, each on its
//! own; everything else runs in one transaction.

use std::collections::{BTreeMap, BTreeSet};

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use super::introspect::{Introspected, TableExtras};
use super::render::{Current, Ddl};
use crate::dialect::sql::{Quote, literal};
use crate::dialect::{PlanError, expr};
use crate::ops::{Constraint, DialectName, Operation};
use crate::schema::{Check, Column, Schema, Table, Type, naming};

const Q: Quote = Quote::Double;

/// What the planner knows of the schema.
#[derive(Debug, Clone, Default)]
pub(crate) struct Known {
    pub schema: Schema,
    pub enums: BTreeMap<String, Vec<String>>,
    pub extras: BTreeMap<String, TableExtras>,
}

impl Known {
    /// From a model schema (offline): enum types are those its columns use.
    pub fn from_schema(schema: &Schema) -> Known {
        let mut enums = BTreeMap::new();
        for column in schema.tables().flat_map(|t| &t.columns) {
            if let Type::Enum { name, values } = &column.ty {
                enums.entry(name.clone()).or_insert_with(|| values.clone());
            }
        }
        Known {
            schema: schema.clone(),
            enums,
            extras: BTreeMap::new(),
        }
    }

    /// From a live database.
    pub fn from_introspected(found: Introspected) -> Known {
        Known {
            schema: found.schema,
            enums: found.enums,
            extras: found.extras,
        }
    }
}

/// Plans one revision's statements (see the module documentation).
#[derive(Debug)]
pub(crate) struct Planner<'a> {
    ddl: Ddl<'a>,
    known: Option<Known>,
    /// Enum types whose new labels [`Planner::early`] added.
    labelled: BTreeSet<String>,
    /// Whether [`Planner::early`] took the statements it runs out of raw SQL.
    early_done: bool,
    /// Live runs: raw SQL makes what we know stale. Offline: the replay is all there is.
    live: bool,
}

impl<'a> Planner<'a> {
    /// A planner for `schema`; `live` when statements run as they are planned.
    pub fn new(schema: &'a str, live: bool) -> Planner<'a> {
        Planner {
            ddl: Ddl { schema },
            known: None,
            labelled: BTreeSet::new(),
            early_done: false,
            live,
        }
    }

    /// Whether the current schema must be [provided](Planner::provide) before `op`.
    pub fn needs(&self, op: &Operation) -> bool {
        self.known.is_none()
            && match op {
                Operation::AlterColumn { .. } => true,
                Operation::AlterEnum { name, .. } => !self.labelled.contains(name),
                _ => false,
            }
    }

    /// Gives the schema as it is now.
    pub fn provide(&mut self, known: Known) {
        self.known = Some(known);
    }

    /// Forgets what is known (it changed behind the planner's back).
    pub fn forget(&mut self) {
        self.known = None;
    }

    /// The statements to run before the transaction, each on its own: new labels of enum
    /// types that exist before the revision (when labels are only added), and the statements
    /// of raw SQL that cannot run in a transaction. Needs the current schema when `ops` alter
    /// an enum type.
    pub fn early(&mut self, ops: &[Operation]) -> Vec<String> {
        self.early_done = true;
        let mut out = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            match op {
                Operation::AlterEnum {
                    name,
                    values,
                    previous,
                } if !ops[..i].iter().any(|o| touches_enum(o, name)) => {
                    // What the database has, when known: a type it does not have yet gets its
                    // labels in the transaction.
                    let old = match &self.known {
                        Some(k) => k.enums.get(name),
                        None => previous.as_ref(),
                    };
                    if let Some(added) = old.and_then(|old| self.added_labels(name, old, values)) {
                        out.extend(added);
                        self.labelled.insert(name.clone());
                        if let Some(k) = &mut self.known {
                            k.enums.insert(name.clone(), values.clone());
                        }
                    }
                }
                Operation::Execute { sql, dialect } if runs_here(*dialect) => {
                    out.extend(split(sql).0);
                }
                _ => {}
            }
        }
        out
    }

    /// `ALTER TYPE ... ADD VALUE IF NOT EXISTS ... BEFORE/AFTER ...` for each new label, when
    /// `new` only adds labels to `old` (same order); `None` otherwise.
    fn added_labels(&self, name: &str, old: &[String], new: &[String]) -> Option<Vec<String>> {
        let kept: Vec<&String> = new.iter().filter(|v| old.contains(v)).collect();
        if kept.len() != old.len() || kept.iter().zip(old).any(|(a, b)| *a != b) {
            return None;
        }
        let mut out = Vec::new();
        for (i, label) in new.iter().enumerate() {
            if old.contains(label) {
                continue;
            }
            let place = match i {
                0 => format!("BEFORE {}", literal(&old[0])),
                _ => format!("AFTER {}", literal(&new[i - 1])),
            };
            out.push(format!(
                "ALTER TYPE {} ADD VALUE IF NOT EXISTS {} {place}",
                self.ddl.name(name),
                literal(label)
            ));
        }
        Some(out)
    }

    /// The statements for `op`, to run in the transaction.
    pub fn push(&mut self, op: &Operation) -> Result<Vec<String>, PlanError> {
        let out = match op {
            Operation::RunRust(_) => {
                // The step may change rows only, but what it reads must be read again.
                if self.live {
                    self.known = None;
                }
                return Ok(Vec::new());
            }
            Operation::Execute { sql, dialect } => {
                if !runs_here(*dialect) {
                    return Ok(Vec::new());
                }
                if self.live {
                    self.known = None;
                }
                let sql = if self.early_done {
                    split(sql).1
                } else {
                    sql.clone()
                };
                return Ok(if sql.trim().is_empty() {
                    Vec::new()
                } else {
                    vec![sql]
                });
            }
            Operation::AlterColumn {
                table,
                column,
                changes,
                previous,
            } => {
                let known = self.known.as_ref();
                let current = Current {
                    column: known
                        .and_then(|k| k.schema.table(table))
                        .and_then(|t| t.column_named(column)),
                    serial: known
                        .and_then(|k| k.extras.get(table))
                        .and_then(|e| e.serial.get(column)),
                    previous_ty: previous.as_ref().and_then(|p| p.ty.as_ref()),
                };
                let mut out: Vec<String> = expr::backfill(changes)
                    .map(|expr| {
                        let c = Q.ident(column);
                        format!(
                            "UPDATE {} SET {c} = ({expr}) WHERE {c} IS NULL",
                            self.ddl.name(table)
                        )
                    })
                    .into_iter()
                    .collect();
                match (&changes.generated, current.column) {
                    // PostgreSQL cannot change how a column is computed, nor make a column
                    // computed: the column is made again (its values are computed anew).
                    (Some(Some(_)), Some(now)) => {
                        let mut next = now.clone();
                        changes.apply_to(&mut next);
                        out.push(format!(
                            "ALTER TABLE {} DROP COLUMN {}",
                            self.ddl.name(table),
                            Q.ident(column)
                        ));
                        out.push(format!(
                            "ALTER TABLE {} ADD COLUMN {}",
                            self.ddl.name(table),
                            self.ddl.column_def(table, &next)?
                        ));
                    }
                    _ => out.extend(self.ddl.alter_column(table, column, changes, &current)?),
                }
                out
            }
            Operation::AlterEnum {
                name,
                values,
                previous,
            } => self.alter_enum(name, values, previous.as_deref())?,
            other => self.direct(other)?,
        };
        self.remember(op)?;
        Ok(out)
    }

    /// Replays `op` on what is known. A live run forgets instead of failing: the server has
    /// the last word on what fits.
    fn remember(&mut self, op: &Operation) -> Result<(), PlanError> {
        let Some(known) = &mut self.known else {
            return Ok(());
        };
        match op {
            Operation::CreateEnum { name, values } => {
                known.enums.insert(name.clone(), values.clone());
            }
            Operation::DropEnum { name, .. } => {
                known.enums.remove(name);
            }
            Operation::AlterEnum { name, values, .. } => {
                known.enums.insert(name.clone(), values.clone());
            }
            Operation::RenameTable { from, to } => {
                if let Some(extras) = known.extras.remove(from) {
                    known.extras.insert(to.clone(), extras);
                }
            }
            Operation::RenameColumn { table, from, to } => {
                let serial = known.extras.get_mut(table).map(|e| &mut e.serial);
                if let Some(serial) = serial
                    && let Some(sequence) = serial.remove(from)
                {
                    serial.insert(to.clone(), sequence);
                }
            }
            // Whatever the column was, it is no serial any more, unless it now is one.
            Operation::AlterColumn {
                table,
                column,
                changes,
                ..
            } if changes.autoincrement.is_some() || changes.numbering.is_some() => {
                let becomes_serial = changes.numbering.as_ref().is_some_and(|n| {
                    n.as_ref()
                        .is_some_and(|n| n.kind == crate::schema::NumberingKind::Serial)
                });
                let e = known.extras.entry(table.clone()).or_default();
                e.serial.remove(column);
                if becomes_serial && changes.autoincrement != Some(false) {
                    let sequence = super::render::sequence_name(table, column);
                    e.serial
                        .insert(column.clone(), (self.ddl.schema.to_string(), sequence));
                }
            }
            _ => {}
        }
        match op.apply(&mut known.schema) {
            Ok(()) => Ok(()),
            Err(_) if self.live => {
                self.known = None;
                Ok(())
            }
            Err(source) => Err(PlanError::Apply {
                operation: op.to_string(),
                source,
            }),
        }
    }

    /// Operations whose statements do not depend on the current schema.
    fn direct(&self, op: &Operation) -> Result<Vec<String>, PlanError> {
        use Operation::*;
        let d = &self.ddl;
        Ok(match op {
            CreateTable(t) => d.create_table(t)?,
            DropTable { table, .. } => vec![format!("DROP TABLE {}", d.name(table))],
            RenameTable { from, to } => vec![format!(
                "ALTER TABLE {} RENAME TO {}",
                d.name(from),
                Q.ident(to)
            )],
            AddColumn { table, column } => {
                let mut out = vec![format!(
                    "ALTER TABLE {} ADD COLUMN {}",
                    d.name(table),
                    d.column_def(table, column)?
                )];
                out.extend(d.serial_options(table, column));
                if let Some(comment) = &column.comment {
                    out.push(d.column_comment(table, &column.name, Some(comment)));
                }
                out
            }
            DropColumn { table, column, .. } => vec![format!(
                "ALTER TABLE {} DROP COLUMN {}",
                d.name(table),
                Q.ident(column)
            )],
            RenameColumn { table, from, to } => vec![format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                d.name(table),
                Q.ident(from),
                Q.ident(to)
            )],
            CreateIndex { table, index } => d.create_index_statements(table, index),
            SetIndexComment { name, comment, .. } => {
                vec![d.index_comment(name, comment.as_deref())]
            }
            DropIndex { name, .. } => vec![format!("DROP INDEX {}", d.name(name))],
            RenameIndex { from, to, .. } => vec![format!(
                "ALTER INDEX {} RENAME TO {}",
                d.name(from),
                Q.ident(to)
            )],
            RenameConstraint { table, from, to } => vec![format!(
                "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
                d.name(table),
                Q.ident(from),
                Q.ident(to)
            )],
            AddConstraint { table, constraint } => {
                let mut out = vec![format!(
                    "ALTER TABLE {} ADD {}",
                    d.name(table),
                    d.constraint(table, constraint)?
                )];
                if let Some(comment) = &constraint.options().comment {
                    out.push(d.constraint_comment(table, constraint.name(), Some(comment)));
                }
                out
            }
            // Constraint names are real on PostgreSQL: the name is all a drop needs.
            DropConstraint { table, name, .. } => vec![format!(
                "ALTER TABLE {} DROP CONSTRAINT {}",
                d.name(table),
                Q.ident(name)
            )],
            SetTableOptions {
                table,
                options,
                previous,
            } => {
                let before = self
                    .known
                    .as_ref()
                    .and_then(|k| k.schema.table(table))
                    .map(|t| t.options.clone())
                    .or_else(|| previous.clone())
                    .unwrap_or_default();
                table_options(d, table, &before, options)?
            }
            SetTableComment { table, comment, .. } => {
                vec![d.table_comment(table, comment.as_deref())]
            }
            CreateEnum { name, values } => vec![d.create_enum(name, values)],
            DropEnum { name, .. } => vec![format!("DROP TYPE {}", d.name(name))],
            CreateObject(_)
            | DropObject { .. }
            | ReplaceObject { .. }
            | SetObjectComment { .. } => super::objects::statements(d, op)?,
            AlterColumn { .. } | AlterEnum { .. } | Execute { .. } | RunRust(_) => {
                unreachable!("planned by push")
            }
        })
    }

    /// New labels only: `ADD VALUE` (unless [`Planner::early`] did it). Labels removed or
    /// reordered: PostgreSQL cannot, so the type is recreated and its columns converted.
    fn alter_enum(
        &mut self,
        name: &str,
        values: &[String],
        previous: Option<&[String]>,
    ) -> Result<Vec<String>, PlanError> {
        if self.labelled.remove(name) {
            return Ok(Vec::new());
        }
        let known = self.known.as_ref().and_then(|k| k.enums.get(name));
        let Some(old) = known.map(Vec::as_slice).or(previous) else {
            return Err(PlanError::Impossible {
                operation: format!("alter enum type '{name}'"),
                reason: "the type does not exist; create it with op.create_enum(...) first".into(),
            });
        };
        if let Some(added) = self.added_labels(name, old, values) {
            return Ok(added);
        }
        self.recreate_enum(name, values)
    }

    /// Renames the type away, creates it with the new labels, converts every column of it,
    /// drops the old type.
    fn recreate_enum(&self, name: &str, values: &[String]) -> Result<Vec<String>, PlanError> {
        let d = &self.ddl;
        let old_name = naming::shorten(format!("_outflow_old_{name}"));
        let mut out = vec![
            format!(
                "ALTER TYPE {} RENAME TO {}",
                d.name(name),
                Q.ident(&old_name)
            ),
            d.create_enum(name, values),
        ];
        let schema = self.known.as_ref().map(|k| &k.schema);
        for table in schema.into_iter().flat_map(Schema::tables) {
            let columns: Vec<&Column> = table
                .columns
                .iter()
                .filter(|c| matches!(&c.ty, Type::Enum { name: n, .. } if n == name))
                .collect();
            if !columns.is_empty() {
                out.extend(self.convert_columns(table, &columns, name, values)?);
            }
        }
        out.push(format!("DROP TYPE {}", d.name(&old_name)));
        Ok(out)
    }

    /// Moves `columns` to the new type through text. Their defaults and the checks that name
    /// them are of the old type: they are dropped first and made again after.
    fn convert_columns(
        &self,
        table: &Table,
        columns: &[&Column],
        name: &str,
        values: &[String],
    ) -> Result<Vec<String>, PlanError> {
        let d = &self.ddl;
        let t = d.name(&table.name);
        let checks: Vec<&Check> = table
            .checks
            .iter()
            .filter(|c| columns.iter().any(|col| mentions(&c.expr, &col.name)))
            .collect();
        let mut out: Vec<String> = checks
            .iter()
            .map(|c| format!("ALTER TABLE {t} DROP CONSTRAINT {}", Q.ident(&c.name)))
            .collect();
        for column in columns {
            let alter = |action: &str| d.alter(&table.name, &column.name, action);
            let default = column.default.as_deref();
            if default.is_some() {
                out.push(alter("DROP DEFAULT"));
            }
            let ty = d.name(name);
            out.push(alter(&format!(
                "TYPE {ty} USING {}::text::{ty}",
                Q.ident(&column.name)
            )));
            // A default naming a removed label cannot be set again; the revision's next
            // operations set the column's new default.
            if let Some(text) = default.filter(|t| label_survives(t, values)) {
                let what = || format!("the default of column '{}'", column.name);
                let text = d.expr(&table.name, what, text)?;
                out.push(alter(&format!("SET DEFAULT {text}")));
            }
        }
        for c in checks {
            let clause = d.constraint(&table.name, &Constraint::Check(c.clone()))?;
            out.push(format!("ALTER TABLE {t} ADD {clause}"));
        }
        Ok(out)
    }
}

/// Whether expression `expr` names column `column` (a word of it, quoted or not).
fn mentions(expr: &str, column: &str) -> bool {
    super::text::token_slices(expr)
        .unwrap_or_default()
        .iter()
        .any(|(token, _)| match token {
            Token::Word(w) if w.quote_style.is_some() => w.value == column,
            Token::Word(w) => w.value.eq_ignore_ascii_case(column),
            _ => false,
        })
}

/// Whether a default that is a label (`'x'`, `'x'::type`) names one of `values`; other
/// defaults survive.
fn label_survives(default: &str, values: &[String]) -> bool {
    let column = crate::schema::column("c", Type::Text).default(default);
    match super::normal::default(&column) {
        Some(text) if text.starts_with('\'') && text.ends_with('\'') => {
            let label = text[1..text.len() - 1].replace("''", "'");
            values.contains(&label)
        }
        _ => super::text::is_single_expression(default),
    }
}

fn touches_enum(op: &Operation, name: &str) -> bool {
    matches!(op,
        Operation::CreateEnum { name: n, .. }
        | Operation::DropEnum { name: n, .. }
        | Operation::AlterEnum { name: n, .. } if n == name)
}

fn runs_here(dialect: Option<DialectName>) -> bool {
    dialect.is_none_or(|d| d == DialectName::Postgres)
}

/// Raw SQL as `(statements to run before the transaction, the rest)`. SQL without such a
/// statement is kept whole and as written (so function bodies and the like are never split).
pub(crate) fn split(sql: &str) -> (Vec<String>, String) {
    let statements = statements(sql);
    if !statements.iter().any(|s| outside_transaction(s)) {
        return (Vec::new(), sql.to_string());
    }
    let (early, rest): (Vec<String>, Vec<String>) =
        statements.into_iter().partition(|s| outside_transaction(s));
    (early, rest.join(";\n"))
}

/// The statements of raw SQL, split on top-level `;` (quotes, dollar quotes and comments
/// respected); the whole text when it does not tokenize.
fn statements(sql: &str) -> Vec<String> {
    let Some(tokens) = super::text::token_slices(sql) else {
        return vec![sql.to_string()];
    };
    let mut out = Vec::new();
    let mut current = String::new();
    for (token, text) in tokens {
        if token == Token::SemiColon {
            out.push(std::mem::take(&mut current));
        } else {
            current.push_str(text);
        }
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether PostgreSQL refuses `statement` in a transaction block, or needs it committed before
/// it can be used, judged by its leading keywords.
pub(crate) fn outside_transaction(statement: &str) -> bool {
    let words: Vec<String> = Tokenizer::new(&PostgreSqlDialect {}, statement)
        .tokenize()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| match t {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            Token::Word(_) => Some(String::new()),
            _ => None,
        })
        .collect();
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let has = |word: &str| w.contains(&word);
    match w.as_slice() {
        ["ALTER", "TYPE", ..] => w.windows(2).any(|p| p == ["ADD", "VALUE"]),
        ["CREATE", "INDEX", "CONCURRENTLY", ..]
        | ["CREATE", "UNIQUE", "INDEX", "CONCURRENTLY", ..]
        | ["DROP", "INDEX", "CONCURRENTLY", ..] => true,
        ["REINDEX", ..] => has("CONCURRENTLY") || has("SCHEMA") || has("DATABASE") || has("SYSTEM"),
        ["VACUUM", ..] | ["ALTER", "SYSTEM", ..] => true,
        ["CREATE" | "DROP", "DATABASE" | "TABLESPACE", ..] => true,
        _ => false,
    }
}

/// The statements that take a table from the options `before` to `after`: `SET LOGGED` or
/// `UNLOGGED`, storage parameters set and reset.
fn table_options(
    d: &Ddl<'_>,
    table: &str,
    before: &std::collections::BTreeMap<String, String>,
    after: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<String>, PlanError> {
    let mut out = Vec::new();
    let name = d.name(table);
    let mut lineage_of = crate::schema::table(table);
    lineage_of.options = after.clone();
    out.extend(super::render::lineage::changes(d, &lineage_of, before)?);
    if before.get("partition_by") != after.get("partition_by") {
        return Err(PlanError::Impossible {
            operation: format!("set options of table '{table}'"),
            reason: "PostgreSQL cannot partition a table that exists, nor change or remove its partitioning; create the new table and move the rows with op.execute".into(),
        });
    }
    match (
        before.contains_key("unlogged"),
        after.contains_key("unlogged"),
    ) {
        (false, true) => out.push(format!("ALTER TABLE {name} SET UNLOGGED")),
        (true, false) => out.push(format!("ALTER TABLE {name} SET LOGGED")),
        _ => {}
    }
    let gone: std::collections::BTreeMap<String, String> = before
        .iter()
        .filter(|(k, _)| {
            !after.contains_key(*k) && !super::render::lineage::KEYS.contains(&k.as_str())
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let reset: Vec<String> = d
        .parameters(table, &gone)?
        .into_iter()
        .filter_map(|p| p.split_once(" = ").map(|(k, _)| k.to_string()))
        .collect();
    if !reset.is_empty() {
        out.push(format!("ALTER TABLE {name} RESET ({})", reset.join(", ")));
    }
    let changed: std::collections::BTreeMap<String, String> = after
        .iter()
        .filter(|(k, v)| {
            before.get(*k) != Some(*v) && !super::render::lineage::KEYS.contains(&k.as_str())
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let set = d.parameters(table, &changed)?;
    if !set.is_empty() {
        out.push(format!("ALTER TABLE {name} SET ({})", set.join(", ")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
