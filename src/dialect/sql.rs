//! Building SQL text: every identifier and literal goes through here, quoted.

/// How a dialect quotes identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// `"name"` (SQLite, PostgreSQL).
    Double,
    /// `` `name` `` (MySQL).
    Backtick,
}

impl Quote {
    /// Quotes an identifier, doubling the quote character inside it.
    ///
    /// ```
    /// use outflow::dialect::sql::Quote;
    /// assert_eq!(Quote::Double.ident("a\"b"), "\"a\"\"b\"");
    /// assert_eq!(Quote::Backtick.ident("a`b"), "`a``b`");
    /// ```
    pub fn ident(self, name: &str) -> String {
        let q = match self {
            Quote::Double => '"',
            Quote::Backtick => '`',
        };
        let mut out = String::with_capacity(name.len() + 2);
        out.push(q);
        for c in name.chars() {
            if c == q {
                out.push(q);
            }
            out.push(c);
        }
        out.push(q);
        out
    }

    /// Quotes a comma-separated list of identifiers.
    pub fn list<S: AsRef<str>>(self, names: &[S]) -> String {
        names
            .iter()
            .map(|n| self.ident(n.as_ref()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Quotes a string literal (`'it''s'`).
///
/// ```
/// use outflow::dialect::sql::literal;
/// assert_eq!(literal("it's"), "'it''s'");
/// ```
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_stay_inside_their_quotes() {
        for name in [
            "plain",
            "with space",
            "semi;colon",
            "quote\"d",
            "ünïcødé",
            "select",
            "a\"\";--",
        ] {
            let quoted = Quote::Double.ident(name);
            let inner = &quoted[1..quoted.len() - 1];
            assert_eq!(inner.replace("\"\"", "\""), name);
            assert!(!inner.replace("\"\"", "").contains('"'));
        }
        assert_eq!(Quote::Double.list(&["a", "b"]), "\"a\", \"b\"");
    }
}
