//! PostgreSQL 15's value semantics and built-in functions, as pure Rust over plain values:
//! what `jsonb`, `jsonpath`, full-text search, the date/time types and the formatting functions
//! answer, byte for byte as a real PostgreSQL 15 answers it. The server adapts these functions
//! to DataFusion; this crate knows no Arrow, no DataFusion, no storage, no sockets and no keys.
//!
//! Invariants:
//! - PostgreSQL 15 is the specification: every function's values, text output and errors are
//!   those of a real PostgreSQL 15, checked differentially by the server's test suite.
//! - No panic on any input: bad input is an `Err` naming PostgreSQL's SQLSTATE condition.

pub mod datetime;
mod error;
pub mod float;
pub mod format;
pub mod json;
pub mod jsonb;
pub mod jsonpath;
pub mod numeric;
pub mod sql;
mod strtol;
#[cfg(test)]
mod testdata;
pub mod tsearch;

pub use error::{Condition, Error, Result};
pub use jsonb::Jsonb;
pub use numeric::Numeric;
