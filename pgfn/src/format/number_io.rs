//! `to_char` of `int4`, `int8`, `float4`, `float8` and `numeric`, and `to_number`: the value
//! is turned into PostgreSQL's digit string for the template's shape, then `number` formats it.
//!
//! Invariants:
//! - `numeric` values travel as PostgreSQL's numeric text (what `numeric_out` prints, or
//!   anything `numeric_in` accepts), and `to_number` answers numeric text with the scale
//!   PostgreSQL gives it, so the server's `numeric` type stays the only numeric type.
//! - An empty template gives `''` from `to_char` and NULL from `to_number`, as in PostgreSQL.

use super::dec::{Dec, NumVal, parse};
use super::number::{from_char, to_char};
use super::number_desc::{F_EEEE, F_MULTI, F_ROMAN, NumDesc, parse as parse_template};
use crate::{Condition, Error, Result};

/// `int_to_roman`: 1..=3999 as a roman numeral, else fifteen `#`.
fn int_to_roman(number: i32) -> String {
    if !(1..=3999).contains(&number) {
        return "#".repeat(15);
    }
    const RM1: [&str; 9] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    const RM10: [&str; 9] = ["X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"];
    const RM100: [&str; 9] = ["C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"];
    let digits = number.to_string();
    let mut len = digits.len();
    let mut out = String::new();
    for c in digits.bytes() {
        let num = i32::from(c) - i32::from(b'1');
        if num >= 0 {
            let n = num as usize;
            match len {
                4.. => out.push_str(&"M".repeat(n + 1)),
                3 => out.push_str(RM100[n]),
                2 => out.push_str(RM10[n]),
                _ => out.push_str(RM1[n]),
            }
        }
        len -= 1;
    }
    out
}

/// The overflow digit string: `#` for every digit, `.` after the integer part.
fn overflow_digits(desc: &NumDesc) -> String {
    let mut s = vec![b'#'; (desc.pre + desc.post + 1).max(0) as usize];
    if let Some(c) = s.get_mut(desc.pre.max(0) as usize) {
        *c = b'.';
    }
    String::from_utf8(s).unwrap_or_default()
}

/// The EEEE digit string of a NaN or infinity.
fn eeee_special(desc: &NumDesc) -> String {
    let mut s = vec![b'#'; (desc.pre + desc.post + 6).max(0) as usize];
    if let Some(c) = s.first_mut() {
        *c = b' ';
    }
    if let Some(c) = s.get_mut((desc.pre + 1).max(0) as usize) {
        *c = b'.';
    }
    String::from_utf8(s).unwrap_or_default()
}

/// C's `%+.*e`, with PostgreSQL's spelling of non-finite values.
fn format_e_signed(v: f64, prec: usize) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-Infinity" } else { "+Infinity" }.to_string();
    }
    let s = format!("{:.*e}", prec, v.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if v.is_sign_negative() { '-' } else { '+' };
    format!(
        "{sign}{mant}e{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    )
}

/// C's `%.*f`, with PostgreSQL's spelling of non-finite values.
fn format_f(v: f64, prec: usize) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-Infinity" } else { "Infinity" }.to_string();
    }
    format!("{v:.prec$}")
}

/// Splits a digit string's sign off and sizes it against the template (the shared tail of
/// PostgreSQL's `*_to_char`): returns digits, leading spaces and sign.
fn fit(text: &str, desc: &NumDesc) -> (String, i32, u8) {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (b'-', rest),
        None => (b'+', text),
    };
    let pre_len = digits.find('.').unwrap_or(digits.len()) as i32;
    if pre_len < desc.pre {
        (digits.to_string(), desc.pre - pre_len, sign)
    } else if pre_len > desc.pre {
        (overflow_digits(desc), 0, sign)
    } else {
        (digits.to_string(), 0, sign)
    }
}

/// The integer types' digit string: the integer, then `post` zeros after a point.
fn int_digits(value: &str, desc: &NumDesc) -> (String, i32, u8) {
    let (sign, digits) = match value.strip_prefix('-') {
        Some(rest) => (b'-', rest),
        None => (b'+', value),
    };
    let pre_len = digits.len() as i32;
    let numstr = if desc.post > 0 {
        format!("{digits}.{}", "0".repeat(desc.post as usize))
    } else {
        digits.to_string()
    };
    if pre_len < desc.pre {
        (numstr, desc.pre - pre_len, sign)
    } else if pre_len > desc.pre {
        (overflow_digits(desc), 0, sign)
    } else {
        (numstr, 0, sign)
    }
}

fn run(fmt: &str, build: impl FnOnce(&mut NumDesc) -> Result<(String, i32, u8)>) -> Result<String> {
    if fmt.is_empty() {
        return Ok(String::new());
    }
    let (nodes, mut desc) = parse_template(fmt)?;
    let (digits, pre_spaces, sign) = build(&mut desc)?;
    to_char(&nodes, &desc, digits.as_bytes(), pre_spaces, sign)
}

