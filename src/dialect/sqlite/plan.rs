//! Turning operations into SQLite statements, with the table rebuild.
//!
//! SQLite's `ALTER TABLE` can add a plain column and rename things; every other change (drop
//! or alter a column, add or drop a constraint) rebuilds the table as SQLite documents
//! (<https://www.sqlite.org/lang_altertable.html#otheralter>): create the new table under a
//! temporary name, copy the rows, drop the old table, rename the new one, recreate indexes and
//! triggers. The runner keeps `foreign_keys` off around the revision and runs
//! `PRAGMA foreign_key_check` before committing.
//!
//! All the changes a revision makes to one table are gathered into a single rebuild: a table
//! waits, "pending", until raw SQL or the end of the revision needs it written. The planner
//! keeps the definitions it knows in a cache; the caller fills it (from introspection or a
//! replayed schema) when [`Planner::needs`] asks.

use std::collections::BTreeMap;

use sqlparser::dialect::SQLiteDialect;

use super::introspect::TableExtras;
use super::render;
use crate::dialect::sql::Quote;
use crate::dialect::{PlanError, expr};
use crate::ops::{DialectName, Operation};
use crate::schema::{Schema, Table};

const Q: Quote = Quote::Double;

/// Prefix of the temporary table a rebuild creates.
pub(crate) const REBUILD_PREFIX: &str = "_outflow_new_";

#[derive(Debug)]
struct Pending {
    original: Table,
    /// New column name -> the column of the original table it is copied from.
    sources: BTreeMap<String, String>,
}

/// Plans one revision's statements (see the module documentation).
#[derive(Debug, Default)]
pub struct Planner {
    known: Schema,
    extras: BTreeMap<String, TableExtras>,
    pending: BTreeMap<String, Pending>,
    touched: Vec<String>,
}

impl Planner {
    /// A planner that knows no table yet.
    pub fn new() -> Planner {
        Planner::default()
    }

    /// The table whose current definition must be [provided](Planner::provide) before `op`
    /// can be planned, if any.
    pub fn needs(&self, op: &Operation) -> Option<String> {
        let table = op.table()?;
        (needs_rebuild(op) && !self.known.contains(table)).then(|| table.to_string())
    }

    /// Gives the current definition of a table (as the database has it now).
    pub fn provide(&mut self, table: Table, extras: TableExtras) {
        self.extras.insert(table.name.clone(), extras);
        self.known.insert(table);
    }

    /// Tables changed so far (for the foreign-key check).
    pub fn touched(&self) -> &[String] {
        &self.touched
    }

    /// The statements to run now for `op` (possibly none: a rebuild waits for the end).
    pub fn push(&mut self, op: &Operation) -> Result<Vec<String>, PlanError> {
        if let Some(table) = op.table()
            && !self.touched.iter().any(|t| t == table)
        {
            self.touched.push(table.to_string());
        }
        if let Operation::Execute { sql, dialect } = op {
            if dialect.is_some_and(|d| d != DialectName::Sqlite) {
                return Ok(Vec::new());
            }
            let mut out = self.finish()?;
            // Raw SQL can change anything: forget what we knew.
            self.known = Schema::new();
            out.push(sql.clone());
            return Ok(out);
        }
        if matches!(
            op,
            Operation::CreateEnum { .. } | Operation::DropEnum { .. } | Operation::AlterEnum { .. }
        ) {
            // SQLite keeps an enum's labels in its columns' checks; the columns' own
            // operations change them.
            return Ok(Vec::new());
        }
        let table = op
            .table()
            .expect("every other operation names a table")
            .to_string();
        if self.pending.contains_key(&table) {
            return self.push_to_pending(&table, op);
        }
        if needs_rebuild(op) {
            let original = self
                .known
                .table(&table)
                .cloned()
                .expect("needs() asked for it first");
            self.check_rebuildable(&table)?;
            let sources = original
                .columns
                .iter()
                .map(|c| (c.name.clone(), c.name.clone()))
                .collect();
            self.pending
                .insert(table.clone(), Pending { original, sources });
            return self.push_to_pending(&table, op);
        }
        if let Operation::CreateTable(t) = op {
            check_numbered(t)?;
        }
        let out = direct(op);
        if self.known.contains(&table) || matches!(op, Operation::CreateTable(_)) {
            self.apply_known(op)?;
        }
        if let Operation::RenameTable { from, to } = op
            && let Some(extras) = self.extras.remove(from)
        {
            self.extras.insert(to.clone(), extras);
        }
        Ok(out)
    }

    /// Writes every pending rebuild.
    pub fn finish(&mut self) -> Result<Vec<String>, PlanError> {
        let mut out = Vec::new();
        for (name, pending) in std::mem::take(&mut self.pending) {
            let target = self.known.table(&name).expect("pending tables are known");
            check_numbered(target)?;
            let extras = self.extras.get(&name).cloned().unwrap_or_default();
            out.extend(rebuild(&pending, target, &extras));
        }
        Ok(out)
    }

    fn check_rebuildable(&self, table: &str) -> Result<(), PlanError> {
        match self.extras.get(table).and_then(|e| e.unsupported.clone()) {
            Some(reason) => Err(PlanError::Unsupported {
                table: table.to_string(),
                reason,
            }),
            None => Ok(()),
        }
    }

