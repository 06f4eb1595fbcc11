//! PostgreSQL 15's `json`: JSON kept as its input text, the lexer and parser shared with
//! `jsonb`, and the `json` functions.

pub(crate) mod lex;
pub(crate) mod parse;

pub use parse::MAX_DEPTH;

/// PostgreSQL's `json_in` check: `Ok` when `text` is valid JSON (strings' escapes are checked
/// for syntax only, so `"\ud800"` and `"\u0000"` pass, as in PostgreSQL).
pub fn validate(text: &str) -> crate::Result<()> {
    parse::parse(text, false, &mut parse::Validate)
}
