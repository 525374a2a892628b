//! SQL text between the dialect-free model and MySQL.
//!
//! The schema model holds SQL expressions (defaults, checks) in *neutral* spelling: standard
//! string literals (`'it''s'`, a backslash is a backslash), identifiers bare or in double
//! quotes. MySQL reads a backslash in a literal as an escape and a double-quoted word as a
//! string, so expressions are translated token by token (sqlparser's tokenizer) on the way in
//! ([`to_mysql`]) and on the way back from the catalog ([`to_neutral`]): nothing is pasted as
//! it was written.

use sqlparser::dialect::{Dialect, GenericDialect, MySqlDialect};
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

use crate::dialect::sql::{self, Quote};

/// A MySQL string literal: quotes doubled, backslashes and NUL escaped (the session never has
/// `NO_BACKSLASH_ESCAPES`, see `connect`).
///
/// ```text
/// it's a\b  ->  'it''s a\\b'
/// ```
pub(crate) fn literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// The character a MySQL backslash escape stands for (`\n` is a newline, `\%` stays `\%`'s
/// second character as MySQL documents for unknown escapes).
pub(crate) fn unescape_char(c: char) -> char {
    match c {
        '0' => '\0',
        'b' => '\u{8}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'Z' => '\u{1a}',
        other => other,
    }
}

/// The value of a whole MySQL quoted literal (`'it\'s'`, `'it''s'`), if `text` is one.
pub(crate) fn unquote(text: &str) -> Option<String> {
    let tokens = tokenize(&MySqlDialect {}, text.trim())?;
    match tokens.as_slice() {
        [Token::SingleQuotedString(s)] => Some(s.clone()),
        _ => None,
    }
}

fn tokenize(dialect: &dyn Dialect, text: &str) -> Option<Vec<Token>> {
    Tokenizer::new(dialect, text).tokenize().ok()
}

/// A neutral expression in MySQL spelling: double-quoted identifiers in backticks, string
/// literals escaped for MySQL. Text that does not tokenize is returned as it is (the server
/// then says what is wrong with it).
pub(crate) fn to_mysql(expr: &str) -> String {
    let Some(tokens) = tokenize(&GenericDialect {}, expr) else {
        return expr.trim().to_string();
    };
    let mut out = String::with_capacity(expr.len() + 8);
    for token in &tokens {
        match token {
            Token::Word(w) if w.quote_style.is_some() => {
                out.push_str(&Quote::Backtick.ident(&w.value))
            }
            Token::Word(w) => out.push_str(&w.value),
            Token::SingleQuotedString(s)
            | Token::EscapedStringLiteral(s)
            | Token::UnicodeStringLiteral(s)
            | Token::DoubleQuotedString(s) => out.push_str(&literal(s)),
            Token::NationalStringLiteral(s) => {
                out.push('N');
                out.push_str(&literal(s));
            }
            Token::HexStringLiteral(s) => {
                out.push('X');
                out.push_str(&literal(s));
            }
            Token::DollarQuotedString(d) => out.push_str(&literal(&d.value)),
            // Every other string form is printed back unescaped by the tokenizer: quoted here
            // as a plain string, so its content can never leave its quotes.
            Token::TripleSingleQuotedString(s)
            | Token::TripleDoubleQuotedString(s)
            | Token::SingleQuotedByteStringLiteral(s)
            | Token::DoubleQuotedByteStringLiteral(s)
            | Token::TripleSingleQuotedByteStringLiteral(s)
            | Token::TripleDoubleQuotedByteStringLiteral(s)
            | Token::SingleQuotedRawStringLiteral(s)
            | Token::DoubleQuotedRawStringLiteral(s)
            | Token::TripleSingleQuotedRawStringLiteral(s)
            | Token::TripleDoubleQuotedRawStringLiteral(s) => out.push_str(&literal(s)),
            other => out.push_str(&other.to_string()),
        }
    }
    out.trim().to_string()
}

