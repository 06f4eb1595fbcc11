//! Making `json` text from SQL values: `to_json`, `json_build_array`, `json_build_object`,
//! `json_object`, `row_to_json`, `array_to_json`, and the `json_agg`/`json_object_agg`
//! states, each spaced exactly as PostgreSQL 15 prints it.
//!
//! Invariants:
//! - PostgreSQL's `datum_to_json`: numbers print as their text when that is a valid JSON
//!   number (else quoted), json and jsonb print as their text, records as `{"a":1,"b":2}`,
//!   arrays as `[1,2]`; keys are always quoted and may not be arrays, records or json.
//! - Separators are PostgreSQL's: `{"a" : 1, "b" : 2}` for json_build_object, `[1, 2]` for
//!   json_build_array and json_agg, `{ "a" : 1 }` for json_object_agg, `,\n ` when pretty.

use super::lex::is_valid_number;
use crate::Result;
use crate::float::{float4_out, float8_out};
use crate::jsonb::escape_json;
use crate::sql::{SqlArray, SqlValue};
use crate::{Condition, Error};

fn invalid(message: impl Into<String>) -> Error {
    Error::new(Condition::InvalidParameterValue, message)
}

/// `to_json(value)` (a SQL NULL here is `null`; the SQL function itself is strict).
pub fn to_json(value: &SqlValue) -> Result<String> {
    let mut out = String::new();
    datum_to_json(value, &mut out, false)?;
    Ok(out)
}

/// PostgreSQL's `datum_to_json`.
fn datum_to_json(value: &SqlValue, out: &mut String, key: bool) -> Result<()> {
    let number = |text: String, out: &mut String| {
        if !key && is_valid_number(&text) {
            out.push_str(&text);
        } else {
            escape_json(out, &text);
        }
    };
    match value {
        SqlValue::Null => out.push_str("null"),
        SqlValue::Bool(b) => {
            let text = if *b { "true" } else { "false" };
            if key {
                escape_json(out, text);
            } else {
                out.push_str(text);
            }
        }
        SqlValue::Int(i) => number(i.to_string(), out),
        SqlValue::Float4(f) => number(float4_out(*f), out),
        SqlValue::Float8(f) => number(float8_out(*f), out),
        SqlValue::Numeric(n) => number(n.to_string(), out),
        SqlValue::Text(s) => escape_json(out, s),
        SqlValue::Json(_) | SqlValue::Jsonb(_) | SqlValue::Array(_) | SqlValue::Record(_)
            if key =>
        {
            return Err(invalid(
                "key value must be scalar, not array, composite, or json",
            ));
        }
        SqlValue::Json(text) => out.push_str(text),
        SqlValue::Jsonb(j) => j.write_to(out),
        SqlValue::Array(array) => array_to_json_into(array, out, false)?,
        SqlValue::Record(columns) => record_to_json_into(columns, out, false)?,
    }
    Ok(())
}

/// `array_to_json(array [, pretty])`.
pub fn array_to_json(array: &SqlArray, pretty: bool) -> Result<String> {
    let mut out = String::new();
    array_to_json_into(array, &mut out, pretty)?;
    Ok(out)
}

fn array_to_json_into(array: &SqlArray, out: &mut String, pretty: bool) -> Result<()> {
    fn dim(
        dims: &[usize],
        items: &mut std::slice::Iter<'_, SqlValue>,
        out: &mut String,
        pretty: bool,
    ) -> Result<()> {
        out.push('[');
        for idx in 0..dims[0] {
            if idx > 0 {
                out.push_str(if pretty { ",\n " } else { "," });
            }
            if dims.len() == 1 {
                datum_to_json(items.next().unwrap_or(&SqlValue::Null), out, false)?;
            } else {
                dim(&dims[1..], items, out, false)?;
            }
        }
        out.push(']');
        Ok(())
    }
    if array.dims.is_empty() || array.elements.is_empty() {
        out.push_str("[]");
        return Ok(());
    }
    dim(&array.dims, &mut array.elements.iter(), out, pretty)
}

/// `row_to_json(record [, pretty])`.
pub fn row_to_json(columns: &[(String, SqlValue)], pretty: bool) -> Result<String> {
    let mut out = String::new();
    record_to_json_into(columns, &mut out, pretty)?;
    Ok(out)
}

fn record_to_json_into(
    columns: &[(String, SqlValue)],
    out: &mut String,
    pretty: bool,
) -> Result<()> {
    out.push('{');
    for (idx, (name, value)) in columns.iter().enumerate() {
        if idx > 0 {
            out.push_str(if pretty { ",\n " } else { "," });
        }
        escape_json(out, name);
        out.push(':');
        datum_to_json(value, out, false)?;
    }
    out.push('}');
    Ok(())
}

/// `json_build_array(args...)`.
pub fn build_array(args: &[SqlValue]) -> Result<String> {
    let mut out = String::from("[");
    for (idx, arg) in args.iter().enumerate() {
        if idx > 0 {
            out.push_str(", ");
        }
        datum_to_json(arg, &mut out, false)?;
    }
    out.push(']');
    Ok(out)
}

