//! Decoding of single date/time fields, shared by timestamp, date, time and interval input:
//! `DecodeDate`, `DecodeNumber`, `DecodeNumberField`, `DecodeTimeCommon`, `DecodeTimezone`,
//! `ValidateDate` and the fraction parsers.
//!
//! Invariants:
//! - Field masks, the MDY date order and every range check are PostgreSQL's, so the same input
//!   decodes to the same fields or fails with the same `DtErr`.

use super::calendar::{
    DAY_TAB, MAX_TZDISP_HOUR, MINS_PER_HOUR, SECS_PER_MINUTE, USECS_PER_HOUR, USECS_PER_MINUTE,
    USECS_PER_SEC, date2j, is_leap, j2date,
};
use super::cnum::{atoi, strtod, strtoint, strtol};
use super::tm::Tm;
use super::tokens::{TokenType, date_token};
use crate::Error;

/// Why a date/time field failed, PostgreSQL's `DTERR_*` codes (plus a ready-made error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DtErr {
    BadFormat,
    FieldOverflow,
    MdFieldOverflow,
    IntervalOverflow,
    TzDispOverflow,
    Report(Error),
}

pub(crate) type DtResult<T> = std::result::Result<T, DtErr>;

// Field type codes, used as bit numbers in field masks (PostgreSQL's datetime.h).
pub(crate) const RESERV: u32 = 0;
pub(crate) const MONTH: u32 = 1;
pub(crate) const YEAR: u32 = 2;
pub(crate) const DAY: u32 = 3;
pub(crate) const TZ: u32 = 5;
pub(crate) const DTZ: u32 = 6;
pub(crate) const AMPM: u32 = 9;
pub(crate) const HOUR: u32 = 10;
pub(crate) const MINUTE: u32 = 11;
pub(crate) const SECOND: u32 = 12;
pub(crate) const MILLISECOND: u32 = 13;
pub(crate) const MICROSECOND: u32 = 14;
pub(crate) const DOY: u32 = 15;
pub(crate) const DOW: u32 = 16;
pub(crate) const ADBC: u32 = 18;
pub(crate) const WEEK: u32 = 24;
pub(crate) const DECADE: u32 = 25;
pub(crate) const CENTURY: u32 = 26;
pub(crate) const MILLENNIUM: u32 = 27;
pub(crate) const DTZMOD: u32 = 28;

pub(crate) const fn m(t: u32) -> u32 {
    1 << t
}

pub(crate) const DTK_ALL_SECS_M: u32 = m(SECOND) | m(MILLISECOND) | m(MICROSECOND);
pub(crate) const DTK_DATE_M: u32 = m(YEAR) | m(MONTH) | m(DAY);
pub(crate) const DTK_TIME_M: u32 = m(HOUR) | m(MINUTE) | DTK_ALL_SECS_M;

/// What `DecodeNumberField` recognized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberField {
    Date,
    Time,
}

/// `ParseFraction`: a `.digits` string as a fraction.
pub(crate) fn parse_fraction(cp: &str) -> DtResult<f64> {
    if cp == "." {
        return Ok(0.0);
    }
    let (v, rest, range) = strtod(cp);
    if !rest.is_empty() || range {
        return Err(DtErr::BadFormat);
    }
    Ok(v)
}

/// `ParseFractionalSecond`: a `.digits` string as microseconds.
pub(crate) fn parse_fractional_second(cp: &str) -> DtResult<i32> {
    let frac = parse_fraction(cp)?;
    Ok(rint_i32(frac * 1_000_000.0))
}

/// C's `rint` (round half to even) narrowed to `int` as a C cast would (saturating here).
pub(crate) fn rint_i32(v: f64) -> i32 {
    v.round_ties_even() as i32
}

