//! Builders of constraints that say more than their columns: deferral, `NOT VALID`, `NO
//! INHERIT`, `MATCH FULL`, `NULLS NOT DISTINCT`, a comment; exclusion constraints.

use super::table::{
    Check, ConstraintOptions, Deferral, Exclusion, ForeignKey, PrimaryKey, Table, Unique,
};

/// The option setters every constraint has.
macro_rules! option_setters {
    ($($ty:ty),*) => {$(
        impl $ty {
            /// Checked at the end of the transaction when it says so (`DEFERRABLE`).
            pub fn deferrable(mut self) -> $ty {
                self.options.deferrable = Some(Deferral::InitiallyImmediate);
                self
            }

            /// Checked at the end of the transaction (`DEFERRABLE INITIALLY DEFERRED`).
            pub fn initially_deferred(mut self) -> $ty {
                self.options.deferrable = Some(Deferral::InitiallyDeferred);
                self
            }

            /// Not checked against the rows already there when added (`NOT VALID`).
            pub fn not_valid(mut self) -> $ty {
                self.options.not_valid = true;
                self
            }

            /// Not inherited by child tables (`NO INHERIT`).
            pub fn no_inherit(mut self) -> $ty {
                self.options.no_inherit = true;
                self
            }

            /// All columns NULL or none (`MATCH FULL`).
            pub fn match_full(mut self) -> $ty {
                self.options.match_full = true;
                self
            }

            /// NULLs equal to each other (`NULLS NOT DISTINCT`).
            pub fn nulls_not_distinct(mut self) -> $ty {
                self.options.nulls_not_distinct = true;
                self
            }

            /// Sets the constraint's comment.
            pub fn comment(mut self, comment: impl Into<String>) -> $ty {
                self.options.comment = Some(comment.into());
                self
            }

            /// Sets every option at once.
            pub fn with_options(mut self, options: ConstraintOptions) -> $ty {
                self.options = options;
                self
            }
        }
    )*};
}

option_setters!(PrimaryKey, Unique, ForeignKey, Check, Exclusion);

fn strings<I>(items: I) -> Vec<String>
where
    I: IntoIterator,
    I::Item: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

/// Starts a primary key.
pub fn primary_key<I>(name: impl Into<String>, columns: I) -> PrimaryKey
where
    I: IntoIterator,
    I::Item: Into<String>,
{
    PrimaryKey {
        name: name.into(),
        columns: strings(columns),
        options: ConstraintOptions::default(),
    }
}

/// Starts a unique constraint.
pub fn unique<I>(name: impl Into<String>, columns: I) -> Unique
where
    I: IntoIterator,
    I::Item: Into<String>,
{
    Unique {
        name: name.into(),
        columns: strings(columns),
        options: ConstraintOptions::default(),
    }
}

/// Starts a check constraint.
pub fn check(name: impl Into<String>, expr: impl Into<String>) -> Check {
    Check {
        name: name.into(),
        expr: expr.into(),
        options: ConstraintOptions::default(),
    }
}

/// Starts an exclusion constraint (`EXCLUDE USING gist (room WITH =, during WITH &&)`).
pub fn exclusion(name: impl Into<String>, definition: impl Into<String>) -> Exclusion {
    Exclusion {
        name: name.into(),
        definition: definition.into(),
        options: ConstraintOptions::default(),
    }
}

impl Table {
    /// Sets the primary key, with its options.
    pub fn with_primary_key(mut self, key: PrimaryKey) -> Table {
        self.primary_key = Some(key);
        self
    }

    /// Adds a unique constraint with its options.
    pub fn with_unique(mut self, unique: Unique) -> Table {
        self.uniques.push(unique);
        self
    }

    /// Adds a check constraint with its options.
    pub fn with_check(mut self, check: Check) -> Table {
        self.checks.push(check);
        self
    }

    /// Adds an exclusion constraint.
    pub fn exclusion(mut self, exclusion: Exclusion) -> Table {
        self.exclusions.push(exclusion);
        self
    }
}
