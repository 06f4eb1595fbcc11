//! `DecodeDateTime`: PostgreSQL's interpretation of tokenized date, timestamp and timestamptz
//! input into broken-down time, a time zone offset, or a special value, and the word and
//! labelled-number decoding `DecodeTimeOnly` shares.
//!
//! Invariants:
//! - Time zone abbreviations take precedence over keywords; full zone names are tried last,
//!   exactly in PostgreSQL's order; offsets without a zone use the session zone at that date.
//! - A field kind seen twice is a format error (PostgreSQL's field masks).

use super::abbrevs::{self, AbbrevKind};
use super::calendar::{HOURS_PER_DAY, USECS_PER_DAY, date2j, j2date};
use super::cnum::strtoint;
use super::context::Context;
use super::fields::{
    ADBC, AMPM, DAY, DOW, DTK_ALL_SECS_M, DTK_DATE_M, DTK_TIME_M, DTZ, DTZMOD, DtErr, DtResult,
    HOUR, MINUTE, MONTH, RESERV, SECOND, TZ, YEAR, decode_date, decode_number, decode_number_field,
    decode_time, decode_timezone, m, parse_fraction, parse_fractional_second, validate_date,
};
use super::lex::{Field, FieldType};
use super::tm::{Tm, determine_abbrev_offset, determine_offset, dt2time, timestamp2tm};
use super::tokens::{Meridian, Special, TokenType, Unit, date_token};
use super::zone::Zone;
use crate::{Condition, Error};

/// What the input denoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DType {
    /// A date and time in `tm`.
    Date,
    /// Only a time (time input).
    Time,
    Epoch,
    Late,
    Early,
}

/// Result of decoding: kind, broken-down time, fractional seconds, `tz` (seconds west).
pub(crate) struct Decoded {
    pub dtype: DType,
    pub tm: Tm,
    pub fsec: i32,
    pub tz: i32,
}

/// A word's meaning: a zone abbreviation first, then a keyword.
pub(crate) enum Word {
    Std(i32),
    Dst(i32),
    Dyn(Zone),
    Token(TokenType),
    Unknown,
}

pub(crate) fn classify_word(lower: &str) -> Word {
    match abbrevs::lookup(lower) {
        Some(AbbrevKind::Std(v)) => Word::Std(v),
        Some(AbbrevKind::Dst(v)) => Word::Dst(v),
        Some(AbbrevKind::Dynamic(name)) => match Zone::by_name(name) {
            Some(z) => Word::Dyn(z),
            None => Word::Unknown,
        },
        None => match date_token(lower) {
            Some(t) => Word::Token(t),
            None => Word::Unknown,
        },
    }
}

pub(crate) fn tz_not_recognized(name: &str) -> DtErr {
    DtErr::Report(Error::new(
        Condition::InvalidParameterValue,
        format!("time zone \"{name}\" not recognized"),
    ))
}

/// The "transaction start" broken down in the session zone (`GetCurrentTimeUsec`).
pub(crate) fn current(ctx: &Context) -> (Tm, i32, i32) {
    timestamp2tm(ctx.now.0, Some(&ctx.zone)).unwrap_or_default()
}

