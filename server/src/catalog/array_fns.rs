//! Postgres' array bounds functions DataFusion lacks: `array_upper(a, dim)` and
//! `array_lower(a, dim)` (pgjdbc's type lookup walks `current_schemas()` with them).
//!
//! Invariants:
//! - Arrays are one-dimensional with lower bound 1 (how MindooDB builds them); any other
//!   dimension, an empty array or NULL gives NULL, as in Postgres.

use std::sync::Arc;

use datafusion::arrow::array::Array;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::{ScalarUDF, Volatility};

use super::udf::{Returns, int_arg, row_fn};

/// The functions.
pub(crate) fn functions() -> Vec<ScalarUDF> {
    let int4 = Returns::Fixed(|| DataType::Int32);
    vec![
        row_fn(
            "array_upper",
            &[2],
            Volatility::Immutable,
            int4,
            Arc::new(|args| Ok(ScalarValue::Int32(bound(args, false)))),
        ),
        row_fn(
            "array_lower",
            &[2],
            Volatility::Immutable,
            int4,
            Arc::new(|args| Ok(ScalarValue::Int32(bound(args, true)))),
        ),
    ]
}

fn bound(args: &[ScalarValue], lower: bool) -> Option<i32> {
    let [array, dimension] = args else {
        return None;
    };
    if int_arg(dimension)? != 1 {
        return None;
    }
    let n = match array {
        ScalarValue::List(list) if !list.is_null(0) => list.value_length(0),
        ScalarValue::LargeList(list) if !list.is_null(0) => {
            i32::try_from(list.value_length(0)).ok()?
        }
        ScalarValue::FixedSizeList(list) if !list.is_null(0) => list.value_length(),
        _ => return None,
    };
    match (n, lower) {
        (0, _) => None,
        (_, true) => Some(1),
        (n, false) => Some(n),
    }
}
