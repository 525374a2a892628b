//! SQLite's normal form: what two schemas must agree on to be the same on SQLite.

use sqlparser::dialect::SQLiteDialect;

use super::types;
use crate::dialect::expr;
use crate::diff::Compare;
use crate::schema::{Column, Table, Type};

/// SQLite's normal form: declared types read back, defaults and checks as sqlparser prints
/// them, no comments (SQLite does not store them), a lone `INTEGER` primary key may be spelled
/// with any integer type when it is autoincrement.
#[derive(Debug, Clone, Copy, Default)]
pub struct SqliteCompare;

impl Compare for SqliteCompare {
    fn ty(&self, table: &Table, column: &Column) -> Type {
        if column.autoincrement && column.ty.is_integer() {
            return Type::Integer;
        }
        let _ = table;
        types::normal(&column.ty)
    }

    fn default(&self, column: &Column) -> Option<String> {
        let text = column.default.as_deref()?;
        let mut norm = expr::normal(&SQLiteDialect {}, text);
        if norm.eq_ignore_ascii_case("NULL") && column.nullable {
            return None;
        }
        if column.ty == Type::Boolean {
            norm = match norm.to_ascii_lowercase().as_str() {
                "1" | "true" => "true".into(),
                "0" | "false" => "false".into(),
                _ => norm,
            };
        }
        Some(norm)
    }

    fn check(&self, expr: &str) -> String {
        expr::normal(&SQLiteDialect {}, expr)
    }

    fn comments(&self) -> bool {
        false
    }

    /// SQLite numbers one way: `INTEGER PRIMARY KEY AUTOINCREMENT`.
    fn numbering(&self, _column: &Column) -> Option<crate::schema::Numbering> {
        None
    }

    /// A primary-key column is NOT NULL. SQLite lets a non-`INTEGER` key hold NULL (a bug kept
    /// for compatibility, never a design) and reads such a column back as nullable; a model
    /// cannot say "nullable key", and rebuilding a table only to forbid what nobody stores is
    /// not worth a revision.
    fn nullable(&self, table: &Table, column: &Column) -> bool {
        let in_key = table
            .primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns.contains(&column.name));
        column.nullable && !in_key
    }
}
