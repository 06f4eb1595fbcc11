//! Changing `jsonb`: `||`, `-` (key, keys, index), `#-`, `jsonb_set`, `jsonb_set_lax`,
//! `jsonb_insert`, `jsonb_strip_nulls`, and assignment through a subscript
//! (`UPDATE t SET data['a'][0] = ...`).
//!
//! Invariants:
//! - Every path operation is PostgreSQL's `setPath` with the same flags: which levels create,
//!   replace, insert, delete or fill gaps with nulls, and which raise which error.
//! - Results never nest deeper than `MAX_DEPTH`.

use super::access::invalid;
use super::value::{Jsonb, Object};
use crate::json::parse::{MAX_DEPTH, stack_depth_error};
use crate::strtol::strtoint;
use crate::{Condition, Error, Result};

/// `a || b`.
pub fn concat(a: &Jsonb, b: &Jsonb) -> Result<Jsonb> {
    let result = match (a, b) {
        (Jsonb::Object(x), Jsonb::Object(y)) => {
            let mut merged = x.clone();
            for (key, value) in y.iter() {
                merged.insert(key.to_string(), value.clone());
            }
            Jsonb::Object(merged)
        }
        (Jsonb::Object(_), other) => {
            let mut items = vec![a.clone()];
            items.extend(elements_of(other));
            Jsonb::Array(items)
        }
        (other, Jsonb::Object(_)) => {
            let mut items = elements_of(other);
            items.push(b.clone());
            Jsonb::Array(items)
        }
        (x, y) => {
            let mut items = elements_of(x);
            items.extend(elements_of(y));
            Jsonb::Array(items)
        }
    };
    checked(result)
}

/// An array's elements, or a raw scalar as its one element.
fn elements_of(value: &Jsonb) -> Vec<Jsonb> {
    match value {
        Jsonb::Array(items) => items.clone(),
        scalar => vec![scalar.clone()],
    }
}

/// `value - key`: drops an object key, or string elements equal to `key` from an array.
pub fn delete_key(value: &Jsonb, key: &str) -> Result<Jsonb> {
    delete_keys(value, &[Some(key)])
}

/// `value - keys`.
pub fn delete_keys(value: &Jsonb, keys: &[Option<&str>]) -> Result<Jsonb> {
    let matches = |s: &str| keys.iter().flatten().any(|k| *k == s);
    match value {
        Jsonb::Object(obj) => {
            let mut obj = obj.clone();
            obj.retain(|k, _| !matches(k));
            Ok(Jsonb::Object(obj))
        }
        Jsonb::Array(items) => Ok(Jsonb::Array(
            items
                .iter()
                .filter(|item| !matches!(item, Jsonb::String(s) if matches(s)))
                .cloned()
                .collect(),
        )),
        _ => Err(invalid("cannot delete from scalar")),
    }
}

/// `value - index`.
pub fn delete_index(value: &Jsonb, index: i32) -> Result<Jsonb> {
    match value {
        Jsonb::Array(items) => {
            let n = items.len() as i64;
            let idx = if index < 0 {
                if -i64::from(index) > n {
                    n
                } else {
                    n + i64::from(index)
                }
            } else {
                i64::from(index)
            };
            let mut items = items.clone();
            if idx < n {
                items.remove(idx as usize);
            }
            Ok(Jsonb::Array(items))
        }
        Jsonb::Object(_) => Err(invalid("cannot delete from object using integer index")),
        _ => Err(invalid("cannot delete from scalar")),
    }
}

/// `value #- path` (`jsonb_delete_path`).
pub fn delete_path(value: &Jsonb, path: &[Option<&str>]) -> Result<Jsonb> {
    if value.is_scalar() {
        return Err(invalid("cannot delete path in scalar"));
    }
    if is_empty_container(value) || path.is_empty() {
        return Ok(value.clone());
    }
    set_path(value, path, None, Op::DELETE)
}

/// `jsonb_set(value, path, new_value, create_if_missing)`.
pub fn set(value: &Jsonb, path: &[Option<&str>], new_value: &Jsonb, create: bool) -> Result<Jsonb> {
    if value.is_scalar() {
        return Err(invalid("cannot set path in scalar"));
    }
    if (is_empty_container(value) && !create) || path.is_empty() {
        return Ok(value.clone());
    }
    let op = if create { Op::CREATE } else { Op::REPLACE };
    checked(set_path(value, path, Some(new_value), op)?)
}

