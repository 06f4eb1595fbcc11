//! `float8`/`float4` text input and output as PostgreSQL 15 does them (`float8in`,
//! `float8out` with the default `extra_float_digits = 1`): the json functions print floats
//! this way and the jsonpath `.double()` method reads them.
//!
//! Invariants:
//! - Output is the shortest text that reads back to the same value, in fixed notation for
//!   decimal exponents -4..15 (float4: ..6) and `d.ddde+XX` otherwise, as PostgreSQL's Ryu code.
//! - Input rejects what PostgreSQL rejects, including underflow to zero and overflow.

use crate::numeric::is_space;
use crate::{Condition, Error, Result};

/// PostgreSQL's `float8out`.
pub fn float8_out(value: f64) -> String {
    let mut sci = format!("{value:e}");
    if value.is_finite() && value != 0.0 && on_boundary(&sci, value) {
        sci = (sig_digits(&sci)..=17)
            .map(|n| format!("{:.*e}", n - 1, value))
            .find(|c| c.parse::<f64>() == Ok(value) && !on_boundary(c, value))
            .unwrap_or(sci);
    }
    layout(value, sci, 15)
}

/// PostgreSQL's `float4out`.
pub fn float4_out(value: f32) -> String {
    let mut sci = format!("{value:e}");
    if value.is_finite() && value != 0.0 && on_boundary32(&sci, value) {
        sci = (sig_digits(&sci)..=9)
            .map(|n| format!("{:.*e}", n - 1, value))
            .find(|c| c.parse::<f32>() == Ok(value) && !on_boundary32(c, value))
            .unwrap_or(sci);
    }
    layout(f64::from(value), sci, 6)
}

fn sig_digits(sci: &str) -> usize {
    sci.split('e')
        .next()
        .unwrap_or("")
        .bytes()
        .filter(u8::is_ascii_digit)
        .count()
}

/// Whether the decimal `sci` lies exactly halfway between `value` and a neighbour. Rust's
/// shortest form may pick such a tie (it reads back by round-half-even); PostgreSQL's Ryu
/// excludes the interval's bounds and prints a longer form instead.
fn on_boundary(sci: &str, value: f64) -> bool {
    let bits = value.abs().to_bits();
    let (exp_bits, frac) = ((bits >> 52) as i32, bits & ((1 << 52) - 1));
    let (m, e) = if exp_bits == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp_bits - 1075)
    };
    // Midpoints in units of 2^(e-2): above is 4m+2; below is 4m-2, or 4m-1 at a power of two.
    let below_gap = if frac == 0 && exp_bits > 1 { 1 } else { 2 };
    decimal_equals(sci, 4 * m + 2, e - 2) || decimal_equals(sci, 4 * m - below_gap, e - 2)
}

fn on_boundary32(sci: &str, value: f32) -> bool {
    let bits = value.abs().to_bits();
    let (exp_bits, frac) = ((bits >> 23) as i32, u64::from(bits & ((1 << 23) - 1)));
    let (m, e) = if exp_bits == 0 {
        (frac, -149)
    } else {
        (frac | (1 << 23), exp_bits - 150)
    };
    let below_gap = if frac == 0 && exp_bits > 1 { 1 } else { 2 };
    decimal_equals(sci, 4 * m + 2, e - 2) || decimal_equals(sci, 4 * m - below_gap, e - 2)
}

/// Whether the decimal `d.ddd e k` (sign ignored) equals `mantissa × 2^exp2`, exactly.
fn decimal_equals(sci: &str, mantissa: u64, exp2: i32) -> bool {
    let (digits_part, exp10) = sci.split_once('e').unwrap_or((sci, "0"));
    let Ok(exp10) = exp10.parse::<i32>() else {
        return false;
    };
    let digits: Vec<u32> = digits_part
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| u32::from(b - b'0'))
        .collect();
    // D × 10^k with D the integer of all digits and k = exp10 - (len - 1).
    let k = exp10 - (digits.len() as i32 - 1);
    let mut lhs = BigNat::from_digits(&digits);
    let mut rhs = BigNat::from_u64(mantissa);
    if k >= 0 {
        lhs.mul_pow5(k as u32);
    } else {
        rhs.mul_pow5((-k) as u32);
    }
    let shift = k - exp2;
    if shift >= 0 {
        lhs.shl(shift as u32);
    } else {
        rhs.shl((-shift) as u32);
    }
    lhs.normalized() == rhs.normalized()
}

/// Just enough unsigned big-integer arithmetic for `decimal_equals`: base 2^32 limbs,
/// little-endian.
struct BigNat(Vec<u32>);

