//! Interval field restrictions (`INTERVAL '1 2' DAY TO HOUR`, `interval(2)`): which unit a
//! bare number means on input, and how `AdjustIntervalForTypmod` truncates the value.
//!
//! Invariants:
//! - Exactly PostgreSQL's thirteen field ranges; fields finer than the range are dropped
//!   (toward zero), then the precision rounds the seconds.

use super::calendar::{USECS_PER_HOUR, USECS_PER_MINUTE};
use super::tokens::Unit;
use super::types::Interval;
use super::typmod::interval_round;
use crate::Result;

/// The field range of an `interval` type modifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalFields {
    Year,
    Month,
    YearToMonth,
    Day,
    Hour,
    Minute,
    Second,
    DayToHour,
    DayToMinute,
    DayToSecond,
    HourToMinute,
    HourToSecond,
    MinuteToSecond,
}

impl IntervalFields {
    /// The unit of a number with no unit of its own (PostgreSQL's rightmost field).
    pub(crate) fn default_unit(self) -> Unit {
        use IntervalFields as F;
        match self {
            F::Year => Unit::Year,
            F::Month | F::YearToMonth => Unit::Month,
            F::Day => Unit::Day,
            F::Hour | F::DayToHour => Unit::Hour,
            F::Minute | F::HourToMinute | F::DayToMinute => Unit::Minute,
            F::Second | F::MinuteToSecond | F::HourToSecond | F::DayToSecond => Unit::Second,
        }
    }

    /// Truncates the fields finer than the range.
    fn truncate(self, span: Interval) -> Interval {
        use IntervalFields as F;
        let mut r = span;
        match self {
            F::Year => {
                r.months = (r.months / 12) * 12;
                r.days = 0;
                r.micros = 0;
            }
            F::Month | F::YearToMonth => {
                r.days = 0;
                r.micros = 0;
            }
            F::Day => r.micros = 0,
            F::Hour | F::DayToHour => r.micros = (r.micros / USECS_PER_HOUR) * USECS_PER_HOUR,
            F::Minute | F::DayToMinute | F::HourToMinute => {
                r.micros = (r.micros / USECS_PER_MINUTE) * USECS_PER_MINUTE;
            }
            F::Second | F::DayToSecond | F::HourToSecond | F::MinuteToSecond => {}
        }
        r
    }
}

/// `interval_in` with a type modifier: `fields` restricts and truncates, `precision` rounds
/// the seconds (both as PostgreSQL's `interval_in(text, typmod)` applies them).
pub fn interval_in_typmod(
    input: &str,
    fields: Option<IntervalFields>,
    precision: Option<i32>,
) -> Result<Interval> {
    interval_adjust(
        super::text_io::interval_in_range(input, fields)?,
        fields,
        precision,
    )
}

/// `AdjustIntervalForTypmod` on an existing value (a cast to `interval(p) fields`).
pub fn interval_adjust(
    span: Interval,
    fields: Option<IntervalFields>,
    precision: Option<i32>,
) -> Result<Interval> {
    let span = match fields {
        Some(f) => f.truncate(span),
        None => span,
    };
    match precision {
        Some(p) => interval_round(span, p),
        None => Ok(span),
    }
}
