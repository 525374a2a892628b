//! Running a revision's data step ([`DataStep`]) on the migration's connection, whatever the
//! dialect: the step's body is synchronous Rust, so it runs on a thread of its own while this
//! side answers its requests, one at a time, on the connection and inside the transaction the
//! runner holds. Each dialect folder's `data.rs` gives the connection ([`RowServer`]): the
//! table as it is now, a fetch that decodes values by column type, an execute.
//!
//! A request that fails fails the whole step, even when the body goes on: on PostgreSQL the
//! transaction cannot run another statement after an error, and one rule for all dialects is
//! one a reviewer can rely on.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use super::rows::{Query, Statement, Syntax, UnknownColumn};
use super::{DbError, DialectName};
use crate::ops::data::{DataError, DataStep, Filters, Row, RowLink, RowReply, RowRequest, Rows};
use crate::schema::value::Value;
use crate::schema::{Table, Type};

/// The database side of a data step, on one dialect's migration connection.
pub(crate) trait RowServer {
    /// The dialect.
    fn dialect(&self) -> DialectName;
    /// The schema table names are qualified with (`None`: the connection's default).
    fn schema(&self) -> Option<String>;
    /// The type a column of type `ty` is read as (through a cast) when the driver cannot
    /// decode it as it is.
    fn read_as(ty: &Type) -> Option<&'static str>;
    /// The table as the database has it now; `None` when there is none.
    async fn table(&mut self, name: &str) -> Result<Option<Table>, DbError>;
    /// Runs a select; each row's values decoded as the columns' `types` say.
    async fn fetch(
        &mut self,
        sql: &str,
        values: Vec<(Value, Type)>,
        types: &[Type],
    ) -> Result<Vec<Vec<Value>>, DbError>;
    /// Runs a statement; the number of rows it touched.
    async fn execute(&mut self, sql: &str, values: Vec<(Value, Type)>) -> Result<u64, DbError>;
}

/// One request of the body and where its answer goes.
struct Ask {
    request: RowRequest,
    reply: oneshot::Sender<Result<RowReply, DataError>>,
}

/// The body's end of the link: requests go to the serving side and wait for the answer.
struct ChannelLink {
    dialect: DialectName,
    asks: mpsc::Sender<Ask>,
}

impl RowLink for ChannelLink {
    fn dialect(&self) -> DialectName {
        self.dialect
    }

    fn send(&mut self, request: RowRequest) -> Result<RowReply, DataError> {
        let (reply, answer) = oneshot::channel();
        let gone = || DataError::new("the migration stopped serving this data step");
        self.asks
            .blocking_send(Ask { request, reply })
            .map_err(|_| gone())?;
        answer.blocking_recv().map_err(|_| gone())?
    }
}

