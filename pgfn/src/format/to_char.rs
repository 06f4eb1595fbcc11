//! The `to_char` entry points for `timestamp`, `timestamptz` and `interval`: break the value
//! down as PostgreSQL's `timestamp_to_char` & co. do, then format it.
//!
//! Invariants:
//! - An empty template or an infinite timestamp gives NULL (`None`), as in PostgreSQL.
//! - `timestamptz` is broken down in the session zone, whose abbreviation `TZ` prints.

use super::datetime_to_char::{TmToChar, dch_to_char};
use crate::datetime::calendar::{DAYS_PER_MONTH, date2j};
use crate::datetime::tm::{interval2itm, timestamp2tm};
use crate::datetime::{Context, Interval, Timestamp, TimestampTz};
use crate::{Condition, Error, Result};

fn out_of_range() -> Error {
    Error::new(Condition::DatetimeFieldOverflow, "timestamp out of range")
}

fn timestamp_tm(ts: i64, ctx: Option<&Context>) -> Result<TmToChar> {
    let (tm, fsec, _) = timestamp2tm(ts, ctx.map(|c| &c.zone)).ok_or_else(out_of_range)?;
    let thisdate = date2j(tm.year, tm.mon, tm.mday);
    Ok(TmToChar {
        year: tm.year,
        mon: tm.mon,
        mday: tm.mday,
        hour: i64::from(tm.hour),
        min: tm.min,
        sec: tm.sec,
        wday: (thisdate + 1) % 7,
        yday: thisdate - date2j(tm.year, 1, 1) + 1,
        gmtoff: tm.gmtoff,
        fsec,
        tzn: tm.zone,
    })
}

/// `to_char(timestamp, text)`.
pub fn timestamp_to_char(ts: Timestamp, fmt: &str) -> Result<Option<String>> {
    if fmt.is_empty() || !ts.is_finite() {
        return Ok(None);
    }
    dch_to_char(fmt, &timestamp_tm(ts.0, None)?, false).map(Some)
}

/// `to_char(timestamptz, text)`, in the session zone.
pub fn timestamptz_to_char(ts: TimestampTz, fmt: &str, ctx: &Context) -> Result<Option<String>> {
    if fmt.is_empty() || !ts.is_finite() {
        return Ok(None);
    }
    dch_to_char(fmt, &timestamp_tm(ts.0, Some(ctx))?, false).map(Some)
}

/// `to_char(interval, text)`.
pub fn interval_to_char(span: Interval, fmt: &str) -> Result<Option<String>> {
    if fmt.is_empty() {
        return Ok(None);
    }
    let itm = interval2itm(span);
    let tm = TmToChar {
        year: itm.year,
        mon: itm.mon,
        mday: itm.mday,
        hour: itm.hour,
        min: itm.min,
        sec: itm.sec,
        wday: 0,
        yday: (itm.year.wrapping_mul(12).wrapping_add(itm.mon))
            .wrapping_mul(DAYS_PER_MONTH)
            .wrapping_add(itm.mday),
        gmtoff: 0,
        fsec: itm.usec,
        tzn: None,
    };
    dch_to_char(fmt, &tm, true).map(Some)
}
