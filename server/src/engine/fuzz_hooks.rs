//! The engine's input handling as `crate::fuzz` reaches it: names for private functions of the
//! engine's modules, so the fuzz entry points need no module made public.
//!
//! Invariants:
//! - Re-exports only: no logic lives here.

pub(crate) use super::array_literal::parse as array_literal;
pub(crate) use super::classify::{kind, parse};
pub(crate) use super::ddl::{show_name, value_text};
pub(crate) use super::dialect::rewrite;
pub(crate) use super::dml::normalize_json;
pub(crate) use super::feeds::cursors_arg as cursors;
pub(crate) use super::json::{
    as_text_value, concat, contains, parse as parse_json, parse_path, path, set,
};
pub(crate) use super::redact::redact;
