//! SQL text to classified statements: the PostgreSQL dialect and its budgeted parse, the one
//! classification of each statement, `$n` parameters of the statements our own code runs, and
//! the redacted text logs and `mindoo.activity` show.
//!
//! Invariants:
//! - Nothing here reads the store or a session: these are pure functions of the text.

pub(crate) mod array_text;
pub(crate) mod ast;
pub(crate) mod classify;
mod cursor_syntax;
pub(crate) mod dialect;
mod grant_syntax;
pub(crate) mod literal;
pub(crate) mod own_syntax;
pub(crate) mod params;
pub(crate) mod parse;
pub(crate) mod redact;
pub(crate) mod relations;
