//! Replaying operations on an in-memory schema.
//!
//! The semantics follow what the servers do: dropping a column drops the indexes and
//! constraints that use it, renaming a table or a column updates the foreign keys, indexes and
//! checks that name it.

mod objects;

use super::{Constraint, Operation};
use crate::schema::{Schema, Table};

/// An operation that does not fit the schema it is applied to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApplyError {
    /// The table does not exist.
    #[error("table '{0}' does not exist")]
    NoSuchTable(String),
    /// The table already exists.
    #[error("table '{0}' already exists")]
    TableExists(String),
    /// The column does not exist.
    #[error("column '{table}.{column}' does not exist")]
    NoSuchColumn {
        /// Table.
        table: String,
        /// Column.
        column: String,
    },
    /// The column already exists.
    #[error("column '{table}.{column}' already exists")]
    ColumnExists {
        /// Table.
        table: String,
        /// Column.
        column: String,
    },
    /// No constraint or index has this name.
    #[error("table '{table}' has no constraint or index named '{name}'")]
    NoSuchObject {
        /// Table.
        table: String,
        /// Name.
        name: String,
    },
    /// A constraint or index already has this name.
    #[error("table '{table}' already has a constraint or index named '{name}'")]
    ObjectExists {
        /// Table.
        table: String,
        /// Name.
        name: String,
    },
    /// The table already has a primary key.
    #[error("table '{0}' already has a primary key; drop it first")]
    PrimaryKeyExists(String),
    /// No view, trigger, function... is found by that kind, table and name.
    #[error("{0} does not exist")]
    NoSuchDbObject(String),
    /// A view, trigger, function... of that kind, table and name already exists.
    #[error("{0} already exists")]
    DbObjectExists(String),
}

impl Operation {
    /// Applies the operation to `schema`. Raw SQL ([`Operation::Execute`]) changes nothing here:
    /// its effect is unknown until it runs.
    pub fn apply(&self, schema: &mut Schema) -> Result<(), ApplyError> {
        use Operation::*;
        match self {
            CreateTable(t) => {
                if schema.contains(&t.name) {
                    return Err(ApplyError::TableExists(t.name.clone()));
                }
                let mut t = t.clone();
                t.sort_constraints();
                schema.insert(t);
            }
            DropTable { table, .. } => {
                schema
                    .remove(table)
                    .ok_or_else(|| ApplyError::NoSuchTable(table.clone()))?;
                objects::table_dropped(schema, table);
            }
            RenameTable { from, to } => rename_table(schema, from, to)?,
            AddColumn { table, column } => {
                let t = table_mut(schema, table)?;
                if t.column_named(&column.name).is_some() {
                    return Err(ApplyError::ColumnExists {
                        table: table.clone(),
                        column: column.name.clone(),
                    });
                }
                t.columns.push(column.clone());
            }
            DropColumn { table, column, .. } => drop_column(table_mut(schema, table)?, column)?,
            AlterColumn {
                table,
                column,
                changes,
                ..
            } => {
                changes.apply_to(column_mut(table_mut(schema, table)?, column)?);
            }
            RenameColumn { table, from, to } => rename_column(schema, table, from, to)?,
            RenameIndex { table, from, to } | RenameConstraint { table, from, to } => {
                rename_object(table_mut(schema, table)?, from, to)?
            }
            CreateIndex { table, index } => {
                let t = table_mut(schema, table)?;
                ensure_free(t, &index.name)?;
                t.indexes.push(index.clone());
                t.sort_constraints();
            }
            DropIndex { table, name, .. } => {
                let t = table_mut(schema, table)?;
                let before = t.indexes.len();
                t.indexes.retain(|i| &i.name != name);
                if t.indexes.len() == before {
                    return Err(ApplyError::NoSuchObject {
                        table: table.clone(),
                        name: name.clone(),
                    });
                }
            }
            AddConstraint { table, constraint } => {
                add_constraint(table_mut(schema, table)?, constraint)?
            }
            DropConstraint { table, name, .. } => drop_constraint(table_mut(schema, table)?, name)?,
            SetIndexComment {
                table,
                name,
                comment,
                ..
            } => {
                let t = table_mut(schema, table)?;
                let Some(index) = t.indexes.iter_mut().find(|i| &i.name == name) else {
                    return Err(ApplyError::NoSuchObject {
                        table: table.clone(),
                        name: name.clone(),
                    });
                };
                index.comment = comment.clone();
            }
            SetTableOptions { table, options, .. } => {
                table_mut(schema, table)?.options = options.clone()
            }
            SetTableComment { table, comment, .. } => {
                table_mut(schema, table)?.comment = comment.clone()
            }
            CreateEnum { name, values } => objects::enum_created(schema, name, values),
            DropEnum { name, .. } => objects::enum_dropped(schema, name),
            AlterEnum { name, values, .. } => {
                objects::enum_created(schema, name, values);
                // Columns follow their type, as on PostgreSQL.
                let names: Vec<String> = schema.table_names().map(str::to_owned).collect();
                for table in names {
                    let t = schema.table_mut(&table).expect("listed table exists");
                    for c in &mut t.columns {
                        if let crate::schema::Type::Enum { name: n, values: v } = &mut c.ty
                            && n == name
                        {
                            *v = values.clone();
                        }
                    }
                }
            }
            CreateObject(_)
            | DropObject { .. }
            | ReplaceObject { .. }
            | SetObjectComment { .. } => objects::apply(self, schema)?,
            // Enum types live in the columns that use them; raw SQL is unknown until it runs.
            Execute { .. } | RunRust(_) => {}
        }
        Ok(())
    }
}

