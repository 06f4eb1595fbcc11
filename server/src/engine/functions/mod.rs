//! Postgres functions and operators as DataFusion functions: `jsonb` (`jsonb/`).
//!
//! Invariants:
//! - A function answers as PostgreSQL 15 does, or refuses with PostgreSQL's SQLSTATE.

pub(crate) mod jsonb;
