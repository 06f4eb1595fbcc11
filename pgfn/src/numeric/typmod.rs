//! `numeric(precision, scale)`: PostgreSQL's type modifier check (`numerictypmodin`) and
//! the rounding and overflow check of a value stored into such a column or cast
//! (`apply_typmod`).
//!
//! Invariants:
//! - The value is rounded to `scale` first, then checked: at most `precision - scale`
//!   digits before the point, else "numeric field overflow" with PostgreSQL's detail.
//! - NaN fits any modifier; an infinity fits none.

use super::var::{self, DEC_DIGITS};
use super::{Numeric, Repr};
use crate::{Condition, Error, Result};

/// PostgreSQL's `NUMERIC_MAX_PRECISION`.
const MAX_PRECISION: i32 = 1000;
/// PostgreSQL's `NUMERIC_MIN_SCALE` and `NUMERIC_MAX_SCALE`.
const MIN_SCALE: i32 = -1000;
const MAX_SCALE: i32 = 1000;

/// Checks a `numeric(precision[, scale])` modifier as PostgreSQL's `numerictypmodin`.
pub fn check_typmod(precision: i32, scale: Option<i32>) -> Result<()> {
    if !(1..=MAX_PRECISION).contains(&precision) {
        return Err(Error::new(
            Condition::InvalidParameterValue,
            format!("NUMERIC precision {precision} must be between 1 and {MAX_PRECISION}"),
        ));
    }
    if let Some(scale) = scale.filter(|s| !(MIN_SCALE..=MAX_SCALE).contains(s)) {
        return Err(Error::new(
            Condition::InvalidParameterValue,
            format!("NUMERIC scale {scale} must be between {MIN_SCALE} and {MAX_SCALE}"),
        ));
    }
    Ok(())
}

impl Numeric {
    /// `self::numeric(precision, scale)` (a checked modifier, see `check_typmod`).
    pub fn with_typmod(&self, precision: i32, scale: i32) -> Result<Numeric> {
        let v = match &self.repr {
            Repr::NaN => return Ok(self.clone()),
            Repr::PosInf | Repr::NegInf => {
                return Err(Error::new(Condition::NumericValueOutOfRange, "numeric field overflow").with_detail(
                    format!("A field with precision {precision}, scale {scale} cannot hold an infinite value."),
                ));
            }
            Repr::Finite(v) => v,
        };
        let maxdigits = precision - scale;
        let mut v = v.clone();
        var::round(&mut v, scale);
        v.dscale = v.dscale.max(0);
        if let Some(first) = v.digits.first() {
            let mut ddigits = (v.weight + 1) * DEC_DIGITS;
            ddigits -= match first {
                d if *d < 10 => 3,
                d if *d < 100 => 2,
                d if *d < 1000 => 1,
                _ => 0,
            };
            if ddigits > maxdigits {
                let bound = if maxdigits != 0 {
                    format!("10^{maxdigits}")
                } else {
                    "1".to_string()
                };
                return Err(Error::new(Condition::NumericValueOutOfRange, "numeric field overflow").with_detail(format!(
                    "A field with precision {precision}, scale {scale} must round to an absolute value less than {bound}."
                )));
            }
        }
        Numeric::finite(v)
    }
}
