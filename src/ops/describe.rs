//! One-line human descriptions of operations, for logs, `db check` and `db diff`.

use std::fmt;

use super::{Alter, Constraint, Operation};
use crate::schema::{Column, describe_object};

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Operation::*;
        match self {
            CreateTable(t) => match t.columns.len() {
                1 => write!(f, "create table '{}' (1 column)", t.name),
                n => write!(f, "create table '{}' ({n} columns)", t.name),
            },
            DropTable { table, .. } => write!(f, "drop table '{table}'"),
            RenameTable { from, to } => write!(f, "rename table '{from}' to '{to}'"),
            AddColumn { table, column } => {
                write!(
                    f,
                    "add column '{table}.{}' {}",
                    column.name,
                    column_summary(column)
                )
            }
            DropColumn { table, column, .. } => write!(f, "drop column '{table}.{column}'"),
            AlterColumn {
                table,
                column,
                changes,
                previous,
            } => {
                write!(f, "alter column '{table}.{column}': ")?;
                alter_summary(f, changes, previous.as_ref())
            }
            RenameColumn { table, from, to } => {
                write!(f, "rename column '{table}.{from}' to '{to}'")
            }
            CreateIndex { table, index } => {
                let kind = if index.unique {
                    "unique index"
                } else {
                    "index"
                };
                write!(
                    f,
                    "create {kind} '{}' on '{table}' ({})",
                    index.name,
                    index.describe_key()
                )
            }
            DropIndex { table, name, .. } => write!(f, "drop index '{name}' on '{table}'"),
            RenameIndex { table, from, to } => {
                write!(f, "rename index '{from}' on '{table}' to '{to}'")
            }
            RenameConstraint { table, from, to } => {
                write!(f, "rename constraint '{from}' on '{table}' to '{to}'")
            }
            AddConstraint { table, constraint } => {
                write!(
                    f,
                    "add {} '{}' on '{table}' ",
                    constraint.kind(),
                    constraint.name()
                )?;
                constraint_summary(f, constraint)
            }
            DropConstraint {
                table,
                name,
                definition,
            } => {
                let kind = definition.as_ref().map_or("constraint", Constraint::kind);
                write!(f, "drop {kind} '{name}' on '{table}'")
            }
            SetTableComment {
                table,
                comment: Some(_),
                ..
            } => {
                write!(f, "set comment on table '{table}'")
            }
            SetTableComment {
                table,
                comment: None,
                ..
            } => {
                write!(f, "remove comment on table '{table}'")
            }
            CreateEnum { name, values } => {
                write!(f, "create enum type '{name}' ({})", labels(values))
            }
            SetIndexComment {
                table,
                name,
                comment,
                ..
            } => {
                let verb = if comment.is_some() { "set" } else { "remove" };
                write!(f, "{verb} comment on index '{name}' on '{table}'")
            }
            SetTableOptions { table, options, .. } => {
                let list: Vec<String> = options.iter().map(|(k, v)| format!("{k}={v}")).collect();
                write!(f, "set options of table '{table}' ({})", list.join(", "))
            }
            CreateObject(o) => write!(f, "create {}", o.describe()),
            DropObject {
                kind, table, name, ..
            } => write!(f, "drop {}", describe_object(*kind, table.as_deref(), name)),
            ReplaceObject { object, .. } => write!(f, "replace {}", object.describe()),
            SetObjectComment {
                kind,
                table,
                name,
                comment,
                ..
            } => {
                let verb = if comment.is_some() { "set" } else { "remove" };
                let what = describe_object(*kind, table.as_deref(), name);
                write!(f, "{verb} comment on {what}")
            }
            DropEnum { name, .. } => write!(f, "drop enum type '{name}'"),
            AlterEnum {
                name,
                values,
                previous,
            } => {
                write!(f, "alter enum type '{name}': ({})", labels(values))?;
                match previous {
                    Some(old) => write!(f, " (was ({}))", labels(old)),
                    None => Ok(()),
                }
            }
            Execute { sql, dialect } => {
                let first = sql.lines().next().unwrap_or("").trim();
                match dialect {
                    Some(d) => write!(f, "execute SQL on {} only: {first}", d.as_str()),
                    None => write!(f, "execute SQL: {first}"),
                }
            }
            RunRust(step) => write!(f, "run Rust data step '{}'", step.name),
        }
    }
}

