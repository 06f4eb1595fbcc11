//! Decimal text arithmetic for the number formats: just what `to_char(numeric)` and
//! `to_number` need (parse, round half away from zero, shift by powers of ten, scientific
//! notation), on PostgreSQL's `numeric` text form, so this crate needs no numeric type.
//!
//! Invariants:
//! - Exact: digits are kept as text, never as floats; results print as `numeric_out` does.

use crate::{Condition, Error, Result};

/// A finite decimal: sign, digits and the position of the decimal point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dec {
    pub neg: bool,
    /// Integer digits, no leading zeros ("" for zero).
    pub int: String,
    /// Fraction digits, exactly the display scale.
    pub frac: String,
}

/// A `numeric` value: finite, NaN or an infinity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NumVal {
    Finite(Dec),
    NaN,
    Inf(bool),
}

fn invalid(text: &str) -> Error {
    Error::new(
        Condition::InvalidTextRepresentation,
        format!("invalid input syntax for type numeric: \"{text}\""),
    )
}

/// Parses `numeric_in` syntax: spaces, sign, digits with one point, optional exponent.
pub(crate) fn parse(text: &str) -> Result<NumVal> {
    let t = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let lower = t.to_ascii_lowercase();
    match lower.as_str() {
        "nan" => return Ok(NumVal::NaN),
        "infinity" | "+infinity" | "inf" | "+inf" => return Ok(NumVal::Inf(false)),
        "-infinity" | "-inf" => return Ok(NumVal::Inf(true)),
        _ => {}
    }
    let b = t.as_bytes();
    let mut i = 0;
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    let mut int = String::new();
    let mut frac = String::new();
    let mut seen_point = false;
    let mut any = false;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            any = true;
            if seen_point {
                frac.push(c as char);
            } else {
                int.push(c as char);
            }
        } else if c == b'.' && !seen_point {
            seen_point = true;
        } else {
            break;
        }
        i += 1;
    }
    if !any {
        return Err(invalid(text));
    }
    let mut exp: i64 = 0;
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let rest = &t[i + 1..];
        let digits_start = usize::from(rest.starts_with(['+', '-']));
        let n = rest[digits_start..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        if n == 0 {
            return Err(invalid(text));
        }
        exp = rest[..digits_start + n]
            .parse::<i64>()
            .map_err(|_| invalid(text))?;
        if exp.abs() > 1000 {
            return Err(invalid(text));
        }
        i += 1 + digits_start + n;
    }
    if i != b.len() {
        return Err(invalid(text));
    }
    let mut d = Dec { neg, int, frac };
    d = d.shift(exp);
    Ok(NumVal::Finite(d.normalized()))
}

impl Dec {
    /// Zero with the given scale.
    pub(crate) fn zero(scale: usize) -> Dec {
        Dec {
            neg: false,
            int: String::new(),
            frac: "0".repeat(scale),
        }
    }

    fn normalized(mut self) -> Dec {
        let trimmed = self.int.trim_start_matches('0').to_string();
        self.int = trimmed;
        if self.is_zero() {
            self.neg = false;
        }
        self
    }

    /// Whether every digit is zero.
    pub(crate) fn is_zero(&self) -> bool {
        self.int.bytes().all(|c| c == b'0') && self.frac.bytes().all(|c| c == b'0')
    }

    /// Multiplies by `10^n`, keeping the digits (the scale moves with the point).
    pub(crate) fn shift(&self, n: i64) -> Dec {
        let mut digits = format!("{}{}", self.int, self.frac);
        let mut point = self.int.len() as i64 + n;
        if point < 0 {
            digits = format!("{}{digits}", "0".repeat((-point) as usize));
            point = 0;
        }
        if point as usize > digits.len() {
            digits.push_str(&"0".repeat(point as usize - digits.len()));
        }
        let (int, frac) = digits.split_at(point as usize);
        Dec {
            neg: self.neg,
            int: int.to_string(),
            frac: frac.to_string(),
        }
        .normalized()
    }

    /// `round_var`: rounds half away from zero to `scale` fraction digits (negative scales
    /// round integer digits); the result shows `max(scale, 0)` fraction digits.
    pub(crate) fn round(&self, scale: i64) -> Dec {
        let keep_frac = scale.max(0) as usize;
        let mut digits: Vec<u8> = format!("{}{}", self.int, self.frac).into_bytes();
        let point = self.int.len() as i64;
        let cut = point + scale;
        if cut < 0 {
            return Dec::zero(keep_frac);
        }
        let cut = cut as usize;
        if cut >= digits.len() {
            let mut frac = self.frac.clone();
            while frac.len() < keep_frac {
                frac.push('0');
            }
            return Dec {
                neg: self.neg,
                int: self.int.clone(),
                frac,
            }
            .normalized();
        }
        let round_up = digits[cut] >= b'5';
        digits.truncate(cut);
        let mut int_len = self.int.len();
        if round_up {
            let mut i = digits.len();
            loop {
                if i == 0 {
                    digits.insert(0, b'1');
                    int_len += 1;
                    break;
                }
                i -= 1;
                if digits[i] == b'9' {
                    digits[i] = b'0';
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
        // Zero-fill dropped integer digits (negative scale) back to the point.
        while digits.len() < int_len {
            digits.push(b'0');
        }
        let text = String::from_utf8(digits).unwrap_or_default();
        let (int, frac) = text.split_at(int_len.min(text.len()));
        let mut frac = frac.to_string();
        while frac.len() < keep_frac {
            frac.push('0');
        }
        frac.truncate(keep_frac);
        Dec {
            neg: self.neg,
            int: int.to_string(),
            frac,
        }
        .normalized()
    }

    /// `numeric_out` text.
    pub(crate) fn to_text(&self) -> String {
        let int = if self.int.is_empty() { "0" } else { &self.int };
        let sign = if self.neg { "-" } else { "" };
        if self.frac.is_empty() {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{}", self.frac)
        }
    }

    /// Count of integer digits ignoring leading zeros (0 for a value below one).
    pub(crate) fn int_digits(&self) -> usize {
        self.int.len()
    }

    /// `get_str_from_var_sci`: `d.ddde+XX` with `rscale` significand digits.
    pub(crate) fn sci(&self, rscale: i64) -> String {
        let rscale = rscale.max(0);
        let digits = format!("{}{}", self.int, self.frac);
        let exponent = match digits.bytes().position(|c| c != b'0') {
            Some(first) => self.int.len() as i64 - first as i64 - 1,
            None => 0,
        };
        let sig = self.shift(-exponent).round(rscale);
        format!(
            "{}e{}{:02}",
            sig.to_text(),
            if exponent < 0 { '-' } else { '+' },
            exponent.abs()
        )
    }
}