/// `DecodeDate`: a date field with delimiters (`1999-01-08`, `Jan-08-1999`).
pub(crate) fn decode_date(
    s: &str,
    mut fmask: u32,
    is2digits: &mut bool,
    tm: &mut Tm,
) -> DtResult<u32> {
    let mut tmask = 0u32;
    let b = s.as_bytes();
    let mut parts: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < b.len() && parts.len() < 25 {
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= b.len() {
            return Err(DtErr::BadFormat);
        }
        let start = i;
        if b[i].is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        } else {
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
        }
        parts.push(&s[start..i]);
        if i < b.len() {
            i += 1;
        }
    }
    let mut have_text_month = false;
    let mut done = vec![false; parts.len()];
    for (idx, part) in parts.iter().enumerate() {
        if part.as_bytes()[0].is_ascii_alphabetic() {
            let dmask = match date_token(part) {
                Some(TokenType::Ignore) => continue,
                Some(TokenType::Month(v)) => {
                    tm.mon = v;
                    have_text_month = true;
                    m(MONTH)
                }
                _ => return Err(DtErr::BadFormat),
            };
            if fmask & dmask != 0 {
                return Err(DtErr::BadFormat);
            }
            fmask |= dmask;
            tmask |= dmask;
            done[idx] = true;
        }
    }
    for (idx, part) in parts.iter().enumerate() {
        if done[idx] {
            continue;
        }
        if part.is_empty() {
            return Err(DtErr::BadFormat);
        }
        let mut fsec = 0;
        let dmask = decode_number(
            part.len(),
            part,
            have_text_month,
            fmask,
            tm,
            &mut fsec,
            is2digits,
        )?;
        if fmask & dmask != 0 {
            return Err(DtErr::BadFormat);
        }
        fmask |= dmask;
        tmask |= dmask;
    }
    if fmask & !(m(DOY) | m(TZ)) != DTK_DATE_M {
        return Err(DtErr::BadFormat);
    }
    Ok(tmask)
}

/// `ValidateDate`: final checks and adjustment of year/month/day (BC, 2-digit years, DOY).
pub(crate) fn validate_date(
    fmask: u32,
    isjulian: bool,
    is2digits: bool,
    bc: bool,
    tm: &mut Tm,
) -> DtResult<()> {
    if fmask & m(YEAR) != 0 {
        if isjulian {
        } else if bc {
            if tm.year <= 0 {
                return Err(DtErr::FieldOverflow);
            }
            tm.year = -(tm.year - 1);
        } else if is2digits {
            if tm.year < 0 {
                return Err(DtErr::FieldOverflow);
            }
            if tm.year < 70 {
                tm.year += 2000;
            } else if tm.year < 100 {
                tm.year += 1900;
            }
        } else if tm.year <= 0 {
            return Err(DtErr::FieldOverflow);
        }
    }
    if fmask & m(DOY) != 0 {
        let (y, mo, d) = j2date(date2j(tm.year, 1, 1).wrapping_add(tm.yday).wrapping_sub(1));
        tm.year = y;
        tm.mon = mo;
        tm.mday = d;
    }
    if fmask & m(MONTH) != 0 && !(1..=12).contains(&tm.mon) {
        return Err(DtErr::MdFieldOverflow);
    }
    if fmask & m(DAY) != 0 && !(1..=31).contains(&tm.mday) {
        return Err(DtErr::MdFieldOverflow);
    }
    if fmask & DTK_DATE_M == DTK_DATE_M
        && tm.mday > DAY_TAB[usize::from(is_leap(tm.year))][(tm.mon - 1).clamp(0, 11) as usize]
    {
        return Err(DtErr::FieldOverflow);
    }
    Ok(())
}

