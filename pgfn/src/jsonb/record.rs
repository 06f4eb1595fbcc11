//! `jsonb_populate_record(set)` and `jsonb_to_record(set)`: a jsonb object as a row of the
//! caller's column types, coerced as PostgreSQL 15's `populate_record` does. The engine is
//! generic over `Source`, which the `json` variants implement over json text. The engine is
//! generic over `Source`, which the `json` variants implement over json text.
//!
//! Invariants:
//! - Columns are filled in order and elements one after another, so the first error is the
//!   one PostgreSQL raises; a scalar's text goes to the caller's type input function
//!   (`ScalarInput`), which raises that type's own errors.
//! - A missing key keeps the base row's value (or NULL); an empty object keeps the whole base
//!   row; JSON null is SQL NULL for every column type.

use super::access::invalid;
use super::value::Jsonb;
use crate::sql::{SqlArray, SqlValue};
use crate::{Condition, Error, Result};

/// A target column's type, as far as the coercion needs to know it.
#[derive(Clone, Debug)]
pub enum FieldType {
    /// `json`: the value's JSON text.
    Json,
    /// `jsonb`: the value itself.
    Jsonb,
    /// Any other scalar type, by name: its text goes to the type's input function.
    Scalar(String),
    /// An array of the element type.
    Array(Box<FieldType>),
    /// A composite type: its columns.
    Record(Vec<(String, FieldType)>),
}

/// The type input function: `(type name, text)` to a value, or the type's input error.
pub type ScalarInput<'f> = dyn FnMut(&str, &str) -> Result<SqlValue> + 'f;

/// What a JSON value must answer to be populated into a row.
pub(crate) trait Source: Sized {
    fn is_null(&self) -> bool;
    fn is_string(&self) -> bool;
    fn is_object(&self) -> bool;
    fn is_array(&self) -> bool;
    /// An object field's value (the last one for a repeated key); `None` if absent.
    fn get(&self, key: &str) -> Option<&Self>;
    /// Whether an object has no fields.
    fn is_empty_object(&self) -> bool;
    /// An array's elements.
    fn items(&self) -> &[Self];
    /// The value as a `json` column gets it.
    fn json_text(&self) -> String;
    /// The value as a `jsonb` column gets it.
    fn jsonb(&self) -> Result<Jsonb>;
    /// The text a scalar type's input function gets (strings without quotes).
    fn input_text(&self) -> String;
}