fn table_mut<'a>(schema: &'a mut Schema, name: &str) -> Result<&'a mut Table, ApplyError> {
    schema
        .table_mut(name)
        .ok_or_else(|| ApplyError::NoSuchTable(name.to_string()))
}

fn column_mut<'a>(
    table: &'a mut Table,
    name: &str,
) -> Result<&'a mut crate::schema::Column, ApplyError> {
    let table_name = table.name.clone();
    table
        .column_named_mut(name)
        .ok_or(ApplyError::NoSuchColumn {
            table: table_name,
            column: name.to_string(),
        })
}

fn ensure_free(table: &Table, name: &str) -> Result<(), ApplyError> {
    if table.object_names().any(|n| n == name) {
        return Err(ApplyError::ObjectExists {
            table: table.name.clone(),
            name: name.to_string(),
        });
    }
    Ok(())
}

fn rename_table(schema: &mut Schema, from: &str, to: &str) -> Result<(), ApplyError> {
    if schema.contains(to) {
        return Err(ApplyError::TableExists(to.to_string()));
    }
    let mut table = schema
        .remove(from)
        .ok_or_else(|| ApplyError::NoSuchTable(from.to_string()))?;
    table.name = to.to_string();
    schema.insert(table);
    objects::table_renamed(schema, from, to);
    let names: Vec<String> = schema.table_names().map(str::to_owned).collect();
    for name in names {
        let t = schema.table_mut(&name).expect("listed table exists");
        for fk in t.foreign_keys.iter_mut().filter(|fk| fk.ref_table == from) {
            fk.ref_table = to.to_string();
        }
    }
    Ok(())
}

/// Renames the constraint or index called `from`.
fn rename_object(t: &mut Table, from: &str, to: &str) -> Result<(), ApplyError> {
    ensure_free(t, to)?;
    let mut found = false;
    let mut rename = |name: &mut String| {
        if name == from {
            *name = to.to_string();
            found = true;
        }
    };
    if let Some(k) = &mut t.primary_key {
        rename(&mut k.name);
    }
    t.uniques.iter_mut().for_each(|u| rename(&mut u.name));
    t.indexes.iter_mut().for_each(|i| rename(&mut i.name));
    t.foreign_keys.iter_mut().for_each(|f| rename(&mut f.name));
    t.checks.iter_mut().for_each(|c| rename(&mut c.name));
    t.exclusions.iter_mut().for_each(|c| rename(&mut c.name));
    if !found {
        return Err(ApplyError::NoSuchObject {
            table: t.name.clone(),
            name: from.to_string(),
        });
    }
    t.sort_constraints();
    Ok(())
}

