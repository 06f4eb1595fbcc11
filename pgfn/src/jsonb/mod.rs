//! PostgreSQL 15's `jsonb`: the value, its text input and output, its order, and its
//! operators and functions (chapter 9.16 of PostgreSQL's documentation).

mod cmp;
mod output;
mod parse;
#[cfg(test)]
mod tests;
mod value;

pub use output::escape_json;
pub use parse::parse;
pub use value::{Jsonb, Object, key_order};
