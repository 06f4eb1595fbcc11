//! The wire layer's input handling as `crate::fuzz` reaches it: names for private functions of
//! the wire layer's modules, so the fuzz entry points need no module made public.
//!
//! Invariants:
//! - Re-exports only: no logic lives here.

pub(crate) use super::error::scrub;
pub(crate) use super::fuzz_wire::{in_pgwire_decoder, json_params, wire};
