//! Keys and indexes as MySQL sees them: which index a foreign key uses, which column starts a
//! key, and what MySQL refuses to index or create.

use sqlparser::tokenizer::Token;

use super::{render, text, types};
use crate::ops::{Constraint, Operation};
use crate::schema::{Column, ForeignKey, Index, Table};

/// Whether an index of the model (primary key, unique, index) starts with the key's columns,
/// in order: InnoDB then uses it for the key.
pub(crate) fn covered(table: &Table, key: &ForeignKey) -> bool {
    let starts = |columns: &[String]| {
        columns.len() >= key.columns.len()
            && columns
                .iter()
                .zip(&key.columns)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    };
    table
        .primary_key
        .as_ref()
        .is_some_and(|k| starts(&k.columns))
        || table.uniques.iter().any(|u| starts(&u.columns))
        || table.indexes.iter().any(|i| starts(&i.key_columns()))
}

/// The index we give a foreign key no model index covers: its name, its columns.
pub(crate) fn support_index(key: &ForeignKey) -> Index {
    crate::schema::index(key.name.clone(), &key.columns)
}

/// The support indexes a table needs.
pub(crate) fn support_indexes(table: &Table) -> Vec<Index> {
    table
        .foreign_keys
        .iter()
        .filter(|k| !covered(table, k))
        .map(support_index)
        .collect()
}

/// Whether some key of `table` (or one of `fk_indexes`) has `column` first: MySQL's condition
/// for `AUTO_INCREMENT`.
pub(crate) fn starts_key(table: &Table, fk_indexes: &[Index], column: &str) -> bool {
    let first = |columns: &[String]| {
        columns
            .first()
            .is_some_and(|c| c.eq_ignore_ascii_case(column))
    };
    table
        .primary_key
        .as_ref()
        .is_some_and(|k| first(&k.columns))
        || table.uniques.iter().any(|u| first(&u.columns))
        || table
            .indexes
            .iter()
            .chain(fk_indexes)
            .any(|i| first(&i.key_columns()))
}

/// Whether the expression names `column` (outside string literals).
pub(crate) fn mentions(expr: &str, column: &str) -> bool {
    text::neutral_tokens(expr).is_some_and(|tokens| {
        tokens
            .iter()
            .any(|t| matches!(t, Token::Word(w) if w.value.eq_ignore_ascii_case(column)))
    })
}

/// Whether `op` names `column` of its table.
pub(crate) fn op_mentions(op: &Operation, column: &str) -> bool {
    let has = |columns: &[String]| columns.iter().any(|c| c.eq_ignore_ascii_case(column));
    let is = |name: &str| name.eq_ignore_ascii_case(column);
    match op {
        Operation::AddColumn { column: c, .. } => is(&c.name),
        Operation::DropColumn { column: c, .. } | Operation::AlterColumn { column: c, .. } => is(c),
        Operation::RenameColumn { from, to, .. } => is(from) || is(to),
        Operation::CreateIndex { index, .. } => has(&index
            .column_names()
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()),
        Operation::AddConstraint { constraint, .. } => match constraint {
            Constraint::PrimaryKey(k) => has(&k.columns),
            Constraint::Unique(u) => has(&u.columns),
            Constraint::ForeignKey(k) => has(&k.columns),
            Constraint::Check(c) => mentions(&c.expr, column),
            Constraint::Exclusion(x) => mentions(&x.definition, column),
        },
        _ => false,
    }
}

/// Why a column cannot be created as asked, if it cannot.
pub(crate) fn check_column(column: &Column) -> Result<(), String> {
    match types::size_problem(&column.ty) {
        Some(problem) => Err(format!("column '{}': {problem}", column.name)),
        None => Ok(()),
    }
}

/// Why a key over `columns` cannot be created, if it cannot: MySQL indexes text, blob and
/// JSON columns only by a prefix, which the model does not hold. Rather than index a prefix
/// (a unique key would then compare prefixes only), the change is refused.
pub(crate) fn check_key(table: &Table, columns: &[String]) -> Result<(), String> {
    for name in columns {
        if let Some(column) = table.column_named(name)
            && let Some(spelling) = types::large_object(&column.ty)
        {
            return Err(format!(
                "column '{}.{name}' is {spelling}, which MySQL indexes only by a prefix length; give it a bounded type such as varchar(n) (`#[column(length = n)]`)",
                table.name
            ));
        }
    }
    Ok(())
}

/// Refuses a table option MySQL does not know, and option values that are not plain words.
pub(crate) fn check_table_options(
    options: &std::collections::BTreeMap<String, String>,
) -> Result<(), String> {
    const KNOWN: [&str; 6] = [
        "engine",
        "charset",
        "collation",
        "row_format",
        "key_block_size",
        "partition_by",
    ];
    for (k, v) in options {
        if !KNOWN.contains(&k.as_str()) {
            return Err(format!(
                "MySQL has no table option '{k}' (it has {})",
                KNOWN.join(", ")
            ));
        }
        if k == "partition_by" {
            // A partitioning clause is SQL the user wrote: kept whole, but never a
            // second statement or a comment that would hide the rest of the line.
            if v.trim().is_empty() || v.contains(';') || v.contains("--") || v.contains("/*") {
                return Err(format!(
                    "table option 'partition_by' must be one PARTITION BY clause, not {v:?}"
                ));
            }
            continue;
        }
        if v.is_empty() || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "table option '{k}' must be a plain word, not {v:?}"
            ));
        }
    }
    Ok(())
}

