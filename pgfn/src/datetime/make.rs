//! Constructors: `make_date`, `make_time`, `make_timestamp`, `make_timestamptz` (with and
//! without a zone), `make_interval` and `to_timestamp(double precision)`.
//!
//! Invariants:
//! - Negative years mean BC; every field is range-checked with PostgreSQL's messages, which
//!   print seconds with C's `%g`.

use super::calendar::{
    DATETIME_MIN_JULIAN, HOURS_PER_DAY, MINS_PER_HOUR, POSTGRES_EPOCH_JDATE, SECS_PER_DAY,
    TIMESTAMP_END_JULIAN, UNIX_EPOCH_JDATE, USECS_PER_DAY, USECS_PER_SEC, date2j, is_valid_julian,
};
use super::cformat::format_g;
use super::context::Context;
use super::convert::timestamp_to_timestamptz;
use super::fields::{DTK_DATE_M, validate_date};
use super::interval_ops::interval_out_of_range;
use super::text_io::timestamp_out_of_range;
use super::tm::{Tm, determine_abbrev_offset, determine_offset, timestamp2tm};
use super::types::{Date, Interval, Time, Timestamp, TimestampTz, is_valid_timestamp};
use super::zone_arg::{ZoneArg, resolve};
use crate::{Condition, Error, Result};

/// Validated (astronomical year, month, day) from SQL's signed year.
fn checked_date(year: i32, month: i32, day: i32) -> Result<(Tm, i32)> {
    let mut tm = Tm {
        year,
        mon: month,
        mday: day,
        ..Tm::default()
    };
    let bc = year < 0;
    if bc {
        tm.year = year.wrapping_neg();
    }
    if validate_date(DTK_DATE_M, false, false, bc, &mut tm).is_err() {
        return Err(Error::new(
            Condition::DatetimeFieldOverflow,
            format!(
                "date field value out of range: {}-{:02}-{:02}",
                tm.year, tm.mon, tm.mday
            ),
        ));
    }
    let out_of_range = || {
        Error::new(
            Condition::DatetimeFieldOverflow,
            format!(
                "date out of range: {}-{:02}-{:02}",
                tm.year, tm.mon, tm.mday
            ),
        )
    };
    if !is_valid_julian(tm.year, tm.mon, tm.mday) {
        return Err(out_of_range());
    }
    let date = date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE;
    if !Date(date).is_valid() {
        return Err(out_of_range());
    }
    Ok((tm, date))
}

/// `make_date(year, month, day)`.
pub fn make_date(year: i32, month: i32, day: i32) -> Result<Date> {
    checked_date(year, month, day).map(|(_, d)| Date(d))
}

/// `float_time_overflows`.
fn float_time_overflows(hour: i32, min: i32, sec: f64) -> bool {
    if !(0..=HOURS_PER_DAY).contains(&hour) || !(0..MINS_PER_HOUR).contains(&min) {
        return true;
    }
    if sec.is_nan() {
        return true;
    }
    let usec = (sec * USECS_PER_SEC as f64).round_ties_even();
    if !(0.0..=60.0 * USECS_PER_SEC as f64).contains(&usec) {
        return true;
    }
    ((i64::from(hour) * 60 + i64::from(min)) * 60) as f64 * USECS_PER_SEC as f64 + usec
        > USECS_PER_DAY as f64
}

fn time_micros(hour: i32, min: i32, sec: f64) -> i64 {
    (i64::from(hour) * 60 + i64::from(min)) * 60 * USECS_PER_SEC
        + (sec * USECS_PER_SEC as f64).round_ties_even() as i64
}

/// Fails as PostgreSQL does when hour/minute/second are not a time of day.
fn checked_time(hour: i32, min: i32, sec: f64) -> Result<()> {
    if float_time_overflows(hour, min, sec) {
        return Err(Error::new(
            Condition::DatetimeFieldOverflow,
            format!(
                "time field value out of range: {hour}:{min:02}:{}",
                format_g(sec, 2)
            ),
        ));
    }
    Ok(())
}

/// `make_time(hour, min, sec)`.
pub fn make_time(hour: i32, min: i32, sec: f64) -> Result<Time> {
    checked_time(hour, min, sec)?;
    Ok(Time(time_micros(hour, min, sec)))
}

/// `make_timestamp(year, month, mday, hour, min, sec)`.
pub fn make_timestamp(
    year: i32,
    month: i32,
    mday: i32,
    hour: i32,
    min: i32,
    sec: f64,
) -> Result<Timestamp> {
    let (_, date) = checked_date(year, month, mday)?;
    checked_time(hour, min, sec)?;
    let time = time_micros(hour, min, sec);
    let date = i64::from(date);
    let result = date * USECS_PER_DAY + time;
    if (result < 0 && date > 0) || (result > 0 && date < -1) || !is_valid_timestamp(result) {
        return Err(Error::new(
            Condition::DatetimeFieldOverflow,
            format!(
                "timestamp out of range: {year}-{month:02}-{mday:02} {hour}:{min:02}:{}",
                format_g(sec, 2)
            ),
        ));
    }
    Ok(Timestamp(result))
}

