//! `extract(field FROM x)` (exact `numeric`) and `date_part(field, x)` (`float8`) for `date`,
//! `time`, `timetz`, `timestamp`, `timestamptz` and `interval`, as PostgreSQL 15 computes them.
//!
//! Invariants:
//! - Field names decode as PostgreSQL's (`DecodeUnits`, then `DecodeSpecial` for `epoch`,
//!   `julian`, `isodow`...); unknown names are 22023, known but inapplicable ones 0A000.
//! - `extract` returns the scale PostgreSQL 15 does (seconds 6, milliseconds 3, epoch 6,
//!   integers 0); `date_part` the same value as a double, or NULL where PostgreSQL gives NULL.

use super::calendar::{
    DAYS_PER_MONTH, MINS_PER_HOUR, POSTGRES_EPOCH_JDATE, SECS_PER_DAY, SECS_PER_HOUR,
    SECS_PER_MINUTE, UNIX_EPOCH_JDATE, USECS_PER_DAY, date2isoweek, date2isoyear, date2j, j2date,
    j2day,
};
use super::context::Context;
use super::decimal::{Decimal, add_int, div_round, div_select_scale};
use super::text_io::{epoch_timestamp, timestamp_out_of_range};
use super::tm::{Tm, interval2itm, timestamp2tm};
use super::tokens::{FieldName, Special, Unit, field_name};
use super::trunc::{
    INTERVAL_TYPE, TIMESTAMP_TYPE, TIMESTAMPTZ_TYPE, not_recognized, not_supported,
};
use super::types::{Date, Interval, Time, TimeTz, Timestamp, TimestampTz};
use super::zone_arg::downcase_identifier;
use crate::Result;

/// A field value: exact for `extract`, convertible to `date_part`'s double.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Int(i64),
    /// `v / 10^scale`, with the double `date_part` computes for it.
    Scaled(i64, u32, f64),
    /// Julian day with fraction: integer day, microseconds of day.
    Julian(i64, i64, f64),
    /// An epoch beyond `int64` microseconds handled by PostgreSQL in numeric.
    Exact(Decimal, f64),
    Infinite(bool),
    Null,
}

impl Part {
    fn numeric(self) -> Option<Decimal> {
        match self {
            Part::Int(v) => Some(Decimal::int(v)),
            Part::Scaled(v, s, _) => Some(Decimal::scaled(v, s)),
            Part::Julian(day, usec, _) => Some(add_int(
                day,
                div_select_scale(usec as u128, USECS_PER_DAY as u128),
            )),
            Part::Exact(d, _) => Some(d),
            Part::Infinite(neg) => Some(if neg {
                Decimal::NegInfinity
            } else {
                Decimal::Infinity
            }),
            Part::Null => None,
        }
    }

    fn float(self) -> Option<f64> {
        match self {
            Part::Int(v) => Some(v as f64),
            Part::Scaled(_, _, f) | Part::Julian(_, _, f) | Part::Exact(_, f) => Some(f),
            Part::Infinite(neg) => Some(if neg {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }),
            Part::Null => None,
        }
    }
}

fn seconds_part(sec: i32, fsec: i32, unit: Unit) -> Part {
    let usec = i64::from(sec) * 1_000_000 + i64::from(fsec);
    match unit {
        Unit::Microseconds => Part::Int(usec),
        Unit::Milliseconds => {
            Part::Scaled(usec, 3, f64::from(sec) * 1000.0 + f64::from(fsec) / 1000.0)
        }
        _ => Part::Scaled(usec, 6, f64::from(sec) + f64::from(fsec) / 1_000_000.0),
    }
}

