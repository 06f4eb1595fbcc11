//! Postgres functions and operators as DataFusion functions: `jsonb` (`jsonb/`), date/time
//! (`datetime/`), full-text search (`tsearch/`), and arrays cast to text as `array_out`
//! writes them (`array_out.rs`); `rewrite_exprs.rs` is the plan walk their analyzer rules share.
//!
//! Invariants:
//! - A function answers as PostgreSQL 15 does, or refuses with PostgreSQL's SQLSTATE.

pub(crate) mod array_out;
pub(crate) mod datetime;
pub(crate) mod jsonb;
mod rewrite_exprs;
pub(crate) mod tsearch;
