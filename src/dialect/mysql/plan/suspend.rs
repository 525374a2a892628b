//! Foreign keys set aside while a column they hold changes type: MariaDB and MySQL refuse to
//! change the type of a column in a foreign key (either side, even with
//! `foreign_key_checks = 0`), so the keys are dropped first and added back once every column
//! of the revision has its new type (or before raw SQL, which may rely on them).

use super::Planner;
use crate::dialect::mysql::render::{self, Q};
use crate::schema::ForeignKey;

impl Planner {
    /// Statements dropping the keys that hold `table.column`, as child or parent, unless they
    /// are set aside already.
    pub(super) fn suspend_foreign_keys(&mut self, table: &str, column: &str) -> Vec<String> {
        let holds = |columns: &[String]| columns.iter().any(|c| c.eq_ignore_ascii_case(column));
        let mut found: Vec<(String, String)> = Vec::new();
        for t in self.known.tables() {
            for k in &t.foreign_keys {
                let child = t.name == table && holds(&k.columns);
                let parent = k.ref_table == table && holds(&k.ref_columns);
                if child || parent {
                    found.push((t.name.clone(), k.name.clone()));
                }
            }
        }
        let mut out = Vec::new();
        for key in found {
            if !self.suspended.contains(&key) {
                let s = self.syntax;
                out.push(format!(
                    "ALTER TABLE {} DROP FOREIGN KEY{} {}",
                    Q.ident(&key.0),
                    s.if_exists(),
                    Q.ident(&key.1)
                ));
                self.suspended.push(key);
            }
        }
        out
    }

    /// Statements adding back the keys set aside that still exist.
    pub(super) fn restore_foreign_keys(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        for (table, name) in std::mem::take(&mut self.suspended) {
            let key: Option<&ForeignKey> = self
                .known
                .table(&table)
                .and_then(|t| t.foreign_keys.iter().find(|k| k.name == name));
            if let Some(k) = key {
                let clause = render::foreign_key_clause(k, self.syntax);
                out.push(format!("ALTER TABLE {} ADD {clause}", Q.ident(&table)));
            }
        }
        out
    }

    /// Whether the key is set aside; it is forgotten (it is being dropped for good).
    pub(super) fn forget_suspended(&mut self, table: &str, name: &str) -> bool {
        let before = self.suspended.len();
        self.suspended.retain(|(t, n)| !(t == table && n == name));
        self.suspended.len() != before
    }

    /// Follows a renamed or dropped table.
    pub(super) fn move_suspended(&mut self, from: &str, to: Option<&str>) {
        match to {
            Some(to) => {
                for (t, _) in self.suspended.iter_mut().filter(|(t, _)| t == from) {
                    *t = to.to_string();
                }
            }
            None => self.suspended.retain(|(t, _)| t != from),
        }
    }
}