/// The calendar fields shared by timestamps and dates (`None`: not a calendar field).
fn calendar_part(unit: Unit, year: i32, mon: i32, mday: i32) -> Option<i64> {
    let v = match unit {
        Unit::Day => mday,
        Unit::Month => mon,
        Unit::Quarter => (mon - 1) / 3 + 1,
        Unit::Week => date2isoweek(year, mon, mday),
        Unit::Year => {
            if year > 0 {
                year
            } else {
                year - 1
            }
        }
        Unit::Decade => {
            if year >= 0 {
                year / 10
            } else {
                -((8 - (year - 1)) / 10)
            }
        }
        Unit::Century => {
            if year > 0 {
                (year + 99) / 100
            } else {
                -((99 - (year - 1)) / 100)
            }
        }
        Unit::Millennium => {
            if year > 0 {
                (year + 999) / 1000
            } else {
                -((999 - (year - 1)) / 1000)
            }
        }
        Unit::IsoYear => {
            let y = date2isoyear(year, mon, mday);
            if y <= 0 { y - 1 } else { y }
        }
        Unit::Dow | Unit::IsoDow => {
            let d = j2day(date2j(year, mon, mday));
            if unit == Unit::IsoDow && d == 0 { 7 } else { d }
        }
        Unit::Doy => date2j(year, mon, mday) - date2j(year, 1, 1) + 1,
        _ => return None,
    };
    Some(i64::from(v))
}

/// PostgreSQL's `NonFiniteTimestampTzPart`.
fn non_finite(name: FieldName, neg: bool, lower: &str, type_name: &str) -> Result<Part> {
    use Unit as U;
    let unit = match name {
        FieldName::Unit(u) => u,
        FieldName::Reserved(Special::Epoch) => U::Epoch,
        FieldName::Reserved(_) => return Err(not_supported(lower, type_name)),
        FieldName::Unknown => return Err(not_recognized(lower, type_name)),
    };
    match unit {
        U::Microseconds
        | U::Milliseconds
        | U::Second
        | U::Minute
        | U::Hour
        | U::Day
        | U::Month
        | U::Quarter
        | U::Week
        | U::Dow
        | U::IsoDow
        | U::Doy
        | U::Timezone
        | U::TimezoneMinute
        | U::TimezoneHour => Ok(Part::Null),
        U::Year | U::Decade | U::Century | U::Millennium | U::Julian | U::IsoYear | U::Epoch => {
            Ok(Part::Infinite(neg))
        }
        _ => Err(not_supported(lower, type_name)),
    }
}

fn epoch_part(ts: i64) -> Part {
    let epoch = epoch_timestamp();
    match ts.checked_sub(epoch) {
        Some(diff) => Part::Scaled(diff, 6, diff as f64 / 1_000_000.0),
        None => {
            let exact = (i128::from(ts) - i128::from(epoch)) as u128;
            Part::Exact(
                div_round(exact, 1_000_000, 6),
                (ts as f64 - epoch as f64) / 1_000_000.0,
            )
        }
    }
}

fn timestamp_part(units: &str, ts: i64, zone: Option<&super::zone::Zone>) -> Result<Part> {
    let type_name = if zone.is_some() {
        TIMESTAMPTZ_TYPE
    } else {
        TIMESTAMP_TYPE
    };
    let lower = downcase_identifier(units);
    let name = field_name(&lower);
    if ts == i64::MIN || ts == i64::MAX {
        return non_finite(name, ts == i64::MIN, &lower, type_name);
    }
    match name {
        FieldName::Unit(unit) => {
            let (tm, fsec, tz) = timestamp2tm(ts, zone).ok_or_else(timestamp_out_of_range)?;
            match unit {
                Unit::Timezone | Unit::TimezoneMinute | Unit::TimezoneHour if zone.is_some() => {
                    Ok(Part::Int(i64::from(match unit {
                        Unit::Timezone => -tz,
                        Unit::TimezoneMinute => (-tz / SECS_PER_MINUTE) % MINS_PER_HOUR,
                        _ => -tz / SECS_PER_HOUR,
                    })))
                }
                Unit::Microseconds | Unit::Milliseconds | Unit::Second => {
                    Ok(seconds_part(tm.sec, fsec, unit))
                }
                Unit::Minute => Ok(Part::Int(i64::from(tm.min))),
                Unit::Hour => Ok(Part::Int(i64::from(tm.hour))),
                Unit::Julian => Ok(julian_part(&tm, fsec)),
                _ => calendar_part(unit, tm.year, tm.mon, tm.mday)
                    .map(Part::Int)
                    .ok_or_else(|| not_supported(&lower, type_name)),
            }
        }
        FieldName::Reserved(Special::Epoch) => Ok(epoch_part(ts)),
        FieldName::Reserved(_) => Err(not_supported(&lower, type_name)),
        FieldName::Unknown => Err(not_recognized(&lower, type_name)),
    }
}