/// `to_char(integer, text)`.
pub fn int4_to_char(value: i32, fmt: &str) -> Result<String> {
    run(fmt, |desc| {
        if desc.has(F_ROMAN) {
            return Ok((int_to_roman(value), 0, 0));
        }
        if desc.has(F_EEEE) {
            let mut s = format_e_signed(f64::from(value), desc.post.max(0) as usize);
            if s.starts_with('+') {
                s.replace_range(0..1, " ");
            }
            return Ok((s, 0, 0));
        }
        let v = if desc.has(F_MULTI) {
            let p = 10f64.powi(desc.multi);
            // C's (int32) conversion of an out-of-range double yields INT_MIN on x86.
            let factor = if p < 2_147_483_648.0 {
                p as i32
            } else {
                i32::MIN
            };
            desc.pre += desc.multi;
            value.wrapping_mul(factor)
        } else {
            value
        };
        Ok(int_digits(&v.to_string(), desc))
    })
}

fn bigint_out_of_range() -> Error {
    Error::new(Condition::NumericValueOutOfRange, "bigint out of range")
}

/// `to_char(bigint, text)`.
pub fn int8_to_char(value: i64, fmt: &str) -> Result<String> {
    run(fmt, |desc| {
        if desc.has(F_ROMAN) {
            let v = i32::try_from(value).map_err(|_| {
                Error::new(Condition::NumericValueOutOfRange, "integer out of range")
            })?;
            return Ok((int_to_roman(v), 0, 0));
        }
        if desc.has(F_EEEE) {
            let dec = Dec {
                neg: value < 0,
                int: value.unsigned_abs().to_string(),
                frac: String::new(),
            };
            let s = dec.sci(i64::from(desc.post));
            let s = if s.starts_with('-') {
                s
            } else {
                format!(" {s}")
            };
            return Ok((s, 0, 0));
        }
        let v = if desc.has(F_MULTI) {
            let p = 10f64.powi(desc.multi).round_ties_even();
            if !(p >= i64::MIN as f64 && p < -(i64::MIN as f64)) {
                return Err(bigint_out_of_range());
            }
            desc.pre += desc.multi;
            value
                .checked_mul(p as i64)
                .ok_or_else(bigint_out_of_range)?
        } else {
            value
        };
        Ok(int_digits(&v.to_string(), desc))
    })
}

/// The float types' shared body; `digits` is FLT_DIG or DBL_DIG.
fn float_digits(v: f64, desc: &mut NumDesc, digits: i32) -> (String, i32, u8) {
    let int_len = format_f(v.abs(), 0).len() as i32;
    if int_len >= digits {
        desc.post = 0;
    } else if int_len + desc.post > digits {
        desc.post = digits - int_len;
    }
    fit(&format_f(v, desc.post.max(0) as usize), desc)
}

/// `to_char(real, text)`.
pub fn float4_to_char(value: f32, fmt: &str) -> Result<String> {
    run(fmt, |desc| {
        if desc.has(F_ROMAN) {
            return Ok((
                int_to_roman(f64::from(value).round_ties_even() as i32),
                0,
                0,
            ));
        }
        if desc.has(F_EEEE) {
            if value.is_nan() || value.is_infinite() {
                return Ok((eeee_special(desc), 0, 0));
            }
            let mut s = format_e_signed(f64::from(value), desc.post.max(0) as usize);
            if s.starts_with('+') {
                s.replace_range(0..1, " ");
            }
            return Ok((s, 0, 0));
        }
        let val = if desc.has(F_MULTI) {
            let multi = 10f64.powi(desc.multi) as f32;
            desc.pre += desc.multi;
            value * multi
        } else {
            value
        };
        Ok(float_digits(f64::from(val), desc, 6))
    })
}

/// `to_char(double precision, text)`.
pub fn float8_to_char(value: f64, fmt: &str) -> Result<String> {
    run(fmt, |desc| {
        if desc.has(F_ROMAN) {
            return Ok((int_to_roman(value.round_ties_even() as i32), 0, 0));
        }
        if desc.has(F_EEEE) {
            if value.is_nan() || value.is_infinite() {
                return Ok((eeee_special(desc), 0, 0));
            }
            let mut s = format_e_signed(value, desc.post.max(0) as usize);
            if s.starts_with('+') {
                s.replace_range(0..1, " ");
            }
            return Ok((s, 0, 0));
        }
        let val = if desc.has(F_MULTI) {
            desc.pre += desc.multi;
            value * 10f64.powi(desc.multi)
        } else {
            value
        };
        Ok(float_digits(val, desc, 15))
    })
}

