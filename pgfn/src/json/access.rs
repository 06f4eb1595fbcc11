//! Reading `json` text: `-> ->> #> #>>`, `json_extract_path(_text)`, `json_typeof`,
//! `json_array_length`, `json_each(_text)`, `json_array_elements(_text)`,
//! `json_object_keys`, `json_strip_nulls`.
//!
//! Invariants:
//! - Values come back as their input text (a container from bracket to bracket, a scalar as
//!   its token), or de-escaped for the `_text` forms, as PostgreSQL's json functions do.
//! - Errors come in PostgreSQL's order: a wrong top-level kind is reported as soon as its
//!   first token is read (after the next token for a scalar), before later syntax errors.
//! - Path lookups replay PostgreSQL's `get_worker` callbacks over the document, quirks
//!   included (the last duplicate key wins; a negative index is resolved against the first
//!   array met at that depth).

use super::lex::{Lexer, Token};
use super::tree::{Node, ScalarKind, build};
use crate::jsonb::escape_json;
use crate::strtol::strtoint;
use crate::{Condition, Error, Result};

fn invalid(message: impl Into<String>) -> Error {
    Error::new(Condition::InvalidParameterValue, message)
}

/// The errors for a wrong top-level kind, raised where PostgreSQL raises them (see
/// `check_top`).
pub(crate) struct TopErrors {
    pub(crate) object: Option<Error>,
    pub(crate) array: Option<Error>,
    pub(crate) scalar: Option<Error>,
}

/// Raises the error for `text`'s top-level kind as soon as PostgreSQL's callbacks would: at
/// the first token for a container, after the following token for a scalar.
pub(crate) fn check_top(text: &str, de_escape: bool, errors: TopErrors) -> Result<()> {
    let mut lex = Lexer::new(text, de_escape);
    lex.lex().map_err(|e| lex.error(e))?;
    match lex.token {
        Token::ObjectStart => errors.object.map_or(Ok(()), Err),
        Token::ArrayStart => errors.array.map_or(Ok(()), Err),
        Token::String | Token::Number | Token::True | Token::False | Token::Null => {
            match errors.scalar {
                Some(err) => {
                    lex.lex().map_err(|e| lex.error(e))?;
                    Err(err)
                }
                None => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

/// `json_typeof`: the kind of the first token (PostgreSQL reads no further).
pub fn type_of(text: &str) -> Result<&'static str> {
    let mut lex = Lexer::new(text, false);
    lex.lex().map_err(|e| lex.error(e))?;
    Ok(match lex.token {
        Token::ObjectStart => "object",
        Token::ArrayStart => "array",
        Token::String => "string",
        Token::Number => "number",
        Token::True | Token::False => "boolean",
        Token::Null => "null",
        _ => {
            return Err(Error::new(
                Condition::InvalidTextRepresentation,
                "invalid input syntax for type json",
            )
            .with_detail("The input string ended unexpectedly."));
        }
    })
}

/// `json_array_length`.
pub fn array_length(text: &str) -> Result<i32> {
    check_top(
        text,
        false,
        TopErrors {
            object: Some(invalid("cannot get array length of a non-array")),
            array: None,
            scalar: Some(invalid("cannot get array length of a scalar")),
        },
    )?;
    match build(text, false)? {
        Node::Array { items, .. } => Ok(items.len() as i32),
        _ => Err(invalid("cannot get array length of a non-array")),
    }
}

/// `json_each`: each field's key and value text, duplicates included, in input order.
pub fn each(text: &str) -> Result<Vec<(String, String)>> {
    Ok(object_fields(text, "json_each")?
        .into_iter()
        .map(|(k, v)| (k, v.raw().to_string()))
        .collect())
}

/// `json_each_text`.
pub fn each_text(text: &str) -> Result<Vec<(String, Option<String>)>> {
    Ok(object_fields(text, "json_each_text")?
        .into_iter()
        .map(|(k, v)| (k, v.as_text()))
        .collect())
}

fn object_fields<'a>(text: &'a str, _function: &str) -> Result<Vec<(String, Node<'a>)>> {
    check_top(
        text,
        true,
        TopErrors {
            object: None,
            array: Some(invalid("cannot deconstruct an array as an object")),
            scalar: Some(invalid("cannot deconstruct a scalar")),
        },
    )?;
    match build(text, true)? {
        Node::Object { fields, .. } => Ok(fields
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v))
            .collect()),
        _ => Err(invalid("cannot deconstruct a scalar")),
    }
}

