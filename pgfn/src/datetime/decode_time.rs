//! `DecodeTimeOnly`: PostgreSQL's interpretation of tokenized `time` and `timetz` input,
//! including the date it may carry to resolve a zone's offset.
//!
//! Invariants:
//! - Dates are accepted only where PostgreSQL accepts them (first field, or with a zone);
//!   without a date, zone offsets resolve at the transaction's current date.

use super::context::Context;
use super::decode::{
    DType, Decoded, Word, apply_meridian, classify_word, current, decode_prefixed, time_overflows,
    tz_not_recognized,
};
use super::fields::{
    ADBC, AMPM, DTK_DATE_M, DTK_TIME_M, DTZ, DTZMOD, DtErr, DtResult, NumberField, TZ, decode_date,
    decode_number, decode_number_field, decode_time, decode_timezone, m, validate_date,
};
use super::lex::{Field, FieldType};
use super::tm::{Tm, determine_abbrev_offset, determine_offset};
use super::tokens::{Meridian, Special, TokenType, Unit};
use super::zone::Zone;

/// `DecodeTimeOnly`: fields of time or timetz input.
pub(crate) fn decode_time_only(fields: &mut [Field], ctx: &Context) -> DtResult<Decoded> {
    let mut fmask = 0u32;
    let mut ptype: Option<Unit> = None;
    let mut mer: Option<Meridian> = None;
    let mut isjulian = false;
    let mut is2digits = false;
    let mut bc = false;
    let mut named_tz: Option<Zone> = None;
    let mut abbrev_tz: Option<(Zone, String)> = None;
    let mut dtype = DType::Time;
    let mut tm = Tm {
        isdst: -1,
        ..Tm::default()
    };
    let mut fsec = 0i32;
    let mut tz = 0i32;
    let nf = fields.len();
    for i in 0..nf {
        let text = fields[i].text.clone();
        let text = text.as_str();
        let tmask: u32;
        match fields[i].ftype {
            FieldType::Date => {
                if i == 0
                    && nf >= 2
                    && (fields[nf - 1].ftype == FieldType::Date
                        || fields[1].ftype == FieldType::Time)
                {
                    tmask = decode_date(text, fmask, &mut is2digits, &mut tm)?;
                } else if text.as_bytes()[0].is_ascii_digit() {
                    if fmask & DTK_TIME_M == DTK_TIME_M {
                        return Err(DtErr::BadFormat);
                    }
                    let Some(dash) = text.find('-') else {
                        return Err(DtErr::BadFormat);
                    };
                    tz = decode_timezone(&text[dash..])?;
                    let head = &text[..dash];
                    let (mask, kind) = decode_number_field(
                        head.len(),
                        head,
                        fmask | DTK_DATE_M,
                        &mut tm,
                        &mut fsec,
                        &mut is2digits,
                    )?;
                    fields[i].ftype = kind_to_ftype(kind);
                    tmask = mask | m(TZ);
                } else {
                    named_tz = Some(Zone::by_name(text).ok_or_else(|| tz_not_recognized(text))?);
                    fields[i].ftype = FieldType::Tz;
                    tmask = m(TZ);
                }
            }
            FieldType::Time => {
                fsec = decode_time(text, &mut tm)?;
                tmask = DTK_TIME_M;
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
                    if p == Unit::Time {
                        fields[i].ftype = FieldType::Time;
                    }
                    ptype = None;
                    dtype = DType::Date;
                } else {
                    let flen = text.len();
                    let dot = text.find('.');
                    if dot.is_some() && i == 0 && nf >= 2 && fields[nf - 1].ftype == FieldType::Date
                    {
                        tmask = decode_date(text, fmask, &mut is2digits, &mut tm)?;
                    } else if dot.is_some_and(|d| d <= 2) {
                        return Err(DtErr::BadFormat);
                    } else if dot.is_some() || flen > 4 {
                        // A run-together time (`040506`, `040506.789`) or date.
                        let (mask, kind) = decode_number_field(
                            flen,
                            text,
                            fmask | DTK_DATE_M,
                            &mut tm,
                            &mut fsec,
                            &mut is2digits,
                        )?;
                        fields[i].ftype = kind_to_ftype(kind);
                        tmask = mask;
                    } else {
                        tmask = decode_number(
                            flen,
                            text,
                            false,
                            fmask | DTK_DATE_M,
                            &mut tm,
                            &mut fsec,
                            &mut is2digits,
                        )?;
                    }
                }
            }
            FieldType::String | FieldType::Special => match classify_word(text) {
                Word::Token(TokenType::Ignore) => continue,
                Word::Token(TokenType::Reserved(Special::Now)) => {
                    tmask = DTK_TIME_M;
                    dtype = DType::Time;
                    let (cur, cur_fsec, _) = current(ctx);
                    tm = Tm {
                        isdst: tm.isdst,
                        ..cur
                    };
                    fsec = cur_fsec;
                }
                Word::Token(TokenType::Reserved(Special::Zulu)) => {
                    tmask = DTK_TIME_M | m(TZ);
                    dtype = DType::Time;
                    tm.hour = 0;
                    tm.min = 0;
                    tm.sec = 0;
                    tm.isdst = 0;
                }
                Word::Token(TokenType::Reserved(_)) => return Err(DtErr::BadFormat),
                Word::Token(TokenType::DstMod) => {
                    tmask = m(DTZMOD) | m(DTZ);
                    tm.isdst = 1;
                    tz -= 3600;
                }
                Word::Dst(v) => {
                    tmask = m(DTZ) | m(TZ);
                    tm.isdst = 1;
                    tz = -v;
                    fields[i].ftype = FieldType::Tz;
                }
                Word::Std(v) => {
                    tmask = m(TZ);
                    tm.isdst = 0;
                    tz = -v;
                    fields[i].ftype = FieldType::Tz;
                }
                Word::Dyn(zone) => {
                    tmask = m(7) | m(TZ);
                    abbrev_tz = Some((zone, text.to_string()));
                    fields[i].ftype = FieldType::Tz;
                }
                Word::Token(TokenType::AmPm(v)) => {
                    tmask = m(AMPM);
                    mer = Some(v);
                }
                Word::Token(TokenType::AdBc(is_bc)) => {
                    tmask = m(ADBC);
                    bc = is_bc;
                }
                Word::Token(TokenType::Units(u)) => {
                    tmask = 0;
                    ptype = Some(u);
                }
                Word::Token(TokenType::IsoTime) => {
                    tmask = 0;
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
                Word::Token(TokenType::Month(_) | TokenType::Dow(_) | TokenType::Ago) => {
                    return Err(DtErr::BadFormat);
                }
            },
        }
        if tmask & fmask != 0 {
            return Err(DtErr::BadFormat);
        }
        fmask |= tmask;
    }
    validate_date(fmask, isjulian, is2digits, bc, &mut tm)?;
    apply_meridian(mer, &mut tm)?;
    if time_overflows(tm.hour, tm.min, tm.sec, fsec) {
        return Err(DtErr::FieldOverflow);
    }
    if fmask & DTK_TIME_M != DTK_TIME_M {
        return Err(DtErr::BadFormat);
    }
    if let Some(zone) = &named_tz {
        if fmask & m(DTZMOD) != 0 {
            return Err(DtErr::BadFormat);
        }
        if let Some(off) = zone.fixed_offset() {
            tz = -off;
        } else {
            if fmask & DTK_DATE_M != DTK_DATE_M {
                return Err(DtErr::BadFormat);
            }
            tz = determine_offset(&mut tm, zone);
        }
    }
    if let Some((zone, abbrev)) = &abbrev_tz {
        if fmask & m(DTZMOD) != 0 {
            return Err(DtErr::BadFormat);
        }
        let mut probe = probe_tm(&tm, fmask, ctx)?;
        tz = determine_abbrev_offset(&mut probe, abbrev, zone);
        tm.isdst = probe.isdst;
    }
    if fmask & m(TZ) == 0 {
        if fmask & m(DTZMOD) != 0 {
            return Err(DtErr::BadFormat);
        }
        let mut probe = probe_tm(&tm, fmask, ctx)?;
        tz = determine_offset(&mut probe, &ctx.zone);
        tm.isdst = probe.isdst;
    }
    Ok(Decoded {
        dtype,
        tm,
        fsec,
        tz,
    })
}

/// The date a zone offset of time-only input is resolved at: the input's date, else today.
fn probe_tm(tm: &Tm, fmask: u32, ctx: &Context) -> DtResult<Tm> {
    let mut probe = if fmask & DTK_DATE_M == 0 {
        current(ctx).0
    } else {
        if fmask & DTK_DATE_M != DTK_DATE_M {
            return Err(DtErr::BadFormat);
        }
        Tm {
            year: tm.year,
            mon: tm.mon,
            mday: tm.mday,
            ..Tm::default()
        }
    };
    probe.hour = tm.hour;
    probe.min = tm.min;
    probe.sec = tm.sec;
    Ok(probe)
}

fn kind_to_ftype(kind: NumberField) -> FieldType {
    match kind {
        NumberField::Date => FieldType::Date,
        NumberField::Time => FieldType::Time,
    }
}
