//! Conversions between the date/time types (casts) and `AT TIME ZONE` / `timezone()`.
//!
//! Invariants:
//! - `timestamp` ↔ `timestamptz` and `date` ↔ `timestamptz` go through the session zone's
//!   local time with PostgreSQL's DST-gap rule; infinities map to infinities.
//! - A zone argument resolves as `zone_arg` does: fixed abbreviation, dynamic abbreviation,
//!   then a full zone name.

use super::calendar::{POSTGRES_EPOCH_JDATE, USECS_PER_DAY, USECS_PER_SEC, date2j};
use super::context::Context;
use super::text_io::{interval_out, timestamp_out_of_range};
use super::tm::{
    determine_abbrev_offset, determine_abbrev_offset_ts, determine_offset, time2t, timestamp2tm,
    tm2timestamp,
};
use super::types::{Date, Interval, Time, TimeTz, Timestamp, TimestampTz, is_valid_timestamp};
use super::zone_arg::{ZoneArg, resolve};
use crate::{Condition, Error, Result};

/// `timestamp::timestamptz`: the local time in the session zone.
pub fn timestamp_to_timestamptz(ts: Timestamp, ctx: &Context) -> Result<TimestampTz> {
    if !ts.is_finite() {
        return Ok(TimestampTz(ts.0));
    }
    let (mut tm, _, _) = timestamp2tm(ts.0, None).ok_or_else(timestamp_out_of_range)?;
    let tz = determine_offset(&mut tm, &ctx.zone);
    let result = ts.0 + i64::from(tz) * USECS_PER_SEC;
    if !is_valid_timestamp(result) {
        return Err(timestamp_out_of_range());
    }
    Ok(TimestampTz(result))
}

/// `timestamptz::timestamp`: the local time in the session zone.
pub fn timestamptz_to_timestamp(ts: TimestampTz, ctx: &Context) -> Result<Timestamp> {
    if !ts.is_finite() {
        return Ok(Timestamp(ts.0));
    }
    let (tm, fsec, _) = timestamp2tm(ts.0, Some(&ctx.zone)).ok_or_else(timestamp_out_of_range)?;
    tm2timestamp(&tm, fsec, None)
        .map(Timestamp)
        .ok_or_else(timestamp_out_of_range)
}

/// `timestamp::date`.
pub fn timestamp_to_date(ts: Timestamp) -> Result<Date> {
    if ts == Timestamp::NEG_INFINITY {
        return Ok(Date::NEG_INFINITY);
    }
    if ts == Timestamp::INFINITY {
        return Ok(Date::INFINITY);
    }
    let (tm, _, _) = timestamp2tm(ts.0, None).ok_or_else(timestamp_out_of_range)?;
    Ok(Date(
        date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE,
    ))
}

/// `timestamptz::date`: the date in the session zone.
pub fn timestamptz_to_date(ts: TimestampTz, ctx: &Context) -> Result<Date> {
    if ts == TimestampTz::NEG_INFINITY {
        return Ok(Date::NEG_INFINITY);
    }
    if ts == TimestampTz::INFINITY {
        return Ok(Date::INFINITY);
    }
    let (tm, _, _) = timestamp2tm(ts.0, Some(&ctx.zone)).ok_or_else(timestamp_out_of_range)?;
    Ok(Date(
        date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE,
    ))
}

/// `timestamp::time`; NULL (`None`) for infinities.
pub fn timestamp_to_time(ts: Timestamp) -> Result<Option<Time>> {
    if !ts.is_finite() {
        return Ok(None);
    }
    let (tm, fsec, _) = timestamp2tm(ts.0, None).ok_or_else(timestamp_out_of_range)?;
    Ok(Some(Time(time2t(tm.hour, tm.min, tm.sec, fsec))))
}

/// `timestamptz::time` in the session zone; NULL for infinities.
pub fn timestamptz_to_time(ts: TimestampTz, ctx: &Context) -> Result<Option<Time>> {
    if !ts.is_finite() {
        return Ok(None);
    }
    let (tm, fsec, _) = timestamp2tm(ts.0, Some(&ctx.zone)).ok_or_else(timestamp_out_of_range)?;
    Ok(Some(Time(time2t(tm.hour, tm.min, tm.sec, fsec))))
}

/// `timestamptz::timetz` in the session zone; NULL for infinities.
pub fn timestamptz_to_timetz(ts: TimestampTz, ctx: &Context) -> Result<Option<TimeTz>> {
    if !ts.is_finite() {
        return Ok(None);
    }
    let (tm, fsec, tz) = timestamp2tm(ts.0, Some(&ctx.zone)).ok_or_else(timestamp_out_of_range)?;
    Ok(Some(TimeTz {
        time: time2t(tm.hour, tm.min, tm.sec, fsec),
        zone: tz,
    }))
}

/// `time::timetz`: the session zone's offset today.
pub fn time_to_timetz(time: Time, ctx: &Context) -> TimeTz {
    let (mut tm, _, _) = timestamp2tm(ctx.now.0, Some(&ctx.zone)).unwrap_or_default();
    let micros = time.0;
    tm.hour = (micros / 3_600_000_000) as i32;
    tm.min = (micros / 60_000_000 % 60) as i32;
    tm.sec = (micros / 1_000_000 % 60) as i32;
    let tz = determine_offset(&mut tm, &ctx.zone);
    TimeTz {
        time: micros,
        zone: tz,
    }
}

/// `timetz::time`.
pub fn timetz_to_time(time: TimeTz) -> Time {
    Time(time.time)
}