/// A labelled ISO number (`y2001m02d04`, `j2451187`, `t040506`) after a unit prefix.
#[allow(clippy::too_many_arguments)] // PostgreSQL's decode state, passed as it passes it
pub(crate) fn decode_prefixed(
    ptype: Unit,
    text: &str,
    fmask: u32,
    tm: &mut Tm,
    fsec: &mut i32,
    tz: &mut i32,
    isjulian: &mut bool,
    is2digits: &mut bool,
) -> DtResult<u32> {
    let p = strtoint(text);
    if p.overflow {
        return Err(DtErr::FieldOverflow);
    }
    let val = p.value;
    let cp = p.rest;
    if cp.starts_with('.') {
        if !matches!(ptype, Unit::Julian | Unit::Time | Unit::Second) {
            return Err(DtErr::BadFormat);
        }
    } else if !cp.is_empty() {
        return Err(DtErr::BadFormat);
    }
    let tmask = match ptype {
        Unit::Year => {
            tm.year = val;
            m(YEAR)
        }
        Unit::Month => {
            if fmask & m(MONTH) != 0 && fmask & m(HOUR) != 0 {
                tm.min = val;
                m(MINUTE)
            } else {
                tm.mon = val;
                m(MONTH)
            }
        }
        Unit::Day => {
            tm.mday = val;
            m(DAY)
        }
        Unit::Hour => {
            tm.hour = val;
            m(HOUR)
        }
        Unit::Minute => {
            tm.min = val;
            m(MINUTE)
        }
        Unit::Second => {
            tm.sec = val;
            if cp.starts_with('.') {
                *fsec = parse_fractional_second(cp)?;
                DTK_ALL_SECS_M
            } else {
                m(SECOND)
            }
        }
        Unit::Timezone => {
            *tz = decode_timezone(text)?;
            m(TZ)
        }
        Unit::Julian => {
            if val < 0 {
                return Err(DtErr::FieldOverflow);
            }
            let (y, mo, d) = j2date(val);
            tm.year = y;
            tm.mon = mo;
            tm.mday = d;
            *isjulian = true;
            let mut tmask = DTK_DATE_M;
            if cp.starts_with('.') {
                let time = parse_fraction(cp)? * USECS_PER_DAY as f64;
                let (h, mi, s, f) = dt2time(time as i64);
                tm.hour = h;
                tm.min = mi;
                tm.sec = s;
                *fsec = f;
                tmask |= DTK_TIME_M;
            }
            tmask
        }
        Unit::Time => {
            let (tmask, _) =
                decode_number_field(text.len(), text, fmask | DTK_DATE_M, tm, fsec, is2digits)?;
            if tmask != DTK_TIME_M {
                return Err(DtErr::BadFormat);
            }
            tmask
        }
        _ => return Err(DtErr::BadFormat),
    };
    Ok(tmask)
}

/// Whether hour/minute/second/fsec exceed 24:00:00 (`time_overflows`).
pub(crate) fn time_overflows(hour: i32, min: i32, sec: i32, fsec: i32) -> bool {
    if !(0..=24).contains(&hour) || !(0..=59).contains(&min) || !(0..=60).contains(&sec) {
        return true;
    }
    if fsec < 0 || i64::from(fsec) > 1_000_000 {
        return true;
    }
    let total = ((i64::from(hour) * 60 + i64::from(min)) * 60 + i64::from(sec)) * 1_000_000
        + i64::from(fsec);
    total > USECS_PER_DAY
}

