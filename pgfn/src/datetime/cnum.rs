//! C library number parsing as PostgreSQL's date/time and formatting code calls it: `strtol`,
//! `strtoint` (`strtol` narrowed to `int`), `atoi` and `strtod`, each reporting where parsing
//! stopped, so callers keep PostgreSQL's exact acceptance of trailing text.
//!
//! Invariants:
//! - Accepts what glibc accepts in the C locale: leading white space, a sign, decimal digits;
//!   `strtod` also takes exponents, `inf`/`infinity`/`nan` and hexadecimal floats.
//! - Results are correctly rounded (as glibc's are); overflow is reported, never a panic.

use super::lex::is_space;

/// The outcome of `strtol`: the value (saturated), the unparsed rest, and whether it overflowed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parsed<'a, T> {
    pub value: T,
    pub rest: &'a str,
    pub overflow: bool,
    /// Whether any digits were consumed (`endptr != str`).
    pub any: bool,
}

/// `strtol(s, &end, 10)` with a 64-bit `long`.
pub(crate) fn strtol(s: &str) -> Parsed<'_, i64> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    let start = i;
    let mut acc: i128 = 0;
    let mut overflow = false;
    while i < b.len() && b[i].is_ascii_digit() {
        if !overflow {
            acc = acc * 10 + i128::from(b[i] - b'0');
            if acc > i128::from(i64::MAX) + 1 {
                overflow = true;
            }
        }
        i += 1;
    }
    if i == start {
        return Parsed {
            value: 0,
            rest: s,
            overflow: false,
            any: false,
        };
    }
    let signed = if neg { -acc } else { acc };
    let value = if overflow || signed > i128::from(i64::MAX) || signed < i128::from(i64::MIN) {
        overflow = true;
        if neg { i64::MIN } else { i64::MAX }
    } else {
        signed as i64
    };
    Parsed {
        value,
        rest: &s[i..],
        overflow,
        any: true,
    }
}

/// PostgreSQL's `strtoint`: `strtol` narrowed to `int`, out-of-range reported as overflow.
pub(crate) fn strtoint(s: &str) -> Parsed<'_, i32> {
    let p = strtol(s);
    let narrowed = p.value as i32;
    Parsed {
        value: narrowed,
        rest: p.rest,
        overflow: p.overflow || i64::from(narrowed) != p.value,
        any: p.any,
    }
}

/// `atoi`: `(int) strtol(s, NULL, 10)`, silently truncating.
pub(crate) fn atoi(s: &str) -> i32 {
    strtol(s).value as i32
}

/// `strtod(s, &end)`: the value, the rest, and whether it over- or underflowed (`ERANGE`).
pub(crate) fn strtod(s: &str) -> (f64, &str, bool) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    let num_start = i;
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    let lower = s[i..].to_ascii_lowercase();
    let sign = if neg { -1.0 } else { 1.0 };
    if lower.starts_with("infinity") {
        return (sign * f64::INFINITY, &s[i + 8..], false);
    }
    if lower.starts_with("inf") {
        return (sign * f64::INFINITY, &s[i + 3..], false);
    }
    if lower.starts_with("nan") {
        let mut end = i + 3;
        if b.get(end) == Some(&b'(') {
            let mut j = end + 1;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            if b.get(j) == Some(&b')') {
                end = j + 1;
            }
        }
        return (f64::NAN, &s[end..], false);
    }
    if lower.starts_with("0x")
        && let Some((v, len)) = hex_float(&b[i + 2..])
    {
        return (sign * v, &s[i + 2 + len..], v.is_infinite());
    }
    let mut n_digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        n_digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            n_digits += 1;
        }
    }
    if n_digits == 0 {
        return (0.0, s, false);
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    let text = &s[num_start..i];
    let v: f64 = text.parse().unwrap_or(0.0);
    let range = v.is_infinite() || (v == 0.0 && has_nonzero_digit(text));
    (v, &s[i..], range)
}

fn has_nonzero_digit(text: &str) -> bool {
    let mantissa = text.split(['e', 'E']).next().unwrap_or("");
    mantissa.bytes().any(|c| (b'1'..=b'9').contains(&c))
}

/// A hexadecimal float body after `0x`: value and bytes consumed.
fn hex_float(b: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    let mut mant: f64 = 0.0;
    let mut exp: i64 = 0;
    let mut any = false;
    while i < b.len() && b[i].is_ascii_hexdigit() {
        mant = mant * 16.0 + f64::from((b[i] as char).to_digit(16)?);
        any = true;
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_hexdigit() {
            mant = mant * 16.0 + f64::from((b[i] as char).to_digit(16)?);
            exp -= 4;
            any = true;
            i += 1;
        }
    }
    if !any {
        return None;
    }
    if i < b.len() && (b[i] == b'p' || b[i] == b'P') {
        let mut j = i + 1;
        let neg = b.get(j) == Some(&b'-');
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let start = j;
        let mut e: i64 = 0;
        while j < b.len() && b[j].is_ascii_digit() {
            e = (e * 10 + i64::from(b[j] - b'0')).min(100_000);
            j += 1;
        }
        if j > start {
            exp += if neg { -e } else { e };
            i = j;
        }
    }
    let e = exp.clamp(-2000, 2000) as i32;
    Some((mant * 2f64.powi(e), i))
}
