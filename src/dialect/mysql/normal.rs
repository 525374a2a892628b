//! Normal forms of defaults and check expressions, so that what the model says and what
//! MariaDB/MySQL print back compare equal.
//!
//! MariaDB rewrites expressions (verified on 10.11): identifiers in backticks, function
//! synonyms (`LENGTH` → `octet_length`, `LOWER` → `lcase`, `UPPER` → `ucase`, `SUBSTRING`/`MID`
//! → `substr`, `CEIL` → `ceiling`, `CHARACTER_LENGTH` → `char_length`), `%`/`MOD()` → `MOD`,
//! `!=` → `<>`, `TRUE` → `1`, `NOT (a = 1)` → `a <> 1`, a one-element `IN` → `=`, minimal
//! parentheses, lower-case keywords. The normal form undoes all of these: tokens are
//! lower-cased and unquoted (MySQL column names ignore case), synonyms get one name, then
//! sqlparser's MySQL AST is simplified and printed.
//!
//! Not normalised (they stay "changed" until the model is written as the server prints them):
//! `CAST(x AS CHAR)` (printed with `charset utf8mb4`), other synonyms, and associativity
//! (`a AND (b AND c)`).

mod ast;

use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr, FunctionArguments, UnaryOperator, Value};
use sqlparser::dialect::{GenericDialect, MySqlDialect};
use sqlparser::tokenizer::Token;

use super::{Flavor, text, types};
use crate::dialect::expr;
use crate::dialect::sql;
use crate::diff::Compare;
use crate::schema::{Column, Table, Type};
use ast::{simplify, strip_outer};

/// Function names MariaDB prints differently from the way they are written, by canonical
/// name.
const SYNONYMS: &[(&str, &str)] = &[
    ("octet_length", "length"),
    ("lcase", "lower"),
    ("ucase", "upper"),
    ("substring", "substr"),
    ("mid", "substr"),
    ("ceil", "ceiling"),
    ("character_length", "char_length"),
    ("now", "current_timestamp"),
    ("localtimestamp", "current_timestamp"),
    ("localtime", "current_timestamp"),
];

