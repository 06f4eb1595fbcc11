//! Conversions between `numeric` and the integer and float types, as PostgreSQL's casts.
//!
//! Invariants:
//! - To an integer: round half away from zero, then range-check with PostgreSQL's message;
//!   NaN and infinities are `feature_not_supported`, as in PostgreSQL 15.
//! - From a float: PostgreSQL's `float8_numeric`, 15 significant digits (`%.15g`), 6 for float4.
//! - To float8: the correctly rounded value of the decimal text (PostgreSQL's `float8in`).

use super::var;
use super::{Numeric, Repr};
use crate::{Condition, Error, Result};

impl Numeric {
    /// `self::int8`.
    pub fn to_i64(&self) -> Result<i64> {
        self.to_int("bigint", i128::from(i64::MIN), i128::from(i64::MAX))
            .map(|v| v as i64)
    }

    /// `self::int4`.
    pub fn to_i32(&self) -> Result<i32> {
        self.to_int("integer", i128::from(i32::MIN), i128::from(i32::MAX))
            .map(|v| v as i32)
    }

    /// `self::int2`.
    pub fn to_i16(&self) -> Result<i16> {
        self.to_int("smallint", i128::from(i16::MIN), i128::from(i16::MAX))
            .map(|v| v as i16)
    }

    fn to_int(&self, type_name: &str, min: i128, max: i128) -> Result<i128> {
        let var = match &self.repr {
            Repr::NaN => {
                return Err(Error::new(
                    Condition::FeatureNotSupported,
                    format!("cannot convert NaN to {type_name}"),
                ));
            }
            Repr::PosInf | Repr::NegInf => {
                return Err(Error::new(
                    Condition::FeatureNotSupported,
                    format!("cannot convert infinity to {type_name}"),
                ));
            }
            Repr::Finite(v) => v,
        };
        let out_of_range = || {
            Error::new(
                Condition::NumericValueOutOfRange,
                format!("{type_name} out of range"),
            )
        };
        if var.weight > 4 {
            return Err(out_of_range());
        }
        let mut rounded = var.clone();
        var::round(&mut rounded, 0);
        let mut value: i128 = 0;
        for idx in 0..=rounded.weight.max(-1) {
            let d = rounded.digits.get(idx as usize).copied().unwrap_or(0);
            value = value * i128::from(var::NBASE) + i128::from(d);
        }
        if rounded.neg {
            value = -value;
        }
        if value < min || value > max {
            return Err(out_of_range());
        }
        Ok(value)
    }

    /// `self::float8`.
    pub fn to_f64(&self) -> Result<f64> {
        match &self.repr {
            Repr::NaN => Ok(f64::NAN),
            Repr::PosInf => Ok(f64::INFINITY),
            Repr::NegInf => Ok(f64::NEG_INFINITY),
            Repr::Finite(_) => {
                let text = self.to_string();
                let value: f64 = text.parse().unwrap_or(f64::NAN);
                if value.is_infinite() || (value == 0.0 && !self.is_zero()) {
                    return Err(Error::new(
                        Condition::NumericValueOutOfRange,
                        format!("\"{text}\" is out of range for type double precision"),
                    ));
                }
                Ok(value)
            }
        }
    }

    /// `self::float4`.
    pub fn to_f32(&self) -> Result<f32> {
        match &self.repr {
            Repr::NaN => Ok(f32::NAN),
            Repr::PosInf => Ok(f32::INFINITY),
            Repr::NegInf => Ok(f32::NEG_INFINITY),
            Repr::Finite(_) => crate::float::float4_in(&self.to_string()),
        }
    }

    /// `value::numeric` for a float8.
    pub fn from_f64(value: f64) -> Result<Numeric> {
        Numeric::from_float(value, 15)
    }

    /// `value::numeric` for a float4.
    pub fn from_f32(value: f32) -> Result<Numeric> {
        Numeric::from_float(f64::from(value), 6)
    }

    fn from_float(value: f64, significant: usize) -> Result<Numeric> {
        if value.is_nan() {
            return Ok(Numeric::nan());
        }
        if value.is_infinite() {
            return Ok(Numeric::infinity(value < 0.0));
        }
        // `%.{n}g` keeps n significant digits; the value is mantissa × 10^exponent.
        let formatted = format!("{:.*e}", significant - 1, value);
        let (mantissa, exponent) = formatted.split_once('e').unwrap_or((&formatted, "0"));
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let neg = mantissa.starts_with('-');
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        let digits = digits.trim_end_matches('0');
        if digits.is_empty() {
            return Ok(Numeric::zero());
        }
        let dscale = (digits.len() as i32 - 1 - exponent).max(0);
        let text = format!(
            "{}0.{}e{}",
            if neg { "-" } else { "" },
            digits,
            exponent + 1
        );
        let mut parsed = super::parse::parse(&text)?;
        if let Repr::Finite(v) = &mut parsed.repr {
            v.dscale = dscale;
        }
        Ok(parsed)
    }
}
