//! The date/time values as PostgreSQL stores them: `date`, `time`, `timetz`, `timestamp`,
//! `timestamptz` and `interval`, each a plain integer newtype with PostgreSQL's ordering.
//!
//! Invariants:
//! - The representation is PostgreSQL's on-disk and binary-wire one: days or microseconds since
//!   2000-01-01 00:00 (UTC for `timestamptz`); `i32::MIN`/`i32::MAX` (`date`) and
//!   `i64::MIN`/`i64::MAX` (timestamps) are `-infinity`/`infinity`.
//! - A finite value built by this crate is in PostgreSQL's range; values from elsewhere are
//!   checked by the input and binary-receive functions.
//! - `Interval` orders and compares as PostgreSQL does: by total span with 30-day months and
//!   24-hour days, so `'1 mon' = '30 days'`.

use std::cmp::Ordering;

use super::calendar::{DATE_END_JULIAN, DATETIME_MIN_JULIAN, POSTGRES_EPOCH_JDATE, USECS_PER_DAY};

/// Smallest finite timestamp: 4714-11-24 00:00:00 BC.
pub(crate) const MIN_TIMESTAMP: i64 = -211_813_488_000_000_000;
/// Timestamps are strictly less than this: 294277-01-01 00:00:00.
pub(crate) const END_TIMESTAMP: i64 = 9_223_371_331_200_000_000;

/// `date`: days since 2000-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i32);

/// `time`: microseconds since midnight, `0..=86_400_000_000` (24:00:00 is allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub i64);

/// `timetz`: a time of day with its own UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeTz {
    /// Microseconds since local midnight.
    pub time: i64,
    /// Seconds *west* of UTC, PostgreSQL's sign (`-05` is 18000).
    pub zone: i32,
}

/// `timestamp` (without time zone): microseconds since 2000-01-01 00:00:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// `timestamptz`: microseconds since 2000-01-01 00:00:00 UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimestampTz(pub i64);

/// `interval`: months, days and microseconds, kept apart as PostgreSQL keeps them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Interval {
    /// Months (years are 12 months).
    pub months: i32,
    /// Days.
    pub days: i32,
    /// Microseconds.
    pub micros: i64,
}

impl Date {
    /// `-infinity`.
    pub const NEG_INFINITY: Date = Date(i32::MIN);
    /// `infinity`.
    pub const INFINITY: Date = Date(i32::MAX);

    /// Whether the date is neither infinity.
    pub fn is_finite(self) -> bool {
        self != Date::NEG_INFINITY && self != Date::INFINITY
    }

    /// PostgreSQL's `IS_VALID_DATE`.
    pub fn is_valid(self) -> bool {
        (DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE) <= self.0
            && self.0 < (DATE_END_JULIAN - POSTGRES_EPOCH_JDATE)
    }
}

impl Time {
    /// Whether the value is in `time`'s range.
    pub fn is_valid(self) -> bool {
        (0..=USECS_PER_DAY).contains(&self.0)
    }
}

impl Timestamp {
    /// `-infinity`.
    pub const NEG_INFINITY: Timestamp = Timestamp(i64::MIN);
    /// `infinity`.
    pub const INFINITY: Timestamp = Timestamp(i64::MAX);

    /// Whether the timestamp is neither infinity.
    pub fn is_finite(self) -> bool {
        self.0 != i64::MIN && self.0 != i64::MAX
    }
}

impl TimestampTz {
    /// `-infinity`.
    pub const NEG_INFINITY: TimestampTz = TimestampTz(i64::MIN);
    /// `infinity`.
    pub const INFINITY: TimestampTz = TimestampTz(i64::MAX);

    /// Whether the timestamp is neither infinity.
    pub fn is_finite(self) -> bool {
        self.0 != i64::MIN && self.0 != i64::MAX
    }
}

/// PostgreSQL's `IS_VALID_TIMESTAMP` for either timestamp type's microseconds.
pub(crate) fn is_valid_timestamp(t: i64) -> bool {
    (MIN_TIMESTAMP..END_TIMESTAMP).contains(&t)
}

impl Interval {
    /// An interval from its three fields.
    pub fn new(months: i32, days: i32, micros: i64) -> Interval {
        Interval {
            months,
            days,
            micros,
        }
    }

    /// PostgreSQL's `interval_cmp_value`: the span in microseconds, 30-day months.
    pub fn span(&self) -> i128 {
        let days = i128::from(self.months) * 30 + i128::from(self.days);
        days * i128::from(USECS_PER_DAY) + i128::from(self.micros)
    }
}

impl PartialEq for Interval {
    fn eq(&self, other: &Interval) -> bool {
        self.span() == other.span()
    }
}

impl Eq for Interval {}

impl PartialOrd for Interval {
    fn partial_cmp(&self, other: &Interval) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Interval {
    fn cmp(&self, other: &Interval) -> Ordering {
        self.span().cmp(&other.span())
    }
}

impl std::hash::Hash for Interval {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.span().hash(state);
    }
}

impl TimeTz {
    /// The UTC instant of day this value denotes, PostgreSQL's first sort key.
    fn utc_micros(&self) -> i64 {
        self.time + i64::from(self.zone) * 1_000_000
    }
}

impl PartialOrd for TimeTz {
    fn partial_cmp(&self, other: &TimeTz) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TimeTz {
    /// `timetz_cmp_internal`: by UTC time, then by zone (east of UTC sorts first... as
    /// PostgreSQL: larger `zone` value sorts later).
    fn cmp(&self, other: &TimeTz) -> Ordering {
        self.utc_micros()
            .cmp(&other.utc_micros())
            .then(self.zone.cmp(&other.zone))
    }
}
