//! `numeric` arithmetic with PostgreSQL's result scales and its NaN/Infinity rules:
//! `+ - * / %`, `div`, unary minus, `abs`, `round`, `trunc`, `ceil`, `floor`.
//!
//! Invariants:
//! - Sum and difference keep the larger input scale; a product the sum of the scales (rounded
//!   at 16383); a quotient the scale of PostgreSQL's `select_div_scale`; a remainder the larger
//!   input scale. Division by a finite zero is `division_by_zero` whatever the dividend.

use super::var::{self, DEC_DIGITS, Var};
use super::{DSCALE_MAX, Numeric, Repr};
use crate::{Condition, Error, Result};

/// PostgreSQL's `NUMERIC_MIN_SIG_DIGITS`.
const MIN_SIG_DIGITS: i32 = 16;
/// PostgreSQL's `NUMERIC_MAX_DISPLAY_SCALE`.
const MAX_DISPLAY_SCALE: i32 = 1000;
/// `NUMERIC_WEIGHT_MAX`: the largest base-10000 weight.
const WEIGHT_MAX: i32 = i16::MAX as i32;

impl Numeric {
    /// `self + other`.
    pub fn add(&self, other: &Numeric) -> Result<Numeric> {
        match (&self.repr, &other.repr) {
            (Repr::Finite(a), Repr::Finite(b)) => Numeric::finite(var::add(a, b)),
            (Repr::NaN, _) | (_, Repr::NaN) => Ok(Numeric::nan()),
            (Repr::PosInf, Repr::NegInf) | (Repr::NegInf, Repr::PosInf) => Ok(Numeric::nan()),
            (Repr::PosInf, _) | (_, Repr::PosInf) => Ok(Numeric::infinity(false)),
            (Repr::NegInf, _) | (_, Repr::NegInf) => Ok(Numeric::infinity(true)),
        }
    }

    /// `self - other`.
    pub fn sub(&self, other: &Numeric) -> Result<Numeric> {
        self.add(&other.neg())
    }

    /// `self * other`.
    pub fn mul(&self, other: &Numeric) -> Result<Numeric> {
        match (&self.repr, &other.repr) {
            (Repr::Finite(a), Repr::Finite(b)) => {
                let mut res = var::mul(a, b, a.dscale + b.dscale);
                if res.dscale > DSCALE_MAX {
                    var::round(&mut res, DSCALE_MAX);
                }
                Numeric::finite(res)
            }
            (Repr::NaN, _) | (_, Repr::NaN) => Ok(Numeric::nan()),
            _ => Ok(match sign_of(self) * sign_of(other) {
                0 => Numeric::nan(),
                s => Numeric::infinity(s < 0),
            }),
        }
    }

    /// `self / other`.
    pub fn div(&self, other: &Numeric) -> Result<Numeric> {
        match (&self.repr, &other.repr) {
            (Repr::Finite(a), Repr::Finite(b)) => {
                if b.is_zero() {
                    return Err(division_by_zero());
                }
                let rscale = select_div_scale(a, b);
                Numeric::finite(var::div(a, b, rscale, true))
            }
            _ => self.div_special(other),
        }
    }

    /// PostgreSQL's `div(a, b)`: the quotient truncated toward zero to an integer.
    pub fn div_trunc(&self, other: &Numeric) -> Result<Numeric> {
        match (&self.repr, &other.repr) {
            (Repr::Finite(a), Repr::Finite(b)) => {
                if b.is_zero() {
                    return Err(division_by_zero());
                }
                Numeric::finite(var::div(a, b, 0, false))
            }
            _ => self.div_special(other),
        }
    }

    fn div_special(&self, other: &Numeric) -> Result<Numeric> {
        match (&self.repr, &other.repr) {
            (Repr::NaN, _) | (_, Repr::NaN) => Ok(Numeric::nan()),
            (Repr::PosInf | Repr::NegInf, Repr::PosInf | Repr::NegInf) => Ok(Numeric::nan()),
            (Repr::PosInf | Repr::NegInf, Repr::Finite(b)) => {
                if b.is_zero() {
                    return Err(division_by_zero());
                }
                Ok(Numeric::infinity((sign_of(self) * sign_of(other)) < 0))
            }
            // A finite value over an infinity: PostgreSQL answers zero.
            _ => Ok(Numeric::zero()),
        }
    }

