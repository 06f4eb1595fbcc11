//! The COPY FROM STDIN a session is receiving: whatever `write/copy.rs` started, held here
//! until CopyDone or CopyFail.
//!
//! Invariants:
//! - At most one per session; nothing is written before `finish`, and a dropped or failed COPY
//!   writes nothing.

use futures::future::BoxFuture;

use super::Session;
use crate::error::Result;

/// A COPY FROM STDIN waiting for (more of) its data.
pub(crate) trait CopyInProgress: Send + Sync {
    /// One CopyData message. Bad data is remembered and reported by `finish`, as Postgres
    /// reports it at CopyDone.
    fn push(&mut self, data: &[u8]);

    /// CopyDone: writes what arrived; the number of rows.
    fn finish<'s>(self: Box<Self>, session: &'s mut Session) -> BoxFuture<'s, Result<usize>>;
}
