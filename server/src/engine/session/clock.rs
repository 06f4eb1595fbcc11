//! This server's clock, read in one place: the author clocks of the revisions and commits
//! sessions write, the times of receipts, and the times `mindoo.activity` shows.
//!
//! Invariants:
//! - Microseconds since the Unix epoch, UTC; untrusted across machines (docs/FORMAT.md).

use mindoodb_protocol::AuthorClock;

/// Now, in microseconds since the Unix epoch.
pub(crate) fn now_micros() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

/// Now, as the author clock of what this server writes.
pub(crate) fn now() -> AuthorClock {
    AuthorClock(now_micros())
}
