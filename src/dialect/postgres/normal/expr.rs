//! Normal forms of SQL expressions (defaults and checks) as PostgreSQL stores them.
//!
//! PostgreSQL keeps expressions as parse trees and prints them back (`pg_get_expr`) in its own
//! spelling: literals get casts (`0::numeric`, `'-1'::integer`, `'x'::character varying`),
//! operands of `varchar` columns get `::text`, `IN (...)` becomes `= ANY (ARRAY[...])`,
//! `BETWEEN` becomes two comparisons, `LIKE` becomes `~~`, parentheses change. Both sides of a
//! comparison are parsed with sqlparser's PostgreSQL dialect and rewritten to one form:
//!
//! * casts are removed (a string cast to a numeric type becomes the number), so are the
//!   parentheses the user or the server wrote; then every compound operand of an operator is
//!   parenthesised, which keeps the tree unambiguous;
//! * `x IN (a)` is `x = a`, `x IN (a, b)` is `x = ANY (ARRAY[a, b])` (`NOT IN`: `<>`/`<> ALL`),
//!   `BETWEEN` is `>= AND <=` (`NOT BETWEEN`: `< OR >`), `[NOT] [I]LIKE` is `~~`/`!~~`/`~~*`/
//!   `!~~*`;
//! * chains of `AND` (or `OR`) are flattened and rebuilt left to right (PostgreSQL flattens
//!   them: `a AND (b AND c)` reads back as `a AND b AND c`);
//! * unquoted identifiers and function names fold to lower case, quotes are dropped;
//! * numbers are written canonically (`0.50` is `0.5`, `-1` is one literal);
//! * `now()`, `CURRENT_TIMESTAMP` and `transaction_timestamp()` are `current_timestamp`.
//!
//! Defaults also know their column's type: numeric strings are numbers on numeric columns,
//! numbers are strings on text-like columns, JSON strings compare by value, `'t'`/`'true'` are
//! `true` on a boolean column, timestamps and times compare by value, a nullable column's
//! `NULL` is no default.
//!
//! Expressions sqlparser cannot read compare as whitespace-collapsed text. Sub-expressions of
//! kinds not listed above (subqueries, `CASE` operands aside, `AT TIME ZONE`, ...) are compared
//! as sqlparser prints them, without the rewriting.

use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, InTarget,
    ObjectNamePart, UnaryOperator, Value,
};
use sqlparser::dialect::PostgreSqlDialect;

use super::super::types;
use crate::dialect::expr;
use crate::schema::{Column, Type};

/// The normal form of a check expression.
pub(crate) fn check(text: &str) -> String {
    match expr::parse(&PostgreSqlDialect {}, text) {
        Some(e) => paren(rewrite(e)).to_string(),
        None => collapse(text),
    }
}

/// The normal form of a column's default; `None` when there is none worth comparing.
pub(crate) fn default(column: &Column) -> Option<String> {
    let text = column.default.as_deref()?;
    let Some(parsed) = expr::parse(&PostgreSqlDialect {}, text) else {
        return Some(collapse(text));
    };
    let e = typed(rewrite(parsed), &types::normal(&column.ty));
    if matches!(&e, Expr::Value(v) if v.value == Value::Null) && column.nullable {
        return None;
    }
    Some(paren(e).to_string())
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn value(v: Value) -> Expr {
    Expr::value(v)
}

fn string_of(e: &Expr) -> Option<&str> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// Literal rules that depend on the column's type.
fn typed(e: Expr, ty: &Type) -> Expr {
    if let Expr::Value(v) = &e
        && let Value::Number(n, _) = &v.value
        && !is_numeric(ty)
        && *ty != Type::Boolean
    {
        return value(Value::SingleQuotedString(n.clone()));
    }
    let Some(s) = string_of(&e) else {
        return e;
    };
    let converted = match ty {
        t if is_numeric(t) => number(s).map(|n| Value::Number(n, false)),
        Type::Boolean => match s.trim().to_ascii_lowercase().as_str() {
            "t" | "true" | "y" | "yes" | "on" | "1" => Some(Value::Boolean(true)),
            "f" | "false" | "n" | "no" | "off" | "0" => Some(Value::Boolean(false)),
            _ => None,
        },
        Type::Json => serde_json::from_str::<serde_json::Value>(s)
            .ok()
            .map(|j| Value::SingleQuotedString(j.to_string())),
        Type::Uuid => Some(Value::SingleQuotedString(s.to_ascii_lowercase())),
        Type::Timestamp => timestamp(s).map(Value::SingleQuotedString),
        Type::Time => time(s).map(Value::SingleQuotedString),
        _ => None,
    };
    converted.map_or(e, value)
}

fn is_numeric(ty: &Type) -> bool {
    ty.is_integer()
        || matches!(ty, Type::Real | Type::Double | Type::Numeric(..))
        || matches!(ty, Type::Raw(s) if s.starts_with("numeric"))
}

fn timestamp(s: &str) -> Option<String> {
    use chrono::{NaiveDate, NaiveDateTime};
    let s = s.trim();
    let parsed = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })?;
    Some(parsed.format("%Y-%m-%d %H:%M:%S%.f").to_string())
}

