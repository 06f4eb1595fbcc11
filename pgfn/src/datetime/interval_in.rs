//! Interval input: PostgreSQL's `DecodeInterval` (`1 year 2 mons -3 days 04:05:06`,
//! `1-2`, `@ 1 hour ago`) and `DecodeISO8601Interval` (`P1Y2M3DT4H5M6S`, `P0001-02-03T04:05:06`).
//!
//! Invariants:
//! - Units are read right to left, so a bare number takes the unit of the field after it;
//!   fractional units spill into smaller ones exactly as PostgreSQL's `Adjust*` helpers do
//!   (months into 30-day days, days into microseconds).
//! - Every accumulation is overflow-checked and fails as PostgreSQL's does.

use super::calendar::{
    DAYS_PER_MONTH, USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC,
};
use super::cnum::{strtod, strtoint, strtol};
use super::fields::{
    CENTURY, DAY, DECADE, DTK_ALL_SECS_M, DtErr, DtResult, HOUR, MICROSECOND, MILLENNIUM,
    MILLISECOND, MINUTE, MONTH, SECOND, WEEK, YEAR, decode_time_for_interval, m, parse_fraction,
};
use super::interval_fields::IntervalFields;
use super::lex::{Field, FieldType};
use super::tokens::{TokenType, Unit, delta_token};

/// `struct pg_itm_in`: interval fields being accumulated.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ItmIn {
    pub usec: i64,
    pub mday: i32,
    pub mon: i32,
    pub year: i32,
}

fn adjust_fract_microseconds(frac: f64, scale: i64, itm: &mut ItmIn) -> bool {
    if frac == 0.0 {
        return true;
    }
    let frac = frac * scale as f64;
    let mut usec = frac as i64;
    let rem = frac - usec as f64;
    if rem > 0.5 {
        usec += 1;
    } else if rem < -0.5 {
        usec -= 1;
    }
    match itm.usec.checked_add(usec) {
        Some(v) => {
            itm.usec = v;
            true
        }
        None => false,
    }
}

fn adjust_fract_days(frac: f64, scale: i32, itm: &mut ItmIn) -> bool {
    if frac == 0.0 {
        return true;
    }
    let frac = frac * f64::from(scale);
    let extra_days = frac as i32;
    match itm.mday.checked_add(extra_days) {
        Some(v) => itm.mday = v,
        None => return false,
    }
    adjust_fract_microseconds(frac - f64::from(extra_days), USECS_PER_DAY, itm)
}

fn adjust_fract_years(frac: f64, scale: i32, itm: &mut ItmIn) -> bool {
    let extra_months = (frac * f64::from(scale) * 12.0).round_ties_even() as i32;
    match itm.mon.checked_add(extra_months) {
        Some(v) => {
            itm.mon = v;
            true
        }
        None => false,
    }
}

fn adjust_microseconds(val: i64, fval: f64, scale: i64, itm: &mut ItmIn) -> bool {
    match val.checked_mul(scale).and_then(|p| itm.usec.checked_add(p)) {
        Some(v) => itm.usec = v,
        None => return false,
    }
    adjust_fract_microseconds(fval, scale, itm)
}

fn adjust_days(val: i64, scale: i32, itm: &mut ItmIn) -> bool {
    let Ok(v) = i32::try_from(val) else {
        return false;
    };
    match v.checked_mul(scale).and_then(|d| itm.mday.checked_add(d)) {
        Some(d) => {
            itm.mday = d;
            true
        }
        None => false,
    }
}

fn adjust_months(val: i64, itm: &mut ItmIn) -> bool {
    let Ok(v) = i32::try_from(val) else {
        return false;
    };
    match itm.mon.checked_add(v) {
        Some(mo) => {
            itm.mon = mo;
            true
        }
        None => false,
    }
}

fn adjust_years(val: i64, scale: i32, itm: &mut ItmIn) -> bool {
    let Ok(v) = i32::try_from(val) else {
        return false;
    };
    match v.checked_mul(scale).and_then(|y| itm.year.checked_add(y)) {
        Some(y) => {
            itm.year = y;
            true
        }
        None => false,
    }
}

fn ok(b: bool) -> DtResult<()> {
    if b { Ok(()) } else { Err(DtErr::FieldOverflow) }
}

