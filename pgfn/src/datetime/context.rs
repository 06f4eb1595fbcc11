//! The session state date/time functions read: the `TimeZone` setting and the transaction's
//! start time (what `now()`, `'today'` and `current_date` mean).
//!
//! Invariants:
//! - Functions never read a clock: the server passes the transaction start time, so results
//!   are deterministic and stable within a transaction, as in PostgreSQL.
//! - `DateStyle` is `ISO, MDY` and `IntervalStyle` is `postgres`, the only styles served.

use super::types::TimestampTz;
use super::zone::Zone;

/// The session settings and clock a date/time function sees.
#[derive(Debug, Clone)]
pub struct Context {
    /// The session's `TimeZone`.
    pub zone: Zone,
    /// The current transaction's start time (`now()`).
    pub now: TimestampTz,
}

impl Context {
    /// A context with the given zone and transaction start time.
    pub fn new(zone: Zone, now: TimestampTz) -> Context {
        Context { zone, now }
    }
}
