//! The PostgreSQL wire protocol front end; the only module that knows pgwire.
//!
//! Invariants:
//! - Handlers convert in, call the engine's `Session`, convert out; SQL semantics live in
//!   `crate::engine`.
//! - Every error reaches the client through `error::to_pg_error`.

mod connection;
mod copy;
mod decode;
mod deferred;
mod encode;
mod error;
mod extended;
pub(crate) mod fuzz_hooks;
mod fuzz_wire;
mod interrupt;
pub(crate) mod listener;
mod notice;
pub(crate) mod scram;
mod send;
mod simple;
mod sqlstate;
mod startup;
mod status;
mod transport;
mod unix_socket;
mod values;
