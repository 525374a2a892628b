//! Outflow's snake-case rule: the default table name of a model, and the default type name
//! and labels of a `DbEnum`.

/// Converts a struct name to a table name exactly as Outflow (Python) does (and, by the same
/// rule, an enum or variant name to a `DbEnum` type name or label):
/// `re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower()`.
///
/// Hand-written rather than taken from a case-conversion crate because those crates split words
/// differently on digits (`heck` turns `AB1C` into `ab1c`, Python gives `ab1_c`), and a model
/// must get the same table name in both implementations or migrations would rename tables.
///
/// Both lookarounds of the regex inspect the original text, so every upper-case letter is judged
/// on its own neighbours: it gets a `_` before it when it follows a lower-case letter or a digit,
/// or when it is not the first character and a lower-case letter follows it.
pub fn snake_case(ident: &str) -> String {
    let chars: Vec<char> = ident.chars().collect();
    let mut out = String::with_capacity(ident.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let after_lower_or_digit =
                i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let before_lower = i > 0 && chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if after_lower_or_digit || before_lower {
                out.push('_');
            }
        }
        // Python's `str.lower()` also lowers non-ASCII letters.
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn matches_outflow_python_rule() {
        let cases = [
            ("MyTable", "my_table"),
            ("HTTPResponse", "http_response"),
            ("ComputationResult", "computation_result"),
            ("T0001", "t0001"),
            ("Table2Name", "table2_name"),
            ("ABC", "abc"),
            ("GetHTTP2Response", "get_http2_response"),
            ("AB1C", "ab1_c"),
        ];
        for (ident, expected) in cases {
            assert_eq!(snake_case(ident), expected, "{ident}");
        }
    }
}