/// The normal form of a check (or any) expression in neutral spelling.
pub(crate) fn check(expr: &str) -> String {
    let Some(tokens) = text::neutral_tokens(expr) else {
        return collapse(expr).to_ascii_lowercase();
    };
    let canonical = canonical_tokens(&tokens);
    match expr::parse(&MySqlDialect {}, &canonical) {
        Some(parsed) => strip_outer(simplify(parsed, 0)).to_string(),
        None => canonical,
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tokens lower-cased, unquoted where possible, synonyms renamed; literals in MySQL spelling
/// (the text is parsed with the MySQL dialect next).
fn canonical_tokens(tokens: &[Token]) -> String {
    let mut out = String::new();
    for (i, token) in tokens.iter().enumerate() {
        let call = matches!(
            tokens[i + 1..]
                .iter()
                .find(|t| !matches!(t, Token::Whitespace(_))),
            Some(Token::LParen)
        );
        match token {
            Token::Word(w) => {
                let lower = w.value.to_lowercase();
                let word = if w.quote_style.is_some() {
                    if text::is_plain(&lower) {
                        lower
                    } else {
                        sql::Quote::Backtick.ident(&lower)
                    }
                } else if call {
                    canonical_function(&lower).to_string()
                } else {
                    match lower.as_str() {
                        "mod" => "%".to_string(),
                        "true" => "1".to_string(),
                        "false" => "0".to_string(),
                        _ => lower,
                    }
                };
                out.push_str(&word);
            }
            Token::SingleQuotedString(s) => out.push_str(&text::literal(s)),
            other => out.push_str(&other.to_string()),
        }
    }
    out
}

fn canonical_function(name: &str) -> &str {
    SYNONYMS
        .iter()
        .find(|(from, _)| *from == name)
        .map_or(name, |(_, to)| to)
}

/// The normal form of a column's default (`None` when it has none worth comparing): numbers by
/// value on numeric and boolean columns (`0` = `0.00` = `'0'`, `false` = `0`), string literals
/// in standard quoting, the current-timestamp family as `CURRENT_TIMESTAMP(n)` with the
/// column's precision, other expressions as [`check`] normalises them.
pub(crate) fn default(column: &Column) -> Option<String> {
    let text = column.default.as_deref()?.trim();
    let Some(parsed) = expr::parse(&GenericDialect {}, text) else {
        return Some(check(text));
    };
    let numeric = types::is_numeric(&column.ty);
    match strip_outer(parsed) {
        Expr::Value(v) => match v.value {
            Value::Null if column.nullable => None,
            Value::Null => Some("NULL".into()),
            Value::Boolean(b) if numeric => Some(if b { "1" } else { "0" }.into()),
            // MySQL stores `DEFAULT false` on a text column as the string '0'.
            Value::Boolean(b) => Some(sql::literal(if b { "1" } else { "0" })),
            Value::Number(n, _) if numeric => number(&n),
            Value::Number(n, _) => Some(sql::literal(&n)),
            Value::SingleQuotedString(s) if numeric => number(&s).or(Some(sql::literal(&s))),
            Value::SingleQuotedString(s) => Some(sql::literal(&s)),
            _ => Some(check(text)),
        },
        Expr::UnaryOp { op, expr }
            if numeric && matches!(op, UnaryOperator::Minus | UnaryOperator::Plus) =>
        {
            match *expr {
                Expr::Value(ref v) if matches!(v.value, Value::Number(..)) => {
                    number(&format!("{op}{}", v.value))
                }
                _ => Some(check(text)),
            }
        }
        other => match current_timestamp(&other) {
            Some(digits) => Some(format!(
                "CURRENT_TIMESTAMP({})",
                digits.unwrap_or_else(|| types::fraction_digits(&column.ty))
            )),
            None => Some(check(text)),
        },
    }
}

/// `Some(digits)` when the expression is `CURRENT_TIMESTAMP`, `NOW()` or a synonym (`None`
/// digits: not given).
fn current_timestamp(e: &Expr) -> Option<Option<u32>> {
    let (name, args) = match e {
        Expr::Identifier(ident) if ident.quote_style.is_none() => (ident.value.as_str(), None),
        Expr::Function(f) => {
            let args = match &f.args {
                FunctionArguments::None => None,
                FunctionArguments::List(list) => Some(list.args.as_slice()),
                FunctionArguments::Subquery(_) => return None,
            };
            let name = f.name.0.last()?.as_ident()?.value.as_str();
            (name, args)
        }
        _ => return None,
    };
    let lower = name.to_ascii_lowercase();
    if canonical_function(&lower) != "current_timestamp" {
        return None;
    }
    match args.unwrap_or(&[]) {
        [] => Some(None),
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))] => match &v.value {
            Value::Number(n, _) => n.parse().ok().map(Some),
            _ => None,
        },
        _ => None,
    }
}

/// A number's canonical decimal spelling: no `+`, no leading or trailing zeros, no `-0`.
pub(crate) fn number(text: &str) -> Option<String> {
    let t = text.trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t.strip_prefix('+').unwrap_or(t).trim_start()),
    };
    if digits.contains(['e', 'E']) {
        let value: f64 = digits.parse().ok()?;
        let value = if negative { -value } else { value };
        return value.is_finite().then(|| format!("{}", value + 0.0));
    }
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let mut out = if int.is_empty() {
        "0".to_string()
    } else {
        int.to_string()
    };
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if negative && out != "0" {
        out.insert(0, '-');
    }
    Some(out)
}