/// `DecodeInterval` over tokenized input; `range` is the typmod's field range, if any.
pub(crate) fn decode_interval(fields: &[Field], range: Option<IntervalFields>) -> DtResult<ItmIn> {
    let default_unit = range.map_or(Unit::Second, IntervalFields::default_unit);
    let minute_to_second = range == Some(IntervalFields::MinuteToSecond);
    let mut itm = ItmIn::default();
    let mut is_before = false;
    let mut fmask = 0u32;
    // PostgreSQL's `type`: unset, a unit, or the stray 0 that "ago" leaves behind.
    let mut unit: Option<Option<Unit>> = None;
    for field in fields.iter().rev() {
        let text = field.text.as_str();
        let tmask: u32;
        let mut ftype = field.ftype;
        if ftype == FieldType::Time {
            itm.usec = decode_time_for_interval(text, minute_to_second)?;
            unit = Some(Some(Unit::Day));
            tmask = super::fields::DTK_TIME_M;
            if tmask & fmask != 0 {
                return Err(DtErr::BadFormat);
            }
            fmask |= tmask;
            continue;
        }
        if ftype == FieldType::Tz {
            if text[1..].contains(':')
                && let Ok(usec) = decode_time_for_interval(&text[1..], minute_to_second)
            {
                itm.usec = usec;
                if text.starts_with('-') {
                    if itm.usec == i64::MIN {
                        return Err(DtErr::FieldOverflow);
                    }
                    itm.usec = -itm.usec;
                }
                unit = Some(Some(Unit::Day));
                let tmask = super::fields::DTK_TIME_M;
                if tmask & fmask != 0 {
                    return Err(DtErr::BadFormat);
                }
                fmask |= tmask;
                continue;
            }
            ftype = FieldType::Number;
        }
        match ftype {
            FieldType::Date | FieldType::Number => {
                let Some(u) = *unit.get_or_insert(Some(default_unit)) else {
                    return Err(DtErr::BadFormat);
                };
                let p = strtol(text);
                if p.overflow {
                    return Err(DtErr::FieldOverflow);
                }
                let mut val = p.value;
                let cp = p.rest;
                let mut u = u;
                let fval;
                if let Some(rest) = cp.strip_prefix('-') {
                    let q = strtoint(rest);
                    if q.overflow || q.value < 0 || q.value >= 12 {
                        return Err(DtErr::FieldOverflow);
                    }
                    if !q.rest.is_empty() {
                        return Err(DtErr::BadFormat);
                    }
                    u = Unit::Month;
                    let val2 = if text.starts_with('-') {
                        -q.value
                    } else {
                        q.value
                    };
                    val = val
                        .checked_mul(12)
                        .and_then(|v| v.checked_add(i64::from(val2)))
                        .ok_or(DtErr::FieldOverflow)?;
                    fval = 0.0;
                } else if cp.starts_with('.') {
                    let f = parse_fraction(cp)?;
                    fval = if text.starts_with('-') { -f } else { f };
                } else if cp.is_empty() {
                    fval = 0.0;
                } else {
                    return Err(DtErr::BadFormat);
                }
                let (tm_bit, next) = match u {
                    Unit::Microseconds => {
                        ok(adjust_microseconds(val, fval, 1, &mut itm))?;
                        (m(MICROSECOND), u)
                    }
                    Unit::Milliseconds => {
                        ok(adjust_microseconds(val, fval, 1000, &mut itm))?;
                        (m(MILLISECOND), u)
                    }
                    Unit::Second => {
                        ok(adjust_microseconds(val, fval, USECS_PER_SEC, &mut itm))?;
                        (
                            if fval == 0.0 {
                                m(SECOND)
                            } else {
                                DTK_ALL_SECS_M
                            },
                            u,
                        )
                    }
                    Unit::Minute => {
                        ok(adjust_microseconds(val, fval, USECS_PER_MINUTE, &mut itm))?;
                        (m(MINUTE), u)
                    }
                    Unit::Hour => {
                        ok(adjust_microseconds(val, fval, USECS_PER_HOUR, &mut itm))?;
                        (m(HOUR), Unit::Day)
                    }
                    Unit::Day => {
                        ok(adjust_days(val, 1, &mut itm)
                            && adjust_fract_microseconds(fval, USECS_PER_DAY, &mut itm))?;
                        (m(DAY), u)
                    }
                    Unit::Week => {
                        ok(adjust_days(val, 7, &mut itm) && adjust_fract_days(fval, 7, &mut itm))?;
                        (m(WEEK), u)
                    }
                    Unit::Month => {
                        ok(adjust_months(val, &mut itm)
                            && adjust_fract_days(fval, DAYS_PER_MONTH, &mut itm))?;
                        (m(MONTH), u)
                    }
                    Unit::Year => {
                        ok(adjust_years(val, 1, &mut itm) && adjust_fract_years(fval, 1, &mut itm))?;
                        (m(YEAR), u)
                    }
                    Unit::Decade => {
                        ok(adjust_years(val, 10, &mut itm)
                            && adjust_fract_years(fval, 10, &mut itm))?;
                        (m(DECADE), u)
                    }
                    Unit::Century => {
                        ok(adjust_years(val, 100, &mut itm)
                            && adjust_fract_years(fval, 100, &mut itm))?;
                        (m(CENTURY), u)
                    }
                    Unit::Millennium => {
                        ok(adjust_years(val, 1000, &mut itm)
                            && adjust_fract_years(fval, 1000, &mut itm))?;
                        (m(MILLENNIUM), u)
                    }
                    _ => return Err(DtErr::BadFormat),
                };
                unit = Some(Some(next));
                tmask = tm_bit;
            }
            FieldType::String | FieldType::Special => match delta_token(text) {
                Some(TokenType::Ignore) => {
                    unit = None;
                    continue;
                }
                Some(TokenType::Units(u)) => {
                    unit = Some(Some(u));
                    tmask = 0;
                }
                Some(TokenType::Ago) => {
                    is_before = true;
                    unit = Some(None);
                    tmask = 0;
                }
                _ => return Err(DtErr::BadFormat),
            },
            FieldType::Time | FieldType::Tz => return Err(DtErr::BadFormat),
        }
        if tmask & fmask != 0 {
            return Err(DtErr::BadFormat);
        }
        fmask |= tmask;
    }
    if fmask == 0 {
        return Err(DtErr::BadFormat);
    }
    if is_before {
        if itm.usec == i64::MIN
            || itm.mday == i32::MIN
            || itm.mon == i32::MIN
            || itm.year == i32::MIN
        {
            return Err(DtErr::FieldOverflow);
        }
        itm.usec = -itm.usec;
        itm.mday = -itm.mday;
        itm.mon = -itm.mon;
        itm.year = -itm.year;
    }
    Ok(itm)
}