/// `DecodeTimeCommon`: `hh:mm[:ss[.fff]]` (or `mm:ss.fff`) as hour, minute, second, usec.
/// `minute_to_second` is the interval typmod `MINUTE TO SECOND`.
pub(crate) fn decode_time_common(
    s: &str,
    minute_to_second: bool,
) -> DtResult<(i64, i32, i32, i32)> {
    let h = strtol(s);
    if h.overflow {
        return Err(DtErr::FieldOverflow);
    }
    let mut hour = h.value;
    if !h.rest.starts_with(':') {
        return Err(DtErr::BadFormat);
    }
    let mi = strtoint(&h.rest[1..]);
    if mi.overflow {
        return Err(DtErr::FieldOverflow);
    }
    let mut min = mi.value;
    let mut sec;
    let mut fsec = 0;
    let cp = mi.rest;
    if cp.is_empty() {
        sec = 0;
        if minute_to_second {
            if hour > i64::from(i32::MAX) || hour < i64::from(i32::MIN) {
                return Err(DtErr::FieldOverflow);
            }
            sec = min;
            min = hour as i32;
            hour = 0;
        }
    } else if cp.starts_with('.') {
        fsec = parse_fractional_second(cp)?;
        if hour > i64::from(i32::MAX) || hour < i64::from(i32::MIN) {
            return Err(DtErr::FieldOverflow);
        }
        sec = min;
        min = hour as i32;
        hour = 0;
    } else if let Some(rest) = cp.strip_prefix(':') {
        let se = strtoint(rest);
        if se.overflow {
            return Err(DtErr::FieldOverflow);
        }
        sec = se.value;
        if se.rest.starts_with('.') {
            fsec = parse_fractional_second(se.rest)?;
        } else if !se.rest.is_empty() {
            return Err(DtErr::BadFormat);
        }
    } else {
        return Err(DtErr::BadFormat);
    }
    if hour < 0
        || !(0..=MINS_PER_HOUR - 1).contains(&min)
        || !(0..=SECS_PER_MINUTE).contains(&sec)
        || fsec < 0
        || i64::from(fsec) > USECS_PER_SEC
    {
        return Err(DtErr::FieldOverflow);
    }
    Ok((hour, min, sec, fsec))
}

/// `DecodeTime`: a time field into `tm`, returning the fractional seconds.
pub(crate) fn decode_time(s: &str, tm: &mut Tm) -> DtResult<i32> {
    let (hour, min, sec, usec) = decode_time_common(s, false)?;
    if hour > i64::from(i32::MAX) {
        return Err(DtErr::FieldOverflow);
    }
    tm.hour = hour as i32;
    tm.min = min;
    tm.sec = sec;
    Ok(usec)
}

/// `DecodeTimeForInterval`: a time field as interval microseconds.
pub(crate) fn decode_time_for_interval(s: &str, minute_to_second: bool) -> DtResult<i64> {
    let (hour, min, sec, usec) = decode_time_common(s, minute_to_second)?;
    let total = hour
        .checked_mul(USECS_PER_HOUR)
        .and_then(|v| v.checked_add(i64::from(min) * USECS_PER_MINUTE))
        .and_then(|v| v.checked_add(i64::from(sec) * USECS_PER_SEC))
        .and_then(|v| v.checked_add(i64::from(usec)))
        .ok_or(DtErr::FieldOverflow)?;
    Ok(total)
}

/// `DecodeNumber`: a plain number interpreted by what the input has so far (MDY order).
pub(crate) fn decode_number(
    flen: usize,
    s: &str,
    have_text_month: bool,
    fmask: u32,
    tm: &mut Tm,
    fsec: &mut i32,
    is2digits: &mut bool,
) -> DtResult<u32> {
    let p = strtoint(s);
    if p.overflow {
        return Err(DtErr::FieldOverflow);
    }
    if !p.any {
        return Err(DtErr::BadFormat);
    }
    let val = p.value;
    let cp = p.rest;
    if cp.starts_with('.') {
        if s.len() - cp.len() > 2 {
            let (tmask, _) = decode_number_field(flen, s, fmask | DTK_DATE_M, tm, fsec, is2digits)?;
            return Ok(tmask);
        }
        *fsec = parse_fractional_second(cp)?;
    } else if !cp.is_empty() {
        return Err(DtErr::BadFormat);
    }
    if flen == 3 && fmask & DTK_DATE_M == m(YEAR) && (1..=366).contains(&val) {
        tm.yday = val;
        return Ok(m(DOY) | m(MONTH) | m(DAY));
    }
    let tmask = match fmask & DTK_DATE_M {
        0 => {
            if flen >= 3 {
                tm.year = val;
                m(YEAR)
            } else {
                tm.mon = val;
                m(MONTH)
            }
        }
        x if x == m(YEAR) => {
            tm.mon = val;
            m(MONTH)
        }
        x if x == m(MONTH) => {
            if have_text_month && flen >= 3 {
                tm.year = val;
                m(YEAR)
            } else {
                tm.mday = val;
                m(DAY)
            }
        }
        x if x == m(YEAR) | m(MONTH) => {
            if have_text_month && flen >= 3 && *is2digits {
                tm.mday = tm.year;
                tm.year = val;
                *is2digits = false;
            } else {
                tm.mday = val;
            }
            m(DAY)
        }
        x if x == m(DAY) => {
            tm.mon = val;
            m(MONTH)
        }
        x if x == m(MONTH) | m(DAY) => {
            tm.year = val;
            m(YEAR)
        }
        x if x == DTK_DATE_M => {
            let (tmask, _) = decode_number_field(flen, s, fmask, tm, fsec, is2digits)?;
            return Ok(tmask);
        }
        _ => return Err(DtErr::BadFormat),
    };
    if tmask == m(YEAR) {
        *is2digits = flen <= 2;
    }
    Ok(tmask)
}

