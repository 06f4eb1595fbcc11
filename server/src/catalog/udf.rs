//! `RowFn`: a DataFusion scalar function evaluated row by row over `ScalarValue`s, the shape
//! every Postgres system function here has (catalog lookups over a few rows), plus argument
//! helpers that read Postgres' loosely typed arguments (an OID may arrive as any integer or
//! as text).
//!
//! Invariants:
//! - A function's result always has its declared Arrow type; NULL results are typed NULLs.
//! - Errors from the evaluator keep their SQLSTATE (they travel as `Error` inside DataFusion).

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::new_empty_array;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result as DfResult, ScalarValue};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    TypeSignature, Volatility,
};

use crate::error::{Error, Result};
use crate::output::PgType;

/// Evaluates one row: the arguments in, the result out.
pub(crate) type Eval = Arc<dyn Fn(&[ScalarValue]) -> Result<ScalarValue> + Send + Sync>;

/// How the result type follows from the argument types.
#[derive(Clone, Copy)]
pub(crate) enum Returns {
    Fixed(fn() -> DataType),
    /// A Postgres type whose Arrow type needs its field mark (`name`, `aclitem[]`).
    Typed(PgType),
    /// The `reg*` casts: text in gives an OID, an OID in gives its name.
    OidForText,
}

/// A scalar function over rows of `ScalarValue`s.
pub(crate) struct RowFn {
    name: &'static str,
    signature: Signature,
    returns: Returns,
    eval: Eval,
}

/// A function taking any of `arities` arguments of any type.
pub(crate) fn row_fn(
    name: &'static str,
    arities: &[usize],
    volatility: Volatility,
    returns: Returns,
    eval: Eval,
) -> ScalarUDF {
    let shapes: Vec<TypeSignature> = arities
        .iter()
        .map(|n| match n {
            0 => TypeSignature::Nullary,
            n => TypeSignature::Any(*n),
        })
        .collect();
    let signature = match shapes.as_slice() {
        [TypeSignature::Nullary] => Signature::nullary(volatility),
        _ => Signature::one_of(shapes, volatility),
    };
    ScalarUDF::new_from_impl(RowFn {
        name,
        signature,
        returns,
        eval,
    })
}

/// The Arrow type of text results.
pub(crate) fn text_type() -> DataType {
    DataType::Utf8
}

/// The Arrow type of boolean results.
pub(crate) fn bool_type() -> DataType {
    DataType::Boolean
}

/// An OID argument: any integer, or text holding one; `None` for NULL or non-numbers.
pub(crate) fn oid_arg(value: &ScalarValue) -> Option<u32> {
    if value.is_null() {
        return None;
    }
    match value {
        ScalarValue::Utf8(Some(s))
        | ScalarValue::LargeUtf8(Some(s))
        | ScalarValue::Utf8View(Some(s)) => s.trim().parse().ok(),
        other => match other.cast_to(&DataType::Int64).ok()? {
            ScalarValue::Int64(Some(v)) => u32::try_from(v).ok(),
            _ => None,
        },
    }
}

/// An integer argument.
pub(crate) fn int_arg(value: &ScalarValue) -> Option<i64> {
    match value.cast_to(&DataType::Int64).ok()? {
        ScalarValue::Int64(v) => v,
        _ => None,
    }
}

/// A text argument (numbers and booleans as their text).
pub(crate) fn text_arg(value: &ScalarValue) -> Option<String> {
    if value.is_null() {
        return None;
    }
    match value {
        ScalarValue::Utf8(Some(s))
        | ScalarValue::LargeUtf8(Some(s))
        | ScalarValue::Utf8View(Some(s)) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A boolean argument (`true`, `t`, `on`, ... as text too).
pub(crate) fn bool_arg(value: &ScalarValue) -> Option<bool> {
    match value {
        ScalarValue::Boolean(b) => *b,
        other => text_arg(other).map(|t| {
            matches!(
                t.trim().to_ascii_lowercase().as_str(),
                "t" | "true" | "on" | "yes" | "y" | "1"
            )
        }),
    }
}

/// A text result.
pub(crate) fn text(value: Option<String>) -> ScalarValue {
    ScalarValue::Utf8(value)
}

/// True when the argument is text (the `reg*` casts read names from text).
fn is_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
    )
}

impl RowFn {
    fn result_type(&self, arg_types: &[DataType]) -> DataType {
        match self.returns {
            Returns::Fixed(returns) => returns(),
            Returns::Typed(pg_type) => pg_type.arrow_type(),
            Returns::OidForText => match arg_types.first() {
                Some(first) if is_text(first) => DataType::UInt32,
                _ => DataType::Utf8,
            },
        }
    }
}

impl fmt::Debug for RowFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RowFn({})", self.name)
    }
}

impl PartialEq for RowFn {
    fn eq(&self, other: &RowFn) -> bool {
        self.name == other.name && Arc::ptr_eq(&self.eval, &other.eval)
    }
}

impl Eq for RowFn {}

impl Hash for RowFn {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for RowFn {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> DfResult<DataType> {
        Ok(self.result_type(arg_types))
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> DfResult<FieldRef> {
        Ok(Arc::new(match self.returns {
            Returns::Typed(pg_type) => pg_type.field(self.name, true),
            _ => {
                let types: Vec<DataType> = args
                    .arg_fields
                    .iter()
                    .map(|field| field.data_type().clone())
                    .collect();
                Field::new(self.name, self.result_type(&types), true)
            }
        }))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        let n_rows = args.number_rows;
        let returns = args.return_type().clone();
        let arrays = args
            .args
            .iter()
            .map(|arg| arg.to_array(n_rows))
            .collect::<DfResult<Vec<_>>>()?;
        let mut values = Vec::with_capacity(n_rows);
        for row in 0..n_rows {
            let row_args = arrays
                .iter()
                .map(|array| ScalarValue::try_from_array(array, row))
                .collect::<DfResult<Vec<_>>>()?;
            let value = (self.eval)(&row_args).map_err(Error::into_datafusion)?;
            values.push(if value.is_null() {
                ScalarValue::try_from(&returns)?
            } else if value.data_type() == returns {
                value
            } else {
                value.cast_to(&returns)?
            });
        }
        if values.is_empty() {
            return Ok(ColumnarValue::Array(new_empty_array(&returns)));
        }
        Ok(ColumnarValue::Array(ScalarValue::iter_to_array(values)?))
    }
}
