//! The `jsonb` value: PostgreSQL's decomposed JSON, numbers as `numeric`, objects with sorted
//! unique keys.
//!
//! Invariants:
//! - An `Object`'s keys are unique and sorted by length, then bytes (PostgreSQL's storage
//!   order); building one from pairs keeps the last value of a repeated key.
//! - A top-level scalar is PostgreSQL's "raw scalar"; its comparison rules live in `cmp`.
//! - No string holds U+0000 (PostgreSQL's text cannot).

use std::cmp::Ordering;

use crate::Numeric;

/// A `jsonb` value.
#[derive(Clone, Debug)]
pub enum Jsonb {
    /// JSON `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as `numeric` (never NaN or infinite when it comes from JSON text).
    Number(Numeric),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Jsonb>),
    /// An object.
    Object(Object),
}

/// A jsonb object: pairs in PostgreSQL's key order, keys unique.
#[derive(Clone, Debug, Default)]
pub struct Object {
    pairs: Vec<(String, Jsonb)>, // Invariant: sorted by `key_order`, no two keys equal.
}

/// PostgreSQL's `lengthCompareJsonbStringValue`: shorter keys first, then bytewise.
pub fn key_order(a: &str, b: &str) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

impl Object {
    /// An empty object.
    pub fn new() -> Object {
        Object { pairs: Vec::new() }
    }

    /// The object of `pairs`; a key given twice keeps its last value.
    pub fn from_pairs(mut pairs: Vec<(String, Jsonb)>) -> Object {
        if pairs.len() > 1 {
            // Stable sort keeps equal keys in input order; `dedup_by` keeps the first of a run,
            // so each removed later duplicate hands its value to the kept slot: the last wins.
            pairs.sort_by(|a, b| key_order(&a.0, &b.0));
            pairs.dedup_by(|later, kept| {
                if later.0 == kept.0 {
                    std::mem::swap(&mut later.1, &mut kept.1);
                    true
                } else {
                    false
                }
            });
        }
        Object { pairs }
    }

    /// The number of pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The pairs in PostgreSQL's order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Jsonb)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The pairs, owned, in PostgreSQL's order.
    pub fn into_pairs(self) -> Vec<(String, Jsonb)> {
        self.pairs
    }

    fn find(&self, key: &str) -> std::result::Result<usize, usize> {
        self.pairs.binary_search_by(|(k, _)| key_order(k, key))
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Jsonb> {
        self.find(key).ok().map(|idx| &self.pairs[idx].1)
    }

    /// The value of `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Jsonb> {
        self.find(key).ok().map(move |idx| &mut self.pairs[idx].1)
    }

    /// Sets `key` to `value`, replacing any value it had.
    pub fn insert(&mut self, key: String, value: Jsonb) {
        match self.find(&key) {
            Ok(idx) => self.pairs[idx].1 = value,
            Err(idx) => self.pairs.insert(idx, (key, value)),
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Jsonb> {
        self.find(key).ok().map(|idx| self.pairs.remove(idx).1)
    }

    /// Keeps the pairs `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut Jsonb) -> bool) {
        self.pairs.retain_mut(|(k, v)| keep(k, v));
    }
}

impl Jsonb {
    /// PostgreSQL's `jsonb_typeof`: object, array, string, number, boolean or null.
    pub fn type_name(&self) -> &'static str {
        match self {
            Jsonb::Null => "null",
            Jsonb::Bool(_) => "boolean",
            Jsonb::Number(_) => "number",
            Jsonb::String(_) => "string",
            Jsonb::Array(_) => "array",
            Jsonb::Object(_) => "object",
        }
    }

    /// Whether this is a scalar (not an array or object).
    pub fn is_scalar(&self) -> bool {
        !matches!(self, Jsonb::Array(_) | Jsonb::Object(_))
    }

    /// The nesting depth: 0 for a scalar, 1 for a flat array or object.
    pub fn depth(&self) -> usize {
        match self {
            Jsonb::Array(items) => 1 + items.iter().map(Jsonb::depth).max().unwrap_or(0),
            Jsonb::Object(obj) => 1 + obj.iter().map(|(_, v)| v.depth()).max().unwrap_or(0),
            _ => 0,
        }
    }
}
