//! Turning operations into MySQL statements, given the schema they apply to.
//!
//! The planner keeps the current definition of every table (introspected when running,
//! replayed from the revisions offline) and updates it operation by operation, because MySQL
//! needs it: `MODIFY` takes the column's *full* definition, a constraint is dropped by its kind
//! (`DROP PRIMARY KEY`, `DROP FOREIGN KEY`, `DROP INDEX`, `DROP CONSTRAINT`/`DROP CHECK`), and a
//! MariaDB column-level check goes only by re-defining its column.
//!
//! Two invariants are kept within the `ALTER TABLE` statement of the change that would break
//! them:
//! * a foreign key no model index covers (its columns first, in order) has an index named
//!   after it, created by us: InnoDB would make one itself, then drop it silently when another
//!   index covers the key, and a dropped key leaves it behind;
//! * an `AUTO_INCREMENT` column starts a key. A column switched on (or whose key is dropped)
//!   before its key exists gets `AUTO_INCREMENT` in the statement that creates the key; a new
//!   autoincrement column is added by that statement (so existing rows get numbers), or
//!   earlier without the flag when an operation needs it first.

use std::collections::BTreeMap;

use super::introspect::{Introspected, TableExtras};
use super::render::{self, Q, Syntax};
use super::{text, types};
use crate::dialect::PlanError;
use crate::ops::{ApplyError, Constraint, DialectName, Operation};
use crate::schema::{Column, Index, Schema, Table};
use keys::{check_column, check_key};
use waiting::position_after;

/// An autoincrement column waiting for its key: added later (`Some`, with its position), or
/// present without `AUTO_INCREMENT` (`None`).
type Waiting = Option<String>;

/// Plans one revision's statements (see the module documentation).
#[derive(Debug)]
pub(crate) struct Planner {
    syntax: Syntax,
    known: Schema,
    extras: BTreeMap<String, TableExtras>,
    waiting: BTreeMap<(String, String), Waiting>,
    /// `(table, foreign key)` dropped while a column changes type, added back later.
    suspended: Vec<(String, String)>,
}

impl Planner {
    /// A planner over a schema read from the server.
    pub(crate) fn new(syntax: Syntax, current: Introspected) -> Planner {
        Planner {
            syntax,
            known: current.schema,
            extras: current.extras,
            waiting: BTreeMap::new(),
            suspended: Vec::new(),
        }
    }

    /// A planner over a schema replayed from revisions, for offline SQL: the foreign-key
    /// indexes are the ones our statements create.
    pub(crate) fn offline(before: &Schema) -> Planner {
        let extras = before
            .tables()
            .map(|t| {
                let fk_indexes = keys::support_indexes(t);
                (
                    t.name.clone(),
                    TableExtras {
                        fk_indexes,
                        ..TableExtras::default()
                    },
                )
            })
            .collect();
        Planner {
            syntax: Syntax::Portable,
            known: before.clone(),
            extras,
            waiting: BTreeMap::new(),
            suspended: Vec::new(),
        }
    }

    /// The statements for `op` (none for enum operations, raw SQL of other dialects, and an
    /// autoincrement column waiting for its key).
    pub(crate) fn push(&mut self, op: &Operation) -> Result<Vec<String>, PlanError> {
        let out = match op {
            // The runner runs the step itself, once the statements before it ran.
            Operation::RunRust(_) => return Ok(self.restore_foreign_keys()),
            Operation::Execute { sql, dialect } => {
                if dialect.is_some_and(|d| d != DialectName::Mysql) {
                    return Ok(Vec::new());
                }
                let mut out = self.restore_foreign_keys();
                out.push(sql.clone());
                return Ok(out);
            }
            // MySQL keeps labels in the columns; their own AlterColumn changes them.
            Operation::CreateEnum { .. }
            | Operation::DropEnum { .. }
            | Operation::AlterEnum { .. } => Vec::new(),
            _ if op.object().is_some() => {
                let mut out = self.restore_foreign_keys();
                out.extend(super::objects::statements(op)?);
                return Ok(out);
            }
            Operation::CreateTable(t) => vec![self.create_table(t).map_err(|r| impossible(op, r))?],
            Operation::DropTable { table, .. } => {
                self.extras.remove(table);
                self.waiting.retain(|(t, _), _| t != table);
                self.move_suspended(table, None);
                vec![format!(
                    "DROP TABLE{} {}",
                    self.syntax.if_exists(),
                    Q.ident(table)
                )]
            }
            Operation::RenameTable { from, to } => vec![self.rename_table(from, to)],
            Operation::SetTableComment { table, comment, .. } => vec![format!(
                "ALTER TABLE {} COMMENT = {}",
                Q.ident(table),
                text::literal(comment.as_deref().unwrap_or(""))
            )],
            _ => return self.push_alter(op),
        };
        self.apply(op)?;
        Ok(out)
    }