/// A catalog default (`COLUMN_DEFAULT`, with `EXTRA`) in neutral spelling, for a column of
/// type `ty`: MariaDB quotes literals and writes `NULL` for an explicit `DEFAULT NULL`; MySQL 8
/// leaves literals unquoted and flags expressions with `DEFAULT_GENERATED`.
pub(crate) fn from_catalog(
    flavor: Flavor,
    raw: Option<&str>,
    extra: &str,
    ty: &Type,
) -> Option<String> {
    let raw = raw?.trim();
    let expression = match flavor {
        Flavor::MariaDb => {
            if raw.eq_ignore_ascii_case("NULL") {
                return None;
            }
            if let Some(value) = text::unquote(raw) {
                return Some(sql::literal(&value));
            }
            true
        }
        Flavor::MySql => extra.to_ascii_uppercase().contains("DEFAULT_GENERATED"),
    };
    if !expression {
        return Some(match ty {
            Type::Boolean => boolean(raw),
            _ if types::is_numeric(ty) => raw.to_string(),
            _ => sql::literal(raw),
        });
    }
    let neutral = match flavor {
        // MySQL 8 escapes an expression default as if it were a literal:
        // `concat(_utf8mb4\'a\',_utf8mb4\'b\')` (documented, not verified here).
        Flavor::MySql => text::to_neutral(&raw.replace("\\'", "'").replace("\\\\", "\\")),
        Flavor::MariaDb => text::to_neutral(raw),
    };
    if let Some(parsed) = expr::parse(&GenericDialect {}, &neutral)
        && let Some(digits) = current_timestamp(&strip_outer(parsed))
    {
        let digits = digits.unwrap_or(0);
        return Some(if digits == types::fraction_digits(ty) {
            "CURRENT_TIMESTAMP".into()
        } else {
            format!("CURRENT_TIMESTAMP({digits})")
        });
    }
    Some(match ty {
        Type::Boolean => boolean(&neutral),
        _ => neutral,
    })
}

fn boolean(text: &str) -> String {
    match number(text).as_deref() {
        Some("0") => "false".into(),
        Some("1") => "true".into(),
        _ => text.to_string(),
    }
}

/// MySQL's normal form: types as they read back (`uuid` is `char(36)`, enums without a type
/// name, raw spellings lower-cased without integer display widths), defaults compared by
/// value on numeric columns and with the column's precision for `CURRENT_TIMESTAMP`, checks
/// with MariaDB's rewrites undone.
#[derive(Debug, Clone, Copy, Default)]
pub struct MySqlCompare;

impl Compare for MySqlCompare {
    fn ty(&self, _table: &Table, column: &Column) -> Type {
        types::normal(&column.ty)
    }

    fn names_primary_keys(&self) -> bool {
        false
    }

    /// MySQL numbers one way: `AUTO_INCREMENT`.
    fn numbering(&self, _column: &Column) -> Option<crate::schema::Numbering> {
        None
    }

    fn default(&self, column: &Column) -> Option<String> {
        default(column)
    }

