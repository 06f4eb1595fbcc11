//! PostgreSQL 15's `json`: JSON kept as its input text, the lexer and parser shared with
//! `jsonb`, and the `json` functions, which read the text and hand back slices of it or
//! build new text spaced as PostgreSQL spaces it.

mod access;
mod build;
pub(crate) mod lex;
pub(crate) mod parse;
mod record;
#[cfg(test)]
mod tests;
mod tree;

pub use access::{
    array_elements, array_elements_text, array_length, each, each_text, element, element_text,
    field, field_text, object_keys, path, path_text, strip_nulls, type_of,
};
pub use build::{
    JsonAgg, JsonObjectAgg, array_to_json, build_array, build_object, object_from_array,
    object_from_arrays, row_to_json, to_json,
};
pub use parse::MAX_DEPTH;
pub use record::{populate_record, populate_recordset};

/// PostgreSQL's `json_in` check: `Ok` when `text` is valid JSON (strings' escapes are checked
/// for syntax only, so `"\ud800"` and `"\u0000"` pass, as in PostgreSQL).
pub fn validate(text: &str) -> crate::Result<()> {
    parse::parse(text, false, &mut parse::Validate)
}