impl Source for Jsonb {
    fn is_null(&self) -> bool {
        matches!(self, Jsonb::Null)
    }
    fn is_string(&self) -> bool {
        matches!(self, Jsonb::String(_))
    }
    fn is_object(&self) -> bool {
        matches!(self, Jsonb::Object(_))
    }
    fn is_array(&self) -> bool {
        matches!(self, Jsonb::Array(_))
    }
    fn get(&self, key: &str) -> Option<&Jsonb> {
        match self {
            Jsonb::Object(obj) => obj.get(key),
            _ => None,
        }
    }
    fn is_empty_object(&self) -> bool {
        matches!(self, Jsonb::Object(obj) if obj.is_empty())
    }
    fn items(&self) -> &[Jsonb] {
        match self {
            Jsonb::Array(items) => items,
            _ => &[],
        }
    }
    fn json_text(&self) -> String {
        self.to_string()
    }
    fn jsonb(&self) -> Result<Jsonb> {
        Ok(self.clone())
    }
    fn input_text(&self) -> String {
        match self {
            Jsonb::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// `jsonb_populate_record(base, from)` (`base` `None` for a NULL base) and
/// `jsonb_to_record(from)` (no base): the row's values in column order.
pub fn populate_record(
    from: &Jsonb,
    columns: &[(String, FieldType)],
    base: Option<&[SqlValue]>,
    input: &mut ScalarInput<'_>,
) -> Result<Vec<SqlValue>> {
    composite(from, columns, base, input)
}

/// `jsonb_populate_recordset(base, from)` and `jsonb_to_recordset(from)`
/// (`to_recordset` picks the function name errors mention): one row per array element.
pub fn populate_recordset(
    from: &Jsonb,
    columns: &[(String, FieldType)],
    base: Option<&[SqlValue]>,
    to_recordset: bool,
    input: &mut ScalarInput<'_>,
) -> Result<Vec<Vec<SqlValue>>> {
    let function = if to_recordset {
        "jsonb_to_recordset"
    } else {
        "jsonb_populate_recordset"
    };
    let Jsonb::Array(items) = from else {
        return Err(invalid(format!("cannot call {function} on a non-array")));
    };
    records(items, columns, base, function, input)
}

/// One row per element, each element an object.
pub(crate) fn records<S: Source>(
    items: &[S],
    columns: &[(String, FieldType)],
    base: Option<&[SqlValue]>,
    function: &str,
    input: &mut ScalarInput<'_>,
) -> Result<Vec<Vec<SqlValue>>> {
    let mut rows = Vec::with_capacity(items.len());
    for item in items {
        if !item.is_object() {
            return Err(invalid(format!(
                "argument of {function} must be an array of objects"
            )));
        }
        rows.push(record(item, columns, base, input)?);
    }
    Ok(rows)
}

/// PostgreSQL's `populate_composite`: an object as a row; anything else is its error.
pub(crate) fn composite<S: Source>(
    value: &S,
    columns: &[(String, FieldType)],
    base: Option<&[SqlValue]>,
    input: &mut ScalarInput<'_>,
) -> Result<Vec<SqlValue>> {
    if !value.is_object() {
        let kind = if value.is_array() {
            "an array"
        } else {
            "a scalar"
        };
        return Err(invalid(format!("cannot call populate_composite on {kind}")));
    }
    record(value, columns, base, input)
}

/// PostgreSQL's `populate_record` for an object.
fn record<S: Source>(
    object: &S,
    columns: &[(String, FieldType)],
    base: Option<&[SqlValue]>,
    input: &mut ScalarInput<'_>,
) -> Result<Vec<SqlValue>> {
    if let Some(base) = base
        && object.is_empty_object()
    {
        return Ok(base.to_vec());
    }
    let mut values = Vec::with_capacity(columns.len());
    for (idx, (name, field_type)) in columns.iter().enumerate() {
        let default = base.and_then(|b| b.get(idx));
        let value = match object.get(name) {
            None if default.is_some() => default.cloned().unwrap_or(SqlValue::Null),
            None => SqlValue::Null,
            Some(v) => field(v, field_type, Some(name), default, input)?,
        };
        values.push(value);
    }
    Ok(values)
}

/// PostgreSQL's `populate_record_field`.
fn field<S: Source>(
    value: &S,
    field_type: &FieldType,
    column: Option<&str>,
    default: Option<&SqlValue>,
    input: &mut ScalarInput<'_>,
) -> Result<SqlValue> {
    if value.is_null() {
        return Ok(SqlValue::Null);
    }
    // A JSON string for an array or composite goes through the type's input function.
    let as_scalar =
        value.is_string() && matches!(field_type, FieldType::Array(_) | FieldType::Record(_));
    match field_type {
        FieldType::Jsonb => Ok(SqlValue::Jsonb(value.jsonb()?)),
        FieldType::Json => Ok(SqlValue::Json(value.json_text())),
        FieldType::Array(element) if !as_scalar => array(value, element, column, input),
        FieldType::Record(columns) if !as_scalar => {
            let base = match default {
                Some(SqlValue::Record(fields)) => {
                    Some(fields.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>())
                }
                _ => None,
            };
            let fields = composite(value, columns, base.as_deref(), input)?;
            Ok(SqlValue::Record(
                columns.iter().map(|(n, _)| n.clone()).zip(fields).collect(),
            ))
        }
        _ => input(&type_name(field_type), &value.input_text()),
    }
}

fn type_name(field_type: &FieldType) -> String {
    match field_type {
        FieldType::Json => "json".into(),
        FieldType::Jsonb => "jsonb".into(),
        FieldType::Scalar(name) => name.clone(),
        FieldType::Array(element) => format!("{}[]", type_name(element)),
        FieldType::Record(_) => "record".into(),
    }
}

/// PostgreSQL's `populate_array` for jsonb: nested JSON arrays become the dimensions.
fn array<S: Source>(
    value: &S,
    element: &FieldType,
    column: Option<&str>,
    input: &mut ScalarInput<'_>,
) -> Result<SqlValue> {
    let mut ctx = ArrayCtx {
        column,
        ndims: 0,
        dims: Vec::new(),
        sizes: Vec::new(),
        elements: Vec::new(),
    };
    ctx.dim(value, 1, element, input)?;
    if let Some(size) = ctx.sizes.first() {
        ctx.dims[0] = *size as i64;
    }
    let dims: Vec<usize> = if ctx.elements.is_empty() {
        Vec::new()
    } else {
        ctx.dims.iter().map(|d| *d as usize).collect()
    };
    Ok(SqlValue::Array(SqlArray {
        dims,
        elements: ctx.elements,
    }))
}

struct ArrayCtx<'c> {
    column: Option<&'c str>,
    ndims: usize,
    dims: Vec<i64>,
    sizes: Vec<usize>,
    elements: Vec<SqlValue>,
}

impl ArrayCtx<'_> {
    /// PostgreSQL's `populate_array_dim_jsonb`.
    fn dim<S: Source>(
        &mut self,
        value: &S,
        ndim: usize,
        element: &FieldType,
        input: &mut ScalarInput<'_>,
    ) -> Result<()> {
        if !value.is_array() {
            return Err(self.expected_array(ndim - 1));
        }
        let items = value.items();
        let first_is_array = items.first().is_some_and(Source::is_array);
        if self.ndims == 0 && (items.is_empty() || !first_is_array) {
            self.assign_ndims(ndim)?;
        }
        for item in items {
            if self.ndims > 0 && ndim >= self.ndims {
                let value = field(item, element, None, None, input)?;
                self.elements.push(value);
                self.sizes[ndim - 1] += 1;
            } else {
                self.dim(item, ndim + 1, element, input)?;
                self.check_dimension(ndim)?;
            }
        }
        Ok(())
    }

    fn assign_ndims(&mut self, ndims: usize) -> Result<()> {
        if ndims == 0 {
            return Err(self.expected_array(0));
        }
        self.ndims = ndims;
        self.dims = vec![-1; ndims];
        self.sizes = vec![0; ndims];
        Ok(())
    }

    fn check_dimension(&mut self, ndim: usize) -> Result<()> {
        let dim = self.sizes[ndim] as i64;
        if self.dims[ndim] == -1 {
            self.dims[ndim] = dim;
        } else if self.dims[ndim] != dim {
            return Err(
                Error::new(Condition::InvalidTextRepresentation, "malformed JSON array")
                    .with_detail(
                        "Multidimensional arrays must have sub-arrays with matching dimensions.",
                    ),
            );
        }
        self.sizes[ndim] = 0;
        if ndim > 0 {
            self.sizes[ndim - 1] += 1;
        }
        Ok(())
    }

    /// PostgreSQL's `populate_array_report_expected_array`.
    fn expected_array(&self, ndim: usize) -> Error {
        let err = Error::new(Condition::InvalidTextRepresentation, "expected JSON array");
        if ndim == 0 {
            return match self.column {
                Some(column) => err.with_hint(format!("See the value of key \"{column}\".")),
                None => err,
            };
        }
        let indices: String = self.sizes[..ndim]
            .iter()
            .map(|s| format!("[{s}]"))
            .collect();
        match self.column {
            Some(column) => err.with_hint(format!(
                "See the array element {indices} of key \"{column}\"."
            )),
            None => err.with_hint(format!("See the array element {indices}.")),
        }
    }
}
