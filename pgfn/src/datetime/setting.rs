//! The `TimeZone` setting's values (`SET TIME ZONE ...`, `SET timezone = ...`, a startup
//! parameter): PostgreSQL's `check_timezone`, turning the text into a session `Zone`.
//!
//! Invariants:
//! - Accepts what PostgreSQL accepts: `INTERVAL '+05:30'`, a number of hours (`-7`, `5.5`,
//!   UTC offsets in SQL's sign), or a zone name or POSIX spec; anything else fails with
//!   PostgreSQL's GUC error and detail. `LOCAL`/`DEFAULT` are the server's to map.

use super::calendar::USECS_PER_SEC;
use super::cnum::strtod;
use super::text_io::interval_in;
use super::zone::Zone;
use crate::{Condition, Error, Result};

fn invalid(value: &str) -> Error {
    Error::new(
        Condition::InvalidParameterValue,
        format!("invalid value for parameter \"TimeZone\": \"{value}\""),
    )
}

impl Zone {
    /// The zone a `TimeZone` setting value selects (PostgreSQL's `check_timezone`).
    pub fn from_setting(value: &str) -> Result<Zone> {
        let gmtoff = if value.len() >= 8 && value[..8].eq_ignore_ascii_case("interval") {
            let rest = value[8..].trim_start_matches(|c: char| c.is_ascii_whitespace());
            let body = rest
                .strip_prefix('\'')
                .and_then(|r| r.strip_suffix('\''))
                .filter(|b| !b.contains('\''))
                .ok_or_else(|| invalid(value))?;
            let span = interval_in(body)?;
            if span.months != 0 {
                return Err(
                    invalid(value).with_detail("Cannot specify months in time zone interval.")
                );
            }
            if span.days != 0 {
                return Err(
                    invalid(value).with_detail("Cannot specify days in time zone interval.")
                );
            }
            Some(span.micros / USECS_PER_SEC)
        } else {
            let (hours, rest, _) = strtod(value);
            (rest.len() != value.len() && rest.is_empty()).then_some((hours * 3600.0) as i64)
        };
        match gmtoff {
            Some(secs) => i32::try_from(secs)
                .ok()
                .and_then(Zone::fixed)
                .ok_or_else(|| invalid(value).with_detail("UTC timezone offset is out of range.")),
            None => Zone::by_name(value).ok_or_else(|| invalid(value)),
        }
    }
}
