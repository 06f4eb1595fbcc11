//! Literals of our own statements' options and arguments as text: `SET x = 'a'`,
//! `WITH (key = 'hr')`, the arguments of `mindoo.*` key functions.
//!
//! Invariants:
//! - A string literal gives its content; anything else gives its SQL text as written.

use datafusion::sql::sqlparser::ast::{Expr, Value as SqlValue};

/// A SET value, option value or argument as text.
pub(crate) fn value_text(expr: &Expr) -> String {
    match expr {
        Expr::Value(v) => match &v.value {
            SqlValue::SingleQuotedString(s) | SqlValue::DoubleQuotedString(s) => s.clone(),
            other => other.to_string(),
        },
        Expr::Identifier(ident) => ident.value.clone(),
        other => other.to_string(),
    }
}