fn labels(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("'{}'", v.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn column_summary(column: &Column) -> String {
    let mut out = column.ty.to_string();
    if !column.nullable {
        out.push_str(" NOT NULL");
    }
    if let Some(default) = &column.default {
        out.push_str(" DEFAULT ");
        out.push_str(default);
    }
    if column.autoincrement {
        out.push_str(" autoincrement");
    }
    out
}

fn alter_summary(
    f: &mut fmt::Formatter<'_>,
    changes: &Alter,
    previous: Option<&Alter>,
) -> fmt::Result {
    let mut parts = Vec::new();
    let was = |text: Option<String>| text.map(|t| format!(" (was {t})")).unwrap_or_default();
    if let Some(ty) = &changes.ty {
        let old = previous
            .and_then(|p| p.ty.as_ref())
            .map(ToString::to_string);
        parts.push(format!("type {ty}{}", was(old)));
    }
    if let Some(nullable) = changes.nullable {
        parts.push(if nullable {
            "NULL allowed".into()
        } else {
            "NOT NULL".into()
        });
    }
    if let Some(default) = &changes.default {
        let old = previous
            .and_then(|p| p.default.clone())
            .map(|d| d.unwrap_or("none".into()));
        let new = default.clone().unwrap_or_else(|| "none".into());
        parts.push(format!("default {new}{}", was(old)));
    }
    if let Some(comment) = &changes.comment {
        parts.push(if comment.is_some() {
            "comment set".into()
        } else {
            "comment removed".into()
        });
    }
    if let Some(on) = changes.autoincrement {
        parts.push(if on {
            "autoincrement on".into()
        } else {
            "autoincrement off".into()
        });
    }
    if let Some(numbering) = &changes.numbering {
        parts.push(match numbering {
            Some(n) => format!("numbered {}", numbering_words(n)),
            None => "numbered by default".into(),
        });
    }
    if let Some(generated) = &changes.generated {
        parts.push(match generated {
            Some(g) if g.stored => format!("generated as ({}) stored", g.expr),
            Some(g) => format!("generated as ({})", g.expr),
            None => "no longer generated".into(),
        });
    }
    if let Some(collation) = &changes.collation {
        parts.push(format!(
            "collation {}",
            collation.as_deref().unwrap_or("default")
        ));
    }
    match &changes.backfill {
        Some(super::Backfill::Expr(e)) => parts.push(format!("NULLs backfilled with {e}")),
        Some(super::Backfill::ToWrite) => parts.push("backfill still to write".into()),
        None => {}
    }
    f.write_str(&parts.join(", "))
}

fn constraint_summary(f: &mut fmt::Formatter<'_>, constraint: &Constraint) -> fmt::Result {
    match constraint {
        Constraint::PrimaryKey(k) => write!(f, "({})", k.columns.join(", ")),
        Constraint::Unique(u) => write!(f, "({})", u.columns.join(", ")),
        Constraint::ForeignKey(k) => write!(
            f,
            "({}) -> '{}' ({})",
            k.columns.join(", "),
            k.ref_table,
            k.ref_columns.join(", ")
        ),
        Constraint::Check(c) => write!(f, "({})", c.expr),
        Constraint::Exclusion(c) => write!(f, "{}", c.definition),
    }
}

/// `as an identity always (START WITH 10)`, `by a serial sequence`.
fn numbering_words(n: &crate::schema::Numbering) -> String {
    let kind = match n.kind {
        crate::schema::NumberingKind::ByDefault => "as an identity",
        crate::schema::NumberingKind::Always => "as an identity always",
        crate::schema::NumberingKind::Serial => "by a serial sequence",
    };
    match &n.options {
        Some(o) => format!("{kind} ({o})"),
        None => kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::alter;
    use crate::schema::{Type, column, foreign_key, index, table};

    #[test]
    fn descriptions_name_the_objects() {
        let t = table("t").column(column("a", Type::Integer));
        let cases: Vec<(Operation, &str)> = vec![
            (Operation::CreateTable(t), "create table 't' (1 column)"),
            (
                Operation::AddColumn {
                    table: "t".into(),
                    column: column("b", Type::Varchar(3)).not_null().default("'x'"),
                },
                "add column 't.b' varchar(3) NOT NULL DEFAULT 'x'",
            ),
            (
                Operation::AlterColumn {
                    table: "t".into(),
                    column: "a".into(),
                    changes: alter().set_type(Type::BigInt).set_not_null().drop_default(),
                    previous: Some(
                        alter()
                            .set_type(Type::Integer)
                            .set_nullable()
                            .set_default("0"),
                    ),
                },
                "alter column 't.a': type bigint (was integer), NOT NULL, default none (was 0)",
            ),
            (
                Operation::CreateIndex {
                    table: "t".into(),
                    index: index("ix_t_a", ["a"]).unique(),
                },
                "create unique index 'ix_t_a' on 't' (a)",
            ),
            (
                Operation::AddConstraint {
                    table: "t".into(),
                    constraint: Constraint::ForeignKey(foreign_key("fk", ["a"], "u", ["id"])),
                },
                "add foreign key 'fk' on 't' (a) -> 'u' (id)",
            ),
            (
                Operation::Execute {
                    sql: "UPDATE t SET a = 1\nWHERE 1".into(),
                    dialect: None,
                },
                "execute SQL: UPDATE t SET a = 1",
            ),
        ];
        for (op, text) in cases {
            assert_eq!(op.to_string(), text);
        }
    }
}