fn time(s: &str) -> Option<String> {
    use chrono::NaiveTime;
    let s = s.trim();
    ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(s, f).ok())
        .map(|t| t.format("%H:%M:%S%.f").to_string())
}

/// A number in canonical decimal form (`+01.50` is `1.5`, `-0` is `0`); `None` when `text`
/// is not a plain decimal number. Numbers with an exponent are only lower-cased.
pub(crate) fn number(text: &str) -> Option<String> {
    let t = text.trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty() {
        return None;
    }
    if digits.contains(['e', 'E']) {
        return digits.parse::<f64>().ok().map(|_| t.to_ascii_lowercase());
    }
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty()
        || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let body = if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    };
    Some(if negative && body != "0" {
        format!("-{body}")
    } else {
        body
    })
}

fn is_numeric_cast(data_type: &sqlparser::ast::DataType) -> bool {
    is_numeric(&types::parse(&data_type.to_string()))
}

fn boxed(e: Expr) -> Box<Expr> {
    Box::new(e)
}

/// The structural rewriting (see the module documentation); parentheses are removed here and
/// put back canonically by [`paren`].
fn rewrite(e: Expr) -> Expr {
    match e {
        Expr::Nested(inner) => rewrite(*inner),
        Expr::Cast {
            expr, data_type, ..
        } => {
            let inner = rewrite(*expr);
            match string_of(&inner).and_then(number) {
                Some(n) if is_numeric_cast(&data_type) => value(Value::Number(n, false)),
                _ => inner,
            }
        }
        Expr::Value(v) => match v.value {
            Value::Number(n, long) => value(Value::Number(number(&n).unwrap_or(n), long)),
            other => value(other),
        },
        Expr::UnaryOp { op, expr } => unary(op, rewrite(*expr)),
        Expr::BinaryOp {
            left,
            op: op @ (BinaryOperator::And | BinaryOperator::Or),
            right,
        } => chain(*left, op, *right),
        Expr::BinaryOp { left, op, right } => Expr::BinaryOp {
            left: boxed(rewrite(*left)),
            op,
            right: boxed(rewrite(*right)),
        },
        Expr::Like {
            negated,
            any: false,
            expr,
            pattern,
            escape_char: None,
        } => like(*expr, *pattern, negated, false),
        Expr::ILike {
            negated,
            any: false,
            expr,
            pattern,
            escape_char: None,
        } => like(*expr, *pattern, negated, true),
        Expr::In {
            expr,
            target: InTarget::List(list),
            negated,
            global: false,
        } => in_list(*expr, list, negated),
        Expr::Between {
            expr,
            negated,
            low,
            high,
        } => between(*expr, *low, *high, negated),
        other => rewrite_more(other),
    }
}

/// The second half of [`rewrite`] (split to keep functions short).
fn rewrite_more(e: Expr) -> Expr {
    let r = |e: Box<Expr>| boxed(rewrite(*e));
    let e = match map_predicate(e, r) {
        Ok(done) => return done,
        Err(e) => *e,
    };
    match e {
        Expr::AnyOp {
            left,
            compare_op,
            right,
            ..
        } => Expr::AnyOp {
            left: r(left),
            compare_op,
            right: r(right),
            is_some: false,
        },
        Expr::AllOp {
            left,
            compare_op,
            right,
        } => Expr::AllOp {
            left: r(left),
            compare_op,
            right: r(right),
        },
        Expr::Array(mut a) => {
            a.elem = a.elem.into_iter().map(rewrite).collect();
            a.named = true;
            Expr::Array(a)
        }
        Expr::Identifier(i) => Expr::Identifier(fold(i)),
        Expr::CompoundIdentifier(parts) => {
            Expr::CompoundIdentifier(parts.into_iter().map(fold).collect())
        }
        Expr::Function(f) => function(f),
        Expr::Case {
            case_token,
            end_token,
            operand,
            conditions,
            else_result,
        } => Expr::Case {
            case_token,
            end_token,
            operand: operand.map(r),
            conditions: conditions.into_iter().map(case_when).collect(),
            else_result: else_result.map(r),
        },
        other => other,
    }
}

