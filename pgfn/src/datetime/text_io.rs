//! Text input and output of the date/time types (`date_in`/`date_out`, `time_in`, `timetz_in`,
//! `timestamp_in`, `timestamptz_in`, `interval_in` and their outputs), with PostgreSQL's
//! error messages and SQLSTATE conditions.
//!
//! Invariants:
//! - Input accepts exactly what PostgreSQL 15 accepts under `DateStyle = 'ISO, MDY'`, and output
//!   is PostgreSQL's ISO / `postgres` text byte for byte.
//! - Errors quote the whole input as PostgreSQL does (`invalid input syntax for type date: "x"`).

use super::calendar::{POSTGRES_EPOCH_JDATE, USECS_PER_DAY, date2j, is_valid_julian, j2date};
use super::context::Context;
use super::decode::{DType, decode_date_time};
use super::decode_time::decode_time_only;
use super::encode::{encode_date_only, encode_date_time, encode_interval, encode_time_only};
use super::fields::DtErr;
use super::interval_fields::IntervalFields;
use super::interval_in::{decode_interval, decode_iso8601_interval};
use super::lex::{DATETIME_BUF, parse_datetime};
use super::tm::{Tm, interval2itm, time2t, timestamp2tm, tm2timestamp};
use super::types::{Date, Interval, Time, TimeTz, Timestamp, TimestampTz};
use crate::{Condition, Error, Result};

/// Work-buffer size of `date_in`, `time_in` and `timetz_in` (`MAXDATELEN + 1`).
const DATE_BUF: usize = 129;
/// Work-buffer size of `interval_in`.
const INTERVAL_BUF: usize = 256;

/// `DateTimeParseError`: the error PostgreSQL raises for a failed decode.
pub(crate) fn parse_error(err: DtErr, input: &str, type_name: &str) -> Error {
    match err {
        DtErr::FieldOverflow => Error::new(
            Condition::DatetimeFieldOverflow,
            format!("date/time field value out of range: \"{input}\""),
        ),
        DtErr::MdFieldOverflow => Error::new(
            Condition::DatetimeFieldOverflow,
            format!("date/time field value out of range: \"{input}\""),
        )
        .with_hint("Perhaps you need a different \"datestyle\" setting."),
        DtErr::IntervalOverflow => Error::new(
            Condition::IntervalFieldOverflow,
            format!("interval field value out of range: \"{input}\""),
        ),
        DtErr::TzDispOverflow => Error::new(
            Condition::InvalidTimeZoneDisplacementValue,
            format!("time zone displacement out of range: \"{input}\""),
        ),
        DtErr::BadFormat => Error::new(
            Condition::InvalidDatetimeFormat,
            format!("invalid input syntax for type {type_name}: \"{input}\""),
        ),
        DtErr::Report(e) => e,
    }
}

fn out_of_range(what: &str, input: &str) -> Error {
    Error::new(
        Condition::DatetimeFieldOverflow,
        format!("{what} out of range: \"{input}\""),
    )
}

/// `date_in`.
pub fn date_in(input: &str, ctx: &Context) -> Result<Date> {
    let type_name = "date";
    let fields = parse_datetime(input, DATE_BUF)
        .map_err(|_| parse_error(DtErr::BadFormat, input, type_name))?;
    let decoded = decode_date_time(&fields, ctx).map_err(|e| parse_error(e, input, type_name))?;
    let tm = match decoded.dtype {
        DType::Date => decoded.tm,
        DType::Epoch => Tm {
            year: 1970,
            mon: 1,
            mday: 1,
            ..Tm::default()
        },
        DType::Late => return Ok(Date::INFINITY),
        DType::Early => return Ok(Date::NEG_INFINITY),
        DType::Time => return Err(parse_error(DtErr::BadFormat, input, type_name)),
    };
    if !is_valid_julian(tm.year, tm.mon, tm.mday) {
        return Err(out_of_range("date", input));
    }
    let date = Date(date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE);
    if !date.is_valid() {
        return Err(out_of_range("date", input));
    }
    Ok(date)
}

/// `date_out`.
pub fn date_out(date: Date) -> String {
    if date == Date::NEG_INFINITY {
        return "-infinity".to_string();
    }
    if date == Date::INFINITY {
        return "infinity".to_string();
    }
    let (year, mon, mday) = j2date(date.0.wrapping_add(POSTGRES_EPOCH_JDATE));
    encode_date_only(&Tm {
        year,
        mon,
        mday,
        ..Tm::default()
    })
}

fn timestamp_in_common(input: &str, ctx: &Context, with_tz: bool) -> Result<i64> {
    let type_name = if with_tz {
        "timestamp with time zone"
    } else {
        "timestamp"
    };
    let fields = parse_datetime(input, DATETIME_BUF)
        .map_err(|_| parse_error(DtErr::BadFormat, input, type_name))?;
    let decoded = decode_date_time(&fields, ctx).map_err(|e| parse_error(e, input, type_name))?;
    match decoded.dtype {
        DType::Date => {
            let tz = with_tz.then_some(decoded.tz);
            tm2timestamp(&decoded.tm, decoded.fsec, tz)
                .ok_or_else(|| out_of_range("timestamp", input))
        }
        DType::Epoch => Ok(epoch_timestamp()),
        DType::Late => Ok(i64::MAX),
        DType::Early => Ok(i64::MIN),
        DType::Time => Err(parse_error(DtErr::BadFormat, input, type_name)),
    }
}

