//! Interval arithmetic: negation, sum, difference, multiplication and division by a float,
//! and `justify_days`, `justify_hours`, `justify_interval` (timestamp.c's interval functions).
//!
//! Invariants:
//! - Months, days and microseconds stay separate; only `*` and `/` spill fractions downward
//!   (30-day months, 24-hour days), with PostgreSQL's float rounding.
//! - Overflow of any field is `interval out of range` (22008), never a wrap or a panic.

use super::calendar::{DAYS_PER_MONTH, SECS_PER_DAY, USECS_PER_DAY, USECS_PER_SEC};
use super::types::Interval;
use crate::{Condition, Error, Result};

/// `interval out of range` (22008).
pub(crate) fn interval_out_of_range() -> Error {
    Error::new(Condition::DatetimeFieldOverflow, "interval out of range")
}

/// `- interval`.
pub fn interval_neg(span: Interval) -> Result<Interval> {
    Ok(Interval::new(
        span.months
            .checked_neg()
            .ok_or_else(interval_out_of_range)?,
        span.days.checked_neg().ok_or_else(interval_out_of_range)?,
        span.micros
            .checked_neg()
            .ok_or_else(interval_out_of_range)?,
    ))
}

/// `interval + interval`.
pub fn interval_add(a: Interval, b: Interval) -> Result<Interval> {
    Ok(Interval::new(
        a.months
            .checked_add(b.months)
            .ok_or_else(interval_out_of_range)?,
        a.days
            .checked_add(b.days)
            .ok_or_else(interval_out_of_range)?,
        a.micros
            .checked_add(b.micros)
            .ok_or_else(interval_out_of_range)?,
    ))
}

/// `interval - interval`.
pub fn interval_sub(a: Interval, b: Interval) -> Result<Interval> {
    Ok(Interval::new(
        a.months
            .checked_sub(b.months)
            .ok_or_else(interval_out_of_range)?,
        a.days
            .checked_sub(b.days)
            .ok_or_else(interval_out_of_range)?,
        a.micros
            .checked_sub(b.micros)
            .ok_or_else(interval_out_of_range)?,
    ))
}

/// `TSROUND`: rounds to microsecond precision.
fn tsround(v: f64) -> f64 {
    (v * 1_000_000.0).round_ties_even() / 1_000_000.0
}

fn fits_i32(v: f64) -> bool {
    !v.is_nan() && v >= f64::from(i32::MIN) && v < -f64::from(i32::MIN)
}

fn fits_i64(v: f64) -> bool {
    !v.is_nan() && v >= i64::MIN as f64 && v < -(i64::MIN as f64)
}

/// The common body of `interval_mul` and `interval_div`: `op` applies the factor.
fn scale(span: Interval, op: impl Fn(f64) -> f64) -> Result<Interval> {
    let month_d = op(f64::from(span.months));
    if !fits_i32(month_d) {
        return Err(interval_out_of_range());
    }
    let months = month_d as i32;
    let day_d = op(f64::from(span.days));
    if !fits_i32(day_d) {
        return Err(interval_out_of_range());
    }
    let mut days = day_d as i32;
    let month_remainder_days = tsround((month_d - f64::from(months)) * f64::from(DAYS_PER_MONTH));
    let mut sec_remainder = tsround(
        (day_d - f64::from(days) + month_remainder_days - f64::from(month_remainder_days as i32))
            * SECS_PER_DAY as f64,
    );
    if sec_remainder.abs() >= SECS_PER_DAY as f64 {
        let extra = (sec_remainder / SECS_PER_DAY as f64) as i32;
        days = days.checked_add(extra).ok_or_else(interval_out_of_range)?;
        sec_remainder -= f64::from(extra) * SECS_PER_DAY as f64;
    }
    days = days
        .checked_add(month_remainder_days as i32)
        .ok_or_else(interval_out_of_range)?;
    let time_d = (op(span.micros as f64) + sec_remainder * USECS_PER_SEC as f64).round_ties_even();
    if !fits_i64(time_d) {
        return Err(interval_out_of_range());
    }
    Ok(Interval::new(months, days, time_d as i64))
}

/// `interval * float8` (and `float8 * interval`).
pub fn interval_mul(span: Interval, factor: f64) -> Result<Interval> {
    scale(span, |v| v * factor)
}

/// `interval / float8`.
pub fn interval_div(span: Interval, factor: f64) -> Result<Interval> {
    if factor == 0.0 {
        return Err(Error::new(Condition::DivisionByZero, "division by zero"));
    }
    scale(span, |v| v / factor)
}

/// Moves whole 30-day periods of `days` into `months`.
fn days_into_months(r: &mut Interval) -> Result<()> {
    let wholemonth = r.days / DAYS_PER_MONTH;
    r.days -= wholemonth * DAYS_PER_MONTH;
    r.months = r
        .months
        .checked_add(wholemonth)
        .ok_or_else(interval_out_of_range)?;
    Ok(())
}

/// Gives days and time the same sign by borrowing one day.
fn align_days_and_time(r: &mut Interval) {
    if r.days > 0 && r.micros < 0 {
        r.micros += USECS_PER_DAY;
        r.days -= 1;
    } else if r.days < 0 && r.micros > 0 {
        r.micros -= USECS_PER_DAY;
        r.days += 1;
    }
}

/// `justify_hours`: whole 24-hour periods of the time part become days.
pub fn justify_hours(span: Interval) -> Result<Interval> {
    let mut r = span;
    let wholeday = r.micros / USECS_PER_DAY;
    r.micros -= wholeday * USECS_PER_DAY;
    r.days = i32::try_from(i64::from(r.days) + wholeday).map_err(|_| interval_out_of_range())?;
    align_days_and_time(&mut r);
    Ok(r)
}

/// `justify_days`: whole 30-day periods become months.
pub fn justify_days(span: Interval) -> Result<Interval> {
    let mut r = span;
    days_into_months(&mut r)?;
    if r.months > 0 && r.days < 0 {
        r.days += DAYS_PER_MONTH;
        r.months -= 1;
    } else if r.months < 0 && r.days > 0 {
        r.days -= DAYS_PER_MONTH;
        r.months += 1;
    }
    Ok(r)
}

/// `justify_interval`: both justifications with consistent signs.
pub fn justify_interval(span: Interval) -> Result<Interval> {
    let mut r = span;
    if (r.days > 0 && r.micros > 0) || (r.days < 0 && r.micros < 0) {
        days_into_months(&mut r)?;
    }
    let wholeday = r.micros / USECS_PER_DAY;
    r.micros -= wholeday * USECS_PER_DAY;
    // PostgreSQL adds into an int32 without a check here; days stay below 30 plus a day.
    r.days = (i64::from(r.days) + wholeday) as i32;
    days_into_months(&mut r)?;
    if r.months > 0 && (r.days < 0 || (r.days == 0 && r.micros < 0)) {
        r.days += DAYS_PER_MONTH;
        r.months -= 1;
    } else if r.months < 0 && (r.days > 0 || (r.days == 0 && r.micros > 0)) {
        r.days -= DAYS_PER_MONTH;
        r.months += 1;
    }
    align_days_and_time(&mut r);
    Ok(r)
}