/// `DecodeDateTime`: fields of timestamp, timestamptz or date input.
pub(crate) fn decode_date_time(fields: &[Field], ctx: &Context) -> DtResult<Decoded> {
    let mut fmask = 0u32;
    let mut ptype: Option<Unit> = None;
    let mut mer: Option<Meridian> = None;
    let mut have_text_month = false;
    let mut isjulian = false;
    let mut is2digits = false;
    let mut bc = false;
    let mut named_tz: Option<Zone> = None;
    let mut abbrev_tz: Option<(Zone, String)> = None;
    let mut dtype = DType::Date;
    let mut tm = Tm {
        isdst: -1,
        ..Tm::default()
    };
    let mut fsec = 0i32;
    let mut tz = 0i32;
    for (i, field) in fields.iter().enumerate() {
        let text = field.text.as_str();
        let tmask: u32;
        match field.ftype {
            FieldType::Date => {
                if ptype == Some(Unit::Julian) {
                    let p = strtoint(text);
                    if p.overflow || p.value < 0 {
                        return Err(DtErr::FieldOverflow);
                    }
                    let (y, mo, d) = j2date(p.value);
                    tm.year = y;
                    tm.mon = mo;
                    tm.mday = d;
                    isjulian = true;
                    tz = decode_timezone(p.rest)?;
                    tmask = DTK_DATE_M | DTK_TIME_M | m(TZ);
                    ptype = None;
                } else if ptype.is_some() || fmask & (m(MONTH) | m(DAY)) == m(MONTH) | m(DAY) {
                    if text.as_bytes()[0].is_ascii_digit() || ptype.is_some() {
                        if let Some(p) = ptype {
                            if p != Unit::Time {
                                return Err(DtErr::BadFormat);
                            }
                            ptype = None;
                        }
                        if fmask & DTK_TIME_M == DTK_TIME_M {
                            return Err(DtErr::BadFormat);
                        }
                        let Some(dash) = text.find('-') else {
                            return Err(DtErr::BadFormat);
                        };
                        tz = decode_timezone(&text[dash..])?;
                        let head = &text[..dash];
                        let (mask, _) = decode_number_field(
                            head.len(),
                            head,
                            fmask,
                            &mut tm,
                            &mut fsec,
                            &mut is2digits,
                        )?;
                        tmask = mask | m(TZ);
                    } else {
                        named_tz =
                            Some(Zone::by_name(text).ok_or_else(|| tz_not_recognized(text))?);
                        tmask = m(TZ);
                    }
                } else {
                    tmask = decode_date(text, fmask, &mut is2digits, &mut tm)?;
                }
            }
            FieldType::Time => {
                if let Some(p) = ptype {
                    if p != Unit::Time {
                        return Err(DtErr::BadFormat);
                    }
                    ptype = None;
                }
                fsec = decode_time(text, &mut tm)?;
                tmask = DTK_TIME_M;
                if time_overflows(tm.hour, tm.min, tm.sec, fsec) {
                    return Err(DtErr::FieldOverflow);
                }
            }
            FieldType::Tz => {
                tz = decode_timezone(text)?;
                tmask = m(TZ);
            }
            FieldType::Number => {
                if let Some(p) = ptype {
                    tmask = decode_prefixed(
                        p,
                        text,
                        fmask,
                        &mut tm,
                        &mut fsec,
                        &mut tz,
                        &mut isjulian,
                        &mut is2digits,
                    )?;
                    ptype = None;
                    dtype = DType::Date;
                } else {
                    let flen = text.len();
                    let dot = text.find('.');
                    if dot.is_some() && fmask & DTK_DATE_M == 0 {
                        tmask = decode_date(text, fmask, &mut is2digits, &mut tm)?;
                    } else if dot.is_some_and(|d| d > 2)
                        || (flen >= 6 && (fmask & DTK_DATE_M == 0 || fmask & DTK_TIME_M == 0))
                    {
                        // A run-together date or time (`20011223`, `040506.789`).
                        tmask = decode_number_field(
                            flen,
                            text,
                            fmask,
                            &mut tm,
                            &mut fsec,
                            &mut is2digits,
                        )?
                        .0;
                    } else {
                        tmask = decode_number(
                            flen,
                            text,
                            have_text_month,
                            fmask,
                            &mut tm,
                            &mut fsec,
                            &mut is2digits,
                        )?;
                    }
                }
            }
            FieldType::String | FieldType::Special => match classify_word(text) {
                Word::Token(TokenType::Ignore) => continue,
                Word::Token(TokenType::Reserved(special)) => {
                    let mut mask = m(RESERV);
                    match special {
                        Special::Now => {
                            mask = DTK_DATE_M | DTK_TIME_M | m(TZ);
                            dtype = DType::Date;
                            let (cur, cur_fsec, cur_tz) = current(ctx);
                            tm = cur;
                            fsec = cur_fsec;
                            tz = cur_tz;
                        }
                        Special::Yesterday | Special::Today | Special::Tomorrow => {
                            mask = DTK_DATE_M;
                            dtype = DType::Date;
                            let (cur, _, _) = current(ctx);
                            let delta = match special {
                                Special::Yesterday => -1,
                                Special::Tomorrow => 1,
                                _ => 0,
                            };
                            let (y, mo, d) = j2date(date2j(cur.year, cur.mon, cur.mday) + delta);
                            tm.year = y;
                            tm.mon = mo;
                            tm.mday = d;
                        }
                        Special::Zulu => {
                            mask = DTK_TIME_M | m(TZ);
                            dtype = DType::Date;
                            tm.hour = 0;
                            tm.min = 0;
                            tm.sec = 0;
                            tz = 0;
                        }
                        Special::Epoch => dtype = DType::Epoch,
                        Special::Late => dtype = DType::Late,
                        Special::Early => dtype = DType::Early,
                    }
                    tmask = mask;
                }
                Word::Token(TokenType::Month(v)) => {
                    let mut mask = m(MONTH);
                    if fmask & m(MONTH) != 0
                        && !have_text_month
                        && fmask & m(DAY) == 0
                        && (1..=31).contains(&tm.mon)
                    {
                        tm.mday = tm.mon;
                        mask = m(DAY);
                    }
                    have_text_month = true;
                    tm.mon = v;
                    tmask = mask;
                }
                Word::Token(TokenType::DstMod) => {
                    tmask = m(DTZMOD) | m(DTZ);
                    tm.isdst = 1;
                    tz -= 3600;
                }
                Word::Dst(v) => {
                    tmask = m(DTZ) | m(TZ);
                    tm.isdst = 1;
                    tz = -v;
                }
                Word::Std(v) => {
                    tmask = m(TZ);
                    tm.isdst = 0;
                    tz = -v;
                }
                Word::Dyn(zone) => {
                    tmask = m(7) | m(TZ);
                    abbrev_tz = Some((zone, text.to_string()));
                }
                Word::Token(TokenType::AmPm(v)) => {
                    tmask = m(AMPM);
                    mer = Some(v);
                }
                Word::Token(TokenType::AdBc(is_bc)) => {
                    tmask = m(ADBC);
                    bc = is_bc;
                }
                Word::Token(TokenType::Dow(v)) => {
                    tmask = m(DOW);
                    tm.wday = v;
                }
                Word::Token(TokenType::Units(u)) => {
                    tmask = 0;
                    ptype = Some(u);
                }
                Word::Token(TokenType::IsoTime) => {
                    tmask = 0;
                    if fmask & DTK_DATE_M != DTK_DATE_M {
                        return Err(DtErr::BadFormat);
                    }
                    match fields.get(i + 1).map(|f| f.ftype) {
                        Some(FieldType::Number | FieldType::Time | FieldType::Date) => {}
                        _ => return Err(DtErr::BadFormat),
                    }
                    ptype = Some(Unit::Time);
                }
                Word::Unknown => {
                    named_tz = Some(Zone::by_name(text).ok_or(DtErr::BadFormat)?);
                    tmask = m(TZ);
                }
                Word::Token(TokenType::Ago) => return Err(DtErr::BadFormat),
            },
        }
        if tmask & fmask != 0 {
            return Err(DtErr::BadFormat);
        }
        fmask |= tmask;
    }
    validate_date(fmask, isjulian, is2digits, bc, &mut tm)?;
    apply_meridian(mer, &mut tm)?;
    if dtype == DType::Date {
        if fmask & DTK_DATE_M != DTK_DATE_M {
            // Only a time: PostgreSQL's callers all treat this as bad syntax.
            return Err(DtErr::BadFormat);
        }
        if let Some(zone) = &named_tz {
            if fmask & m(DTZMOD) != 0 {
                return Err(DtErr::BadFormat);
            }
            tz = determine_offset(&mut tm, zone);
        }
        if let Some((zone, abbrev)) = &abbrev_tz {
            if fmask & m(DTZMOD) != 0 {
                return Err(DtErr::BadFormat);
            }
            tz = determine_abbrev_offset(&mut tm, abbrev, zone);
        }
        if fmask & m(TZ) == 0 {
            if fmask & m(DTZMOD) != 0 {
                return Err(DtErr::BadFormat);
            }
            tz = determine_offset(&mut tm, &ctx.zone);
        }
    }
    Ok(Decoded {
        dtype,
        tm,
        fsec,
        tz,
    })
}

/// AM/PM adjustment of the hour, with PostgreSQL's check that a 12-hour clock hour is <= 12.
pub(crate) fn apply_meridian(mer: Option<Meridian>, tm: &mut Tm) -> DtResult<()> {
    if mer.is_some() && tm.hour > HOURS_PER_DAY / 2 {
        return Err(DtErr::FieldOverflow);
    }
    match mer {
        Some(Meridian::Am) if tm.hour == 12 => tm.hour = 0,
        Some(Meridian::Pm) if tm.hour != 12 => tm.hour += 12,
        _ => {}
    }
    Ok(())
}