    fn create_table(&mut self, t: &Table) -> Result<String, String> {
        keys::check_table(t)?;
        let fk_indexes = keys::support_indexes(t);
        let sql = render::create_table(t, &fk_indexes, self.syntax);
        let extras = TableExtras {
            fk_indexes,
            ..TableExtras::default()
        };
        self.extras.insert(t.name.clone(), extras);
        Ok(sql)
    }

    fn rename_table(&mut self, from: &str, to: &str) -> String {
        self.move_suspended(from, Some(to));
        if let Some(extras) = self.extras.remove(from) {
            self.extras.insert(to.to_string(), extras);
        }
        let moved: Vec<_> = self
            .waiting
            .keys()
            .filter(|(t, _)| t == from)
            .cloned()
            .collect();
        for key in moved {
            let w = self.waiting.remove(&key).expect("listed");
            self.waiting.insert((to.to_string(), key.1), w);
        }
        let s = self.syntax;
        format!(
            "RENAME TABLE{} {} TO {}",
            s.if_exists(),
            Q.ident(from),
            Q.ident(to)
        )
    }

    /// The statements that end a revision: the foreign keys set aside come back. Fails when
    /// an autoincrement column never got a key.
    pub(crate) fn finish(&mut self) -> Result<Vec<String>, PlanError> {
        match self.waiting.keys().next() {
            None => Ok(self.restore_foreign_keys()),
            Some((table, column)) => Err(PlanError::Impossible {
                operation: format!("autoincrement column '{table}.{column}'"),
                reason: "MySQL needs an AUTO_INCREMENT column to start a key; make it the table's primary key in the same revision".into(),
            }),
        }
    }

    /// Operations that become one `ALTER TABLE` statement (or none, or two when a waiting
    /// column must exist first).
    fn push_alter(&mut self, op: &Operation) -> Result<Vec<String>, PlanError> {
        let name = op
            .table()
            .expect("every ALTER operation names a table")
            .to_string();
        if let Operation::DropColumn { column, .. } = op
            && let Some(waiting) = self.waiting.remove(&(name.clone(), column.clone()))
            && waiting.is_some()
        {
            // Never added: nothing to drop.
            self.apply(op)?;
            return Ok(Vec::new());
        }
        let mut out = self.flush_waiting(op, &name)?;
        let before = self.table(op, &name)?.clone();
        out.extend(self.suspend_for_type_change(op, &before));
        if let Operation::AlterColumn {
            column, changes, ..
        } = op
            && let Some(fill) = crate::dialect::expr::backfill(changes)
        {
            let c = Q.ident(column);
            out.push(format!(
                "UPDATE {} SET {c} = ({}) WHERE {c} IS NULL",
                Q.ident(&name),
                text::to_mysql(fill)
            ));
        }
        if let Operation::AddColumn { column, .. } = op
            && column.autoincrement
        {
            // Added with the key that lets it be AUTO_INCREMENT (see the module documentation).
            keys::check_column(column).map_err(|r| impossible(op, r))?;
            let position = position_after(&before);
            self.apply(op)?;
            self.waiting
                .insert((name, column.name.clone()), Some(position));
            return Ok(out);
        }
        let mut clauses = self.clauses(op, &before)?;
        let partitioning = partitioning(op, &before);
        self.apply(op)?;
        let after = self.known.table(&name).cloned().unwrap_or(before);
        self.follow_up(op, &after, &mut clauses)?;
        if !clauses.is_empty() {
            out.push(format!(
                "ALTER TABLE {} {}",
                Q.ident(&name),
                clauses.join(", ")
            ));
        }
        out.extend(partitioning.map(|p| format!("ALTER TABLE {} {p}", Q.ident(&name))));
        Ok(out)
    }

