//! SQLite DDL for tables, columns and indexes.

use sqlparser::dialect::SQLiteDialect;

use super::types;
use crate::dialect::expr;
use crate::dialect::sql::{Quote, literal};
use crate::schema::{Column, ForeignKey, Index, KeyPart, Table, Type};

const Q: Quote = Quote::Double;

/// `"name" TYPE [NOT NULL] [DEFAULT ...]`, plus the inline primary key of an autoincrement
/// column (SQLite only accepts `AUTOINCREMENT` on a column-level `INTEGER PRIMARY KEY`).
pub(crate) fn column_def(table: &Table, column: &Column) -> String {
    let inline_pk = inline_primary_key(table).filter(|(_, name)| *name == column.name);
    // AUTOINCREMENT is only accepted on a rowid alias, which must be spelled exactly INTEGER.
    let ty = if inline_pk.is_some() {
        "INTEGER".to_string()
    } else {
        types::render(&column.ty)
    };
    let mut out = format!("{} {ty}", Q.ident(&column.name));
    if let Some(collation) = &column.collation {
        out.push_str(&format!(" COLLATE {}", Q.ident(collation)));
    }
    if !column.nullable {
        out.push_str(" NOT NULL");
    }
    if let Some(default) = &column.default {
        out.push_str(" DEFAULT ");
        out.push_str(&default_clause(default));
    }
    if let Some((name, _)) = inline_pk {
        out.push_str(&format!(
            " CONSTRAINT {} PRIMARY KEY AUTOINCREMENT",
            Q.ident(name)
        ));
    }
    if let Some(g) = &column.generated {
        let kind = if g.stored { "STORED" } else { "VIRTUAL" };
        out.push_str(&format!(" GENERATED ALWAYS AS ({}) {kind}", g.expr));
    }
    if let Type::Enum { name, values } = &column.ty {
        let labels: Vec<String> = values.iter().map(|v| literal(v)).collect();
        out.push_str(&format!(
            " CONSTRAINT {} CHECK ({} IN ({}))",
            Q.ident(&enum_check_name(&column.name, name)),
            Q.ident(&column.name),
            labels.join(", ")
        ));
    }
    out
}

/// The name of the check holding an enum column's labels: `en_<column>_<type>`, which
/// introspection reads the type's name back from.
pub(crate) fn enum_check_name(column: &str, enum_name: &str) -> String {
    format!("en_{column}_{enum_name}")
}

/// The default as a `DEFAULT` clause wants it: bare when constant, else in parentheses.
pub(crate) fn default_clause(default: &str) -> String {
    if expr::is_plain_default(&SQLiteDialect {}, default) {
        default.trim().to_string()
    } else {
        format!("({})", default.trim())
    }
}

/// `(constraint name, column)` when the primary key is a lone autoincrement column.
fn inline_primary_key(table: &Table) -> Option<(&str, &str)> {
    let pk = table.primary_key.as_ref()?;
    let [only] = pk.columns.as_slice() else {
        return None;
    };
    let column = table.column_named(only)?;
    column
        .autoincrement
        .then_some((pk.name.as_str(), only.as_str()))
}

/// `CREATE TABLE` with every constraint, one element per line, then the indexes.
pub(crate) fn create_table(table: &Table) -> Vec<String> {
    let mut out = vec![create_table_named(table, &table.name)];
    out.extend(table.indexes.iter().map(|i| create_index(&table.name, i)));
    out
}

/// `CREATE TABLE <name>` with the definition of `table`. Indexes are not included.
pub(crate) fn create_table_named(table: &Table, name: &str) -> String {
    let mut lines: Vec<String> = table.columns.iter().map(|c| column_def(table, c)).collect();
    if let Some(pk) = &table.primary_key
        && inline_primary_key(table).is_none()
    {
        lines.push(format!(
            "CONSTRAINT {} PRIMARY KEY ({})",
            Q.ident(&pk.name),
            Q.list(&pk.columns)
        ));
    }
    for u in &table.uniques {
        lines.push(format!(
            "CONSTRAINT {} UNIQUE ({})",
            Q.ident(&u.name),
            Q.list(&u.columns)
        ));
    }
    lines.extend(table.foreign_keys.iter().map(foreign_key_clause));
    for c in &table.checks {
        lines.push(format!(
            "CONSTRAINT {} CHECK ({})",
            Q.ident(&c.name),
            c.expr.trim()
        ));
    }
    let options: Vec<&str> = [("strict", "STRICT"), ("without_rowid", "WITHOUT ROWID")]
        .into_iter()
        .filter(|(k, _)| table.options.contains_key(*k))
        .map(|(_, sql)| sql)
        .collect();
    let options = match options.is_empty() {
        true => String::new(),
        false => format!(" {}", options.join(", ")),
    };
    format!(
        "CREATE TABLE {} (\n    {}\n){options}",
        Q.ident(name),
        lines.join(",\n    ")
    )
}

