//! PostgreSQL 15's `jsonb` in DataFusion, delegating to `mindoodb-pgfn`: the type names
//! (`jsonb`, `json`), input (`input.rs`) and the casts to and from it (`casts.rs`), the operators planned from SQL, and
//! the functions (`scalar.rs`), over arguments read by `args.rs`.
//!
//! Invariants:
//! - A jsonb value is Utf8 holding PostgreSQL's canonical jsonb text, in a field whose
//!   metadata has `pg_type = jsonb`; the wire layer types such columns as jsonb (OID 3802).
//! - An operator is planned as jsonb only when PostgreSQL would resolve it to a jsonb
//!   operator: `->`, `->>`, `#>`, `#>>`, `?`, `?|`, `?&`, `#-`, `@?` always; `@>`, `<@` unless
//!   a side is an array; `||`, `-` and `@@` when their left (or for `||` either) side is jsonb.

mod args;
mod casts;
mod input;
mod scalar;

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{DFSchema, Result as DfResult};
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::expr::{Cast, ScalarFunction, TryCast};
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr, TypePlanner};
use datafusion::logical_expr::{Expr, ExprSchemable};
use datafusion::prelude::SessionContext;
use datafusion::sql::sqlparser::ast::{self, BinaryOperator};

pub(crate) use args::{Arg, Out, pg};
pub(crate) use scalar::{Kind, jsonb_text};

use crate::catalog::names;
use crate::output::{PgType, is_jsonb};

/// Registers the functions, the operator planner and the cast rewrite on a session.
pub(crate) fn register(ctx: &mut SessionContext) -> DfResult<()> {
    for kind in Kind::ALL {
        ctx.register_udf(scalar::JsonbFn::udf(kind))?;
    }
    ctx.register_udf(input::JsonbIn::udf())?;
    ctx.register_expr_planner(Arc::new(JsonbPlanner))?;
    ctx.add_analyzer_rule(Arc::new(casts::JsonbCasts));
    Ok(())
}

/// Maps `jsonb` and `json` to the marked Utf8 field.
#[derive(Debug)]
pub(crate) struct JsonTypePlanner;

impl TypePlanner for JsonTypePlanner {
    fn plan_type_field(&self, sql_type: &ast::DataType) -> DfResult<Option<FieldRef>> {
        match sql_type {
            ast::DataType::JSONB | ast::DataType::JSON => Ok(Some(jsonb())),
            ast::DataType::Custom(name, _) if names::parts(name).is_ok_and(|p| p == ["jsonb"]) => {
                Ok(Some(jsonb()))
            }
            _ => Ok(None),
        }
    }
}

#[derive(Debug)]
struct JsonbPlanner;

impl ExprPlanner for JsonbPlanner {
    fn plan_binary_op(
        &self,
        expr: RawBinaryExpr,
        schema: &DFSchema,
    ) -> DfResult<PlannerResult<RawBinaryExpr>> {
        let left_jsonb = is_jsonb_expr(&expr.left, schema);
        let right_jsonb = is_jsonb_expr(&expr.right, schema);
        let any_array = is_array_expr(&expr.left, schema) || is_array_expr(&expr.right, schema);
        let kind = match &expr.op {
            BinaryOperator::Arrow => Kind::Get,
            BinaryOperator::LongArrow => Kind::GetText,
            BinaryOperator::HashArrow => Kind::Path,
            BinaryOperator::HashLongArrow => Kind::PathText,
            BinaryOperator::AtArrow if !any_array => Kind::Contains,
            BinaryOperator::ArrowAt if !any_array => Kind::ContainedBy,
            BinaryOperator::Question => Kind::Exists,
            BinaryOperator::QuestionPipe => Kind::ExistsAny,
            BinaryOperator::QuestionAnd => Kind::ExistsAll,
            BinaryOperator::HashMinus => Kind::DeletePath,
            BinaryOperator::AtQuestion => Kind::PathExistsOp,
            BinaryOperator::AtAt if left_jsonb => Kind::PathMatchOp,
            BinaryOperator::Minus if left_jsonb => Kind::Delete,
            BinaryOperator::StringConcat if left_jsonb || right_jsonb => Kind::Concat,
            _ => return Ok(PlannerResult::Original(expr)),
        };
        Ok(PlannerResult::Planned(Expr::ScalarFunction(
            ScalarFunction::new_udf(scalar::JsonbFn::udf(kind), vec![expr.left, expr.right]),
        )))
    }
}

fn jsonb() -> FieldRef {
    Arc::new(PgType::Jsonb.field("", true))
}

fn is_jsonb_expr(expr: &Expr, schema: &DFSchema) -> bool {
    match expr {
        // A cast yields its target type: `data::text` is text, although DataFusion carries
        // the type marker of the jsonb it casts over to a cast that names only a type.
        Expr::Cast(Cast { field, .. }) | Expr::TryCast(TryCast { field, .. }) => is_jsonb(field),
        _ => expr
            .to_field(schema)
            .is_ok_and(|(_, field)| is_jsonb(&field)),
    }
}

fn is_array_expr(expr: &Expr, schema: &DFSchema) -> bool {
    expr.get_type(schema).is_ok_and(|t| {
        matches!(
            t,
            DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..)
        )
    })
}
