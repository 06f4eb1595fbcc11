//! Sessions and what they share: the `Engine` every session of a server holds, one
//! `Session` per connection with its keys, settings and transaction, commits and their
//! notifications, the activity registry and admission.
//!
//! Invariants:
//! - A session's keys and identity live only in its memory (`keys.rs`) and zeroize when it
//!   ends.
//! - The transaction's status and its pending writes are one value (`txn.rs`), inside the state
//!   the session shares with its table providers (`state.rs`) and with nobody else.
//! - Everything commits through `commit.rs`, which announces commits after they are durable.

mod access;
pub(crate) mod activity;
pub(crate) mod audit;
pub(crate) mod clock;
pub(crate) mod commit;
pub(crate) mod copy_in;
pub(crate) mod cursors;
pub(crate) mod keys;
pub(crate) mod listen;
mod privileges;
pub(crate) mod receipts;
#[allow(
    clippy::module_inception,
    reason = "the session type's own file in the session folder"
)]
mod session;
pub(crate) mod set_show;
mod shared;
pub(crate) mod state;
pub(crate) mod sync_lag;
pub(crate) mod txn;

pub(crate) use activity::ClientAddr;
pub(crate) use session::{Parts, Session};
pub(crate) use shared::{Engine, Limits, Login, NodeMode};