/// Refuses what MySQL cannot say of a constraint: exclusion constraints, deferral, `NOT
/// VALID`, `NO INHERIT`, `MATCH FULL`, `NULLS NOT DISTINCT`, comments.
pub(crate) fn check_options(constraint: &Constraint) -> Result<(), String> {
    if let Constraint::Exclusion(x) = constraint {
        return Err(format!(
            "MySQL has no exclusion constraints ('{}'); keep it for PostgreSQL",
            x.name
        ));
    }
    if constraint.options().is_default() {
        return Ok(());
    }
    Err(format!(
        "{} '{}' says what MySQL cannot (deferral, NOT VALID, NO INHERIT, MATCH FULL, NULLS NOT DISTINCT or a comment); remove it for MySQL",
        constraint.kind(),
        constraint.name()
    ))
}

/// Why an index cannot be created, if it cannot: its whole-column parts are checked as a
/// key's (a prefix length, a full-text or spatial index may cover a text column).
pub(crate) fn check_index(table: &Table, index: &Index) -> Result<(), String> {
    match index.method.as_deref() {
        Some("fulltext" | "spatial") => Ok(()),
        _ => check_key(table, &index.whole_columns()),
    }
}

/// MySQL numbers at most one column of a table, and only a column that starts a key.
fn check_numbered(table: &Table) -> Result<(), String> {
    let numbered: Vec<&str> = table
        .columns
        .iter()
        .filter(|c| c.autoincrement)
        .map(|c| c.name.as_str())
        .collect();
    if numbered.len() > 1 {
        return Err(format!(
            "table '{}' has {} autoincrement columns ({}); MySQL numbers one column per table: keep autoincrement on one",
            table.name,
            numbered.len(),
            numbered.join(", ")
        ));
    }
    match numbered.first() {
        Some(name) if !starts_key(table, &support_indexes(table), name) => Err(format!(
            "column '{}.{name}' is autoincrement but starts no key; MySQL numbers only the first column of a key: make it the primary key or index it",
            table.name
        )),
        _ => Ok(()),
    }
}

/// Everything `CREATE TABLE` would refuse, checked before anything runs.
pub(crate) fn check_table(table: &Table) -> Result<(), String> {
    table.columns.iter().try_for_each(check_column)?;
    let keys = table.primary_key.iter().map(|k| &k.columns);
    let keys = keys
        .chain(table.uniques.iter().map(|u| &u.columns))
        .chain(table.foreign_keys.iter().map(|k| &k.columns));
    for columns in keys {
        check_key(table, columns)?;
    }
    for index in &table.indexes {
        check_index(table, index)?;
    }
    check_table_options(&table.options)?;
    let constraints = Constraint::all_of(table);
    for c in constraints {
        check_options(&c)?;
    }
    check_numbered(table)?;
    match table.foreign_keys.iter().find_map(render::action_problem) {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Type, column, foreign_key, table};

    fn child() -> Table {
        table("child")
            .column(column("id", Type::Integer).not_null())
            .column(column("a", Type::Integer))
            .column(column("b", Type::Integer))
            .column(column("note", Type::Text))
            .primary_key("pk_child", ["id"])
            .foreign_key(foreign_key("fk_child_a_b_p", ["a", "b"], "p", ["x", "y"]))
    }

    #[test]
    fn an_index_covers_a_key_when_it_starts_with_its_columns() {
        let key = &child().foreign_keys[0];
        assert!(!covered(&child(), key));
        assert!(!covered(&child().index("ix_b_a", ["b", "a"]), key));
        assert!(!covered(&child().index("ix_a", ["a"]), key));
        assert!(covered(&child().index("ix_a_b_id", ["a", "b", "id"]), key));
        assert!(covered(&child().unique("uq_a_b", ["a", "b"]), key));
        assert_eq!(support_indexes(&child())[0].name, "fk_child_a_b_p");
    }

    #[test]
    fn keys_and_columns_mysql_refuses() {
        let t = child().index("ix_note", ["note"]);
        let err = check_table(&t).unwrap_err();
        assert!(err.contains("'child.note' is LONGTEXT"), "{err}");
        assert!(check_table(&child()).is_ok());
        let wide = child().column(column("n", Type::Numeric(70, 2)));
        assert!(
            check_table(&wide)
                .unwrap_err()
                .contains("precision up to 65")
        );
        assert!(starts_key(&child(), &[], "id") && !starts_key(&child(), &[], "a"));
        assert!(starts_key(&child(), &support_indexes(&child()), "a"));
        assert!(mentions("A > 0 AND 'a' <> b", "a") && !mentions("'a' <> b", "a"));
    }

    #[test]
    fn one_numbered_column_and_only_at_the_start_of_a_key() {
        let mut first_of_key = child();
        first_of_key.columns[0].autoincrement = true;
        assert!(check_table(&first_of_key).is_ok());
        let mut fk_first = child();
        fk_first.columns[1].autoincrement = true;
        assert!(
            check_table(&fk_first).is_ok(),
            "the support index starts with a"
        );
        let mut not_first = child();
        not_first.columns[2].autoincrement = true;
        assert_eq!(
            check_table(&not_first).unwrap_err(),
            "column 'child.b' is autoincrement but starts no key; MySQL numbers only the first column of a key: make it the primary key or index it"
        );
        let mut two = first_of_key.clone();
        two.columns[1].autoincrement = true;
        assert!(
            check_table(&two)
                .unwrap_err()
                .contains("has 2 autoincrement columns (id, a)")
        );
    }
}
