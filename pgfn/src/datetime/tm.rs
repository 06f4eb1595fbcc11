//! Broken-down time (`struct pg_tm`) and its conversions to and from stored values:
//! `timestamp2tm`, `tm2timestamp`, `dt2time`, `interval2itm`, `itm2interval`.
//!
//! Invariants:
//! - `year` is astronomical (0 = 1 BC), `mon` is 1-based, exactly as PostgreSQL's datetime code
//!   uses `pg_tm`; `fsec` (microseconds) travels beside it.
//! - Conversions fail (`None`) exactly where PostgreSQL's return -1.

use super::calendar::{
    POSTGRES_EPOCH_JDATE, SECS_PER_DAY, UNIX_EPOCH_JDATE, USECS_PER_DAY, USECS_PER_HOUR,
    USECS_PER_MINUTE, USECS_PER_SEC, date2j, is_valid_julian, j2date,
};
use super::types::{Interval, is_valid_timestamp};
use super::zone::Zone;

/// `struct pg_tm`, PostgreSQL's broken-down time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tm {
    pub(crate) year: i32,
    pub(crate) mon: i32,
    pub(crate) mday: i32,
    pub(crate) hour: i32,
    pub(crate) min: i32,
    pub(crate) sec: i32,
    /// Day of week, 0 = Sunday (set only where PostgreSQL sets it).
    pub(crate) wday: i32,
    /// Day of year (1-based) for day-of-year input.
    pub(crate) yday: i32,
    /// -1 unknown, 0 standard time, 1 daylight time.
    pub(crate) isdst: i32,
    /// Seconds east of UTC of the zone this was broken down in.
    pub(crate) gmtoff: i64,
    /// The zone abbreviation it was broken down in, if any.
    pub(crate) zone: Option<String>,
}

/// `struct pg_itm`: an interval broken into fields, hours unbounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Itm {
    pub(crate) usec: i32,
    pub(crate) sec: i32,
    pub(crate) min: i32,
    pub(crate) hour: i64,
    pub(crate) mday: i32,
    pub(crate) mon: i32,
    pub(crate) year: i32,
}

/// Unix seconds between 1970-01-01 and 2000-01-01.
pub(crate) const EPOCH_SHIFT_SECS: i64 =
    (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) as i64 * SECS_PER_DAY;

/// `dt2time`: splits microseconds of a day into hour, minute, second, microsecond.
pub(crate) fn dt2time(t: i64) -> (i32, i32, i32, i32) {
    let hour = t / USECS_PER_HOUR;
    let t = t - hour * USECS_PER_HOUR;
    let min = t / USECS_PER_MINUTE;
    let t = t - min * USECS_PER_MINUTE;
    let sec = t / USECS_PER_SEC;
    let fsec = t - sec * USECS_PER_SEC;
    (hour as i32, min as i32, sec as i32, fsec as i32)
}

/// `time2t`: microseconds of a time of day from its fields (C int arithmetic on the seconds).
pub(crate) fn time2t(hour: i32, min: i32, sec: i32, fsec: i32) -> i64 {
    let secs = i64::from(hour) * 3600 + i64::from(min) * 60 + i64::from(sec);
    secs * USECS_PER_SEC + i64::from(fsec)
}

/// `timestamp2tm`: breaks a finite timestamp down, in `zone` if given (then also returning
/// PostgreSQL's `tz`, seconds west). `None` when out of the Julian-day range.
pub(crate) fn timestamp2tm(dt: i64, zone: Option<&Zone>) -> Option<(Tm, i32, i32)> {
    let mut date = dt / USECS_PER_DAY;
    let mut time = dt - date * USECS_PER_DAY;
    if time < 0 {
        time += USECS_PER_DAY;
        date -= 1;
    }
    date += i64::from(POSTGRES_EPOCH_JDATE);
    if date < 0 || date > i64::from(i32::MAX) {
        return None;
    }
    let (year, mon, mday) = j2date(date as i32);
    let (hour, min, sec, fsec) = dt2time(time);
    let mut tm = Tm {
        year,
        mon,
        mday,
        hour,
        min,
        sec,
        isdst: -1,
        ..Tm::default()
    };
    let Some(zone) = zone else {
        return Some((tm, fsec, 0));
    };
    let utime = (dt - i64::from(fsec)) / USECS_PER_SEC + EPOCH_SHIFT_SECS;
    let local = zone.local_offset(utime);
    let local_secs = utime + i64::from(local.gmtoff);
    let days = local_secs.div_euclid(SECS_PER_DAY);
    let secs_of_day = local_secs.rem_euclid(SECS_PER_DAY);
    let (year, mon, mday) = j2date((days + i64::from(UNIX_EPOCH_JDATE)) as i32);
    tm.year = year;
    tm.mon = mon;
    tm.mday = mday;
    tm.hour = (secs_of_day / 3600) as i32;
    tm.min = (secs_of_day / 60 % 60) as i32;
    tm.sec = (secs_of_day % 60) as i32;
    tm.isdst = i32::from(local.is_dst);
    tm.gmtoff = i64::from(local.gmtoff);
    tm.zone = Some(local.abbrev);
    Some((tm, fsec, -local.gmtoff))
}

