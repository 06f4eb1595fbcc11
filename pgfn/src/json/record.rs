//! `json_populate_record(set)` and `json_to_record(set)`: the jsonb engine (`jsonb::record`)
//! over json text, where values keep their text (`1.0` stays `1.0`, strings are de-escaped).
//!
//! Invariants:
//! - A repeated key's last value wins, as PostgreSQL's per-object hash table does.
//! - A json column gets the value's own text, a string re-quoted from its decoded value.

use super::access::{TopErrors, check_top};
use super::tree::{Node, ScalarKind, build};
use crate::jsonb::record::{Source, composite, records};
use crate::jsonb::{FieldType, Jsonb, ScalarInput, escape_json};
use crate::sql::SqlValue;
use crate::{Condition, Error, Result};

impl Source for Node<'_> {
    fn is_null(&self) -> bool {
        Node::is_null(self)
    }
    fn is_string(&self) -> bool {
        matches!(
            self,
            Node::Scalar {
                kind: ScalarKind::String,
                ..
            }
        )
    }
    fn is_object(&self) -> bool {
        matches!(self, Node::Object { .. })
    }
    fn is_array(&self) -> bool {
        matches!(self, Node::Array { .. })
    }
    fn get(&self, key: &str) -> Option<&Self> {
        match self {
            Node::Object { fields, .. } => {
                fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
            }
            _ => None,
        }
    }
    fn is_empty_object(&self) -> bool {
        matches!(self, Node::Object { fields, .. } if fields.is_empty())
    }
    fn items(&self) -> &[Self] {
        match self {
            Node::Array { items, .. } => items,
            _ => &[],
        }
    }
    fn json_text(&self) -> String {
        match self {
            Node::Scalar {
                kind: ScalarKind::String,
                value,
                ..
            } => {
                let mut out = String::new();
                escape_json(&mut out, value);
                out
            }
            other => other.raw().to_string(),
        }
    }
    fn jsonb(&self) -> Result<Jsonb> {
        crate::jsonb::parse(&self.json_text())
    }
    fn input_text(&self) -> String {
        match self {
            Node::Scalar {
                kind: ScalarKind::String,
                value,
                ..
            } => value.to_string(),
            other => other.raw().to_string(),
        }
    }
}

/// `json_populate_record(base, from)` and `json_to_record(from)`.
pub fn populate_record(
    from: &str,
    columns: &[(String, FieldType)],
    base: Option<&[SqlValue]>,
    input: &mut ScalarInput<'_>,
) -> Result<Vec<SqlValue>> {
    let invalid = |m: &str| Error::new(Condition::InvalidParameterValue, m.to_string());
    let errors = TopErrors {
        object: None,
        array: Some(invalid("cannot call populate_composite on an array")),
        scalar: Some(invalid("cannot call populate_composite on a scalar")),
    };
    check_top(from, true, errors)?;
    let node = build(from, true)?;
    composite(&node, columns, base, input)
}

/// `json_populate_recordset(base, from)` and `json_to_recordset(from)` (`to_recordset`
/// picks the function name errors mention).
pub fn populate_recordset(
    from: &str,
    columns: &[(String, FieldType)],
    base: Option<&[SqlValue]>,
    to_recordset: bool,
    input: &mut ScalarInput<'_>,
) -> Result<Vec<Vec<SqlValue>>> {
    let function = if to_recordset {
        "json_to_recordset"
    } else {
        "json_populate_recordset"
    };
    let invalid = |m: String| Error::new(Condition::InvalidParameterValue, m);
    let errors = TopErrors {
        object: Some(invalid(format!("cannot call {function} on an object"))),
        array: None,
        scalar: Some(invalid(format!("cannot call {function} on a scalar"))),
    };
    check_top(from, true, errors)?;
    let node = build(from, true)?;
    match &node {
        Node::Array { items, .. } => records(items, columns, base, function, input),
        Node::Object { .. } => Err(Error::new(
            Condition::InvalidParameterValue,
            format!("cannot call {function} on an object"),
        )),
        _ => Err(Error::new(
            Condition::InvalidParameterValue,
            format!("cannot call {function} on a scalar"),
        )),
    }
}
