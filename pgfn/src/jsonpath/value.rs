//! The items a jsonpath evaluation passes around: values inside the document or the vars,
//! values built during evaluation (numbers, strings, `.keyvalue()` objects), and the byte
//! offsets PostgreSQL's `.keyvalue()` turns into object ids.
//!
//! Invariants:
//! - A `Val::Doc` borrows from the document or the vars; a `Val::Gen` is a path into an object
//!   built by `.keyvalue()`, kept alive by its `Rc`; a `Val::Own` is a computed scalar.
//! - `offset_in` answers where PostgreSQL's binary jsonb would place a container inside its
//!   base object: headers, JEntries, keys, values, 4-byte alignment, numeric datum sizes.

use std::rc::Rc;

use crate::jsonb::Jsonb;

/// One item of a jsonpath sequence.
#[derive(Clone, Debug)]
pub(crate) enum Val<'a> {
    Doc(&'a Jsonb),
    Gen(Rc<Jsonb>, Rc<[usize]>),
    Own(Rc<Jsonb>),
}

impl<'a> Val<'a> {
    pub(crate) fn own(value: Jsonb) -> Val<'a> {
        Val::Own(Rc::new(value))
    }

    /// The value itself.
    pub(crate) fn get(&self) -> &Jsonb {
        match self {
            Val::Doc(v) => v,
            Val::Own(v) => v,
            Val::Gen(root, path) => {
                let mut current: &Jsonb = root;
                for idx in path.iter() {
                    current = match current {
                        Jsonb::Array(items) => &items[*idx],
                        Jsonb::Object(obj) => {
                            obj.iter().nth(*idx).map(|(_, v)| v).unwrap_or(current)
                        }
                        _ => current,
                    };
                }
                current
            }
        }
    }

    /// The `idx`-th element (array) or value (object, in key order).
    fn child(&self, idx: usize) -> Val<'a> {
        match self {
            Val::Doc(v) => Val::Doc(match v {
                Jsonb::Array(items) => &items[idx],
                Jsonb::Object(obj) => obj.iter().nth(idx).map(|(_, v)| v).unwrap_or(v),
                _ => v,
            }),
            Val::Gen(root, path) => {
                let mut extended = path.to_vec();
                extended.push(idx);
                Val::Gen(root.clone(), extended.into())
            }
            Val::Own(v) => Val::own(match &**v {
                Jsonb::Array(items) => items[idx].clone(),
                Jsonb::Object(obj) => obj
                    .iter()
                    .nth(idx)
                    .map(|(_, v)| v.clone())
                    .unwrap_or(Jsonb::Null),
                other => other.clone(),
            }),
        }
    }

    /// The elements of an array or the values of an object, in order.
    pub(crate) fn children(&self) -> Vec<Val<'a>> {
        let n = match self.get() {
            Jsonb::Array(items) => items.len(),
            Jsonb::Object(obj) => obj.len(),
            _ => 0,
        };
        if let Val::Doc(v) = self {
            return match v {
                Jsonb::Array(items) => items.iter().map(Val::Doc).collect(),
                Jsonb::Object(obj) => obj.iter().map(|(_, v)| Val::Doc(v)).collect(),
                _ => Vec::new(),
            };
        }
        (0..n).map(|i| self.child(i)).collect()
    }

    /// An object's value for `key`.
    pub(crate) fn key(&self, key: &str) -> Option<Val<'a>> {
        match self {
            Val::Doc(Jsonb::Object(obj)) => obj.get(key).map(Val::Doc),
            _ => match self.get() {
                Jsonb::Object(obj) => obj
                    .iter()
                    .position(|(k, _)| k == key)
                    .map(|idx| self.child(idx)),
                _ => None,
            },
        }
    }

    /// The `idx`-th array element.
    pub(crate) fn element(&self, idx: usize) -> Option<Val<'a>> {
        match self.get() {
            Jsonb::Array(items) if idx < items.len() => Some(self.child(idx)),
            _ => None,
        }
    }

    pub(crate) fn is_array(&self) -> bool {
        matches!(self.get(), Jsonb::Array(_))
    }

    pub(crate) fn is_object(&self) -> bool {
        matches!(self.get(), Jsonb::Object(_))
    }

    pub(crate) fn is_container(&self) -> bool {
        !self.get().is_scalar()
    }

    /// The array's length, or -1 (PostgreSQL's `JsonbArraySize`).
    pub(crate) fn array_size(&self) -> i64 {
        match self.get() {
            Jsonb::Array(items) => items.len() as i64,
            _ => -1,
        }
    }
}

/// Where the container `target` starts inside `root`'s binary form, relative to the start of
/// `root`'s own container (0 for `root` itself); `None` if `target` is not inside `root`.
pub(crate) fn offset_in(root: &Jsonb, target: &Jsonb) -> Option<i64> {
    fn align(pos: usize) -> usize {
        (pos + 3) & !3
    }
    fn walk(value: &Jsonb, pos: usize, target: &Jsonb, found: &mut Option<usize>) -> usize {
        match value {
            Jsonb::Array(items) => {
                let start = align(pos);
                if std::ptr::eq(value, target) {
                    *found = Some(start);
                }
                let mut pos = start + 4 + 4 * items.len();
                for item in items {
                    pos = walk(item, pos, target, found);
                }
                pos
            }
            Jsonb::Object(obj) => {
                let start = align(pos);
                if std::ptr::eq(value, target) {
                    *found = Some(start);
                }
                let mut pos = start + 4 + 8 * obj.len();
                for (key, _) in obj.iter() {
                    pos += key.len();
                }
                for (_, v) in obj.iter() {
                    pos = walk(v, pos, target, found);
                }
                pos
            }
            Jsonb::String(s) => pos + s.len(),
            Jsonb::Number(n) => align(pos) + n.datum_size(),
            Jsonb::Bool(_) | Jsonb::Null => pos,
        }
    }
    // The varlena header precedes the root container.
    const VARHDRSZ: usize = 4;
    let mut found = None;
    walk(root, VARHDRSZ, target, &mut found);
    found.map(|start| (start - VARHDRSZ) as i64)
}
