//! Digit-level arithmetic of finite numerics in PostgreSQL's base-10000 form (numeric.c's
//! `NumericVar` routines): compare, add, subtract, multiply, divide, round, truncate.
//!
//! Invariants:
//! - A `Var` leaving any public-to-the-module routine is stripped: no leading or trailing zero
//!   digits; zero has no digits, weight 0 and a positive sign.
//! - Results are exact before the final round or truncate at the requested scale, so every
//!   routine answers what PostgreSQL's answers (its guard-digit shortcuts never apply here).

use std::cmp::Ordering;

/// The base of one digit.
pub(crate) const NBASE: i32 = 10000;
/// Decimal digits per base-`NBASE` digit.
pub(crate) const DEC_DIGITS: i32 = 4;
const ROUND_POWERS: [i32; 4] = [0, 1000, 100, 10];

/// A finite value: `digits` in base 10000, the first worth `NBASE^weight`, shown with `dscale`
/// decimals.
#[derive(Clone, Debug)]
pub(crate) struct Var {
    pub(crate) neg: bool,
    pub(crate) weight: i32,
    pub(crate) dscale: i32,
    pub(crate) digits: Vec<i32>,
}

impl Var {
    pub(crate) fn zero(dscale: i32) -> Var {
        Var {
            neg: false,
            weight: 0,
            dscale,
            digits: Vec::new(),
        }
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Drops leading and trailing zero digits and normalises zero.
    pub(crate) fn strip(&mut self) {
        let lead = self.digits.iter().take_while(|d| **d == 0).count();
        if lead == self.digits.len() {
            self.digits.clear();
            self.neg = false;
            self.weight = 0;
            return;
        }
        self.digits.drain(..lead);
        self.weight -= lead as i32;
        while self.digits.last() == Some(&0) {
            self.digits.pop();
        }
    }

    /// The integer `value` with scale 0.
    pub(crate) fn from_i128(value: i128) -> Var {
        let neg = value < 0;
        let mut mag = value.unsigned_abs();
        let mut digits = Vec::new();
        while mag > 0 {
            digits.push((mag % NBASE as u128) as i32);
            mag /= NBASE as u128;
        }
        digits.reverse();
        let mut var = Var {
            neg,
            weight: digits.len() as i32 - 1,
            dscale: 0,
            digits,
        };
        var.strip();
        var
    }
}

/// Compares absolute values.
pub(crate) fn cmp_abs(a: &Var, b: &Var) -> Ordering {
    let (mut wa, mut wb) = (a.weight, b.weight);
    let (mut i1, mut i2) = (0usize, 0usize);
    while wa > wb && i1 < a.digits.len() {
        if a.digits[i1] != 0 {
            return Ordering::Greater;
        }
        i1 += 1;
        wa -= 1;
    }
    while wb > wa && i2 < b.digits.len() {
        if b.digits[i2] != 0 {
            return Ordering::Less;
        }
        i2 += 1;
        wb -= 1;
    }
    if wa == wb {
        while i1 < a.digits.len() && i2 < b.digits.len() {
            match a.digits[i1].cmp(&b.digits[i2]) {
                Ordering::Equal => {}
                other => return other,
            }
            i1 += 1;
            i2 += 1;
        }
    }
    if a.digits[i1..].iter().any(|d| *d != 0) {
        return Ordering::Greater;
    }
    if b.digits[i2..].iter().any(|d| *d != 0) {
        return Ordering::Less;
    }
    Ordering::Equal
}

/// Compares signed values.
pub(crate) fn cmp(a: &Var, b: &Var) -> Ordering {
    match (a.is_zero(), b.is_zero()) {
        (true, true) => return Ordering::Equal,
        (true, false) => {
            return if b.neg {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        (false, true) => {
            return if a.neg {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        (false, false) => {}
    }
    match (a.neg, b.neg) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => cmp_abs(a, b),
        (true, true) => cmp_abs(b, a),
    }
}

fn add_abs(a: &Var, b: &Var) -> Var {
    let res_weight = a.weight.max(b.weight) + 1;
    let res_dscale = a.dscale.max(b.dscale);
    let rscale1 = a.digits.len() as i32 - a.weight - 1;
    let rscale2 = b.digits.len() as i32 - b.weight - 1;
    let res_rscale = rscale1.max(rscale2);
    let res_ndigits = (res_rscale + res_weight + 1).max(1);
    let mut digits = vec![0; res_ndigits as usize];
    let mut i1 = res_rscale + a.weight + 1;
    let mut i2 = res_rscale + b.weight + 1;
    let mut carry = 0;
    for i in (0..res_ndigits as usize).rev() {
        i1 -= 1;
        i2 -= 1;
        if i1 >= 0 && (i1 as usize) < a.digits.len() {
            carry += a.digits[i1 as usize];
        }
        if i2 >= 0 && (i2 as usize) < b.digits.len() {
            carry += b.digits[i2 as usize];
        }
        if carry >= NBASE {
            digits[i] = carry - NBASE;
            carry = 1;
        } else {
            digits[i] = carry;
            carry = 0;
        }
    }
    let mut res = Var {
        neg: false,
        weight: res_weight,
        dscale: res_dscale,
        digits,
    };
    res.strip();
    res
}

/// `|a| - |b|` where `|a| >= |b|`.
fn sub_abs(a: &Var, b: &Var) -> Var {
    let res_weight = a.weight;
    let res_dscale = a.dscale.max(b.dscale);
    let rscale1 = a.digits.len() as i32 - a.weight - 1;
    let rscale2 = b.digits.len() as i32 - b.weight - 1;
    let res_rscale = rscale1.max(rscale2);
    let res_ndigits = (res_rscale + res_weight + 1).max(1);
    let mut digits = vec![0; res_ndigits as usize];
    let mut i1 = res_rscale + a.weight + 1;
    let mut i2 = res_rscale + b.weight + 1;
    let mut borrow = 0;
    for i in (0..res_ndigits as usize).rev() {
        i1 -= 1;
        i2 -= 1;
        if i1 >= 0 && (i1 as usize) < a.digits.len() {
            borrow += a.digits[i1 as usize];
        }
        if i2 >= 0 && (i2 as usize) < b.digits.len() {
            borrow -= b.digits[i2 as usize];
        }
        if borrow < 0 {
            digits[i] = borrow + NBASE;
            borrow = -1;
        } else {
            digits[i] = borrow;
            borrow = 0;
        }
    }
    let mut res = Var {
        neg: false,
        weight: res_weight,
        dscale: res_dscale,
        digits,
    };
    res.strip();
    res
}

/// `a + b` (subtraction is `add` with `b` negated), scale the larger of the two.
pub(crate) fn add(a: &Var, b: &Var) -> Var {
    if a.neg == b.neg {
        let mut res = add_abs(a, b);
        res.neg = a.neg && !res.is_zero();
        return res;
    }
    match cmp_abs(a, b) {
        Ordering::Equal => Var::zero(a.dscale.max(b.dscale)),
        Ordering::Greater => {
            let mut res = sub_abs(a, b);
            res.neg = a.neg && !res.is_zero();
            res
        }
        Ordering::Less => {
            let mut res = sub_abs(b, a);
            res.neg = b.neg && !res.is_zero();
            res
        }
    }
}

/// `a - b`.
pub(crate) fn sub(a: &Var, b: &Var) -> Var {
    let mut negated = b.clone();
    negated.neg = !b.neg && !b.is_zero();
    add(a, &negated)
}

/// The exact product, rounded to `rscale` decimals.
pub(crate) fn mul(a: &Var, b: &Var, rscale: i32) -> Var {
    if a.is_zero() || b.is_zero() {
        return Var::zero(rscale);
    }
    let n = a.digits.len() + b.digits.len();
    let mut acc = vec![0i64; n];
    for (i1, d1) in a.digits.iter().enumerate() {
        if *d1 == 0 {
            continue;
        }
        for (i2, d2) in b.digits.iter().enumerate() {
            acc[i1 + i2 + 1] += i64::from(*d1) * i64::from(*d2);
        }
        // Carry every row keeps each slot far below i64::MAX for any length.
        let mut carry = 0i64;
        for slot in acc.iter_mut().rev() {
            let v = *slot + carry;
            *slot = v % i64::from(NBASE);
            carry = v / i64::from(NBASE);
        }
    }
    let digits = acc.into_iter().map(|d| d as i32).collect();
    let mut res = Var {
        neg: a.neg != b.neg,
        weight: a.weight + b.weight + 1,
        dscale: rscale,
        digits,
    };
    round(&mut res, rscale);
    res.strip();
    res
}

/// The quotient to `rscale` decimals, rounded half away from zero when `round_it`, else
/// truncated toward zero. The divisor must not be zero.
pub(crate) fn div(a: &Var, b: &Var, rscale: i32, round_it: bool) -> Var {
    debug_assert!(!b.is_zero());
    if a.is_zero() {
        return Var::zero(rscale);
    }
    let res_weight = a.weight - b.weight;
    // One spare digit beyond rscale decides the rounding exactly.
    let res_ndigits = (res_weight + 1 + (rscale + DEC_DIGITS - 1) / DEC_DIGITS).max(1) + 1;
    let quotient = long_divide(&a.digits, &b.digits, res_ndigits as usize);
    let mut res = Var {
        neg: a.neg != b.neg,
        weight: res_weight,
        dscale: rscale,
        digits: quotient,
    };
    if round_it {
        round(&mut res, rscale);
    } else {
        trunc(&mut res, rscale);
    }
    res.strip();
    res
}

/// The first `n` base-`NBASE` digits of `dividend / divisor` (both read as fractions
/// `0.d1d2...`; digit 0 of the answer is worth `NBASE^(weight_a - weight_b)`), truncated.
fn long_divide(dividend: &[i32], divisor: &[i32], n: usize) -> Vec<i32> {
    // Schoolbook division on the digit sequences with a running remainder (Knuth 4.3.1D).
    let base = i64::from(NBASE);
    let m = divisor.len();
    // Normalise so the divisor's first digit is at least NBASE/2.
    let scale = base / (i64::from(divisor[0]) + 1);
    let mut v: Vec<i64> = vec![0; m];
    let mut carry = 0;
    for i in (0..m).rev() {
        let x = i64::from(divisor[i]) * scale + carry;
        v[i] = x % base;
        carry = x / base;
    }
    // u holds the working dividend: one leading slot for the normalising carry.
    let mut u: Vec<i64> = vec![0; (n + m).max(dividend.len()) + 1];
    let mut carry = 0;
    for i in (0..dividend.len()).rev() {
        let x = i64::from(dividend[i]) * scale + carry;
        u[i + 1] = x % base;
        carry = x / base;
    }
    u[0] = carry;
    let mut q = vec![0i32; n];
    for (j, qd) in q.iter_mut().enumerate() {
        let top = u[j] * base + u[j + 1];
        let mut qhat = top / v[0];
        let mut rhat = top % v[0];
        if m > 1 {
            while qhat >= base || qhat * v[1] > rhat * base + u[j + 2] {
                qhat -= 1;
                rhat += v[0];
                if rhat >= base {
                    break;
                }
            }
        } else if qhat >= base {
            qhat = base - 1;
        }
        if qhat == 0 {
            continue;
        }
        // u[j..=j+m] -= qhat * v
        let mut borrow = 0i64;
        let mut carry = 0i64;
        for i in (0..m).rev() {
            let p = qhat * v[i] + carry;
            carry = p / base;
            let t = u[j + 1 + i] - p % base - borrow;
            if t < 0 {
                u[j + 1 + i] = t + base;
                borrow = 1;
            } else {
                u[j + 1 + i] = t;
                borrow = 0;
            }
        }
        let t = u[j] - carry - borrow;
        if t < 0 {
            // qhat was one too large: add the divisor back.
            u[j] = t;
            qhat -= 1;
            let mut carry = 0i64;
            for i in (0..m).rev() {
                let s = u[j + 1 + i] + v[i] + carry;
                u[j + 1 + i] = s % base;
                carry = s / base;
            }
            u[j] += carry;
        } else {
            u[j] = t;
        }
        *qd = qhat as i32;
    }
    q
}

/// Rounds half away from zero to `rscale` decimals (negative: left of the point); sets dscale.
pub(crate) fn round(var: &mut Var, rscale: i32) {
    var.dscale = rscale;
    let di = (var.weight + 1) * DEC_DIGITS + rscale;
    if di < 0 {
        var.digits.clear();
        var.weight = 0;
        var.neg = false;
        return;
    }
    let mut ndigits = ((di + DEC_DIGITS - 1) / DEC_DIGITS) as usize;
    let di = di % DEC_DIGITS;
    if !(ndigits < var.digits.len() || (ndigits == var.digits.len() && di > 0)) {
        return;
    }
    let mut carry;
    if di == 0 {
        carry = i32::from(var.digits[ndigits] >= NBASE / 2);
        var.digits.truncate(ndigits);
    } else {
        var.digits.truncate(ndigits);
        let pow10 = ROUND_POWERS[di as usize];
        ndigits -= 1;
        let extra = var.digits[ndigits] % pow10;
        var.digits[ndigits] -= extra;
        carry = 0;
        if extra >= pow10 / 2 {
            let up = var.digits[ndigits] + pow10;
            if up >= NBASE {
                var.digits[ndigits] = up - NBASE;
                carry = 1;
            } else {
                var.digits[ndigits] = up;
            }
        }
    }
    while carry > 0 {
        if ndigits == 0 {
            var.digits.insert(0, 1);
            var.weight += 1;
            break;
        }
        ndigits -= 1;
        let up = var.digits[ndigits] + 1;
        if up >= NBASE {
            var.digits[ndigits] = up - NBASE;
        } else {
            var.digits[ndigits] = up;
            carry = 0;
        }
    }
    var.strip();
}

/// Truncates toward zero to `rscale` decimals (negative: left of the point); sets dscale.
pub(crate) fn trunc(var: &mut Var, rscale: i32) {
    var.dscale = rscale;
    let di = (var.weight + 1) * DEC_DIGITS + rscale;
    if di <= 0 {
        var.digits.clear();
        var.weight = 0;
        var.neg = false;
        return;
    }
    let ndigits = ((di + DEC_DIGITS - 1) / DEC_DIGITS) as usize;
    if ndigits <= var.digits.len() {
        var.digits.truncate(ndigits);
        let di = di % DEC_DIGITS;
        if di > 0 {
            let pow10 = ROUND_POWERS[di as usize];
            let last = ndigits - 1;
            var.digits[last] -= var.digits[last] % pow10;
        }
    }
    var.strip();
}
