//! Turning operations into SQLite statements, with the table rebuild.
//!
//! SQLite's `ALTER TABLE` can add a plain column and rename things; every other change (drop
//! or alter a column, add or drop a constraint) rebuilds the table as SQLite documents
//! (<https://www.sqlite.org/lang_altertable.html#otheralter>): create the new table under a
//! temporary name, copy the rows, drop the old table, rename the new one, recreate indexes and
//! triggers. Here the old table moves aside first and the new one is created under the
//! table's name, so that no error, whatever a client does after it, drops rows that were not
//! copied (see [`rebuild`]). The runner keeps `foreign_keys` off around the revision and runs
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
use crate::schema::{ObjectKind, Schema, Table};

const Q: Quote = Quote::Double;

/// Prefix of the name a rebuilt table's old definition takes while its rows are copied.
pub(crate) const OLD_PREFIX: &str = "_outflow_old_";

#[derive(Debug)]
struct Pending {
    original: Table,
    /// New column name -> the column of the original table it is copied from.
    sources: BTreeMap<String, String>,
    /// New column name -> the expression that fills it where the copy gives NULL (a backfill
    /// before NOT NULL).
    fills: BTreeMap<String, String>,
}

/// Plans one revision's statements (see the module documentation).
#[derive(Debug, Default)]
pub struct Planner {
    known: Schema,
    extras: BTreeMap<String, TableExtras>,
    pending: BTreeMap<String, Pending>,
    touched: Vec<String>,
    /// Whether each copy records a check for a script's guard (see [`rebuild`]).
    copy_facts: bool,
    /// Rebuilds written so far.
    rebuilds: usize,
}

impl Planner {
    /// A planner that knows no table yet.
    pub fn new() -> Planner {
        Planner::default()
    }

    /// A planner for a script a client may run past an error: each copy of a rebuild also
    /// records whether it was whole, for the check before the step commits.
    pub(crate) fn for_script() -> Planner {
        Planner {
            copy_facts: true,
            ..Planner::default()
        }
    }

    /// How many rebuilds were written (each recorded one check in a script).
    pub(crate) fn rebuilds(&self) -> usize {
        self.rebuilds
    }