fn drop_column(table: &mut Table, column: &str) -> Result<(), ApplyError> {
    let before = table.columns.len();
    table.columns.retain(|c| c.name != column);
    if table.columns.len() == before {
        return Err(ApplyError::NoSuchColumn {
            table: table.name.clone(),
            column: column.to_string(),
        });
    }
    let uses = |columns: &[String]| columns.iter().any(|c| c == column);
    if table.primary_key.as_ref().is_some_and(|k| uses(&k.columns)) {
        table.primary_key = None;
    }
    table.uniques.retain(|u| !uses(&u.columns));
    // An index goes with a column it names, as a key part, in an expression, in its
    // predicate or among its covering columns (PostgreSQL and SQLite drop it).
    table.indexes.retain(|i| {
        let named = |text: &str| {
            identifiers(text)
                .iter()
                .any(|w| w.eq_ignore_ascii_case(column))
        };
        !(i.column_names().contains(&column)
            || i.include.iter().any(|c| c == column)
            || i.columns
                .iter()
                .filter_map(|p| p.expr.as_deref())
                .any(named)
            || i.predicate.as_deref().is_some_and(named))
    });
    table.foreign_keys.retain(|f| !uses(&f.columns));
    table.checks.retain(|c| {
        !identifiers(&c.expr)
            .iter()
            .any(|i| i.eq_ignore_ascii_case(column))
    });
    Ok(())
}

fn rename_column(schema: &mut Schema, table: &str, from: &str, to: &str) -> Result<(), ApplyError> {
    let t = table_mut(schema, table)?;
    if t.column_named(to).is_some() {
        return Err(ApplyError::ColumnExists {
            table: table.to_string(),
            column: to.to_string(),
        });
    }
    column_mut(t, from)?.name = to.to_string();
    let rename = |columns: &mut Vec<String>| {
        for c in columns.iter_mut().filter(|c| *c == from) {
            *c = to.to_string();
        }
    };
    if let Some(k) = &mut t.primary_key {
        rename(&mut k.columns);
    }
    t.uniques.iter_mut().for_each(|u| rename(&mut u.columns));
    for index in &mut t.indexes {
        for part in &mut index.columns {
            if part.column.as_deref() == Some(from) {
                part.column = Some(to.to_string());
            }
            if let Some(expr) = &mut part.expr {
                *expr = rename_identifier(expr, from, to);
            }
        }
        rename(&mut index.include);
        if let Some(predicate) = &mut index.predicate {
            *predicate = rename_identifier(predicate, from, to);
        }
    }
    t.foreign_keys
        .iter_mut()
        .for_each(|f| rename(&mut f.columns));
    for check in &mut t.checks {
        check.expr = rename_identifier(&check.expr, from, to);
    }
    let names: Vec<String> = schema.table_names().map(str::to_owned).collect();
    for name in names {
        let other = schema.table_mut(&name).expect("listed table exists");
        for fk in other
            .foreign_keys
            .iter_mut()
            .filter(|fk| fk.ref_table == table)
        {
            rename(&mut fk.ref_columns);
        }
    }
    Ok(())
}

fn add_constraint(table: &mut Table, constraint: &Constraint) -> Result<(), ApplyError> {
    ensure_free(table, constraint.name())?;
    match constraint {
        Constraint::PrimaryKey(k) => {
            if table.primary_key.is_some() {
                return Err(ApplyError::PrimaryKeyExists(table.name.clone()));
            }
            table.primary_key = Some(k.clone());
        }
        Constraint::Unique(u) => table.uniques.push(u.clone()),
        Constraint::ForeignKey(f) => table.foreign_keys.push(f.clone()),
        Constraint::Check(c) => table.checks.push(c.clone()),
        Constraint::Exclusion(c) => table.exclusions.push(c.clone()),
    }
    table.sort_constraints();
    Ok(())
}

