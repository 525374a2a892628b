//! The sample schemas of `tests/conformance/corpora/schemas` (Chinook, Sakila, Pagila,
//! Northwind), as SQL ready for a fresh database of ours.

use std::path::Path;

use super::Dialect;

/// The sample `name` for `dialect`, for the server's own client (`psql`, `mariadb`,
/// `sqlite3`); `None` when the sample has no file for that dialect.
pub fn client_sql(name: &str, dialect: Dialect) -> Option<String> {
    let file = match dialect {
        Dialect::Sqlite => "sqlite.sql",
        Dialect::Postgres => "postgresql.sql",
        Dialect::Mysql => "mysql.sql",
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conformance/corpora/schemas")
        .join(name)
        .join(file);
    let sql = std::fs::read_to_string(path).ok()?;
    // Sakila's MySQL file creates, enters and names its own schema: here it loads into ours.
    let sql = sql
        .lines()
        .filter(|l| {
            let l = l.trim().to_ascii_uppercase();
            !(l.starts_with("CREATE SCHEMA") || l.starts_with("USE "))
        })
        .collect::<Vec<_>>()
        .join("\n")
        .replace("sakila.", "");
    Some(sql)
}

/// The same SQL for a driver that sends it to the server as it is: without the client's
/// `DELIMITER` directives (the server reads a trigger's `BEGIN ... END` whole).
pub fn driver_sql(name: &str, dialect: Dialect) -> Option<String> {
    let sql = client_sql(name, dialect)?;
    if dialect != Dialect::Mysql {
        return Some(sql);
    }
    let mut delimiter = ";".to_string();
    let mut lines = Vec::new();
    for line in sql.lines() {
        if let Some(new) = line.trim().strip_prefix("DELIMITER ") {
            delimiter = new.trim().to_string();
            continue;
        }
        match line.trim_end().strip_suffix(delimiter.as_str()) {
            Some(statement) if delimiter != ";" => lines.push(format!("{statement};")),
            _ => lines.push(line.to_string()),
        }
    }
    Some(lines.join("\n"))
}
