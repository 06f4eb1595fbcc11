//! `to_char` of `timestamp`, `timestamptz` and `interval` (PostgreSQL's `DCH_to_char`): every
//! date/time template pattern with FM, TH/th and TM (English names, as in the C locale).
//!
//! Invariants:
//! - Output is PostgreSQL 15's byte for byte, including its quirks (`CC` of year 2000 is 20,
//!   `RM` of intervals counts months backwards, `Y,YYY` has no padding, `SP` is ignored).
//! - Patterns that need a calendar date fail for intervals with PostgreSQL's error.

use std::fmt::Write;

use super::keywords::{Dch, KeyWord, S_FM, S_TH, S_TH_LOWER, S_TM};
use super::node::{Node, parse_datetime_format};
use crate::datetime::calendar::{
    DAYS, MONTHS, date2isoweek, date2isoyear, date2isoyearday, date2j,
};
use crate::{Condition, Error, Result};

/// Full month names.
pub(crate) const MONTHS_FULL: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// Three-letter weekday names, Sunday first.
pub(crate) const DAYS_SHORT: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const RM_UPPER: [&str; 12] = [
    "XII", "XI", "X", "IX", "VIII", "VII", "VI", "V", "IV", "III", "II", "I",
];
const RM_LOWER: [&str; 12] = [
    "xii", "xi", "x", "ix", "viii", "vii", "vi", "v", "iv", "iii", "ii", "i",
];

/// The broken-down value `to_char` formats (PostgreSQL's `TmToChar`).
#[derive(Debug, Clone, Default)]
pub(crate) struct TmToChar {
    pub year: i32,
    pub mon: i32,
    pub mday: i32,
    pub hour: i64,
    pub min: i32,
    pub sec: i32,
    pub wday: i32,
    pub yday: i32,
    pub gmtoff: i64,
    pub fsec: i32,
    pub tzn: Option<String>,
}

/// `get_th`: the ordinal suffix (`ST`, `nd`, ...) of a number's text, by its last digits.
pub(crate) fn ordinal_suffix(num: &str, upper: bool) -> Result<&'static str> {
    let b = num.as_bytes();
    let last = *b.last().unwrap_or(&b' ');
    if !last.is_ascii_digit() {
        return Err(Error::new(
            Condition::InvalidTextRepresentation,
            format!("\"{num}\" is not a number"),
        ));
    }
    let last = if b.len() > 1 && b[b.len() - 2] == b'1' {
        b'0'
    } else {
        last
    };
    let pair = match last {
        b'1' => ("ST", "st"),
        b'2' => ("ND", "nd"),
        b'3' => ("RD", "rd"),
        _ => ("TH", "th"),
    };
    Ok(if upper { pair.0 } else { pair.1 })
}

/// Appends `num`, with the TH/th suffix if the modifiers ask for it.
fn push_num(out: &mut String, num: String, suffix: u8) -> Result<()> {
    let ordinal = if suffix & S_TH != 0 {
        Some(ordinal_suffix(&num, true)?)
    } else if suffix & S_TH_LOWER != 0 {
        Some(ordinal_suffix(&num, false)?)
    } else {
        None
    };
    out.push_str(&num);
    if let Some(o) = ordinal {
        out.push_str(o);
    }
    Ok(())
}

/// `%0*d`: zero-padded to `width` (the sign counts), or plain when `fm`.
fn pad(v: i64, width: usize, fm: bool) -> String {
    if fm {
        v.to_string()
    } else {
        format!("{v:0width$}")
    }
}

/// Width PostgreSQL uses for a two-digit field: 2, or 3 for negatives.
fn w2(v: i64) -> usize {
    if v >= 0 { 2 } else { 3 }
}

fn invalid_for_interval() -> Error {
    Error::new(
        Condition::InvalidDatetimeFormat,
        "invalid format specification for an interval value",
    )
    .with_hint("Intervals are not tied to specific calendar dates.")
}

fn adjust_year(year: i32, is_interval: bool) -> i64 {
    let y = i64::from(year);
    if is_interval || y > 0 { y } else { -(y - 1) }
}

fn padded_name(name: &str, fm: bool) -> String {
    if fm {
        name.to_string()
    } else {
        format!("{name:<9}")
    }
}

