//! `jsonb` input: PostgreSQL 15's `jsonb_in`, JSON text to a `Jsonb`.
//!
//! Invariants:
//! - Errors are PostgreSQL's: the JSON parser's syntax errors (message "invalid input syntax
//!   for type json" and its detail), `\u0000` rejected, numbers past numeric's range rejected.
//! - Objects are finished through `Object::from_pairs`: sorted keys, the last duplicate wins.

use std::borrow::Cow;
use std::ops::Range;

use super::value::{Jsonb, Object};
use crate::json::parse::{Scalar, Sink, parse as parse_json};
use crate::{Condition, Error, Numeric, Result};

/// PostgreSQL's jsonb string length limit (`JENTRY_OFFLENMASK`).
const MAX_STRING_LEN: usize = 0x0FFF_FFFF;

/// Parses `text` as `'text'::jsonb`.
pub fn parse(text: &str) -> Result<Jsonb> {
    let mut builder = Builder {
        stack: Vec::new(),
        result: None,
    };
    parse_json(text, true, &mut builder)?;
    builder.result.ok_or_else(|| {
        Error::new(
            Condition::InvalidTextRepresentation,
            "invalid input syntax for type json",
        )
    })
}

enum Open {
    Array(Vec<Jsonb>),
    Object(Vec<(String, Jsonb)>, Option<String>),
}

struct Builder {
    stack: Vec<Open>,
    result: Option<Jsonb>,
}

impl Builder {
    fn push_value(&mut self, value: Jsonb) {
        match self.stack.last_mut() {
            None => self.result = Some(value),
            Some(Open::Array(items)) => items.push(value),
            Some(Open::Object(pairs, key)) => {
                let key = key.take().unwrap_or_default();
                pairs.push((key, value));
            }
        }
    }
}

impl<'a> Sink<'a> for Builder {
    fn object_start(&mut self, _at: usize) -> Result<()> {
        self.stack.push(Open::Object(Vec::new(), None));
        Ok(())
    }

    fn object_end(&mut self, _end: usize) -> Result<()> {
        if let Some(Open::Object(pairs, _)) = self.stack.pop() {
            self.push_value(Jsonb::Object(Object::from_pairs(pairs)));
        }
        Ok(())
    }

    fn array_start(&mut self, _at: usize) -> Result<()> {
        self.stack.push(Open::Array(Vec::new()));
        Ok(())
    }

    fn array_end(&mut self, _end: usize) -> Result<()> {
        if let Some(Open::Array(items)) = self.stack.pop() {
            self.push_value(Jsonb::Array(items));
        }
        Ok(())
    }

    fn key(&mut self, key: Cow<'a, str>) -> Result<()> {
        check_string_len(&key)?;
        if let Some(Open::Object(_, slot)) = self.stack.last_mut() {
            *slot = Some(key.into_owned());
        }
        Ok(())
    }

    fn scalar(&mut self, value: Scalar<'a>, _span: Range<usize>) -> Result<()> {
        let value = match value {
            Scalar::String(s) => {
                check_string_len(&s)?;
                Jsonb::String(s.into_owned())
            }
            Scalar::Number(text) => Jsonb::Number(text.parse::<Numeric>()?),
            Scalar::Bool(b) => Jsonb::Bool(b),
            Scalar::Null => Jsonb::Null,
        };
        self.push_value(value);
        Ok(())
    }
}

/// PostgreSQL's `checkStringLen`.
pub(crate) fn check_string_len(s: &str) -> Result<()> {
    if s.len() > MAX_STRING_LEN {
        return Err(Error::new(Condition::ProgramLimitExceeded, "string too long to represent as jsonb string")
            .with_detail(format!(
                "Due to an implementation restriction, jsonb strings cannot exceed {MAX_STRING_LEN} bytes."
            )));
    }
    Ok(())
}
