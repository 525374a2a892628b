//! Columns, with the builder revision files use.

use serde::{Deserialize, Serialize};

use super::Type;
use super::table::{is_false, yes};

/// A column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Column type.
    #[serde(rename = "type")]
    pub ty: Type,
    /// Whether NULL is allowed.
    #[serde(default = "yes")]
    pub nullable: bool,
    /// Server default, as an SQL expression (`0`, `'text'`, `CURRENT_TIMESTAMP`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The database generates values (identity, `AUTO_INCREMENT`, SQLite `AUTOINCREMENT`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub autoincrement: bool,
    /// Column comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// How the database computes the column, when it is generated (`GENERATED ALWAYS AS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
    /// The column's collation, when it is not the table's or the database's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// The name the column had before (a model's hint: autogenerate renames the old column
    /// instead of dropping it and adding this one). No database state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// The SQL expression that gives existing rows a value when the column becomes NOT NULL
    /// (a model's hint for autogenerate's backfill step). No database state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backfill: Option<String>,
}

/// How the database computes a generated column from the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Generated {
    /// The SQL expression.
    pub expr: String,
    /// Whether the value is stored (`STORED`) rather than computed when read (`VIRTUAL`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub stored: bool,
}

/// Starts a nullable column definition.
pub fn column(name: impl Into<String>, ty: Type) -> Column {
    Column {
        name: name.into(),
        ty,
        nullable: true,
        default: None,
        autoincrement: false,
        comment: None,
        generated: None,
        collation: None,
        renamed_from: None,
        backfill: None,
    }
}

impl Column {
    /// Forbids NULL.
    pub fn not_null(mut self) -> Column {
        self.nullable = false;
        self
    }

    /// Sets the server default, an SQL expression such as `0`, `'text'` or `CURRENT_TIMESTAMP`.
    pub fn default(mut self, expr: impl Into<String>) -> Column {
        self.default = Some(expr.into());
        self
    }

    /// Lets the database generate values.
    pub fn autoincrement(mut self) -> Column {
        self.autoincrement = true;
        self
    }

    /// Sets the column comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Column {
        self.comment = Some(comment.into());
        self
    }

    /// Makes the column computed by the database from `expr` each time it is read
    /// (`GENERATED ALWAYS AS (expr) VIRTUAL`).
    pub fn generated(mut self, expr: impl Into<String>) -> Column {
        self.generated = Some(Generated {
            expr: expr.into(),
            stored: false,
        });
        self
    }

    /// Makes the column computed by the database from `expr` and stored with the row
    /// (`GENERATED ALWAYS AS (expr) STORED`).
    pub fn generated_stored(mut self, expr: impl Into<String>) -> Column {
        self.generated = Some(Generated {
            expr: expr.into(),
            stored: true,
        });
        self
    }

    /// Sets the column's collation (`COLLATE name`).
    pub fn collate(mut self, collation: impl Into<String>) -> Column {
        self.collation = Some(collation.into());
        self
    }

    /// Says the column was called `old` before: autogenerate renames it, keeping its data.
    pub fn renamed_from(mut self, old: impl Into<String>) -> Column {
        self.renamed_from = Some(old.into());
        self
    }

    /// The SQL expression giving existing rows a value when the column becomes NOT NULL
    /// (`0`, `'unknown'`, `lower(email)`).
    pub fn backfill(mut self, expr: impl Into<String>) -> Column {
        self.backfill = Some(expr.into());
        self
    }

    /// The column as a database holds it: without the model's hints.
    pub fn without_hints(mut self) -> Column {
        self.renamed_from = None;
        self.backfill = None;
        self
    }
}