/// `DecodeNumberField`: a run-together date (`19990108`) or time (`040506`, `0405`).
pub(crate) fn decode_number_field(
    len: usize,
    s: &str,
    fmask: u32,
    tm: &mut Tm,
    fsec: &mut i32,
    is2digits: &mut bool,
) -> DtResult<(u32, NumberField)> {
    let mut s = s;
    let mut len = len;
    if let Some(dot) = s.find('.') {
        let cp = &s[dot..];
        if cp.len() == 1 {
            *fsec = 0;
        } else {
            let (frac, _, range) = strtod(cp);
            if range {
                return Err(DtErr::BadFormat);
            }
            *fsec = rint_i32(frac * 1_000_000.0);
        }
        s = &s[..dot];
        len = s.len();
    } else if fmask & DTK_DATE_M != DTK_DATE_M && len >= 6 {
        tm.mday = atoi(&s[len - 2..]);
        tm.mon = atoi(&s[len - 4..len - 2]);
        tm.year = atoi(&s[..len - 4]);
        if len - 4 == 2 {
            *is2digits = true;
        }
        return Ok((DTK_DATE_M, NumberField::Date));
    }
    if fmask & DTK_TIME_M != DTK_TIME_M {
        if len == 6 {
            tm.sec = atoi(&s[4..]);
            tm.min = atoi(&s[2..4]);
            tm.hour = atoi(&s[..2]);
            return Ok((DTK_TIME_M, NumberField::Time));
        } else if len == 4 {
            tm.sec = 0;
            tm.min = atoi(&s[2..4]);
            tm.hour = atoi(&s[..2]);
            return Ok((DTK_TIME_M, NumberField::Time));
        }
    }
    Err(DtErr::BadFormat)
}

/// `DecodeTimezone`: `+hh`, `-hh:mm[:ss]`, `+hhmm` as PostgreSQL's `tz` (seconds west).
pub(crate) fn decode_timezone(s: &str) -> DtResult<i32> {
    let negative = match s.as_bytes().first() {
        Some(b'+') => false,
        Some(b'-') => true,
        _ => return Err(DtErr::BadFormat),
    };
    let h = strtoint(&s[1..]);
    if h.overflow {
        return Err(DtErr::TzDispOverflow);
    }
    let mut hr = h.value;
    let min;
    let mut sec = 0;
    let mut cp = h.rest;
    if let Some(rest) = cp.strip_prefix(':') {
        let mi = strtoint(rest);
        if mi.overflow {
            return Err(DtErr::TzDispOverflow);
        }
        min = mi.value;
        cp = mi.rest;
        if let Some(rest) = cp.strip_prefix(':') {
            let se = strtoint(rest);
            if se.overflow {
                return Err(DtErr::TzDispOverflow);
            }
            sec = se.value;
            cp = se.rest;
        }
    } else if cp.is_empty() && s.len() > 3 {
        min = hr % 100;
        hr /= 100;
    } else {
        min = 0;
    }
    if !(0..=MAX_TZDISP_HOUR).contains(&hr) {
        return Err(DtErr::TzDispOverflow);
    }
    if !(0..MINS_PER_HOUR).contains(&min) {
        return Err(DtErr::TzDispOverflow);
    }
    if !(0..SECS_PER_MINUTE).contains(&sec) {
        return Err(DtErr::TzDispOverflow);
    }
    let mut tz = (hr * MINS_PER_HOUR + min) * SECS_PER_MINUTE + sec;
    if negative {
        tz = -tz;
    }
    if !cp.is_empty() {
        return Err(DtErr::BadFormat);
    }
    Ok(-tz)
}
