//! `date_trunc` for `timestamp`, `timestamptz` (session zone or a given zone) and `interval`.
//!
//! Invariants:
//! - Units decode as PostgreSQL's `DecodeUnits` (interval unit names, truncated to 10 bytes);
//!   unknown units are 22023 "not recognized", known but unusable ones 0A000 "not supported".
//! - `timestamptz` truncation to a day or coarser recomputes the zone offset at the result.

use super::calendar::{MONTHS_PER_YEAR, date2isoweek, isoweek2date};
use super::context::Context;
use super::interval_ops::interval_out_of_range;
use super::text_io::timestamp_out_of_range;
use super::tm::{Tm, determine_offset, interval2itm, itm2interval, timestamp2tm, tm2timestamp};
use super::tokens::{TokenType, Unit, delta_token};
use super::types::{Interval, Timestamp, TimestampTz};
use super::zone::Zone;
use super::zone_arg::{ZoneArg, downcase_identifier, resolve};
use crate::{Condition, Error, Result};

pub(crate) const TIMESTAMP_TYPE: &str = "timestamp without time zone";
pub(crate) const TIMESTAMPTZ_TYPE: &str = "timestamp with time zone";
pub(crate) const INTERVAL_TYPE: &str = "interval";

pub(crate) fn not_recognized(units: &str, type_name: &str) -> Error {
    Error::new(
        Condition::InvalidParameterValue,
        format!("unit \"{units}\" not recognized for type {type_name}"),
    )
}

pub(crate) fn not_supported(units: &str, type_name: &str) -> Error {
    Error::new(
        Condition::FeatureNotSupported,
        format!("unit \"{units}\" not supported for type {type_name}"),
    )
}

/// The truncation units from coarsest to finest (PostgreSQL's switch fall-through order).
fn unit_rank(unit: Unit) -> Option<u8> {
    use Unit as U;
    Some(match unit {
        U::Millennium => 0,
        U::Century => 1,
        U::Decade => 2,
        U::Year => 3,
        U::Quarter => 4,
        U::Month => 5,
        U::Day => 6,
        U::Hour => 7,
        U::Minute => 8,
        U::Second => 9,
        U::Milliseconds => 10,
        U::Microseconds => 11,
        _ => return None,
    })
}

/// Truncates broken-down time to `unit`; returns whether the zone must be recomputed.
fn trunc_tm(unit: Unit, tm: &mut Tm, fsec: &mut i32, lower: &str, type_name: &str) -> Result<bool> {
    use Unit as U;
    let mut redotz = false;
    if unit == U::Week {
        let woy = date2isoweek(tm.year, tm.mon, tm.mday);
        if woy >= 52 && tm.mon == 1 {
            tm.year -= 1;
        }
        if woy <= 1 && tm.mon == MONTHS_PER_YEAR {
            tm.year += 1;
        }
        let (y, m, d) = isoweek2date(woy, tm.year);
        tm.year = y;
        tm.mon = m;
        tm.mday = d;
        tm.hour = 0;
        tm.min = 0;
        tm.sec = 0;
        *fsec = 0;
        return Ok(true);
    }
    let rank = match unit_rank(unit) {
        Some(10) => {
            *fsec = (*fsec / 1000) * 1000;
            return Ok(false);
        }
        Some(11) => return Ok(false),
        Some(rank) => rank,
        None => return Err(not_supported(lower, type_name)),
    };
    if rank == 0 {
        tm.year = if tm.year > 0 {
            ((tm.year + 999) / 1000) * 1000 - 999
        } else {
            -((999 - (tm.year - 1)) / 1000) * 1000 + 1
        };
    }
    if rank <= 1 {
        tm.year = if tm.year > 0 {
            ((tm.year + 99) / 100) * 100 - 99
        } else {
            -((99 - (tm.year - 1)) / 100) * 100 + 1
        };
    }
    if rank == 2 {
        tm.year = if tm.year > 0 {
            (tm.year / 10) * 10
        } else {
            -((8 - (tm.year - 1)) / 10) * 10
        };
    }
    if rank <= 3 {
        tm.mon = 1;
    }
    if rank <= 4 {
        tm.mon = 3 * ((tm.mon - 1) / 3) + 1;
    }
    if rank <= 5 {
        tm.mday = 1;
    }
    if rank <= 6 {
        tm.hour = 0;
        redotz = true;
    }
    if rank <= 7 {
        tm.min = 0;
    }
    if rank <= 8 {
        tm.sec = 0;
    }
    *fsec = 0;
    Ok(redotz)
}

