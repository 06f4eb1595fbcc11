//! Writes that need no query plan: the rows of an `INSERT ... VALUES` made of string constants
//! (what a bound `INSERT`, a multi-row `INSERT` and `COPY FROM STDIN` send), and the one
//! document an `UPDATE`/`DELETE ... WHERE id = '<constant>'` names. Planning such a statement
//! through DataFusion cost more than sealing the document it writes (docs/BENCHMARKS.md).
//!
//! Invariants:
//! - A shortcut answers exactly what the DataFusion path answers, or declines (`None`) and
//!   leaves the statement to it: only string constants and NULL, optionally cast to `text`,
//!   `json` or `jsonb` (casts that leave a string as it is), are taken as values.
//! - The document an id names is read the way a table scan reads it (`provider::visible_row`,
//!   shared with the point-read fast path): the session's pending write first, else the store;
//!   a deleted document, or one under a key the session does not hold, is no row.

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, Query, SetExpr, Value as SqlValue,
};
use mindoodb_protocol::DocId;
use mindoodb_storage::Table;

use super::provider::visible_row;
use super::row::{Projection, Row};
use super::session::Session;
use crate::error::Result;

/// The text of a constant: `Some(Some(text))`, `Some(None)` for NULL, `None` for anything
/// that is not a constant string (left to DataFusion).
pub(crate) fn constant_text(expr: &Expr) -> Option<Option<String>> {
    match expr {
        Expr::Value(value) => match &value.value {
            SqlValue::SingleQuotedString(text) => Some(Some(text.clone())),
            SqlValue::Null => Some(None),
            _ => None,
        },
        Expr::Cast {
            kind: CastKind::Cast | CastKind::DoubleColon,
            expr,
            data_type: DataType::Text | DataType::JSON | DataType::JSONB,
            array: false,
            format: None,
        } => constant_text(expr),
        _ => None,
    }
}

/// The rows of `VALUES` whose every cell is a constant, each of `width` cells.
pub(crate) fn values_rows(source: &Query, width: usize) -> Option<Vec<Vec<Option<String>>>> {
    let plain = source.with.is_none()
        && source.order_by.is_none()
        && source.limit_clause.is_none()
        && source.fetch.is_none()
        && source.locks.is_empty()
        && source.for_clause.is_none()
        && source.settings.is_none()
        && source.format_clause.is_none()
        && source.pipe_operators.is_empty();
    let SetExpr::Values(values) = source.body.as_ref() else {
        return None;
    };
    if !plain || values.explicit_row {
        return None;
    }
    values
        .rows
        .iter()
        .map(|row| {
            if row.content.len() != width {
                return None;
            }
            row.content.iter().map(constant_text).collect()
        })
        .collect()
}

/// The id a `WHERE id = '<constant>'` (either way round) names.
pub(crate) fn id_equals(selection: &Expr) -> Option<String> {
    let Expr::BinaryOp {
        left,
        op: BinaryOperator::Eq,
        right,
    } = selection
    else {
        return None;
    };
    let is_id = |expr: &Expr| match expr {
        Expr::Identifier(ident) => match ident.quote_style {
            None => ident.value.eq_ignore_ascii_case("id"),
            Some(_) => ident.value == "id",
        },
        _ => false,
    };
    let constant = if is_id(left) {
        right
    } else if is_id(right) {
        left
    } else {
        return None;
    };
    constant_text(constant)?
}

/// The row a table scan of this session would show for `id`, if any.
pub(crate) fn doc_row(session: &Session, table: Table, id: &str) -> Result<Option<Row>> {
    // An id no document can have matches nothing, as the scan's comparison would.
    let Ok(doc_id) = DocId::new(id.to_owned()) else {
        return Ok(None);
    };
    visible_row(
        session.engine.store(),
        &session.state,
        table,
        &doc_id,
        &Projection::all(),
    )
}
