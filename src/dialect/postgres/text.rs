//! Token-level work on SQL text: finding statements and qualified names without parsing,
//! checking that text is safe to paste into a statement.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

/// The tokens of `text` with the text each was read from (token printing does not give the
/// original back: quotes inside strings are not doubled again).
pub(crate) fn token_slices(text: &str) -> Option<Vec<(Token, &str)>> {
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, text)
        .tokenize_with_location()
        .ok()?;
    // Byte offset of each token's start, walking the text as the tokenizer counts lines and
    // columns.
    let mut starts = Vec::with_capacity(tokens.len());
    let mut chars = text.char_indices().peekable();
    let (mut line, mut col) = (1u64, 1u64);
    for t in &tokens {
        let at = (t.span.start.line, t.span.start.column);
        while (line, col) < at {
            match chars.next() {
                Some((_, '\n')) => (line, col) = (line + 1, 1),
                Some(_) => col += 1,
                None => break,
            }
        }
        starts.push(chars.peek().map_or(text.len(), |(i, _)| *i));
    }
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    Some(
        tokens
            .into_iter()
            .zip(starts.iter().zip(ends))
            .map(|(t, (a, b))| (t.token, &text[*a..b]))
            .collect(),
    )
}

/// Removes the qualification `schema.` from names of the given schemas in catalog text
/// (`'ok'::public.mood` is `'ok'::mood`, `nextval('public.s'::regclass)` is `nextval('s'...)`),
/// leaving string literals and everything else as written.
pub(crate) fn unqualify(text: &str, schemas: &[&str]) -> String {
    let Some(tokens) = token_slices(text) else {
        return text.to_string();
    };
    let named = |t: &Token| match t {
        Token::Word(w) => schemas.iter().any(|s| {
            if w.quote_style.is_some() {
                w.value == *s
            } else {
                w.value.eq_ignore_ascii_case(s)
            }
        }),
        _ => false,
    };
    let token = |i: usize| tokens.get(i).map(|(t, _)| t);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < tokens.len() {
        let (t, slice) = &tokens[i];
        if named(t) && token(i + 1) == Some(&Token::Period) {
            i += 2;
            continue;
        }
        match t {
            Token::SingleQuotedString(s)
                if token(i + 1) == Some(&Token::DoubleColon)
                    && matches!(token(i + 2), Some(Token::Word(w)) if w.value == "regclass") =>
            {
                let bare = schemas
                    .iter()
                    .find_map(|schema| s.strip_prefix(&format!("{schema}.")))
                    .unwrap_or(s);
                out.push_str(&crate::dialect::sql::literal(bare));
            }
            _ => out.push_str(slice),
        }
        i += 1;
    }
    out
}

/// Whether `text` can be pasted into a statement as one expression or type (see
/// [`crate::dialect::expr::is_single_expression`]), read as PostgreSQL reads it.
pub(crate) fn is_single_expression(text: &str) -> bool {
    crate::dialect::expr::is_single_expression(&PostgreSqlDialect {}, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_qualification_goes() {
        let schemas = ["app", "public"];
        assert_eq!(unqualify("'ok'::app.mood", &schemas), "'ok'::mood");
        assert_eq!(
            unqualify("nextval('app.t_id_seq'::regclass)", &schemas),
            "nextval('t_id_seq'::regclass)"
        );
        assert_eq!(unqualify("'it''s'::app.mood", &schemas), "'it''s'::mood");
        assert_eq!(
            unqualify("'app.x'::text || public.f(\"App\".y)", &schemas),
            "'app.x'::text || f(\"App\".y)"
        );
    }

    #[test]
    fn pasted_text_must_be_one_expression() {
        for ok in [
            "0",
            "'a;b'",
            "lower(x)",
            "numeric(10, 2)[]",
            "timestamp(3) with time zone",
        ] {
            assert!(is_single_expression(ok), "{ok}");
        }
        for bad in [
            "0; DROP TABLE t",
            "(1",
            "1)",
            "0 -- NOT NULL",
            "/* x */ 1",
            "",
            "'open",
        ] {
            assert!(!is_single_expression(bad), "{bad}");
        }
    }
}
