//! Reading a string against a date/time template (PostgreSQL's `DCH_from_char`): the raw
//! fields `to_date` and `to_timestamp` then assemble.
//!
//! Invariants:
//! - Lenient as PostgreSQL is outside `FX` mode (spaces skipped, any separator matches any
//!   separator), strict inside it; conflicting or out-of-range fields fail with PostgreSQL's
//!   messages, details and hints.

use super::datetime_to_char::{DAYS_SHORT, MONTHS_FULL};
use super::keywords::{DateMode, Dch, KeyWord, S_FM, S_TH, S_TH_LOWER};
use super::node::{Node, mblen};
use crate::datetime::calendar::{DAYS, MONTHS};
use crate::datetime::cnum::strtol;
use crate::datetime::lex::is_space;
use crate::{Condition, Error, Result};

/// PostgreSQL's `TmFromChar`: fields read from the input.
#[derive(Debug, Default)]
pub(crate) struct FromChar {
    pub(crate) mode: Option<DateMode>,
    pub(crate) hh: i32,
    pub(crate) pm: i32,
    pub(crate) mi: i32,
    pub(crate) ss: i32,
    pub(crate) ssss: i32,
    pub(crate) d: i32,
    pub(crate) dd: i32,
    pub(crate) ddd: i32,
    pub(crate) mm: i32,
    pub(crate) ms: i32,
    pub(crate) year: i32,
    pub(crate) bc: i32,
    pub(crate) ww: i32,
    pub(crate) w: i32,
    pub(crate) cc: i32,
    pub(crate) j: i32,
    pub(crate) us: i32,
    pub(crate) yysz: i32,
    pub(crate) clock12: bool,
    pub(crate) tzsign: i32,
    pub(crate) tzh: i32,
    pub(crate) tzm: i32,
    pub(crate) ff: i32,
}

pub(crate) fn bad_format(msg: impl Into<String>) -> Error {
    Error::new(Condition::InvalidDatetimeFormat, msg)
}