    /// Statements setting aside the foreign keys of a column whose type `op` changes.
    fn suspend_for_type_change(&mut self, op: &Operation, before: &Table) -> Vec<String> {
        let Operation::AlterColumn {
            column, changes, ..
        } = op
        else {
            return Vec::new();
        };
        let changed = |ty: &crate::schema::Type| {
            before
                .column_named(column)
                .is_some_and(|c| types::normal(&c.ty) != types::normal(ty))
        };
        match &changes.ty {
            Some(ty) if changed(ty) => self.suspend_foreign_keys(&before.name, column),
            _ => Vec::new(),
        }
    }

    /// The clauses that keep the invariants once `op` made the table `after`: foreign-key
    /// indexes, waiting autoincrement columns.
    fn follow_up(
        &mut self,
        op: &Operation,
        after: &Table,
        clauses: &mut Vec<String>,
    ) -> Result<(), PlanError> {
        let fk_clauses = self.reconcile_fk_indexes(op, after)?;
        if matches!(
            op,
            Operation::AddConstraint {
                constraint: Constraint::ForeignKey(_),
                ..
            }
        ) {
            // The key's index first: with the key first, InnoDB would make its own.
            clauses.splice(0..0, fk_clauses);
        } else {
            clauses.extend(fk_clauses);
        }
        let (adds, modifies) = self.resolve_waiting(op, after);
        clauses.splice(0..0, adds);
        clauses.extend(modifies);
        Ok(())
    }

    fn table(&self, op: &Operation, name: &str) -> Result<&Table, PlanError> {
        self.known.table(name).ok_or_else(|| PlanError::Apply {
            operation: op.to_string(),
            source: ApplyError::NoSuchTable(name.to_string()),
        })
    }

    fn apply(&mut self, op: &Operation) -> Result<(), PlanError> {
        op.apply(&mut self.known)
            .map_err(|source| PlanError::Apply {
                operation: op.to_string(),
                source,
            })
    }

    /// The `ALTER TABLE` clauses of one operation on `table` (as it is before the operation).
    fn clauses(&mut self, op: &Operation, table: &Table) -> Result<Vec<String>, PlanError> {
        let s = self.syntax;
        Ok(match op {
            Operation::AddColumn { column, .. } => {
                check_column(column).map_err(|r| impossible(op, r))?;
                vec![format!(
                    "ADD COLUMN{} {}",
                    s.if_not_exists(),
                    render::column_def(column, &[])
                )]
            }
            Operation::DropColumn { column, .. } => self.drop_column(table, column),
            Operation::AlterColumn {
                column, changes, ..
            } => self.alter_column(op, table, column, changes)?,
            Operation::RenameColumn { from, to, .. } => {
                self.rename_column_extras(&table.name, from, to);
                vec![format!(
                    "RENAME COLUMN{} {} TO {}",
                    s.if_exists(),
                    Q.ident(from),
                    Q.ident(to)
                )]
            }
            Operation::CreateIndex { index, .. } => {
                keys::check_index(table, index).map_err(|r| impossible(op, r))?;
                vec![format!("ADD {}", render::index_clause(index, s))]
            }
            Operation::DropIndex { name, .. } => {
                vec![format!("DROP INDEX{} {}", s.if_exists(), Q.ident(name))]
            }
            Operation::AddConstraint { constraint, .. } => {
                vec![add_constraint(table, constraint, s).map_err(|r| impossible(op, r))?]
            }
            Operation::DropConstraint {
                name, definition, ..
            } => self.drop_constraint(op, table, name, definition.as_ref())?,
            Operation::SetTableOptions { options, .. } => {
                keys::check_table_options(options).map_err(|r| impossible(op, r))?;
                vec![render::table_options(options, true).join(", ")]
            }
            Operation::SetIndexComment { name, comment, .. } => {
                // MySQL changes an index's comment by making the index again.
                let Some(mut index) = table.indexes.iter().find(|i| &i.name == name).cloned()
                else {
                    return Err(impossible(
                        op,
                        format!("table '{}' has no index '{name}'", table.name),
                    ));
                };
                index.comment = comment.clone();
                vec![
                    format!("DROP INDEX {}", Q.ident(name)),
                    format!("ADD {}", render::index_clause(&index, s)),
                ]
            }
            Operation::RenameIndex { from, to, .. } => {
                vec![format!("RENAME INDEX {} TO {}", Q.ident(from), Q.ident(to))]
            }
            Operation::RenameConstraint { from, to, .. } => {
                self.rename_constraint(op, table, from, to)?
            }
            _ => unreachable!("handled in push"),
        })
    }

