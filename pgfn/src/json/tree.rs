//! A `json` value parsed for reading while keeping its text: every node knows the exact
//! slice of the input it came from, so the json functions can hand back PostgreSQL's raw
//! text (`'{"b":1, "a" : 2}'::json -> 'a'` is ` 2`'s token, containers their own text).
//!
//! Invariants:
//! - Built by the shared parser, so it fails with PostgreSQL's error for the same input.
//! - Object fields keep input order and duplicates, as the json type does.

use std::borrow::Cow;
use std::ops::Range;

use super::parse::{Scalar, Sink, parse};
use crate::Result;

/// A scalar's JSON kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScalarKind {
    String,
    Number,
    True,
    False,
    Null,
}

/// A json node and its text.
#[derive(Debug)]
pub(crate) enum Node<'a> {
    /// A scalar: its token text and (for strings) its value.
    Scalar {
        kind: ScalarKind,
        raw: &'a str,
        value: Cow<'a, str>,
    },
    Array {
        raw: &'a str,
        items: Vec<Node<'a>>,
    },
    Object {
        raw: &'a str,
        fields: Vec<(Cow<'a, str>, Node<'a>)>,
    },
}

impl<'a> Node<'a> {
    /// The node's own text (a scalar's token, a container from its bracket to its bracket).
    pub(crate) fn raw(&self) -> &'a str {
        match self {
            Node::Scalar { raw, .. } | Node::Array { raw, .. } | Node::Object { raw, .. } => raw,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(
            self,
            Node::Scalar {
                kind: ScalarKind::Null,
                ..
            }
        )
    }

    /// PostgreSQL's `->>` text: a string's value, JSON null as NULL, anything else raw.
    pub(crate) fn as_text(&self) -> Option<String> {
        match self {
            Node::Scalar {
                kind: ScalarKind::Null,
                ..
            } => None,
            Node::Scalar {
                kind: ScalarKind::String,
                value,
                ..
            } => Some(value.to_string()),
            other => Some(other.raw().to_string()),
        }
    }
}

/// Parses `text` (decoding strings when `de_escape`, with PostgreSQL's checks on escapes).
pub(crate) fn build(text: &str, de_escape: bool) -> Result<Node<'_>> {
    let mut builder = Builder {
        text,
        stack: Vec::new(),
        result: None,
    };
    parse(text, de_escape, &mut builder)?;
    Ok(builder.result.unwrap_or(Node::Scalar {
        kind: ScalarKind::Null,
        raw: "",
        value: Cow::Borrowed(""),
    }))
}

enum Open<'a> {
    Array(usize, Vec<Node<'a>>),
    Object(usize, Vec<(Cow<'a, str>, Node<'a>)>, Option<Cow<'a, str>>),
}

struct Builder<'a> {
    text: &'a str,
    stack: Vec<Open<'a>>,
    result: Option<Node<'a>>,
}

impl<'a> Builder<'a> {
    fn push(&mut self, node: Node<'a>) {
        match self.stack.last_mut() {
            None => self.result = Some(node),
            Some(Open::Array(_, items)) => items.push(node),
            Some(Open::Object(_, fields, key)) => {
                fields.push((key.take().unwrap_or_default(), node))
            }
        }
    }
}

impl<'a> Sink<'a> for Builder<'a> {
    fn object_start(&mut self, at: usize) -> Result<()> {
        self.stack.push(Open::Object(at, Vec::new(), None));
        Ok(())
    }

    fn object_end(&mut self, end: usize) -> Result<()> {
        if let Some(Open::Object(start, fields, _)) = self.stack.pop() {
            self.push(Node::Object {
                raw: &self.text[start..end],
                fields,
            });
        }
        Ok(())
    }

    fn array_start(&mut self, at: usize) -> Result<()> {
        self.stack.push(Open::Array(at, Vec::new()));
        Ok(())
    }

    fn array_end(&mut self, end: usize) -> Result<()> {
        if let Some(Open::Array(start, items)) = self.stack.pop() {
            self.push(Node::Array {
                raw: &self.text[start..end],
                items,
            });
        }
        Ok(())
    }

    fn key(&mut self, key: Cow<'a, str>) -> Result<()> {
        if let Some(Open::Object(_, _, slot)) = self.stack.last_mut() {
            *slot = Some(key);
        }
        Ok(())
    }

    fn scalar(&mut self, value: Scalar<'a>, span: Range<usize>) -> Result<()> {
        let raw = &self.text[span];
        let (kind, value) = match value {
            Scalar::String(s) => (ScalarKind::String, s),
            Scalar::Number(n) => (ScalarKind::Number, Cow::Borrowed(n)),
            Scalar::Bool(true) => (ScalarKind::True, Cow::Borrowed(raw)),
            Scalar::Bool(false) => (ScalarKind::False, Cow::Borrowed(raw)),
            Scalar::Null => (ScalarKind::Null, Cow::Borrowed(raw)),
        };
        self.push(Node::Scalar { kind, raw, value });
        Ok(())
    }
}
