//! `jsonb_agg(x)` and `jsonb_object_agg(k, v)` as DataFusion's `array_agg` of each row's jsonb,
//! finished into one jsonb value: `jsonb_agg(x ORDER BY y) FILTER (WHERE c)` becomes
//! `jsonb_agg_finish(array_agg(jsonb_agg_item(x) ORDER BY y) FILTER (WHERE c))`, so ORDER BY,
//! FILTER and GROUP BY are array_agg's, which DataFusion already plans correctly.
//!
//! Invariants:
//! - An equivalence: `jsonb_agg_item` is `to_jsonb` with SQL NULL as JSON null (PostgreSQL's
//!   jsonb_agg keeps NULL rows as `null`); array_agg of no rows is NULL, as jsonb_agg is; the
//!   finish functions build the array or the object (a repeated key keeping its last value)
//!   in array_agg's order.
//! - Window calls (`OVER`) are left alone, and so refused by the planner; DISTINCT is refused
//!   (0A000) rather than answered in an order PostgreSQL would not give.

use datafusion::sql::sqlparser::ast::{
    DuplicateTreatment, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Ident,
    ObjectName,
};

use super::pg_syntax::call;
use crate::error::{Error, Result};

/// The rewritten aggregates and what each becomes: (name, per-row function, finish function).
const AGGREGATES: [(&str, &str, &str); 2] = [
    ("jsonb_agg", "jsonb_agg_item", "jsonb_agg_finish"),
    (
        "jsonb_object_agg",
        "jsonb_object_agg_item",
        "jsonb_object_agg_finish",
    ),
];

/// True for the aggregates this file rewrites (for rewrites that run before this one).
pub(crate) fn is_json_aggregate(name: &str) -> bool {
    AGGREGATES.iter().any(|(agg, _, _)| *agg == name)
}

/// The rewritten call, `None` when `function` is not one of them, or an error for DISTINCT.
pub(crate) fn rewrite(function: &Function) -> Option<Result<Expr>> {
    if function.over.is_some() || function.name.0.len() != 1 {
        return None;
    }
    let name = function.name.0[0].as_ident()?.value.to_lowercase();
    let (_, item, finish) = AGGREGATES.iter().find(|(agg, _, _)| *agg == name)?;
    let FunctionArguments::List(list) = &function.args else {
        return None;
    };
    if list.duplicate_treatment == Some(DuplicateTreatment::Distinct) {
        // PostgreSQL sorts the distinct values by their SQL type's order; array_agg's
        // DISTINCT keeps them in hash order, so the array would differ run to run.
        return Some(Err(Error::FeatureNotSupported(format!(
            "{name}(DISTINCT ...)"
        ))));
    }
    let args = list
        .args
        .iter()
        .map(|arg| match arg {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(expr)) => Some(expr.clone()),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    let mut inner = function.clone();
    inner.name = ObjectName::from(vec![Ident::new("array_agg")]);
    let FunctionArguments::List(inner_list) = &mut inner.args else {
        return None;
    };
    inner_list.args = vec![FunctionArg::Unnamed(FunctionArgExpr::Expr(call(
        item, args,
    )))];
    Some(Ok(call(finish, vec![Expr::Function(inner)])))
}