    fn alter_column(
        &mut self,
        op: &Operation,
        table: &Table,
        column: &str,
        changes: &crate::ops::Alter,
    ) -> Result<Vec<String>, PlanError> {
        let mut new = find_column(table, column, op)?.clone();
        changes.apply_to(&mut new);
        check_column(&new).map_err(|r| impossible(op, r))?;
        if changes.generated.is_some() {
            // MariaDB turns a column neither into nor out of a generated one, nor between
            // VIRTUAL and STORED: the column is made again (its values are computed anew).
            let old = find_column(table, column, op)?;
            if old.generated.is_some() || new.generated.is_some() {
                return Ok(vec![
                    format!("DROP COLUMN {}", Q.ident(column)),
                    format!(
                        "ADD COLUMN {}{}",
                        render::column_def(&new, &[]),
                        position(table, column)
                    ),
                ]);
            }
        }
        let key = (table.name.clone(), column.to_string());
        match changes.autoincrement {
            Some(true) if !keys::starts_key(table, &self.fk_indexes(&table.name), column) => {
                self.waiting.insert(key, None);
            }
            Some(false) => {
                self.waiting.remove(&key);
            }
            _ => {}
        }
        Ok(vec![self.modify(table, &new, None)])
    }

    fn fk_indexes(&self, table: &str) -> Vec<Index> {
        self.extras
            .get(table)
            .map(|e| e.fk_indexes.clone())
            .unwrap_or_default()
    }

    /// `MODIFY COLUMN` with the full definition of `column` (as it will be), keeping what the
    /// model does not hold; `without_check` is a column-level check being dropped.
    fn modify(&self, table: &Table, column: &Column, without_check: Option<&str>) -> String {
        let extras = self.extras.get(&table.name);
        let checks: Vec<&str> = table
            .checks
            .iter()
            .filter(|c| Some(c.name.as_str()) != without_check)
            .filter(|c| extras.and_then(|e| e.column_checks.get(&c.name)) == Some(&column.name))
            .map(|c| c.expr.as_str())
            .collect();
        let mut column = column.clone();
        if self
            .waiting
            .contains_key(&(table.name.clone(), column.name.clone()))
        {
            column.autoincrement = false;
        }
        format!(
            "MODIFY COLUMN{} {}",
            self.syntax.if_exists(),
            render::column_def(&column, &checks)
        )
    }

    fn rename_column_extras(&mut self, table: &str, from: &str, to: &str) {
        if let Some(w) = self.waiting.remove(&(table.to_string(), from.to_string())) {
            self.waiting.insert((table.to_string(), to.to_string()), w);
        }
        let Some(extras) = self.extras.get_mut(table) else {
            return;
        };
        for column in extras.column_checks.values_mut().filter(|c| *c == from) {
            *column = to.to_string();
        }
        for index in &mut extras.fk_indexes {
            for c in index
                .columns
                .iter_mut()
                .filter_map(|p| p.column.as_mut())
                .filter(|c| *c == from)
            {
                *c = to.to_string();
            }
        }
    }
}

