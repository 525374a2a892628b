//! The values models bind: [`Value`] and [`ToValue`] are the schema's
//! ([`crate::schema::value`]); a `#[derive(DbEnum)]` enum binds its label.

use super::DbEnum;
pub use crate::schema::value::{ToValue, Value, value};

/// The label of a `#[column(db_enum)]` field, plain or `Option`: what `#[derive(Model)]`
/// writes for such a field.
pub trait EnumValue {
    /// The label, or NULL.
    fn enum_value(&self) -> Value;
}

impl<E: DbEnum> EnumValue for E {
    fn enum_value(&self) -> Value {
        Value::Text(self.label().to_string())
    }
}

impl<E: DbEnum> EnumValue for Option<E> {
    fn enum_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, EnumValue::enum_value)
    }
}
