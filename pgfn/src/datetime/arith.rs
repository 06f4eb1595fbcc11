//! Date, time and timestamp arithmetic: `timestamp[tz] ± interval` (months, then days, then
//! microseconds), `timestamp - timestamp`, `date ± integer`, `date - date`, `date ± interval`,
//! `time ± interval`, `time - time`, `age` and `date_bin`.
//!
//! Invariants:
//! - Month arithmetic clamps the day to the target month's length; `timestamptz` arithmetic on
//!   months and days happens in local time of the session zone, as PostgreSQL does.
//! - Results outside PostgreSQL's ranges are `timestamp out of range` / `date out of range`.

use super::calendar::{
    DAY_TAB, HOURS_PER_DAY, MINS_PER_HOUR, MONTHS_PER_YEAR, POSTGRES_EPOCH_JDATE, SECS_PER_MINUTE,
    TIMESTAMP_END_JULIAN, USECS_PER_DAY, USECS_PER_SEC, date2j, is_leap, j2date,
};
use super::context::Context;
use super::interval_ops::{interval_out_of_range, justify_hours};
use super::text_io::timestamp_out_of_range;
use super::tm::{Itm, Tm, determine_offset, itm2interval, timestamp2tm, tm2timestamp};
use super::types::{Date, Interval, Time, TimeTz, Timestamp, TimestampTz, is_valid_timestamp};
use super::zone::Zone;
use crate::{Condition, Error, Result};

fn date_out_of_range() -> Error {
    Error::new(Condition::DatetimeFieldOverflow, "date out of range")
}

/// Shared body of `timestamp_pl_interval` and `timestamptz_pl_interval`; `zone` is the session
/// zone for `timestamptz`.
fn pl_interval(ts: i64, span: Interval, zone: Option<&Zone>) -> Result<i64> {
    if ts == i64::MIN || ts == i64::MAX {
        return Ok(ts);
    }
    let mut ts = ts;
    if span.months != 0 {
        let (mut tm, fsec, _) = timestamp2tm(ts, zone).ok_or_else(timestamp_out_of_range)?;
        tm.mon = tm
            .mon
            .checked_add(span.months)
            .ok_or_else(timestamp_out_of_range)?;
        if tm.mon > MONTHS_PER_YEAR {
            tm.year += (tm.mon - 1) / MONTHS_PER_YEAR;
            tm.mon = (tm.mon - 1) % MONTHS_PER_YEAR + 1;
        } else if tm.mon < 1 {
            tm.year += tm.mon / MONTHS_PER_YEAR - 1;
            tm.mon = tm.mon % MONTHS_PER_YEAR + MONTHS_PER_YEAR;
        }
        let dim = DAY_TAB[usize::from(is_leap(tm.year))][(tm.mon - 1) as usize];
        if tm.mday > dim {
            tm.mday = dim;
        }
        let tz = zone.map(|z| determine_offset(&mut tm, z));
        ts = tm2timestamp(&tm, fsec, tz).ok_or_else(timestamp_out_of_range)?;
    }
    if span.days != 0 {
        let (mut tm, fsec, _) = timestamp2tm(ts, zone).ok_or_else(timestamp_out_of_range)?;
        let julian = date2j(tm.year, tm.mon, tm.mday)
            .checked_add(span.days)
            .ok_or_else(timestamp_out_of_range)?;
        let floor = if zone.is_some() { -1 } else { 0 };
        if julian < floor {
            return Err(timestamp_out_of_range());
        }
        let (y, m, d) = j2date(julian);
        tm.year = y;
        tm.mon = m;
        tm.mday = d;
        let tz = zone.map(|z| determine_offset(&mut tm, z));
        ts = tm2timestamp(&tm, fsec, tz).ok_or_else(timestamp_out_of_range)?;
    }
    let ts = ts
        .checked_add(span.micros)
        .ok_or_else(timestamp_out_of_range)?;
    if !is_valid_timestamp(ts) {
        return Err(timestamp_out_of_range());
    }
    Ok(ts)
}

