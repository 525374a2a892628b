//! A pipeline's databases at run time: model rows read, written and updated through sqlx with
//! the model's row mapping, on SQLite, PostgreSQL and MySQL alike.
//!
//! Layer: above `config`, `dialect`, `model` and `schema`; the pools and how each database
//! binds values are the dialects' ([`crate::dialect::pool`]).
//!
//! Tasks are plain functions, so the calls block (on the command's runtime); [`Db::block_on`]
//! and the pool accessors are there for any other sqlx query.
//!
//! ```no_run
//! # use outflow::Model;
//! # #[derive(Model)]
//! # #[model(unique(input_value, multiplier))]
//! # pub struct ComputationResult {
//! #     #[column(primary_key, autoincrement)]
//! #     pub id_computation_result: i32,
//! #     pub input_value: i32,
//! #     pub multiplier: i32,
//! #     pub result: i32,
//! # }
//! # fn task(db: &outflow::store::Db) -> Result<(), outflow::store::StoreError> {
//! let cached = db
//!     .select::<ComputationResult>()
//!     .filter("input_value", 42)
//!     .filter("multiplier", 2)
//!     .first()?;
//! # Ok(()) }
//! ```

mod open;

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use sqlx::{MySqlPool, PgPool, SqlitePool};

/// Values are the models' (a model's row is data before it is a statement).
pub use crate::model::value::{EnumValue, ToValue, Value, value};
pub use open::Databases;

use crate::dialect::DialectName;
use crate::dialect::pool::{Pool, PoolError, Rows};
use crate::dialect::rows::{Query, Statement, Syntax, UnknownColumn};
use crate::model::Model;

/// What goes wrong with a database at run time.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database cannot be opened.
    #[error("cannot open database '{label}' ({target}): {message}")]
    Open {
        /// The label.
        label: String,
        /// Where it is (never with a password).
        target: String,
        /// Why.
        message: String,
    },
    /// The SQLite file is not there yet.
    #[error("database '{label}' ({target}) does not exist; run `db upgrade heads` first")]
    Missing {
        /// The label.
        label: String,
        /// The file.
        target: String,
    },
    /// The label is not in the config.
    #[error("{0}")]
    Config(String),
    /// A statement failed.
    #[error("{action} table '{table}' failed: {message}")]
    Query {
        /// `reading`, `writing to` or `updating`.
        action: &'static str,
        /// The table.
        table: String,
        /// The database's message.
        message: String,
        /// Whether a unique constraint refused a row.
        unique_violation: bool,
        /// The driver's error (its SQLSTATE says what happened).
        #[source]
        source: sqlx::Error,
    },
    /// A column name that is not the model's.
    #[error("table '{table}' has no column '{column}'; use a column of the model")]
    UnknownColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// A value the driver cannot send.
    #[error("cannot bind a value: {0}")]
    Bind(String),
    /// A dry run has no database.
    #[error("this is a dry run: no database is opened (check `ctx.dry_run()` first)")]
    DryRun,
}

impl From<UnknownColumn> for StoreError {
    fn from(e: UnknownColumn) -> StoreError {
        StoreError::UnknownColumn {
            table: e.table,
            column: e.column,
        }
    }
}

impl StoreError {
    /// Whether a unique constraint refused the row (another process inserted it first, say).
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            StoreError::Query {
                unique_violation: true,
                ..
            }
        )
    }
}

/// A model a [`Db`] can read back on every dialect: what `#[derive(Model)]` gives.
pub trait Stored: Model + Rows + Send + Unpin + 'static {}

impl<M> Stored for M where M: Model + Rows + Send + Unpin + 'static {}

/// One database of the pipeline, by its `config.yml` label.
#[derive(Debug, Clone)]
pub struct Db {
    label: String,
    pool: Pool,
    syntax: Syntax,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl Db {
    /// The database's label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Its dialect.
    pub fn dialect(&self) -> DialectName {
        self.syntax.dialect
    }

    /// Runs a future (any sqlx query on [`Db::sqlite`], [`Db::postgres`] or [`Db::mysql`]) to
    /// completion.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// The SQLite pool, when this is a SQLite database.
    pub fn sqlite(&self) -> Option<&SqlitePool> {
        self.pool.sqlite()
    }

    /// The PostgreSQL pool, when this is a PostgreSQL database.
    pub fn postgres(&self) -> Option<&PgPool> {
        self.pool.postgres()
    }

    /// The MySQL pool, when this is a MySQL or MariaDB database.
    pub fn mysql(&self) -> Option<&MySqlPool> {
        self.pool.mysql()
    }

    /// Rows of `M`: add filters, an order and a limit, then [`Select::all`] or
    /// [`Select::first`].
    pub fn select<M: Stored>(&self) -> Select<'_, M> {
        Select {
            db: self,
            query: Query::default(),
            values: Vec::new(),
            _model: PhantomData,
        }
    }

