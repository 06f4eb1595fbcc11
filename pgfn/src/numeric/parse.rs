//! `numeric` input: PostgreSQL 15's `numeric_in` syntax (spaces, sign, digits, one point,
//! exponent, NaN and the infinities) and its errors.
//!
//! Invariants:
//! - Accepts exactly what PostgreSQL 15 accepts (no underscores, no hex: those came in 16).
//! - The display scale is the count of written decimals less the exponent, never negative.

use std::str::FromStr;

use super::var::{DEC_DIGITS, Var};
use super::{Numeric, Repr};
use crate::strtol::strtol;
use crate::{Condition, Error, Result};

impl FromStr for Numeric {
    type Err = Error;

    /// Parses `text` as PostgreSQL's `'text'::numeric` does.
    fn from_str(text: &str) -> Result<Numeric> {
        parse(text)
    }
}

/// Parses `text` as PostgreSQL's `numeric_in`.
pub(super) fn parse(text: &str) -> Result<Numeric> {
    let bytes = text.as_bytes();
    let mut pos = bytes.iter().take_while(|b| is_space(**b)).count();
    let rest = &bytes[pos..];
    const SPECIALS: [(&str, Repr); 7] = [
        ("NaN", Repr::NaN),
        ("Infinity", Repr::PosInf),
        ("+Infinity", Repr::PosInf),
        ("-Infinity", Repr::NegInf),
        ("inf", Repr::PosInf),
        ("+inf", Repr::PosInf),
        ("-inf", Repr::NegInf),
    ];
    let mut special = None;
    for (word, repr) in SPECIALS {
        if rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word.as_bytes()) {
            special = Some(repr);
            pos += word.len();
            break;
        }
    }
    let value = match special {
        Some(repr) => Numeric { repr },
        None => {
            let (var, end) =
                parse_var(bytes, pos).map_err(|e| e.unwrap_or_else(|| syntax(text)))?;
            pos = end;
            if bytes[pos..].iter().any(|b| !is_space(*b)) {
                return Err(syntax(text));
            }
            return Numeric::finite(var);
        }
    };
    if bytes[pos..].iter().any(|b| !is_space(*b)) {
        return Err(syntax(text));
    }
    Ok(value)
}

/// PostgreSQL's `set_var_from_str`: a number starting at `pos` and the position after it.
/// `Err(None)` is a syntax error, `Err(Some(_))` an overflow.
pub(super) fn parse_var(
    bytes: &[u8],
    mut pos: usize,
) -> std::result::Result<(Var, usize), Option<Error>> {
    let mut neg = false;
    match bytes.get(pos) {
        Some(b'+') => pos += 1,
        Some(b'-') => {
            neg = true;
            pos += 1;
        }
        _ => {}
    }
    let mut have_dp = false;
    if bytes.get(pos) == Some(&b'.') {
        have_dp = true;
        pos += 1;
    }
    if !bytes.get(pos).is_some_and(u8::is_ascii_digit) {
        return Err(None);
    }
    // The digits are bytes[digits_start..digits_end] less at most one point inside them, at
    // `point` (a leading point was passed over above).
    let digits_start = pos;
    let mut point = None;
    let mut dweight: i64 = -1;
    let mut dscale: i64 = 0;
    while let Some(&b) = bytes.get(pos) {
        if b.is_ascii_digit() {
            if have_dp {
                dscale += 1;
            } else {
                dweight += 1;
            }
            pos += 1;
        } else if b == b'.' {
            if have_dp {
                return Err(None);
            }
            have_dp = true;
            point = Some(pos);
            pos += 1;
        } else {
            break;
        }
    }
    let digits_end = pos;
    let n_decdigits = (digits_end - digits_start - usize::from(point.is_some())) as i64;
    let decdigit = |k: i64| -> i32 {
        if k < 0 || k >= n_decdigits {
            return 0;
        }
        let mut at = digits_start + k as usize;
        if point.is_some_and(|p| at >= p) {
            at += 1;
        }
        i32::from(bytes[at] - b'0')
    };
    if matches!(bytes.get(pos), Some(b'e' | b'E')) {
        pos += 1;
        let (exponent, end) = strtol(bytes, pos).ok_or(None)?;
        pos = end;
        const LIMIT: i64 = (i32::MAX / 2) as i64;
        if exponent >= LIMIT || exponent <= -LIMIT {
            return Err(Some(Error::new(
                Condition::NumericValueOutOfRange,
                "value overflows numeric format",
            )));
        }
        dweight += exponent;
        dscale = (dscale - exponent).max(0);
    }
    let dec = i64::from(DEC_DIGITS);
    let weight = if dweight >= 0 {
        (dweight + 1 + dec - 1) / dec - 1
    } else {
        -((-dweight - 1) / dec + 1)
    };
    let offset = (weight + 1) * dec - (dweight + 1);
    let ndigits = (n_decdigits + offset + dec - 1) / dec;
    let mut digits = Vec::with_capacity(ndigits as usize);
    let mut idx = -offset;
    for _ in 0..ndigits {
        let mut d = 0i32;
        for k in 0..dec {
            d = d * 10 + decdigit(idx + k);
        }
        digits.push(d);
        idx += dec;
    }
    // Weights and scales beyond i32 cannot be stored; let the range check report them.
    let clamp = |v: i64| v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    let mut var = Var {
        neg,
        weight: clamp(weight),
        dscale: clamp(dscale),
        digits,
    };
    var.strip();
    Ok((var, pos))
}

/// C's `isspace` in the C locale.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn syntax(text: &str) -> Error {
    Error::new(
        Condition::InvalidTextRepresentation,
        format!("invalid input syntax for type numeric: \"{text}\""),
    )
}