fn negate(span: Interval) -> Interval {
    Interval::new(
        span.months.wrapping_neg(),
        span.days.wrapping_neg(),
        span.micros.wrapping_neg(),
    )
}

/// `timestamp + interval`.
pub fn timestamp_pl_interval(ts: Timestamp, span: Interval) -> Result<Timestamp> {
    pl_interval(ts.0, span, None).map(Timestamp)
}

/// `timestamp - interval`.
pub fn timestamp_mi_interval(ts: Timestamp, span: Interval) -> Result<Timestamp> {
    pl_interval(ts.0, negate(span), None).map(Timestamp)
}

/// `timestamptz + interval`, months and days in the session zone.
pub fn timestamptz_pl_interval(
    ts: TimestampTz,
    span: Interval,
    ctx: &Context,
) -> Result<TimestampTz> {
    pl_interval(ts.0, span, Some(&ctx.zone)).map(TimestampTz)
}

/// `timestamptz - interval`.
pub fn timestamptz_mi_interval(
    ts: TimestampTz,
    span: Interval,
    ctx: &Context,
) -> Result<TimestampTz> {
    pl_interval(ts.0, negate(span), Some(&ctx.zone)).map(TimestampTz)
}

/// `timestamp - timestamp` (also for `timestamptz`): justified to days and time.
pub fn timestamp_mi(a: i64, b: i64) -> Result<Interval> {
    if a == i64::MIN || a == i64::MAX || b == i64::MIN || b == i64::MAX {
        return Err(Error::new(
            Condition::DatetimeFieldOverflow,
            "cannot subtract infinite timestamps",
        ));
    }
    justify_hours(Interval::new(0, 0, a.wrapping_sub(b)))
}

/// `date + integer`.
pub fn date_pli(date: Date, days: i32) -> Result<Date> {
    if !date.is_finite() {
        return Ok(date);
    }
    let result = date.0.checked_add(days).ok_or_else(date_out_of_range)?;
    let result = Date(result);
    if !result.is_valid() {
        return Err(date_out_of_range());
    }
    Ok(result)
}

/// `date - integer`.
pub fn date_mii(date: Date, days: i32) -> Result<Date> {
    if !date.is_finite() {
        return Ok(date);
    }
    let result = Date(date.0.checked_sub(days).ok_or_else(date_out_of_range)?);
    if !result.is_valid() {
        return Err(date_out_of_range());
    }
    Ok(result)
}

/// `date - date`: days between.
pub fn date_mi(a: Date, b: Date) -> Result<i32> {
    if !a.is_finite() || !b.is_finite() {
        return Err(Error::new(
            Condition::DatetimeFieldOverflow,
            "cannot subtract infinite dates",
        ));
    }
    Ok(a.0.wrapping_sub(b.0))
}

/// `date::timestamp` (`date2timestamp`).
pub fn date_to_timestamp(date: Date) -> Result<Timestamp> {
    if date == Date::NEG_INFINITY {
        return Ok(Timestamp::NEG_INFINITY);
    }
    if date == Date::INFINITY {
        return Ok(Timestamp::INFINITY);
    }
    if date.0 >= TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE {
        return Err(Error::new(
            Condition::DatetimeFieldOverflow,
            "date out of range for timestamp",
        ));
    }
    Ok(Timestamp(i64::from(date.0) * USECS_PER_DAY))
}

/// Microseconds of local midnight of a finite date in `ctx`'s zone, as an instant; may fall
/// outside the timestamp range (callers check, as `date2timestamptz_opt_overflow` does).
pub(crate) fn date_midnight_in_zone(date: Date, ctx: &Context) -> i64 {
    let (year, mon, mday) = j2date(date.0.wrapping_add(POSTGRES_EPOCH_JDATE));
    let mut tm = Tm {
        year,
        mon,
        mday,
        ..Tm::default()
    };
    let tz = determine_offset(&mut tm, &ctx.zone);
    i64::from(date.0) * USECS_PER_DAY + i64::from(tz) * USECS_PER_SEC
}