/// `json_array_elements`: each element's text.
pub fn array_elements(text: &str) -> Result<Vec<String>> {
    Ok(elements(text, false)?
        .iter()
        .map(|n| n.raw().to_string())
        .collect())
}

/// `json_array_elements_text`.
pub fn array_elements_text(text: &str) -> Result<Vec<Option<String>>> {
    Ok(elements(text, true)?.iter().map(Node::as_text).collect())
}

/// The elements; only the `_text` form decodes (and so checks) string escapes.
fn elements(text: &str, as_text: bool) -> Result<Vec<Node<'_>>> {
    let function = if as_text {
        "json_array_elements_text"
    } else {
        "json_array_elements"
    };
    check_top(
        text,
        as_text,
        TopErrors {
            object: Some(invalid(format!("cannot call {function} on a non-array"))),
            array: None,
            scalar: Some(invalid(format!("cannot call {function} on a scalar"))),
        },
    )?;
    match build(text, as_text)? {
        Node::Array { items, .. } => Ok(items),
        _ => Err(invalid(format!("cannot call {function} on a scalar"))),
    }
}

/// `json_object_keys`: the keys, duplicates included, in input order.
pub fn object_keys(text: &str) -> Result<Vec<String>> {
    check_top(
        text,
        true,
        TopErrors {
            object: None,
            array: Some(invalid("cannot call json_object_keys on an array")),
            scalar: Some(invalid("cannot call json_object_keys on a scalar")),
        },
    )?;
    match build(text, true)? {
        Node::Object { fields, .. } => {
            Ok(fields.into_iter().map(|(k, _)| k.into_owned()).collect())
        }
        _ => Err(invalid("cannot call json_object_keys on a scalar")),
    }
}

/// `json_strip_nulls`: the document re-printed without whitespace and without null fields.
pub fn strip_nulls(text: &str) -> Result<String> {
    fn emit(node: &Node<'_>, out: &mut String) {
        match node {
            Node::Scalar {
                kind: ScalarKind::String,
                value,
                ..
            } => escape_json(out, value),
            Node::Scalar { raw, .. } => out.push_str(raw),
            Node::Array { items, .. } => {
                out.push('[');
                for item in items {
                    if !out.ends_with('[') {
                        out.push(',');
                    }
                    emit(item, out);
                }
                out.push(']');
            }
            Node::Object { fields, .. } => {
                out.push('{');
                for (key, value) in fields {
                    if value.is_null() {
                        continue;
                    }
                    if !out.ends_with('{') {
                        out.push(',');
                    }
                    escape_json(out, key);
                    out.push(':');
                    emit(value, out);
                }
                out.push('}');
            }
        }
    }
    let node = build(text, true)?;
    let mut out = String::with_capacity(text.len());
    emit(&node, &mut out);
    Ok(out)
}

/// `json -> key`.
pub fn field(text: &str, key: &str) -> Result<Option<String>> {
    get(text, Some(&[Some(key)]), None, false)
}

/// `json ->> key`.
pub fn field_text(text: &str, key: &str) -> Result<Option<String>> {
    get(text, Some(&[Some(key)]), None, true)
}

/// `json -> index`.
pub fn element(text: &str, index: i32) -> Result<Option<String>> {
    get(text, None, Some(&[index]), false)
}

/// `json ->> index`.
pub fn element_text(text: &str, index: i32) -> Result<Option<String>> {
    get(text, None, Some(&[index]), true)
}

/// `json #> path` and `json_extract_path`; a NULL path element gives NULL.
pub fn path(text: &str, steps: &[Option<&str>]) -> Result<Option<String>> {
    path_worker(text, steps, false)
}

/// `json #>> path` and `json_extract_path_text`.
pub fn path_text(text: &str, steps: &[Option<&str>]) -> Result<Option<String>> {
    path_worker(text, steps, true)
}

fn path_worker(text: &str, steps: &[Option<&str>], as_text: bool) -> Result<Option<String>> {
    if steps.iter().any(Option::is_none) {
        return Ok(None);
    }
    let indexes: Vec<i32> = steps
        .iter()
        .map(|s| {
            s.filter(|s| !s.is_empty())
                .and_then(strtoint)
                .unwrap_or(i32::MIN)
        })
        .collect();
    get(text, Some(steps), Some(&indexes), as_text)
}

