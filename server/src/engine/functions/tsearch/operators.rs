//! The full-text search operators planned from SQL: `@@` in its four forms, `||` of tsvectors
//! and of tsqueries, and the tsquery operators `&&`, `<->`, `@>` and `<@`.
//!
//! Invariants:
//! - An operator is planned here only when PostgreSQL would resolve it to a full-text search
//!   operator: `@@` unless its left side is jsonb (that is jsonpath's, the jsonb planner's);
//!   the others when a side is a tsvector or tsquery.
//! - This planner runs before the jsonb planner, which would take `@>` and `<@`.

use datafusion::common::{DFSchema, Result as DfResult};
use datafusion::logical_expr::expr::{Cast, ScalarFunction, TryCast};
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr};
use datafusion::logical_expr::{Expr, ExprSchemable};
use datafusion::sql::sqlparser::ast::BinaryOperator;

use super::kind::Kind;
use super::udf::Functions;
use crate::output::PgType;

#[derive(Debug)]
pub(super) struct TsOperators {
    functions: Functions,
}

impl TsOperators {
    pub(super) fn new(functions: Functions) -> TsOperators {
        TsOperators { functions }
    }
}

impl ExprPlanner for TsOperators {
    fn plan_binary_op(
        &self,
        expr: RawBinaryExpr,
        schema: &DFSchema,
    ) -> DfResult<PlannerResult<RawBinaryExpr>> {
        let (left, right) = (pg_type(&expr.left, schema), pg_type(&expr.right, schema));
        let either = |t: PgType| left == Some(t) || right == Some(t);
        let kind = match &expr.op {
            BinaryOperator::AtAt if left != Some(PgType::Jsonb) => Kind::Match,
            BinaryOperator::StringConcat if either(PgType::TsVector) => Kind::Concat,
            BinaryOperator::StringConcat if either(PgType::TsQuery) => Kind::QueryOr,
            BinaryOperator::PGOverlap if either(PgType::TsQuery) => Kind::QueryAnd,
            BinaryOperator::LtDashGt if either(PgType::TsQuery) => Kind::QueryPhrase,
            BinaryOperator::AtArrow if either(PgType::TsQuery) => Kind::QueryContains,
            BinaryOperator::ArrowAt if either(PgType::TsQuery) => Kind::QueryContained,
            _ => return Ok(PlannerResult::Original(expr)),
        };
        Ok(PlannerResult::Planned(Expr::ScalarFunction(
            ScalarFunction::new_udf(self.functions.udf(kind), vec![expr.left, expr.right]),
        )))
    }
}

/// The SQL type of an operand; a cast's is its target's.
fn pg_type(expr: &Expr, schema: &DFSchema) -> Option<PgType> {
    match expr {
        Expr::Cast(Cast { field, .. }) | Expr::TryCast(TryCast { field, .. }) => {
            PgType::of_field(field)
        }
        _ => expr
            .to_field(schema)
            .ok()
            .and_then(|(_, field)| PgType::of_field(&field)),
    }
}
