//! The exact `numeric` results of `extract` (PostgreSQL 15 returns numeric with a fixed
//! scale): an unscaled integer and a display scale, or an infinity, printed as `numeric_out`.
//!
//! Invariants:
//! - `to_string()` is PostgreSQL's `numeric_out` text for the value (`-1.500000`, `Infinity`),
//!   so the server can hand it to its `numeric` type unchanged.

use std::fmt;

/// A `numeric` value produced by `extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decimal {
    /// `unscaled / 10^scale`, shown with exactly `scale` fraction digits.
    Finite { unscaled: i128, scale: u32 },
    /// `Infinity`.
    Infinity,
    /// `-Infinity`.
    NegInfinity,
}

impl Decimal {
    /// An integer (scale 0).
    pub fn int(v: i64) -> Decimal {
        Decimal::Finite {
            unscaled: i128::from(v),
            scale: 0,
        }
    }

    /// `int64_div_fast_to_numeric`: `v / 10^scale` with display scale `scale`.
    pub fn scaled(v: i64, scale: u32) -> Decimal {
        Decimal::Finite {
            unscaled: i128::from(v),
            scale,
        }
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Decimal::Infinity => f.write_str("Infinity"),
            Decimal::NegInfinity => f.write_str("-Infinity"),
            Decimal::Finite { unscaled, scale } => {
                let digits = unscaled.unsigned_abs().to_string();
                let scale = scale as usize;
                let sign = if unscaled < 0 { "-" } else { "" };
                if scale == 0 {
                    return write!(f, "{sign}{digits}");
                }
                let padded = if digits.len() <= scale {
                    format!("{}{digits}", "0".repeat(scale + 1 - digits.len()))
                } else {
                    digits
                };
                let (int, frac) = padded.split_at(padded.len() - scale);
                write!(f, "{sign}{int}.{frac}")
            }
        }
    }
}

/// `numeric_div` of two non-negative integers with PostgreSQL's result scale
/// (`select_div_scale`: at least 16 significant digits), rounded half away from zero.
pub(crate) fn div_select_scale(num: u128, den: u128) -> Decimal {
    let (w1, f1) = base10000_lead(num);
    let (w2, f2) = base10000_lead(den);
    let mut qweight = w1 - w2;
    if f1 <= f2 {
        qweight -= 1;
    }
    let rscale = (16 - qweight * 4).clamp(0, 1000) as u32;
    let int_part = num / den;
    let mut rem = num % den;
    let mut frac: u128 = 0;
    for _ in 0..rscale {
        rem *= 10;
        frac = frac * 10 + rem / den;
        rem %= den;
    }
    let mut unscaled = int_part * 10u128.pow(rscale) + frac;
    if rem * 2 >= den {
        unscaled += 1;
    }
    Decimal::Finite {
        unscaled: unscaled as i128,
        scale: rscale,
    }
}

/// Weight and first digit of a number in base 10000 (0 for zero), as PostgreSQL counts them.
fn base10000_lead(v: u128) -> (i32, u128) {
    if v == 0 {
        return (0, 0);
    }
    let mut weight = 0;
    let mut lead = v;
    while lead >= 10000 {
        lead /= 10000;
        weight += 1;
    }
    (weight, lead)
}

/// `numeric_round(numeric_div(num, den), scale)` for a non-negative `num`, as PostgreSQL
/// computes an epoch too large for `int64` microseconds.
pub(crate) fn div_round(num: u128, den: u128, scale: u32) -> Decimal {
    let Decimal::Finite {
        unscaled,
        scale: rscale,
    } = div_select_scale(num, den)
    else {
        return Decimal::Infinity;
    };
    let unscaled = if rscale <= scale {
        unscaled * 10i128.pow(scale - rscale)
    } else {
        let div = 10i128.pow(rscale - scale);
        let (q, r) = (unscaled / div, unscaled % div);
        if r * 2 >= div { q + 1 } else { q }
    };
    Decimal::Finite { unscaled, scale }
}

/// `a + b` for an integer and a finite decimal (scale of `b`).
pub(crate) fn add_int(a: i64, b: Decimal) -> Decimal {
    match b {
        Decimal::Finite { unscaled, scale } => Decimal::Finite {
            unscaled: i128::from(a) * 10i128.pow(scale) + unscaled,
            scale,
        },
        other => other,
    }
}
