//! C's `strtol` and PostgreSQL's `strtoint`, as PostgreSQL's text-to-number paths use them
//! (`numeric_in`'s exponent, jsonb path elements and array subscripts).
//!
//! Invariants:
//! - Leading C-locale whitespace and one sign are accepted, digits are required, and an
//!   overflow saturates (strtol) or fails (strtoint), as in C.

use crate::numeric::is_space;

/// `strtol(s + start, &end, 10)`: the value (saturated) and the end offset; `None` when no
/// digits follow.
pub(crate) fn strtol(bytes: &[u8], start: usize) -> Option<(i64, usize)> {
    let mut pos = start;
    while bytes.get(pos).is_some_and(|b| is_space(*b)) {
        pos += 1;
    }
    let mut neg = false;
    if let Some(&s @ (b'+' | b'-')) = bytes.get(pos) {
        neg = s == b'-';
        pos += 1;
    }
    let digits_start = pos;
    let mut value: i64 = 0;
    while let Some(&b) = bytes.get(pos) {
        if !b.is_ascii_digit() {
            break;
        }
        let digit = i64::from(b - b'0');
        value = if neg {
            value.saturating_mul(10).saturating_sub(digit)
        } else {
            value.saturating_mul(10).saturating_add(digit)
        };
        pos += 1;
    }
    if pos == digits_start {
        return None;
    }
    Some((value, pos))
}

/// PostgreSQL's `strtoint` used as "the whole text is an int4": `None` when there are no
/// digits, anything follows them, or the value is outside int4.
pub(crate) fn strtoint(text: &str) -> Option<i32> {
    let (value, end) = strtol(text.as_bytes(), 0)?;
    if end != text.len() {
        return None;
    }
    i32::try_from(value).ok()
}
