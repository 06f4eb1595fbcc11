//! Postgres functions and operators as DataFusion functions: `jsonb` (`jsonb/`), date/time
//! (`datetime/`), full-text search (`tsearch/`), and arrays cast to text as `array_out`
//! writes them (`array_out.rs`).
//!
//! Invariants:
//! - A function answers as PostgreSQL 15 does, or refuses with PostgreSQL's SQLSTATE.

pub(crate) mod array_out;
pub(crate) mod datetime;
pub(crate) mod jsonb;
pub(crate) mod tsearch;
