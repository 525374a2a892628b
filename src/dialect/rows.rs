//! Statements of rows built from a table's description: what the store runs for models and a
//! migration's data step runs for tables as they are at that revision. Identifiers quoted by
//! the dialect, values always bound, never pasted.

use super::DialectName;
use super::contract::{Dialect, dialect_of};
use crate::schema::{Table, Type};

/// A column name the table does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("table '{table}' has no column '{column}'")]
pub struct UnknownColumn {
    /// The table.
    pub table: String,
    /// The column.
    pub column: String,
}

/// How one dialect spells what the statements need.
#[derive(Debug, Clone)]
pub(crate) struct Syntax {
    pub dialect: DialectName,
    /// The schema holding the tables, where names are qualified (`None`: the connection's
    /// default).
    pub schema: Option<String>,
}

/// A statement and the columns whose values it binds, in placeholder order (their types pick
/// the typed NULL and the cast).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Statement {
    pub sql: String,
    pub bound: Vec<Type>,
}

/// `column = value` conditions, `ORDER BY` and `LIMIT` of a select.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    pub filters: Vec<(String, bool)>,
    pub order: Vec<(String, bool)>,
    pub limit: Option<u64>,
}

impl Syntax {
    fn dialect(&self) -> &'static dyn Dialect {
        dialect_of(self.dialect)
    }

    fn ident(&self, name: &str) -> String {
        self.dialect().quote().ident(name)
    }

    fn table(&self, table: &Table) -> String {
        match &self.schema {
            Some(schema) => format!("{}.{}", self.ident(schema), self.ident(&table.name)),
            None => self.ident(&table.name),
        }
    }

    /// The `n`th placeholder (from 1) for a value of a column of type `ty`.
    fn placeholder(&self, n: usize, ty: &Type) -> String {
        self.dialect().parameter(n, ty, self.schema.as_deref())
    }

    fn column_type<'t>(&self, table: &'t Table, column: &str) -> Result<&'t Type, UnknownColumn> {
        table
            .column_named(column)
            .map(|c| &c.ty)
            .ok_or_else(|| UnknownColumn {
                table: table.name.clone(),
                column: column.to_string(),
            })
    }

    /// `SELECT <columns> FROM t [WHERE ...] [ORDER BY ...] [LIMIT n]`.
    pub fn select(
        &self,
        table: &Table,
        columns: &[&str],
        query: &Query,
    ) -> Result<Statement, UnknownColumn> {
        self.select_read_as(table, columns, query, |_| None)
    }

    /// A select whose columns of some types are read through a cast (`CAST("amount" AS
    /// TEXT)`): `cast` names the type a column of type `ty` is read as, for the types the
    /// driver cannot decode as they are. Unknown columns are refused.
    pub fn select_read_as(
        &self,
        table: &Table,
        columns: &[&str],
        query: &Query,
        cast: impl Fn(&Type) -> Option<&'static str>,
    ) -> Result<Statement, UnknownColumn> {
        let mut list = Vec::new();
        for column in columns {
            let quoted = self.ident(column);
            list.push(match cast(self.column_type(table, column)?) {
                Some(read_as) => format!("CAST({quoted} AS {read_as})"),
                None => quoted,
            });
        }
        let mut sql = format!("SELECT {} FROM {}", list.join(", "), self.table(table));
        let mut bound = Vec::new();
        self.push_where(&mut sql, &mut bound, table, &query.filters)?;
        if !query.order.is_empty() {
            let mut keys = Vec::new();
            for (column, descending) in &query.order {
                self.column_type(table, column)?;
                let direction = if *descending { " DESC" } else { "" };
                keys.push(format!("{}{direction}", self.ident(column)));
            }
            sql.push_str(&format!(" ORDER BY {}", keys.join(", ")));
        }
        if let Some(limit) = query.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        Ok(Statement { sql, bound })
    }

    /// `INSERT INTO t (...) VALUES (...)` of every column but the autoincrement ones, which
    /// the database numbers; PostgreSQL returns the number.
    pub fn insert(&self, table: &Table) -> Statement {
        let written: Vec<_> = table.columns.iter().filter(|c| !c.autoincrement).collect();
        let names: Vec<String> = written.iter().map(|c| self.ident(&c.name)).collect();
        let places: Vec<String> = written
            .iter()
            .enumerate()
            .map(|(i, c)| self.placeholder(i + 1, &c.ty))
            .collect();
        let mut sql = if written.is_empty() {
            format!("INSERT INTO {} DEFAULT VALUES", self.table(table))
        } else {
            format!(
                "INSERT INTO {} ({}) VALUES ({})",
                self.table(table),
                names.join(", "),
                places.join(", ")
            )
        };
        if let Some(returning) = table
            .columns
            .iter()
            .find(|c| c.autoincrement)
            .and_then(|auto| self.dialect().returning(&auto.name))
        {
            sql.push_str(&returning);
        }
        Statement {
            sql,
            bound: written.iter().map(|c| c.ty.clone()).collect(),
        }
    }

    /// `INSERT INTO t (a, b) VALUES (?, ?)` of the columns named (`DEFAULT VALUES` for none).
    pub fn insert_into(&self, table: &Table, columns: &[&str]) -> Result<Statement, UnknownColumn> {
        let mut names = Vec::new();
        let mut places = Vec::new();
        let mut bound = Vec::new();
        for column in columns {
            let ty = self.column_type(table, column)?.clone();
            names.push(self.ident(column));
            places.push(self.placeholder(bound.len() + 1, &ty));
            bound.push(ty);
        }
        let sql = if names.is_empty() {
            format!("INSERT INTO {} DEFAULT VALUES", self.table(table))
        } else {
            format!(
                "INSERT INTO {} ({}) VALUES ({})",
                self.table(table),
                names.join(", "),
                places.join(", ")
            )
        };
        Ok(Statement { sql, bound })
    }

    /// `DELETE FROM t [WHERE ...]`.
    pub fn delete(
        &self,
        table: &Table,
        filters: &[(String, bool)],
    ) -> Result<Statement, UnknownColumn> {
        let mut sql = format!("DELETE FROM {}", self.table(table));
        let mut bound = Vec::new();
        self.push_where(&mut sql, &mut bound, table, filters)?;
        Ok(Statement { sql, bound })
    }

    /// `UPDATE t SET a = ?, ... WHERE ...`.
    pub fn update(
        &self,
        table: &Table,
        set: &[&str],
        filters: &[(String, bool)],
    ) -> Result<Statement, UnknownColumn> {
        let mut bound = Vec::new();
        let mut assignments = Vec::new();
        for column in set {
            let ty = self.column_type(table, column)?.clone();
            let place = self.placeholder(bound.len() + 1, &ty);
            assignments.push(format!("{} = {place}", self.ident(column)));
            bound.push(ty);
        }
        let mut sql = format!(
            "UPDATE {} SET {}",
            self.table(table),
            assignments.join(", ")
        );
        self.push_where(&mut sql, &mut bound, table, filters)?;
        Ok(Statement { sql, bound })
    }

    /// ` WHERE a = ? AND b IS NULL`: a filter flagged `true` compares with NULL (no value).
    fn push_where(
        &self,
        sql: &mut String,
        bound: &mut Vec<Type>,
        table: &Table,
        filters: &[(String, bool)],
    ) -> Result<(), UnknownColumn> {
        let mut conditions = Vec::new();
        for (column, is_null) in filters {
            let ty = self.column_type(table, column)?.clone();
            if *is_null {
                conditions.push(format!("{} IS NULL", self.ident(column)));
            } else {
                let place = self.placeholder(bound.len() + 1, &ty);
                conditions.push(format!("{} = {place}", self.ident(column)));
                bound.push(ty);
            }
        }
        if !conditions.is_empty() {
            sql.push_str(&format!(" WHERE {}", conditions.join(" AND ")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{column, table};

    fn run() -> Table {
        table("run")
            .column(column("id", Type::Integer).not_null().autoincrement())
            .column(column("state", Type::enumeration("state", ["a", "b"])).not_null())
            .column(column("name", Type::Text))
    }

    fn syntax(dialect: DialectName) -> Syntax {
        Syntax {
            dialect,
            schema: None,
        }
    }

    #[test]
    fn selects_quote_and_bind_everything() {
        let query = Query {
            filters: vec![("state".into(), false), ("name".into(), true)],
            order: vec![("id".into(), true)],
            limit: Some(5),
        };
        let pg = syntax(DialectName::Postgres)
            .select(&run(), &["id", "state"], &query)
            .unwrap();
        assert_eq!(
            pg.sql,
            r#"SELECT "id", "state" FROM "run" WHERE "state" = CAST($1 AS "public"."state") AND "name" IS NULL ORDER BY "id" DESC LIMIT 5"#
        );
        assert_eq!(pg.bound.len(), 1);
        let my = syntax(DialectName::Mysql)
            .select(&run(), &["id"], &query)
            .unwrap();
        assert_eq!(
            my.sql,
            "SELECT `id` FROM `run` WHERE `state` = ? AND `name` IS NULL ORDER BY `id` DESC LIMIT 5"
        );
    }

    #[test]
    fn inserts_leave_numbered_columns_to_the_database() {
        let lite = syntax(DialectName::Sqlite).insert(&run());
        assert_eq!(
            lite.sql,
            r#"INSERT INTO "run" ("state", "name") VALUES (?, ?)"#
        );
        let pg = Syntax {
            dialect: DialectName::Postgres,
            schema: Some("app".into()),
        }
        .insert(&run());
        assert_eq!(
            pg.sql,
            r#"INSERT INTO "app"."run" ("state", "name") VALUES (CAST($1 AS "app"."state"), $2) RETURNING CAST("id" AS BIGINT)"#
        );
    }

    #[test]
    fn data_step_statements_name_their_columns_and_cast_what_the_driver_cannot_read() {
        let pg = syntax(DialectName::Postgres);
        let insert = pg.insert_into(&run(), &["state", "name"]).unwrap();
        assert_eq!(
            insert.sql,
            r#"INSERT INTO "run" ("state", "name") VALUES (CAST($1 AS "public"."state"), $2)"#
        );
        assert_eq!(
            pg.insert_into(&run(), &[]).unwrap().sql,
            r#"INSERT INTO "run" DEFAULT VALUES"#
        );
        let delete = pg
            .delete(&run(), &[("id".into(), false), ("name".into(), true)])
            .unwrap();
        assert_eq!(
            delete.sql,
            r#"DELETE FROM "run" WHERE "id" = $1 AND "name" IS NULL"#
        );
        assert_eq!(delete.bound, vec![Type::Integer]);
        let enum_as_text = |ty: &Type| matches!(ty, Type::Enum { .. }).then_some("TEXT");
        let select = pg
            .select_read_as(&run(), &["id", "state"], &Query::default(), enum_as_text)
            .unwrap();
        assert_eq!(
            select.sql,
            r#"SELECT "id", CAST("state" AS TEXT) FROM "run""#
        );
        let unknown = pg.insert_into(&run(), &["nope"]).unwrap_err();
        assert_eq!(unknown.to_string(), "table 'run' has no column 'nope'");
        let unknown = pg
            .select_read_as(&run(), &["nope"], &Query::default(), enum_as_text)
            .unwrap_err();
        assert_eq!(unknown.column, "nope");
    }

    #[test]
    fn updates_name_their_columns_and_refuse_unknown_ones() {
        let filters = vec![("id".to_string(), false)];
        let up = syntax(DialectName::Sqlite)
            .update(&run(), &["name"], &filters)
            .unwrap();
        assert_eq!(up.sql, r#"UPDATE "run" SET "name" = ? WHERE "id" = ?"#);
        let err = syntax(DialectName::Sqlite)
            .update(&run(), &["nope"], &filters)
            .unwrap_err();
        assert_eq!(err.to_string(), "table 'run' has no column 'nope'");
    }
}