fn initcap(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// Case of a name pattern: upper, initial capital or lower.
#[derive(Clone, Copy)]
enum Case {
    Upper,
    Cap,
    Lower,
}

fn cased(name: &str, case: Case) -> String {
    match case {
        Case::Upper => name.to_ascii_uppercase(),
        Case::Cap => initcap(name),
        Case::Lower => name.to_ascii_lowercase(),
    }
}

/// Formats `tm` with a parsed template (`DCH_to_char`).
pub(crate) fn dch_to_char(fmt: &str, tm: &TmToChar, is_interval: bool) -> Result<String> {
    let nodes = parse_datetime_format(fmt);
    let mut out = String::new();
    for node in &nodes {
        let (key, suffix): (&KeyWord, u8) = match node {
            Node::Action(k, s) => (k, *s),
            Node::Char(c) | Node::Separator(c) | Node::Space(c) => {
                out.push_str(c);
                continue;
            }
        };
        let fm = suffix & S_FM != 0;
        let tmode = suffix & S_TM != 0;
        let pm = tm.hour % 24 >= 12;
        let year = adjust_year(tm.year, is_interval);
        let iso_year = || adjust_year(date2isoyear(tm.year, tm.mon, tm.mday), is_interval);
        use Dch as D;
        match key.id {
            D::AMDots | D::PMDots => out.push_str(if pm { "P.M." } else { "A.M." }),
            D::AmUpper | D::PmUpper => out.push_str(if pm { "PM" } else { "AM" }),
            D::AMDotsLower | D::PMDotsLower => out.push_str(if pm { "p.m." } else { "a.m." }),
            D::AmLower | D::PmLower => out.push_str(if pm { "pm" } else { "am" }),
            D::Hh | D::Hh12 => {
                let h = if tm.hour % 12 == 0 { 12 } else { tm.hour % 12 };
                push_num(&mut out, pad(h, w2(tm.hour), fm), suffix)?;
            }
            D::Hh24 => push_num(&mut out, pad(tm.hour, w2(tm.hour), fm), suffix)?,
            D::Mi => push_num(&mut out, pad(tm.min.into(), w2(tm.min.into()), fm), suffix)?,
            D::Ss => push_num(&mut out, pad(tm.sec.into(), w2(tm.sec.into()), fm), suffix)?,
            D::Ff1 => push_num(&mut out, format!("{:01}", tm.fsec / 100_000), suffix)?,
            D::Ff2 => push_num(&mut out, format!("{:02}", tm.fsec / 10_000), suffix)?,
            D::Ff3 | D::Ms => push_num(&mut out, format!("{:03}", tm.fsec / 1000), suffix)?,
            D::Ff4 => push_num(&mut out, format!("{:04}", tm.fsec / 100), suffix)?,
            D::Ff5 => push_num(&mut out, format!("{:05}", tm.fsec / 10), suffix)?,
            D::Ff6 | D::Us => push_num(&mut out, format!("{:06}", tm.fsec), suffix)?,
            D::Ssss => {
                let v = tm.hour * 3600 + i64::from(tm.min) * 60 + i64::from(tm.sec);
                push_num(&mut out, v.to_string(), suffix)?;
            }
            D::TzLower | D::TzUpper => {
                if is_interval {
                    return Err(invalid_for_interval());
                }
                if let Some(z) = &tm.tzn {
                    out.push_str(&if key.id == D::TzLower {
                        z.to_ascii_lowercase()
                    } else {
                        z.clone()
                    });
                }
            }
            D::Tzh => {
                if is_interval {
                    return Err(invalid_for_interval());
                }
                let off = tm.gmtoff as i32;
                let _ = write!(
                    out,
                    "{}{:02}",
                    if tm.gmtoff >= 0 { '+' } else { '-' },
                    off.abs() / 3600
                );
            }
            D::Tzm => {
                if is_interval {
                    return Err(invalid_for_interval());
                }
                let off = tm.gmtoff as i32;
                let _ = write!(out, "{:02}", (off.abs() % 3600) / 60);
            }
            D::Of => {
                if is_interval {
                    return Err(invalid_for_interval());
                }
                let off = tm.gmtoff as i32;
                let sign = if tm.gmtoff >= 0 { '+' } else { '-' };
                let hours = i64::from(off.abs() / 3600);
                let _ = write!(out, "{sign}{}", pad(hours, 2, fm));
                if off.abs() % 3600 != 0 {
                    let _ = write!(out, ":{:02}", (off.abs() % 3600) / 60);
                }
            }
            D::ADots
            | D::BCDots
            | D::AdUpper
            | D::BcUpper
            | D::ADotsLower
            | D::BCDotsLower
            | D::AdLower
            | D::BcLower => {
                if is_interval {
                    return Err(invalid_for_interval());
                }
                let bc = tm.year <= 0;
                out.push_str(match (key.id, bc) {
                    (D::ADots | D::BCDots, true) => "B.C.",
                    (D::ADots | D::BCDots, false) => "A.D.",
                    (D::AdUpper | D::BcUpper, true) => "BC",
                    (D::AdUpper | D::BcUpper, false) => "AD",
                    (D::ADotsLower | D::BCDotsLower, true) => "b.c.",
                    (D::ADotsLower | D::BCDotsLower, false) => "a.d.",
                    (_, true) => "bc",
                    (_, false) => "ad",
                });
            }
            D::MonthUpper | D::MonthCap | D::MonthLower | D::MonUpper | D::MonCap | D::MonLower => {
                if is_interval {
                    return Err(invalid_for_interval());
                }
                if tm.mon == 0 {
                    continue;
                }
                let idx = (tm.mon - 1).clamp(0, 11) as usize;
                let case = match key.id {
                    D::MonthUpper | D::MonUpper => Case::Upper,
                    D::MonthCap | D::MonCap => Case::Cap,
                    _ => Case::Lower,
                };
                if matches!(key.id, D::MonthUpper | D::MonthCap | D::MonthLower) {
                    let name = cased(MONTHS_FULL[idx], case);
                    out.push_str(&if tmode { name } else { padded_name(&name, fm) });
                } else {
                    out.push_str(&cased(MONTHS[idx], case));
                }
            }
            D::Mm => push_num(&mut out, pad(tm.mon.into(), w2(tm.mon.into()), fm), suffix)?,
            D::DayUpper | D::DayCap | D::DayLower | D::DyUpper | D::DyCap | D::DyLower => {
                if is_interval {
                    return Err(invalid_for_interval());
                }
                let idx = tm.wday.clamp(0, 6) as usize;
                let case = match key.id {
                    D::DayUpper | D::DyUpper => Case::Upper,
                    D::DayCap | D::DyCap => Case::Cap,
                    _ => Case::Lower,
                };
                if matches!(key.id, D::DayUpper | D::DayCap | D::DayLower) {
                    let name = cased(DAYS[idx], case);
                    out.push_str(&if tmode { name } else { padded_name(&name, fm) });
                } else {
                    out.push_str(&cased(DAYS_SHORT[idx], case));
                }
            }
            D::Ddd | D::Iddd => {
                let v = if key.id == D::Ddd {
                    tm.yday
                } else {
                    date2isoyearday(tm.year, tm.mon, tm.mday)
                };
                push_num(&mut out, pad(v.into(), 3, fm), suffix)?;
            }
            D::Dd => push_num(&mut out, pad(tm.mday.into(), 2, fm), suffix)?,
            D::D => {
                if is_interval {
                    return Err(invalid_for_interval());
                }
                push_num(&mut out, (tm.wday + 1).to_string(), suffix)?;
            }
            D::Id => {
                if is_interval {
                    return Err(invalid_for_interval());
                }
                let v = if tm.wday == 0 { 7 } else { tm.wday };
                push_num(&mut out, v.to_string(), suffix)?;
            }
            D::Ww => push_num(&mut out, pad(((tm.yday - 1) / 7 + 1).into(), 2, fm), suffix)?,
            D::Iw => {
                let v = date2isoweek(tm.year, tm.mon, tm.mday);
                push_num(&mut out, pad(v.into(), 2, fm), suffix)?;
            }
            D::Q => {
                if tm.mon == 0 {
                    continue;
                }
                push_num(&mut out, ((tm.mon - 1) / 3 + 1).to_string(), suffix)?;
            }
            D::Cc => {
                let i = if is_interval {
                    tm.year / 100
                } else if tm.year > 0 {
                    (tm.year - 1) / 100 + 1
                } else {
                    tm.year / 100 - 1
                };
                let text = if (-99..=99).contains(&i) {
                    pad(i.into(), w2(i.into()), fm)
                } else {
                    i.to_string()
                };
                push_num(&mut out, text, suffix)?;
            }
            D::YComma => {
                let i = year / 1000;
                push_num(&mut out, format!("{i},{:03}", year - i * 1000), suffix)?;
            }
            D::Yyyy | D::Iyyy => {
                let v = if key.id == D::Yyyy { year } else { iso_year() };
                let width = if year >= 0 { 4 } else { 5 };
                push_num(&mut out, pad(v, width, fm), suffix)?;
            }
            D::Yyy | D::Iyy => {
                let v = if key.id == D::Yyy { year } else { iso_year() };
                let width = if year >= 0 { 3 } else { 4 };
                push_num(&mut out, pad(v % 1000, width, fm), suffix)?;
            }
            D::Yy | D::Iy => {
                let v = if key.id == D::Yy { year } else { iso_year() };
                let width = if year >= 0 { 2 } else { 3 };
                push_num(&mut out, pad(v % 100, width, fm), suffix)?;
            }
            D::Y | D::I => {
                let v = if key.id == D::Y { year } else { iso_year() };
                push_num(&mut out, (v % 10).to_string(), suffix)?;
            }
            D::RmUpper | D::RmLower => {
                if tm.mon == 0 && tm.year == 0 {
                    continue;
                }
                let months = if key.id == D::RmUpper {
                    RM_UPPER
                } else {
                    RM_LOWER
                };
                let idx = if tm.mon == 0 {
                    if tm.year >= 0 { 0 } else { 11 }
                } else if tm.mon < 0 {
                    -(tm.mon + 1)
                } else {
                    12 - tm.mon
                };
                let name = months[idx.clamp(0, 11) as usize];
                out.push_str(&if fm {
                    name.to_string()
                } else {
                    format!("{name:<4}")
                });
            }
            D::W => push_num(&mut out, ((tm.mday - 1) / 7 + 1).to_string(), suffix)?,
            D::J => push_num(
                &mut out,
                date2j(tm.year, tm.mon, tm.mday).to_string(),
                suffix,
            )?,
            D::Fx => {}
        }
    }
    Ok(out)
}
