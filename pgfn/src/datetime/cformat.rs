//! C `printf` conversions PostgreSQL uses in date/time messages and formatting: `%g` with an
//! optional zero-padded width, and `%.*f`.
//!
//! Invariants:
//! - Output equals glibc's for every finite double; NaN and infinities are spelled as
//!   PostgreSQL's own `snprintf` spells them (`NaN`, `Infinity`).

/// `%g` (6 significant digits), zero-padded to `width` like `%0Ng`.
pub(crate) fn format_g(v: f64, width: usize) -> String {
    let body = if v.is_nan() {
        "NaN".to_string()
    } else if v.is_infinite() {
        if v < 0.0 {
            "-Infinity".to_string()
        } else {
            "Infinity".to_string()
        }
    } else if v == 0.0 {
        if v.is_sign_negative() {
            "-0".to_string()
        } else {
            "0".to_string()
        }
    } else {
        let sci = format!("{:.5e}", v);
        let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        if !(-4..6).contains(&exp) {
            let mant = trim_zeros(mant);
            format!("{mant}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
        } else {
            let decimals = (5 - exp).max(0) as usize;
            trim_zeros(&format!("{v:.decimals$}")).to_string()
        }
    };
    if body.len() >= width || !v.is_finite() {
        return body;
    }
    let (sign, digits) = match body.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", body.as_str()),
    };
    format!("{sign}{}{digits}", "0".repeat(width - body.len()))
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}
