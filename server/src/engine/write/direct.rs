//! Writes that need no query plan: the rows of an `INSERT ... VALUES` made of string constants
//! (what a bound `INSERT` and a multi-row `INSERT` send), and the one
//! document an `UPDATE`/`DELETE ... WHERE id = '<constant>'` names. Planning such a statement
//! through DataFusion cost more than sealing the document it writes (docs/BENCHMARKS.md).
//!
//! Invariants:
//! - A shortcut answers exactly what the DataFusion path answers, or declines (`None`) and
//!   leaves the statement to it: only string constants and NULL, optionally cast to `text`,
//!   `json` or `jsonb` (casts that leave a string as it is), are taken as values.
//! - The id is matched by `read/id_filter.rs`, as the planned path pushes it down, and the
//!   document is read the way a table scan reads it (`read/visible.rs`): the session's
//!   pending write first, else the store; a deleted document, or one under a key the session
//!   does not hold, is no row.

use datafusion::sql::sqlparser::ast::{
    CastKind, DataType, Expr, Query, SetExpr, Value as SqlValue,
};
use mindoodb_protocol::DocId;
use mindoodb_storage::Table;

use crate::engine::read::id_filter;
use crate::engine::read::row::{Projection, Row};
use crate::engine::read::visible::visible_row;
use crate::engine::session::Session;
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
    id_filter::parsed(selection, |value| constant_text(value).flatten())
}

/// The row a table scan of this session would show for `id`, if any.
pub(crate) fn doc_row(session: &Session, table: Table, id: &str) -> Result<Option<Row>> {
    // An id no document can have matches nothing, as the scan's comparison would.
    let Ok(doc_id) = DocId::new(id.to_owned()) else {
        return Ok(None);
    };
    visible_row(
        session.store(),
        session.state(),
        table,
        &doc_id,
        &Projection::all(),
    )
}
