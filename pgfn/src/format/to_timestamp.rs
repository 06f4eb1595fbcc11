//! `to_date(text, text)` and `to_timestamp(text, text)`: PostgreSQL's `do_to_timestamp`,
//! assembling the fields read by `from_char` into a date or an instant.
//!
//! Invariants:
//! - Missing fields default as PostgreSQL's do: January 1st of year 0 (`0001-01-01 BC`),
//!   midnight; an explicit `TZH`/`TZM` offset wins over the session zone.

use super::from_char::{FromChar, bad_format, dch_from_char};
use super::keywords::DateMode;
use super::node::parse_datetime_format;
use crate::datetime::calendar::{
    MAX_TZDISP_HOUR, POSTGRES_EPOCH_JDATE, date2j, is_leap, is_valid_julian, isoweek2date,
    isoweek2j, isoweekdate2date, j2date,
};
use crate::datetime::fields::{DAY, DTK_DATE_M, MONTH, YEAR, m, validate_date};
use crate::datetime::tm::{Tm, determine_offset, tm2timestamp};
use crate::datetime::typmod::round_micros;
use crate::datetime::{Context, Date, TimestampTz};
use crate::{Condition, Error, Result};

fn field_overflow(input: &str) -> Error {
    Error::new(
        Condition::DatetimeFieldOverflow,
        format!("date/time field value out of range: \"{input}\""),
    )
}

/// The result of `do_to_timestamp`: broken-down time, fraction, precision and zone offset.
struct Parsed {
    tm: Tm,
    fsec: i32,
    fprec: i32,
    tz: Option<i32>,
}

