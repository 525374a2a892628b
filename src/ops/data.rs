//! Data steps: Rust code a revision runs between its schema operations, on the migration's own
//! connection and inside its transaction, reading and writing rows of the tables as they are
//! at that point of the migration (not as today's models say).
//!
//! The step's body sees the database through [`Rows`]: selects, inserts, updates and deletes
//! built from the table as the database has it then (column names checked, identifiers
//! quoted, values bound), and raw statements for the rest. It knows no dialect: the runner
//! links it to the connection ([`RowLink`]).
//!
//! ```
//! use outflow::migration::prelude::*;
//!
//! fn upgrade(op: &mut Operations) {
//!     op.add_column("person", column("full_name", Type::Text));
//!     op.run_rust("join first and last names", |rows| {
//!         for person in rows.select("person", ["id", "first", "last"]).all()? {
//!             let full = format!(
//!                 "{} {}",
//!                 person.text("first")?.unwrap_or_default(),
//!                 person.text("last")?.unwrap_or_default()
//!             );
//!             rows.update("person")
//!                 .set("full_name", full)
//!                 .filter("id", person.get("id")?)
//!                 .run()?;
//!         }
//!         Ok(())
//!     });
//! }
//!
//! let mut op = Operations::new();
//! upgrade(&mut op);
//! assert_eq!(op.len(), 2);
//! ```

use std::fmt;
use std::sync::Arc;

use super::DialectName;
use crate::schema::value::{ToValue, Value};

/// What a data step's body returns.
pub type DataResult = Result<(), DataError>;

/// A data step's body: a function or closure over the rows.
pub type DataBody = dyn Fn(&mut Rows<'_>) -> DataResult + Send + Sync;

/// Rust code a revision runs on the rows ([`Operations::run_rust`](super::Operations::run_rust)).
#[derive(Clone)]
pub struct DataStep {
    /// What the step does, as the revision names it (shown when it runs and when it fails).
    pub name: String,
    /// The code.
    pub body: Arc<DataBody>,
}

impl fmt::Debug for DataStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataStep")
            .field("name", &self.name)
            .finish()
    }
}

/// Two recordings of one revision give two closures: a step is the same step when it has the
/// same name at the same place.
impl PartialEq for DataStep {
    fn eq(&self, other: &DataStep) -> bool {
        self.name == other.name
    }
}

impl Eq for DataStep {}

/// Why a data step failed; its message reaches the user with the revision's id. Any error
/// converts with `?`.
pub struct DataError {
    message: String,
}

impl DataError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> DataError {
        DataError {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for DataError {
    fn from(e: E) -> DataError {
        DataError::new(e.to_string())
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DataError({:?})", self.message)
    }
}

/// `column = value` conditions; a NULL value means `column IS NULL`.
pub type Filters = Vec<(String, Value)>;

/// What a data step asks of the database.
#[derive(Debug, Clone, PartialEq)]
pub enum RowRequest {
    /// `SELECT columns FROM table WHERE ... ORDER BY ... LIMIT n`.
    Select {
        /// The table.
        table: String,
        /// The columns read, in order.
        columns: Vec<String>,
        /// The conditions.
        filters: Filters,
        /// Sort keys; `true` is descending.
        order: Vec<(String, bool)>,
        /// At most this many rows.
        limit: Option<u64>,
    },
    /// `INSERT INTO table (columns) VALUES (...)`.
    Insert {
        /// The table.
        table: String,
        /// The columns written and their values.
        values: Vec<(String, Value)>,
    },
    /// `UPDATE table SET ... WHERE ...`.
    Update {
        /// The table.
        table: String,
        /// The columns set and their values.
        set: Vec<(String, Value)>,
        /// The conditions.
        filters: Filters,
    },
    /// `DELETE FROM table WHERE ...`.
    Delete {
        /// The table.
        table: String,
        /// The conditions.
        filters: Filters,
    },
    /// A statement as written, its placeholders bound to `values`.
    Execute {
        /// The statement.
        sql: String,
        /// The values, in placeholder order.
        values: Vec<Value>,
    },
}

/// What the database answers.
#[derive(Debug, Clone, PartialEq)]
pub enum RowReply {
    /// The rows a select read.
    Rows(Vec<Row>),
    /// The number of rows a statement touched.
    Count(u64),
}

/// The database side of a data step: the runner's connection, as the dialect drives it.
pub trait RowLink: Send {
    /// The database's dialect.
    fn dialect(&self) -> DialectName;
    /// Runs one request.
    fn send(&mut self, request: RowRequest) -> Result<RowReply, DataError>;
}

/// One row a data step read: its values by column name.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    table: Arc<str>,
    columns: Arc<[String]>,
    values: Vec<Value>,
}

impl Row {
    /// A row of `table` with `values` in the order of `columns`.
    pub fn new(table: Arc<str>, columns: Arc<[String]>, values: Vec<Value>) -> Row {
        Row {
            table,
            columns,
            values,
        }
    }