/// `time::interval`.
pub fn time_to_interval(time: Time) -> Interval {
    Interval::new(0, 0, time.0)
}

/// `interval::time`: the time part modulo a day.
pub fn interval_to_time(span: Interval) -> Time {
    let mut result = span.micros;
    if result >= USECS_PER_DAY {
        result -= result / USECS_PER_DAY * USECS_PER_DAY;
    } else if result < 0 {
        let days = (-(result as i128) + i128::from(USECS_PER_DAY) - 1) / i128::from(USECS_PER_DAY);
        result = (i128::from(result) + days * i128::from(USECS_PER_DAY)) as i64;
    }
    Time(result)
}

/// `timestamp AT TIME ZONE zone`: the local time `ts` in `zone` as an instant.
pub fn timestamp_at_zone(ts: Timestamp, zone: &str) -> Result<TimestampTz> {
    if !ts.is_finite() {
        return Ok(TimestampTz(ts.0));
    }
    let (arg, name) = resolve(zone)?;
    let result = match arg {
        ZoneArg::Fixed(tz) => ts.0 - i64::from(-tz) * USECS_PER_SEC,
        ZoneArg::Dynamic(z) => {
            let (mut tm, _, _) = timestamp2tm(ts.0, None).ok_or_else(timestamp_out_of_range)?;
            let tz = determine_abbrev_offset(&mut tm, &name, &z);
            ts.0 + i64::from(tz) * USECS_PER_SEC
        }
        ZoneArg::Named(z) => {
            let (mut tm, fsec, _) = timestamp2tm(ts.0, None).ok_or_else(timestamp_out_of_range)?;
            let tz = determine_offset(&mut tm, &z);
            tm2timestamp(&tm, fsec, Some(tz)).ok_or_else(timestamp_out_of_range)?
        }
    };
    if !is_valid_timestamp(result) {
        return Err(timestamp_out_of_range());
    }
    Ok(TimestampTz(result))
}

/// `timestamptz AT TIME ZONE zone`: the local time of the instant in `zone`.
pub fn timestamptz_at_zone(ts: TimestampTz, zone: &str) -> Result<Timestamp> {
    if !ts.is_finite() {
        return Ok(Timestamp(ts.0));
    }
    let (arg, name) = resolve(zone)?;
    let result = match arg {
        ZoneArg::Fixed(tz) => ts.0 - i64::from(tz) * USECS_PER_SEC,
        ZoneArg::Dynamic(z) => {
            let tz =
                determine_abbrev_offset_ts(ts.0, &name, &z).ok_or_else(timestamp_out_of_range)?;
            ts.0 - i64::from(tz) * USECS_PER_SEC
        }
        ZoneArg::Named(z) => {
            let (tm, fsec, _) = timestamp2tm(ts.0, Some(&z)).ok_or_else(timestamp_out_of_range)?;
            tm2timestamp(&tm, fsec, None).ok_or_else(timestamp_out_of_range)?
        }
    };
    if !is_valid_timestamp(result) {
        return Err(timestamp_out_of_range());
    }
    Ok(Timestamp(result))
}

fn interval_zone_seconds(zone: Interval) -> Result<i64> {
    if zone.months != 0 || zone.days != 0 {
        return Err(Error::new(
            Condition::InvalidParameterValue,
            format!(
                "interval time zone \"{}\" must not include months or days",
                interval_out(zone)
            ),
        ));
    }
    Ok(zone.micros / USECS_PER_SEC)
}

/// `timestamp AT TIME ZONE interval`.
pub fn timestamp_at_interval(ts: Timestamp, zone: Interval) -> Result<TimestampTz> {
    if !ts.is_finite() {
        return Ok(TimestampTz(ts.0));
    }
    let tz = interval_zone_seconds(zone)?;
    let result = ts.0 - tz * USECS_PER_SEC;
    if !is_valid_timestamp(result) {
        return Err(timestamp_out_of_range());
    }
    Ok(TimestampTz(result))
}

/// `timestamptz AT TIME ZONE interval`.
pub fn timestamptz_at_interval(ts: TimestampTz, zone: Interval) -> Result<Timestamp> {
    if !ts.is_finite() {
        return Ok(Timestamp(ts.0));
    }
    let tz = -interval_zone_seconds(zone)?;
    let result = ts.0 - tz * USECS_PER_SEC;
    if !is_valid_timestamp(result) {
        return Err(timestamp_out_of_range());
    }
    Ok(Timestamp(result))
}

/// `timetz AT TIME ZONE zone`, the offset taken at the transaction start time.
pub fn timetz_at_zone(t: TimeTz, zone: &str, ctx: &Context) -> Result<TimeTz> {
    let (arg, name) = resolve(zone)?;
    let tz = match arg {
        ZoneArg::Fixed(tz) => tz,
        ZoneArg::Dynamic(z) => {
            determine_abbrev_offset_ts(ctx.now.0, &name, &z).ok_or_else(timestamp_out_of_range)?
        }
        ZoneArg::Named(z) => {
            let (_, _, tz) =
                timestamp2tm(ctx.now.0, Some(&z)).ok_or_else(timestamp_out_of_range)?;
            tz
        }
    };
    let mut time = t.time + (i64::from(t.zone) - i64::from(tz)) * USECS_PER_SEC;
    while time < 0 {
        time += USECS_PER_DAY;
    }
    if time >= USECS_PER_DAY {
        time %= USECS_PER_DAY;
    }
    Ok(TimeTz { time, zone: tz })
}
