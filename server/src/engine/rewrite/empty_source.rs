//! SELECTs whose rows come from a relation that is always empty (catalogs of features
//! MindooDB does not have: policies, publications, inheritance, ...): their subqueries are
//! never evaluated, so they become NULL before planning. Clients join such catalogs with
//! correlated subqueries DataFusion cannot plan (psql's `\d` policy and publication
//! footers); Postgres returns no rows for them, and so does MindooDB.
//!
//! Invariants:
//! - A SELECT counts as empty only when an always-empty relation is on the preserved side of
//!   every join that could add rows back (no RIGHT/FULL join around it), and the SELECT is
//!   not an aggregate without GROUP BY (which returns one row over no input).
//! - Only expressions of that SELECT are touched; its result types stay as they were, except
//!   that a replaced subquery's column is NULL-typed (text on the wire).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArgumentList, FunctionArguments, GroupByExpr, Ident, JoinOperator, ObjectName,
    Select, SelectItem, Statement, TableFactor, Value, VisitMut, VisitorMut, visit_expressions_mut,
};

use super::pg_syntax::aggregates;
use crate::catalog::names;

/// Nulls the subqueries of SELECTs over always-empty relations in `statement`.
/// `always_empty` receives a relation's name parts, lowercased.
pub(crate) fn prune(
    statement: &mut Statement,
    always_empty: &dyn Fn(&[String]) -> bool,
    is_aggregate: &dyn Fn(&str) -> bool,
) {
    let _ = statement.visit(&mut Pruner {
        always_empty,
        is_aggregate,
    });
}

struct Pruner<'a> {
    always_empty: &'a dyn Fn(&[String]) -> bool,
    is_aggregate: &'a dyn Fn(&str) -> bool,
}

impl VisitorMut for Pruner<'_> {
    type Break = ();

    fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
        if self.is_empty(select) {
            for item in &mut select.projection {
                if let SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } = item
                {
                    null_subqueries(expr);
                }
            }
            if let Some(selection) = &mut select.selection {
                null_subqueries(selection);
            }
        }
        ControlFlow::Continue(())
    }
}

impl Pruner<'_> {
    fn is_empty(&self, select: &Select) -> bool {
        let grouped =
            !matches!(&select.group_by, GroupByExpr::Expressions(exprs, _) if exprs.is_empty());
        if !grouped && (select.having.is_some() || self.aggregates(select)) {
            return false;
        }
        select.from.iter().any(|twj| {
            let no_outer_rescue = twj.joins.iter().all(|join| {
                !matches!(
                    join.join_operator,
                    JoinOperator::Right(_)
                        | JoinOperator::RightOuter(_)
                        | JoinOperator::FullOuter(_)
                )
            });
            let first_empty = self.factor_empty(&twj.relation);
            let inner_join_empty = twj.joins.iter().any(|join| {
                matches!(
                    join.join_operator,
                    JoinOperator::Join(_)
                        | JoinOperator::Inner(_)
                        | JoinOperator::CrossJoin(_)
                        | JoinOperator::Semi(_)
                        | JoinOperator::LeftSemi(_)
                ) && self.factor_empty(&join.relation)
            });
            no_outer_rescue && (first_empty || inner_join_empty)
        })
    }

    fn factor_empty(&self, factor: &TableFactor) -> bool {
        match factor {
            TableFactor::Table {
                name, args: None, ..
            } => (self.always_empty)(&lower_parts(name)),
            _ => false,
        }
    }

    fn aggregates(&self, select: &Select) -> bool {
        select.projection.iter().any(|item| match item {
            SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => {
                aggregates(expr, self.is_aggregate)
            }
            _ => false,
        })
    }
}

fn lower_parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|part| part.as_ident().map_or_else(String::new, names::fold))
        .collect()
}

/// Scalar subqueries become NULL, `ARRAY(subquery)` an empty array (so array functions
/// around it still plan).
fn null_subqueries(expr: &mut Expr) {
    let _ = visit_expressions_mut(expr, |e| {
        match e {
            Expr::Subquery(_) => *e = Expr::value(Value::Null),
            Expr::Function(f) if matches!(f.args, FunctionArguments::Subquery(_)) => {
                f.name = ObjectName::from(vec![Ident::new("make_array")]);
                f.args = FunctionArguments::List(FunctionArgumentList {
                    duplicate_treatment: None,
                    args: Vec::new(),
                    clauses: Vec::new(),
                });
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sql: &str, expected: &str) {
        let mut statements = crate::engine::sql::parse::parse(sql).unwrap();
        let crate::engine::sql::own_syntax::Parsed::Sql(statement) = &mut statements[0] else {
            panic!("{sql} is no sqlparser statement");
        };
        prune(
            statement,
            &|parts| parts.last().is_some_and(|n| n == "pg_policy"),
            &|name| name == "count",
        );
        assert_eq!(statement.to_string(), expected);
    }

    #[test]
    fn subqueries_over_empty_sources_become_null() {
        check(
            "SELECT p.a, (SELECT x FROM r WHERE r.o = ANY(p.roles)), ARRAY(SELECT 1) FROM pg_catalog.pg_policy p WHERE p.b = 1",
            "SELECT p.a, NULL, make_array() FROM pg_catalog.pg_policy p WHERE p.b = 1",
        );
        check(
            "SELECT (SELECT 1) FROM t LEFT JOIN pg_policy p ON true",
            "SELECT (SELECT 1) FROM t LEFT JOIN pg_policy p ON true",
        );
        check(
            "SELECT count(*), (SELECT 1) FROM pg_policy",
            "SELECT count(*), (SELECT 1) FROM pg_policy",
        );
    }
}
