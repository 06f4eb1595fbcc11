//! Postgres syntax DataFusion does not plan, rewritten on the parsed AST before planning:
//! `pg_catalog.`-qualified function and type names, `OPERATOR(pg_catalog.~)`,
//! `COLLATE "C"`-style byte-order collations, `::regclass`-style casts (to the functions of
//! `catalog/regtypes.rs`), `!!` (tsquery negation, `tsquery_not`), `ARRAY(subquery)`, and
//! scalar subqueries that are not aggregated (wrapped in `scalar_subquery`, which DataFusion
//! can decorrelate).
//!
//! Invariants:
//! - Every rewrite keeps Postgres' meaning; syntax whose meaning would change (a collation
//!   other than the byte order MindooDB compares with) is left for the planner to refuse.
//! - Works on the AST only: no query text is inspected.

use std::ops::ControlFlow;
use std::sync::Arc;

use datafusion::execution::FunctionRegistry;
use datafusion::prelude::SessionContext;

use crate::catalog::names;
use crate::engine::sql::dialect::PgDialect;
use datafusion::sql::sqlparser::ast::{
    ArrayElemTypeDef, BinaryOperator, CastKind, DataType, Expr, Function, FunctionArg,
    FunctionArgExpr, FunctionArgumentClause, FunctionArgumentList, FunctionArguments, GroupByExpr,
    Ident, ObjectName, ObjectNamePart, OrderBy, OrderByKind, Query, Select, SelectItem, SetExpr,
    Statement, UnaryOperator, VisitMut, VisitorMut, visit_expressions, visit_expressions_mut,
};
use datafusion::sql::sqlparser::parser::Parser;

use super::{array_literal, correlation, json_agg, scalar_subquery, table_fn_args};
use crate::error::{Error, Result};

/// Registers what rewritten statements call: `scalar_subquery`, Postgres array literals, and
/// table functions over constant expressions.
pub(crate) fn register(ctx: &mut SessionContext) -> Result<()> {
    ctx.register_udaf(Arc::new(scalar_subquery::udaf()))?;
    ctx.register_expr_planner(Arc::new(array_literal::ArrayLiteralPlanner))?;
    table_fn_args::register(ctx)?;
    Ok(())
}

/// Rewrites `statement` in place; `is_aggregate` tells aggregate and window function names.
pub(crate) fn rewrite(
    statement: &mut Statement,
    is_aggregate: &dyn Fn(&str) -> bool,
) -> Result<()> {
    let flow = visit_expressions_mut(statement, |expr| match rewrite_expr(expr, is_aggregate) {
        Ok(()) => ControlFlow::Continue(()),
        Err(err) => ControlFlow::Break(err),
    });
    if let ControlFlow::Break(err) = flow {
        return Err(err);
    }
    let _ = statement.visit(&mut Projections);
    Ok(())
}

/// Output columns as Postgres shapes them:
/// - a bare integer literal that fits 32 bits is `int4` (`SELECT 1`), as in Postgres, where
///   DataFusion would say int8;
/// - Postgres allows `SELECT NULL, NULL`; DataFusion needs distinct output names, so
///   repeated unaliased expressions get an alias. Clients still see Postgres' names:
///   `query.rs` names columns from the statement as written.
struct Projections;

impl VisitorMut for Projections {
    type Break = ();

    fn post_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
        for item in &mut select.projection {
            if let SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } = item
                && is_int4_literal(expr)
            {
                let literal = std::mem::replace(expr, Expr::value(null()));
                *expr = Expr::Cast {
                    kind: CastKind::DoubleColon,
                    expr: Box::new(literal),
                    data_type: DataType::Int(None),
                    array: false,
                    format: None,
                };
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for (idx, item) in select.projection.iter_mut().enumerate() {
            let SelectItem::UnnamedExpr(expr) = item else {
                continue;
            };
            if !seen.insert(expr.to_string()) {
                let expr = std::mem::replace(expr, Expr::value(null()));
                *item = SelectItem::ExprWithAlias {
                    expr,
                    alias: Ident::new(format!("column{}", idx + 1)),
                };
            }
        }
        ControlFlow::Continue(())
    }
}

/// The object-identifier types whose casts become lookups.
const REG_TYPES: [&str; 6] = [
    "regclass",
    "regtype",
    "regproc",
    "regprocedure",
    "regnamespace",
    "regrole",
];

/// Collations that mean byte order, which is how MindooDB compares text.
const BYTE_ORDER_COLLATIONS: [&str; 4] = ["default", "c", "posix", "ucs_basic"];