/// `json_build_object(k1, v1, ...)`.
pub fn build_object(args: &[SqlValue]) -> Result<String> {
    if !args.len().is_multiple_of(2) {
        return Err(
            invalid("argument list must have even number of elements").with_hint(
                "The arguments of json_build_object() must consist of alternating keys and values.",
            ),
        );
    }
    let mut out = String::from("{");
    for (idx, pair) in args.chunks(2).enumerate() {
        if idx > 0 {
            out.push_str(", ");
        }
        if matches!(pair[0], SqlValue::Null) {
            return Err(invalid(format!("argument {} cannot be null", idx * 2 + 1))
                .with_hint("Object keys should be text."));
        }
        datum_to_json(&pair[0], &mut out, true)?;
        out.push_str(" : ");
        datum_to_json(&pair[1], &mut out, false)?;
    }
    out.push('}');
    Ok(out)
}

/// `json_object(text[])`: a flat array of alternating keys and values (`dims` = `[2n]`) or
/// a two-column array (`dims` = `[n, 2]`).
pub fn object_from_array(dims: &[usize], items: &[Option<&str>]) -> Result<String> {
    let subscript = |m: &str| Error::new(Condition::ArraySubscriptError, m.to_string());
    match dims.len() {
        0 => return Ok("{}".to_string()),
        1 if !dims[0].is_multiple_of(2) => {
            return Err(subscript("array must have even number of elements"));
        }
        1 => {}
        2 if dims[1] != 2 => return Err(subscript("array must have two columns")),
        2 => {}
        _ => return Err(subscript("wrong number of array subscripts")),
    }
    object_text(items.chunks(2).map(|c| (c[0], c.get(1).copied().flatten())))
}

/// `json_object(keys text[], values text[])`.
pub fn object_from_arrays(
    key_ndims: usize,
    keys: &[Option<&str>],
    value_ndims: usize,
    values: &[Option<&str>],
) -> Result<String> {
    if key_ndims > 1 || key_ndims != value_ndims {
        return Err(Error::new(
            Condition::ArraySubscriptError,
            "wrong number of array subscripts",
        ));
    }
    if key_ndims == 0 {
        return Ok("{}".to_string());
    }
    if keys.len() != values.len() {
        return Err(Error::new(
            Condition::ArraySubscriptError,
            "mismatched array dimensions",
        ));
    }
    object_text(keys.iter().copied().zip(values.iter().copied()))
}

fn object_text<'a>(
    pairs: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> Result<String> {
    let mut out = String::from("{");
    for (idx, (key, value)) in pairs.enumerate() {
        let key = key.ok_or_else(|| {
            Error::new(
                Condition::NullValueNotAllowed,
                "null value not allowed for object key",
            )
        })?;
        if idx > 0 {
            out.push_str(", ");
        }
        escape_json(&mut out, key);
        out.push_str(" : ");
        match value {
            Some(v) => escape_json(&mut out, v),
            None => out.push_str("null"),
        }
    }
    out.push('}');
    Ok(out)
}

/// The running state of `json_agg(value)`. `structured` says the aggregated type is an
/// array or a row type (PostgreSQL then starts each later item on a new line).
#[derive(Debug)]
pub struct JsonAgg {
    out: String,
    structured: bool,
}

impl JsonAgg {
    /// A state for values of a structured (array or row) type or not.
    pub fn new(structured: bool) -> JsonAgg {
        JsonAgg {
            out: String::new(),
            structured,
        }
    }

    /// Adds one input row's value.
    pub fn push(&mut self, value: &SqlValue) -> Result<()> {
        let first = self.out.is_empty();
        self.out.push_str(if first { "[" } else { ", " });
        if !first && self.structured && !matches!(value, SqlValue::Null) {
            self.out.push_str("\n ");
        }
        datum_to_json(value, &mut self.out, false)
    }

    /// The aggregate's result (the server answers NULL when no row arrived).
    pub fn finish(mut self) -> String {
        if self.out.is_empty() {
            self.out.push('[');
        }
        self.out.push(']');
        self.out
    }
}

/// The running state of `json_object_agg(key, value)`: pairs in input order, duplicates kept.
#[derive(Debug, Default)]
pub struct JsonObjectAgg {
    out: String,
}

impl JsonObjectAgg {
    /// Adds one input row's pair; a NULL key is PostgreSQL's error.
    pub fn push(&mut self, key: &SqlValue, value: &SqlValue) -> Result<()> {
        self.out
            .push_str(if self.out.is_empty() { "{ " } else { ", " });
        if matches!(key, SqlValue::Null) {
            return Err(invalid("field name must not be null"));
        }
        datum_to_json(key, &mut self.out, true)?;
        self.out.push_str(" : ");
        datum_to_json(value, &mut self.out, false)
    }

    /// The aggregate's result.
    pub fn finish(mut self) -> String {
        if self.out.is_empty() {
            self.out.push_str("{ ");
        }
        self.out.push_str(" }");
        self.out
    }
}
