//! Cross-type comparisons (`date` vs `timestamp[tz]`, `timestamp` vs `timestamptz`) and
//! `OVERLAPS`, as PostgreSQL 15 answers them.
//!
//! Invariants:
//! - A value that overflows the other type's range compares as that type's infinity would,
//!   never as an error (PostgreSQL's `*_opt_overflow` conversions).
//! - `OVERLAPS` treats NULL ends and reversed periods exactly as `overlaps_timestamp` does.

use std::cmp::Ordering;

use super::arith::date_midnight_in_zone;
use super::calendar::{POSTGRES_EPOCH_JDATE, TIMESTAMP_END_JULIAN, USECS_PER_DAY, USECS_PER_SEC};
use super::context::Context;
use super::tm::{determine_offset, timestamp2tm};
use super::types::{Date, MIN_TIMESTAMP, Timestamp, TimestampTz, is_valid_timestamp};

/// Where a converted value landed: inside the range, or past one of its ends.
enum Converted {
    Value(i64),
    Below,
    Above,
}

fn compare(converted: Converted, other: i64) -> Ordering {
    match converted {
        Converted::Value(v) => v.cmp(&other),
        Converted::Above => {
            if other == i64::MAX {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        Converted::Below => {
            if other == i64::MIN {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

fn checked(result: i64) -> Converted {
    if is_valid_timestamp(result) {
        Converted::Value(result)
    } else if result < MIN_TIMESTAMP {
        Converted::Below
    } else {
        Converted::Above
    }
}

/// `timestamp2timestamptz_opt_overflow`.
fn timestamp_as_tz(ts: i64, ctx: &Context) -> Converted {
    if ts == i64::MIN || ts == i64::MAX {
        return Converted::Value(ts);
    }
    match timestamp2tm(ts, None) {
        Some((mut tm, _, _)) => {
            let tz = determine_offset(&mut tm, &ctx.zone);
            checked(ts.saturating_add(i64::from(tz) * USECS_PER_SEC))
        }
        None => Converted::Above,
    }
}

/// `date2timestamp_opt_overflow`, in the session zone when `ctx` is given (`timestamptz`).
fn date_as_timestamp(date: Date, ctx: Option<&Context>) -> Converted {
    if date == Date::NEG_INFINITY {
        return Converted::Value(i64::MIN);
    }
    if date == Date::INFINITY {
        return Converted::Value(i64::MAX);
    }
    if date.0 >= TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE {
        return Converted::Above;
    }
    match ctx {
        None => Converted::Value(i64::from(date.0) * USECS_PER_DAY),
        Some(ctx) => checked(date_midnight_in_zone(date, ctx)),
    }
}

/// `timestamp <=> timestamptz` (the timestamp read in the session zone).
pub fn timestamp_cmp_timestamptz(ts: Timestamp, tstz: TimestampTz, ctx: &Context) -> Ordering {
    compare(timestamp_as_tz(ts.0, ctx), tstz.0)
}

/// `date <=> timestamp`.
pub fn date_cmp_timestamp(date: Date, ts: Timestamp) -> Ordering {
    compare(date_as_timestamp(date, None), ts.0)
}

/// `date <=> timestamptz` (midnight in the session zone).
pub fn date_cmp_timestamptz(date: Date, tstz: TimestampTz, ctx: &Context) -> Ordering {
    compare(date_as_timestamp(date, Some(ctx)), tstz.0)
}

/// `(s1, e1) OVERLAPS (s2, e2)` for any ordered date/time values; `None` ends are SQL NULLs
/// and a `None` result is NULL.
pub fn overlaps<T: Ord + Copy>(
    s1: Option<T>,
    e1: Option<T>,
    s2: Option<T>,
    e2: Option<T>,
) -> Option<bool> {
    let (s1, e1) = period(s1, e1)?;
    let (s2, e2) = period(s2, e2)?;
    match s1.cmp(&s2) {
        Ordering::Greater => {
            if e2? > s1 {
                return Some(true);
            }
            e1?;
            Some(false)
        }
        Ordering::Less => {
            if e1? > s2 {
                return Some(true);
            }
            e2?;
            Some(false)
        }
        Ordering::Equal => {
            e1?;
            e2?;
            Some(true)
        }
    }
}

/// A period's start and (possibly NULL) end, swapped into order; NULL if both are NULL.
fn period<T: Ord + Copy>(start: Option<T>, end: Option<T>) -> Option<(T, Option<T>)> {
    match (start, end) {
        (None, None) => None,
        (None, Some(e)) => Some((e, None)),
        (Some(s), None) => Some((s, None)),
        (Some(s), Some(e)) => Some(if s > e { (e, Some(s)) } else { (s, Some(e)) }),
    }
}
