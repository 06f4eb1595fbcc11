//! The walk the analyzer rules of `functions/` share (`jsonb/casts.rs`, `tsearch/rewrite.rs`,
//! `array_out.rs`): every expression of every plan node, subqueries included, rewritten
//! bottom-up against the node's input schema.
//!
//! Invariants:
//! - A rewritten expression keeps the output name it had, so column names stay PostgreSQL's.
//! - A node's schema is derived again from its new expressions only when the rule asks for it
//!   (a rewrite that changes a field's type mark) and the node changed.

use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result as DfResult};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{Expr, LogicalPlan};

/// `plan` with every expression rewritten by `rewrite`, which sees the expression and the
/// merged schema of its node's inputs; `recompute_schema` re-derives a changed node's schema.
pub(crate) fn rewrite_expressions(
    plan: LogicalPlan,
    recompute_schema: bool,
    rewrite: impl Fn(Expr, &DFSchema) -> DfResult<Transformed<Expr>>,
) -> DfResult<LogicalPlan> {
    plan.transform_up_with_subqueries(|node| {
        let mut schema = DFSchema::empty();
        for input in node.inputs() {
            schema.merge(input.schema());
        }
        let names = NamePreserver::new(&node);
        let rewritten = node.map_expressions(|expr| {
            let saved = names.save(&expr);
            let rewritten = expr.transform_up(|e| rewrite(e, &schema))?;
            Ok(if rewritten.transformed {
                rewritten.update_data(|e| saved.restore(e))
            } else {
                rewritten
            })
        })?;
        if recompute_schema && rewritten.transformed {
            rewritten.map_data(LogicalPlan::recompute_schema)
        } else {
            Ok(rewritten)
        }
    })
    .map(|t| t.data)
}