fn case_when(mut c: sqlparser::ast::CaseWhen) -> sqlparser::ast::CaseWhen {
    c.condition = rewrite(c.condition);
    c.result = rewrite(c.result);
    c
}

/// `f` applied to the operands of a predicate (`IS [NOT] NULL/TRUE/FALSE`, `IS [NOT]
/// DISTINCT FROM`); any other expression comes back as the error.
fn map_predicate(e: Expr, f: impl Fn(Box<Expr>) -> Box<Expr>) -> Result<Expr, Box<Expr>> {
    Ok(match e {
        Expr::IsNull(e) => Expr::IsNull(f(e)),
        Expr::IsNotNull(e) => Expr::IsNotNull(f(e)),
        Expr::IsTrue(e) => Expr::IsTrue(f(e)),
        Expr::IsFalse(e) => Expr::IsFalse(f(e)),
        Expr::IsNotTrue(e) => Expr::IsNotTrue(f(e)),
        Expr::IsNotFalse(e) => Expr::IsNotFalse(f(e)),
        Expr::IsDistinctFrom(a, b) => Expr::IsDistinctFrom(f(a), f(b)),
        Expr::IsNotDistinctFrom(a, b) => Expr::IsNotDistinctFrom(f(a), f(b)),
        other => return Err(Box::new(other)),
    })
}

/// `a AND (b AND c)` and `(a AND b) AND c` are one condition (PostgreSQL flattens them): the
/// operands of a chain of one operator are rebuilt left to right.
fn chain(left: Expr, op: BinaryOperator, right: Expr) -> Expr {
    fn operands(e: Expr, op: &BinaryOperator, out: &mut Vec<Expr>) {
        match rewrite(e) {
            Expr::BinaryOp { left, op: o, right } if o == *op => {
                operands(*left, op, out);
                operands(*right, op, out);
            }
            other => out.push(other),
        }
    }
    let mut items = Vec::new();
    operands(left, &op, &mut items);
    operands(right, &op, &mut items);
    let mut items = items.into_iter();
    let first = items.next().expect("two operands at least");
    items.fold(first, |acc, item| Expr::BinaryOp {
        left: boxed(acc),
        op: op.clone(),
        right: boxed(item),
    })
}

fn unary(op: UnaryOperator, operand: Expr) -> Expr {
    if let Expr::Value(v) = &operand
        && let Value::Number(n, long) = &v.value
        && matches!(op, UnaryOperator::Minus | UnaryOperator::Plus)
    {
        let signed = match op {
            UnaryOperator::Minus => format!("-{n}"),
            _ => n.clone(),
        };
        return value(Value::Number(number(&signed).unwrap_or(signed), *long));
    }
    Expr::UnaryOp {
        op,
        expr: boxed(operand),
    }
}

fn like(expr: Expr, pattern: Expr, negated: bool, insensitive: bool) -> Expr {
    let op = match (negated, insensitive) {
        (false, false) => BinaryOperator::PGLikeMatch,
        (true, false) => BinaryOperator::PGNotLikeMatch,
        (false, true) => BinaryOperator::PGILikeMatch,
        (true, true) => BinaryOperator::PGNotILikeMatch,
    };
    Expr::BinaryOp {
        left: boxed(rewrite(expr)),
        op,
        right: boxed(rewrite(pattern)),
    }
}

fn in_list(expr: Expr, mut list: Vec<Expr>, negated: bool) -> Expr {
    let left = boxed(rewrite(expr));
    let op = if negated {
        BinaryOperator::NotEq
    } else {
        BinaryOperator::Eq
    };
    if list.len() == 1 {
        return Expr::BinaryOp {
            left,
            op,
            right: boxed(rewrite(list.remove(0))),
        };
    }
    let right = boxed(Expr::Array(sqlparser::ast::Array {
        elem: list.into_iter().map(rewrite).collect(),
        named: true,
    }));
    if negated {
        Expr::AllOp {
            left,
            compare_op: op,
            right,
        }
    } else {
        Expr::AnyOp {
            left,
            compare_op: op,
            right,
            is_some: false,
        }
    }
}

fn between(expr: Expr, low: Expr, high: Expr, negated: bool) -> Expr {
    let subject = rewrite(expr);
    let (lo_op, hi_op, join) = if negated {
        (BinaryOperator::Lt, BinaryOperator::Gt, BinaryOperator::Or)
    } else {
        (
            BinaryOperator::GtEq,
            BinaryOperator::LtEq,
            BinaryOperator::And,
        )
    };
    let compare = |op, bound| Expr::BinaryOp {
        left: boxed(subject.clone()),
        op,
        right: boxed(rewrite(bound)),
    };
    Expr::BinaryOp {
        left: boxed(compare(lo_op, low)),
        op: join,
        right: boxed(compare(hi_op, high)),
    }
}

