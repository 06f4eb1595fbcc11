//! Postgres functions and operators as DataFusion functions: `jsonb` (`jsonb/`) and date/time
//! (`datetime/`).
//!
//! Invariants:
//! - A function answers as PostgreSQL 15 does, or refuses with PostgreSQL's SQLSTATE.

pub(crate) mod datetime;
pub(crate) mod jsonb;