fn julian_part(tm: &Tm, fsec: i32) -> Part {
    let day = i64::from(date2j(tm.year, tm.mon, tm.mday));
    let secs = (i64::from(tm.hour) * 60 + i64::from(tm.min)) * 60 + i64::from(tm.sec);
    let usec = secs * 1_000_000 + i64::from(fsec);
    let f = day as f64 + (secs as f64 + f64::from(fsec) / 1_000_000.0) / SECS_PER_DAY as f64;
    Part::Julian(day, usec, f)
}

/// `extract(field FROM timestamp)`.
pub fn extract_timestamp(units: &str, ts: Timestamp) -> Result<Option<Decimal>> {
    Ok(timestamp_part(units, ts.0, None)?.numeric())
}

/// `date_part(field, timestamp)`.
pub fn date_part_timestamp(units: &str, ts: Timestamp) -> Result<Option<f64>> {
    Ok(timestamp_part(units, ts.0, None)?.float())
}

/// `extract(field FROM timestamptz)`, fields in the session zone.
pub fn extract_timestamptz(units: &str, ts: TimestampTz, ctx: &Context) -> Result<Option<Decimal>> {
    Ok(timestamp_part(units, ts.0, Some(&ctx.zone))?.numeric())
}

/// `date_part(field, timestamptz)`.
pub fn date_part_timestamptz(units: &str, ts: TimestampTz, ctx: &Context) -> Result<Option<f64>> {
    Ok(timestamp_part(units, ts.0, Some(&ctx.zone))?.float())
}

/// `extract(field FROM date)` (PostgreSQL 15's own date version; `date_part(text, date)` is
/// `date_part` of the date as a timestamp).
pub fn extract_date(units: &str, date: Date) -> Result<Option<Decimal>> {
    use Unit as U;
    const DATE: &str = "date";
    let lower = downcase_identifier(units);
    let name = field_name(&lower);
    if !date.is_finite() && matches!(name, FieldName::Unit(_) | FieldName::Reserved(_)) {
        let unit = match name {
            FieldName::Unit(u) => Some(u),
            FieldName::Reserved(Special::Epoch) => Some(U::Epoch),
            _ => None,
        };
        return match unit {
            Some(U::Day | U::Month | U::Quarter | U::Week | U::Dow | U::IsoDow | U::Doy) => {
                Ok(None)
            }
            Some(
                U::Year
                | U::Decade
                | U::Century
                | U::Millennium
                | U::Julian
                | U::IsoYear
                | U::Epoch,
            ) => Ok(Some(if date == Date::NEG_INFINITY {
                Decimal::NegInfinity
            } else {
                Decimal::Infinity
            })),
            _ => Err(not_supported(&lower, DATE)),
        };
    }
    let (year, mon, mday) = j2date(date.0.wrapping_add(POSTGRES_EPOCH_JDATE));
    let v = match name {
        FieldName::Unit(U::Julian) => i64::from(date.0) + i64::from(POSTGRES_EPOCH_JDATE),
        FieldName::Unit(unit) => {
            calendar_part(unit, year, mon, mday).ok_or_else(|| not_supported(&lower, DATE))?
        }
        FieldName::Reserved(Special::Epoch) => {
            (i64::from(date.0) + i64::from(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE)) * SECS_PER_DAY
        }
        FieldName::Reserved(_) => return Err(not_supported(&lower, DATE)),
        FieldName::Unknown => return Err(not_recognized(&lower, DATE)),
    };
    Ok(Some(Decimal::int(v)))
}