/// How `op` changes the partitioning of `table`, when it does: partitioning options follow
/// every other clause of an `ALTER TABLE` without a comma, so they are a statement of their own.
fn partitioning(op: &Operation, table: &Table) -> Option<String> {
    let Operation::SetTableOptions { options, .. } = op else {
        return None;
    };
    match (
        table.options.get("partition_by"),
        options.get("partition_by"),
    ) {
        (old, Some(new)) if old != Some(new) => Some(format!("PARTITION BY {new}")),
        (Some(_), None) => Some("REMOVE PARTITIONING".into()),
        _ => None,
    }
}

fn impossible(op: &Operation, reason: String) -> PlanError {
    PlanError::Impossible {
        operation: op.to_string(),
        reason,
    }
}

fn find_column<'a>(table: &'a Table, name: &str, op: &Operation) -> Result<&'a Column, PlanError> {
    table.column_named(name).ok_or_else(|| PlanError::Apply {
        operation: op.to_string(),
        source: ApplyError::NoSuchColumn {
            table: table.name.clone(),
            column: name.to_string(),
        },
    })
}

impl Planner {
    /// MySQL names no primary key (it is `PRIMARY`), renames a unique key as an index, and
    /// renames a foreign key or a check by dropping it and adding it under the new name.
    fn rename_constraint(
        &mut self,
        op: &Operation,
        table: &Table,
        from: &str,
        to: &str,
    ) -> Result<Vec<String>, PlanError> {
        let Some(found) = drops::constraint_named(table, from) else {
            return Err(impossible(
                op,
                format!("table '{}' has no constraint '{from}'", table.name),
            ));
        };
        Ok(match found {
            Constraint::PrimaryKey(_) => Vec::new(),
            Constraint::Unique(_) => {
                vec![format!("RENAME INDEX {} TO {}", Q.ident(from), Q.ident(to))]
            }
            mut other => {
                let mut out = self.drop_constraint(op, table, from, Some(&other))?;
                match &mut other {
                    Constraint::ForeignKey(k) => k.name = to.to_string(),
                    Constraint::Check(c) => c.name = to.to_string(),
                    _ => {}
                }
                out.push(
                    add_constraint(table, &other, self.syntax).map_err(|r| impossible(op, r))?,
                );
                out
            }
        })
    }
}

/// ` AFTER \`previous\`` (or ` FIRST`): where `column` stands in `table`, so that a column made
/// again keeps its place.
fn position(table: &Table, column: &str) -> String {
    match table.columns.iter().position(|c| c.name == column) {
        Some(0) => " FIRST".into(),
        Some(i) => format!(" AFTER {}", Q.ident(&table.columns[i - 1].name)),
        None => String::new(),
    }
}

fn add_constraint(table: &Table, constraint: &Constraint, s: Syntax) -> Result<String, String> {
    keys::check_options(constraint)?;
    Ok(match constraint {
        Constraint::Exclusion(_) => unreachable!("refused by check_options"),
        Constraint::PrimaryKey(k) => {
            check_key(table, &k.columns)?;
            let (name, cols) = (Q.ident(&k.name), Q.list(&k.columns));
            format!(
                "ADD CONSTRAINT {name} PRIMARY KEY{} ({cols})",
                s.if_not_exists()
            )
        }
        Constraint::Unique(u) => {
            check_key(table, &u.columns)?;
            let (name, cols) = (Q.ident(&u.name), Q.list(&u.columns));
            format!("ADD CONSTRAINT {name} UNIQUE{} ({cols})", s.if_not_exists())
        }
        Constraint::ForeignKey(k) => {
            if let Some(problem) = render::action_problem(k) {
                return Err(problem);
            }
            format!("ADD {}", render::foreign_key_clause(k, s))
        }
        Constraint::Check(c) => format!(
            "ADD CONSTRAINT{} {} CHECK ({})",
            s.if_not_exists(),
            Q.ident(&c.name),
            text::to_mysql(&c.expr)
        ),
    })
}

mod drops;
pub(super) mod keys;
mod suspend;
mod waiting;

#[cfg(test)]
mod tests;