/// Runs `step` against `server`; the step's error, or the first failed request's, as a
/// [`DbError::DataStep`].
pub(crate) async fn run<S: RowServer>(server: &mut S, step: &DataStep) -> Result<(), DbError> {
    let failed = |message: String| DbError::DataStep {
        name: step.name.clone(),
        message,
    };
    tracing::info!("Running data step '{}'", step.name);
    let started = std::time::Instant::now();
    let (asks, mut requests) = mpsc::channel::<Ask>(1);
    let (done, outcome) = oneshot::channel();
    let body = Arc::clone(&step.body);
    let mut link = ChannelLink {
        dialect: server.dialect(),
        asks,
    };
    std::thread::Builder::new()
        .name("outflow-data-step".into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| body(&mut Rows::new(&mut link))));
            drop(link);
            let _ = done.send(result.map_err(panic_message));
        })
        .map_err(|e| failed(format!("cannot start its thread: {e}")))?;
    let mut serving = Serving {
        syntax: Syntax {
            dialect: server.dialect(),
            schema: server.schema(),
        },
        tables: HashMap::new(),
        first_failure: None,
    };
    while let Some(ask) = requests.recv().await {
        let answer = serving.answer(server, ask.request).await;
        let _ = ask.reply.send(answer);
    }
    let result = outcome
        .await
        .map_err(|_| failed("its thread ended without an answer".into()))?;
    match (result, serving.first_failure) {
        (Err(panic), _) => Err(failed(format!("it panicked: {panic}"))),
        (Ok(Err(e)), _) => Err(failed(e.message().to_string())),
        (Ok(Ok(())), Some(first)) => Err(failed(format!(
            "{first} (the step went on after this error, but a failed statement fails the step)"
        ))),
        (Ok(Ok(())), None) => {
            tracing::debug!(
                "data step '{}' took {:.3} s",
                step.name,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// The serving side's state for one step.
struct Serving {
    syntax: Syntax,
    /// Tables read so far; forgotten after raw SQL, which may change them.
    tables: HashMap<String, Table>,
    first_failure: Option<String>,
}

impl Serving {
    async fn answer<S: RowServer>(
        &mut self,
        server: &mut S,
        request: RowRequest,
    ) -> Result<RowReply, DataError> {
        if let Some(first) = &self.first_failure {
            return Err(DataError::new(format!(
                "an earlier request of this step failed: {first}"
            )));
        }
        let result = self.serve(server, request).await;
        if let Err(e) = &result {
            self.first_failure = Some(e.message().to_string());
        }
        result
    }

    async fn serve<S: RowServer>(
        &mut self,
        server: &mut S,
        request: RowRequest,
    ) -> Result<RowReply, DataError> {
        let failed = |e: DbError| DataError::new(e.to_string());
        match request {
            RowRequest::Select {
                table,
                columns,
                filters,
                order,
                limit,
            } => {
                let t = self.table(server, &table).await?;
                let columns: Vec<String> = if columns.is_empty() {
                    t.columns.iter().map(|c| c.name.clone()).collect()
                } else {
                    columns
                };
                let names: Vec<&str> = columns.iter().map(String::as_str).collect();
                let (flags, values) = split(filters);
                let query = Query {
                    filters: flags,
                    order,
                    limit,
                };
                let statement = self
                    .syntax
                    .select_read_as(&t, &names, &query, S::read_as)
                    .map_err(unknown)?;
                let types: Vec<Type> = names
                    .iter()
                    .filter_map(|c| t.column_named(c).map(|c| c.ty.clone()))
                    .collect();
                let binds = bound(values, statement.bound);
                let found = server
                    .fetch(&statement.sql, binds, &types)
                    .await
                    .map_err(failed)?;
                let table: Arc<str> = Arc::from(table.as_str());
                let columns: Arc<[String]> = Arc::from(columns);
                Ok(RowReply::Rows(
                    found
                        .into_iter()
                        .map(|values| Row::new(table.clone(), columns.clone(), values))
                        .collect(),
                ))
            }
            RowRequest::Insert { table, values } => {
                let t = self.table(server, &table).await?;
                let names: Vec<&str> = values.iter().map(|(c, _)| c.as_str()).collect();
                let statement = self.syntax.insert_into(&t, &names).map_err(unknown)?;
                let values = values.into_iter().map(|(_, v)| v).collect();
                self.write(server, statement, values).await
            }
            RowRequest::Update {
                table,
                set,
                filters,
            } => {
                let t = self.table(server, &table).await?;
                let names: Vec<&str> = set.iter().map(|(c, _)| c.as_str()).collect();
                let (flags, filter_values) = split(filters);
                let statement = self.syntax.update(&t, &names, &flags).map_err(unknown)?;
                let mut values: Vec<Value> = set.into_iter().map(|(_, v)| v).collect();
                values.extend(filter_values);
                self.write(server, statement, values).await
            }
            RowRequest::Delete { table, filters } => {
                let t = self.table(server, &table).await?;
                let (flags, values) = split(filters);
                let statement = self.syntax.delete(&t, &flags).map_err(unknown)?;
                self.write(server, statement, values).await
            }
            RowRequest::Execute { sql, values } => {
                self.tables.clear();
                let binds = values
                    .into_iter()
                    .map(|v| {
                        let ty = type_of(&v);
                        (v, ty)
                    })
                    .collect();
                let n = server.execute(&sql, binds).await.map_err(failed)?;
                Ok(RowReply::Count(n))
            }
        }
    }

    async fn write<S: RowServer>(
        &mut self,
        server: &mut S,
        statement: Statement,
        values: Vec<Value>,
    ) -> Result<RowReply, DataError> {
        let binds = bound(values, statement.bound);
        let n = server
            .execute(&statement.sql, binds)
            .await
            .map_err(|e| DataError::new(e.to_string()))?;
        Ok(RowReply::Count(n))
    }

    async fn table<S: RowServer>(
        &mut self,
        server: &mut S,
        name: &str,
    ) -> Result<Table, DataError> {
        if let Some(t) = self.tables.get(name) {
            return Ok(t.clone());
        }
        let found = server
            .table(name)
            .await
            .map_err(|e| DataError::new(e.to_string()))?
            .ok_or_else(|| {
                DataError::new(format!(
                    "there is no table '{name}' at this point of the migration"
                ))
            })?;
        self.tables.insert(name.to_string(), found.clone());
        Ok(found)
    }
}

fn unknown(e: UnknownColumn) -> DataError {
    DataError::new(format!(
        "{e} at this point of the migration (data steps see the tables as the revisions before them left them)"
    ))
}

/// The filters' NULL flags (`IS NULL`, nothing bound) and the values the others bind.
fn split(filters: Filters) -> (Vec<(String, bool)>, Vec<Value>) {
    let mut flags = Vec::new();
    let mut values = Vec::new();
    for (column, value) in filters {
        flags.push((column, value.is_null()));
        if !value.is_null() {
            values.push(value);
        }
    }
    (flags, values)
}

/// The values with their columns' types; text written to a column of a type the driver binds
/// natively (dates, times, JSON, UUIDs) is parsed first, so that a step can write what it
/// read as text and PostgreSQL, which types every placeholder, takes it.
fn bound(values: Vec<Value>, types: Vec<Type>) -> Vec<(Value, Type)> {
    values
        .into_iter()
        .zip(types)
        .map(|(value, ty)| match value {
            Value::Text(text) if parsed_from_text(&ty) => (from_text(&ty, text), ty),
            value => (value, ty),
        })
        .collect()
}

fn parsed_from_text(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Json | Type::Uuid | Type::Date | Type::Time | Type::Timestamp | Type::TimestampTz
    )
}

/// The type a value of a raw statement is bound as.
fn type_of(value: &Value) -> Type {
    match value {
        Value::Null | Value::Text(_) => Type::Text,
        Value::Bool(_) => Type::Boolean,
        Value::Int(_) => Type::BigInt,
        Value::Float(_) => Type::Double,
        Value::Bytes(_) => Type::Blob,
        Value::Json(_) => Type::Json,
        Value::Uuid(_) => Type::Uuid,
        Value::Date(_) => Type::Date,
        Value::Time(_) => Type::Time,
        Value::Timestamp(_) => Type::Timestamp,
        Value::TimestampTz(_) => Type::TimestampTz,
    }
}

/// Runs a select of a data step on `conn`, each row's values decoded by `decode` as the
/// columns' `types` say; a failure is the statement's, in the dialect's words (`message`).
pub(crate) async fn fetch_rows<'c, DB, E>(
    conn: E,
    sql: &str,
    args: DB::Arguments,
    types: &[Type],
    decode: fn(&DB::Row, usize, &Type) -> Result<Value, sqlx::Error>,
    message: fn(&sqlx::Error) -> String,
) -> Result<Vec<Vec<Value>>, DbError>
where
    DB: sqlx::Database,
    E: sqlx::Executor<'c, Database = DB>,
    DB::Arguments: sqlx::IntoArguments<DB>,
{
    let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql.to_string()), args)
        .fetch_all(conn)
        .await
        .map_err(|e| DbError::statement(sql, e, message))?;
    rows.iter()
        .map(|row| {
            (0..types.len())
                .map(|i| decode(row, i, &types[i]).map_err(|e| DbError::statement(sql, e, message)))
                .collect()
        })
        .collect()
}

