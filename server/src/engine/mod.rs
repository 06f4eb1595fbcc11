//! The SQL engine: one `Engine` per server, one `Session` per connection. The wire layer
//! (`pg/`) calls only the functions re-exported here and maps `Output`/`Error` to the protocol.
//!
//! Folders, each importing only from the ones listed after it (and from `catalog/`):
//! - `run.rs`, `login.rs`, `prepared.rs`: a statement's way through (start at `run.rs`).
//! - `ddl/`, `mindoo/`, `write/`: what statements do (tables, views, roles; `mindoo.*`;
//!   INSERT/UPDATE/DELETE/COPY and imports); `mindoo/` uses `write/`.
//! - `read/`: tables and views as DataFusion relations, scans, point reads, queries.
//! - `rewrite/`: Postgres syntax rewritten on the AST before planning.
//! - `functions/`: Postgres functions and operators as DataFusion functions.
//! - `session/`: sessions, their keys, settings and transactions; commits and notifications.
//! - `sql/`: parsing, classification, parameters, redaction.
//!
//! Invariants:
//! - A session's keys and identity live only in its memory and zeroize when it ends.
//! - Statements are classified once, from the parsed AST (`sql/classify.rs`), never from text.
//! - Nothing here imports `pg/` or pgwire.
//!
//! See: docs/ARCHITECTURE.md#server

mod ddl;
mod functions;
pub(crate) mod fuzz_hooks;
mod login;
mod mindoo;
mod prepared;
mod read;
mod rewrite;
mod run;
mod session;
mod sql;
mod write;

pub(crate) use mindoo::sync::TenantNode;
pub(crate) use prepared::Prepared;
pub(crate) use session::listen::{CHANNEL, Commit};
pub(crate) use session::receipts::sign_receipts;
pub(crate) use session::sync_lag::PeerLag;
pub(crate) use session::txn::TxnStatus;
pub(crate) use session::{ClientAddr, Engine, Limits, Login, NodeMode, Session};
pub(crate) use sql::own_syntax::Parsed;
