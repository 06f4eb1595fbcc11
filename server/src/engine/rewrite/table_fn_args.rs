//! Table functions called with constant expressions rather than literals:
//! `generate_series(1, array_upper(current_schemas(false), 1))` (pgjdbc's type lookup).
//! DataFusion's table functions take literals only, so arguments are evaluated first.
//!
//! Invariants:
//! - Only arguments that need no input row are evaluated; anything else (a column of an
//!   outer query) reaches the function unchanged and fails as it did.
//! - Integer results are widened to int8, which DataFusion's `generate_series` expects.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Schema};
use datafusion::arrow::record_batch::{RecordBatch, RecordBatchOptions};
use datafusion::catalog::{
    Session as DfSession, TableFunctionArgs, TableFunctionImpl, TableProvider,
};
use datafusion::common::{DFSchema, Result as DfResult, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, Expr};
use datafusion::prelude::SessionContext;

use crate::error::Result;

/// The table functions whose arguments are folded.
const FOLDED: [&str; 2] = ["generate_series", "range"];

/// Wraps the registered table functions of `FOLDED` in `ctx`.
pub(crate) fn register(ctx: &SessionContext) -> Result<()> {
    for name in FOLDED {
        let inner = ctx.table_function(name)?;
        ctx.register_udtf(
            name,
            Arc::new(ConstArgs {
                inner: inner.function().clone(),
            }),
        );
    }
    Ok(())
}

#[derive(Debug)]
struct ConstArgs {
    inner: Arc<dyn TableFunctionImpl>,
}

impl TableFunctionImpl for ConstArgs {
    fn call_with_args(&self, args: TableFunctionArgs) -> DfResult<Arc<dyn TableProvider>> {
        let folded: Vec<Expr> = args
            .exprs()
            .iter()
            .map(|expr| fold(expr, args.session()).unwrap_or_else(|| expr.clone()))
            .collect();
        self.inner
            .call_with_args(TableFunctionArgs::new(&folded, args.session()))
    }
}

/// The value of `expr` as a literal, when it can be computed without a row.
fn fold(expr: &Expr, session: &dyn DfSession) -> Option<Expr> {
    if let Expr::Literal(value, _) = expr {
        return Some(Expr::Literal(widen(value.clone())?, None));
    }
    let physical = session
        .create_physical_expr(expr.clone(), &DFSchema::empty())
        .ok()?;
    let batch = RecordBatch::try_new_with_options(
        Arc::new(Schema::empty()),
        Vec::new(),
        &RecordBatchOptions::new().with_row_count(Some(1)),
    )
    .ok()?;
    let value = match physical.evaluate(&batch).ok()? {
        ColumnarValue::Scalar(value) => value,
        ColumnarValue::Array(array) => ScalarValue::try_from_array(&array, 0).ok()?,
    };
    Some(Expr::Literal(widen(value)?, None))
}

fn widen(value: ScalarValue) -> Option<ScalarValue> {
    match value.data_type() {
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32 => value.cast_to(&DataType::Int64).ok(),
        _ => Some(value),
    }
}
