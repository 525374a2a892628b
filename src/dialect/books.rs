//! The bookkeeping tables every dialect keeps beside the schema, written once over sqlx's
//! generic interfaces: the version table (`outflow_version(version_num)`, one row per applied
//! head, as Alembic's) and the applied log (`<version table>_log`, see [`super::applied`]).
//!
//! A dialect says how it spells them ([`Spelling`]: quotes, placeholders, the log's numbered
//! key, table options, how a literal and an error message read) and whether a table exists (a
//! catalog query of its own); everything else, from the DDL to the check that a version
//! change touched exactly one row, is here.

use sqlx::{AssertSqlSafe, Database, Decode, Encode, Executor, Row, Type};

use super::applied::{self, LogRow, NewRow};
use super::sql::Quote;
use super::{DbError, VersionChange};
use crate::schema::naming;

/// How a dialect spells its bookkeeping tables and reports a failed statement.
#[derive(Debug)]
pub(crate) struct Spelling {
    /// How names are quoted.
    pub quote: Quote,
    /// The `n`th placeholder, from 1 (`?1`, `$1`, `?`).
    pub placeholder: fn(usize) -> String,
    /// A string literal (offline scripts).
    pub literal: fn(&str) -> String,
    /// The log's numbered key column, after its name.
    pub log_id: &'static str,
    /// An unbounded text type (the log's error column).
    pub text: &'static str,
    /// What follows a `CREATE TABLE`'s closing parenthesis.
    pub table_options: &'static str,
    /// `version_num` as text, for reading (MySQL returns some strings as bytes otherwise).
    pub version_text: fn(&str) -> String,
    /// The database's own message of a failed statement.
    pub message: fn(&sqlx::Error) -> String,
}

/// The bookkeeping tables of one version table, in one schema (PostgreSQL) or none.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Books<'a> {
    spelling: &'static Spelling,
    schema: Option<&'a str>,
    version_table: &'a str,
}

impl<'a> Books<'a> {
    /// The books of `version_table` (in `schema`, where names are qualified).
    pub fn new(
        spelling: &'static Spelling,
        schema: Option<&'a str>,
        version_table: &'a str,
    ) -> Books<'a> {
        Books {
            spelling,
            schema,
            version_table,
        }
    }

    /// The version table's name.
    pub fn version_table(&self) -> &str {
        self.version_table
    }

    fn qualified(&self, name: &str) -> String {
        let q = self.spelling.quote;
        match self.schema {
            Some(schema) => format!("{}.{}", q.ident(schema), q.ident(name)),
            None => q.ident(name),
        }
    }

    fn column(&self) -> String {
        self.spelling.quote.ident("version_num")
    }

    /// `CREATE TABLE IF NOT EXISTS` of the version table.
    pub fn version_table_ddl(&self) -> String {
        format!(
            "CREATE TABLE IF NOT EXISTS {} (\n    {} VARCHAR(32) NOT NULL,\n    CONSTRAINT {} PRIMARY KEY ({})\n){}",
            self.qualified(self.version_table),
            self.column(),
            self.spelling
                .quote
                .ident(&naming::primary_key(self.version_table)),
            self.column(),
            self.spelling.table_options
        )
    }

    /// `CREATE TABLE IF NOT EXISTS` of the applied log.
    pub fn log_ddl(&self) -> String {
        let s = self.spelling;
        let table = self.qualified(&applied::log_table(self.version_table));
        applied::ddl(s.quote, &table, s.log_id, s.text, s.table_options)
    }

    /// The rows of the version table, sorted.
    fn select_versions(&self) -> String {
        let column = self.column();
        format!(
            "SELECT {} AS version_num FROM {} ORDER BY {column}",
            (self.spelling.version_text)(&column),
            self.qualified(self.version_table)
        )
    }

    /// A version-table change with placeholders, and the values they take in order.
    pub fn version_change(&self, change: &'a VersionChange) -> (String, Vec<&'a str>) {
        self.version_change_with(change, self.spelling.placeholder)
    }

    /// [`Books::version_change`] with placeholders spelled by `p` (statements sent together
    /// take theirs in order: `?`).
    pub fn version_change_with(
        &self,
        change: &'a VersionChange,
        p: impl Fn(usize) -> String,
    ) -> (String, Vec<&'a str>) {
        let (t, c) = (self.qualified(self.version_table), self.column());
        match change {
            VersionChange::Insert(id) => {
                (format!("INSERT INTO {t} ({c}) VALUES ({})", p(1)), vec![id])
            }
            VersionChange::Update { from, to } => (
                format!("UPDATE {t} SET {c} = {} WHERE {c} = {}", p(1), p(2)),
                vec![to, from],
            ),
            VersionChange::Delete(id) => {
                (format!("DELETE FROM {t} WHERE {c} = {}", p(1)), vec![id])
            }
        }
    }

    /// The applied log's name, qualified and quoted.
    pub fn log_table(&self) -> String {
        self.qualified(&applied::log_table(self.version_table))
    }

    /// A version-table change with its values written as literals (offline scripts).
    pub fn version_change_literal(&self, change: &VersionChange) -> String {
        let (mut sql, values) = self.version_change(change);
        // Placeholders are replaced last first, so that `?1` never eats into `?10`.
        for (i, value) in values.iter().enumerate().rev() {
            let placeholder = (self.spelling.placeholder)(i + 1);
            let at = sql
                .rfind(&placeholder)
                .expect("each value has its placeholder");
            sql.replace_range(at..at + placeholder.len(), &(self.spelling.literal)(value));
        }
        sql
    }

    fn select_log(&self) -> String {
        applied::select(self.spelling.quote, &self.log_table())
    }

    fn insert_log(&self) -> String {
        applied::insert(
            self.spelling.quote,
            &self.log_table(),
            self.spelling.placeholder,
        )
    }

    fn failed(&self, sql: String, e: sqlx::Error) -> DbError {
        DbError::statement(&sql, e, self.spelling.message)
    }
}