/// Runs a statement of a data step on `conn`; the driver's result (its rows affected).
pub(crate) async fn execute_rows<'c, DB, E>(
    conn: E,
    sql: &str,
    args: DB::Arguments,
    message: fn(&sqlx::Error) -> String,
) -> Result<DB::QueryResult, DbError>
where
    DB: sqlx::Database,
    E: sqlx::Executor<'c, Database = DB>,
    DB::Arguments: sqlx::IntoArguments<DB>,
{
    sqlx::query_with(sqlx::AssertSqlSafe(sql.to_string()), args)
        .execute(conn)
        .await
        .map_err(|e| DbError::statement(sql, e, message))
}

/// A value read as text, as its column's type reads it: JSON and UUIDs parsed; dates and
/// times parsed when they have one of the usual spellings; anything else (numerics, enums,
/// types the model does not know) kept as its text.
pub(crate) fn from_text(ty: &Type, text: String) -> Value {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
    let parsed = match ty {
        Type::Json => serde_json::from_str(&text).ok().map(Value::Json),
        Type::Uuid => uuid::Uuid::parse_str(&text).ok().map(Value::Uuid),
        Type::Date => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .ok()
            .map(Value::Date),
        Type::Time => NaiveTime::parse_from_str(&text, "%H:%M:%S%.f")
            .ok()
            .map(Value::Time),
        Type::Timestamp => ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(&text, f).ok())
            .map(Value::Timestamp),
        Type::TimestampTz => ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M:%S%.f%#z"]
            .iter()
            .find_map(|f| DateTime::parse_from_str(&text, f).ok())
            .map(|t| Value::TimestampTz(t.to_utc())),
        _ => None,
    };
    parsed.unwrap_or(Value::Text(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_reads_back_as_its_column_type_says() {
        assert_eq!(
            from_text(&Type::Json, r#"{"a": 1}"#.into()),
            Value::Json(serde_json::json!({"a": 1}))
        );
        let id = uuid::Uuid::new_v4();
        assert_eq!(from_text(&Type::Uuid, id.to_string()), Value::Uuid(id));
        assert!(matches!(
            from_text(&Type::Timestamp, "2026-12-04 10:00:00".into()),
            Value::Timestamp(_)
        ));
        assert!(matches!(
            from_text(&Type::TimestampTz, "2026-12-04 10:00:00+00".into()),
            Value::TimestampTz(_)
        ));
        assert_eq!(
            from_text(&Type::Numeric(10, 2), "12.50".into()),
            Value::Text("12.50".into())
        );
        assert_eq!(
            from_text(&Type::Date, "not a date".into()),
            Value::Text("not a date".into())
        );
    }

    #[test]
    fn text_written_to_typed_columns_is_bound_as_the_type() {
        let bound = bound(
            vec![Value::Text("2020-01-02".into()), Value::Text("x".into())],
            vec![Type::Date, Type::Text],
        );
        assert!(matches!(bound[0].0, Value::Date(_)));
        assert_eq!(bound[1].0, Value::Text("x".into()));
    }

    #[test]
    fn null_filters_bind_nothing() {
        let (flags, values) = split(vec![("a".into(), Value::Int(1)), ("b".into(), Value::Null)]);
        assert_eq!(flags, vec![("a".into(), false), ("b".into(), true)]);
        assert_eq!(values, vec![Value::Int(1)]);
    }
}