    /// The value of `column`; an error naming the columns read when it was not selected.
    pub fn get(&self, column: &str) -> Result<&Value, DataError> {
        self.columns
            .iter()
            .position(|c| c == column)
            .map(|i| &self.values[i])
            .ok_or_else(|| {
                DataError::new(format!(
                    "the row of '{}' has no column '{column}': the select read {}",
                    self.table,
                    self.columns.join(", ")
                ))
            })
    }

    /// The text of `column` (`None` for NULL); an error when it holds something else.
    pub fn text(&self, column: &str) -> Result<Option<&str>, DataError> {
        self.typed(column, "text", Value::as_str)
    }

    /// The integer of `column` (`None` for NULL); an error when it holds something else.
    pub fn int(&self, column: &str) -> Result<Option<i64>, DataError> {
        self.typed(column, "an integer", Value::as_i64)
    }

    /// The number of `column`, integer or not (`None` for NULL).
    pub fn float(&self, column: &str) -> Result<Option<f64>, DataError> {
        self.typed(column, "a number", Value::as_f64)
    }

    /// The boolean of `column` (`None` for NULL).
    pub fn bool(&self, column: &str) -> Result<Option<bool>, DataError> {
        self.typed(column, "a boolean", Value::as_bool)
    }

    /// The column names, in the order they were selected.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The values, in the order of [`Row::columns`].
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    fn typed<'r, T>(
        &'r self,
        column: &str,
        kind: &str,
        read: impl Fn(&'r Value) -> Option<T>,
    ) -> Result<Option<T>, DataError> {
        let value = self.get(column)?;
        if value.is_null() {
            return Ok(None);
        }
        read(value).map(Some).ok_or_else(|| {
            DataError::new(format!(
                "'{}.{column}' holds {value:?}, not {kind}",
                self.table
            ))
        })
    }
}

/// The database as a data step sees it. Each method runs at once, inside the migration's
/// transaction (SQLite, PostgreSQL; on MySQL the data step has a transaction of its own).
pub struct Rows<'a> {
    link: &'a mut dyn RowLink,
}

impl<'a> Rows<'a> {
    /// The rows behind `link`.
    pub fn new(link: &'a mut dyn RowLink) -> Rows<'a> {
        Rows { link }
    }

    /// The database's dialect, for a raw statement that differs between databases.
    pub fn dialect(&self) -> DialectName {
        self.link.dialect()
    }

    /// Rows of `table`, with these columns: add filters, an order and a limit, then
    /// [`SelectRows::all`].
    pub fn select<I>(&mut self, table: &str, columns: I) -> SelectRows<'_, 'a>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        SelectRows {
            rows: self,
            table: table.to_string(),
            columns: columns.into_iter().map(Into::into).collect(),
            filters: Vec::new(),
            order: Vec::new(),
            limit: None,
        }
    }

    /// Inserts one row into `table`: its columns with [`WriteRows::value`], then
    /// [`WriteRows::run`]. Columns not named take their default.
    pub fn insert(&mut self, table: &str) -> WriteRows<'_, 'a> {
        self.write(table, Write::Insert)
    }

    /// Sets columns of the rows of `table` that match filters.
    pub fn update(&mut self, table: &str) -> WriteRows<'_, 'a> {
        self.write(table, Write::Update)
    }

    /// Deletes the rows of `table` that match filters (every row without one).
    pub fn delete(&mut self, table: &str) -> WriteRows<'_, 'a> {
        self.write(table, Write::Delete)
    }

    /// Runs `sql` as written with `values` bound to its placeholders (`?` on SQLite and
    /// MySQL, `$1` on PostgreSQL); the number of rows it touched. A NULL is bound as text: on
    /// PostgreSQL cast its placeholder (`$1::integer`).
    pub fn execute<I>(&mut self, sql: &str, values: I) -> Result<u64, DataError>
    where
        I: IntoIterator,
        I::Item: ToValue,
    {
        let values = values.into_iter().map(|v| v.to_value()).collect();
        let sql = sql.to_string();
        count(self.link.send(RowRequest::Execute { sql, values })?)
    }

