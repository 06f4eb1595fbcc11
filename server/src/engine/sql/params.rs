//! `$n` parameters in statements our own code runs (everything but queries, which DataFusion
//! binds in their plans): how many a statement has, and binding values as literals.
//!
//! Invariants:
//! - Binding replaces every `$n` with the literal of value n, or fails with 22023 when no value
//!   was bound for it; nothing else in the statement changes.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, Value as SqlValue, Visit, VisitMut, visit_expressions, visit_expressions_mut,
};

use crate::error::{Error, Result};
use crate::output::Value;

/// The highest `$n` in `node`.
pub(crate) fn count(node: &impl Visit) -> usize {
    let mut max = 0;
    let _ = visit_expressions(node, |expr| {
        if let Some(n) = placeholder(expr) {
            max = max.max(n);
        }
        ControlFlow::<()>::Continue(())
    });
    max
}

/// Replaces `$n` placeholders in `node` with the literals of `params`.
pub(crate) fn bind(node: &mut impl VisitMut, params: &[Value]) -> Result<()> {
    let flow = visit_expressions_mut(node, |expr| {
        let Expr::Value(value) = expr else {
            return ControlFlow::Continue(());
        };
        let SqlValue::Placeholder(name) = &value.value else {
            return ControlFlow::Continue(());
        };
        let literal = name
            .strip_prefix('$')
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| params.get(n.checked_sub(1)?));
        match literal {
            Some(param) => {
                *expr = Expr::value(literal_of(param));
                ControlFlow::Continue(())
            }
            None => ControlFlow::Break(Error::InvalidParameter(format!(
                "no value bound for {name}"
            ))),
        }
    });
    match flow {
        ControlFlow::Break(err) => Err(err),
        ControlFlow::Continue(()) => Ok(()),
    }
}

/// The number of a bare `$n` (in parentheses or not).
pub(crate) fn placeholder(expr: &Expr) -> Option<usize> {
    match expr {
        Expr::Value(value) => match &value.value {
            SqlValue::Placeholder(name) => name.strip_prefix('$')?.parse().ok(),
            _ => None,
        },
        Expr::Nested(inner) => placeholder(inner),
        _ => None,
    }
}

fn literal_of(value: &Value) -> SqlValue {
    match value {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Boolean(*b),
        Value::Int(i) => SqlValue::Number(i.to_string(), false),
        Value::Float(f) => SqlValue::Number(f.to_string(), false),
        Value::Text(s) | Value::Jsonb(s) => SqlValue::SingleQuotedString(s.clone()),
        Value::Bytea(bytes) => {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            SqlValue::SingleQuotedString(format!("\\x{hex}"))
        }
        Value::Timestamptz(us) => SqlValue::SingleQuotedString(
            chrono::DateTime::from_timestamp_micros(*us)
                .map(|t| t.to_rfc3339())
                .unwrap_or_default(),
        ),
    }
}