/// `ParseISO8601Number`: a decimal (strtod syntax) split into integer and fraction; returns
/// the rest of the string.
fn parse_iso_number(s: &str) -> DtResult<(i64, f64, &str)> {
    let first = s.as_bytes().first().copied().unwrap_or(0);
    if !(first.is_ascii_digit() || first == b'-' || first == b'.') {
        return Err(DtErr::BadFormat);
    }
    let (val, rest, range) = strtod(s);
    if rest.len() == s.len() || range {
        return Err(DtErr::BadFormat);
    }
    if val.is_nan() || !(-1.0e15..=1.0e15).contains(&val) {
        return Err(DtErr::FieldOverflow);
    }
    let ipart = if val >= 0.0 {
        val.floor() as i64
    } else {
        -((-val).floor() as i64)
    };
    Ok((ipart, val - ipart as f64, rest))
}

fn iso_integer_width(s: &str) -> usize {
    let s = s.strip_prefix('-').unwrap_or(s);
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// `DecodeISO8601Interval`.
pub(crate) fn decode_iso8601_interval(input: &str) -> DtResult<ItmIn> {
    let mut itm = ItmIn::default();
    if input.len() < 2 || !input.starts_with('P') {
        return Err(DtErr::BadFormat);
    }
    let mut s = &input[1..];
    let mut datepart = true;
    let mut havefield = false;
    while !s.is_empty() {
        if let Some(rest) = s.strip_prefix('T') {
            datepart = false;
            havefield = false;
            s = rest;
            continue;
        }
        let fieldstart = s;
        let (val, fval, rest) = parse_iso_number(s)?;
        let unit = rest.as_bytes().first().copied().unwrap_or(0);
        s = &rest[rest.chars().next().map_or(0, char::len_utf8)..];
        if datepart {
            match unit {
                b'Y' => {
                    ok(adjust_years(val, 1, &mut itm) && adjust_fract_years(fval, 1, &mut itm))?
                }
                b'M' => ok(adjust_months(val, &mut itm)
                    && adjust_fract_days(fval, DAYS_PER_MONTH, &mut itm))?,
                b'W' => ok(adjust_days(val, 7, &mut itm) && adjust_fract_days(fval, 7, &mut itm))?,
                b'D' => ok(adjust_days(val, 1, &mut itm)
                    && adjust_fract_microseconds(fval, USECS_PER_DAY, &mut itm))?,
                b'T' | 0 | b'-' => {
                    if unit != b'-' && iso_integer_width(fieldstart) == 8 && !havefield {
                        ok(adjust_years(val / 10000, 1, &mut itm)
                            && adjust_months((val / 100) % 100, &mut itm)
                            && adjust_days(val % 100, 1, &mut itm)
                            && adjust_fract_microseconds(fval, USECS_PER_DAY, &mut itm))?;
                        if unit == 0 {
                            return Ok(itm);
                        }
                        datepart = false;
                        havefield = false;
                        continue;
                    }
                    if havefield {
                        return Err(DtErr::BadFormat);
                    }
                    ok(adjust_years(val, 1, &mut itm) && adjust_fract_years(fval, 1, &mut itm))?;
                    if unit == 0 {
                        return Ok(itm);
                    }
                    if unit == b'T' {
                        datepart = false;
                        havefield = false;
                        continue;
                    }
                    let (val, fval, rest) = parse_iso_number(s)?;
                    s = rest;
                    ok(adjust_months(val, &mut itm)
                        && adjust_fract_days(fval, DAYS_PER_MONTH, &mut itm))?;
                    if s.is_empty() {
                        return Ok(itm);
                    }
                    if let Some(rest) = s.strip_prefix('T') {
                        s = rest;
                        datepart = false;
                        havefield = false;
                        continue;
                    }
                    let Some(rest) = s.strip_prefix('-') else {
                        return Err(DtErr::BadFormat);
                    };
                    let (val, fval, rest) = parse_iso_number(rest)?;
                    s = rest;
                    ok(adjust_days(val, 1, &mut itm)
                        && adjust_fract_microseconds(fval, USECS_PER_DAY, &mut itm))?;
                    if s.is_empty() {
                        return Ok(itm);
                    }
                    if let Some(rest) = s.strip_prefix('T') {
                        s = rest;
                        datepart = false;
                        havefield = false;
                        continue;
                    }
                    return Err(DtErr::BadFormat);
                }
                _ => return Err(DtErr::BadFormat),
            }
        } else {
            match unit {
                b'H' => ok(adjust_microseconds(val, fval, USECS_PER_HOUR, &mut itm))?,
                b'M' => ok(adjust_microseconds(val, fval, USECS_PER_MINUTE, &mut itm))?,
                b'S' => ok(adjust_microseconds(val, fval, USECS_PER_SEC, &mut itm))?,
                0 | b':' => {
                    if unit == 0 && iso_integer_width(fieldstart) == 6 && !havefield {
                        ok(
                            adjust_microseconds(val / 10000, 0.0, USECS_PER_HOUR, &mut itm)
                                && adjust_microseconds(
                                    (val / 100) % 100,
                                    0.0,
                                    USECS_PER_MINUTE,
                                    &mut itm,
                                )
                                && adjust_microseconds(val % 100, 0.0, USECS_PER_SEC, &mut itm)
                                && adjust_fract_microseconds(fval, 1, &mut itm),
                        )?;
                        return Ok(itm);
                    }
                    if havefield {
                        return Err(DtErr::BadFormat);
                    }
                    ok(adjust_microseconds(val, fval, USECS_PER_HOUR, &mut itm))?;
                    if unit == 0 {
                        return Ok(itm);
                    }
                    let (val, fval, rest) = parse_iso_number(s)?;
                    s = rest;
                    ok(adjust_microseconds(val, fval, USECS_PER_MINUTE, &mut itm))?;
                    if s.is_empty() {
                        return Ok(itm);
                    }
                    let Some(rest) = s.strip_prefix(':') else {
                        return Err(DtErr::BadFormat);
                    };
                    let (val, fval, rest) = parse_iso_number(rest)?;
                    s = rest;
                    ok(adjust_microseconds(val, fval, USECS_PER_SEC, &mut itm))?;
                    if s.is_empty() {
                        return Ok(itm);
                    }
                    return Err(DtErr::BadFormat);
                }
                _ => return Err(DtErr::BadFormat),
            }
        }
        havefield = true;
    }
    Ok(itm)
}