    /// `self % other`: the remainder of truncated division, with the dividend's sign.
    pub fn rem(&self, other: &Numeric) -> Result<Numeric> {
        match (&self.repr, &other.repr) {
            (Repr::Finite(a), Repr::Finite(b)) => {
                if b.is_zero() {
                    return Err(division_by_zero());
                }
                let quotient = var::div(a, b, 0, false);
                let product = var::mul(b, &quotient, b.dscale);
                Numeric::finite(var::sub(a, &product))
            }
            (Repr::NaN, _) | (_, Repr::NaN) => Ok(Numeric::nan()),
            (Repr::PosInf | Repr::NegInf, _) => {
                if other.is_zero() {
                    return Err(division_by_zero());
                }
                Ok(Numeric::nan())
            }
            (Repr::Finite(_), _) => Ok(self.clone()),
        }
    }

    /// `-self`.
    pub fn neg(&self) -> Numeric {
        match &self.repr {
            Repr::NaN => Numeric::nan(),
            Repr::PosInf => Numeric::infinity(true),
            Repr::NegInf => Numeric::infinity(false),
            Repr::Finite(v) => {
                let mut v = v.clone();
                v.neg = !v.neg && !v.is_zero();
                Numeric {
                    repr: Repr::Finite(v),
                }
            }
        }
    }

    /// `abs(self)`.
    pub fn abs(&self) -> Numeric {
        match &self.repr {
            Repr::NegInf => Numeric::infinity(false),
            Repr::Finite(v) if v.neg => self.neg(),
            _ => self.clone(),
        }
    }

    /// `round(self, scale)`: half away from zero; a negative scale rounds left of the point.
    pub fn round(&self, scale: i32) -> Result<Numeric> {
        let Repr::Finite(v) = &self.repr else {
            return Ok(self.clone());
        };
        let scale = scale.clamp(-(WEIGHT_MAX + 1) * DEC_DIGITS - 1, DSCALE_MAX);
        let mut v = v.clone();
        var::round(&mut v, scale);
        v.dscale = v.dscale.max(0);
        Numeric::finite(v)
    }

    /// `trunc(self, scale)`: toward zero; a negative scale truncates left of the point.
    pub fn trunc(&self, scale: i32) -> Result<Numeric> {
        let Repr::Finite(v) = &self.repr else {
            return Ok(self.clone());
        };
        let scale = scale.clamp(-(WEIGHT_MAX + 1) * DEC_DIGITS, DSCALE_MAX);
        let mut v = v.clone();
        var::trunc(&mut v, scale);
        v.dscale = v.dscale.max(0);
        Numeric::finite(v)
    }

    /// `ceil(self)`.
    pub fn ceil(&self) -> Result<Numeric> {
        self.to_integer(false)
    }

    /// `floor(self)`.
    pub fn floor(&self) -> Result<Numeric> {
        self.to_integer(true)
    }

    fn to_integer(&self, down: bool) -> Result<Numeric> {
        let Repr::Finite(v) = &self.repr else {
            return Ok(self.clone());
        };
        let mut t = v.clone();
        var::trunc(&mut t, 0);
        if v.neg == down && var::cmp(v, &t) != std::cmp::Ordering::Equal {
            let one = Var::from_i128(if down { -1 } else { 1 });
            t = var::add(&t, &one);
        }
        Numeric::finite(t)
    }
}

fn sign_of(n: &Numeric) -> i32 {
    match &n.repr {
        Repr::PosInf => 1,
        Repr::NegInf => -1,
        Repr::Finite(v) if v.is_zero() => 0,
        Repr::Finite(v) => {
            if v.neg {
                -1
            } else {
                1
            }
        }
        Repr::NaN => 0,
    }
}

/// PostgreSQL's `select_div_scale`: at least 16 significant digits, never fewer decimals
/// than either input shows, at most 1000.
fn select_div_scale(a: &Var, b: &Var) -> i32 {
    let first = |v: &Var| -> (i32, i32) {
        match v.digits.first() {
            Some(d) => (v.weight, *d),
            None => (0, 0),
        }
    };
    let (weight1, first1) = first(a);
    let (weight2, first2) = first(b);
    let mut qweight = weight1 - weight2;
    if first1 <= first2 {
        qweight -= 1;
    }
    let rscale = MIN_SIG_DIGITS - qweight * DEC_DIGITS;
    rscale
        .max(a.dscale)
        .max(b.dscale)
        .clamp(0, MAX_DISPLAY_SCALE)
}

fn division_by_zero() -> Error {
    Error::new(Condition::DivisionByZero, "division by zero")
}