fn decode_unit(units: &str, type_name: &str) -> Result<(Unit, String)> {
    let lower = downcase_identifier(units);
    match delta_token(&lower) {
        Some(TokenType::Units(u)) => Ok((u, lower)),
        _ => Err(not_recognized(&lower, type_name)),
    }
}

/// `date_trunc(units, timestamp)`.
pub fn timestamp_trunc(units: &str, ts: Timestamp) -> Result<Timestamp> {
    if !ts.is_finite() {
        return Ok(ts);
    }
    let (unit, lower) = decode_unit(units, TIMESTAMP_TYPE)?;
    let (mut tm, mut fsec, _) = timestamp2tm(ts.0, None).ok_or_else(timestamp_out_of_range)?;
    trunc_tm(unit, &mut tm, &mut fsec, &lower, TIMESTAMP_TYPE)?;
    tm2timestamp(&tm, fsec, None)
        .map(Timestamp)
        .ok_or_else(timestamp_out_of_range)
}

fn timestamptz_trunc_in(units: &str, ts: TimestampTz, zone: &Zone) -> Result<TimestampTz> {
    let (unit, lower) = decode_unit(units, TIMESTAMPTZ_TYPE)?;
    let (mut tm, mut fsec, mut tz) =
        timestamp2tm(ts.0, Some(zone)).ok_or_else(timestamp_out_of_range)?;
    if trunc_tm(unit, &mut tm, &mut fsec, &lower, TIMESTAMPTZ_TYPE)? {
        tz = determine_offset(&mut tm, zone);
    }
    tm2timestamp(&tm, fsec, Some(tz))
        .map(TimestampTz)
        .ok_or_else(timestamp_out_of_range)
}

/// `date_trunc(units, timestamptz)` in the session zone.
pub fn timestamptz_trunc(units: &str, ts: TimestampTz, ctx: &Context) -> Result<TimestampTz> {
    if !ts.is_finite() {
        return Ok(ts);
    }
    timestamptz_trunc_in(units, ts, &ctx.zone)
}

/// `date_trunc(units, timestamptz, zone)`.
pub fn timestamptz_trunc_zone(units: &str, ts: TimestampTz, zone: &str) -> Result<TimestampTz> {
    if !ts.is_finite() {
        return Ok(ts);
    }
    let zone = match resolve(zone)?.0 {
        ZoneArg::Fixed(tz) => Zone::fixed(-tz).ok_or_else(timestamp_out_of_range)?,
        ZoneArg::Dynamic(z) | ZoneArg::Named(z) => z,
    };
    timestamptz_trunc_in(units, ts, &zone)
}

/// `date_trunc(units, interval)`.
pub fn interval_trunc(units: &str, span: Interval) -> Result<Interval> {
    use Unit as U;
    let (unit, lower) = decode_unit(units, INTERVAL_TYPE)?;
    let mut tm = interval2itm(span);
    let rank = match unit_rank(unit) {
        Some(rank) => rank,
        None => {
            let err = not_supported(&lower, INTERVAL_TYPE);
            return Err(if unit == U::Week {
                err.with_detail("Months usually have fractional weeks.")
            } else {
                err
            });
        }
    };
    if rank == 0 {
        tm.year = (tm.year / 1000) * 1000;
    }
    if rank <= 1 {
        tm.year = (tm.year / 100) * 100;
    }
    if rank <= 2 {
        tm.year = (tm.year / 10) * 10;
    }
    if rank <= 3 {
        tm.mon = 0;
    }
    if rank <= 4 {
        tm.mon = 3 * (tm.mon / 3);
    }
    if rank <= 5 {
        tm.mday = 0;
    }
    if rank <= 6 {
        tm.hour = 0;
    }
    if rank <= 7 {
        tm.min = 0;
    }
    if rank <= 8 {
        tm.sec = 0;
    }
    if rank <= 9 {
        tm.usec = 0;
    }
    if rank == 10 {
        tm.usec = (tm.usec / 1000) * 1000;
    }
    itm2interval(&tm).ok_or_else(interval_out_of_range)
}
