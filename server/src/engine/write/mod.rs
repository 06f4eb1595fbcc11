//! Writes: INSERT, UPDATE, DELETE and COPY FROM of documents become new sealed revisions;
//! `mindoo.apply`, binary COPY and `mindoo.move` import entries sealed elsewhere.
//!
//! Invariants:
//! - Nothing goes through DataFusion's own DML (`insert_into`/`update`/`delete_from`): the rows
//!   to change are found with a DataFusion SELECT built as an AST (`select.rs`) — or, for
//!   constant rows and a single id, by `direct.rs` with the same answer — then new revisions
//!   are sealed (`revision.rs`), on every core when a statement writes many.
//! - The write path builds no SQL text.
//! - Nothing unverified is imported: every entry's signature is checked before the first write,
//!   and a failure writes nothing.

pub(crate) mod apply;
pub(crate) mod copy;
mod copy_sealed;
mod direct;
pub(crate) mod graft;
pub(crate) mod insert;
pub(crate) mod modify;
pub(crate) mod params;
pub(crate) mod returning;
pub(crate) mod revision;
mod upsert;