fn rewrite_expr(expr: &mut Expr, is_aggregate: &dyn Fn(&str) -> bool) -> Result<()> {
    match expr {
        Expr::Subquery(query) => {
            let wrapped = aggregate_scalar_subquery(query, is_aggregate);
            if let Some(condition) = correlation::simplify(query, wrapped) {
                let subquery = std::mem::replace(expr, Expr::value(null()));
                *expr = correlation::guarded(condition, subquery);
            }
        }
        Expr::Function(function) => {
            strip_pg_catalog(&mut function.name);
            if let Some(query) = array_subquery(function) {
                *expr = array_of(query)?;
            } else if let Some(aggregated) = json_agg::rewrite(function) {
                *expr = aggregated?;
            }
        }
        Expr::BinaryOp { op, .. } => {
            if let BinaryOperator::PGCustomBinaryOperator(parts) = op
                && let Some(plain) = qualified_operator(parts)
            {
                *op = plain;
            }
        }
        Expr::Collate {
            expr: inner,
            collation,
        } => {
            let name = collation
                .0
                .last()
                .and_then(ObjectNamePart::as_ident)
                .map(names::fold);
            if name.is_some_and(|n| BYTE_ORDER_COLLATIONS.contains(&n.as_str())) {
                let inner = std::mem::replace(inner.as_mut(), Expr::value(null()));
                *expr = inner;
            }
        }
        // `!!` is only tsquery negation since PostgreSQL 14 dropped prefix factorial.
        Expr::UnaryOp {
            op: UnaryOperator::PGPrefixFactorial,
            expr: inner,
        } => {
            let inner = std::mem::replace(inner.as_mut(), Expr::value(null()));
            *expr = call("tsquery_not", vec![inner]);
        }
        Expr::Cast {
            expr: inner,
            data_type,
            ..
        } => {
            normalize_type(data_type)?;
            if let Some(function) = reg_type(data_type) {
                let inner = std::mem::replace(inner.as_mut(), Expr::value(null()));
                *expr = call(function, vec![inner]);
            }
        }
        _ => {}
    }
    Ok(())
}

/// `1`, `-7`: integer literals Postgres types as `int4`.
fn is_int4_literal(expr: &Expr) -> bool {
    match expr {
        Expr::Value(value) => match &value.value {
            datafusion::sql::sqlparser::ast::Value::Number(digits, false) => {
                digits.parse::<i32>().is_ok()
            }
            _ => false,
        },
        Expr::UnaryOp {
            op: datafusion::sql::sqlparser::ast::UnaryOperator::Minus,
            expr,
        } => is_int4_literal(expr),
        _ => false,
    }
}

/// `(SELECT e FROM ...)` → `(SELECT scalar_subquery(e) FROM ...)` when the subquery is a
/// plain SELECT of one non-aggregate column (its ORDER BY cannot change a single value);
/// returns whether it did.
fn aggregate_scalar_subquery(query: &mut Query, is_aggregate: &dyn Fn(&str) -> bool) -> bool {
    if query.with.is_some() || query.limit_clause.is_some() || query.fetch.is_some() {
        return false;
    }
    let SetExpr::Select(select) = query.body.as_mut() else {
        return false;
    };
    let grouped = !matches!(&select.group_by, GroupByExpr::Expressions(exprs, _) if exprs.is_empty())
        || select.having.is_some()
        || select.distinct.is_some();
    let [SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }] =
        select.projection.as_mut_slice()
    else {
        return false;
    };
    if grouped || aggregates(value, is_aggregate) {
        return false;
    }
    let inner = std::mem::replace(value, Expr::value(null()));
    *value = call(scalar_subquery::NAME, vec![inner]);
    query.order_by = None;
    true
}