fn drop_constraint(table: &mut Table, name: &str) -> Result<(), ApplyError> {
    if table.primary_key.as_ref().is_some_and(|k| k.name == name) {
        table.primary_key = None;
        return Ok(());
    }
    let count =
        |t: &Table| t.uniques.len() + t.foreign_keys.len() + t.checks.len() + t.exclusions.len();
    let before = count(table);
    table.uniques.retain(|u| u.name != name);
    table.foreign_keys.retain(|f| f.name != name);
    table.checks.retain(|c| c.name != name);
    table.exclusions.retain(|c| c.name != name);
    if count(table) == before {
        return Err(ApplyError::NoSuchObject {
            table: table.name.clone(),
            name: name.to_string(),
        });
    }
    Ok(())
}

/// The identifiers of an SQL expression (bare words and `"quoted"` names; string literals
/// skipped). Good enough to tell whether a check mentions a column.
pub(crate) fn identifiers(expr: &str) -> Vec<String> {
    tokens(expr)
        .into_iter()
        .filter_map(|t| t.identifier)
        .collect()
}

/// Replaces the identifier `from` by `to` in an SQL expression, keeping everything else.
pub(crate) fn rename_identifier(expr: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    for token in tokens(expr) {
        match &token.identifier {
            Some(name) if name.eq_ignore_ascii_case(from) && token.text.starts_with('"') => {
                out.push('"');
                out.push_str(&to.replace('"', "\"\""));
                out.push('"');
            }
            Some(name) if name.eq_ignore_ascii_case(from) => out.push_str(to),
            _ => out.push_str(&token.text),
        }
    }
    out
}

struct Token {
    text: String,
    identifier: Option<String>,
}

fn tokens(expr: &str) -> Vec<Token> {
    let chars: Vec<char> = expr.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let c = chars[i];
        let identifier = if c == '\'' || c == '"' || c == '`' {
            i = quoted_end(&chars, i);
            let inner: String = chars[start + 1..i.saturating_sub(1).max(start + 1)]
                .iter()
                .collect();
            (c != '\'').then(|| inner.replace(&format!("{c}{c}"), &c.to_string()))
        } else if c.is_alphanumeric() || c == '_' {
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            (!c.is_ascii_digit()).then_some(word)
        } else {
            i += 1;
            None
        };
        out.push(Token {
            text: chars[start..i].iter().collect(),
            identifier,
        });
    }
    out
}