/// `SetEpochTimestamp`: 1970-01-01 00:00:00 as a timestamp.
pub(crate) fn epoch_timestamp() -> i64 {
    -i64::from(POSTGRES_EPOCH_JDATE - super::calendar::UNIX_EPOCH_JDATE) * USECS_PER_DAY
}

/// `timestamp_in`.
pub fn timestamp_in(input: &str, ctx: &Context) -> Result<Timestamp> {
    timestamp_in_common(input, ctx, false).map(Timestamp)
}

/// `timestamptz_in`.
pub fn timestamptz_in(input: &str, ctx: &Context) -> Result<TimestampTz> {
    timestamp_in_common(input, ctx, true).map(TimestampTz)
}

/// `timestamp_out`.
pub fn timestamp_out(ts: Timestamp) -> Result<String> {
    if ts == Timestamp::NEG_INFINITY {
        return Ok("-infinity".to_string());
    }
    if ts == Timestamp::INFINITY {
        return Ok("infinity".to_string());
    }
    let (tm, fsec, _) = timestamp2tm(ts.0, None).ok_or_else(timestamp_out_of_range)?;
    Ok(encode_date_time(&tm, fsec, None))
}

/// `timestamptz_out`, in the session zone.
pub fn timestamptz_out(ts: TimestampTz, ctx: &Context) -> Result<String> {
    if ts == TimestampTz::NEG_INFINITY {
        return Ok("-infinity".to_string());
    }
    if ts == TimestampTz::INFINITY {
        return Ok("infinity".to_string());
    }
    let (tm, fsec, tz) = timestamp2tm(ts.0, Some(&ctx.zone)).ok_or_else(timestamp_out_of_range)?;
    Ok(encode_date_time(&tm, fsec, Some(tz)))
}

/// PostgreSQL's plain `timestamp out of range` (22008).
pub(crate) fn timestamp_out_of_range() -> Error {
    Error::new(Condition::DatetimeFieldOverflow, "timestamp out of range")
}

/// `time_in`.
pub fn time_in(input: &str, ctx: &Context) -> Result<Time> {
    let (tm, fsec, _) = time_fields(input, ctx, "time")?;
    Ok(Time(time2t(tm.hour, tm.min, tm.sec, fsec)))
}

/// `timetz_in`.
pub fn timetz_in(input: &str, ctx: &Context) -> Result<TimeTz> {
    let (tm, fsec, tz) = time_fields(input, ctx, "time with time zone")?;
    Ok(TimeTz {
        time: time2t(tm.hour, tm.min, tm.sec, fsec),
        zone: tz,
    })
}

fn time_fields(input: &str, ctx: &Context, type_name: &str) -> Result<(Tm, i32, i32)> {
    let mut fields = parse_datetime(input, DATE_BUF)
        .map_err(|_| parse_error(DtErr::BadFormat, input, type_name))?;
    let d = decode_time_only(&mut fields, ctx).map_err(|e| parse_error(e, input, type_name))?;
    Ok((d.tm, d.fsec, d.tz))
}

fn time_tm(micros: i64) -> (Tm, i32) {
    let hour = micros / 3_600_000_000;
    let rem = micros - hour * 3_600_000_000;
    let min = rem / 60_000_000;
    let rem = rem - min * 60_000_000;
    let sec = rem / 1_000_000;
    let fsec = rem - sec * 1_000_000;
    (
        Tm {
            hour: hour as i32,
            min: min as i32,
            sec: sec as i32,
            ..Tm::default()
        },
        fsec as i32,
    )
}

/// `time_out`.
pub fn time_out(time: Time) -> String {
    let (tm, fsec) = time_tm(time.0);
    encode_time_only(&tm, fsec, None)
}

/// `timetz_out`.
pub fn timetz_out(time: TimeTz) -> String {
    let (tm, fsec) = time_tm(time.time);
    encode_time_only(&tm, fsec, Some(time.zone))
}

/// `interval_in` (no typmod).
pub fn interval_in(input: &str) -> Result<Interval> {
    interval_in_range(input, None)
}

/// `interval_in` decoding with a typmod's field range (truncation is the caller's).
pub(crate) fn interval_in_range(input: &str, range: Option<IntervalFields>) -> Result<Interval> {
    let decoded = match parse_datetime(input, INTERVAL_BUF) {
        Ok(fields) => decode_interval(&fields, range),
        Err(_) => Err(DtErr::BadFormat),
    };
    let decoded = match decoded {
        Err(DtErr::BadFormat) => decode_iso8601_interval(input),
        other => other,
    };
    let itm = decoded.map_err(|e| {
        let e = if e == DtErr::FieldOverflow {
            DtErr::IntervalOverflow
        } else {
            e
        };
        parse_error(e, input, "interval")
    })?;
    let months = i64::from(itm.year) * 12 + i64::from(itm.mon);
    let months = i32::try_from(months)
        .map_err(|_| Error::new(Condition::DatetimeFieldOverflow, "interval out of range"))?;
    Ok(Interval::new(months, itm.mday, itm.usec))
}

/// `interval_out` in the `postgres` style.
pub fn interval_out(interval: Interval) -> String {
    encode_interval(&interval2itm(interval))
}
