//! Values of the columns' types: what a query binds and what a row read without a model holds,
//! whatever the database (a model field writes one, a filter compares with one, a data step of
//! a migration reads and writes them).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// One value bound to a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A boolean.
    Bool(bool),
    /// Any integer.
    Int(i64),
    /// Any float.
    Float(f64),
    /// Text (also an enum's label).
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
    /// A JSON document.
    Json(serde_json::Value),
    /// A UUID (text on SQLite and MySQL, which have no UUID type).
    Uuid(uuid::Uuid),
    /// A date.
    Date(NaiveDate),
    /// A time of day.
    Time(NaiveTime),
    /// A timestamp without time zone.
    Timestamp(NaiveDateTime),
    /// An instant.
    TimestampTz(DateTime<Utc>),
}

impl Value {
    /// Whether this is SQL NULL.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The text, when this is text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, when this is an integer.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// The number, integer or float.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Float(x) => Some(*x),
            Value::Int(n) => Some(*n as f64),
            _ => None,
        }
    }

    /// The boolean, when this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// A Rust value a query can bind: every type a model field maps to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be bound to an Outflow query",
    note = "model fields of this type cannot be written by `Db::insert`; implement `outflow::store::ToValue` for it"
)]
pub trait ToValue {
    /// The value to bind.
    fn to_value(&self) -> Value;
}

macro_rules! to_value {
    ($variant:ident: $($ty:ty => $conv:expr),* $(,)?) => {
        $(impl ToValue for $ty {
            fn to_value(&self) -> Value {
                let convert: fn(&$ty) -> _ = $conv;
                Value::$variant(convert(self))
            }
        })*
    };
}

to_value!(Int: i8 => |v| i64::from(*v), i16 => |v| i64::from(*v), i32 => |v| i64::from(*v),
    i64 => |v| *v, u8 => |v| i64::from(*v), u16 => |v| i64::from(*v), u32 => |v| i64::from(*v));
to_value!(Float: f32 => |v| f64::from(*v), f64 => |v| *v);
to_value!(Bool: bool => |v| *v);
to_value!(Text: String => |v| v.clone(), str => |v| v.to_string());
to_value!(Bytes: Vec<u8> => |v| v.clone());
to_value!(Json: serde_json::Value => |v| v.clone());
to_value!(Uuid: uuid::Uuid => |v| *v);
to_value!(Date: NaiveDate => |v| *v);
to_value!(Time: NaiveTime => |v| *v);
to_value!(Timestamp: NaiveDateTime => |v| *v);
to_value!(TimestampTz: DateTime<Utc> => |v| *v);

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

/// `value.to_value()`, for filters: `db.select::<Run>().filter("state", &"running")`.
pub fn value(of: impl ToValue) -> Value {
    of.to_value()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_values_bind_as_their_kind() {
        assert_eq!(7i32.to_value(), Value::Int(7));
        assert_eq!(Some(2u16).to_value(), Value::Int(2));
        assert_eq!(None::<String>.to_value(), Value::Null);
        assert_eq!("a".to_value(), Value::Text("a".into()));
        assert_eq!(1.5f32.to_value(), Value::Float(1.5));
    }
}