/// True when `expr` calls an aggregate or window function itself (not inside a subquery).
pub(crate) fn aggregates(expr: &Expr, is_aggregate: &dyn Fn(&str) -> bool) -> bool {
    let mut own = expr.clone();
    let _ = visit_expressions_mut(&mut own, |e| {
        let is_subquery = match e {
            Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. } => true,
            Expr::Function(f) => matches!(f.args, FunctionArguments::Subquery(_)),
            _ => false,
        };
        if is_subquery {
            *e = Expr::value(null());
        }
        ControlFlow::<()>::Continue(())
    });
    let flow = visit_expressions(&own, |inner| {
        if let Expr::Function(function) = inner {
            let name = function
                .name
                .0
                .last()
                .and_then(ObjectNamePart::as_ident)
                .map(names::fold);
            if function.over.is_some() || name.is_some_and(|n| is_aggregate(&n)) {
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    });
    flow.is_break()
}

fn null() -> datafusion::sql::sqlparser::ast::Value {
    datafusion::sql::sqlparser::ast::Value::Null
}

/// `pg_catalog.f` → `f`: DataFusion resolves only unqualified function names.
fn strip_pg_catalog(name: &mut ObjectName) {
    if let [schema, _] = name.0.as_slice()
        && schema
            .as_ident()
            .is_some_and(|i| names::is(i, "pg_catalog"))
    {
        name.0.remove(0);
    }
}

/// `OPERATOR(pg_catalog.~)` → `~`.
fn qualified_operator(parts: &[String]) -> Option<BinaryOperator> {
    let [schema, symbol] = parts else {
        return None;
    };
    if !schema.eq_ignore_ascii_case("pg_catalog") {
        return None;
    }
    Some(match symbol.as_str() {
        "~" => BinaryOperator::PGRegexMatch,
        "~*" => BinaryOperator::PGRegexIMatch,
        "!~" => BinaryOperator::PGRegexNotMatch,
        "!~*" => BinaryOperator::PGRegexNotIMatch,
        "~~" => BinaryOperator::PGLikeMatch,
        "!~~" => BinaryOperator::PGNotLikeMatch,
        "=" => BinaryOperator::Eq,
        "<>" | "!=" => BinaryOperator::NotEq,
        "<" => BinaryOperator::Lt,
        "<=" => BinaryOperator::LtEq,
        ">" => BinaryOperator::Gt,
        ">=" => BinaryOperator::GtEq,
        "||" => BinaryOperator::StringConcat,
        "+" => BinaryOperator::Plus,
        "-" => BinaryOperator::Minus,
        "*" => BinaryOperator::Multiply,
        "/" => BinaryOperator::Divide,
        _ => return None,
    })
}

/// `pg_catalog.text` → `text`, also inside arrays (`pg_catalog.int2[]`).
fn normalize_type(data_type: &mut DataType) -> Result<()> {
    match data_type {
        DataType::Custom(name, modifiers) if name.0.len() == 2 && modifiers.is_empty() => {
            strip_pg_catalog(name);
            if name.0.len() == 1 {
                let text = name.to_string();
                let parsed = Parser::new(&PgDialect::default())
                    .try_with_sql(&text)
                    .and_then(|mut parser| parser.parse_data_type())
                    .map_err(|e| Error::Syntax(e.to_string()))?;
                *data_type = parsed;
            }
        }
        DataType::Array(ArrayElemTypeDef::SquareBracket(inner, _))
        | DataType::Array(ArrayElemTypeDef::AngleBracket(inner))
        | DataType::Array(ArrayElemTypeDef::Parenthesis(inner)) => normalize_type(inner)?,
        _ => {}
    }
    Ok(())
}

/// The lookup function a cast to an object-identifier type becomes.
fn reg_type(data_type: &DataType) -> Option<&'static str> {
    if matches!(data_type, DataType::Regclass) {
        return Some("regclass");
    }
    let DataType::Custom(name, modifiers) = data_type else {
        return None;
    };
    let [part] = name.0.as_slice() else {
        return None;
    };
    let ident = part.as_ident()?;
    if !modifiers.is_empty() {
        return None;
    }
    REG_TYPES.iter().copied().find(|t| names::is(ident, t))
}

/// `ARRAY(SELECT ...)`: the subquery of an `array` call.
fn array_subquery(function: &mut Function) -> Option<Box<Query>> {
    let is_array = matches!(function.name.0.as_slice(), [part]
        if part.as_ident().is_some_and(|i| i.quote_style.is_none() && names::is(i, "array")));
    if !is_array {
        return None;
    }
    match std::mem::replace(&mut function.args, FunctionArguments::None) {
        FunctionArguments::Subquery(query) => Some(query),
        other => {
            function.args = other;
            None
        }
    }
}

/// `ARRAY(SELECT e FROM ... ORDER BY o)` → `coalesce((SELECT array_agg(e ORDER BY o) FROM
/// ...), make_array())`: the subquery's values as an array, empty (not NULL) when it returns
/// no rows. Only a plain one-column SELECT folds this way (correlated references must stay
/// in the subquery's own FROM scope); anything else is refused.
fn array_of(mut query: Box<Query>) -> Result<Expr> {
    let order_by = match query.order_by.take() {
        None => Vec::new(),
        Some(OrderBy {
            kind: OrderByKind::Expressions(exprs),
            ..
        }) => exprs,
        Some(_) => return Err(array_unsupported()),
    };
    let plain = query.with.is_none() && query.limit_clause.is_none() && query.fetch.is_none();
    let SetExpr::Select(select) = query.body.as_mut() else {
        return Err(array_unsupported());
    };
    let no_grouping = matches!(&select.group_by, GroupByExpr::Expressions(exprs, _) if exprs.is_empty())
        && select.having.is_none()
        && select.distinct.is_none();
    let element = match select.projection.as_mut_slice() {
        [SelectItem::UnnamedExpr(expr)] | [SelectItem::ExprWithAlias { expr, .. }]
            if plain && no_grouping =>
        {
            std::mem::replace(expr, Expr::value(null()))
        }
        _ => return Err(array_unsupported()),
    };
    // `ORDER BY 1` names the one output column, which is now the aggregate's argument.
    let order_by = order_by
        .into_iter()
        .map(|mut item| {
            if matches!(&item.expr, Expr::Value(v) if v.value.to_string() == "1") {
                item.expr = element.clone();
            }
            item
        })
        .collect::<Vec<_>>();
    let mut aggregate = call("array_agg", vec![element]);
    if let Expr::Function(function) = &mut aggregate
        && let FunctionArguments::List(list) = &mut function.args
        && !order_by.is_empty()
    {
        list.clauses.push(FunctionArgumentClause::OrderBy(order_by));
    }
    select.projection = vec![SelectItem::UnnamedExpr(aggregate)];
    Ok(call(
        "coalesce",
        vec![Expr::Subquery(query), call("make_array", Vec::new())],
    ))
}

