//! One row's arguments of a jsonb function, read from Arrow into the shapes pgfn takes, and
//! the results written back: jsonb as its PostgreSQL text in a marked Utf8 column.
//!
//! Invariants:
//! - An argument's SQL type decides its shape: a jsonb-marked field is jsonb, a Decimal is
//!   `numeric`, a list is an array; text stays text until a function asks for jsonb or a path.
//! - Every pgfn error leaves as `Error::Pg` (PostgreSQL's condition and message).

use std::str::FromStr;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BooleanArray, Int32Array, StringArray};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::arrow::util::display::array_value_to_string;
use datafusion::common::{Result as DfResult, ScalarValue};
use datafusion::error::DataFusionError;
use mindoodb_pgfn::sql::{SqlArray, SqlValue};
use mindoodb_pgfn::{Jsonb, Numeric};

use crate::engine::sql::array_text::parse as parse_array_literal;
use crate::error::Error;
use crate::output::{PgType, is_jsonb};

/// One argument value.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Null,
    Bool(bool),
    Int(i64),
    Float4(f32),
    Float8(f64),
    Numeric(String),
    Text(String),
    /// A jsonb value's text (canonical when it comes from a jsonb column or function).
    Jsonb(String),
    List(Vec<Arg>),
    /// Any other scalar, as its text.
    Other(String),
}

impl Arg {
    /// Row `row` of `array`, typed by `field`.
    pub(crate) fn read(array: &ArrayRef, field: &Field, row: usize) -> DfResult<Arg> {
        if array.is_null(row) {
            return Ok(Arg::Null);
        }
        if matches!(
            field.data_type(),
            DataType::Timestamp(..) | DataType::Date32 | DataType::Date64
        ) {
            // Arrow's ISO 8601 text (`2024-03-01T12:34:56.789`) is what PostgreSQL's JSON
            // encoding of dates and timestamps is.
            return Ok(Arg::Other(array_value_to_string(array, row)?));
        }
        let value = ScalarValue::try_from_array(array, row)?;
        Ok(Arg::of(value, is_jsonb(field)))
    }

    fn of(value: ScalarValue, jsonb: bool) -> Arg {
        if value.is_null() {
            return Arg::Null;
        }
        match value {
            ScalarValue::Boolean(Some(b)) => Arg::Bool(b),
            ScalarValue::Int8(Some(i)) => Arg::Int(i.into()),
            ScalarValue::Int16(Some(i)) => Arg::Int(i.into()),
            ScalarValue::Int32(Some(i)) => Arg::Int(i.into()),
            ScalarValue::Int64(Some(i)) => Arg::Int(i),
            ScalarValue::UInt8(Some(i)) => Arg::Int(i.into()),
            ScalarValue::UInt16(Some(i)) => Arg::Int(i.into()),
            ScalarValue::UInt32(Some(i)) => Arg::Int(i.into()),
            ScalarValue::Float32(Some(f)) => Arg::Float4(f),
            ScalarValue::Float64(Some(f)) => Arg::Float8(f),
            ScalarValue::Utf8(Some(s))
            | ScalarValue::LargeUtf8(Some(s))
            | ScalarValue::Utf8View(Some(s)) => {
                if jsonb {
                    Arg::Jsonb(s)
                } else {
                    Arg::Text(s)
                }
            }
            ScalarValue::List(list) => list_items(list.values()),
            ScalarValue::LargeList(list) => list_items(list.values()),
            ScalarValue::FixedSizeList(list) => list_items(list.values()),
            other
                if PgType::of_field(&Field::new("", other.data_type(), true))
                    == Some(PgType::Numeric) =>
            {
                Arg::Numeric(other.to_string())
            }
            other => Arg::Other(other.to_string()),
        }
    }

