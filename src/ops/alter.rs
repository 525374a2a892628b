//! The attribute changes of an `alter_column`.

use crate::schema::{Column, Generated, Numbering, Type};

/// New values for the attributes of a column that change; `None` fields stay as they are.
///
/// ```
/// use outflow::ops::alter;
/// use outflow::schema::Type;
/// let change = alter().set_type(Type::BigInt).set_not_null().drop_default();
/// assert_eq!(change.nullable, Some(false));
/// assert_eq!(change.default, Some(None));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Alter {
    /// New type.
    pub ty: Option<Type>,
    /// New nullability.
    pub nullable: Option<bool>,
    /// New default (`Some(None)` removes it).
    pub default: Option<Option<String>>,
    /// New comment (`Some(None)` removes it).
    pub comment: Option<Option<String>>,
    /// New autoincrement flag.
    pub autoincrement: Option<bool>,
    /// New numbering of an autoincrement column (`Some(None)`: the dialect's default).
    pub numbering: Option<Option<Numbering>>,
    /// New `ON UPDATE` expression (`Some(None)` removes it).
    pub on_update: Option<Option<String>>,
    /// New generation expression (`Some(None)`: the column is no longer generated).
    pub generated: Option<Option<Generated>>,
    /// New collation (`Some(None)`: the default one).
    pub collation: Option<Option<String>>,
    /// How the rows that hold NULL get a value first, when the column becomes NOT NULL.
    pub backfill: Option<Backfill>,
}

/// The value existing rows get before their column becomes NOT NULL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backfill {
    /// An SQL expression, evaluated for each row (`0`, `'unknown'`, `lower(email)`).
    Expr(String),
    /// Still to be written by the revision's author: the revision refuses to run until it is.
    ToWrite,
}

/// Starts an empty [`Alter`].
pub fn alter() -> Alter {
    Alter::default()
}

impl Alter {
    /// Changes the type.
    pub fn set_type(mut self, ty: Type) -> Alter {
        self.ty = Some(ty);
        self
    }

    /// Forbids NULL.
    pub fn set_not_null(mut self) -> Alter {
        self.nullable = Some(false);
        self
    }

    /// Allows NULL.
    pub fn set_nullable(mut self) -> Alter {
        self.nullable = Some(true);
        self
    }

    /// Sets the server default (an SQL expression).
    pub fn set_default(mut self, expr: impl Into<String>) -> Alter {
        self.default = Some(Some(expr.into()));
        self
    }

    /// Removes the server default.
    pub fn drop_default(mut self) -> Alter {
        self.default = Some(None);
        self
    }

    /// Sets the comment.
    pub fn set_comment(mut self, comment: impl Into<String>) -> Alter {
        self.comment = Some(Some(comment.into()));
        self
    }

    /// Removes the comment.
    pub fn drop_comment(mut self) -> Alter {
        self.comment = Some(None);
        self
    }

    /// Turns database-generated values on or off.
    pub fn set_autoincrement(mut self, on: bool) -> Alter {
        self.autoincrement = Some(on);
        self
    }

    /// Says how the database numbers the column (`None`: the dialect's default).
    pub fn set_numbering(mut self, numbering: Option<Numbering>) -> Alter {
        self.numbering = Some(numbering);
        self
    }

    /// Sets the value the column takes when its row is updated, or removes it (`None`).
    pub fn set_on_update(mut self, expr: Option<&str>) -> Alter {
        self.on_update = Some(expr.map(str::to_string));
        self
    }

    /// Makes the column computed from `expr` when read (`VIRTUAL`).
    pub fn set_generated(mut self, expr: impl Into<String>) -> Alter {
        self.generated = Some(Some(Generated {
            expr: expr.into(),
            stored: false,
        }));
        self
    }

    /// Makes the column computed from `expr` and stored (`STORED`).
    pub fn set_generated_stored(mut self, expr: impl Into<String>) -> Alter {
        self.generated = Some(Some(Generated {
            expr: expr.into(),
            stored: true,
        }));
        self
    }