    /// The table whose current definition must be [provided](Planner::provide) before `op`
    /// can be planned, if any.
    pub fn needs(&self, op: &Operation) -> Option<String> {
        let table = op.table()?;
        let needs_known = needs_rebuild(op) || matches!(op, Operation::RenameIndex { .. });
        (needs_known && !self.known.contains(table)).then(|| table.to_string())
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
        if let Operation::RunRust(_) = op {
            // The rows it reads must be the ones the statements before it leave.
            let out = self.finish()?;
            self.known = Schema::new();
            return Ok(out);
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
        if op.object().is_some() {
            return self.push_object(op);
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
            self.pending.insert(
                table.clone(),
                Pending {
                    original,
                    sources,
                    fills: BTreeMap::new(),
                },
            );
            return self.push_to_pending(&table, op);
        }
        if let Operation::CreateTable(t) = op {
            check_numbered(t)?;
        }
        check_indexes(op)?;
        if let Operation::RenameIndex { table, from, to } = op {
            return self.rename_index(op, table, from, to);
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

    /// A view or trigger: what it reads must be written first (a view is checked against its
    /// tables when it is created), and a rebuild makes again the triggers its table has then.
    fn push_object(&mut self, op: &Operation) -> Result<Vec<String>, PlanError> {
        let mut out = match op {
            Operation::CreateObject(_) | Operation::ReplaceObject { .. } => self.finish()?,
            _ => Vec::new(),
        };
        out.extend(super::objects::statements(op)?);
        let Some((ObjectKind::Trigger, Some(table), name)) = op.object() else {
            return Ok(out);
        };
        if let Some(extras) = self.extras.get_mut(table) {
            extras.triggers.retain(|t| t.name != name);
            if let Operation::CreateObject(o) | Operation::ReplaceObject { object: o, .. } = op {
                extras.triggers.push(o.clone());
            }
        }
        Ok(out)
    }

    /// SQLite renames no index: it is dropped and made again under the new name.
    fn rename_index(
        &mut self,
        op: &Operation,
        table: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<String>, PlanError> {
        let found = self
            .known
            .table(table)
            .and_then(|t| t.indexes.iter().find(|i| i.name == from))
            .cloned();
        self.apply_known(op)?;
        let Some(mut index) = found else {
            return Err(PlanError::Apply {
                operation: op.to_string(),
                source: crate::ops::ApplyError::NoSuchObject {
                    table: table.to_string(),
                    name: from.to_string(),
                },
            });
        };
        index.name = to.to_string();
        Ok(vec![
            format!("DROP INDEX {}", Q.ident(from)),
            render::create_index(table, &index),
        ])
    }

    /// Writes every pending rebuild.
    pub fn finish(&mut self) -> Result<Vec<String>, PlanError> {
        let mut out = Vec::new();
        for name in self.pending.keys().cloned().collect::<Vec<_>>() {
            out.extend(self.finish_one(&name)?);
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
                if let Some(fill) = pending.fills.remove(from) {
                    pending.fills.insert(to.clone(), fill);
                }
            }
            Operation::DropColumn { column, .. } => {
                pending.sources.remove(column);
                pending.fills.remove(column);
            }
            Operation::AlterColumn {
                column, changes, ..
            } => {
                if let Some(fill) = expr::backfill(changes) {
                    pending.fills.insert(column.clone(), fill.to_string());
                }
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
        if let Some(reason) = render::constraint_problem(target) {
            return Err(PlanError::Impossible {
                operation: format!("rebuild of table '{table}'"),
                reason,
            });
        }
        self.rebuilds += 1;
        rebuild(&pending, target, &extras, self.copy_facts)
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

/// Refuses an index or a constraint SQLite cannot make (a method, an operator class, a
/// deferred check...), naming it.
fn check_indexes(op: &Operation) -> Result<(), PlanError> {
    if let Operation::CreateTable(t) = op
        && let Some(reason) = render::constraint_problem(t).or_else(|| render::options_problem(t))
    {
        return Err(PlanError::Impossible {
            operation: op.to_string(),
            reason,
        });
    }
    let indexes: Vec<&crate::schema::Index> = match op {
        Operation::CreateTable(t) => t.indexes.iter().collect(),
        Operation::CreateIndex { index, .. } => vec![index],
        _ => Vec::new(),
    };
    match indexes.into_iter().find_map(render::index_problem) {
        Some(reason) => Err(PlanError::Impossible {
            operation: op.to_string(),
            reason,
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
            // SQLite adds a VIRTUAL generated column in place, a STORED one only to an empty
            // table.
            let stored = column.generated.as_ref().is_some_and(|g| g.stored);
            !constant_default
                || (!column.nullable && null_default && column.generated.is_none())
                || column.autoincrement
                || stored
        }
        Operation::AlterColumn { changes, .. } => {
            let mut without_comment = changes.clone();
            without_comment.comment = None;
            !without_comment.is_empty()
        }
        Operation::DropColumn { .. }
        | Operation::AddConstraint { .. }
        | Operation::DropConstraint { .. }
        | Operation::RenameConstraint { .. }
        | Operation::SetTableOptions { .. } => true,
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
        SetTableComment { .. } | SetIndexComment { .. } | AlterColumn { .. } => Vec::new(),
        DropColumn { .. }
        | AddConstraint { .. }
        | DropConstraint { .. }
        | RenameIndex { .. }
        | RenameConstraint { .. }
        | SetTableOptions { .. }
        | Execute { .. }
        | RunRust(_)
        | CreateEnum { .. }
        | DropEnum { .. }
        | AlterEnum { .. }
        | CreateObject(_)
        | DropObject { .. }
        | ReplaceObject { .. }
        | SetObjectComment { .. } => unreachable!("rebuilt or handled before"),
    }
}

/// The statements of one rebuild: the old table moves aside to `_outflow_old_<t>`, the new one
/// is created under the table's own name and filled from it, then the old one is dropped,
/// and the indexes and triggers are made again.
///
/// Moving the old table first, rather than filling a new table and renaming it over the old
/// one as SQLite's documentation does, means its rows are dropped under a name that exists
/// only inside the step's transaction: when an error rolls the transaction back (a full disk
/// during the copy) and a client goes on with the next statements outside it (`sqlite3`
/// without `-bail` does), `DROP TABLE "_outflow_old_t"` finds no such table, and the table
/// keeps its name and its rows. While the transaction stays open, the copy check a script
/// records ([`Planner::for_script`]) rolls the step back before it commits.
///
/// A rebuild that copies no column (every column replaced) still copies each row by its
/// `rowid`, so the rows stay with the new columns' defaults.
fn rebuild(
    pending: &Pending,
    target: &Table,
    extras: &TableExtras,
    copy_fact: bool,
) -> Result<Vec<String>, PlanError> {
    let name = Q.ident(&target.name);
    let old = Q.ident(&format!("{OLD_PREFIX}{}", target.name));
    let create = render::create_table_named(target, &target.name);
    let (mut into, mut from): (Vec<String>, Vec<String>) = target
        .columns
        .iter()
        // The database computes generated columns: nothing is copied into them.
        .filter(|c| c.generated.is_none())
        .filter_map(|c| {
            let source = pending
                .sources
                .get(&c.name)
                .filter(|src| pending.original.column_named(src).is_some());
            let value = match (source, pending.fills.get(&c.name)) {
                (Some(src), Some(fill)) => format!("coalesce({}, ({fill}))", Q.ident(src)),
                (Some(src), None) => Q.ident(src),
                (None, Some(fill)) => format!("({fill})"),
                (None, None) => return None,
            };
            Some((Q.ident(&c.name), value))
        })
        .unzip();
    if into.is_empty() {
        if target.options.contains_key("without_rowid") {
            return Err(PlanError::Impossible {
                operation: format!("rebuild of table '{}'", target.name),
                reason: "every column is replaced and a WITHOUT ROWID table has no rowid to carry its rows; keep one column, or copy the rows with op.execute".into(),
            });
        }
        (into, from) = (vec!["rowid".into()], vec!["rowid".into()]);
    }
    let mut out = vec![
        // Legacy renaming leaves the foreign keys of other tables, views and triggers naming
        // the table alone: they name the new table once it exists.
        "PRAGMA legacy_alter_table = ON".into(),
        format!("ALTER TABLE {name} RENAME TO {old}"),
        "PRAGMA legacy_alter_table = OFF".into(),
        create,
        format!(
            "INSERT INTO {name} ({}) SELECT {} FROM {old}",
            into.join(", "),
            from.join(", ")
        ),
    ];
    if copy_fact {
        out.push(super::script::fact(&format!(
            "(SELECT count(*) FROM {name}) = (SELECT count(*) FROM {old})"
        )));
    }
    out.push(format!("DROP TABLE {old}"));
    out.extend(target.indexes.iter().map(
        |i| match extras.index_sql.iter().find(|(was, _)| was == i) {
            Some((_, sql)) => sql.clone(),
            None => render::create_index(&target.name, i),
        },
    ));
    out.extend(extras.opaque_indexes.iter().cloned());
    out.extend(extras.triggers.iter().map(super::objects::definition));
    Ok(out)
}

#[cfg(test)]
mod tests;
