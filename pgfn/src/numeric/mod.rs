//! PostgreSQL's `numeric`: an exact decimal with a display scale, plus NaN and ±Infinity.
//!
//! Invariants:
//! - A finite value is stored stripped (see `var::Var`), its weight fits PostgreSQL's int16
//!   and its display scale PostgreSQL's 14 bits; anything else is the error
//!   "value overflows numeric format", as PostgreSQL's `make_result` raises it.
//! - Equality, ordering and hashing ignore the display scale (`1.0 = 1`): NaN equals NaN and
//!   sorts above +Infinity, as PostgreSQL's btree and hash opclasses do.

mod convert;
mod display;
mod ops;
mod parse;
#[cfg(test)]
mod tests;
mod typmod;
mod var;

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use crate::{Condition, Error, Result};
pub(crate) use parse::is_space;
pub use typmod::check_typmod;
use var::Var;

/// Largest display scale PostgreSQL can store (`NUMERIC_DSCALE_MAX`).
const DSCALE_MAX: i32 = 0x3FFF;

/// A `numeric` value.
#[derive(Clone, Debug)]
pub struct Numeric {
    repr: Repr,
}

#[derive(Clone, Debug)]
enum Repr {
    NaN,
    PosInf,
    NegInf,
    Finite(Var),
}

impl Numeric {
    /// `NaN`.
    pub fn nan() -> Numeric {
        Numeric { repr: Repr::NaN }
    }

    /// `Infinity` or `-Infinity`.
    pub fn infinity(negative: bool) -> Numeric {
        Numeric {
            repr: if negative { Repr::NegInf } else { Repr::PosInf },
        }
    }

    /// Zero with no decimals.
    pub fn zero() -> Numeric {
        Numeric {
            repr: Repr::Finite(Var::zero(0)),
        }
    }

    /// Whether this is `NaN`.
    pub fn is_nan(&self) -> bool {
        matches!(self.repr, Repr::NaN)
    }

    /// Whether this is `Infinity` or `-Infinity`.
    pub fn is_infinite(&self) -> bool {
        matches!(self.repr, Repr::PosInf | Repr::NegInf)
    }

    /// Whether this is neither NaN nor infinite.
    pub fn is_finite(&self) -> bool {
        matches!(self.repr, Repr::Finite(_))
    }

    /// Whether this is a finite zero (of any scale).
    pub fn is_zero(&self) -> bool {
        matches!(&self.repr, Repr::Finite(v) if v.is_zero())
    }

    /// The display scale (digits shown after the point); 0 for NaN and infinities.
    pub fn scale(&self) -> i32 {
        match &self.repr {
            Repr::Finite(v) => v.dscale,
            _ => 0,
        }
    }

    /// -1, 0 or 1 for a finite or infinite value; NaN for NaN (PostgreSQL's `sign()`).
    pub fn sign(&self) -> Numeric {
        match &self.repr {
            Repr::NaN => Numeric::nan(),
            Repr::PosInf => Numeric::from(1i64),
            Repr::NegInf => Numeric::from(-1i64),
            Repr::Finite(v) if v.is_zero() => Numeric::zero(),
            Repr::Finite(v) => Numeric::from(if v.neg { -1i64 } else { 1 }),
        }
    }

    /// Whether the value is an integer (no nonzero fraction digits); false for NaN/infinity.
    pub fn is_integral(&self) -> bool {
        match &self.repr {
            Repr::Finite(v) => v.digits.len() as i32 <= v.weight + 1,
            _ => false,
        }
    }

    /// The bytes PostgreSQL's in-memory `numeric` datum takes (varlena header included): what
    /// a number occupies inside a jsonb value, which the jsonpath `.keyvalue()` ids count.
    pub(crate) fn datum_size(&self) -> usize {
        match &self.repr {
            Repr::Finite(v) => {
                let short = v.dscale <= 63 && (-64..=63).contains(&v.weight);
                (if short { 6 } else { 8 }) + 2 * v.digits.len()
            }
            _ => 6,
        }
    }

    fn finite(var: Var) -> Result<Numeric> {
        let mut var = var;
        var.strip();
        if var.weight > i32::from(i16::MAX)
            || var.weight < i32::from(i16::MIN)
            || var.dscale > DSCALE_MAX
            || var.dscale < 0
        {
            return Err(Error::new(
                Condition::NumericValueOutOfRange,
                "value overflows numeric format",
            ));
        }
        Ok(Numeric {
            repr: Repr::Finite(var),
        })
    }
}

impl PartialEq for Numeric {
    fn eq(&self, other: &Numeric) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Numeric {}

impl PartialOrd for Numeric {
    fn partial_cmp(&self, other: &Numeric) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Numeric {
    /// PostgreSQL's `cmp_numerics`: -Infinity < finite < Infinity < NaN, NaN = NaN.
    fn cmp(&self, other: &Numeric) -> Ordering {
        fn rank(repr: &Repr) -> u8 {
            match repr {
                Repr::NegInf => 0,
                Repr::Finite(_) => 1,
                Repr::PosInf => 2,
                Repr::NaN => 3,
            }
        }
        match (&self.repr, &other.repr) {
            (Repr::Finite(a), Repr::Finite(b)) => var::cmp(a, b),
            (a, b) => rank(a).cmp(&rank(b)),
        }
    }
}

impl Hash for Numeric {
    /// Hashes the stripped digits and weight, never the scale, so `1.0` and `1` hash alike.
    fn hash<H: Hasher>(&self, state: &mut H) {
        match &self.repr {
            Repr::NaN => state.write_u8(3),
            Repr::PosInf => state.write_u8(2),
            Repr::NegInf => state.write_u8(0),
            Repr::Finite(v) => {
                state.write_u8(1);
                state.write_u8(u8::from(v.neg));
                state.write_i32(v.weight);
                for d in &v.digits {
                    state.write_i32(*d);
                }
            }
        }
    }
}

impl From<i64> for Numeric {
    fn from(value: i64) -> Numeric {
        Numeric {
            repr: Repr::Finite(Var::from_i128(i128::from(value))),
        }
    }
}

impl From<i32> for Numeric {
    fn from(value: i32) -> Numeric {
        Numeric::from(i64::from(value))
    }
}
