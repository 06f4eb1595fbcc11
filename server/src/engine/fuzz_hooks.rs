//! The engine's input handling as `crate::fuzz` reaches it: names for private functions of the
//! engine's modules, so the fuzz entry points need no module made public.
//!
//! Invariants:
//! - Re-exports only: no logic lives here.

pub(crate) use super::functions::jsonb::{Arg as JsonbArg, Kind as JsonbKind, Out as JsonbOut};
pub(crate) use super::mindoo::cursors_arg as cursors;
pub(crate) use super::rewrite::pg_syntax::rewrite;
pub(crate) use super::session::set_show::show_name;
pub(crate) use super::sql::array_text::parse as array_literal;
pub(crate) use super::sql::classify::classify;
pub(crate) use super::sql::literal::value_text;
pub(crate) use super::sql::own_syntax::Parsed;
pub(crate) use super::sql::parse::parse;
pub(crate) use super::sql::redact::redact;
pub(crate) use super::write::revision::normalize_json;