/// `jsonb_set_lax(value, path, new_value, create_if_missing, null_value_treatment)`, called
/// when value, path and create are not NULL; `new_value` and `treatment` may be.
pub fn set_lax(
    value: &Jsonb,
    path: &[Option<&str>],
    new_value: Option<&Jsonb>,
    create: bool,
    treatment: Option<&str>,
) -> Result<Jsonb> {
    let bad_treatment = || {
        invalid(
            "null_value_treatment must be \"delete_key\", \"return_target\", \"use_json_null\", or \"raise_exception\"",
        )
    };
    let treatment = treatment.ok_or_else(bad_treatment)?;
    if let Some(new_value) = new_value {
        return set(value, path, new_value, create);
    }
    match treatment {
        "raise_exception" => Err(Error::new(Condition::NullValueNotAllowed, "JSON value must not be null")
            .with_detail("Exception was raised because null_value_treatment is \"raise_exception\".")
            .with_hint("To avoid, either change the null_value_treatment argument or ensure that an SQL NULL is not passed.")),
        "use_json_null" => set(value, path, &Jsonb::Null, create),
        "delete_key" => delete_path(value, path),
        "return_target" => Ok(value.clone()),
        _ => Err(bad_treatment()),
    }
}

/// `jsonb_insert(value, path, new_value, insert_after)`.
pub fn insert(
    value: &Jsonb,
    path: &[Option<&str>],
    new_value: &Jsonb,
    after: bool,
) -> Result<Jsonb> {
    if value.is_scalar() {
        return Err(invalid("cannot set path in scalar"));
    }
    if path.is_empty() {
        return Ok(value.clone());
    }
    let op = if after {
        Op::INSERT_AFTER
    } else {
        Op::INSERT_BEFORE
    };
    checked(set_path(value, path, Some(new_value), op)?)
}

/// Assignment through a subscript: `target[s1][s2]... = new_value`. `target` is `None` for
/// a NULL column, which starts as `[]` when `first_is_integer` (the first subscript is an
/// integer expression) and `{}` otherwise; integer subscripts arrive as their text; a NULL
/// new value is JSON null. A NULL subscript is PostgreSQL's error.
pub fn subscript_assign(
    target: Option<&Jsonb>,
    subscripts: &[Option<&str>],
    first_is_integer: bool,
    new_value: Option<&Jsonb>,
) -> Result<Jsonb> {
    if subscripts.iter().any(Option::is_none) {
        return Err(Error::new(
            Condition::NullValueNotAllowed,
            "jsonb subscript in assignment must not be null",
        ));
    }
    let empty = if first_is_integer {
        Jsonb::Array(Vec::new())
    } else {
        Jsonb::Object(Object::new())
    };
    let target = target.unwrap_or(&empty);
    let new_value = new_value.unwrap_or(&Jsonb::Null);
    if subscripts.is_empty() {
        return Ok(target.clone());
    }
    if target.is_scalar() {
        return Err(scalar_in_path());
    }
    checked(set_path(
        target,
        subscripts,
        Some(new_value),
        Op::CREATE | Op::FILL_GAPS | Op::CONSISTENT_POSITION,
    )?)
}

/// `jsonb_strip_nulls`: drops object fields whose value is null, at every level.
pub fn strip_nulls(value: &Jsonb) -> Jsonb {
    match value {
        Jsonb::Array(items) => Jsonb::Array(items.iter().map(strip_nulls).collect()),
        Jsonb::Object(obj) => {
            let pairs = obj
                .iter()
                .filter(|(_, v)| !matches!(v, Jsonb::Null))
                .map(|(k, v)| (k.to_string(), strip_nulls(v)));
            Jsonb::Object(Object::from_pairs(pairs.collect()))
        }
        scalar => scalar.clone(),
    }
}

/// Errors if `value` nests deeper than PostgreSQL's stack would allow here.
pub(crate) fn checked(value: Jsonb) -> Result<Jsonb> {
    if value.depth() > MAX_DEPTH {
        return Err(stack_depth_error());
    }
    Ok(value)
}