/// Index just past the closing quote of the quoted token starting at `start` (doubled quotes
/// are escapes).
fn quoted_end(chars: &[char], start: usize) -> usize {
    let quote = chars[start];
    let mut i = start + 1;
    while i < chars.len() {
        if chars[i] == quote {
            if chars.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    chars.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{Constraint, alter};
    use crate::schema::{Type, column, foreign_key, index, table};

    fn schema() -> Schema {
        Schema::from_tables([
            table("parent")
                .column(column("id", Type::Integer).not_null())
                .primary_key("pk_parent", ["id"]),
            table("child")
                .column(column("id", Type::Integer).not_null())
                .column(column("parent_id", Type::Integer))
                .column(column("score", Type::Integer))
                .primary_key("pk_child", ["id"])
                .index("ix_child_parent_id_score", ["parent_id", "score"])
                .foreign_key(foreign_key("fk_child", ["parent_id"], "parent", ["id"]))
                .check("ck_child_score", "\"score\" >= 0 AND 'score' <> ''"),
        ])
    }

    #[test]
    fn an_operation_then_its_reverse_restores_the_schema() {
        let mut ops = vec![
            Operation::AddColumn {
                table: "child".into(),
                column: column("x", Type::Text),
            },
            Operation::AlterColumn {
                table: "child".into(),
                column: "score".into(),
                changes: alter().set_type(Type::BigInt),
                previous: Some(alter().set_type(Type::Integer)),
            },
            Operation::CreateIndex {
                table: "child".into(),
                index: index("ix_child_x", ["x"]),
            },
            Operation::AddConstraint {
                table: "child".into(),
                constraint: Constraint::Check(crate::schema::Check {
                    name: "ck".into(),
                    expr: "x <> ''".into(),
                    options: Default::default(),
                }),
            },
            Operation::RenameTable {
                from: "parent".into(),
                to: "mother".into(),
            },
            Operation::RenameColumn {
                table: "child".into(),
                from: "score".into(),
                to: "points".into(),
            },
        ];
        let mut s = schema();
        let mut replay = s.clone();
        ops.iter().for_each(|op| op.apply(&mut replay).unwrap());
        let child = replay.table("child").unwrap().clone();
        ops.push(Operation::DropTable {
            table: "child".into(),
            definition: Some(Box::new(child)),
        });
        let original = s.clone();
        for op in &ops {
            let before = s.clone();
            op.apply(&mut s).unwrap();
            let mut back = s.clone();
            op.reverse().unwrap().apply(&mut back).unwrap();
            assert_eq!(back, before, "{op}");
        }
        for op in crate::ops::reverse_all(&ops).unwrap() {
            op.apply(&mut s).unwrap();
        }
        assert_eq!(s, original);
    }

    #[test]
    fn renames_follow_references() {
        let mut s = schema();
        Operation::RenameTable {
            from: "parent".into(),
            to: "mother".into(),
        }
        .apply(&mut s)
        .unwrap();
        assert_eq!(
            s.table("child").unwrap().foreign_keys[0].ref_table,
            "mother"
        );
        Operation::RenameColumn {
            table: "child".into(),
            from: "score".into(),
            to: "points".into(),
        }
        .apply(&mut s)
        .unwrap();
        let child = s.table("child").unwrap();
        assert_eq!(child.indexes[0].column_names(), ["parent_id", "points"]);
        assert_eq!(child.checks[0].expr, "\"points\" >= 0 AND 'score' <> ''");
    }

    #[test]
    fn dropping_a_column_drops_what_uses_it() {
        let mut s = schema();
        let op = Operation::DropColumn {
            table: "child".into(),
            column: "score".into(),
            definition: None,
        };
        op.apply(&mut s).unwrap();
        let child = s.table("child").unwrap();
        assert!(child.indexes.is_empty() && child.checks.is_empty());
        assert_eq!(child.foreign_keys.len(), 1);
        assert!(
            op.reverse()
                .unwrap_err()
                .to_string()
                .contains("definition is not recorded")
        );
    }

    #[test]
    fn misfits_are_named() {
        let mut s = schema();
        let cases = [
            (
                Operation::DropTable {
                    table: "nope".into(),
                    definition: None,
                },
                "table 'nope' does not exist",
            ),
            (
                Operation::AddColumn {
                    table: "child".into(),
                    column: column("id", Type::Text),
                },
                "column 'child.id' already exists",
            ),
            (
                Operation::DropConstraint {
                    table: "child".into(),
                    name: "zz".into(),
                    definition: None,
                },
                "table 'child' has no constraint or index named 'zz'",
            ),
            (
                Operation::CreateIndex {
                    table: "child".into(),
                    index: index("pk_child", ["id"]),
                },
                "table 'child' already has a constraint or index named 'pk_child'",
            ),
        ];
        for (op, message) in cases {
            assert_eq!(op.apply(&mut s).unwrap_err().to_string(), message);
        }
    }

    #[test]
    fn identifier_scanning_skips_literals() {
        assert_eq!(
            identifiers("a > 0 AND \"b c\" <> 'd' OR x1 IN (1, 2)"),
            ["a", "AND", "b c", "OR", "x1", "IN"]
        );
        assert_eq!(
            rename_identifier("a + A + 'a' + \"a\"", "a", "z"),
            "z + z + 'a' + \"z\""
        );
    }
}
