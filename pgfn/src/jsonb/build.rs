//! Making `jsonb` from SQL values: `to_jsonb`, `jsonb_build_array`, `jsonb_build_object`,
//! `jsonb_object` (one and two arrays), the `jsonb_agg`/`jsonb_object_agg` states, and the
//! casts from `jsonb` to boolean and the number types.
//!
//! Invariants:
//! - A value becomes jsonb as PostgreSQL's `datum_to_jsonb`: numbers stay numbers unless their
//!   text is NaN or an infinity (then strings), json text is parsed as jsonb input, arrays
//!   nest by dimension, records become objects (a repeated column name keeps the last).
//! - Object keys go through the same conversion as text; arrays, records, json and jsonb are
//!   not allowed as keys.

use super::access::invalid;
use super::modify::checked;
use super::parse::{check_string_len, parse};
use super::value::{Jsonb, Object};
use crate::float::{float4_out, float8_out};
use crate::sql::{SqlArray, SqlValue};
use crate::{Condition, Error, Numeric, Result};

/// `to_jsonb(value)` (SQL NULL in gives JSON null here; the SQL function itself is strict).
pub fn to_jsonb(value: &SqlValue) -> Result<Jsonb> {
    checked(convert(value)?)
}

fn convert(value: &SqlValue) -> Result<Jsonb> {
    Ok(match value {
        SqlValue::Null => Jsonb::Null,
        SqlValue::Bool(b) => Jsonb::Bool(*b),
        SqlValue::Int(i) => Jsonb::Number(Numeric::from(*i)),
        SqlValue::Float4(f) => number_from_text(float4_out(*f))?,
        SqlValue::Float8(f) => number_from_text(float8_out(*f))?,
        SqlValue::Numeric(n) => {
            if n.is_finite() {
                Jsonb::Number(n.clone())
            } else {
                Jsonb::String(n.to_string())
            }
        }
        SqlValue::Text(s) => {
            check_string_len(s)?;
            Jsonb::String(s.clone())
        }
        SqlValue::Json(text) => parse(text)?,
        SqlValue::Jsonb(j) => j.clone(),
        SqlValue::Array(array) => array_to_jsonb(array)?,
        SqlValue::Record(columns) => {
            let pairs = columns
                .iter()
                .map(|(name, v)| Ok((name.clone(), convert(v)?)))
                .collect::<Result<Vec<_>>>()?;
            Jsonb::Object(Object::from_pairs(pairs))
        }
    })
}

/// A number's text output as jsonb: a number, or a string for NaN and the infinities.
fn number_from_text(text: String) -> Result<Jsonb> {
    if text.contains(['N', 'n']) {
        return Ok(Jsonb::String(text));
    }
    Ok(Jsonb::Number(text.parse()?))
}

fn array_to_jsonb(array: &SqlArray) -> Result<Jsonb> {
    fn level(dims: &[usize], elements: &mut std::slice::Iter<'_, SqlValue>) -> Result<Jsonb> {
        let mut items = Vec::with_capacity(dims[0]);
        for _ in 0..dims[0] {
            items.push(if dims.len() == 1 {
                convert(elements.next().unwrap_or(&SqlValue::Null))?
            } else {
                level(&dims[1..], elements)?
            });
        }
        Ok(Jsonb::Array(items))
    }
    if array.dims.is_empty() {
        return Ok(Jsonb::Array(Vec::new()));
    }
    level(&array.dims, &mut array.elements.iter())
}

/// An object key from a SQL value (`datum_to_jsonb` with `key_scalar`).
pub(crate) fn key_text(value: &SqlValue) -> Result<String> {
    match value {
        SqlValue::Bool(b) => Ok(b.to_string()),
        SqlValue::Int(i) => Ok(i.to_string()),
        SqlValue::Float4(f) => Ok(float4_out(*f)),
        SqlValue::Float8(f) => Ok(float8_out(*f)),
        SqlValue::Numeric(n) => Ok(n.to_string()),
        SqlValue::Text(s) => Ok(s.clone()),
        SqlValue::Null => Err(invalid("field name must not be null")),
        SqlValue::Json(_) | SqlValue::Jsonb(_) | SqlValue::Array(_) | SqlValue::Record(_) => Err(
            invalid("key value must be scalar, not array, composite, or json"),
        ),
    }
}

/// `jsonb_build_array(args...)`.
pub fn build_array(args: &[SqlValue]) -> Result<Jsonb> {
    checked(Jsonb::Array(
        args.iter().map(convert).collect::<Result<_>>()?,
    ))
}

/// `jsonb_build_object(k1, v1, ...)`.
pub fn build_object(args: &[SqlValue]) -> Result<Jsonb> {
    if !args.len().is_multiple_of(2) {
        return Err(invalid("argument list must have even number of elements")
            .with_hint("The arguments of jsonb_build_object() must consist of alternating keys and values."));
    }
    let mut pairs = Vec::with_capacity(args.len() / 2);
    for (idx, pair) in args.chunks(2).enumerate() {
        if matches!(pair[0], SqlValue::Null) {
            return Err(invalid(format!(
                "argument {}: key must not be null",
                idx * 2 + 1
            )));
        }
        pairs.push((key_text(&pair[0])?, convert(&pair[1])?));
    }
    checked(Jsonb::Object(Object::from_pairs(pairs)))
}