    fn push_to_pending(&mut self, table: &str, op: &Operation) -> Result<Vec<String>, PlanError> {
        match op {
            Operation::DropTable { .. } => {
                self.pending.remove(table);
                self.apply_known(op)?;
                return Ok(direct(op));
            }
            Operation::RenameTable { .. } => {
                let mut out = self.finish_one(table)?;
                out.extend(direct(op));
                self.apply_known(op)?;
                return Ok(out);
            }
            _ => {}
        }
        self.apply_known(op)?;
        let pending = self.pending.get_mut(table).expect("checked by the caller");
        match op {
            Operation::RenameColumn { from, to, .. } => {
                if let Some(source) = pending.sources.remove(from) {
                    pending.sources.insert(to.clone(), source);
                }
            }
            Operation::DropColumn { column, .. } => {
                pending.sources.remove(column);
            }
            _ => {}
        }
        Ok(Vec::new())
    }

    fn finish_one(&mut self, table: &str) -> Result<Vec<String>, PlanError> {
        let Some(pending) = self.pending.remove(table) else {
            return Ok(Vec::new());
        };
        let target = self.known.table(table).expect("pending tables are known");
        check_numbered(target)?;
        let extras = self.extras.get(table).cloned().unwrap_or_default();
        Ok(rebuild(&pending, target, &extras))
    }

    fn apply_known(&mut self, op: &Operation) -> Result<(), PlanError> {
        op.apply(&mut self.known)
            .map_err(|source| PlanError::Apply {
                operation: op.to_string(),
                source,
            })
    }
}

/// SQLite numbers rows only through a column declared `INTEGER PRIMARY KEY AUTOINCREMENT`: an
/// autoincrement column must be the table's whole primary key.
fn check_numbered(table: &Table) -> Result<(), PlanError> {
    let key: &[String] = table.primary_key.as_ref().map_or(&[], |k| &k.columns);
    match table
        .columns
        .iter()
        .find(|c| c.autoincrement && key != std::slice::from_ref(&c.name))
    {
        Some(c) => Err(PlanError::Impossible {
            operation: format!("autoincrement column '{}.{}'", table.name, c.name),
            reason: "SQLite numbers only a column that is the whole primary key; make it the primary key or remove autoincrement".into(),
        }),
        None => Ok(()),
    }
}

/// Whether SQLite needs a rebuild for `op` (whatever the table holds).
fn needs_rebuild(op: &Operation) -> bool {
    match op {
        Operation::AddColumn { column, .. } => {
            let d = SQLiteDialect {};
            let constant_default = column
                .default
                .as_deref()
                .is_none_or(|x| expr::is_constant(&d, x));
            let null_default = column
                .default
                .as_deref()
                .is_none_or(|x| expr::normal(&d, x).eq_ignore_ascii_case("NULL"));
            !constant_default || (!column.nullable && null_default) || column.autoincrement
        }
        Operation::AlterColumn { changes, .. } => {
            let mut without_comment = changes.clone();
            without_comment.comment = None;
            !without_comment.is_empty()
        }
        Operation::DropColumn { .. }
        | Operation::AddConstraint { .. }
        | Operation::DropConstraint { .. } => true,
        _ => false,
    }
}

/// Statements for an operation SQLite can do in place.
fn direct(op: &Operation) -> Vec<String> {
    use Operation::*;
    match op {
        CreateTable(t) => render::create_table(t),
        DropTable { table, .. } => vec![format!("DROP TABLE {}", Q.ident(table))],
        RenameTable { from, to } => vec![format!(
            "ALTER TABLE {} RENAME TO {}",
            Q.ident(from),
            Q.ident(to)
        )],
        AddColumn { table, column } => {
            let owner = crate::schema::table(table.clone());
            vec![format!(
                "ALTER TABLE {} ADD COLUMN {}",
                Q.ident(table),
                render::column_def(&owner, column)
            )]
        }
        RenameColumn { table, from, to } => vec![format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            Q.ident(table),
            Q.ident(from),
            Q.ident(to)
        )],
        CreateIndex { table, index } => vec![render::create_index(table, index)],
        DropIndex { name, .. } => vec![format!("DROP INDEX {}", Q.ident(name))],
        // SQLite stores no comments; comment-only changes have nothing to run.
        SetTableComment { .. } | AlterColumn { .. } => Vec::new(),
        DropColumn { .. }
        | AddConstraint { .. }
        | DropConstraint { .. }
        | Execute { .. }
        | CreateEnum { .. }
        | DropEnum { .. }
        | AlterEnum { .. } => unreachable!("rebuilt or handled before"),
    }
}

fn rebuild(pending: &Pending, target: &Table, extras: &TableExtras) -> Vec<String> {
    let name = &target.name;
    let temp = format!("{REBUILD_PREFIX}{name}");
    let mut create = render::create_table_named(target, &temp);
    if !extras.options.is_empty() {
        create.push(' ');
        create.push_str(&extras.options);
    }
    let (into, from): (Vec<&String>, Vec<&String>) = target
        .columns
        .iter()
        .filter_map(|c| pending.sources.get(&c.name).map(|src| (&c.name, src)))
        .filter(|(_, src)| pending.original.column_named(src).is_some())
        .unzip();
    let mut out = vec![create];
    if !into.is_empty() {
        out.push(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            Q.ident(&temp),
            Q.list(&into),
            Q.list(&from),
            Q.ident(name)
        ));
    }
    out.push(format!("DROP TABLE {}", Q.ident(name)));
    // Legacy renaming leaves views and triggers that name the table alone (they name it again
    // once the rename is done) instead of failing on the moment it does not exist.
    out.push("PRAGMA legacy_alter_table = ON".into());
    out.push(format!(
        "ALTER TABLE {} RENAME TO {}",
        Q.ident(&temp),
        Q.ident(name)
    ));
    out.push("PRAGMA legacy_alter_table = OFF".into());
    out.extend(target.indexes.iter().map(|i| render::create_index(name, i)));
    out.extend(extras.opaque_indexes.iter().cloned());
    out.extend(extras.triggers.iter().cloned());
    out
}

#[cfg(test)]
mod tests;
