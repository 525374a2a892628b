//! How two values are compared: each dialect has its own normal form.

use crate::schema::{Column, ConstraintOptions, Index, Numbering, Object, Table, Type};

/// The dialect's answers to "are these the same?". The differ compares the normal forms but
/// always emits the desired schema's own values, so a revision stays dialect-neutral.
///
/// The default methods compare values as they are, which is right for two schema descriptions.
pub trait Compare {
    /// The normal form of a column's type within its table (`int` and `integer` are the same
    /// type on SQLite).
    fn ty(&self, _table: &Table, column: &Column) -> Type {
        column.ty.clone()
    }

    /// The normal form of a column's default; `None` when the column has no default worth
    /// comparing (a nullable column's `DEFAULT NULL` is no default).
    fn default(&self, column: &Column) -> Option<String> {
        column.default.clone()
    }

    /// The normal form of a check expression.
    fn check(&self, expr: &str) -> String {
        expr.trim().to_string()
    }

    /// Whether the database stores comments; when it does not, comments never differ.
    fn comments(&self) -> bool {
        true
    }

    /// The normal form of a column's nullability within its table.
    fn nullable(&self, _table: &Table, column: &Column) -> bool {
        column.nullable
    }

    /// The normal form of a column's autoincrement flag within its table.
    fn autoincrement(&self, _table: &Table, column: &Column) -> bool {
        column.autoincrement
    }

    /// The normal form of an autoincrement column's numbering (`None` for the others).
    fn numbering(&self, column: &Column) -> Option<Numbering> {
        column.numbering.clone().filter(|_| column.autoincrement)
    }

    /// The normal form of a column's generation: its expression's normal form (as a check's)
    /// and whether it is stored.
    fn generated(&self, column: &Column) -> Option<(String, bool)> {
        column
            .generated
            .as_ref()
            .map(|g| (self.check(&g.expr), g.stored))
    }

    /// The normal form of a column's collation within its table (names compare without case).
    fn collation(&self, _table: &Table, column: &Column) -> Option<String> {
        column.collation.as_ref().map(|c| c.to_lowercase())
    }

    /// The normal form of an index's definition (its name aside): two indexes with equal
    /// normal forms are the same index.
    fn index(&self, index: &Index) -> String {
        let parts: Vec<String> = index
            .columns
            .iter()
            .map(|p| {
                format!(
                    "{:?} {:?} {} {:?} {:?} {:?} {:?}",
                    p.column,
                    p.expr.as_deref().map(|e| self.check(e)),
                    p.desc,
                    p.nulls_first,
                    p.opclass.as_deref().map(str::to_lowercase),
                    p.collation.as_deref().map(str::to_lowercase),
                    p.length
                )
            })
            .collect();
        let with = index
            .with
            .as_deref()
            .map(|w| w.split_whitespace().collect::<String>().to_lowercase());
        // The comment is not part of what the index is: it changes by itself.
        format!(
            "{parts:?} unique={} where={:?} using={:?} include={:?} nnd={} with={with:?}",
            index.unique,
            index.predicate.as_deref().map(|p| self.check(p)),
            index.method.as_deref().map(str::to_lowercase),
            index.include,
            index.nulls_not_distinct,
        )
    }

    /// The normal form of what a constraint says beyond its definition (without the comment
    /// where the database stores none).
    fn constraint_options(&self, options: &ConstraintOptions) -> ConstraintOptions {
        let mut options = options.clone();
        if !self.comments() {
            options.comment = None;
        }
        options
    }

    /// The normal form of a table's options: those that differ from what the database gives
    /// a table it is not told anything about.
    fn table_options(&self, table: &Table) -> std::collections::BTreeMap<String, String> {
        table.options.clone()
    }

    /// The normal form of a column's `ON UPDATE` expression.
    fn on_update(&self, column: &Column) -> Option<String> {
        column.on_update.as_deref().map(|e| self.check(e))
    }

    /// Whether the database keeps a primary key's name (MySQL calls every one `PRIMARY`).
    fn names_primary_keys(&self) -> bool {
        true
    }

    /// The normal form of an object's definition: two objects whose normal forms are equal
    /// are the same. By default, the text with its runs of white space made one space and
    /// without a final `;`.
    fn definition(&self, object: &Object) -> String {
        self.definition_text(&object.definition)
    }

    /// The normal form of a piece of SQL the model holds whole (an object's definition, an
    /// exclusion constraint's clause): by default, runs of white space made one space, no
    /// final `;`.
    fn definition_text(&self, text: &str) -> String {
        let text = text.trim().trim_end_matches(';');
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Whether the database can replace `old` by `new` in place (`CREATE OR REPLACE`), keeping
    /// what uses it; otherwise the object is dropped and created again.
    fn replaceable(&self, _old: &Object, _new: &Object) -> bool {
        false
    }
}

/// Compares values as they are: for two schema descriptions.
#[derive(Debug, Clone, Copy, Default)]
pub struct Exact;

impl Compare for Exact {}
