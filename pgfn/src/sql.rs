//! SQL values as the json constructors receive them (`to_jsonb`, `to_json`,
//! `jsonb_build_object`, `row_to_json`, the aggregates): the server passes each argument
//! already typed, in one of these shapes.
//!
//! Invariants:
//! - `Text` carries a value PostgreSQL prints as a JSON string: its text output, except the
//!   date/time types, whose text is PostgreSQL's JSON encoding (ISO 8601 with a `T`:
//!   `2020-01-02`, `2020-01-02T03:04:05`, `2020-01-02T03:04:05+00:00`), as `to_json` uses.
//! - Arrays are rectangular: `elements.len()` is the product of `dims`; no dims is `{}`.

use crate::{Jsonb, Numeric};

/// One SQL value.
#[derive(Clone, Debug)]
pub enum SqlValue {
    /// SQL NULL.
    Null,
    /// `boolean`.
    Bool(bool),
    /// `smallint`, `integer` or `bigint`.
    Int(i64),
    /// `real`.
    Float4(f32),
    /// `double precision`.
    Float8(f64),
    /// `numeric`.
    Numeric(Numeric),
    /// Any other scalar type, as the JSON string it becomes (see the module invariants).
    Text(String),
    /// `json`: its text, kept as written.
    Json(String),
    /// `jsonb`.
    Jsonb(Jsonb),
    /// An array of any of these.
    Array(SqlArray),
    /// A row: its column names and values, in column order.
    Record(Vec<(String, SqlValue)>),
}

/// A SQL array: its dimensions (lengths, outermost first) and its elements in row-major order.
#[derive(Clone, Debug, Default)]
pub struct SqlArray {
    /// Lengths of each dimension; empty for an empty array.
    pub dims: Vec<usize>,
    /// The elements, row-major.
    pub elements: Vec<SqlValue>,
}

impl SqlArray {
    /// A one-dimensional array.
    pub fn from_vec(elements: Vec<SqlValue>) -> SqlArray {
        let dims = if elements.is_empty() {
            Vec::new()
        } else {
            vec![elements.len()]
        };
        SqlArray { dims, elements }
    }
}
