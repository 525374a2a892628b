//! SQL expressions (defaults, checks) in a normal form, through sqlparser.
//!
//! Catalogs give back expressions in their own spelling (`x>0` is stored as written by SQLite,
//! rewritten by PostgreSQL). Comparing text would report false differences, so both sides are
//! parsed with the same dialect and compared as sqlparser prints them.

use sqlparser::ast::{Expr, UnaryOperator, Value};
use sqlparser::dialect::Dialect;
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

use super::PlanError;
use crate::ops::Backfill;
use crate::ops::{Constraint, Operation};
use crate::schema::{Column, Table, Type};

/// Parses `text` as one complete expression.
pub(crate) fn parse(dialect: &dyn Dialect, text: &str) -> Option<Expr> {
    let mut parser = Parser::new(dialect).try_with_sql(text).ok()?;
    let expr = parser.parse_expr().ok()?;
    (parser.peek_token().token == Token::EOF).then_some(expr)
}

/// The normal form of an expression: sqlparser's printing without redundant outer
/// parentheses; the trimmed, whitespace-collapsed text when it does not parse.
pub(crate) fn normal(dialect: &dyn Dialect, text: &str) -> String {
    match parse(dialect, text) {
        Some(expr) => strip_nested(&expr).to_string(),
        None => text.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

fn strip_nested(mut expr: &Expr) -> &Expr {
    while let Expr::Nested(inner) = expr {
        expr = inner;
    }
    expr
}

/// Whether `text` is a constant a `DEFAULT` clause may hold without parentheses (SQLite's rule:
/// a literal, a signed number, `NULL`, `TRUE`/`FALSE` or `CURRENT_TIME`/`_DATE`/`_TIMESTAMP`).
pub(crate) fn is_plain_default(dialect: &dyn Dialect, text: &str) -> bool {
    match parse(dialect, text) {
        Some(Expr::Value(_)) => true,
        Some(Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        }) => {
            matches!(*expr, Expr::Value(ref v) if matches!(v.value, Value::Number(..)))
        }
        Some(Expr::Function(f)) => {
            let name = f.name.to_string().to_ascii_uppercase();
            f.args == sqlparser::ast::FunctionArguments::None
                && matches!(
                    name.as_str(),
                    "CURRENT_TIMESTAMP" | "CURRENT_DATE" | "CURRENT_TIME"
                )
        }
        Some(Expr::Identifier(ident)) => {
            let name = ident.value.to_ascii_uppercase();
            ident.quote_style.is_none()
                && matches!(
                    name.as_str(),
                    "CURRENT_TIMESTAMP" | "CURRENT_DATE" | "CURRENT_TIME"
                )
        }
        _ => false,
    }
}

/// Whether an expression is a constant: SQLite's `ADD COLUMN` only takes constant defaults
/// (the `CURRENT_*` keywords are not constant).
pub(crate) fn is_constant(dialect: &dyn Dialect, text: &str) -> bool {
    match parse(dialect, text).as_ref().map(strip_nested) {
        Some(Expr::Value(_)) => true,
        Some(Expr::UnaryOp { expr, .. }) => matches!(**expr, Expr::Value(_)),
        _ => false,
    }
}

/// Whether `text` can be pasted into a statement as one expression or type: it tokenizes, its
/// parentheses balance and it holds no `;` and no comment (so it cannot end the statement,
/// start another, or hide the rest of a line).
pub(crate) fn is_single_expression(dialect: &dyn Dialect, text: &str) -> bool {
    let Ok(tokens) = Tokenizer::new(dialect, text).tokenize() else {
        return false;
    };
    let mut depth: i64 = 0;
    for t in &tokens {
        match t {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth -= 1,
            Token::SemiColon
            | Token::Whitespace(
                Whitespace::SingleLineComment { .. } | Whitespace::MultiLineComment(_),
            ) => return false,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0 && !text.trim().is_empty()
}

/// The backfill expression of a column change (the placeholder never reaches a planner: the
/// step is refused before, by [`check_pasted_text`], or a `db diff` script writes it as `NULL`
/// with a note, [`placeholder_filled`]).
pub(crate) fn backfill(changes: &crate::ops::Alter) -> Option<&str> {
    match &changes.backfill {
        Some(Backfill::Expr(expr)) => Some(expr),
        _ => None,
    }
}

/// A backfill still to write, as a `db diff` script writes it: `NULL`, which leaves the rows
/// without a value so that the NOT NULL that follows fails and the step rolls back, with the
/// note the script carries above it. `None` for any other operation.
pub(crate) fn placeholder_filled(op: &Operation) -> Option<(Operation, String)> {
    let Operation::AlterColumn {
        table,
        column,
        changes,
        ..
    } = op
    else {
        return None;
    };
    if changes.backfill != Some(Backfill::ToWrite) {
        return None;
    }
    let mut filled = op.clone();
    if let Operation::AlterColumn { changes, .. } = &mut filled {
        changes.backfill = Some(Backfill::Expr("NULL".into()));
    }
    let note = format!(
        "TO WRITE: the rows of '{table}' need a value for '{column}' before it becomes NOT NULL; \
         replace the backfill (NULL) in the statement that fills '{column}' below with it. As \
         written, the script stops there on a table with rows, before anything is dropped."
    );
    Some((filled, note))
}

/// Refuses an operation holding a default, a check or a raw type that is not a single SQL
/// expression: every dialect pastes those into its statements, and one holding `;` or a
/// comment would run or hide SQL nobody reviewed as such. Raw SQL (`op.execute`) is what it
/// says and is not checked. A backfill still to write is refused too, unless `placeholders`
/// (a `db diff` script, which writes it as [`placeholder_filled`] says).
pub(crate) fn check_pasted_text(ops: &[Operation], placeholders: bool) -> Result<(), PlanError> {
    for op in ops {
        let mut texts: Vec<(String, &str)> = Vec::new();
        match op {
            Operation::CreateTable(t) => table_texts(t, &mut texts),
            Operation::AddColumn { column, .. } => column_texts(column, &mut texts),
            Operation::AlterColumn {
                table,
                column,
                changes,
                ..
            } => {
                if let Some(Some(d)) = &changes.default {
                    texts.push((format!("the default of column '{column}'"), d));
                }
                match &changes.backfill {
                    Some(Backfill::Expr(e)) => {
                        texts.push((format!("the backfill of column '{column}'"), e))
                    }
                    Some(Backfill::ToWrite) if placeholders => {}
                    Some(Backfill::ToWrite) => {
                        return Err(PlanError::Impossible {
                            operation: op.to_string(),
                            reason: format!(
                                "the backfill of '{table}.{column}' is still to write: the rows that hold NULL need a value before the column becomes NOT NULL; replace `.backfill_to_write()` in the revision with `.backfill(\"<SQL expression>\")`, or give the field #[column(backfill = \"...\")] and generate the revision again"
                            ),
                        });
                    }
                    None => {}
                }
                if let Some(Type::Raw(r)) = &changes.ty {
                    texts.push((format!("the type of column '{column}'"), r));
                }
            }
            Operation::AddConstraint {
                constraint: Constraint::Check(c),
                ..
            } => texts.push((format!("check '{}'", c.name), &c.expr)),
            _ => {}
        }
        for (what, text) in texts {
            if !is_single_expression(&GenericDialect {}, text) {
                return Err(PlanError::Impossible {
                    operation: op.to_string(),
                    reason: format!(
                        "{what} is not a single SQL expression (it holds ';', a comment or \
                         unbalanced parentheses): {text:?}; fix it in the model or the revision"
                    ),
                });
            }
        }
    }
    Ok(())
}

fn table_texts<'a>(t: &'a Table, out: &mut Vec<(String, &'a str)>) {
    for c in &t.columns {
        column_texts(c, out);
    }
    for c in &t.checks {
        out.push((format!("check '{}'", c.name), &c.expr));
    }
}

fn column_texts<'a>(c: &'a Column, out: &mut Vec<(String, &'a str)>) {
    if let Some(d) = &c.default {
        out.push((format!("the default of column '{}'", c.name), d));
    }
    // A blank type is SQLite's column declared without one: nothing is pasted.
    if let Type::Raw(r) = &c.ty
        && !r.trim().is_empty()
    {
        out.push((format!("the type of column '{}'", c.name), r));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::SQLiteDialect;

    #[test]
    fn spellings_of_one_expression_share_a_normal_form() {
        let d = SQLiteDialect {};
        assert_eq!(normal(&d, "x>0"), normal(&d, "(( x > 0 ))"));
        assert_eq!(normal(&d, "julianday('now')"), "julianday('now')");
        assert_eq!(normal(&d, "FALSE"), normal(&d, "false"));
        assert_ne!(normal(&d, "x > 0"), normal(&d, "x > 1"));
        assert_eq!(normal(&d, "not ( valid"), "not ( valid");
    }

    #[test]
    fn plain_and_constant_defaults() {
        let d = SQLiteDialect {};
        for plain in [
            "0",
            "-1.5",
            "'it''s'",
            "NULL",
            "TRUE",
            "CURRENT_TIMESTAMP",
            "current_date",
        ] {
            assert!(is_plain_default(&d, plain), "{plain}");
        }
        for wrapped in ["julianday('now')", "1 + 1", "x"] {
            assert!(!is_plain_default(&d, wrapped), "{wrapped}");
        }
        assert!(is_constant(&d, "'x'") && is_constant(&d, "-3") && is_constant(&d, "(1)"));
        assert!(!is_constant(&d, "CURRENT_TIMESTAMP") && !is_constant(&d, "abs(1)"));
    }

    #[test]
    fn pasted_text_must_be_one_expression() {
        use crate::schema::{column, table};
        let ok = table("t")
            .column(column("a", Type::Integer).default("(1 + 2)"))
            .check("ck", "a > 0 AND a <> ';'");
        assert!(check_pasted_text(&[Operation::CreateTable(ok)], false).is_ok());
        for bad in [
            "1; DROP TABLE t",
            "1 -- hides the rest",
            "(1",
            "1 /* x */",
            "'a'')",
        ] {
            let t = table("t").column(column("a", Type::Integer).default(bad));
            let err = check_pasted_text(&[Operation::CreateTable(t)], false).unwrap_err();
            assert!(
                err.to_string().contains("the default of column 'a'"),
                "{bad}: {err}"
            );
        }
    }
}
