//! PostgreSQL's normal form: what two schemas must agree on to be the same on PostgreSQL.
//! Expressions are compared as the catalog prints them back ([`expr`]).

mod expr;

#[cfg(test)]
use expr::number;
pub(crate) use expr::{bare_literal, check, default};

use super::types;
use crate::diff::Compare;
use crate::schema::{Column, Table, Type};

/// PostgreSQL's normal form: types as `format_type` prints them (aliases and raw spellings
/// folded: `int4` is `integer`, `varchar(9)` is `character varying(9)`, `json` and `jsonb` are
/// JSON), defaults and checks rewritten as the catalog rewrites them (casts, parentheses,
/// `IN`/`BETWEEN`/`LIKE`, identifier case, numbers, `now()`; see the module `normal`), a raw
/// `serial` counted as an autoincrement integer, autoincrement only on integers.
#[derive(Debug, Clone, Copy, Default)]
pub struct PgCompare;

impl Compare for PgCompare {
    fn ty(&self, _table: &Table, column: &Column) -> Type {
        types::normal(&column.ty)
    }

    fn default(&self, column: &Column) -> Option<String> {
        default(column)
    }

    fn check(&self, expr: &str) -> String {
        check(expr)
    }

    fn numbering(&self, column: &Column) -> Option<crate::schema::Numbering> {
        super::render::numbering_of(column)
    }

    fn autoincrement(&self, _table: &Table, column: &Column) -> bool {
        let serial = matches!(&column.ty, Type::Raw(s) if types::is_serial(s));
        serial || (column.autoincrement && types::normal(&column.ty).is_integer())
    }
}

#[cfg(test)]
mod tests;