/// Why SQLite cannot make the table's options, if it cannot: it has `strict` and
/// `without_rowid` only.
pub(crate) fn options_problem(table: &Table) -> Option<String> {
    let unknown: Vec<&String> = table
        .options
        .keys()
        .filter(|k| !["strict", "without_rowid"].contains(&k.as_str()))
        .collect();
    (!unknown.is_empty()).then(|| {
        format!(
            "table '{}' has option(s) {} that SQLite does not have (it has strict and without_rowid)",
            table.name,
            unknown
                .iter()
                .map(|k| format!("'{k}'"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

fn foreign_key_clause(fk: &ForeignKey) -> String {
    let mut out = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        Q.ident(&fk.name),
        Q.list(&fk.columns),
        Q.ident(&fk.ref_table),
        Q.list(&fk.ref_columns)
    );
    if fk.on_delete != crate::schema::Action::NoAction {
        out.push_str(" ON DELETE ");
        out.push_str(fk.on_delete.sql());
    }
    if fk.on_update != crate::schema::Action::NoAction {
        out.push_str(" ON UPDATE ");
        out.push_str(fk.on_update.sql());
    }
    match fk.options.deferrable {
        Some(crate::schema::Deferral::InitiallyDeferred) => {
            out.push_str(" DEFERRABLE INITIALLY DEFERRED")
        }
        Some(crate::schema::Deferral::InitiallyImmediate) => out.push_str(" DEFERRABLE"),
        None => {}
    }
    out
}

/// Why SQLite cannot hold the table's constraints, if it cannot: exclusion constraints, and
/// what it cannot say of a constraint (it defers foreign keys only, and stores no comment).
pub(crate) fn constraint_problem(table: &Table) -> Option<String> {
    if let Some(x) = table.exclusions.first() {
        return Some(format!(
            "SQLite has no exclusion constraints ('{}'); keep it for PostgreSQL",
            x.name
        ));
    }
    let options = table
        .primary_key
        .iter()
        .map(|k| (&k.name, &k.options, false))
        .chain(table.uniques.iter().map(|u| (&u.name, &u.options, false)))
        .chain(table.checks.iter().map(|c| (&c.name, &c.options, false)))
        .chain(
            table
                .foreign_keys
                .iter()
                .map(|f| (&f.name, &f.options, true)),
        );
    for (name, o, foreign_key) in options {
        let deferral = o.deferrable.is_some() && !foreign_key;
        if deferral || o.not_valid || o.no_inherit || o.match_full || o.nulls_not_distinct {
            return Some(format!(
                "constraint '{name}' says what SQLite cannot (it defers foreign keys only, and has no NOT VALID, NO INHERIT, MATCH FULL or NULLS NOT DISTINCT); remove it for SQLite"
            ));
        }
    }
    None
}

/// `CREATE [UNIQUE] INDEX ... [WHERE ...]`. SQLite has one access method and no operator
/// classes, covering columns or prefixes: planning refuses those first.
pub(crate) fn create_index(table: &str, index: &Index) -> String {
    let unique = if index.unique { "UNIQUE " } else { "" };
    let parts: Vec<String> = index.columns.iter().map(key_part).collect();
    let mut out = format!(
        "CREATE {unique}INDEX {} ON {} ({})",
        Q.ident(&index.name),
        Q.ident(table),
        parts.join(", ")
    );
    if let Some(predicate) = &index.predicate {
        out.push_str(&format!(" WHERE {predicate}"));
    }
    out
}

/// A key part: the column or the expression, its collation, `DESC`.
fn key_part(part: &KeyPart) -> String {
    let mut out = match (&part.column, &part.expr) {
        (Some(c), _) => Q.ident(c),
        (None, Some(e)) => e.clone(),
        (None, None) => String::new(),
    };
    if let Some(c) = &part.collation {
        out.push_str(&format!(" COLLATE {}", Q.ident(c)));
    }
    if part.desc {
        out.push_str(" DESC");
    }
    out
}

/// Why SQLite cannot create `index`, if it cannot.
pub(crate) fn index_problem(index: &Index) -> Option<String> {
    let problem = if index.method.is_some() {
        "an access method (SQLite has only B-trees)"
    } else if !index.include.is_empty() {
        "covering columns (INCLUDE)"
    } else if index.nulls_not_distinct {
        "NULLS NOT DISTINCT"
    } else if index.with.is_some() {
        "storage parameters"
    } else if index.columns.iter().any(|p| p.opclass.is_some()) {
        "an operator class"
    } else if index.columns.iter().any(|p| p.length.is_some()) {
        "a prefix length"
    } else if index.columns.iter().any(|p| p.nulls_first.is_some()) {
        "NULLS FIRST or LAST"
    } else {
        return None;
    };
    Some(format!(
        "index '{}' has {problem}, which SQLite does not have; keep it for the servers",
        index.name
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Action, Type, column, foreign_key, table};

    #[test]
    fn a_table_with_every_clause() {
        let t = table("child")
            .column(column("id", Type::BigInt).not_null().autoincrement())
            .column(column("name", Type::Varchar(20)).not_null().default("'x'"))
            .column(column("at", Type::Timestamp).default("CURRENT_TIMESTAMP"))
            .column(column("day", Type::Real).default("julianday('now')"))
            .column(column("parent_id", Type::Integer))
            .primary_key("pk_child", ["id"])
            .unique("uq_child_name", ["name"])
            .index("ix_child_at", ["at"])
            .foreign_key(
                foreign_key("fk_child_parent_id_parent", ["parent_id"], "parent", ["id"])
                    .on_delete(Action::Cascade),
            )
            .check("ck_child_name", "name <> ''");
        insta::assert_snapshot!(create_table(&t).join(";\n"));
    }

    #[test]
    fn plain_primary_keys_are_table_constraints() {
        let t = table("t")
            .column(column("a", Type::Text).not_null())
            .primary_key("pk_t", ["a"]);
        assert_eq!(
            create_table(&t)[0],
            "CREATE TABLE \"t\" (\n    \"a\" TEXT NOT NULL,\n    CONSTRAINT \"pk_t\" PRIMARY KEY (\"a\")\n)"
        );
    }
}
