//! An analyzer rule for what SQL spells without a full-text search function: a cast to
//! `tsvector`, `tsquery` or `regconfig` becomes the type's input function (`'a b'::tsvector`
//! is `tsvectorin`, with its errors), and `length` of a tsvector counts its lexemes rather
//! than the characters of its text; a cast of a search type to text is its output text,
//! typed text.
//!
//! Invariants:
//! - After analysis no plan holds a cast to a full-text search type; each rewritten
//!   expression keeps its old name, and a rewritten node's schema is derived again.

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result as DfResult};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{Expr, ExprSchemable, LogicalPlan};
use datafusion::optimizer::AnalyzerRule;

use super::kind::Kind;
use super::udf::Functions;
use crate::engine::functions::rewrite_exprs::rewrite_expressions;
use crate::output::PgType;

/// The names DataFusion's character-length function answers to; PostgreSQL's `length` is
/// also the tsvector one.
const LENGTH: &str = "character_length";

#[derive(Debug)]
pub(super) struct TsRewrite {
    functions: Functions,
}

impl TsRewrite {
    pub(super) fn new(functions: Functions) -> TsRewrite {
        TsRewrite { functions }
    }

    fn rewrite(&self, expr: Expr, schema: &DFSchema) -> DfResult<Transformed<Expr>> {
        let call = |kind: Kind, arg: Expr| {
            Expr::ScalarFunction(ScalarFunction::new_udf(self.functions.udf(kind), vec![arg]))
        };
        Ok(match expr {
            Expr::Cast(cast) => {
                let kind = match PgType::of_field(&cast.field) {
                    Some(PgType::TsVector) => Kind::TsvectorIn,
                    Some(PgType::TsQuery) => Kind::TsqueryIn,
                    Some(PgType::RegConfig) => Kind::RegconfigIn,
                    // DataFusion's field of a cast to text keeps its operand's mark.
                    Some(PgType::Text) if is_search_type(&cast.expr, schema) => Kind::Text,
                    _ => return Ok(Transformed::no(Expr::Cast(cast))),
                };
                Transformed::yes(call(kind, *cast.expr))
            }
            Expr::ScalarFunction(function)
                if function.func.name() == LENGTH
                    && matches!(function.args.as_slice(), [arg] if is_tsvector(arg, schema)) =>
            {
                let mut args = function.args;
                Transformed::yes(call(Kind::Length, args.remove(0)))
            }
            other => Transformed::no(other),
        })
    }
}

fn is_tsvector(expr: &Expr, schema: &DFSchema) -> bool {
    expr.to_field(schema)
        .is_ok_and(|(_, field)| PgType::of_field(&field) == Some(PgType::TsVector))
}

fn is_search_type(expr: &Expr, schema: &DFSchema) -> bool {
    expr.to_field(schema).is_ok_and(|(_, field)| {
        matches!(
            PgType::of_field(&field),
            Some(PgType::TsVector | PgType::TsQuery | PgType::RegConfig)
        )
    })
}

impl AnalyzerRule for TsRewrite {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> DfResult<LogicalPlan> {
        rewrite_expressions(plan, true, |e, schema| self.rewrite(e, schema))
    }

    fn name(&self) -> &str {
        "tsearch_rewrite"
    }
}