/// `make_timestamptz(year, month, mday, hour, min, sec)` in the session zone.
pub fn make_timestamptz(
    year: i32,
    month: i32,
    mday: i32,
    hour: i32,
    min: i32,
    sec: f64,
    ctx: &Context,
) -> Result<TimestampTz> {
    timestamp_to_timestamptz(make_timestamp(year, month, mday, hour, min, sec)?, ctx)
}

/// `make_timestamptz(year, month, mday, hour, min, sec, timezone)`.
#[allow(clippy::too_many_arguments)]
pub fn make_timestamptz_at(
    year: i32,
    month: i32,
    mday: i32,
    hour: i32,
    min: i32,
    sec: f64,
    zone: &str,
) -> Result<TimestampTz> {
    let ts = make_timestamp(year, month, mday, hour, min, sec)?;
    let (mut tm, _, _) = timestamp2tm(ts.0, None).ok_or_else(timestamp_out_of_range)?;
    let tz = parse_sane_timezone(&mut tm, zone)?;
    let result = ts.0 + i64::from(tz) * USECS_PER_SEC;
    if !is_valid_timestamp(result) {
        return Err(timestamp_out_of_range());
    }
    Ok(TimestampTz(result))
}

/// PostgreSQL's `parse_sane_timezone`: a numeric offset, an abbreviation or a zone name.
fn parse_sane_timezone(tm: &mut Tm, zone: &str) -> Result<i32> {
    let name = super::zone_arg::clip(zone, 255);
    if name.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return Err(Error::new(
            Condition::InvalidParameterValue,
            format!("invalid input syntax for type numeric time zone: \"{name}\""),
        )
        .with_hint("Numeric time zones must have \"-\" or \"+\" as first character."));
    }
    match super::fields::decode_timezone(name) {
        Ok(tz) => Ok(tz),
        Err(super::fields::DtErr::TzDispOverflow) => Err(Error::new(
            Condition::InvalidParameterValue,
            format!("numeric time zone \"{name}\" out of range"),
        )),
        Err(super::fields::DtErr::BadFormat) => match resolve(name)?.0 {
            ZoneArg::Fixed(tz) => Ok(tz),
            ZoneArg::Dynamic(z) => Ok(determine_abbrev_offset(tm, name, &z)),
            ZoneArg::Named(z) => Ok(determine_offset(tm, &z)),
        },
        Err(_) => Err(super::zone_arg::not_recognized(name)),
    }
}

/// `make_interval(years, months, weeks, days, hours, mins, secs)`.
pub fn make_interval(
    years: i32,
    months: i32,
    weeks: i32,
    days: i32,
    hours: i32,
    mins: i32,
    secs: f64,
) -> Result<Interval> {
    if secs.is_infinite() || secs.is_nan() {
        return Err(interval_out_of_range());
    }
    // PostgreSQL's int32 arithmetic here does not check overflow; wrap as its C does.
    let month = years.wrapping_mul(12).wrapping_add(months);
    let day = weeks.wrapping_mul(7).wrapping_add(days);
    let secs = (secs * USECS_PER_SEC as f64).round_ties_even();
    let time = i64::from(hours)
        .wrapping_mul(3600 * USECS_PER_SEC)
        .wrapping_add(i64::from(mins).wrapping_mul(60 * USECS_PER_SEC))
        .wrapping_add(secs as i64);
    Ok(Interval::new(month, day, time))
}

/// `to_timestamp(double precision)`: Unix epoch seconds.
pub fn to_timestamp_epoch(seconds: f64) -> Result<TimestampTz> {
    if seconds.is_nan() {
        return Err(Error::new(
            Condition::DatetimeFieldOverflow,
            "timestamp cannot be NaN",
        ));
    }
    if seconds.is_infinite() {
        return Ok(if seconds < 0.0 {
            TimestampTz::NEG_INFINITY
        } else {
            TimestampTz::INFINITY
        });
    }
    let min = SECS_PER_DAY as f64 * f64::from(DATETIME_MIN_JULIAN - UNIX_EPOCH_JDATE);
    let max = SECS_PER_DAY as f64 * f64::from(TIMESTAMP_END_JULIAN - UNIX_EPOCH_JDATE);
    let err = || {
        Error::new(
            Condition::DatetimeFieldOverflow,
            format!("timestamp out of range: \"{}\"", format_g(seconds, 0)),
        )
    };
    if seconds < min || seconds >= max {
        return Err(err());
    }
    let shifted =
        seconds - f64::from(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY as f64;
    let result = (shifted * USECS_PER_SEC as f64).round_ties_even() as i64;
    if !is_valid_timestamp(result) {
        return Err(err());
    }
    Ok(TimestampTz(result))
}
