//! End-to-end tests of the `mindoodb` binary over the PostgreSQL wire protocol, with
//! tokio-postgres (and psql) as the client: authentication, TLS, errors, cancel, lifecycle,
//! the SQL dialect, views, savepoints and streaming scans.
//!
//! Invariants:
//! - Every test starts its own server process on an ephemeral loopback port with its own
//!   temporary data directory, so tests run in parallel.
//! - Readiness is the server's own "listening" log line, never a sleep.

mod audit;
mod audit_mirror;
mod auth;
mod backups;
mod bad_input;
mod clients;
mod commits;
mod copy;
mod crash;
mod differential;
mod disk_full;
mod dml_direct;
mod feeds;
mod fuzz_corpus;
mod jsonb;
mod lifecycle;
mod listen;
mod load;
mod names;
mod operations;
mod point_reads;
mod privilege_table;
mod privileges;
mod psql;
mod psql_catalog;
mod queries;
mod savepoints;
mod scan;
mod secrets;
mod security;
mod shards;
mod sql;
mod streaming;
mod support;
mod sync;
mod tamper;
mod terminal;
mod tidy;
mod tls;
mod transports;
mod views;
mod writers;