fn time_part(units: &str, micros: i64, zone: Option<i32>) -> Result<Part> {
    let type_name = if zone.is_some() {
        "time with time zone"
    } else {
        "time without time zone"
    };
    let lower = downcase_identifier(units);
    let hour = micros / 3_600_000_000;
    let min = (micros / 60_000_000 % 60) as i32;
    let sec = (micros / 1_000_000 % 60) as i32;
    let fsec = (micros % 1_000_000) as i32;
    match field_name(&lower) {
        FieldName::Unit(unit) => match (unit, zone) {
            (Unit::Timezone, Some(tz)) => Ok(Part::Int(i64::from(-tz))),
            (Unit::TimezoneMinute, Some(tz)) => Ok(Part::Int(i64::from(
                (-tz / SECS_PER_MINUTE) % MINS_PER_HOUR,
            ))),
            (Unit::TimezoneHour, Some(tz)) => Ok(Part::Int(i64::from(-tz / SECS_PER_HOUR))),
            (Unit::Microseconds | Unit::Milliseconds | Unit::Second, _) => {
                Ok(seconds_part(sec, fsec, unit))
            }
            (Unit::Minute, _) => Ok(Part::Int(i64::from(min))),
            (Unit::Hour, _) => Ok(Part::Int(hour)),
            _ => Err(not_supported(&lower, type_name)),
        },
        FieldName::Reserved(Special::Epoch) => {
            let (v, f) = match zone {
                Some(tz) => (
                    micros + i64::from(tz) * 1_000_000,
                    micros as f64 / 1_000_000.0 + f64::from(tz),
                ),
                None => (micros, micros as f64 / 1_000_000.0),
            };
            Ok(Part::Scaled(v, 6, f))
        }
        _ => Err(not_recognized(&lower, type_name)),
    }
}

/// `extract(field FROM time)`.
pub fn extract_time(units: &str, time: Time) -> Result<Option<Decimal>> {
    Ok(time_part(units, time.0, None)?.numeric())
}

/// `date_part(field, time)`.
pub fn date_part_time(units: &str, time: Time) -> Result<Option<f64>> {
    Ok(time_part(units, time.0, None)?.float())
}

/// `extract(field FROM timetz)`.
pub fn extract_timetz(units: &str, time: TimeTz) -> Result<Option<Decimal>> {
    Ok(time_part(units, time.time, Some(time.zone))?.numeric())
}

/// `date_part(field, timetz)`.
pub fn date_part_timetz(units: &str, time: TimeTz) -> Result<Option<f64>> {
    Ok(time_part(units, time.time, Some(time.zone))?.float())
}

fn interval_part(units: &str, span: Interval) -> Result<Part> {
    use Unit as U;
    let lower = downcase_identifier(units);
    let tm = interval2itm(span);
    match field_name(&lower) {
        FieldName::Unit(unit) => Ok(match unit {
            U::Microseconds | U::Milliseconds | U::Second => seconds_part(tm.sec, tm.usec, unit),
            U::Minute => Part::Int(i64::from(tm.min)),
            U::Hour => Part::Int(tm.hour),
            U::Day => Part::Int(i64::from(tm.mday)),
            U::Month => Part::Int(i64::from(tm.mon)),
            U::Quarter => Part::Int(i64::from(tm.mon / 3 + 1)),
            U::Year => Part::Int(i64::from(tm.year)),
            U::Decade => Part::Int(i64::from(tm.year / 10)),
            U::Century => Part::Int(i64::from(tm.year / 100)),
            U::Millennium => Part::Int(i64::from(tm.year / 1000)),
            _ => return Err(not_supported(&lower, INTERVAL_TYPE)),
        }),
        FieldName::Reserved(Special::Epoch) => {
            let months = i64::from(span.months);
            let secs_from_day_month = ((4.0 * 365.25) as i64 * (months / 12)
                + i64::from(4 * DAYS_PER_MONTH) * (months % 12)
                + 4 * i64::from(span.days))
                * (SECS_PER_DAY / 4);
            let f = span.micros as f64 / 1_000_000.0
                + (365.25 * SECS_PER_DAY as f64) * (months / 12) as f64
                + (f64::from(DAYS_PER_MONTH) * SECS_PER_DAY as f64) * (months % 12) as f64
                + SECS_PER_DAY as f64 * f64::from(span.days);
            let exact = i128::from(secs_from_day_month) * 1_000_000 + i128::from(span.micros);
            Ok(Part::Exact(
                Decimal::Finite {
                    unscaled: exact,
                    scale: 6,
                },
                f,
            ))
        }
        _ => Err(not_recognized(&lower, INTERVAL_TYPE)),
    }
}

/// `extract(field FROM interval)`.
pub fn extract_interval(units: &str, span: Interval) -> Result<Option<Decimal>> {
    Ok(interval_part(units, span)?.numeric())
}

/// `date_part(field, interval)`.
pub fn date_part_interval(units: &str, span: Interval) -> Result<Option<f64>> {
    Ok(interval_part(units, span)?.float())
}
