//! `numeric` against PostgreSQL 15's answers (testdata/numeric.expected) and the
//! equality/hash/order laws the executor relies on.

use std::hash::{BuildHasher, RandomState};

use proptest::prelude::*;

use super::Numeric;
use crate::float;
use crate::testdata::{Case, check};
use crate::{Error, Result};

fn num(text: &str) -> Result<Numeric> {
    text.parse()
}

fn one(value: Result<impl ToString>) -> Result<Vec<Option<String>>> {
    value.map(|v| vec![Some(v.to_string())])
}

fn run(case: &Case) -> std::result::Result<Vec<Option<String>>, Error> {
    let a = || num(case.arg(0));
    let b = || num(case.arg(1));
    match case.function.as_str() {
        "numeric_in" => one(a()),
        "numeric_typmod" => {
            let value = a()?;
            let precision: i32 = case.arg(1).parse().unwrap_or(0);
            let scale: i32 = case.arg(2).parse().unwrap_or(0);
            super::check_typmod(precision, Some(scale))?;
            one(value.with_typmod(precision, scale))
        }
        "numeric_add" => one(a()?.add(&b()?)),
        "numeric_sub" => one(a()?.sub(&b()?)),
        "numeric_mul" => one(a()?.mul(&b()?)),
        "numeric_div" => one(a()?.div(&b()?)),
        "numeric_mod" => one(a()?.rem(&b()?)),
        "numeric_div_trunc" => one(a()?.div_trunc(&b()?)),
        "numeric_cmp" => one(Ok(a()?.cmp(&b()?) as i32)),
        "numeric_round" => one(a()?.round(case.arg(1).parse().unwrap_or(0))),
        "numeric_trunc" => one(a()?.trunc(case.arg(1).parse().unwrap_or(0))),
        "numeric_ceil" => one(a()?.ceil()),
        "numeric_floor" => one(a()?.floor()),
        "numeric_abs" => one(Ok(a()?.abs())),
        "numeric_neg" => one(Ok(a()?.neg())),
        "numeric_sign" => one(Ok(a()?.sign())),
        "numeric_int2" => one(a()?.to_i16()),
        "numeric_int4" => one(a()?.to_i32()),
        "numeric_int8" => one(a()?.to_i64()),
        "numeric_float8" => one(a()?.to_f64().map(float::float8_out)),
        "float8_numeric" => one(Numeric::from_f64(float::float8_in(case.arg(0))?)),
        "float4_numeric" => one(Numeric::from_f32(float::float4_in(case.arg(0))?)),
        "float8_out" => one(float::float8_in(case.arg(0)).map(float::float8_out)),
        "float4_out" => one(float::float4_in(case.arg(0)).map(float::float4_out)),
        other => panic!("no runner for {other}"),
    }
}

#[test]
fn numeric_matches_postgres() {
    check("numeric", run);
}

fn numeric_text() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        "[0-9]{0,24}",
        proptest::option::of("[0-9]{0,12}"),
        proptest::option::of(-40i32..40),
    )
        .prop_map(|(neg, int, frac, exp)| {
            let mut s = String::new();
            if neg {
                s.push('-');
            }
            s.push_str(if int.is_empty() { "0" } else { &int });
            if let Some(frac) = frac {
                s.push('.');
                s.push_str(&frac);
            }
            if let Some(exp) = exp {
                s.push_str(&format!("e{exp}"));
            }
            s
        })
}

proptest! {
    #[test]
    fn parse_never_panics(text in "\\PC{0,40}") {
        let _ = num(&text);
    }

    #[test]
    fn output_reads_back_equal(text in numeric_text()) {
        let value = num(&text).unwrap();
        let again = num(&value.to_string()).unwrap();
        prop_assert_eq!(&value, &again);
        prop_assert_eq!(value.to_string(), again.to_string());
    }

    #[test]
    fn equal_values_hash_alike(a in numeric_text(), extra_zeros in 0usize..6) {
        let value = num(&a).unwrap();
        // Same value, wider scale: equal, so the hash must agree.
        let widened = value.add(&num(&format!("0.{}", "0".repeat(extra_zeros))).unwrap()).unwrap();
        prop_assert_eq!(&value, &widened);
        let state = RandomState::new();
        prop_assert_eq!(state.hash_one(&value), state.hash_one(&widened));
    }

    #[test]
    fn arithmetic_inverts(a in numeric_text(), b in numeric_text()) {
        let (x, y) = (num(&a).unwrap(), num(&b).unwrap());
        let sum = x.add(&y).unwrap();
        prop_assert_eq!(sum.sub(&y).unwrap(), x.clone());
        if !y.is_zero() {
            // (x div y) * y + x % y = x, exactly.
            let q = x.div_trunc(&y).unwrap();
            let r = x.rem(&y).unwrap();
            prop_assert_eq!(q.mul(&y).unwrap().add(&r).unwrap(), x);
        }
    }
}