/// A MySQL expression (as the catalog prints it) in neutral spelling: backticks dropped where
/// the name needs no quoting (double quotes otherwise), literals in standard form, character
/// set introducers (`_utf8mb4'x'`, MySQL 8) dropped.
pub(crate) fn to_neutral(expr: &str) -> String {
    let Some(tokens) = tokenize(&MySqlDialect {}, expr) else {
        return expr.trim().to_string();
    };
    let mut out = String::with_capacity(expr.len());
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Word(w) if w.quote_style.is_some() => out.push_str(&neutral_ident(&w.value)),
            Token::Word(w)
                if w.value.starts_with('_')
                    && matches!(tokens.get(i + 1), Some(Token::SingleQuotedString(_))) => {}
            Token::Word(w) => out.push_str(&w.value),
            Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => {
                out.push_str(&sql::literal(s))
            }
            other => out.push_str(&other.to_string()),
        }
    }
    out.trim().to_string()
}

/// A name as neutral SQL writes it: bare when it is a plain lower-case word, else in double
/// quotes.
pub(crate) fn neutral_ident(name: &str) -> String {
    if is_plain(name) {
        name.to_string()
    } else {
        Quote::Double.ident(name)
    }
}

/// Words reserved by MySQL, PostgreSQL or SQLite that a column could be named: those stay
/// quoted in neutral SQL.
const RESERVED: &[&str] = &[
    "all",
    "and",
    "any",
    "as",
    "asc",
    "between",
    "both",
    "by",
    "case",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "delete",
    "desc",
    "distinct",
    "drop",
    "else",
    "end",
    "false",
    "for",
    "foreign",
    "from",
    "grant",
    "group",
    "having",
    "in",
    "index",
    "insert",
    "interval",
    "into",
    "is",
    "join",
    "key",
    "leading",
    "like",
    "limit",
    "not",
    "null",
    "on",
    "or",
    "order",
    "primary",
    "range",
    "references",
    "row",
    "rows",
    "select",
    "set",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "update",
    "user",
    "using",
    "values",
    "when",
    "where",
    "with",
];

/// Whether a name can be written without quotes everywhere: lower-case letters, digits and
/// `_`, not starting with a digit, and not a reserved word.
pub(crate) fn is_plain(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    first_ok
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED.contains(&name)
}

/// Tokens of a neutral expression with every run of whitespace as one space, for the normal
/// forms (`None` when it does not tokenize).
pub(crate) fn neutral_tokens(expr: &str) -> Option<Vec<Token>> {
    let tokens = tokenize(&GenericDialect {}, expr)?;
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    for token in tokens {
        if let Token::Whitespace(_) = token {
            if !matches!(out.last(), None | Some(Token::Whitespace(_))) {
                out.push(Token::Whitespace(Whitespace::Space));
            }
        } else {
            out.push(token);
        }
    }
    if matches!(out.last(), Some(Token::Whitespace(_))) {
        out.pop();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_form_stays_inside_its_quotes() {
        assert_eq!(
            to_mysql("N'x''); DROP TABLE u; -- '"),
            "N'x''); DROP TABLE u; -- '"
        );
        assert_eq!(to_mysql("E'a''b'"), "'a''b'");
        assert_eq!(to_mysql("$$it's$$"), "'it''s'");
    }

    #[test]
    fn literals_escape_quotes_and_backslashes() {
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(literal(r"a\b"), r"'a\\b'");
        assert_eq!(literal("nul\0"), r"'nul\0'");
        assert_eq!(unquote(r"'it\'s a\\b'").as_deref(), Some(r"it's a\b"));
        assert_eq!(unquote("'it''s'").as_deref(), Some("it's"));
        assert_eq!(unquote("'a' 'b'"), None);
        assert_eq!(unquote("current_timestamp()"), None);
    }

    #[test]
    fn expressions_translate_both_ways() {
        assert_eq!(
            to_mysql(r#""Weird Name" > 0 AND b <> 'it''s \'"#),
            r"`Weird Name` > 0 AND b <> 'it''s \\'"
        );
        assert_eq!(
            to_neutral(r"octet_length(`name`) > 0 and `Odd` <> 'it\'s\\'"),
            r#"octet_length(name) > 0 and "Odd" <> 'it''s\'"#
        );
        assert_eq!(to_neutral("`x` = _utf8mb4'a'"), "x = 'a'");
        assert_eq!(to_neutral("`order` > 1"), "\"order\" > 1");
    }

    #[test]
    fn plain_names() {
        assert!(is_plain("amount") && is_plain("_x1"));
        assert!(!is_plain("Amount") && !is_plain("1a") && !is_plain("select") && !is_plain(""));
    }
}
