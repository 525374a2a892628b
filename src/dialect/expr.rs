//! SQL expressions (defaults, checks) in a normal form, through sqlparser.
//!
//! Catalogs give back expressions in their own spelling (`x>0` is stored as written by SQLite,
//! rewritten by PostgreSQL). Comparing text would report false differences, so both sides are
//! parsed with the same dialect and compared as sqlparser prints them.

use sqlparser::ast::{Expr, UnaryOperator, Value};
use sqlparser::dialect::Dialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

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
}
