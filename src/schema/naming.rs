//! The naming convention for constraints and indexes.
//!
//! Every constraint and index gets a name from one convention, so that diffs are stable and no
//! name depends on what a server invents:
//!
//! | object | name |
//! |---|---|
//! | primary key | `pk_<table>` |
//! | unique constraint | `uq_<table>_<columns>` |
//! | index | `ix_<table>_<columns>` |
//! | foreign key | `fk_<table>_<columns>_<referenced table>` |
//! | check | `ck_<table>_<name>` |
//!
//! Columns are joined by `_`. A name longer than [`MAX_IDENTIFIER_LEN`] bytes (PostgreSQL's
//! limit, the smallest of the supported servers) is cut and ends with `_` and eight hex digits of
//! a SHA-256 of the full name, so the same long name always shortens the same way whatever the
//! dialect.

use sha2::{Digest, Sha256};

/// Longest identifier we generate, in bytes: PostgreSQL's 63 (MySQL allows 64, SQLite more).
pub const MAX_IDENTIFIER_LEN: usize = 63;

/// `pk_<table>`.
pub fn primary_key(table: &str) -> String {
    shorten(format!("pk_{table}"))
}

/// `uq_<table>_<columns>`.
pub fn unique<S: AsRef<str>>(table: &str, columns: &[S]) -> String {
    shorten(format!("uq_{table}_{}", join(columns)))
}

/// `ix_<table>_<columns>`.
pub fn index<S: AsRef<str>>(table: &str, columns: &[S]) -> String {
    shorten(format!("ix_{table}_{}", join(columns)))
}

/// `fk_<table>_<columns>_<referenced table>`.
pub fn foreign_key<S: AsRef<str>>(table: &str, columns: &[S], referenced: &str) -> String {
    shorten(format!("fk_{table}_{}_{referenced}", join(columns)))
}

/// `ck_<table>_<name>`.
pub fn check(table: &str, name: &str) -> String {
    shorten(format!("ck_{table}_{name}"))
}

fn join<S: AsRef<str>>(columns: &[S]) -> String {
    columns
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join("_")
}

/// Cuts `name` to [`MAX_IDENTIFIER_LEN`] bytes with a stable hash suffix; shorter names are kept.
///
/// ```
/// use outflow::schema::naming::shorten;
/// assert_eq!(shorten("ix_t_a".to_string()), "ix_t_a");
/// let long = shorten(format!("uq_{}", "x".repeat(80)));
/// assert_eq!(long.len(), 63);
/// assert_eq!(long, shorten(format!("uq_{}", "x".repeat(80))));
/// ```
pub fn shorten(name: String) -> String {
    if name.len() <= MAX_IDENTIFIER_LEN {
        return name;
    }
    let digest = Sha256::digest(name.as_bytes());
    let hash: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let mut cut = MAX_IDENTIFIER_LEN - hash.len() - 1;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{hash}", &name[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn convention_names() {
        assert_eq!(primary_key("computation_result"), "pk_computation_result");
        assert_eq!(
            unique("computation_result", &["input_value", "multiplier"]),
            "uq_computation_result_input_value_multiplier"
        );
        assert_eq!(index("t", &["a", "b"]), "ix_t_a_b");
        assert_eq!(
            foreign_key("t0001", &["prev_id"], "t0000"),
            "fk_t0001_prev_id_t0000"
        );
        assert_eq!(check("t", "positive"), "ck_t_positive");
    }

    #[test]
    fn long_names_are_cut_with_a_stable_hash() {
        let columns: Vec<String> = (0..12).map(|i| format!("column_number_{i}")).collect();
        let a = index("a_rather_long_table_name", &columns);
        assert_eq!(a.len(), MAX_IDENTIFIER_LEN);
        assert!(a.starts_with("ix_a_rather_long_table_name_column_number_0_"));
        assert_eq!(a, index("a_rather_long_table_name", &columns));
        let mut other = columns.clone();
        other[11] = "column_number_x".into();
        assert_ne!(a, index("a_rather_long_table_name", &other));
        let unicode = shorten(format!("ix_{}", "é".repeat(40)));
        assert!(unicode.len() <= MAX_IDENTIFIER_LEN);
    }
}
