//! Roles as in Outflow: migrations connect as `admin`, the pipeline as `user`. Each table a
//! step creates (and each table it adds a column to, for new sequences) is granted to `user`
//! for reading and writing rows, with its sequences; `user` never owns a table, so it cannot
//! drop or alter one.

use sqlx::{PgConnection, Row};

use super::super::connect::exec;
use super::super::{Q, types};
use crate::dialect::DbError;
use crate::ops::Operation;

/// Grants `user` what the pipeline needs on the tables `ops` create or give new columns, inside
/// the step's transaction.
pub(super) async fn grant(
    conn: &mut PgConnection,
    ops: &[Operation],
    schema: &str,
    user: &str,
) -> Result<(), DbError> {
    let mut tables: Vec<&str> = ops
        .iter()
        .filter_map(|op| match op {
            Operation::CreateTable(t) => Some(t.name.as_str()),
            Operation::AddColumn { table, .. } => Some(table.as_str()),
            _ => None,
        })
        .collect();
    tables.sort();
    tables.dedup();
    if tables.is_empty() {
        return Ok(());
    }
    let role = Q.ident(user);
    let granted = async |conn: &mut PgConnection, sql: String| {
        exec(conn, &sql).await.map_err(|e| match e {
            DbError::Statement {
                sql,
                message,
                source,
            } => DbError::Statement {
                sql,
                message: format!(
                    "{message}; `user: {user}:...` in config.yml names the role the pipeline runs as: create it (CREATE ROLE ... LOGIN PASSWORD ...) or remove `user:`"
                ),
                source,
            },
            other => other,
        })
    };
    if schema != "public" {
        granted(
            conn,
            format!("GRANT USAGE ON SCHEMA {} TO {role}", Q.ident(schema)),
        )
        .await?;
    }
    for table in tables {
        let qualified = types::qualified(schema, table);
        granted(
            conn,
            format!("GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {qualified} TO {role}"),
        )
        .await?;
        for sequence in sequences(conn, &qualified).await? {
            granted(
                conn,
                format!("GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {role}"),
            )
            .await?;
        }
    }
    Ok(())
}

/// The sequences a table's columns own (serial and identity columns), qualified and quoted.
async fn sequences(conn: &mut PgConnection, qualified: &str) -> Result<Vec<String>, DbError> {
    let rows = sqlx::query(
        "SELECT n.nspname::text AS schema, s.relname::text AS name FROM pg_depend d \
         JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' \
         JOIN pg_namespace n ON n.oid = s.relnamespace \
         WHERE d.refobjid = to_regclass($1) AND d.classid = 'pg_class'::regclass \
         AND d.deptype IN ('a', 'i') ORDER BY 2",
    )
    .bind(qualified)
    .fetch_all(&mut *conn)
    .await
    .map_err(DbError::query)?;
    rows.iter()
        .map(|r| {
            let schema: String = r.try_get("schema").map_err(DbError::query)?;
            let name: String = r.try_get("name").map_err(DbError::query)?;
            Ok(types::qualified(&schema, &name))
        })
        .collect()
}
