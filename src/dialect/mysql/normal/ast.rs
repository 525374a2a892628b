//! Simplifying a parsed expression the way MariaDB prints it: minimal parentheses for MySQL's
//! operator precedence, `NOT` folded into the comparison or predicate it negates, a
//! one-element `IN` as `=`, `MOD(a, b)` as `a % b`.

use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, InTarget, UnaryOperator,
    Value,
};

pub(crate) fn strip_outer(mut e: Expr) -> Expr {
    while let Expr::Nested(inner) = e {
        e = *inner;
    }
    e
}

/// Binding strength of an operator, as MySQL's grammar has it (higher binds tighter); `None`
/// for operators this module does not rank.
fn precedence(op: &BinaryOperator) -> Option<u8> {
    use BinaryOperator::*;
    Some(match op {
        Or | Xor => 1,
        And => 2,
        Eq | NotEq | Lt | LtEq | Gt | GtEq | Spaceship => 4,
        BitwiseOr => 5,
        BitwiseAnd => 6,
        PGBitwiseShiftLeft | PGBitwiseShiftRight => 7,
        Plus | Minus => 8,
        Multiply | Divide | Modulo | MyIntegerDivide => 9,
        BitwiseXor => 10,
        _ => return None,
    })
}

const NOT_PRECEDENCE: u8 = 3;
/// Comparisons and `LIKE`/`IN`/`BETWEEN`/`IS` forms bind like `=`.
const PREDICATE_PRECEDENCE: u8 = 4;
const ATOM: u8 = u8::MAX;

/// How tightly `e` binds, to decide whether it needs parentheses under a parent.
fn strength(e: &Expr) -> u8 {
    match e {
        Expr::BinaryOp { op, .. } => precedence(op).unwrap_or(0),
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            ..
        } => NOT_PRECEDENCE,
        Expr::Like { .. }
        | Expr::ILike { .. }
        | Expr::In { .. }
        | Expr::Between { .. }
        | Expr::IsNull(_)
        | Expr::IsNotNull(_)
        | Expr::IsTrue(_)
        | Expr::IsFalse(_)
        | Expr::IsNotTrue(_)
        | Expr::IsNotFalse(_) => PREDICATE_PRECEDENCE,
        _ => ATOM,
    }
}

/// Removes parentheses the precedence makes redundant and applies MariaDB's own rewrites
/// (`NOT (a = b)` → `a <> b`, `x IN (v)` → `x = v`, `MOD(a, b)` → `a % b`). `parent` is the
/// strength of the enclosing operator: every node is put back in parentheses exactly when it
/// binds more loosely than its parent, whatever the input had.
pub(crate) fn simplify(e: Expr, parent: u8) -> Expr {
    let e = match e {
        Expr::Nested(inner) => return simplify(*inner, parent),
        Expr::BinaryOp { left, op, right } => {
            let p = precedence(&op).unwrap_or(ATOM - 1);
            Expr::BinaryOp {
                left: Box::new(simplify(*left, p)),
                right: Box::new(simplify(*right, p.saturating_add(1))),
                op,
            }
        }
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => negate(strip_outer(simplify(*expr, 0))),
        Expr::UnaryOp { op, expr } => Expr::UnaryOp {
            op,
            expr: Box::new(simplify(*expr, ATOM - 1)),
        },
        Expr::In {
            expr,
            target: InTarget::List(mut list),
            negated,
            global: false,
        } if list.len() == 1 => {
            let op = if negated {
                BinaryOperator::NotEq
            } else {
                BinaryOperator::Eq
            };
            let right = Box::new(list.remove(0));
            simplify(
                Expr::BinaryOp {
                    left: expr,
                    op,
                    right,
                },
                parent,
            )
        }
        Expr::Function(f) => match modulo_call(&f) {
            Some((a, b)) => simplify(
                Expr::BinaryOp {
                    left: a,
                    op: BinaryOperator::Modulo,
                    right: b,
                },
                parent,
            ),
            None => Expr::Function(simplify_arguments(f)),
        },
        other => predicate(other),
    };
    if strength(&e) < parent {
        Expr::Nested(Box::new(e))
    } else {
        e
    }
}

/// The operands of `IS [NOT] NULL` and `BETWEEN`, simplified.
fn predicate(e: Expr) -> Expr {
    let below = PREDICATE_PRECEDENCE + 1;
    let operand = |x: Box<Expr>| Box::new(simplify(*x, below));
    match e {
        Expr::IsNull(x) => Expr::IsNull(operand(x)),
        Expr::IsNotNull(x) => Expr::IsNotNull(operand(x)),
        Expr::Between {
            expr,
            negated,
            low,
            high,
        } => Expr::Between {
            expr: operand(expr),
            negated,
            low: operand(low),
            high: operand(high),
        },
        other => other,
    }
}

/// `NOT e` the way MariaDB prints it: comparisons inverted, `NOT` folded into `IN`, `LIKE`,
/// `BETWEEN` and `IS NULL`.
fn negate(e: Expr) -> Expr {
    match e {
        Expr::BinaryOp { left, op, right } if inverse(&op).is_some() => Expr::BinaryOp {
            left,
            op: inverse(&op).expect("checked"),
            right,
        },
        Expr::In {
            expr,
            target,
            negated,
            global,
        } => Expr::In {
            expr,
            target,
            negated: !negated,
            global,
        },
        Expr::Like {
            negated,
            any,
            expr,
            pattern,
            escape_char,
        } => Expr::Like {
            negated: !negated,
            any,
            expr,
            pattern,
            escape_char,
        },
        Expr::Between {
            expr,
            negated,
            low,
            high,
        } => Expr::Between {
            expr,
            negated: !negated,
            low,
            high,
        },
        Expr::IsNull(x) => Expr::IsNotNull(x),
        Expr::IsNotNull(x) => Expr::IsNull(x),
        other if strength(&other) < NOT_PRECEDENCE => Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr: Box::new(Expr::Nested(Box::new(other))),
        },
        other => Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr: Box::new(other),
        },
    }
}

fn simplify_arguments(mut f: sqlparser::ast::Function) -> sqlparser::ast::Function {
    if let FunctionArguments::List(list) = &mut f.args {
        for arg in &mut list.args {
            if let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = arg {
                let taken = std::mem::replace(e, Expr::value(Value::Null));
                *e = simplify(taken, 0);
            }
        }
    }
    f
}

fn inverse(op: &BinaryOperator) -> Option<BinaryOperator> {
    use BinaryOperator::*;
    Some(match op {
        Eq => NotEq,
        NotEq => Eq,
        Lt => GtEq,
        GtEq => Lt,
        Gt => LtEq,
        LtEq => Gt,
        _ => return None,
    })
}

fn modulo_call(f: &sqlparser::ast::Function) -> Option<(Box<Expr>, Box<Expr>)> {
    if !f.name.to_string().eq_ignore_ascii_case("mod") {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    match list.args.as_slice() {
        [
            FunctionArg::Unnamed(FunctionArgExpr::Expr(a)),
            FunctionArg::Unnamed(FunctionArgExpr::Expr(b)),
        ] => Some((Box::new(a.clone()), Box::new(b.clone()))),
        _ => None,
    }
}