/// PostgreSQL's `get_worker`, replayed over the parsed document.
fn get(
    text: &str,
    names: Option<&[Option<&str>]>,
    indexes: Option<&[i32]>,
    normalize: bool,
) -> Result<Option<String>> {
    let root = build(text, true)?;
    let npath = names
        .map_or(0, <[_]>::len)
        .max(indexes.map_or(0, <[_]>::len));
    let mut state = GetState {
        text,
        names,
        indexes: indexes.map(<[i32]>::to_vec),
        npath,
        normalize,
        pathok: vec![false; npath],
        array_cur_index: vec![-1; npath],
        result: None,
        capture: false,
    };
    if npath > 0 {
        state.pathok[0] = true;
    }
    state.walk(&root, 0, true);
    Ok(state.result)
}

struct GetState<'t> {
    text: &'t str,
    names: Option<&'t [Option<&'t str>]>,
    indexes: Option<Vec<i32>>,
    npath: usize,
    normalize: bool,
    pathok: Vec<bool>,
    array_cur_index: Vec<i64>,
    result: Option<String>,
    /// A matched target is being read (PostgreSQL's `result_start`/`next_scalar`).
    capture: bool,
}

impl GetState<'_> {
    fn walk(&mut self, node: &Node<'_>, level: usize, top: bool) {
        match node {
            Node::Object { fields, .. } => {
                for (key, value) in fields {
                    let name_matches = |s: &Self| {
                        level < s.npath
                            && s.pathok[level]
                            && s.names.and_then(|n| n.get(level).copied().flatten())
                                == Some(key.as_ref())
                    };
                    let matched = self.names.is_some() && name_matches(self);
                    self.enter(matched, level + 1);
                    self.walk(value, level + 1, false);
                    let matched = self.names.is_some() && name_matches(self);
                    self.leave(matched, level + 1, value);
                }
                if top && self.npath == 0 {
                    self.result = Some(node.raw().to_string());
                }
            }
            Node::Array { items, .. } => {
                if let Some(indexes) = self.indexes.as_mut()
                    && level < self.npath
                {
                    self.array_cur_index[level] = -1;
                    let index = indexes[level];
                    if index < 0 && index != i32::MIN && -(index as i64) <= items.len() as i64 {
                        indexes[level] = index + items.len() as i32;
                    }
                }
                for item in items {
                    let mut matched = false;
                    if let Some(indexes) = &self.indexes
                        && level < self.npath
                    {
                        self.array_cur_index[level] += 1;
                        matched = self.pathok[level]
                            && self.array_cur_index[level] == i64::from(indexes[level]);
                    }
                    self.enter(matched, level + 1);
                    self.walk(item, level + 1, false);
                    let matched = self.indexes.as_ref().is_some_and(|indexes| {
                        level < self.npath
                            && self.pathok[level]
                            && self.array_cur_index[level] == i64::from(indexes[level])
                    });
                    self.leave(matched, level + 1, item);
                }
                if top && self.npath == 0 {
                    self.result = Some(node.raw().to_string());
                }
            }
            Node::Scalar { kind, value, raw } => {
                if top && self.npath == 0 {
                    self.result = match kind {
                        ScalarKind::String if self.normalize => Some(value.to_string()),
                        ScalarKind::Null if self.normalize => None,
                        // PostgreSQL takes the text from the input's start: leading blanks stay.
                        _ => {
                            let end =
                                raw.as_ptr() as usize - self.text.as_ptr() as usize + raw.len();
                            Some(self.text[..end].to_string())
                        }
                    };
                }
            }
        }
    }

    /// A field or element at `level` (1-based) starts; `matched` if it is on the path.
    fn enter(&mut self, matched: bool, level: usize) {
        if !matched {
            return;
        }
        if level < self.npath {
            self.pathok[level] = true;
        } else {
            self.result = None;
            self.capture = true;
        }
    }

    /// The field or element ends: a matched target becomes the result.
    fn leave(&mut self, matched: bool, level: usize, value: &Node<'_>) {
        if !matched {
            return;
        }
        if level < self.npath {
            self.pathok[level] = false;
        } else if self.capture {
            self.capture = false;
            self.result = if self.normalize {
                value.as_text()
            } else {
                Some(value.raw().to_string())
            };
        }
    }
}