fn array_unsupported() -> Error {
    Error::FeatureNotSupported("ARRAY(subquery) over anything but a plain one-column SELECT".into())
}

/// `name(args...)`, unqualified.
pub(super) fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function(Function {
        name: ObjectName::from(vec![Ident::new(name)]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args
                .into_iter()
                .map(|arg| FunctionArg::Unnamed(FunctionArgExpr::Expr(arg)))
                .collect(),
            clauses: Vec::new(),
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sql: &str, expected: &str) {
        let mut statements = crate::engine::sql::parse::parse(sql).unwrap();
        let crate::engine::sql::own_syntax::Parsed::Sql(statement) = &mut statements[0] else {
            panic!("{sql} is no sqlparser statement");
        };
        rewrite(statement, &|name| matches!(name, "count" | "array_agg")).unwrap();
        assert_eq!(statement.to_string(), expected);
    }

    #[test]
    fn catalog_qualified_names_lose_their_schema() {
        check(
            "SELECT pg_catalog.format_type(a, b)::pg_catalog.text",
            "SELECT format_type(a, b)::TEXT",
        );
        check(
            "SELECT x FROM t WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default",
            "SELECT x FROM t WHERE c.relname ~ '^(t)$'",
        );
        check("SELECT a::pg_catalog.int2[]", "SELECT a::INT2[]");
    }

    #[test]
    fn reg_casts_become_lookups() {
        check(
            "SELECT c.oid::pg_catalog.regclass, 'jsonb'::regtype",
            "SELECT regclass(c.oid), regtype('jsonb')",
        );
    }

    #[test]
    fn array_subqueries_aggregate() {
        check(
            "SELECT ARRAY(SELECT rolname FROM r WHERE oid = 1 ORDER BY 1)",
            "SELECT coalesce((SELECT array_agg(rolname ORDER BY rolname) FROM r WHERE oid = 1), make_array())",
        );
        check(
            "SELECT ARRAY(SELECT b.rolname FROM r b)",
            "SELECT coalesce((SELECT array_agg(b.rolname) FROM r b), make_array())",
        );
    }

    #[test]
    fn plain_scalar_subqueries_are_aggregated() {
        check(
            "SELECT (SELECT d.x FROM d WHERE d.a = t.a ORDER BY 1) FROM t",
            "SELECT (SELECT scalar_subquery(d.x) FROM d WHERE d.a = t.a) FROM t",
        );
        check(
            "SELECT (SELECT count(*) FROM d), (SELECT x FROM d LIMIT 1)",
            "SELECT (SELECT count(*) FROM d), (SELECT x FROM d LIMIT 1)",
        );
    }

    #[test]
    fn correlated_conditions_are_reshaped() {
        check(
            "SELECT (SELECT d.x FROM d WHERE d.a = t.a AND t.flag) FROM t",
            "SELECT CASE WHEN t.flag THEN (SELECT scalar_subquery(d.x) FROM d WHERE d.a = t.a) END FROM t",
        );
        check(
            "SELECT (SELECT c.n FROM c, ty WHERE c.oid = a.coll AND ty.oid = a.typ AND a.coll <> ty.coll) FROM a",
            "SELECT (SELECT scalar_subquery(c.n) FROM c, ty WHERE c.oid = a.coll AND ty.oid = a.typ AND c.oid <> ty.coll) FROM a",
        );
        check(
            "SELECT (SELECT count(*) FROM d WHERE d.a = t.a AND t.flag) FROM t",
            "SELECT (SELECT count(*) FROM d WHERE d.a = t.a AND t.flag) FROM t",
        );
    }

    #[test]
    fn other_collations_are_left_alone() {
        check(
            "SELECT a FROM t ORDER BY a COLLATE \"de_DE\"",
            "SELECT a FROM t ORDER BY a COLLATE \"de_DE\"",
        );
    }
}
