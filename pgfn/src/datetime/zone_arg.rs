//! Time zone arguments of functions (`AT TIME ZONE`, `timezone()`, `date_trunc(.., zone)`):
//! an abbreviation from the default set first, else a zone name, as PostgreSQL resolves them.
//!
//! Invariants:
//! - The argument is clipped to 255 bytes and its lowercase form to 63 (PostgreSQL's buffer and
//!   identifier truncation), and unknown names fail with PostgreSQL's message and condition.

use super::abbrevs::{self, AbbrevKind};
use super::zone::Zone;
use crate::{Condition, Error, Result};

/// A resolved zone argument.
pub(crate) enum ZoneArg {
    /// A fixed offset, PostgreSQL's `tz` sign (seconds west).
    Fixed(i32),
    /// A dynamic abbreviation (e.g. `MSK`) with its zone.
    Dynamic(Zone),
    /// A full zone name.
    Named(Zone),
}

/// Clips `s` to at most `max` bytes at a character boundary.
pub(crate) fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `downcase_truncate_identifier(s, len, false)`: ASCII lowercase, clipped to 63 bytes.
pub(crate) fn downcase_identifier(s: &str) -> String {
    clip(s, 63).to_ascii_lowercase()
}

/// Resolves a zone argument; `None` zone errors as PostgreSQL's "not recognized".
pub(crate) fn resolve(zone: &str) -> Result<(ZoneArg, String)> {
    let name = clip(zone, 255).to_string();
    let lower = downcase_identifier(&name);
    let arg = match abbrevs::lookup(&lower) {
        Some(AbbrevKind::Std(v) | AbbrevKind::Dst(v)) => ZoneArg::Fixed(-v),
        Some(AbbrevKind::Dynamic(zname)) => match Zone::by_name(zname) {
            Some(z) => ZoneArg::Dynamic(z),
            None => return Err(not_recognized(&name)),
        },
        None => match Zone::by_name(&name) {
            Some(z) => ZoneArg::Named(z),
            None => return Err(not_recognized(&name)),
        },
    };
    Ok((arg, name))
}

/// `time zone "x" not recognized` (22023).
pub(crate) fn not_recognized(name: &str) -> Error {
    Error::new(
        Condition::InvalidParameterValue,
        format!("time zone \"{name}\" not recognized"),
    )
}