fn is_separator_char(c: u8) -> bool {
    c > 0x20 && c < 0x7F && !c.is_ascii_alphanumeric()
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn set_int(dest: &mut i32, value: i32, key: &KeyWord) -> Result<()> {
    if *dest != 0 && *dest != value {
        return Err(bad_format(format!(
            "conflicting values for \"{}\" field in formatting string",
            key.name
        ))
        .with_detail("This value contradicts a previous setting for the same field type."));
    }
    *dest = value;
    Ok(())
}

/// `is_next_separator`: whether the node after `idx` cannot continue a number.
fn next_is_separator(nodes: &[Node<&'static KeyWord>], idx: usize) -> bool {
    if let Node::Action(_, suffix) = &nodes[idx]
        && suffix & (S_TH | S_TH_LOWER) != 0
    {
        return true;
    }
    match nodes.get(idx + 1) {
        None => true,
        Some(Node::Action(k, _)) => !k.is_digit,
        Some(Node::Char(c) | Node::Separator(c) | Node::Space(c)) => {
            !(c.len() == 1 && c.as_bytes()[0].is_ascii_digit())
        }
    }
}

/// `from_char_parse_int_len`: an integer of up to `len` characters (any length when FM or
/// followed by a separator); returns the characters consumed.
fn parse_int_len(
    dest: Option<&mut i32>,
    s: &mut &[u8],
    len: usize,
    nodes: &[Node<&'static KeyWord>],
    idx: usize,
) -> Result<usize> {
    let Node::Action(key, suffix) = &nodes[idx] else {
        return Ok(0);
    };
    let init = *s;
    let spaces = s.iter().take_while(|c| is_space(**c)).count();
    *s = &s[spaces..];
    let copy = &s[..s.len().min(len)];
    let copy_text = lossy(copy);
    let result: i64;
    let overflow;
    if suffix & S_FM != 0 || next_is_separator(nodes, idx) {
        let p = strtol(std::str::from_utf8(init).unwrap_or(""));
        let text = std::str::from_utf8(init).unwrap_or("");
        let consumed = text.len() - p.rest.len();
        *s = &init[consumed..];
        result = p.value;
        overflow = p.overflow;
    } else {
        if s.len() < len {
            return Err(bad_format(format!(
                "source string too short for \"{}\" formatting field",
                key.name
            ))
            .with_detail(format!(
                "Field requires {len} characters, but only {} remain.",
                s.len()
            ))
            .with_hint(
                "If your source string is not fixed-width, try using the \"FM\" modifier.",
            ));
        }
        let p = strtol(&copy_text);
        let used = copy_text.len() - p.rest.len();
        if used > 0 && used < len {
            return Err(bad_format(format!(
                "invalid value \"{copy_text}\" for \"{}\"",
                key.name
            ))
            .with_detail(format!(
                "Field requires {len} characters, but only {used} could be parsed."
            ))
            .with_hint(
                "If your source string is not fixed-width, try using the \"FM\" modifier.",
            ));
        }
        *s = &s[used..];
        result = p.value;
        overflow = p.overflow;
    }
    if s.as_ptr() == init.as_ptr() {
        return Err(bad_format(format!(
            "invalid value \"{copy_text}\" for \"{}\"",
            key.name
        ))
        .with_detail("Value must be an integer."));
    }
    if overflow || result < i64::from(i32::MIN) || result > i64::from(i32::MAX) {
        return Err(Error::new(
            Condition::DatetimeFieldOverflow,
            format!(
                "value for \"{}\" in source string is out of range",
                key.name
            ),
        )
        .with_detail("Value must be in the range -2147483648 to 2147483647."));
    }
    if let Some(dest) = dest {
        set_int(dest, result as i32, key)?;
    }
    Ok(init.len() - s.len())
}

/// `seq_search_ascii`: which entry of `array` the input starts with (case-insensitively).
fn seq_search(s: &[u8], array: &[&str]) -> Option<(usize, usize)> {
    let first = s.first()?.to_ascii_lowercase();
    for (i, a) in array.iter().enumerate() {
        let a = a.as_bytes();
        if a[0].to_ascii_lowercase() != first {
            continue;
        }
        if s.len() >= a.len() && s[..a.len()].eq_ignore_ascii_case(a) {
            return Some((i, a.len()));
        }
    }
    None
}

/// `from_char_seq_search`, consuming the match.
fn seq_search_consume(s: &mut &[u8], array: &[&str], key: &KeyWord) -> Result<usize> {
    match seq_search(s, array) {
        Some((i, n)) => {
            *s = &s[n..];
            Ok(i)
        }
        None => {
            let end = s.iter().position(|c| is_space(*c)).unwrap_or(s.len());
            Err(bad_format(format!(
                "invalid value \"{}\" for \"{}\"",
                lossy(&s[..end]),
                key.name
            ))
            .with_detail("The given value did not match any of the allowed values for this field."))
        }
    }
}

fn skip_th(s: &mut &[u8], suffix: u8) {
    if suffix & (S_TH | S_TH_LOWER) != 0 {
        for _ in 0..2 {
            if !s.is_empty() {
                let n = mblen(s);
                *s = &s[n..];
            }
        }
    }
}

/// `adjust_partial_year_to_2020`.
fn adjust_partial_year(year: i32) -> i32 {
    if year < 70 {
        year + 2000
    } else if year < 100 {
        year + 1900
    } else if year < 520 {
        year + 2000
    } else if year < 1000 {
        year + 1000
    } else {
        year
    }
}

/// `sscanf(s, "%d,%03d%n")` for `Y,YYY`.
fn scan_y_comma(s: &[u8]) -> Option<(i32, i32, usize)> {
    let text = std::str::from_utf8(s).ok()?;
    let a = strtol(text);
    if !a.any {
        return None;
    }
    let rest = a.rest.strip_prefix(',')?;
    let ws = rest.bytes().take_while(|c| is_space(*c)).count();
    let body = &rest[ws..];
    let sign = usize::from(body.starts_with(['+', '-']));
    let digits = body[sign..]
        .bytes()
        .take(3)
        .take_while(u8::is_ascii_digit)
        .count();
    if digits == 0 {
        return None;
    }
    let num: i64 = body[..sign + digits].parse().ok()?;
    let consumed = text.len() - rest.len() + ws + sign + digits;
    Some((a.value as i32, num as i32, consumed))
}

/// `DCH_from_char`: reads the input against the template into `out`.
pub(crate) fn dch_from_char(
    nodes: &[Node<&'static KeyWord>],
    input: &[u8],
    out: &mut FromChar,
) -> Result<()> {
    let mut s = input;
    let mut fx_mode = false;
    let mut extra_skip: i32 = 0;
    let mut idx = 0;
    while idx < nodes.len() && !s.is_empty() {
        let node = &nodes[idx];
        let is_fx = matches!(node, Node::Action(k, _) if k.id == Dch::Fx);
        if !fx_mode && !is_fx && (matches!(node, Node::Action(..)) || idx == 0) {
            while !s.is_empty() && is_space(s[0]) {
                s = &s[1..];
                extra_skip += 1;
            }
        }
        match node {
            Node::Space(_) | Node::Separator(_) => {
                if !fx_mode {
                    extra_skip -= 1;
                    if !s.is_empty() && (is_space(s[0]) || is_separator_char(s[0])) {
                        s = &s[1..];
                        extra_skip += 1;
                    }
                } else if !s.is_empty() {
                    s = &s[mblen(s)..];
                }
                idx += 1;
                continue;
            }
            Node::Char(_) => {
                if !fx_mode {
                    if extra_skip > 0 {
                        extra_skip -= 1;
                    } else if !s.is_empty() {
                        s = &s[mblen(s)..];
                    }
                } else if !s.is_empty() {
                    s = &s[mblen(s)..];
                }
                idx += 1;
                continue;
            }
            Node::Action(..) => {}
        }
        let Node::Action(key, suffix) = node else {
            continue;
        };
        let suffix = *suffix;
        if key.mode != DateMode::None {
            match out.mode {
                None => out.mode = Some(key.mode),
                Some(m) if m != key.mode => {
                    return Err(bad_format("invalid combination of date conventions").with_hint(
                        "Do not mix Gregorian and ISO week date conventions in a formatting template.",
                    ));
                }
                _ => {}
            }
        }
        let klen = key.name.len();
        use Dch as D;
        match key.id {
            D::Fx => fx_mode = true,
            D::AMDots | D::PMDots | D::AMDotsLower | D::PMDotsLower => {
                let v = seq_search_consume(&mut s, &["a.m.", "p.m.", "A.M.", "P.M."], key)?;
                set_int(&mut out.pm, (v % 2) as i32, key)?;
                out.clock12 = true;
            }
            D::AmUpper | D::PmUpper | D::AmLower | D::PmLower => {
                let v = seq_search_consume(&mut s, &["am", "pm", "AM", "PM"], key)?;
                set_int(&mut out.pm, (v % 2) as i32, key)?;
                out.clock12 = true;
            }
            D::Hh | D::Hh12 => {
                parse_int_len(Some(&mut out.hh), &mut s, 2, nodes, idx)?;
                out.clock12 = true;
                skip_th(&mut s, suffix);
            }
            D::Hh24 => {
                parse_int_len(Some(&mut out.hh), &mut s, 2, nodes, idx)?;
                skip_th(&mut s, suffix);
            }
            D::Mi => {
                parse_int_len(Some(&mut out.mi), &mut s, klen, nodes, idx)?;
                skip_th(&mut s, suffix);
            }
            D::Ss => {
                parse_int_len(Some(&mut out.ss), &mut s, klen, nodes, idx)?;
                skip_th(&mut s, suffix);
            }
            D::Ms => {
                let len = parse_int_len(Some(&mut out.ms), &mut s, 3, nodes, idx)?;
                out.ms = out.ms.wrapping_mul(match len {
                    1 => 100,
                    2 => 10,
                    _ => 1,
                });
                skip_th(&mut s, suffix);
            }
            D::Ff1 | D::Ff2 | D::Ff3 | D::Ff4 | D::Ff5 | D::Ff6 | D::Us => {
                let width = match key.id {
                    D::Ff1 => 1,
                    D::Ff2 => 2,
                    D::Ff3 => 3,
                    D::Ff4 => 4,
                    D::Ff5 => 5,
                    D::Ff6 => 6,
                    _ => 0,
                };
                if width > 0 {
                    out.ff = width;
                }
                let n = if key.id == D::Us { 6 } else { out.ff as usize };
                let len = parse_int_len(Some(&mut out.us), &mut s, n, nodes, idx)?;
                out.us = out.us.wrapping_mul(match len {
                    1 => 100_000,
                    2 => 10_000,
                    3 => 1000,
                    4 => 100,
                    5 => 10,
                    _ => 1,
                });
                skip_th(&mut s, suffix);
            }
            D::Ssss => {
                parse_int_len(Some(&mut out.ssss), &mut s, klen, nodes, idx)?;
                skip_th(&mut s, suffix);
            }
            D::TzLower | D::TzUpper | D::Of => {
                return Err(Error::new(
                    Condition::FeatureNotSupported,
                    format!(
                        "formatting field \"{}\" is only supported in to_char",
                        key.name
                    ),
                ));
            }
            D::Tzh => {
                if matches!(s.first(), Some(b'+' | b'-' | b' ')) {
                    out.tzsign = if s[0] == b'-' { -1 } else { 1 };
                    s = &s[1..];
                } else {
                    let prev_minus = {
                        let consumed = input.len() - s.len();
                        consumed > 0 && input[consumed - 1] == b'-'
                    };
                    out.tzsign = if extra_skip > 0 && prev_minus { -1 } else { 1 };
                }
                parse_int_len(Some(&mut out.tzh), &mut s, 2, nodes, idx)?;
            }
            D::Tzm => {
                if out.tzsign == 0 {
                    out.tzsign = 1;
                }
                parse_int_len(Some(&mut out.tzm), &mut s, 2, nodes, idx)?;
            }
            D::ADots | D::BCDots | D::ADotsLower | D::BCDotsLower => {
                let v = seq_search_consume(&mut s, &["a.d.", "b.c.", "A.D.", "B.C."], key)?;
                set_int(&mut out.bc, (v % 2) as i32, key)?;
            }
            D::AdUpper | D::BcUpper | D::AdLower | D::BcLower => {
                let v = seq_search_consume(&mut s, &["ad", "bc", "AD", "BC"], key)?;
                set_int(&mut out.bc, (v % 2) as i32, key)?;
            }
            D::MonthUpper | D::MonthCap | D::MonthLower => {
                let v = seq_search_consume(&mut s, &MONTHS_FULL, key)?;
                set_int(&mut out.mm, v as i32 + 1, key)?;
            }
            D::MonUpper | D::MonCap | D::MonLower => {
                let v = seq_search_consume(&mut s, &MONTHS, key)?;
                set_int(&mut out.mm, v as i32 + 1, key)?;
            }
            D::Mm => {
                parse_int_len(Some(&mut out.mm), &mut s, klen, nodes, idx)?;
                skip_th(&mut s, suffix);
            }
            D::DayUpper | D::DayCap | D::DayLower => {
                let v = seq_search_consume(&mut s, &DAYS, key)?;
                set_int(&mut out.d, v as i32, key)?;
                out.d += 1;
            }
            D::DyUpper | D::DyCap | D::DyLower => {
                let v = seq_search_consume(&mut s, &DAYS_SHORT, key)?;
                set_int(&mut out.d, v as i32, key)?;
                out.d += 1;
            }
            D::Ddd => {
                parse_int_len(Some(&mut out.ddd), &mut s, klen, nodes, idx)?;
                skip_th(&mut s, suffix);
            }
            D::Iddd => {
                parse_int_len(Some(&mut out.ddd), &mut s, 3, nodes, idx)?;
                skip_th(&mut s, suffix);
            }
            D::Dd => {
                parse_int_len(Some(&mut out.dd), &mut s, klen, nodes, idx)?;
                skip_th(&mut s, suffix);
            }
            D::D => {
                parse_int_len(Some(&mut out.d), &mut s, klen, nodes, idx)?;
                skip_th(&mut s, suffix);
            }
            D::Id => {
                parse_int_len(Some(&mut out.d), &mut s, 1, nodes, idx)?;
                out.d = out.d.wrapping_add(1);
                if out.d > 7 {
                    out.d = 1;
                }
                skip_th(&mut s, suffix);
            }
            D::Ww | D::Iw => {
                parse_int_len(Some(&mut out.ww), &mut s, klen, nodes, idx)?;
                skip_th(&mut s, suffix);
            }
            D::Q => {
                parse_int_len(None, &mut s, klen, nodes, idx)?;
                skip_th(&mut s, suffix);
            }
            D::Cc => {
                parse_int_len(Some(&mut out.cc), &mut s, klen, nodes, idx)?;
                skip_th(&mut s, suffix);
            }
            D::YComma => {
                let Some((millennia, years, nch)) = scan_y_comma(s) else {
                    return Err(bad_format("invalid input string for \"Y,YYY\""));
                };
                let years = years.wrapping_add(millennia.wrapping_mul(1000));
                set_int(&mut out.year, years, key)?;
                out.yysz = 4;
                s = &s[nch..];
                skip_th(&mut s, suffix);
            }
            D::Yyyy | D::Iyyy => {
                parse_int_len(Some(&mut out.year), &mut s, klen, nodes, idx)?;
                out.yysz = 4;
                skip_th(&mut s, suffix);
            }
            D::Yyy | D::Iyy | D::Yy | D::Iy | D::Y | D::I => {
                let len = parse_int_len(Some(&mut out.year), &mut s, klen, nodes, idx)?;
                if len < 4 {
                    out.year = adjust_partial_year(out.year);
                }
                out.yysz = match key.id {
                    D::Yyy | D::Iyy => 3,
                    D::Yy | D::Iy => 2,
                    _ => 1,
                };
                skip_th(&mut s, suffix);
            }
            D::RmUpper | D::RmLower => {
                let v = seq_search_consume(
                    &mut s,
                    &[
                        "xii", "xi", "x", "ix", "viii", "vii", "vi", "v", "iv", "iii", "ii", "i",
                    ],
                    key,
                )?;
                set_int(&mut out.mm, 12 - v as i32, key)?;
            }
            D::W => {
                parse_int_len(Some(&mut out.w), &mut s, klen, nodes, idx)?;
                skip_th(&mut s, suffix);
            }
            D::J => {
                parse_int_len(Some(&mut out.j), &mut s, klen, nodes, idx)?;
                skip_th(&mut s, suffix);
            }
        }
        if !fx_mode {
            extra_skip = 0;
            while !s.is_empty() && is_space(s[0]) {
                s = &s[1..];
                extra_skip += 1;
            }
        }
        idx += 1;
    }
    Ok(())
}
