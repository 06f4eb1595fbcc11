//! `numeric` output: PostgreSQL's `numeric_out`, every digit up to the display scale.
//!
//! Invariants:
//! - Never an exponent; exactly `dscale` digits after the point, none and no point at 0.

use std::fmt;

use super::var::{DEC_DIGITS, Var};
use super::{Numeric, Repr};

impl fmt::Display for Numeric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::NaN => f.write_str("NaN"),
            Repr::PosInf => f.write_str("Infinity"),
            Repr::NegInf => f.write_str("-Infinity"),
            Repr::Finite(var) => {
                let mut out = String::new();
                write_var(var, &mut out);
                f.write_str(&out)
            }
        }
    }
}

impl Numeric {
    /// Appends PostgreSQL's text form to `out` (the jsonb printer's allocation-free path).
    pub fn write_to(&self, out: &mut String) {
        match &self.repr {
            Repr::NaN => out.push_str("NaN"),
            Repr::PosInf => out.push_str("Infinity"),
            Repr::NegInf => out.push_str("-Infinity"),
            Repr::Finite(var) => write_var(var, out),
        }
    }
}

/// PostgreSQL's `get_str_from_var`.
fn write_var(var: &Var, out: &mut String) {
    if var.neg {
        out.push('-');
    }
    let digit_at = |d: i32| -> i32 {
        if d >= 0 && (d as usize) < var.digits.len() {
            var.digits[d as usize]
        } else {
            0
        }
    };
    let mut d: i32;
    if var.weight < 0 {
        d = var.weight + 1;
        out.push('0');
    } else {
        d = 0;
        while d <= var.weight {
            let dig = digit_at(d);
            if d == 0 {
                // Suppress the first digit's leading zeroes.
                let mut started = false;
                for divisor in [1000, 100, 10, 1] {
                    let digit = dig / divisor % 10;
                    started |= digit > 0 || divisor == 1;
                    if started {
                        out.push(char::from(b'0' + digit as u8));
                    }
                }
            } else {
                push4(out, dig);
            }
            d += 1;
        }
    }
    if var.dscale > 0 {
        out.push('.');
        let end = out.len() + var.dscale as usize;
        let mut i = 0;
        while i < var.dscale {
            push4(out, digit_at(d));
            d += 1;
            i += DEC_DIGITS;
        }
        out.truncate(end);
    }
}

fn push4(out: &mut String, dig: i32) {
    let bytes = [
        b'0' + (dig / 1000) as u8,
        b'0' + (dig / 100 % 10) as u8,
        b'0' + (dig / 10 % 10) as u8,
        b'0' + (dig % 10) as u8,
    ];
    out.push_str(std::str::from_utf8(&bytes).unwrap_or("0000"));
}
