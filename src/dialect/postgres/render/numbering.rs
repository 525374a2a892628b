//! How PostgreSQL numbers an autoincrement column: an identity (`BY DEFAULT`, the model's
//! default, or `ALWAYS`) with its sequence's options, or a `serial` (a sequence the column
//! owns and a `nextval` default). Changing one for another drops the old numbering and makes
//! the new one, its sequence moved past the values the column holds.

use super::{Current, Ddl, Q, literal, types};
use crate::ops::Alter;
use crate::schema::{Column, Numbering, NumberingKind, Type};

/// The numbering a numbered column has on PostgreSQL (the default when it says none).
pub(crate) fn numbering_of(column: &Column) -> Option<Numbering> {
    if matches!(&column.ty, Type::Raw(s) if types::is_serial(s)) {
        return Some(crate::schema::numbering(NumberingKind::Serial));
    }
    if !column.autoincrement {
        return None;
    }
    Some(column.numbering.clone().unwrap_or_default())
}

/// `serial`, `bigserial`, `smallserial` for an integer column numbered by a serial.
pub(crate) fn serial_type(column: &Column) -> Option<&'static str> {
    if numbering_of(column)?.kind != NumberingKind::Serial {
        return None;
    }
    match types::normal(&column.ty) {
        Type::SmallInt => Some("smallserial"),
        Type::BigInt => Some("bigserial"),
        _ => Some("serial"),
    }
}

impl Ddl<'_> {
    /// ` GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY [(options)]`, or nothing (not numbered, or a
    /// serial: its type says it).
    pub(crate) fn identity_clause(&self, column: &Column) -> String {
        match numbering_of(column) {
            Some(n) if n.kind != NumberingKind::Serial => identity(&n),
            _ => String::new(),
        }
    }

    /// What a serial column's sequence needs beyond `serial`: its options.
    pub(crate) fn serial_options(&self, table: &str, column: &Column) -> Vec<String> {
        match (
            serial_type(column),
            numbering_of(column).and_then(|n| n.options),
        ) {
            (Some(_), Some(options)) => vec![format!(
                "ALTER SEQUENCE {} {options}",
                self.name(&sequence_name(table, &column.name))
            )],
            _ => Vec::new(),
        }
    }

    /// The statements that change how `column` is numbered, before the type changes (the old
    /// numbering dropped) and after (the new one made).
    pub(crate) fn renumber(
        &self,
        table: &str,
        column: &str,
        changes: &Alter,
        current: &Current<'_>,
    ) -> (Vec<String>, Vec<String>) {
        let old = current.column.and_then(numbering_of).or_else(|| {
            // Unknown column (offline): the operation's own record says what it was.
            (changes.autoincrement == Some(false)).then(Numbering::default)
        });
        let old = match (old, current.serial) {
            (Some(_), Some(_)) => Some(crate::schema::numbering(NumberingKind::Serial)),
            (old, _) => old,
        };
        let new = match current.column {
            Some(c) => {
                let mut next = c.clone();
                changes.apply_to(&mut next);
                next.name = column.to_string();
                numbering_of(&next)
            }
            None if changes.autoincrement == Some(false) => None,
            None => changes
                .autoincrement
                .filter(|on| *on)
                .map(|_| changes.numbering.clone().flatten().unwrap_or_default()),
        };
        if old == new {
            return (Vec::new(), Vec::new());
        }
        let alter = |action: &str| self.alter(table, column, action);
        let identities =
            |n: &Option<Numbering>| n.as_ref().is_some_and(|n| n.kind != NumberingKind::Serial);
        let same_options = old.as_ref().map(|n| &n.options) == new.as_ref().map(|n| &n.options);
        if identities(&old) && identities(&new) && same_options {
            let kind = match new.as_ref().map(|n| n.kind) {
                Some(NumberingKind::Always) => "ALWAYS",
                _ => "BY DEFAULT",
            };
            return (vec![alter(&format!("SET GENERATED {kind}"))], Vec::new());
        }
        let before = match &old {
            Some(n) if n.kind == NumberingKind::Serial => {
                let sequence = current.serial.map_or_else(
                    || self.name(&sequence_name(table, column)),
                    |(schema, name)| types::qualified(schema, name),
                );
                vec![alter("DROP DEFAULT"), format!("DROP SEQUENCE {sequence}")]
            }
            Some(_) => vec![alter("DROP IDENTITY IF EXISTS")],
            None => Vec::new(),
        };
        let after = match &new {
            Some(n) if n.kind == NumberingKind::Serial => {
                self.add_serial(table, column, n, current)
            }
            Some(n) => vec![
                alter(&format!("ADD{}", identity(n))),
                self.restart(table, column),
            ],
            None => Vec::new(),
        };
        (before, after)
    }

    /// A sequence the column owns, its default, its options, moved past the values held.
    fn add_serial(
        &self,
        table: &str,
        column: &str,
        n: &Numbering,
        current: &Current<'_>,
    ) -> Vec<String> {
        let sequence = self.name(&sequence_name(table, column));
        let ty = current
            .column
            .map(|c| types::render(&types::normal(&c.ty), self.schema))
            .unwrap_or_else(|| "integer".into());
        let mut out = vec![format!(
            "CREATE SEQUENCE {sequence} AS {ty} OWNED BY {}.{}",
            self.name(table),
            Q.ident(column)
        )];
        if let Some(options) = &n.options {
            out.push(format!("ALTER SEQUENCE {sequence} {options}"));
        }
        out.push(self.alter(
            table,
            column,
            &format!("SET DEFAULT nextval({}::regclass)", literal(&sequence)),
        ));
        out.push(self.restart(table, column));
        out
    }

    /// Moves a new sequence past the values the column already holds.
    pub(crate) fn restart(&self, table: &str, column: &str) -> String {
        format!(
            "SELECT setval(pg_get_serial_sequence({}, {}), COALESCE(MAX({}), 0) + 1, false) FROM {}",
            literal(&self.name(table)),
            literal(column),
            Q.ident(column),
            self.name(table)
        )
    }
}

/// ` GENERATED ... AS IDENTITY [(options)]`.
fn identity(n: &Numbering) -> String {
    let kind = match n.kind {
        NumberingKind::Always => "ALWAYS",
        _ => "BY DEFAULT",
    };
    match &n.options {
        Some(options) => format!(" GENERATED {kind} AS IDENTITY ({options})"),
        None => format!(" GENERATED {kind} AS IDENTITY"),
    }
}

/// The name PostgreSQL gives a serial column's sequence.
pub(crate) fn sequence_name(table: &str, column: &str) -> String {
    format!("{table}_{column}_seq")
}
