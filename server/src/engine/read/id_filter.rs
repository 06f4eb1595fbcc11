//! The one definition of "`id` equals a constant": in a planned predicate (the scan's pushdown
//! and the point read) and in a parsed WHERE clause (the direct UPDATE/DELETE path).
//!
//! Invariants:
//! - Only `=` with the id column on either side and a value on the other matches; anything
//!   else (other operators, other columns, expressions of id) is left to the general path.
//! - A literal matches only when it is text that is a valid document id: NULL, other types
//!   and invalid ids match nothing here, so the general path compares them as SQL does.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Column, ScalarValue};
use datafusion::logical_expr::expr::Placeholder;
use datafusion::logical_expr::{BinaryExpr, Expr, Operator};
use datafusion::sql::sqlparser::ast::{self, BinaryOperator};
use mindoodb_protocol::DocId;

use crate::catalog::names;

/// What `id` is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IdValue {
    Literal(DocId),
    /// The index of a text parameter (`$1` is 0).
    Param(usize),
}

/// `id = <text literal or $n>` in a planned predicate; `is_id` tells the id column.
pub(crate) fn planned(expr: &Expr, is_id: impl Fn(&Column) -> bool) -> Option<IdValue> {
    let Expr::BinaryExpr(BinaryExpr {
        left,
        op: Operator::Eq,
        right,
    }) = expr
    else {
        return None;
    };
    let is_id_expr = |e: &Expr| matches!(e, Expr::Column(c) if is_id(c));
    either_way(&**left, &**right, is_id_expr, |value| match value {
        Expr::Literal(literal, _) => doc_id_literal(literal).map(IdValue::Literal),
        Expr::Placeholder(Placeholder {
            id,
            field: Some(field),
        }) if matches!(
            field.data_type(),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
        ) =>
        {
            let n: usize = id.strip_prefix('$')?.parse().ok()?;
            Some(IdValue::Param(n.checked_sub(1)?))
        }
        _ => None,
    })
}

/// `id = <constant>` in a parsed WHERE clause, where `constant` reads the value side.
pub(crate) fn parsed<T>(
    selection: &ast::Expr,
    constant: impl Fn(&ast::Expr) -> Option<T>,
) -> Option<T> {
    let ast::Expr::BinaryOp {
        left,
        op: BinaryOperator::Eq,
        right,
    } = selection
    else {
        return None;
    };
    let is_id = |e: &ast::Expr| matches!(e, ast::Expr::Identifier(ident) if names::is(ident, "id"));
    either_way(&**left, &**right, is_id, constant)
}

/// The document id a text literal names; `None` for NULL, other types and invalid ids.
pub(crate) fn doc_id_literal(literal: &ScalarValue) -> Option<DocId> {
    match literal {
        ScalarValue::Utf8(Some(s))
        | ScalarValue::LargeUtf8(Some(s))
        | ScalarValue::Utf8View(Some(s)) => DocId::new(s.clone()).ok(),
        _ => None,
    }
}

/// `value(other side)` when one side of an equality is the id column.
fn either_way<E: ?Sized, T>(
    left: &E,
    right: &E,
    is_id: impl Fn(&E) -> bool,
    value: impl Fn(&E) -> Option<T>,
) -> Option<T> {
    if is_id(left) {
        value(right)
    } else if is_id(right) {
        value(left)
    } else {
        None
    }
}