    fn check(&self, expr: &str) -> String {
        check(expr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::column;

    #[test]
    fn checks_as_written_and_as_mariadb_prints_them_agree() {
        for (model, catalog) in [
            ("length(name) > 0", "octet_length(`name`) > 0"),
            ("amount>=0", "`amount` >= 0"),
            ("tiny > -100", "`tiny` > -100"),
            ("(a > 0) AND (b < 2)", "`a` > 0 and `b` < 2"),
            ("NOT (a = 1) AND a != 2", "`a` <> 1 and `a` <> 2"),
            ("flag = TRUE", "`flag` = 1"),
            ("a IN (3)", "`a` = 3"),
            ("UPPER(s) <> LOWER(s)", "ucase(`s`) <> lcase(`s`)"),
            ("SUBSTRING(s, 1, 2) = 'ab'", "substr(`s`,1,2) = 'ab'"),
            ("MOD(a, 2) = a % 2", "`a` MOD 2 = `a` MOD 2"),
            ("(a + 1) * 2 > -a", "(`a` + 1) * 2 > -`a`"),
            ("name <> 'it''s'", r"`name` <> 'it\'s'"),
            (r#""Odd" IS NOT NULL"#, "`Odd` is not null"),
        ] {
            let from_catalog = text::to_neutral(catalog);
            assert_eq!(check(model), check(&from_catalog), "{model} vs {catalog}");
        }
        assert_ne!(check("a > 0"), check("a > 1"));
        assert_ne!(check("(a OR b) AND c"), check("a OR b AND c"));
        assert_eq!(check("a - (b - c)"), "a - (b - c)");
    }

    fn col(ty: Type, default: &str) -> Column {
        column("c", ty).default(default)
    }

    #[test]
    fn defaults_compare_by_value() {
        let pairs = [
            (
                col(Type::Numeric(12, 2), "0"),
                col(Type::Numeric(12, 2), "0.00"),
            ),
            (col(Type::SmallInt, "-1"), col(Type::SmallInt, "'-1'")),
            (col(Type::Boolean, "false"), col(Type::Boolean, "0")),
            (
                col(Type::Varchar(40), "false"),
                col(Type::Varchar(40), "'0'"),
            ),
            (col(Type::Real, "1.5"), col(Type::Real, "1.50")),
            (col(Type::Text, "'it''s'"), col(Type::Text, "'it''s'")),
            (
                col(Type::Timestamp, "CURRENT_TIMESTAMP"),
                col(Type::Timestamp, "current_timestamp(6)"),
            ),
            (
                col(Type::Timestamp, "now()"),
                col(Type::Timestamp, "CURRENT_TIMESTAMP(6)"),
            ),
            (col(Type::Varchar(3), "0"), col(Type::Varchar(3), "'0'")),
            (col(Type::Integer, "(1 + 1)"), col(Type::Integer, "1+1")),
        ];
        for (a, b) in pairs {
            assert_eq!(
                default(&a),
                default(&b),
                "{:?} vs {:?}",
                a.default,
                b.default
            );
        }
        assert_eq!(default(&col(Type::Text, "NULL")), None);
        assert_eq!(
            default(&col(Type::Text, "NULL").not_null()).as_deref(),
            Some("NULL")
        );
        assert_ne!(
            default(&col(Type::Integer, "1")),
            default(&col(Type::Integer, "2"))
        );
        assert_ne!(
            default(&col(Type::Text, "'a'")),
            default(&col(Type::Text, "'A'"))
        );
    }

    #[test]
    fn catalog_defaults_become_neutral_sql() {
        let maria = |raw: &str, ty: Type| from_catalog(Flavor::MariaDb, Some(raw), "", &ty);
        assert_eq!(
            maria(r"'it\'s a\\b'", Type::Text).as_deref(),
            Some(r"'it''s a\b'")
        );
        assert_eq!(maria("NULL", Type::Text), None);
        assert_eq!(maria("0", Type::Boolean).as_deref(), Some("false"));
        assert_eq!(maria("0.00", Type::Numeric(5, 2)).as_deref(), Some("0.00"));
        assert_eq!(
            maria("current_timestamp(6)", Type::Timestamp).as_deref(),
            Some("CURRENT_TIMESTAMP")
        );
        assert_eq!(
            maria("current_timestamp()", Type::Timestamp).as_deref(),
            Some("CURRENT_TIMESTAMP(0)")
        );
        assert_eq!(maria("(1 + 1)", Type::Integer).as_deref(), Some("(1 + 1)"));
        assert_eq!(from_catalog(Flavor::MariaDb, None, "", &Type::Text), None);
        let mysql =
            |raw: &str, extra: &str, ty: Type| from_catalog(Flavor::MySql, Some(raw), extra, &ty);
        assert_eq!(mysql("it's", "", Type::Text).as_deref(), Some("'it''s'"));
        assert_eq!(mysql("1", "", Type::Boolean).as_deref(), Some("true"));
        assert_eq!(
            mysql("CURRENT_TIMESTAMP(6)", "DEFAULT_GENERATED", Type::Timestamp).as_deref(),
            Some("CURRENT_TIMESTAMP")
        );
        assert_eq!(
            mysql(
                r"concat(_utf8mb4\'it\'\'s\',`a`)",
                "DEFAULT_GENERATED",
                Type::Text
            )
            .as_deref(),
            Some("concat('it''s',a)")
        );
    }

    #[test]
    fn numbers_have_one_spelling() {
        for (a, b) in [
            ("0", "0.00"),
            ("-0", "0"),
            ("+1.50", "1.5"),
            ("007", "7"),
            ("1e3", "1000"),
        ] {
            assert_eq!(number(a), number(b), "{a} vs {b}");
        }
        assert_eq!(number("abc"), None);
        assert_eq!(number("."), None);
    }
}