fn is_empty_container(value: &Jsonb) -> bool {
    match value {
        Jsonb::Array(items) => items.is_empty(),
        Jsonb::Object(obj) => obj.is_empty(),
        _ => false,
    }
}

/// PostgreSQL's `JB_PATH_*` flags.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Op(u8);

impl Op {
    const CREATE: Op = Op(0x01);
    const DELETE: Op = Op(0x02);
    const REPLACE: Op = Op(0x04);
    const INSERT_BEFORE: Op = Op(0x08);
    const INSERT_AFTER: Op = Op(0x10);
    const CREATE_OR_INSERT: Op = Op(0x01 | 0x08 | 0x10);
    const FILL_GAPS: Op = Op(0x20);
    const CONSISTENT_POSITION: Op = Op(0x40);

    fn has(self, flags: Op) -> bool {
        self.0 & flags.0 != 0
    }
}

impl std::ops::BitOr for Op {
    type Output = Op;
    fn bitor(self, other: Op) -> Op {
        Op(self.0 | other.0)
    }
}

fn scalar_in_path() -> Error {
    invalid("cannot replace existing key")
        .with_detail("The path assumes key is a composite object, but it is a scalar value.")
}

/// PostgreSQL's `setPath`: `op` applied at the end of `path` in a copy of `root`. PostgreSQL
/// copies the whole document while it walks the path; only the path's own levels can fail
/// or change, so this walks down the path in place, one level at a time (no recursion).
fn set_path(
    root: &Jsonb,
    path: &[Option<&str>],
    new_value: Option<&Jsonb>,
    op: Op,
) -> Result<Jsonb> {
    let mut result = root.clone();
    let mut cursor: &mut Jsonb = &mut result;
    for level in 0..path.len() {
        let Some(step) = path[level] else {
            return Err(Error::new(
                Condition::NullValueNotAllowed,
                format!("path element at position {} is null", level + 1),
            ));
        };
        let descend = match cursor {
            Jsonb::Array(items) => {
                edit_array(items, step, path, level, new_value, op)?.map(Child::Index)
            }
            Jsonb::Object(obj) => {
                edit_object(obj, step, path, level, new_value, op)?.then_some(Child::Key)
            }
            _ => {
                if op.has(Op::FILL_GAPS) {
                    return Err(scalar_in_path());
                }
                None
            }
        };
        let Some(child) = descend else { break };
        cursor = match (cursor, child) {
            (Jsonb::Array(items), Child::Index(idx)) => &mut items[idx],
            (Jsonb::Object(obj), Child::Key) => match obj.get_mut(step) {
                Some(value) => value,
                None => break,
            },
            _ => break,
        };
    }
    Ok(result)
}

/// Which child `set_path` goes on into.
enum Child {
    Index(usize),
    Key,
}

/// PostgreSQL's `setPathObject` at one level: edits `obj` when the path ends or leaves the
/// document here; `true` when the walk goes on into the value of `step`.
fn edit_object(
    obj: &mut Object,
    step: &str,
    path: &[Option<&str>],
    level: usize,
    new_value: Option<&Jsonb>,
    op: Op,
) -> Result<bool> {
    let last = level == path.len() - 1;
    if obj.get(step).is_some() {
        if !last {
            return Ok(true);
        }
        if op.has(Op::INSERT_BEFORE | Op::INSERT_AFTER) {
            return Err(invalid("cannot replace existing key")
                .with_hint("Try using the function jsonb_set to replace key value."));
        }
        match (op.has(Op::DELETE), new_value) {
            (false, Some(v)) => obj.insert(step.to_string(), v.clone()),
            _ => {
                obj.remove(step);
            }
        }
    } else if last && op.has(Op::CREATE_OR_INSERT) {
        if let Some(v) = new_value {
            obj.insert(step.to_string(), v.clone());
        }
    } else if !last && op.has(Op::FILL_GAPS) {
        obj.insert(step.to_string(), new_chain(path, level, new_value)?);
    }
    Ok(false)
}