    fn write(&mut self, table: &str, kind: Write) -> WriteRows<'_, 'a> {
        WriteRows {
            rows: self,
            kind,
            table: table.to_string(),
            values: Vec::new(),
            filters: Vec::new(),
        }
    }
}

fn count(reply: RowReply) -> Result<u64, DataError> {
    match reply {
        RowReply::Count(n) => Ok(n),
        RowReply::Rows(rows) => Ok(rows.len() as u64),
    }
}

/// A select being built by [`Rows::select`].
#[must_use = "a select reads nothing until `all()` or `first()`"]
pub struct SelectRows<'r, 'a> {
    rows: &'r mut Rows<'a>,
    table: String,
    columns: Vec<String>,
    filters: Filters,
    order: Vec<(String, bool)>,
    limit: Option<u64>,
}

impl SelectRows<'_, '_> {
    /// Only rows whose `column` equals `value` (`IS NULL` for `None`).
    pub fn filter(mut self, column: &str, value: impl ToValue) -> Self {
        self.filters.push((column.to_string(), value.to_value()));
        self
    }

    /// Sorted by `column`, ascending.
    pub fn order_by(mut self, column: &str) -> Self {
        self.order.push((column.to_string(), false));
        self
    }

    /// Sorted by `column`, descending.
    pub fn order_by_desc(mut self, column: &str) -> Self {
        self.order.push((column.to_string(), true));
        self
    }

    /// At most `n` rows.
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// Every matching row.
    pub fn all(self) -> Result<Vec<Row>, DataError> {
        let request = RowRequest::Select {
            table: self.table,
            columns: self.columns,
            filters: self.filters,
            order: self.order,
            limit: self.limit,
        };
        match self.rows.link.send(request)? {
            RowReply::Rows(rows) => Ok(rows),
            RowReply::Count(_) => Ok(Vec::new()),
        }
    }

    /// The first matching row, if any.
    pub fn first(mut self) -> Result<Option<Row>, DataError> {
        self.limit = Some(1);
        Ok(self.all()?.into_iter().next())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Write {
    Insert,
    Update,
    Delete,
}

/// An insert, update or delete being built by [`Rows`].
#[must_use = "nothing is written until `run()`"]
pub struct WriteRows<'r, 'a> {
    rows: &'r mut Rows<'a>,
    kind: Write,
    table: String,
    values: Vec<(String, Value)>,
    filters: Filters,
}

impl WriteRows<'_, '_> {
    /// Writes `value` into `column` (an insert's column, an update's `SET`).
    pub fn value(mut self, column: &str, value: impl ToValue) -> Self {
        self.values.push((column.to_string(), value.to_value()));
        self
    }

    /// Sets `column` to `value` (the same as [`WriteRows::value`], read as an update).
    pub fn set(self, column: &str, value: impl ToValue) -> Self {
        self.value(column, value)
    }

    /// Only rows whose `column` equals `value` (`IS NULL` for `None`).
    pub fn filter(mut self, column: &str, value: impl ToValue) -> Self {
        self.filters.push((column.to_string(), value.to_value()));
        self
    }

    /// Runs the statement; the number of rows written, changed or deleted.
    pub fn run(self) -> Result<u64, DataError> {
        let table = self.table;
        let request = match self.kind {
            Write::Insert if !self.filters.is_empty() => {
                return Err(DataError::new(format!(
                    "an insert into '{table}' takes no filter; use update() to change rows"
                )));
            }
            Write::Insert => RowRequest::Insert {
                table,
                values: self.values,
            },
            Write::Update if self.values.is_empty() => {
                return Err(DataError::new(format!(
                    "the update of '{table}' sets no column; add .set(column, value)"
                )));
            }
            Write::Update => RowRequest::Update {
                table,
                set: self.values,
                filters: self.filters,
            },
            Write::Delete if !self.values.is_empty() => {
                return Err(DataError::new(format!(
                    "a delete from '{table}' sets no value; use filter() to choose rows"
                )));
            }
            Write::Delete => RowRequest::Delete {
                table,
                filters: self.filters,
            },
        };
        count(self.rows.link.send(request)?)
    }
}

#[cfg(test)]
mod tests;