    /// PostgreSQL's name of the argument's type, for errors.
    pub(crate) fn sql_type_name(&self) -> &'static str {
        match self {
            Arg::Null | Arg::Text(_) | Arg::Other(_) => "text",
            Arg::Bool(_) => "boolean",
            Arg::Int(_) => "bigint",
            Arg::Float4(_) => "real",
            Arg::Float8(_) => "double precision",
            Arg::Numeric(_) => "numeric",
            Arg::Jsonb(_) => "jsonb",
            Arg::List(_) => "text[]",
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Arg::Null)
    }

    /// The argument as jsonb: jsonb and text are parsed as jsonb input (an unknown-typed
    /// literal is jsonb in PostgreSQL), anything else converts as `to_jsonb` does.
    pub(crate) fn jsonb(&self) -> DfResult<Jsonb> {
        match self {
            Arg::Jsonb(text) | Arg::Text(text) => parse(text),
            other => pg(mindoodb_pgfn::jsonb::to_jsonb(&other.sql_value()?)),
        }
    }

    /// The argument as text (a key, a jsonpath, a treatment name).
    pub(crate) fn text(&self) -> Option<String> {
        match self {
            Arg::Null | Arg::List(_) => None,
            Arg::Bool(b) => Some(if *b { "true" } else { "false" }.to_owned()),
            Arg::Int(i) => Some(i.to_string()),
            Arg::Float4(f) => Some(mindoodb_pgfn::float::float4_out(*f)),
            Arg::Float8(f) => Some(mindoodb_pgfn::float::float8_out(*f)),
            Arg::Numeric(s) | Arg::Text(s) | Arg::Jsonb(s) | Arg::Other(s) => Some(s.clone()),
        }
    }

    /// The argument as `text[]`: a list, or the text of an array literal (`'{a,b}'`).
    pub(crate) fn path(&self) -> DfResult<Vec<Option<String>>> {
        match self {
            Arg::List(items) => Ok(items.iter().map(Arg::text).collect()),
            Arg::Text(text) | Arg::Other(text) => parse_array_literal(text).map_err(|why| {
                Error::MalformedArray(format!("\"{text}\" ({why})")).into_datafusion()
            }),
            other => Err(Error::MalformedArray(format!("{other:?}")).into_datafusion()),
        }
    }

    /// The argument as `to_jsonb` and the builders receive it.
    pub(crate) fn sql_value(&self) -> DfResult<SqlValue> {
        Ok(match self {
            Arg::Null => SqlValue::Null,
            Arg::Bool(b) => SqlValue::Bool(*b),
            Arg::Int(i) => SqlValue::Int(*i),
            Arg::Float4(f) => SqlValue::Float4(*f),
            Arg::Float8(f) => SqlValue::Float8(*f),
            Arg::Numeric(text) => SqlValue::Numeric(pg(Numeric::from_str(text))?),
            Arg::Text(s) | Arg::Other(s) => SqlValue::Text(s.clone()),
            Arg::Jsonb(text) => SqlValue::Jsonb(parse(text)?),
            Arg::List(items) => SqlValue::Array(SqlArray::from_vec(
                items.iter().map(Arg::sql_value).collect::<DfResult<_>>()?,
            )),
        })
    }
}

fn list_items(values: &ArrayRef) -> Arg {
    let items = (0..values.len())
        .map(|i| ScalarValue::try_from_array(values, i).map_or(Arg::Null, |v| Arg::of(v, false)))
        .collect();
    Arg::List(items)
}

/// Borrowed path steps, as pgfn takes them.
pub(crate) fn steps(path: &[Option<String>]) -> Vec<Option<&str>> {
    path.iter().map(Option::as_deref).collect()
}

/// jsonb input (`jsonb_in`), with PostgreSQL's errors.
pub(crate) fn parse(text: &str) -> DfResult<Jsonb> {
    pg(mindoodb_pgfn::jsonb::parse(text))
}

/// A pgfn result, its error carried through DataFusion as ours.
pub(crate) fn pg<T>(result: mindoodb_pgfn::Result<T>) -> DfResult<T> {
    result.map_err(|err| Error::Pg(err).into_datafusion())
}

/// What a function gives back for one row.
pub(crate) enum Out {
    Null,
    Jsonb(Jsonb),
    Text(String),
    Bool(bool),
    Int(i32),
}

/// The Arrow column a function's results make, by the function's result type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Returns {
    Jsonb,
    Text,
    Bool,
    Int,
}

impl Returns {
    pub(crate) fn field(self, name: &str) -> Field {
        match self {
            Returns::Jsonb => PgType::Jsonb.field(name, true),
            Returns::Text => PgType::Text.field(name, true),
            Returns::Bool => PgType::Bool.field(name, true),
            Returns::Int => PgType::Int4.field(name, true),
        }
    }

    pub(crate) fn column(self, outs: Vec<Out>) -> DfResult<ArrayRef> {
        Ok(match self {
            Returns::Jsonb | Returns::Text => Arc::new(
                outs.into_iter()
                    .map(|out| match out {
                        Out::Jsonb(value) => Ok(Some(value.to_text())),
                        Out::Text(text) => Ok(Some(text)),
                        Out::Null => Ok(None),
                        Out::Bool(_) | Out::Int(_) => Err(mismatch()),
                    })
                    .collect::<DfResult<StringArray>>()?,
            ),
            Returns::Bool => Arc::new(
                outs.into_iter()
                    .map(|out| match out {
                        Out::Bool(b) => Ok(Some(b)),
                        Out::Null => Ok(None),
                        _ => Err(mismatch()),
                    })
                    .collect::<DfResult<BooleanArray>>()?,
            ),
            Returns::Int => Arc::new(
                outs.into_iter()
                    .map(|out| match out {
                        Out::Int(i) => Ok(Some(i)),
                        Out::Null => Ok(None),
                        _ => Err(mismatch()),
                    })
                    .collect::<DfResult<Int32Array>>()?,
            ),
        })
    }
}

fn mismatch() -> DataFusionError {
    Error::Internal("a jsonb function's result does not match its type".to_owned())
        .into_datafusion()
}