/// `date::timestamptz`: midnight in the session zone.
pub fn date_to_timestamptz(date: Date, ctx: &Context) -> Result<TimestampTz> {
    let ts = date_to_timestamp(date)?;
    if !ts.is_finite() {
        return Ok(TimestampTz(ts.0));
    }
    let result = date_midnight_in_zone(date, ctx);
    if !is_valid_timestamp(result) {
        return Err(Error::new(
            Condition::DatetimeFieldOverflow,
            "date out of range for timestamp",
        ));
    }
    Ok(TimestampTz(result))
}

/// `date + interval` (a timestamp).
pub fn date_pl_interval(date: Date, span: Interval) -> Result<Timestamp> {
    timestamp_pl_interval(date_to_timestamp(date)?, span)
}

/// `date - interval` (a timestamp).
pub fn date_mi_interval(date: Date, span: Interval) -> Result<Timestamp> {
    timestamp_mi_interval(date_to_timestamp(date)?, span)
}

/// `date + time` (a timestamp).
pub fn date_pl_time(date: Date, time: Time) -> Result<Timestamp> {
    let ts = date_to_timestamp(date)?;
    if !ts.is_finite() {
        return Ok(ts);
    }
    let result = ts.0 + time.0;
    if !is_valid_timestamp(result) {
        return Err(timestamp_out_of_range());
    }
    Ok(Timestamp(result))
}

fn wrap_day(t: i64) -> i64 {
    let r = t - t / USECS_PER_DAY * USECS_PER_DAY;
    if r < 0 { r + USECS_PER_DAY } else { r }
}

/// `time + interval` (wraps around midnight).
pub fn time_pl_interval(time: Time, span: Interval) -> Time {
    Time(wrap_day(time.0.wrapping_add(span.micros)))
}

/// `time - interval`.
pub fn time_mi_interval(time: Time, span: Interval) -> Time {
    Time(wrap_day(time.0.wrapping_sub(span.micros)))
}

/// `time - time`.
pub fn time_mi_time(a: Time, b: Time) -> Interval {
    Interval::new(0, 0, a.0 - b.0)
}

/// `timetz + interval`.
pub fn timetz_pl_interval(time: TimeTz, span: Interval) -> TimeTz {
    TimeTz {
        time: wrap_day(time.time.wrapping_add(span.micros)),
        zone: time.zone,
    }
}

/// `timetz - interval`.
pub fn timetz_mi_interval(time: TimeTz, span: Interval) -> TimeTz {
    TimeTz {
        time: wrap_day(time.time.wrapping_sub(span.micros)),
        zone: time.zone,
    }
}

/// Shared body of the two-argument `age`.
fn age_common(dt1: i64, dt2: i64, zone: Option<&Zone>) -> Result<Interval> {
    let (Some((tm1, fsec1, _)), Some((tm2, fsec2, _))) =
        (timestamp2tm(dt1, zone), timestamp2tm(dt2, zone))
    else {
        return Err(timestamp_out_of_range());
    };
    let mut d = Itm {
        usec: fsec1 - fsec2,
        sec: tm1.sec - tm2.sec,
        min: tm1.min - tm2.min,
        hour: i64::from(tm1.hour - tm2.hour),
        mday: tm1.mday - tm2.mday,
        mon: tm1.mon - tm2.mon,
        year: tm1.year.wrapping_sub(tm2.year),
    };
    // PostgreSQL borrows on the positive difference, then restores the sign.
    let flip = dt1 < dt2;
    if flip {
        negate_fields(&mut d);
    }
    while d.usec < 0 {
        d.usec += USECS_PER_SEC as i32;
        d.sec -= 1;
    }
    while d.sec < 0 {
        d.sec += SECS_PER_MINUTE;
        d.min -= 1;
    }
    while d.min < 0 {
        d.min += MINS_PER_HOUR;
        d.hour -= 1;
    }
    while d.hour < 0 {
        d.hour += i64::from(HOURS_PER_DAY);
        d.mday -= 1;
    }
    while d.mday < 0 {
        let base = if flip { &tm1 } else { &tm2 };
        d.mday += DAY_TAB[usize::from(is_leap(base.year))][(base.mon - 1) as usize];
        d.mon -= 1;
    }
    while d.mon < 0 {
        d.mon += MONTHS_PER_YEAR;
        d.year = d.year.wrapping_sub(1);
    }
    if flip {
        negate_fields(&mut d);
    }
    itm2interval(&d).ok_or_else(interval_out_of_range)
}