    /// Makes a generated column a plain one.
    pub fn drop_generated(mut self) -> Alter {
        self.generated = Some(None);
        self
    }

    /// Sets the collation.
    pub fn set_collation(mut self, collation: impl Into<String>) -> Alter {
        self.collation = Some(Some(collation.into()));
        self
    }

    /// Goes back to the default collation.
    pub fn drop_collation(mut self) -> Alter {
        self.collation = Some(None);
        self
    }

    /// Gives the rows that hold NULL the value of `expr` before the column becomes NOT NULL.
    pub fn backfill(mut self, expr: impl Into<String>) -> Alter {
        self.backfill = Some(Backfill::Expr(expr.into()));
        self
    }

    /// Marks the backfill as still to be written: generated when the model gives no
    /// `backfill` and no default, so that the revision says what it needs and refuses to run
    /// until its author writes it.
    pub fn backfill_to_write(mut self) -> Alter {
        self.backfill = Some(Backfill::ToWrite);
        self
    }

    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        *self == Alter::default()
    }

    /// Applies the changes to a column definition (a backfill changes rows, not the schema).
    pub fn apply_to(&self, column: &mut Column) {
        if let Some(ty) = &self.ty {
            column.ty = ty.clone();
        }
        if let Some(nullable) = self.nullable {
            column.nullable = nullable;
        }
        if let Some(default) = &self.default {
            column.default = default.clone();
        }
        if let Some(comment) = &self.comment {
            column.comment = comment.clone();
        }
        if let Some(autoincrement) = self.autoincrement {
            column.autoincrement = autoincrement;
        }
        if let Some(numbering) = &self.numbering {
            column.numbering = numbering.clone();
        }
        if let Some(on_update) = &self.on_update {
            column.on_update = on_update.clone();
        }
        if let Some(generated) = &self.generated {
            column.generated = generated.clone();
        }
        if let Some(collation) = &self.collation {
            column.collation = collation.clone();
        }
    }

    /// The changes that turn `from` into `to`, and the previous values of those attributes.
    pub fn between(from: &Column, to: &Column) -> (Alter, Alter) {
        let mut next = Alter::default();
        let mut previous = Alter::default();
        if from.ty != to.ty {
            next.ty = Some(to.ty.clone());
            previous.ty = Some(from.ty.clone());
        }
        if from.nullable != to.nullable {
            next.nullable = Some(to.nullable);
            previous.nullable = Some(from.nullable);
        }
        if from.default != to.default {
            next.default = Some(to.default.clone());
            previous.default = Some(from.default.clone());
        }
        if from.comment != to.comment {
            next.comment = Some(to.comment.clone());
            previous.comment = Some(from.comment.clone());
        }
        if from.autoincrement != to.autoincrement {
            next.autoincrement = Some(to.autoincrement);
            previous.autoincrement = Some(from.autoincrement);
        }
        if from.numbering != to.numbering {
            next.numbering = Some(to.numbering.clone());
            previous.numbering = Some(from.numbering.clone());
        }
        if from.on_update != to.on_update {
            next.on_update = Some(to.on_update.clone());
            previous.on_update = Some(from.on_update.clone());
        }
        if from.generated != to.generated {
            next.generated = Some(to.generated.clone());
            previous.generated = Some(from.generated.clone());
        }
        if from.collation != to.collation {
            next.collation = Some(to.collation.clone());
            previous.collation = Some(from.collation.clone());
        }
        (next, previous)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::column;

    #[test]
    fn between_then_apply_gives_the_target() {
        let from = column("c", Type::Integer).default("0").comment("old");
        let to = column("c", Type::BigInt)
            .not_null()
            .comment("new")
            .generated_stored("a + 1")
            .collate("C");
        let (next, previous) = Alter::between(&from, &to);
        let mut changed = from.clone();
        next.apply_to(&mut changed);
        assert_eq!(changed, to);
        let mut back = to.clone();
        previous.apply_to(&mut back);
        assert_eq!(back, from);
        assert!(Alter::between(&from, &from).0.is_empty());
    }
}
