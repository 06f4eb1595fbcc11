//! Reading `jsonb`: the operators `-> ->> #> #>> ? ?| ?& @> <@`, subscript reads, and the
//! functions that take a value apart (`jsonb_array_length`, `jsonb_array_elements(_text)`,
//! `jsonb_each(_text)`, `jsonb_object_keys`, `jsonb_typeof`).
//!
//! Invariants:
//! - NULL results (missing key, index out of range, wrong container, JSON null under a `>>`
//!   operator) are `None`, exactly where PostgreSQL returns SQL NULL.
//! - Text results are PostgreSQL's `JsonbValueAsText`: strings unquoted, JSON null is NULL,
//!   containers in `jsonb_out` form.

use super::value::Jsonb;
use crate::strtol::strtoint;
use crate::{Condition, Error, Result};

/// `value -> key`.
pub fn field<'a>(value: &'a Jsonb, key: &str) -> Option<&'a Jsonb> {
    match value {
        Jsonb::Object(obj) => obj.get(key),
        _ => None,
    }
}

/// `value ->> key`.
pub fn field_text(value: &Jsonb, key: &str) -> Option<String> {
    field(value, key).and_then(as_text)
}

/// `value -> index` (negative counts from the end). A top-level scalar is PostgreSQL's
/// one-element raw scalar array here, so index 0 (or -1) finds the scalar itself.
pub fn element(value: &Jsonb, index: i32) -> Option<&Jsonb> {
    let items = match value {
        Jsonb::Array(items) => items.as_slice(),
        Jsonb::Object(_) => return None,
        scalar => std::slice::from_ref(scalar),
    };
    let idx = if index < 0 {
        items.len() as i64 + i64::from(index)
    } else {
        i64::from(index)
    };
    usize::try_from(idx).ok().and_then(|i| items.get(i))
}

/// `value ->> index`.
pub fn element_text(value: &Jsonb, index: i32) -> Option<String> {
    element(value, index).and_then(as_text)
}

/// `value #> path` (also `jsonb_extract_path` and subscript reads, whose integer subscripts
/// arrive as their text): `None` for a NULL path element or a step that finds nothing.
pub fn path<'a>(value: &'a Jsonb, path: &[Option<&str>]) -> Option<&'a Jsonb> {
    let mut current = value;
    for step in path {
        let step = (*step)?;
        current = match current {
            Jsonb::Object(obj) => obj.get(step)?,
            Jsonb::Array(items) => {
                let index = strtoint(step)?;
                let idx = if index < 0 {
                    items.len() as i64 + i64::from(index)
                } else {
                    i64::from(index)
                };
                items.get(usize::try_from(idx).ok()?)?
            }
            _ => return None,
        };
    }
    Some(current)
}

/// `value #>> path` (also `jsonb_extract_path_text`).
pub fn path_text(value: &Jsonb, steps: &[Option<&str>]) -> Option<String> {
    path(value, steps).and_then(as_text)
}