fn negate_fields(d: &mut Itm) {
    d.usec = -d.usec;
    d.sec = -d.sec;
    d.min = -d.min;
    d.hour = -d.hour;
    d.mday = -d.mday;
    d.mon = -d.mon;
    d.year = d.year.wrapping_neg();
}

/// `age(timestamp, timestamp)`.
pub fn timestamp_age(a: Timestamp, b: Timestamp) -> Result<Interval> {
    age_common(a.0, b.0, None)
}

/// `age(timestamptz, timestamptz)`, fields in the session zone.
pub fn timestamptz_age(a: TimestampTz, b: TimestampTz, ctx: &Context) -> Result<Interval> {
    age_common(a.0, b.0, Some(&ctx.zone))
}

/// `age(timestamp)`: from `current_date` (midnight) to the argument.
pub fn timestamp_age_now(ts: Timestamp, ctx: &Context) -> Result<Interval> {
    let today = super::convert::timestamptz_to_date(ctx.now, ctx)?;
    timestamp_age(date_to_timestamp(today)?, ts)
}

/// `age(timestamptz)`: from `current_date` (midnight, session zone) to the argument.
pub fn timestamptz_age_now(ts: TimestampTz, ctx: &Context) -> Result<Interval> {
    let today = super::convert::timestamptz_to_date(ctx.now, ctx)?;
    timestamptz_age(date_to_timestamptz(today, ctx)?, ts, ctx)
}

/// `date_bin(stride, source, origin)` for either timestamp type's microseconds.
pub fn date_bin(stride: Interval, source: i64, origin: i64) -> Result<i64> {
    if source == i64::MIN || source == i64::MAX {
        return Ok(source);
    }
    if origin == i64::MIN || origin == i64::MAX {
        return Err(Error::new(
            Condition::DatetimeFieldOverflow,
            "origin out of range",
        ));
    }
    if stride.months != 0 {
        return Err(Error::new(
            Condition::FeatureNotSupported,
            "timestamps cannot be binned into intervals containing months or years",
        ));
    }
    let stride_usecs = i64::from(stride.days)
        .checked_mul(USECS_PER_DAY)
        .and_then(|v| v.checked_add(stride.micros))
        .ok_or_else(interval_out_of_range)?;
    if stride_usecs <= 0 {
        return Err(Error::new(
            Condition::DatetimeFieldOverflow,
            "stride must be greater than zero",
        ));
    }
    let diff = source
        .checked_sub(origin)
        .ok_or_else(interval_out_of_range)?;
    let modulo = diff % stride_usecs;
    let mut result = origin + (diff - modulo);
    if modulo < 0 {
        result = result
            .checked_sub(stride_usecs)
            .filter(|r| is_valid_timestamp(*r))
            .ok_or_else(timestamp_out_of_range)?;
    }
    Ok(result)
}

/// `isfinite(date)`.
pub fn date_is_finite(date: Date) -> bool {
    date.is_finite()
}

/// `isfinite(timestamp)` / `isfinite(timestamptz)`.
pub fn timestamp_is_finite(ts: i64) -> bool {
    ts != i64::MIN && ts != i64::MAX
}
