//! The JSON parser of PostgreSQL 15 (`pg_parse_json`), driving a `Sink` with events, with
//! PostgreSQL's error for every malformed input.
//!
//! Invariants:
//! - The same grammar and the same first error as PostgreSQL's recursive descent: the parser
//!   looks one token ahead exactly where PostgreSQL's does, so a lexer error on the next token
//!   wins over a scalar's semantic error, as there.
//! - Iterative: nesting deeper than `MAX_DEPTH` is PostgreSQL's "stack depth limit exceeded",
//!   never a Rust stack overflow.

use std::borrow::Cow;
use std::ops::Range;

use super::lex::{Lexer, ParseError, Token};
use crate::{Condition, Error, Result};

/// The deepest nesting of arrays and objects accepted anywhere in the crate. PostgreSQL's own
/// limit comes from `max_stack_depth` (2 MB: about 10 000 to 40 000 levels); this one keeps
/// every recursive walk of a value far inside a 2 MB thread stack.
pub const MAX_DEPTH: usize = 1000;

/// A scalar as the parser hands it over.
pub(crate) enum Scalar<'a> {
    /// A string's value (decoded when the lexer de-escapes).
    String(Cow<'a, str>),
    /// A number's text, as written.
    Number(&'a str),
    Bool(bool),
    Null,
}

/// What a parse builds: one call per structural event, in document order.
pub(crate) trait Sink<'a> {
    fn object_start(&mut self, at: usize) -> Result<()>;
    /// `end` is the offset just past the closing brace.
    fn object_end(&mut self, end: usize) -> Result<()>;
    fn array_start(&mut self, at: usize) -> Result<()>;
    fn array_end(&mut self, end: usize) -> Result<()>;
    /// An object key; its value's events follow.
    fn key(&mut self, key: Cow<'a, str>) -> Result<()>;
    fn scalar(&mut self, value: Scalar<'a>, span: Range<usize>) -> Result<()>;
}

/// A sink that only validates.
pub(crate) struct Validate;

impl<'a> Sink<'a> for Validate {
    fn object_start(&mut self, _at: usize) -> Result<()> {
        Ok(())
    }
    fn object_end(&mut self, _end: usize) -> Result<()> {
        Ok(())
    }
    fn array_start(&mut self, _at: usize) -> Result<()> {
        Ok(())
    }
    fn array_end(&mut self, _end: usize) -> Result<()> {
        Ok(())
    }
    fn key(&mut self, _key: Cow<'a, str>) -> Result<()> {
        Ok(())
    }
    fn scalar(&mut self, _value: Scalar<'a>, _span: Range<usize>) -> Result<()> {
        Ok(())
    }
}

/// Parses `text` into `sink`, de-escaping strings when `de_escape`.
pub(crate) fn parse<'a>(text: &'a str, de_escape: bool, sink: &mut impl Sink<'a>) -> Result<()> {
    let mut lex = Lexer::new(text, de_escape);
    run(&mut lex, sink).map_err(|e| match e {
        Failure::Syntax(err) => lex.error(err),
        Failure::Semantic(err) => err,
    })
}

enum Failure {
    Syntax(ParseError),
    Semantic(Error),
}

impl From<ParseError> for Failure {
    fn from(err: ParseError) -> Failure {
        Failure::Syntax(err)
    }
}

impl From<Error> for Failure {
    fn from(err: Error) -> Failure {
        Failure::Semantic(err)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    Object,
    Array,
}

/// PostgreSQL's `report_parse_error`: the input ran out, or `expected` names what was due.
fn unexpected(lex: &Lexer<'_>, expected: ParseError) -> Failure {
    if lex.token == Token::End {
        Failure::Syntax(ParseError::ExpectedMore)
    } else {
        Failure::Syntax(expected)
    }
}

fn run<'a>(lex: &mut Lexer<'a>, sink: &mut impl Sink<'a>) -> std::result::Result<(), Failure> {
    let mut stack: Vec<Frame> = Vec::new();
    lex.lex()?;
    // Each turn parses one value at the current token, then climbs out of finished containers.
    'value: loop {
        match lex.token {
            Token::ObjectStart | Token::ArrayStart => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Failure::Semantic(stack_depth_error()));
                }
                let at = lex.token_start;
                if lex.token == Token::ObjectStart {
                    sink.object_start(at)?;
                    lex.lex()?;
                    match lex.token {
                        Token::String => {
                            stack.push(Frame::Object);
                            field(lex, sink)?;
                            continue 'value;
                        }
                        Token::ObjectEnd => {
                            let end = lex.token_end;
                            lex.lex()?;
                            sink.object_end(end)?;
                        }
                        _ => return Err(unexpected(lex, ParseError::ExpectedObjectFirst)),
                    }
                } else {
                    sink.array_start(at)?;
                    lex.lex()?;
                    if lex.token == Token::ArrayEnd {
                        let end = lex.token_end;
                        lex.lex()?;
                        sink.array_end(end)?;
                    } else {
                        stack.push(Frame::Array);
                        continue 'value;
                    }
                }
            }
            Token::String | Token::Number | Token::True | Token::False | Token::Null => {
                let span = lex.token_start..lex.token_end;
                let value = match lex.token {
                    Token::String => Scalar::String(lex.string_value()),
                    Token::Number => Scalar::Number(lex.raw()),
                    Token::True => Scalar::Bool(true),
                    Token::False => Scalar::Bool(false),
                    _ => Scalar::Null,
                };
                lex.lex()?;
                sink.scalar(value, span)?;
            }
            _ => return Err(unexpected(lex, ParseError::ExpectedJson)),
        }
        // A value is complete: continue its container or close it.
        loop {
            match stack.last() {
                None => {
                    if lex.token != Token::End {
                        return Err(unexpected(lex, ParseError::ExpectedEnd));
                    }
                    return Ok(());
                }
                Some(Frame::Array) => match lex.token {
                    Token::Comma => {
                        lex.lex()?;
                        continue 'value;
                    }
                    Token::ArrayEnd => {
                        let end = lex.token_end;
                        lex.lex()?;
                        stack.pop();
                        sink.array_end(end)?;
                    }
                    _ => return Err(unexpected(lex, ParseError::ExpectedArrayNext)),
                },
                Some(Frame::Object) => match lex.token {
                    Token::Comma => {
                        lex.lex()?;
                        if lex.token != Token::String {
                            return Err(unexpected(lex, ParseError::ExpectedString));
                        }
                        field(lex, sink)?;
                        continue 'value;
                    }
                    Token::ObjectEnd => {
                        let end = lex.token_end;
                        lex.lex()?;
                        stack.pop();
                        sink.object_end(end)?;
                    }
                    _ => return Err(unexpected(lex, ParseError::ExpectedObjectNext)),
                },
            }
        }
    }
}

/// At a key string: reads it and the colon, leaving the lexer at the value.
fn field<'a>(lex: &mut Lexer<'a>, sink: &mut impl Sink<'a>) -> std::result::Result<(), Failure> {
    let key = lex.string_value();
    lex.lex()?;
    if lex.token != Token::Colon {
        return Err(unexpected(lex, ParseError::ExpectedColon));
    }
    lex.lex()?;
    sink.key(key)?;
    Ok(())
}

/// PostgreSQL's `check_stack_depth` error (with the default `max_stack_depth`).
pub(crate) fn stack_depth_error() -> Error {
    Error::new(Condition::StatementTooComplex, "stack depth limit exceeded").with_hint(
        "Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), after ensuring the platform's stack depth limit is adequate.",
    )
}