/// `to_char(numeric, text)`; `value` is the numeric's text.
pub fn numeric_to_char(value: &str, fmt: &str) -> Result<String> {
    let val = parse(value)?;
    run(fmt, |desc| {
        if desc.has(F_ROMAN) {
            let n = match &val {
                NumVal::NaN => {
                    return Err(Error::new(
                        Condition::FeatureNotSupported,
                        "cannot convert NaN to integer",
                    ));
                }
                NumVal::Inf(_) => {
                    return Err(Error::new(
                        Condition::FeatureNotSupported,
                        "cannot convert infinity to integer",
                    ));
                }
                NumVal::Finite(d) => d.round(0),
            };
            let text = n.to_text();
            let v: i32 = text.parse().map_err(|_| {
                Error::new(Condition::NumericValueOutOfRange, "integer out of range")
            })?;
            return Ok((int_to_roman(v), 0, 0));
        }
        if desc.has(F_EEEE) {
            let d = match &val {
                NumVal::Finite(d) => d,
                _ => return Ok((eeee_special(desc), 0, 0)),
            };
            let s = d.sci(i64::from(desc.post));
            return Ok((
                if s.starts_with('-') {
                    s
                } else {
                    format!(" {s}")
                },
                0,
                0,
            ));
        }
        let text = match &val {
            NumVal::NaN => "NaN".to_string(),
            NumVal::Inf(neg) => if *neg { "-Infinity" } else { "Infinity" }.to_string(),
            NumVal::Finite(d) => {
                let d = if desc.has(F_MULTI) {
                    desc.pre += desc.multi;
                    d.shift(i64::from(desc.multi))
                } else {
                    d.clone()
                };
                d.round(i64::from(desc.post)).to_text()
            }
        };
        Ok(fit(&text, desc))
    })
}

/// `to_number(text, text)`: the numeric text PostgreSQL returns, or NULL for an empty template.
pub fn to_number(input: &str, fmt: &str) -> Result<Option<String>> {
    if fmt.is_empty() {
        return Ok(None);
    }
    let (nodes, desc) = parse_template(fmt)?;
    let (numstr, scale) = from_char(&nodes, &desc, input.as_bytes())?;
    let precision = desc.pre + desc.multi + scale;
    let d = match parse(&numstr)? {
        NumVal::Finite(d) => d,
        _ => {
            return Err(Error::new(
                Condition::InvalidTextRepresentation,
                format!("invalid input syntax for type numeric: \"{numstr}\""),
            ));
        }
    };
    let d = apply_typmod(&d, precision, scale)?;
    if !desc.has(F_MULTI) {
        return Ok(Some(d.to_text()));
    }
    // PostgreSQL multiplies by power(10, -multi), a numeric of scale 16.
    let factor = Dec {
        neg: false,
        int: "1".to_string(),
        frac: String::new(),
    }
    .shift(-i64::from(desc.multi))
    .round(16);
    let product = multiply(&d, &factor);
    Ok(Some(product.to_text()))
}

/// `apply_typmod` for `numeric(precision, scale)`.
fn apply_typmod(d: &Dec, precision: i32, scale: i32) -> Result<Dec> {
    let rounded = d.round(i64::from(scale));
    let maxdigits = precision - scale;
    if !rounded.is_zero() && rounded.int_digits() as i32 > maxdigits {
        let bound = if maxdigits != 0 {
            format!("10^{maxdigits}")
        } else {
            "1".to_string()
        };
        return Err(Error::new(Condition::NumericValueOutOfRange, "numeric field overflow")
            .with_detail(format!(
                "A field with precision {precision}, scale {scale} must round to an absolute value less than {bound}."
            )));
    }
    Ok(rounded)
}

/// Exact product of two decimals with the sum of their scales (PostgreSQL's `numeric_mul`).
fn multiply(a: &Dec, b: &Dec) -> Dec {
    let da: Vec<u32> = format!("{}{}", a.int, a.frac)
        .bytes()
        .map(|c| u32::from(c - b'0'))
        .collect();
    let db: Vec<u32> = format!("{}{}", b.int, b.frac)
        .bytes()
        .map(|c| u32::from(c - b'0'))
        .collect();
    let mut acc = vec![0u32; da.len() + db.len() + 1];
    for (i, x) in da.iter().rev().enumerate() {
        for (j, y) in db.iter().rev().enumerate() {
            acc[i + j] += x * y;
        }
    }
    let mut carry = 0u32;
    for v in acc.iter_mut() {
        let t = *v + carry;
        *v = t % 10;
        carry = t / 10;
    }
    let digits: String = acc
        .iter()
        .rev()
        .map(|d| char::from(b'0' + *d as u8))
        .collect();
    let scale = a.frac.len() + b.frac.len();
    let (int, frac) = digits.split_at(digits.len() - scale);
    let mut out = Dec {
        neg: a.neg != b.neg,
        int: int.trim_start_matches('0').to_string(),
        frac: frac.to_string(),
    };
    if out.is_zero() {
        out.neg = false;
    }
    out
}
