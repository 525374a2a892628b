//! Autoincrement columns waiting for their key (see the `plan` module documentation).

use super::keys;
use super::{Planner, Waiting};
use crate::dialect::PlanError;
use crate::dialect::mysql::render::{self, Q};
use crate::ops::Operation;
use crate::schema::Table;

impl Planner {
    /// Adds (without `AUTO_INCREMENT`) the waiting columns `op` needs to exist, unless `op` is
    /// what gives them a key.
    pub(super) fn flush_waiting(
        &mut self,
        op: &Operation,
        table: &str,
    ) -> Result<Vec<String>, PlanError> {
        let keyed = matches!(
            op,
            Operation::AddConstraint { .. } | Operation::CreateIndex { .. }
        );
        let due: Vec<(String, String)> = self
            .waiting
            .iter()
            .filter(|((t, c), w)| t == table && w.is_some() && !keyed && keys::op_mentions(op, c))
            .map(|(k, _)| k.clone())
            .collect();
        let mut out = Vec::new();
        for key in due {
            let t = self.table(op, table)?;
            let add = self.deferred_add(t, &key.1, false);
            self.waiting.insert(key, None);
            out.push(format!("ALTER TABLE {} {add}", Q.ident(table)));
        }
        Ok(out)
    }

    /// `(ADD COLUMN clauses, MODIFY clauses)` for the waiting columns of `after` that now start
    /// a key; columns still waiting after an operation that named them are added without the
    /// flag.
    pub(super) fn resolve_waiting(
        &mut self,
        op: &Operation,
        after: &Table,
    ) -> (Vec<String>, Vec<String>) {
        let fk_indexes = self.fk_indexes(&after.name);
        let mine: Vec<((String, String), Waiting)> = self
            .waiting
            .iter()
            .filter(|((t, _), _)| *t == after.name)
            .map(|(k, w)| (k.clone(), w.clone()))
            .collect();
        let (mut adds, mut modifies) = (Vec::new(), Vec::new());
        for (key, waiting) in mine {
            let keyed = keys::starts_key(after, &fk_indexes, &key.1);
            match (waiting, keyed) {
                (Some(_), true) => {
                    adds.push(self.deferred_add(after, &key.1, true));
                    self.waiting.remove(&key);
                }
                (None, true) => {
                    self.waiting.remove(&key);
                    if let Some(column) = after.column_named(&key.1) {
                        modifies.push(self.modify(after, column, None));
                    }
                }
                (Some(_), false) if keys::op_mentions(op, &key.1) => {
                    adds.push(self.deferred_add(after, &key.1, false));
                    self.waiting.insert(key, None);
                }
                _ => {}
            }
        }
        (adds, modifies)
    }

    /// `ADD COLUMN` of a waiting column at its place in the table.
    pub(super) fn deferred_add(&self, table: &Table, column: &str, autoincrement: bool) -> String {
        let position = self
            .waiting
            .get(&(table.name.clone(), column.to_string()))
            .cloned()
            .flatten()
            .unwrap_or_default();
        let mut c = table
            .column_named(column)
            .cloned()
            .expect("waiting columns are known");
        c.autoincrement = autoincrement;
        format!(
            "ADD COLUMN{} {}{position}",
            self.syntax.if_not_exists(),
            render::column_def(&c, &[])
        )
    }
}

/// ` AFTER `last`` (or ` FIRST`): where a column appended to `table` goes.
pub(super) fn position_after(table: &Table) -> String {
    match table.columns.last() {
        Some(c) => format!(" AFTER {}", Q.ident(&c.name)),
        None => " FIRST".into(),
    }
}
