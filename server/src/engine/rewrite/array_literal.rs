//! Postgres array literals in comparisons: `polroles = '{0}'` compares an array with the text
//! form of one, which Postgres reads as an array of the other side's element type.
//!
//! Invariants:
//! - Only a text literal compared with an array-typed expression is converted; everything
//!   else is left to DataFusion.
//! - The text is parsed by `engine/sql/array_text.rs`; malformed text is Postgres' 22P02 error.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DFSchema, Result as DfResult, ScalarValue};
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr};
use datafusion::logical_expr::{Expr, ExprSchemable};
use datafusion::sql::sqlparser::ast::BinaryOperator;

use crate::engine::sql::array_text::parse;
use crate::error::Error;

/// Plans `array <op> 'text'` (either order) with the text read as an array.
#[derive(Debug)]
pub(crate) struct ArrayLiteralPlanner;

impl ExprPlanner for ArrayLiteralPlanner {
    fn plan_binary_op(
        &self,
        mut expr: RawBinaryExpr,
        schema: &DFSchema,
    ) -> DfResult<PlannerResult<RawBinaryExpr>> {
        use BinaryOperator::*;
        if !matches!(expr.op, Eq | NotEq | Lt | LtEq | Gt | GtEq) {
            return Ok(PlannerResult::Original(expr));
        }
        if let Some(element) = element_type(&expr.left, schema)
            && let Some(text) = text_literal(&expr.right)
        {
            expr.right = Expr::Literal(array_value(&text, &element)?, None);
        } else if let Some(element) = element_type(&expr.right, schema)
            && let Some(text) = text_literal(&expr.left)
        {
            expr.left = Expr::Literal(array_value(&text, &element)?, None);
        }
        Ok(PlannerResult::Original(expr))
    }
}

fn element_type(expr: &Expr, schema: &DFSchema) -> Option<DataType> {
    match expr.get_type(schema).ok()? {
        DataType::List(field) | DataType::LargeList(field) => Some(field.data_type().clone()),
        _ => None,
    }
}

fn text_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Literal(ScalarValue::Utf8(Some(text)) | ScalarValue::Utf8View(Some(text)), _) => {
            Some(text.clone())
        }
        _ => None,
    }
}

fn array_value(text: &str, element: &DataType) -> DfResult<ScalarValue> {
    let items =
        parse(text).map_err(|why| Error::MalformedArray(why.to_owned()).into_datafusion())?;
    let values = items
        .into_iter()
        .map(|item| match item {
            None => ScalarValue::try_from(element),
            Some(text) => ScalarValue::Utf8(Some(text)).cast_to(element),
        })
        .collect::<DfResult<Vec<_>>>()?;
    Ok(ScalarValue::List(ScalarValue::new_list_nullable(
        &values, element,
    )))
}