/// An unquoted identifier folds to lower case (as PostgreSQL folds it); quotes are dropped.
fn fold(i: Ident) -> Ident {
    match i.quote_style {
        None => Ident::new(i.value.to_lowercase()),
        Some(_) => Ident::new(i.value),
    }
}

fn function(mut f: sqlparser::ast::Function) -> Expr {
    let unquoted = f.name.0.iter().all(|p| match p {
        ObjectNamePart::Identifier(i) => i.quote_style.is_none(),
        ObjectNamePart::Function(_) => false,
    });
    if unquoted {
        for part in &mut f.name.0 {
            if let ObjectNamePart::Identifier(i) = part {
                *i = fold(i.clone());
            }
        }
    }
    let name = f.name.to_string();
    let no_args = match &f.args {
        FunctionArguments::None => true,
        FunctionArguments::List(l) => l.args.is_empty(),
        FunctionArguments::Subquery(_) => false,
    };
    if no_args
        && matches!(
            name.as_str(),
            "now" | "current_timestamp" | "transaction_timestamp"
        )
    {
        f.name = sqlparser::ast::ObjectName::from(vec![Ident::new("current_timestamp")]);
        f.args = FunctionArguments::None;
        return Expr::Function(f);
    }
    if let FunctionArguments::List(list) = &mut f.args {
        for arg in &mut list.args {
            let inner = match arg {
                FunctionArg::Named { arg, .. } | FunctionArg::ExprNamed { arg, .. } => arg,
                FunctionArg::Unnamed(arg) => arg,
            };
            if let FunctionArgExpr::Expr(e) = inner {
                *e = rewrite(std::mem::replace(e, value(Value::Null)));
            }
        }
    }
    Expr::Function(f)
}

/// Whether `e` prints as several tokens joined by an operator (and so needs parentheses as an
/// operand).
fn compound(e: &Expr) -> bool {
    matches!(
        e,
        Expr::BinaryOp { .. }
            | Expr::UnaryOp { .. }
            | Expr::AnyOp { .. }
            | Expr::AllOp { .. }
            | Expr::IsNull(_)
            | Expr::IsNotNull(_)
            | Expr::IsTrue(_)
            | Expr::IsFalse(_)
            | Expr::IsNotTrue(_)
            | Expr::IsNotFalse(_)
            | Expr::IsDistinctFrom(..)
            | Expr::IsNotDistinctFrom(..)
            | Expr::Like { .. }
            | Expr::ILike { .. }
            | Expr::In { .. }
            | Expr::Between { .. }
            | Expr::Cast { .. }
            | Expr::AtTimeZone { .. }
            | Expr::Collate { .. }
    )
}

/// Parenthesises every compound operand, so that one tree has one printing.
fn paren(e: Expr) -> Expr {
    let wrap = |e: Box<Expr>| {
        let inner = paren(*e);
        boxed(if compound(&inner) {
            Expr::Nested(boxed(inner))
        } else {
            inner
        })
    };
    let e = match map_predicate(e, wrap) {
        Ok(done) => return done,
        Err(e) => *e,
    };
    match e {
        Expr::BinaryOp { left, op, right } => Expr::BinaryOp {
            left: wrap(left),
            op,
            right: wrap(right),
        },
        Expr::UnaryOp { op, expr } => Expr::UnaryOp {
            op,
            expr: wrap(expr),
        },
        Expr::AnyOp {
            left,
            compare_op,
            right,
            is_some,
        } => Expr::AnyOp {
            left: wrap(left),
            compare_op,
            right,
            is_some,
        },
        Expr::AllOp {
            left,
            compare_op,
            right,
        } => Expr::AllOp {
            left: wrap(left),
            compare_op,
            right,
        },
        other => other,
    }
}

/// The literal of a default that is only a literal, without its casts (`'x'::character
/// varying` is `'x'`): what can be set again once the column's type changed.
pub(crate) fn bare_literal(text: &str) -> Option<String> {
    let mut e = expr::parse(&PostgreSqlDialect {}, text)?;
    loop {
        e = match e {
            Expr::Nested(inner) => *inner,
            Expr::Cast { expr, .. } => *expr,
            Expr::Value(_) => return Some(e.to_string()),
            Expr::UnaryOp {
                op: UnaryOperator::Minus,
                expr: ref inner,
            } if matches!(inner.as_ref(), Expr::Value(v) if matches!(v.value, Value::Number(..))) =>
            {
                return Some(e.to_string());
            }
            _ => return None,
        };
    }
}