impl BigNat {
    fn from_u64(value: u64) -> BigNat {
        BigNat(vec![value as u32, (value >> 32) as u32])
    }

    fn from_digits(digits: &[u32]) -> BigNat {
        let mut n = BigNat(vec![0]);
        for d in digits {
            n.mul_add(10, *d);
        }
        n
    }

    fn mul_add(&mut self, factor: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(factor) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow5(&mut self, n: u32) {
        for _ in 0..n {
            self.mul_add(5, 0);
        }
    }

    fn shl(&mut self, bits: u32) {
        let (limbs, bits) = ((bits / 32) as usize, bits % 32);
        if bits > 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let v = (u64::from(*limb) << bits) | u64::from(carry);
                *limb = v as u32;
                carry = (v >> 32) as u32;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn normalized(mut self) -> Vec<u32> {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self.0
    }
}

/// Lays out shortest digits as PostgreSQL prints them.
fn layout(value: f64, sci: String, fixed_below: i32) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value < 0.0 { "-Infinity" } else { "Infinity" }.into();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.into();
    }
    // `{:e}` is Rust's shortest round-trip form: `-d.ddde-7`.
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let neg = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::with_capacity(digits.len() + 8);
    if neg {
        out.push('-');
    }
    if (-4..fixed_below).contains(&exponent) {
        let point = exponent + 1;
        if point <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-point) as usize));
            out.push_str(&digits);
        } else if point as usize >= digits.len() {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
        } else {
            out.push_str(&digits[..point as usize]);
            out.push('.');
            out.push_str(&digits[point as usize..]);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push_str(&format!(
            "e{}{:02}",
            if exponent < 0 { '-' } else { '+' },
            exponent.abs()
        ));
    }
    out
}

/// PostgreSQL's `float8in`.
pub fn float8_in(text: &str) -> Result<f64> {
    let value = match special_or_decimal(text, "double precision")? {
        Ok(value) => value,
        Err(decimal) => decimal
            .parse::<f64>()
            .map_err(|_| syntax(text, "double precision"))?,
    };
    check_range(text, "double precision", value.is_infinite(), value == 0.0)?;
    Ok(value)
}

/// PostgreSQL's `float4in`.
pub fn float4_in(text: &str) -> Result<f32> {
    let value = match special_or_decimal(text, "real")? {
        Ok(value) => value as f32,
        Err(decimal) => decimal.parse::<f32>().map_err(|_| syntax(text, "real"))?,
    };
    check_range(text, "real", value.is_infinite(), value == 0.0)?;
    Ok(value)
}

/// A special value (NaN, infinities) or the trimmed decimal text still to be read.
fn special_or_decimal<'a>(
    text: &'a str,
    type_name: &str,
) -> Result<std::result::Result<f64, &'a str>> {
    let trimmed = text.trim_matches(|c: char| c.is_ascii() && is_space(c as u8));
    let lower = trimmed.to_ascii_lowercase();
    match lower.as_str() {
        "nan" | "+nan" | "-nan" => return Ok(Ok(f64::NAN)),
        "infinity" | "+infinity" | "inf" | "+inf" => return Ok(Ok(f64::INFINITY)),
        "-infinity" | "-inf" => return Ok(Ok(f64::NEG_INFINITY)),
        _ => {}
    }
    // Rust also reads "inf"/"nan" spellings; those were handled above, so allow only strtod's
    // decimal syntax here.
    if trimmed.is_empty()
        || !trimmed
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
    {
        return Err(syntax(text, type_name));
    }
    Ok(Err(trimmed))
}

/// Overflow to infinity and underflow of a nonzero literal to zero are out of range.
fn check_range(text: &str, type_name: &str, overflow: bool, zero: bool) -> Result<()> {
    let trimmed = text.trim_matches(|c: char| c.is_ascii() && is_space(c as u8));
    let lower = trimmed.to_ascii_lowercase();
    if lower.contains("inf") {
        return Ok(());
    }
    let mantissa = trimmed.split(['e', 'E']).next().unwrap_or("");
    let underflow = zero && mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b));
    if overflow || underflow {
        return Err(Error::new(
            Condition::NumericValueOutOfRange,
            format!("\"{text}\" is out of range for type {type_name}"),
        ));
    }
    Ok(())
}

fn syntax(text: &str, type_name: &str) -> Error {
    Error::new(
        Condition::InvalidTextRepresentation,
        format!("invalid input syntax for type {type_name}: \"{text}\""),
    )
}