/// What the number of rows a statement touched is called in each driver's result.
pub(crate) trait RowsAffected {
    /// The rows the statement touched.
    fn rows(&self) -> u64;
}

impl RowsAffected for sqlx::sqlite::SqliteQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

impl RowsAffected for sqlx::postgres::PgQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

impl RowsAffected for sqlx::mysql::MySqlQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

/// The sqlx drivers the books are kept with: the functions below state what else they need.
pub(crate) trait Driver:
    Database<QueryResult: RowsAffected, Arguments: sqlx::IntoArguments<Self>>
{
}

/// A connection of one of those drivers.
pub(crate) trait Conn: sqlx::Connection<Database: Driver> {}

impl<C: sqlx::Connection<Database: Driver>> Conn for C {}

impl Driver for sqlx::Sqlite {}
impl Driver for sqlx::Postgres {}
impl Driver for sqlx::MySql {}

/// Runs one statement of DDL (creating a bookkeeping table).
pub(crate) async fn create<C: Conn>(
    conn: &mut C,
    books: &Books<'_>,
    ddl: String,
) -> Result<(), DbError>
where
    for<'c> &'c mut C: Executor<'c, Database = C::Database>,
{
    sqlx::raw_sql(AssertSqlSafe(ddl.clone()))
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(|e| books.failed(ddl, e))
}

/// The rows of the version table (which exists), sorted.
pub(crate) async fn versions<C: Conn>(
    conn: &mut C,
    books: &Books<'_>,
) -> Result<Vec<String>, DbError>
where
    for<'c> &'c mut C: Executor<'c, Database = C::Database>,
    for<'r> String: Decode<'r, C::Database> + Type<C::Database>,
    for<'n> &'n str: sqlx::ColumnIndex<<C::Database as Database>::Row>,
{
    sqlx::query(AssertSqlSafe(books.select_versions()))
        .fetch_all(&mut *conn)
        .await
        .map_err(DbError::query)?
        .iter()
        .map(|r| r.try_get("version_num").map_err(DbError::query))
        .collect()
}

/// Makes one version-table change, which must touch exactly one row (a second process moving
/// the same head, or a database elsewhere than the plan thought, touches none).
pub(crate) async fn change_version<C: Conn>(
    conn: &mut C,
    books: &Books<'_>,
    change: &VersionChange,
) -> Result<(), DbError>
where
    for<'c> &'c mut C: Executor<'c, Database = C::Database>,
    for<'t> &'t str: Encode<'t, C::Database> + Type<C::Database>,
{
    let (sql, values) = books.version_change(change);
    let mut query = sqlx::query(AssertSqlSafe(sql.clone()));
    for value in values {
        query = query.bind(value);
    }
    let done = query
        .execute(&mut *conn)
        .await
        .map_err(|e| books.failed(sql, e))?;
    match done.rows() {
        1 => Ok(()),
        found => Err(DbError::VersionRows {
            table: books.version_table().to_string(),
            change: change.to_string(),
            found,
        }),
    }
}

/// Writes one row of the applied log (which exists).
pub(crate) async fn write_log<C: Conn>(
    conn: &mut C,
    books: &Books<'_>,
    row: &NewRow,
) -> Result<(), DbError>
where
    for<'c> &'c mut C: Executor<'c, Database = C::Database>,
    for<'t> &'t str: Encode<'t, C::Database> + Type<C::Database>,
    for<'t> Option<&'t str>: Encode<'t, C::Database> + Type<C::Database>,
    for<'t> i64: Encode<'t, C::Database> + Type<C::Database>,
{
    let sql = books.insert_log();
    applied::bound::<C::Database>(sql.clone(), row)
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(|e| books.failed(sql, e))
}

/// Every row of the applied log (which exists), oldest first.
pub(crate) async fn read_log<C: Conn>(
    conn: &mut C,
    books: &Books<'_>,
) -> Result<Vec<LogRow>, DbError>
where
    for<'c> &'c mut C: Executor<'c, Database = C::Database>,
    for<'r> String: Decode<'r, C::Database> + Type<C::Database>,
    for<'r> Option<String>: Decode<'r, C::Database> + Type<C::Database>,
    for<'r> i64: Decode<'r, C::Database> + Type<C::Database>,
    for<'n> &'n str: sqlx::ColumnIndex<<C::Database as Database>::Row>,
{
    sqlx::query(AssertSqlSafe(books.select_log()))
        .fetch_all(&mut *conn)
        .await
        .map_err(DbError::query)?
        .iter()
        .map(|r| applied::read_row(r).map_err(DbError::query))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    static DOLLARS: Spelling = Spelling {
        quote: Quote::Double,
        placeholder: |i| format!("${i}"),
        literal: super::super::sql::literal,
        log_id: "BIGINT",
        text: "TEXT",
        table_options: "",
        version_text: |c| c.to_string(),
        message: |e| e.to_string(),
    };

    #[test]
    fn literals_replace_placeholders_from_the_last() {
        let books = Books::new(&DOLLARS, Some("app"), "outflow_version");
        let change = VersionChange::Update {
            from: "a'1".into(),
            to: "b2".into(),
        };
        assert_eq!(
            books.version_change_literal(&change),
            "UPDATE \"app\".\"outflow_version\" SET \"version_num\" = 'b2' WHERE \"version_num\" = 'a''1'"
        );
        assert!(books.version_table_ddl().starts_with(
            "CREATE TABLE IF NOT EXISTS \"app\".\"outflow_version\" (\n    \"version_num\" VARCHAR(32) NOT NULL,"
        ));
    }
}