/// `jsonb_object(text[])`: a flat array of alternating keys and values (`dims` = `[2n]`) or
/// a two-column array (`dims` = `[n, 2]`).
pub fn object_from_array(dims: &[usize], items: &[Option<&str>]) -> Result<Jsonb> {
    match dims.len() {
        0 => return Ok(Jsonb::Object(Object::new())),
        1 if !dims[0].is_multiple_of(2) => {
            return Err(subscript_error("array must have even number of elements"));
        }
        1 => {}
        2 if dims[1] != 2 => return Err(subscript_error("array must have two columns")),
        2 => {}
        _ => return Err(subscript_error("wrong number of array subscripts")),
    }
    object_from_pairs(items.chunks(2).map(|c| (c[0], c.get(1).copied().flatten())))
}

/// `jsonb_object(keys text[], values text[])`, one-dimensional arrays (`ndims` each).
pub fn object_from_arrays(
    key_ndims: usize,
    keys: &[Option<&str>],
    value_ndims: usize,
    values: &[Option<&str>],
) -> Result<Jsonb> {
    if key_ndims > 1 || key_ndims != value_ndims {
        return Err(subscript_error("wrong number of array subscripts"));
    }
    if key_ndims == 0 {
        return Ok(Jsonb::Object(Object::new()));
    }
    if keys.len() != values.len() {
        return Err(subscript_error("mismatched array dimensions"));
    }
    object_from_pairs(keys.iter().copied().zip(values.iter().copied()))
}

fn object_from_pairs<'a>(
    pairs: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> Result<Jsonb> {
    let mut out = Vec::new();
    for (key, value) in pairs {
        let key = key.ok_or_else(|| {
            Error::new(
                Condition::NullValueNotAllowed,
                "null value not allowed for object key",
            )
        })?;
        out.push((
            key.to_string(),
            value.map_or(Jsonb::Null, |v| Jsonb::String(v.to_string())),
        ));
    }
    Ok(Jsonb::Object(Object::from_pairs(out)))
}

fn subscript_error(message: &str) -> Error {
    Error::new(Condition::ArraySubscriptError, message)
}

/// The running state of `jsonb_agg(value)`: values in input order (NULL is JSON null).
#[derive(Debug, Default)]
pub struct JsonbAgg {
    items: Vec<Jsonb>,
}

impl JsonbAgg {
    /// Adds one input row's value.
    pub fn push(&mut self, value: &SqlValue) -> Result<()> {
        self.items.push(convert(value)?);
        Ok(())
    }

    /// The aggregate's result (the server answers NULL when no row arrived).
    pub fn finish(self) -> Result<Jsonb> {
        checked(Jsonb::Array(self.items))
    }
}

/// The running state of `jsonb_object_agg(key, value)`: a repeated key keeps its last value.
#[derive(Debug, Default)]
pub struct JsonbObjectAgg {
    pairs: Vec<(String, Jsonb)>,
}

impl JsonbObjectAgg {
    /// Adds one input row's pair; a NULL key is PostgreSQL's error.
    pub fn push(&mut self, key: &SqlValue, value: &SqlValue) -> Result<()> {
        let key = key_text(key)?;
        self.pairs.push((key, convert(value)?));
        Ok(())
    }

    /// The aggregate's result.
    pub fn finish(self) -> Result<Jsonb> {
        checked(Jsonb::Object(Object::from_pairs(self.pairs)))
    }
}

/// The scalar of a jsonb cast, or PostgreSQL's "cannot cast jsonb ..." error.
fn cast_scalar<'a>(value: &'a Jsonb, wanted: &str, sql_type: &str) -> Result<&'a Jsonb> {
    let kind = match value {
        Jsonb::Null => "null",
        Jsonb::String(_) => "string",
        Jsonb::Number(_) => "numeric",
        Jsonb::Bool(_) => "boolean",
        Jsonb::Array(_) => "array",
        Jsonb::Object(_) => "object",
    };
    if kind == wanted {
        Ok(value)
    } else {
        Err(invalid(format!(
            "cannot cast jsonb {kind} to type {sql_type}"
        )))
    }
}

/// `value::boolean`.
pub fn to_bool(value: &Jsonb) -> Result<bool> {
    match cast_scalar(value, "boolean", "boolean")? {
        Jsonb::Bool(b) => Ok(*b),
        _ => Err(invalid("cannot cast jsonb to type boolean")),
    }
}

/// `value::numeric`, or a number-typed cast: `sql_type` is PostgreSQL's name of the target
/// (`numeric`, `smallint`, `integer`, `bigint`, `real`, `double precision`) for the error.
pub fn to_numeric<'a>(value: &'a Jsonb, sql_type: &str) -> Result<&'a Numeric> {
    match cast_scalar(value, "numeric", sql_type)? {
        Jsonb::Number(n) => Ok(n),
        _ => Err(invalid(format!("cannot cast jsonb to type {sql_type}"))),
    }
}

/// `value::integer`.
pub fn to_i32(value: &Jsonb) -> Result<i32> {
    to_numeric(value, "integer")?.to_i32()
}

/// `value::bigint`.
pub fn to_i64(value: &Jsonb) -> Result<i64> {
    to_numeric(value, "bigint")?.to_i64()
}

/// `value::smallint`.
pub fn to_i16(value: &Jsonb) -> Result<i16> {
    to_numeric(value, "smallint")?.to_i16()
}

/// `value::double precision`.
pub fn to_f64(value: &Jsonb) -> Result<f64> {
    to_numeric(value, "double precision")?.to_f64()
}

/// `value::real`.
pub fn to_f32(value: &Jsonb) -> Result<f32> {
    to_numeric(value, "real")?.to_f32()
}
