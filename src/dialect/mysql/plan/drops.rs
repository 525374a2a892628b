//! Dropping columns and constraints by kind, and the indexes foreign keys need.

use super::keys::{self, check_key};
use super::{Planner, find_column, impossible};
use crate::dialect::PlanError;
use crate::dialect::mysql::render::{self, Q};
use crate::ops::{ApplyError, Constraint, Operation};
use crate::schema::{Index, Table};

impl Planner {
    /// Dropping a column drops what uses it (as [`Operation::apply`] does): foreign keys and
    /// checks naming it, indexes and keys holding it.
    pub(super) fn drop_column(&mut self, table: &Table, column: &str) -> Vec<String> {
        let s = self.syntax;
        let holds = |columns: &[String]| columns.iter().any(|c| c.eq_ignore_ascii_case(column));
        let mut out = Vec::new();
        for k in table.foreign_keys.iter().filter(|k| holds(&k.columns)) {
            if !self.forget_suspended(&table.name, &k.name) {
                out.push(format!(
                    "DROP FOREIGN KEY{} {}",
                    s.if_exists(),
                    Q.ident(&k.name)
                ));
            }
        }
        let column_checks = self.extras.get(&table.name).map(|e| &e.column_checks);
        for check in &table.checks {
            let column_level = column_checks.is_some_and(|m| m.contains_key(&check.name));
            if !column_level && keys::mentions(&check.expr, column) {
                out.push(s.drop_check(&check.name));
            }
        }
        let uniques = table.uniques.iter().map(|u| (&u.name, &u.columns));
        let indexes: Vec<(&String, Vec<String>)> = table
            .indexes
            .iter()
            .map(|i| {
                (
                    &i.name,
                    i.column_names().into_iter().map(str::to_string).collect(),
                )
            })
            .collect();
        let indexes = indexes.iter().map(|(n, c)| (*n, c));
        for (name, _) in uniques.chain(indexes).filter(|(_, c)| holds(c)) {
            out.push(format!("DROP INDEX{} {}", s.if_exists(), Q.ident(name)));
        }
        if table
            .primary_key
            .as_ref()
            .is_some_and(|k| holds(&k.columns))
        {
            out.push("DROP PRIMARY KEY".into());
        }
        out.push(format!("DROP COLUMN{} {}", s.if_exists(), Q.ident(column)));
        out
    }

    pub(super) fn drop_constraint(
        &mut self,
        op: &Operation,
        table: &Table,
        name: &str,
        definition: Option<&Constraint>,
    ) -> Result<Vec<String>, PlanError> {
        let s = self.syntax;
        let found = constraint_named(table, name).or_else(|| definition.cloned());
        Ok(match found {
            Some(Constraint::PrimaryKey(pk)) => self.drop_primary_key(table, &pk.columns),
            Some(Constraint::Unique(_)) => {
                vec![format!("DROP INDEX{} {}", s.if_exists(), Q.ident(name))]
            }
            Some(Constraint::ForeignKey(_)) if self.forget_suspended(&table.name, name) => {
                Vec::new()
            }
            Some(Constraint::ForeignKey(_)) => vec![format!(
                "DROP FOREIGN KEY{} {}",
                s.if_exists(),
                Q.ident(name)
            )],
            Some(Constraint::Check(_)) => self.drop_check(op, table, name)?,
            Some(Constraint::Exclusion(_)) => {
                return Err(PlanError::Impossible {
                    operation: op.to_string(),
                    reason: "MySQL has no exclusion constraints".into(),
                });
            }
            None => {
                return Err(PlanError::Apply {
                    operation: op.to_string(),
                    source: ApplyError::NoSuchObject {
                        table: table.name.clone(),
                        name: name.to_string(),
                    },
                });
            }
        })
    }

    /// `DROP PRIMARY KEY`; an autoincrement column of the key loses the flag with it (MySQL
    /// wants it to start a key) and gets it back with its next key.
    fn drop_primary_key(&mut self, table: &Table, columns: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = table.clone();
        rest.primary_key = None;
        let fk_indexes = self.fk_indexes(&table.name);
        for c in columns.iter().filter_map(|c| table.column_named(c)) {
            if c.autoincrement && !keys::starts_key(&rest, &fk_indexes, &c.name) {
                self.waiting
                    .insert((table.name.clone(), c.name.clone()), None);
                out.push(self.modify(table, c, None));
            }
        }
        out.push("DROP PRIMARY KEY".into());
        out
    }

    /// A table-level check goes by name; MariaDB drops a column-level one only by re-defining
    /// its column.
    fn drop_check(
        &mut self,
        op: &Operation,
        table: &Table,
        name: &str,
    ) -> Result<Vec<String>, PlanError> {
        let extras = self.extras.get(&table.name);
        let Some(column) = extras.and_then(|e| e.column_checks.get(name)).cloned() else {
            return Ok(vec![self.syntax.drop_check(name)]);
        };
        let c = find_column(table, &column, op)?.clone();
        let out = vec![self.modify(table, &c, Some(name))];
        if let Some(e) = self.extras.get_mut(&table.name) {
            e.column_checks.remove(name);
        }
        Ok(out)
    }

    /// Clauses that restore the foreign-key index invariant on `after` (the table once `op`
    /// is applied): indexes of keys now covered or gone are dropped, uncovered keys get one.
    pub(super) fn reconcile_fk_indexes(
        &mut self,
        op: &Operation,
        after: &Table,
    ) -> Result<Vec<String>, PlanError> {
        let s = self.syntax;
        let extras = self.extras.entry(after.name.clone()).or_default();
        let mut out = Vec::new();
        let mut kept = Vec::new();
        for index in std::mem::take(&mut extras.fk_indexes) {
            let key = after.foreign_keys.iter().find(|k| k.name == index.name);
            match key {
                Some(k) if !keys::covered(after, k) && index.key_columns() == k.columns => {
                    kept.push(index)
                }
                // Dropping a column drops its single-column indexes by itself.
                _ if dropped_with_column(op, &index) => {}
                _ => out.push(format!(
                    "DROP INDEX{} {}",
                    s.if_exists(),
                    Q.ident(&index.name)
                )),
            }
        }
        for key in after
            .foreign_keys
            .iter()
            .filter(|k| !keys::covered(after, k))
        {
            if !kept.iter().any(|i| i.name == key.name) {
                check_key(after, &key.columns).map_err(|r| impossible(op, r))?;
                let index = keys::support_index(key);
                out.push(format!("ADD {}", render::index_clause(&index, s)));
                kept.push(index);
            }
        }
        extras.fk_indexes = kept;
        Ok(out)
    }
}

fn dropped_with_column(op: &Operation, index: &Index) -> bool {
    matches!(op, Operation::DropColumn { column, .. }
        if index.columns.len() == 1
            && index.columns[0].column.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(column)))
}

pub(super) fn constraint_named(table: &Table, name: &str) -> Option<Constraint> {
    if let Some(pk) = table.primary_key.as_ref().filter(|k| k.name == name) {
        return Some(Constraint::PrimaryKey(pk.clone()));
    }
    let unique = table
        .uniques
        .iter()
        .find(|u| u.name == name)
        .cloned()
        .map(Constraint::Unique);
    let fk = || {
        table
            .foreign_keys
            .iter()
            .find(|k| k.name == name)
            .cloned()
            .map(Constraint::ForeignKey)
    };
    let check = || {
        table
            .checks
            .iter()
            .find(|c| c.name == name)
            .cloned()
            .map(Constraint::Check)
    };
    unique.or_else(fk).or_else(check)
}
