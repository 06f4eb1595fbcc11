//! `jsonb` equality, btree order and hashing, as PostgreSQL 15's `compareJsonbContainers`.
//!
//! Invariants:
//! - Nested values order by type first: null < string < number < boolean < array < object
//!   (PostgreSQL's `jbv*` codes); arrays and objects compare their sizes before their
//!   contents; objects walk pairs in storage order, keys compared bytewise (the C collation).
//! - A top-level scalar is a one-element "raw scalar" array: below a real one-element array,
//!   below or above other arrays by element count, below every object.
//! - `a == b` exactly when the order says equal, and equal values hash alike (numbers hash by
//!   value, not scale).

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use super::value::Jsonb;

impl Ord for Jsonb {
    fn cmp(&self, other: &Jsonb) -> Ordering {
        match (self.is_scalar(), other.is_scalar()) {
            (true, true) => cmp_nested(self, other),
            (true, false) => raw_scalar_vs_container(other).reverse(),
            (false, true) => raw_scalar_vs_container(self),
            (false, false) => cmp_nested(self, other),
        }
    }
}

impl PartialOrd for Jsonb {
    fn partial_cmp(&self, other: &Jsonb) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Jsonb {
    fn eq(&self, other: &Jsonb) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Jsonb {}

/// How a top-level container compares with a raw scalar (container on the left).
fn raw_scalar_vs_container(container: &Jsonb) -> Ordering {
    match container {
        // The raw scalar loses the rawScalar tie-break, but a size difference overrides it.
        Jsonb::Array(items) => match items.len().cmp(&1) {
            Ordering::Equal => Ordering::Greater,
            other => other,
        },
        _ => Ordering::Greater,
    }
}

/// PostgreSQL's `jbv*` type codes, the cross-type order.
fn type_rank(value: &Jsonb) -> u8 {
    match value {
        Jsonb::Null => 0,
        Jsonb::String(_) => 1,
        Jsonb::Number(_) => 2,
        Jsonb::Bool(_) => 3,
        Jsonb::Array(_) => 0x10,
        Jsonb::Object(_) => 0x11,
    }
}

fn cmp_nested(a: &Jsonb, b: &Jsonb) -> Ordering {
    match (a, b) {
        (Jsonb::Null, Jsonb::Null) => Ordering::Equal,
        (Jsonb::String(x), Jsonb::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Jsonb::Number(x), Jsonb::Number(y)) => x.cmp(y),
        (Jsonb::Bool(x), Jsonb::Bool(y)) => x.cmp(y),
        (Jsonb::Array(x), Jsonb::Array(y)) => x.len().cmp(&y.len()).then_with(|| {
            x.iter()
                .zip(y)
                .map(|(p, q)| cmp_nested(p, q))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        }),
        (Jsonb::Object(x), Jsonb::Object(y)) => x.len().cmp(&y.len()).then_with(|| {
            x.iter()
                .zip(y.iter())
                .map(|((ka, va), (kb, vb))| {
                    ka.as_bytes()
                        .cmp(kb.as_bytes())
                        .then_with(|| cmp_nested(va, vb))
                })
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        }),
        _ => type_rank(a).cmp(&type_rank(b)),
    }
}

impl Hash for Jsonb {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u8(type_rank(self));
        match self {
            Jsonb::Null => {}
            Jsonb::Bool(b) => state.write_u8(u8::from(*b)),
            Jsonb::Number(n) => n.hash(state),
            Jsonb::String(s) => s.hash(state),
            Jsonb::Array(items) => {
                state.write_usize(items.len());
                for item in items {
                    item.hash(state);
                }
            }
            Jsonb::Object(obj) => {
                state.write_usize(obj.len());
                for (key, value) in obj.iter() {
                    key.hash(state);
                    value.hash(state);
                }
            }
        }
    }
}
