//! PostgreSQL 15's `jsonb`: the value, its text input and output, its order, and its
//! operators and functions (chapter 9.16 of PostgreSQL's documentation).

mod access;
mod build;
mod cmp;
mod fast;
mod modify;
mod output;
mod parse;
pub(crate) mod record;
#[cfg(test)]
mod tests;
mod value;

pub use access::{
    array_elements, array_elements_text, array_length, as_text, contains, each, each_text, element,
    element_text, exists, exists_all, exists_any, field, field_text, object_keys, path, path_text,
};
pub use build::{
    JsonbAgg, JsonbObjectAgg, build_array, build_object, object_from_array, object_from_arrays,
    to_bool, to_f32, to_f64, to_i16, to_i32, to_i64, to_jsonb, to_numeric,
};
pub use fast::{field_in_text, field_text_in_text};
pub use modify::{
    concat, delete_index, delete_key, delete_keys, delete_path, insert, set, set_lax, strip_nulls,
    subscript_assign,
};
pub use output::escape_json;
pub use parse::parse;
pub use record::{FieldType, ScalarInput, populate_record, populate_recordset};
pub use value::{Jsonb, Object, key_order};
