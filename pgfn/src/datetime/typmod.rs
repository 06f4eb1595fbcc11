//! Fractional-second precision of `timestamp(p)`, `timestamptz(p)`, `time(p)`, `timetz(p)`
//! and `interval(p)`: PostgreSQL's `AdjustTimestampForTypmod` and friends.
//!
//! Invariants:
//! - Rounds half away from zero to `p` digits (0..=6); infinities are left alone.

use super::types::{Interval, Time, Timestamp, TimestampTz};
use crate::{Condition, Error, Result};

/// Rounds microseconds to `precision` fraction digits, half away from zero.
pub(crate) fn round_micros(t: i64, precision: i32) -> i64 {
    if !(0..6).contains(&precision) {
        return t;
    }
    let scale = 10i64.pow(6 - precision as u32);
    let offset = scale / 2;
    if t >= 0 {
        (t.saturating_add(offset) / scale) * scale
    } else {
        -((t.saturating_neg().saturating_add(offset) / scale) * scale)
    }
}

fn check(kind: &str, precision: i32) -> Result<()> {
    if (0..=6).contains(&precision) {
        return Ok(());
    }
    Err(Error::new(
        Condition::InvalidParameterValue,
        format!("{kind}({precision}) precision must be between 0 and 6"),
    ))
}

/// `timestamp(p)`: the value rounded to `precision` digits.
pub fn timestamp_round(ts: Timestamp, precision: i32) -> Result<Timestamp> {
    if !ts.is_finite() {
        return Ok(ts);
    }
    check("timestamp", precision)?;
    Ok(Timestamp(round_micros(ts.0, precision)))
}

/// `timestamptz(p)`.
pub fn timestamptz_round(ts: TimestampTz, precision: i32) -> Result<TimestampTz> {
    if !ts.is_finite() {
        return Ok(ts);
    }
    check("timestamp", precision)?;
    Ok(TimestampTz(round_micros(ts.0, precision)))
}

/// `time(p)` (and the time part of `timetz(p)`); precisions outside 0..=6 leave it as is.
pub fn time_round(time: Time, precision: i32) -> Time {
    Time(round_micros(time.0, precision))
}

/// `interval(p)`: the microseconds rounded to `precision` digits.
pub fn interval_round(span: Interval, precision: i32) -> Result<Interval> {
    check("interval", precision)?;
    Ok(Interval::new(
        span.months,
        span.days,
        round_micros(span.micros, precision),
    ))
}