/// `tm2timestamp`: a timestamp from broken-down time, shifted by `tz` (seconds west) if given.
/// `None` when out of range.
pub(crate) fn tm2timestamp(tm: &Tm, fsec: i32, tz: Option<i32>) -> Option<i64> {
    if !is_valid_julian(tm.year, tm.mon, tm.mday) {
        return None;
    }
    let date = i64::from(date2j(tm.year, tm.mon, tm.mday)) - i64::from(POSTGRES_EPOCH_JDATE);
    let time = time2t(tm.hour, tm.min, tm.sec, fsec);
    let mut result = date.checked_mul(USECS_PER_DAY)?.checked_add(time)?;
    if (result < 0 && date > 0) || (result > 0 && date < -1) {
        return None;
    }
    if let Some(tz) = tz {
        result = result.checked_add(i64::from(tz) * USECS_PER_SEC)?;
    }
    is_valid_timestamp(result).then_some(result)
}

/// `interval2itm`: an interval broken into fields.
pub(crate) fn interval2itm(span: Interval) -> Itm {
    let mut time = span.micros;
    let hour = time / USECS_PER_HOUR;
    time -= hour * USECS_PER_HOUR;
    let min = time / USECS_PER_MINUTE;
    time -= min * USECS_PER_MINUTE;
    let sec = time / USECS_PER_SEC;
    time -= sec * USECS_PER_SEC;
    Itm {
        year: span.months / 12,
        mon: span.months % 12,
        mday: span.days,
        hour,
        min: min as i32,
        sec: sec as i32,
        usec: time as i32,
    }
}

/// `itm2interval`: an interval from fields; `None` on overflow.
pub(crate) fn itm2interval(itm: &Itm) -> Option<Interval> {
    let months = i64::from(itm.year) * 12 + i64::from(itm.mon);
    let months = i32::try_from(months).ok()?;
    let mut time = itm.hour.checked_mul(USECS_PER_HOUR)?;
    time = time.checked_add(i64::from(itm.min) * USECS_PER_MINUTE)?;
    time = time.checked_add(i64::from(itm.sec) * USECS_PER_SEC)?;
    time = time.checked_add(i64::from(itm.usec))?;
    Some(Interval::new(months, itm.mday, time))
}

/// Local time of a broken-down date and time as Unix seconds, PostgreSQL's first step of
/// `DetermineTimeZoneOffset`; `None` where it punts to UTC.
pub(crate) fn tm_local_unix(tm: &Tm) -> Option<i64> {
    if !is_valid_julian(tm.year, tm.mon, tm.mday) {
        return None;
    }
    let date = i64::from(date2j(tm.year, tm.mon, tm.mday)) - i64::from(UNIX_EPOCH_JDATE);
    let sec = i64::from(tm.sec) + (i64::from(tm.min) + i64::from(tm.hour) * 60) * 60;
    Some(date * SECS_PER_DAY + sec)
}

/// `DetermineTimeZoneOffset`: PostgreSQL's `tz` (seconds west) for a local time in `zone`,
/// setting `tm.isdst`.
pub(crate) fn determine_offset(tm: &mut Tm, zone: &Zone) -> i32 {
    let (gmtoff, _, dst) = zone.offset_for_local(tm_local_unix(tm));
    tm.isdst = i32::from(dst);
    -gmtoff
}

/// `DetermineTimeZoneAbbrevOffset`: the `tz` of a dynamic abbreviation (e.g. `MSK`) at a
/// local time in its zone.
pub(crate) fn determine_abbrev_offset(tm: &mut Tm, abbrev: &str, zone: &Zone) -> i32 {
    let (gmtoff, utc, dst) = zone.offset_for_local(tm_local_unix(tm));
    match zone.interpret_abbrev(&abbrev.to_ascii_uppercase(), utc) {
        Some((off, is_dst)) => {
            tm.isdst = i32::from(is_dst);
            -off
        }
        None => {
            tm.isdst = i32::from(dst);
            -gmtoff
        }
    }
}

/// `DetermineTimeZoneAbbrevOffsetTS`: the `tz` of an abbreviation at a UTC instant.
pub(crate) fn determine_abbrev_offset_ts(ts: i64, abbrev: &str, zone: &Zone) -> Option<i32> {
    let t = ts / USECS_PER_SEC + EPOCH_SHIFT_SECS;
    if let Some((off, _)) = zone.interpret_abbrev(&abbrev.to_ascii_uppercase(), t) {
        return Some(-off);
    }
    let (mut tm, _, _) = timestamp2tm(ts, Some(zone))?;
    Some(determine_offset(&mut tm, zone))
}