/// `do_to_timestamp`.
fn do_to_timestamp(input: &str, fmt: &str) -> Result<Parsed> {
    let mut tmfc = FromChar::default();
    let mut tm = Tm {
        mday: 1,
        mon: 1,
        ..Tm::default()
    };
    let mut fsec: i32 = 0;
    let mut fmask = 0u32;
    if !fmt.is_empty() {
        let nodes = parse_datetime_format(fmt);
        dch_from_char(&nodes, input.as_bytes(), &mut tmfc)?;
    }
    if tmfc.ssss != 0 {
        let x = tmfc.ssss;
        tm.hour = x / 3600;
        tm.min = x % 3600 / 60;
        tm.sec = x % 60;
    }
    if tmfc.ss != 0 {
        tm.sec = tmfc.ss;
    }
    if tmfc.mi != 0 {
        tm.min = tmfc.mi;
    }
    if tmfc.hh != 0 {
        tm.hour = tmfc.hh;
    }
    if tmfc.clock12 {
        if tm.hour < 1 || tm.hour > 12 {
            return Err(bad_format(format!(
                "hour \"{}\" is invalid for the 12-hour clock",
                tm.hour
            ))
            .with_hint("Use the 24-hour clock, or give an hour between 1 and 12."));
        }
        if tmfc.pm != 0 && tm.hour < 12 {
            tm.hour += 12;
        } else if tmfc.pm == 0 && tm.hour == 12 {
            tm.hour = 0;
        }
    }
    if tmfc.year != 0 {
        if tmfc.cc != 0 && tmfc.yysz <= 2 {
            if tmfc.bc != 0 {
                tmfc.cc = tmfc.cc.wrapping_neg();
            }
            tm.year = tmfc.year % 100;
            if tm.year != 0 {
                if tmfc.cc >= 0 {
                    tm.year = tm
                        .year
                        .wrapping_add((tmfc.cc.wrapping_sub(1)).wrapping_mul(100));
                } else {
                    tm.year = (tmfc.cc.wrapping_add(1))
                        .wrapping_mul(100)
                        .wrapping_sub(tm.year)
                        + 1;
                }
            } else {
                tm.year = tmfc.cc.wrapping_mul(100) + if tmfc.cc >= 0 { 0 } else { 1 };
            }
        } else {
            tm.year = tmfc.year;
            if tmfc.bc != 0 {
                tm.year = tm.year.wrapping_neg();
            }
            if tm.year < 0 {
                tm.year += 1;
            }
        }
        fmask |= m(YEAR);
    } else if tmfc.cc != 0 {
        if tmfc.bc != 0 {
            tmfc.cc = tmfc.cc.wrapping_neg();
        }
        tm.year = if tmfc.cc >= 0 {
            (tmfc.cc.wrapping_sub(1)).wrapping_mul(100).wrapping_add(1)
        } else {
            tmfc.cc.wrapping_mul(100).wrapping_add(1)
        };
        fmask |= m(YEAR);
    }
    if tmfc.j != 0 {
        let (y, m, d) = j2date(tmfc.j);
        tm.year = y;
        tm.mon = m;
        tm.mday = d;
        fmask |= DTK_DATE_M;
    }
    if tmfc.ww != 0 {
        if tmfc.mode == Some(DateMode::IsoWeek) {
            let (y, m, d) = if tmfc.d != 0 {
                isoweekdate2date(tmfc.ww, tmfc.d, tm.year)
            } else {
                isoweek2date(tmfc.ww, tm.year)
            };
            tm.year = y;
            tm.mon = m;
            tm.mday = d;
            fmask |= DTK_DATE_M;
        } else {
            tmfc.ddd = (tmfc.ww.wrapping_sub(1)).wrapping_mul(7).wrapping_add(1);
        }
    }
    if tmfc.w != 0 {
        tmfc.dd = (tmfc.w.wrapping_sub(1)).wrapping_mul(7).wrapping_add(1);
    }
    if tmfc.dd != 0 {
        tm.mday = tmfc.dd;
        fmask |= m(DAY);
    }
    if tmfc.mm != 0 {
        tm.mon = tmfc.mm;
        fmask |= m(MONTH);
    }
    if tmfc.ddd != 0 && (tm.mon <= 1 || tm.mday <= 1) {
        if tm.year == 0 && tmfc.bc == 0 {
            return Err(bad_format(
                "cannot calculate day of year without year information",
            ));
        }
        if tmfc.mode == Some(DateMode::IsoWeek) {
            let j0 = isoweek2j(tm.year, 1) - 1;
            let (y, m, d) = j2date(j0.wrapping_add(tmfc.ddd));
            tm.year = y;
            tm.mon = m;
            tm.mday = d;
            fmask |= DTK_DATE_M;
        } else {
            const YSUM: [[i32; 13]; 2] = [
                [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365],
                [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366],
            ];
            let y = &YSUM[usize::from(is_leap(tm.year))];
            let mut i = 1;
            while i <= 12 {
                if tmfc.ddd <= y[i] {
                    break;
                }
                i += 1;
            }
            if tm.mon <= 1 {
                tm.mon = i as i32;
            }
            if tm.mday <= 1 {
                tm.mday = tmfc.ddd - y[(i - 1).min(12)];
            }
            fmask |= m(MONTH) | m(DAY);
        }
    }
    if tmfc.ms != 0 {
        fsec = fsec.wrapping_add(tmfc.ms.wrapping_mul(1000));
    }
    if tmfc.us != 0 {
        fsec = fsec.wrapping_add(tmfc.us);
    }
    if fmask != 0 && validate_date(fmask, true, false, false, &mut tm).is_err() {
        return Err(field_overflow(input));
    }
    if !(0..24).contains(&tm.hour)
        || !(0..60).contains(&tm.min)
        || !(0..60).contains(&tm.sec)
        || !(0..1_000_000).contains(&fsec)
    {
        return Err(field_overflow(input));
    }
    let mut tz = None;
    if tmfc.tzsign != 0 {
        if tmfc.tzh < 0 || tmfc.tzh > MAX_TZDISP_HOUR || tmfc.tzm < 0 || tmfc.tzm >= 60 {
            return Err(Error::new(
                Condition::InvalidTimeZoneDisplacementValue,
                format!("time zone displacement out of range: \"{input}\""),
            ));
        }
        let secs = (tmfc.tzh * 60 + tmfc.tzm) * 60;
        tz = Some(if tmfc.tzsign > 0 { -secs } else { secs });
    }
    Ok(Parsed {
        tm,
        fsec,
        fprec: tmfc.ff,
        tz,
    })
}

/// `to_timestamp(text, text)`.
pub fn to_timestamp(input: &str, fmt: &str, ctx: &Context) -> Result<TimestampTz> {
    let mut p = do_to_timestamp(input, fmt)?;
    let tz = match p.tz {
        Some(tz) => tz,
        None => determine_offset(&mut p.tm, &ctx.zone),
    };
    let mut ts = tm2timestamp(&p.tm, p.fsec, Some(tz))
        .ok_or_else(|| Error::new(Condition::DatetimeFieldOverflow, "timestamp out of range"))?;
    if p.fprec != 0 {
        ts = round_micros(ts, p.fprec);
    }
    Ok(TimestampTz(ts))
}

/// `to_date(text, text)`.
pub fn to_date(input: &str, fmt: &str) -> Result<Date> {
    let p = do_to_timestamp(input, fmt)?;
    let out_of_range = || {
        Error::new(
            Condition::DatetimeFieldOverflow,
            format!("date out of range: \"{input}\""),
        )
    };
    if !is_valid_julian(p.tm.year, p.tm.mon, p.tm.mday) {
        return Err(out_of_range());
    }
    let date = Date(date2j(p.tm.year, p.tm.mon, p.tm.mday) - POSTGRES_EPOCH_JDATE);
    if !date.is_valid() {
        return Err(out_of_range());
    }
    Ok(date)
}