/// PostgreSQL's `JsonbValueAsText`: a string's contents, a scalar's text, a container's
/// `jsonb_out`; `None` for JSON null.
pub fn as_text(value: &Jsonb) -> Option<String> {
    match value {
        Jsonb::Null => None,
        Jsonb::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// `value ? key`: an object key or a string array element at the top level.
pub fn exists(value: &Jsonb, key: &str) -> bool {
    match value {
        Jsonb::Object(obj) => obj.get(key).is_some(),
        Jsonb::Array(items) => items
            .iter()
            .any(|item| matches!(item, Jsonb::String(s) if s == key)),
        Jsonb::String(s) => s == key,
        _ => false,
    }
}

/// `value ?| keys`: any non-NULL key exists.
pub fn exists_any(value: &Jsonb, keys: &[Option<&str>]) -> bool {
    keys.iter().flatten().any(|key| exists(value, key))
}

/// `value ?& keys`: every non-NULL key exists.
pub fn exists_all(value: &Jsonb, keys: &[Option<&str>]) -> bool {
    keys.iter().flatten().all(|key| exists(value, key))
}

/// `value @> other`: PostgreSQL's `JsonbDeepContains` at the top level.
pub fn contains(value: &Jsonb, other: &Jsonb) -> bool {
    match (value, other) {
        (Jsonb::Object(_), Jsonb::Object(_)) => deep_contains(value, other),
        (Jsonb::Object(_), _) | (_, Jsonb::Object(_)) => false,
        // A raw scalar contains only a raw scalar; an array may contain a raw scalar.
        (Jsonb::Array(items), scalar) if scalar.is_scalar() => {
            items.iter().any(|item| scalar_eq(item, scalar))
        }
        (Jsonb::Array(_), Jsonb::Array(_)) => deep_contains(value, other),
        (scalar, Jsonb::Array(_)) if scalar.is_scalar() => false,
        (a, b) => scalar_eq(a, b),
    }
}

fn scalar_eq(a: &Jsonb, b: &Jsonb) -> bool {
    a.is_scalar() && b.is_scalar() && a == b
}

/// Containment of two nested values of the same position.
fn deep_contains(value: &Jsonb, other: &Jsonb) -> bool {
    match (value, other) {
        (Jsonb::Object(have), Jsonb::Object(want)) => {
            have.len() >= want.len()
                && want.iter().all(|(key, want_value)| match have.get(key) {
                    None => false,
                    Some(have_value) => match (have_value.is_scalar(), want_value.is_scalar()) {
                        (true, true) => have_value == want_value,
                        (false, false) => deep_contains(have_value, want_value),
                        _ => false,
                    },
                })
        }
        (Jsonb::Array(have), Jsonb::Array(want)) => want.iter().all(|want_item| {
            if want_item.is_scalar() {
                have.iter().any(|h| h.is_scalar() && h == want_item)
            } else {
                have.iter()
                    .any(|h| !h.is_scalar() && deep_contains(h, want_item))
            }
        }),
        _ => false,
    }
}

/// `jsonb_array_length`.
pub fn array_length(value: &Jsonb) -> Result<i32> {
    match value {
        Jsonb::Array(items) => Ok(items.len() as i32),
        Jsonb::Object(_) => Err(invalid("cannot get array length of a non-array")),
        _ => Err(invalid("cannot get array length of a scalar")),
    }
}

/// `jsonb_array_elements`.
pub fn array_elements(value: &Jsonb) -> Result<&[Jsonb]> {
    match value {
        Jsonb::Array(items) => Ok(items),
        Jsonb::Object(_) => Err(invalid("cannot extract elements from an object")),
        _ => Err(invalid("cannot extract elements from a scalar")),
    }
}

/// `jsonb_array_elements_text`.
pub fn array_elements_text(value: &Jsonb) -> Result<Vec<Option<String>>> {
    Ok(array_elements(value)?.iter().map(as_text).collect())
}

/// `jsonb_each` (`text = false`) and `jsonb_each_text` (`text = true`) check.
fn object_pairs<'a>(value: &'a Jsonb, function: &str) -> Result<&'a super::Object> {
    match value {
        Jsonb::Object(obj) => Ok(obj),
        _ => Err(invalid(format!("cannot call {function} on a non-object"))),
    }
}

/// `jsonb_each`: the pairs in PostgreSQL's key order.
pub fn each(value: &Jsonb) -> Result<Vec<(&str, &Jsonb)>> {
    Ok(object_pairs(value, "jsonb_each")?.iter().collect())
}

/// `jsonb_each_text`.
pub fn each_text(value: &Jsonb) -> Result<Vec<(&str, Option<String>)>> {
    Ok(object_pairs(value, "jsonb_each_text")?
        .iter()
        .map(|(k, v)| (k, as_text(v)))
        .collect())
}

/// `jsonb_object_keys`.
pub fn object_keys(value: &Jsonb) -> Result<Vec<&str>> {
    match value {
        Jsonb::Object(obj) => Ok(obj.iter().map(|(k, _)| k).collect()),
        Jsonb::Array(_) => Err(invalid("cannot call jsonb_object_keys on an array")),
        _ => Err(invalid("cannot call jsonb_object_keys on a scalar")),
    }
}

pub(crate) fn invalid(message: impl Into<String>) -> Error {
    Error::new(Condition::InvalidParameterValue, message)
}
