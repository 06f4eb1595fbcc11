//! PostgreSQL's parameters kept as integer milliseconds (`statement_timeout`, `lock_timeout`,
//! `idle_in_transaction_session_timeout`, `idle_session_timeout`): what SET accepts, and how
//! SHOW prints them.
//!
//! Invariants:
//! - Input is read as PostgreSQL 15's `parse_int` reads it: a number (integer, decimal or with
//!   an exponent), optional spaces, then an optional unit (`us`, `ms`, `s`, `min`, `h`, `d`,
//!   case-sensitive; none means ms), rounded half to even to whole milliseconds, within
//!   0 .. 2147483647. Anything else is 22023 with PostgreSQL's message.
//! - Output is the value in the largest unit that divides it (`1500ms`, `1min`, `1h`), `0`
//!   for zero: what PostgreSQL's SHOW prints, and what `parse` reads back unchanged.

use crate::error::{Error, Result};

/// The parameters this file governs.
const PARAMETERS: [&str; 4] = [
    "statement_timeout",
    "lock_timeout",
    "idle_in_transaction_session_timeout",
    "idle_session_timeout",
];

/// Units from the largest down, with their milliseconds.
const UNITS: [(&str, f64); 6] = [
    ("d", 86_400_000.0),
    ("h", 3_600_000.0),
    ("min", 60_000.0),
    ("s", 1_000.0),
    ("ms", 1.0),
    ("us", 0.001),
];

/// True for a parameter kept in milliseconds.
pub(crate) fn governs(name: &str) -> bool {
    PARAMETERS.contains(&name)
}

/// `text` as parameter `name`'s milliseconds, or PostgreSQL's error.
pub(crate) fn parse(name: &str, text: &str) -> Result<i32> {
    let invalid = || {
        Error::InvalidSetting(format!(
            "invalid value for parameter \"{name}\": \"{text}\""
        ))
    };
    let trimmed = text.trim();
    let unit_start = trimmed
        .rfind(|c: char| !c.is_ascii_alphabetic())
        .map_or(0, |idx| idx + 1);
    let (number, unit) = trimmed.split_at(unit_start);
    // An exponent's `e` belongs to the number: `1e3` has no unit.
    let (number, unit) = if unit == "e" || unit == "E" {
        (trimmed, "")
    } else {
        (number.trim_end(), unit)
    };
    let number: f64 = number.parse().map_err(|_| invalid())?;
    let per_unit = match unit {
        "" => 1.0,
        unit => {
            UNITS
                .iter()
                .find(|(name, _)| *name == unit)
                .ok_or_else(invalid)?
                .1
        }
    };
    let ms = (number * per_unit).round_ties_even();
    if !ms.is_finite() || ms > f64::from(i32::MAX) || ms < f64::from(i32::MIN) {
        return Err(invalid());
    }
    // In range of an integer, so the cast is exact.
    let ms = ms as i32;
    if ms < 0 {
        return Err(Error::InvalidSetting(format!(
            "{ms} ms is outside the valid range for parameter \"{name}\" (0 .. {})",
            i32::MAX
        )));
    }
    Ok(ms)
}

/// `ms` as SHOW prints it.
pub(crate) fn show(ms: i32) -> String {
    if ms == 0 {
        return "0".to_owned();
    }
    let ms_f = f64::from(ms);
    UNITS
        .iter()
        .find(|(_, per_unit)| *per_unit >= 1.0 && ms_f % per_unit == 0.0)
        .map_or_else(
            || format!("{ms}ms"),
            |(unit, per_unit)| format!("{}{unit}", ms_f / per_unit),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_prints_as_postgres() {
        let cases = [
            ("0", "0"),
            ("1500", "1500ms"),
            ("60000", "1min"),
            ("10 min", "10min"),
            ("1.5s", "1500ms"),
            ("1h", "1h"),
            ("2d", "2d"),
            ("100ms", "100ms"),
            ("1e3", "1s"),
            ("2500us", "2ms"),
            ("1.5", "2ms"),
            (" 5s ", "5s"),
        ];
        for (input, shown) in cases {
            let ms = parse("statement_timeout", input).unwrap();
            assert_eq!(show(ms), shown, "{input}");
            assert_eq!(parse("statement_timeout", &show(ms)).unwrap(), ms);
        }
        for bad in ["abc", "-1", "2147483648", "5 sec", "1e", "", "5S"] {
            assert!(parse("statement_timeout", bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse("statement_timeout", "-1").unwrap_err().to_string(),
            "-1 ms is outside the valid range for parameter \"statement_timeout\" (0 .. 2147483647)"
        );
    }
}