    /// Inserts `row`, leaving its autoincrement columns to the database; returns the number
    /// the database gave when the table has such a column.
    pub fn insert<M: Stored>(&self, row: &M) -> Result<Option<i64>, StoreError> {
        let table = M::table();
        let statement = self.syntax.insert(&table);
        let values: Vec<Value> = row
            .values()
            .into_iter()
            .zip(&table.columns)
            .filter(|(_, c)| !c.autoincrement)
            .map(|(v, _)| v)
            .collect();
        let numbered = table.columns.iter().any(|c| c.autoincrement);
        let bound: Vec<(Value, &crate::schema::Type)> =
            values.into_iter().zip(&statement.bound).collect();
        self.block_on(self.pool.insert(&statement.sql, bound, numbered))
            .map_err(|e| query_error("writing to", &table.name, e))
    }

    /// Sets columns of the rows of `M` that match filters: [`Update::set`],
    /// [`Update::filter`], then [`Update::run`].
    pub fn update<M: Stored>(&self) -> Update<'_, M> {
        Update {
            db: self,
            set: Vec::new(),
            filters: Vec::new(),
            _model: PhantomData,
        }
    }

    /// Runs a statement that returns no rows; the number of rows it touched.
    fn execute(
        &self,
        statement: &Statement,
        values: Vec<Value>,
        table: &str,
    ) -> Result<u64, StoreError> {
        let bound: Vec<(Value, &crate::schema::Type)> =
            values.into_iter().zip(&statement.bound).collect();
        self.block_on(self.pool.execute(&statement.sql, bound))
            .map_err(|e| query_error("updating", table, e))
    }

    fn fetch<M: Stored>(
        &self,
        statement: &Statement,
        values: Vec<Value>,
    ) -> Result<Vec<M>, StoreError> {
        let bound: Vec<(Value, &crate::schema::Type)> =
            values.into_iter().zip(&statement.bound).collect();
        self.block_on(self.pool.fetch(&statement.sql, bound))
            .map_err(|e| query_error("reading", M::TABLE, e))
    }
}

fn query_error(action: &'static str, table: &str, e: PoolError) -> StoreError {
    let source = match e {
        PoolError::Bind(message) => return StoreError::Bind(message),
        PoolError::Query(source) => source,
    };
    let (message, unique_violation) = match &source {
        sqlx::Error::Database(db) => (db.message().to_string(), db.is_unique_violation()),
        other => (other.to_string(), false),
    };
    StoreError::Query {
        action,
        table: table.to_string(),
        message,
        unique_violation,
        source,
    }
}

/// A select being built by [`Db::select`].
#[must_use = "a select does nothing until `all()` or `first()`"]
pub struct Select<'a, M> {
    db: &'a Db,
    query: Query,
    values: Vec<Value>,
    _model: PhantomData<M>,
}

impl<M: Stored> Select<'_, M> {
    /// Only rows whose `column` equals `value` (`IS NULL` for `None`).
    pub fn filter(mut self, column: &str, value: impl ToValue) -> Self {
        let value = value.to_value();
        let is_null = value == Value::Null;
        self.query.filters.push((column.to_string(), is_null));
        if !is_null {
            self.values.push(value);
        }
        self
    }

    /// Sorted by `column`, ascending.
    pub fn order_by(mut self, column: &str) -> Self {
        self.query.order.push((column.to_string(), false));
        self
    }

    /// Sorted by `column`, descending.
    pub fn order_by_desc(mut self, column: &str) -> Self {
        self.query.order.push((column.to_string(), true));
        self
    }

    /// At most `n` rows.
    pub fn limit(mut self, n: u64) -> Self {
        self.query.limit = Some(n);
        self
    }

    /// Every matching row.
    pub fn all(self) -> Result<Vec<M>, StoreError> {
        let statement = self
            .db
            .syntax
            .select(&M::table(), M::COLUMNS, &self.query)?;
        self.db.fetch(&statement, self.values)
    }

    /// The first matching row, if any.
    pub fn first(mut self) -> Result<Option<M>, StoreError> {
        self.query.limit = Some(1);
        Ok(self.all()?.into_iter().next())
    }
}

/// An update being built by [`Db::update`].
#[must_use = "an update does nothing until `run()`"]
pub struct Update<'a, M> {
    db: &'a Db,
    set: Vec<(String, Value)>,
    filters: Vec<(String, Value)>,
    _model: PhantomData<M>,
}

impl<M: Stored> Update<'_, M> {
    /// Sets `column` to `value`.
    pub fn set(mut self, column: &str, value: impl ToValue) -> Self {
        self.set.push((column.to_string(), value.to_value()));
        self
    }

    /// Only rows whose `column` equals `value` (`IS NULL` for `None`).
    pub fn filter(mut self, column: &str, value: impl ToValue) -> Self {
        self.filters.push((column.to_string(), value.to_value()));
        self
    }

    /// Runs the update; the number of rows changed.
    pub fn run(self) -> Result<u64, StoreError> {
        let table = M::table();
        let columns: Vec<&str> = self.set.iter().map(|(c, _)| c.as_str()).collect();
        let filters: Vec<(String, bool)> = self
            .filters
            .iter()
            .map(|(c, v)| (c.clone(), *v == Value::Null))
            .collect();
        let statement = self.db.syntax.update(&table, &columns, &filters)?;
        let mut values: Vec<Value> = self.set.into_iter().map(|(_, v)| v).collect();
        values.extend(
            self.filters
                .into_iter()
                .map(|(_, v)| v)
                .filter(|v| *v != Value::Null),
        );
        self.db.execute(&statement, values, &table.name)
    }
}