/// PostgreSQL's `setPathArray` at one level: edits `items` when the path ends or leaves the
/// document here; the index of the element the walk goes on into otherwise.
fn edit_array(
    items: &mut Vec<Jsonb>,
    step: &str,
    path: &[Option<&str>],
    level: usize,
    new_value: Option<&Jsonb>,
    op: Op,
) -> Result<Option<usize>> {
    let last = level == path.len() - 1;
    let nelems = items.len() as i64;
    let Some(index) = strtoint(step) else {
        return Err(Error::new(
            Condition::InvalidTextRepresentation,
            format!(
                "path element at position {} is not an integer: \"{step}\"",
                level + 1
            ),
        ));
    };
    // `None` is PostgreSQL's INT_MIN marker: before the first element.
    let mut idx: Option<i64> = Some(i64::from(index));
    if index < 0 {
        if -i64::from(index) > nelems {
            if op.has(Op::CONSISTENT_POSITION) {
                return Err(invalid(format!(
                    "path element at position {} is out of range: {index}",
                    level + 1
                )));
            }
            idx = None;
        } else {
            idx = Some(nelems + i64::from(index));
        }
    }
    if !op.has(Op::FILL_GAPS) {
        idx = idx.map(|i| if i > 0 && i > nelems { nelems } else { i });
    }
    if (idx.is_none() || nelems == 0) && last && op.has(Op::CREATE_OR_INSERT) {
        let mut prefix = Vec::new();
        if let Some(i) = idx.filter(|i| op.has(Op::FILL_GAPS) && nelems == 0 && *i > 0) {
            push_nulls(&mut prefix, i)?;
        }
        prefix.extend(new_value.cloned());
        items.splice(0..0, prefix);
        return Ok(None);
    }
    if let Some(i) = idx.filter(|i| (0..nelems).contains(i)) {
        let i = i as usize;
        if !last {
            return Ok(Some(i));
        }
        if op.has(Op::INSERT_BEFORE) {
            items.splice(i..i, new_value.cloned());
        } else if op.has(Op::INSERT_AFTER) {
            items.splice(i + 1..i + 1, new_value.cloned());
        } else if op.has(Op::CREATE | Op::REPLACE) {
            if let Some(v) = new_value {
                items[i] = v.clone();
            }
        } else {
            items.remove(i);
        }
        return Ok(None);
    }
    if op.has(Op::CREATE_OR_INSERT) && last {
        if let Some(i) = idx.filter(|i| op.has(Op::FILL_GAPS) && *i > nelems) {
            push_nulls(items, i - nelems)?;
        }
        items.extend(new_value.cloned());
    } else if op.has(Op::FILL_GAPS) && !last {
        if let Some(i) = idx.filter(|i| *i > 0) {
            push_nulls(items, i - nelems)?;
        }
        items.push(new_chain(path, level, new_value)?);
    }
    Ok(None)
}

/// PostgreSQL's `push_path`: the containers a gap-filling assignment creates below `level`,
/// each an array (with leading nulls) for an integer step and an object otherwise.
fn new_chain(path: &[Option<&str>], level: usize, new_value: Option<&Jsonb>) -> Result<Jsonb> {
    let mut value = new_value.cloned().unwrap_or(Jsonb::Null);
    for step in path[level + 1..].iter().rev() {
        let step = step.unwrap_or_default();
        value = match strtoint(step) {
            Some(n) => {
                let mut items = Vec::new();
                push_nulls(&mut items, i64::from(n))?;
                items.push(value);
                Jsonb::Array(items)
            }
            None => {
                let mut obj = Object::new();
                obj.insert(step.to_string(), value);
                Jsonb::Object(obj)
            }
        };
    }
    Ok(value)
}

/// Pads with JSON nulls, within PostgreSQL's array size limit.
fn push_nulls(out: &mut Vec<Jsonb>, n: i64) -> Result<()> {
    // PostgreSQL's JSONB_MAX_ELEMS on 64-bit builds: MaxAllocSize / sizeof(JsonbValue).
    const MAX_ELEMENTS: i64 = 33_554_431;
    if n <= 0 {
        return Ok(());
    }
    if n + out.len() as i64 > MAX_ELEMENTS {
        return Err(Error::new(
            Condition::ProgramLimitExceeded,
            format!("number of jsonb array elements exceeds the maximum allowed ({MAX_ELEMENTS})"),
        ));
    }
    out.extend(std::iter::repeat_n(Jsonb::Null, n as usize));
    Ok(())
}
