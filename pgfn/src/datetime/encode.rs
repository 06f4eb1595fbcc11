//! Text output of date/time values in PostgreSQL's ISO `DateStyle` and `postgres`
//! `IntervalStyle`: `EncodeDateOnly`, `EncodeTimeOnly`, `EncodeDateTime`, `EncodeInterval`.
//!
//! Invariants:
//! - Byte for byte PostgreSQL 15's output: four-digit zero-padded years with ` BC`, fractional
//!   seconds without trailing zeros, offsets as `+hh`, `+hh:mm` or `+hh:mm:ss`.

use std::fmt::Write;

use super::tm::{Itm, Tm};

/// `AppendSeconds`: seconds (two digits if `fill`) and up to `precision` fraction digits,
/// trailing zeros dropped; signs are stripped.
pub(crate) fn append_seconds(out: &mut String, sec: i32, fsec: i32, precision: usize, fill: bool) {
    let sec = sec.unsigned_abs();
    if fill {
        let _ = write!(out, "{sec:02}");
    } else {
        let _ = write!(out, "{sec}");
    }
    if fsec != 0 {
        let value = fsec.unsigned_abs();
        let digits = format!("{value:06}");
        if digits.len() > precision {
            // PostgreSQL punts to the plain number when precision cannot hold it.
            let _ = write!(out, ".{value}");
            return;
        }
        let trimmed = digits.trim_end_matches('0');
        out.push('.');
        out.push_str(trimmed);
    }
}

/// `EncodeTimezone`: PostgreSQL's `tz` (seconds west) as `+hh[:mm[:ss]]`.
pub(crate) fn encode_timezone(out: &mut String, tz: i32) {
    let mut sec = tz.unsigned_abs();
    let mut min = sec / 60;
    sec -= min * 60;
    let hour = min / 60;
    min -= hour * 60;
    out.push(if tz <= 0 { '+' } else { '-' });
    if sec != 0 {
        let _ = write!(out, "{hour:02}:{min:02}:{sec:02}");
    } else if min != 0 {
        let _ = write!(out, "{hour:02}:{min:02}");
    } else {
        let _ = write!(out, "{hour:02}");
    }
}

fn push_year(out: &mut String, year: i32) {
    let shown = if year > 0 {
        i64::from(year)
    } else {
        -(i64::from(year) - 1)
    };
    let _ = write!(out, "{shown:04}");
}

/// `EncodeDateOnly` in ISO style.
pub(crate) fn encode_date_only(tm: &Tm) -> String {
    let mut out = String::with_capacity(16);
    push_year(&mut out, tm.year);
    let _ = write!(out, "-{:02}-{:02}", tm.mon, tm.mday);
    if tm.year <= 0 {
        out.push_str(" BC");
    }
    out
}

/// `EncodeTimeOnly`: `hh:mm:ss[.ffffff]`, with the offset for `timetz`.
pub(crate) fn encode_time_only(tm: &Tm, fsec: i32, tz: Option<i32>) -> String {
    let mut out = String::with_capacity(24);
    let _ = write!(out, "{:02}:{:02}:", tm.hour, tm.min);
    append_seconds(&mut out, tm.sec, fsec, 6, true);
    if let Some(tz) = tz {
        encode_timezone(&mut out, tz);
    }
    out
}

/// `EncodeDateTime` in ISO style; `tz` is printed when given and the zone is known.
pub(crate) fn encode_date_time(tm: &Tm, fsec: i32, tz: Option<i32>) -> String {
    let mut out = String::with_capacity(40);
    push_year(&mut out, tm.year);
    let _ = write!(
        out,
        "-{:02}-{:02} {:02}:{:02}:",
        tm.mon, tm.mday, tm.hour, tm.min
    );
    append_seconds(&mut out, tm.sec, fsec, 6, true);
    if let Some(tz) = tz
        && tm.isdst >= 0
    {
        encode_timezone(&mut out, tz);
    }
    if tm.year <= 0 {
        out.push_str(" BC");
    }
    out
}

fn add_postgres_int_part(
    out: &mut String,
    value: i64,
    units: &str,
    is_zero: &mut bool,
    is_before: &mut bool,
) {
    if value == 0 {
        return;
    }
    let _ = write!(
        out,
        "{}{}{} {}{}",
        if *is_zero { "" } else { " " },
        if *is_before && value > 0 { "+" } else { "" },
        value,
        units,
        if value != 1 { "s" } else { "" }
    );
    *is_before = value < 0;
    *is_zero = false;
}

/// `EncodeInterval` in the `postgres` style: `1 year 2 mons -3 days +04:05:06.5`.
pub(crate) fn encode_interval(itm: &Itm) -> String {
    let mut out = String::with_capacity(48);
    let mut is_zero = true;
    let mut is_before = false;
    add_postgres_int_part(
        &mut out,
        i64::from(itm.year),
        "year",
        &mut is_zero,
        &mut is_before,
    );
    add_postgres_int_part(
        &mut out,
        i64::from(itm.mon),
        "mon",
        &mut is_zero,
        &mut is_before,
    );
    add_postgres_int_part(
        &mut out,
        i64::from(itm.mday),
        "day",
        &mut is_zero,
        &mut is_before,
    );
    let (hour, min, sec, fsec) = (itm.hour, itm.min, itm.sec, itm.usec);
    if is_zero || hour != 0 || min != 0 || sec != 0 || fsec != 0 {
        let minus = hour < 0 || min < 0 || sec < 0 || fsec < 0;
        let _ = write!(
            out,
            "{}{}{:02}:{:02}:",
            if is_zero { "" } else { " " },
            if minus {
                "-"
            } else if is_before {
                "+"
            } else {
                ""
            },
            hour.unsigned_abs(),
            min.unsigned_abs()
        );
        append_seconds(&mut out, sec, fsec, 6, true);
    }
    out
}
