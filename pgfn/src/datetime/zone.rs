//! Time zones as PostgreSQL's timezone library answers them: the session zone (`SET TIME ZONE`),
//! zone names inside date/time input, UTC offsets and abbreviations at an instant, and the
//! resolution of a local time to an offset (`DetermineTimeZoneOffset`).
//!
//! Invariants:
//! - Zone rules come from the IANA database bundled into the binary (jiff's copy), never from the
//!   host, so every machine answers alike; names are matched case-insensitively as PostgreSQL
//!   matches its zone files, and a name that is no zone is tried as a POSIX TZ string.
//! - Offsets are seconds east of UTC (`gmtoff`); PostgreSQL's "tz" (seconds west) is `-gmtoff`.
//! - Instants past the bundled rules' range repeat the 400-year Gregorian cycle, as PostgreSQL's
//!   `localtime.c` extrapolates; instants before it use the zone's earliest offset.

use std::fmt;

use jiff::tz::TimeZone;

use super::calendar::SECS_PER_DAY;

/// Seconds in 400 Gregorian years: local-time rules repeat with this period.
const SECS_PER_400_YEARS: i64 = 146_097 * SECS_PER_DAY;
/// Unix seconds of 2000-01-01, where extrapolated instants are folded to.
const FOLD_FLOOR: i64 = 946_684_800;
/// jiff's own limits (years -9999 and 9999), with a day of margin for offsets.
const JIFF_MIN_SECS: i64 = -377_705_116_800 + SECS_PER_DAY;
const JIFF_MAX_SECS: i64 = 253_402_300_799 - SECS_PER_DAY;

/// A time zone: the session's (`TimeZone` setting) or one named in an input string.
#[derive(Clone)]
pub struct Zone {
    repr: Repr,
    /// The name as PostgreSQL reports it (`SHOW TimeZone`).
    name: String,
}

#[derive(Clone)]
enum Repr {
    Utc,
    Rules(TimeZone),
}

/// The UTC offset, daylight flag and abbreviation in force at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalOffset {
    /// Seconds east of UTC.
    pub gmtoff: i32,
    /// Whether the zone is on daylight-saving time.
    pub is_dst: bool,
    /// The zone abbreviation (`PST`, `+05`, `LMT`).
    pub abbrev: String,
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zone({})", self.name)
    }
}

impl Zone {
    /// The zone named `UTC`, PostgreSQL's default session zone here.
    pub fn utc() -> Zone {
        Zone {
            repr: Repr::Utc,
            name: "UTC".to_string(),
        }
    }

    /// A zone by name as `pg_tzset` finds it: an IANA name (any case) or a POSIX TZ string.
    /// `None` when PostgreSQL would not recognize it.
    pub fn by_name(name: &str) -> Option<Zone> {
        if name.is_empty() || name.len() > 255 {
            return None;
        }
        let upper = name.to_ascii_uppercase();
        if upper == "UTC" {
            return Some(Zone::utc());
        }
        if upper == "GMT" {
            return TimeZone::posix("GMT0").ok().map(|tz| Zone {
                repr: Repr::Rules(tz),
                name: "GMT".to_string(),
            });
        }
        if let Ok(tz) = jiff::tz::db().get(name) {
            let canonical = tz.iana_name().unwrap_or(name).to_string();
            return Some(Zone {
                repr: Repr::Rules(tz),
                name: canonical,
            });
        }
        if upper.starts_with(':') || !posix_name_ok(&upper) {
            return None;
        }
        TimeZone::posix(&upper).ok().map(|tz| Zone {
            repr: Repr::Rules(tz),
            name: upper,
        })
    }

    /// A fixed-offset zone as `pg_tzset_offset` builds it, `gmtoff` seconds east of UTC;
    /// `None` if the offset is out of PostgreSQL's range.
    pub fn fixed(gmtoff: i32) -> Option<Zone> {
        let west = -i64::from(gmtoff);
        let mut abs = west.unsigned_abs();
        let mut text = format!("{:02}", abs / 3600);
        abs %= 3600;
        if abs != 0 {
            text.push_str(&format!(":{:02}", abs / 60));
            abs %= 60;
            if abs != 0 {
                text.push_str(&format!(":{abs:02}"));
            }
        }
        let name = if west > 0 {
            format!("<-{text}>+{text}")
        } else {
            format!("<+{text}>-{text}")
        };
        let tz = TimeZone::posix(&name).ok()?;
        Some(Zone {
            repr: Repr::Rules(tz),
            name,
        })
    }

    /// The zone's name as PostgreSQL reports it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The offset in force at Unix time `t` (PostgreSQL's `pg_localtime`).
    pub fn local_offset(&self, t: i64) -> LocalOffset {
        match &self.repr {
            Repr::Utc => LocalOffset {
                gmtoff: 0,
                is_dst: false,
                abbrev: "UTC".to_string(),
            },
            Repr::Rules(tz) => {
                let ts = to_jiff(fold(t));
                let info = tz.to_offset_info(ts);
                LocalOffset {
                    gmtoff: info.offset().seconds(),
                    is_dst: info.dst().is_dst(),
                    abbrev: info.abbreviation().to_string(),
                }
            }
        }
    }

    /// The single offset of a zone that has only ever used one (`pg_get_timezone_offset`).
    pub fn fixed_offset(&self) -> Option<i32> {
        match &self.repr {
            Repr::Utc => Some(0),
            Repr::Rules(tz) => {
                if let Ok(o) = tz.to_fixed_offset() {
                    return Some(o.seconds());
                }
                let first = tz.to_offset_info(jiff::Timestamp::MIN).offset();
                // Zones with ongoing rules change offset within a year; bound the walk.
                let mut transitions = tz.following(jiff::Timestamp::MIN).take(4000);
                transitions
                    .all(|t| t.offset() == first)
                    .then_some(first.seconds())
            }
        }
    }

    /// The first transition strictly after Unix time `t`: (offset before, boundary, offset
    /// after). `None` when the zone has no transition after `t` (`pg_next_dst_boundary` = 0).
    fn next_boundary(&self, t: i64) -> Option<((i32, bool), i64, (i32, bool))> {
        let Repr::Rules(tz) = &self.repr else {
            return None;
        };
        let folded = fold(t);
        let shift = t - folded;
        let transition = tz.following(to_jiff(folded)).next()?;
        let boundary = transition.timestamp().as_second();
        let info = tz.to_offset_info(to_jiff(folded));
        let before = (info.offset().seconds(), info.dst().is_dst());
        let after = (transition.offset().seconds(), transition.dst().is_dst());
        Some((before, boundary + shift, after))
    }

    /// PostgreSQL's `DetermineTimeZoneOffset`: the offset (seconds east) that applies to a
    /// local date and time in this zone, with PostgreSQL's choice inside DST gaps and overlaps;
    /// also the UTC Unix time it denotes and the daylight flag. `local` is the local time as
    /// Unix seconds; `None` means PostgreSQL's overflow punt (UTC).
    pub fn offset_for_local(&self, local: Option<i64>) -> (i32, i64, bool) {
        let Some(mytime) = local else {
            return (0, 0, false);
        };
        let prevtime = mytime - SECS_PER_DAY;
        let before_info = self.local_offset(prevtime);
        let Some((before, boundary, after)) = self.next_boundary(prevtime) else {
            return (before_info.gmtoff, mytime - i64::from(before_info.gmtoff), before_info.is_dst);
        };
        let beforetime = mytime - i64::from(before.0);
        let aftertime = mytime - i64::from(after.0);
        let pick_before = if beforetime < boundary && aftertime < boundary {
            true
        } else if beforetime > boundary && aftertime >= boundary {
            false
        } else {
            beforetime > aftertime
        };
        if pick_before {
            (before.0, beforetime, before.1)
        } else {
            (after.0, aftertime, after.1)
        }
    }

    /// PostgreSQL's `pg_interpret_timezone_abbrev`: the meaning of an (uppercase) abbreviation
    /// in this zone at or most recently before Unix time `t`, else its first later meaning.
    pub fn interpret_abbrev(&self, abbrev: &str, t: i64) -> Option<(i32, bool)> {
        let Repr::Rules(tz) = &self.repr else {
            return (abbrev == "UTC").then_some((0, false));
        };
        let probe = to_jiff(fold(t).saturating_add(1));
        for transition in tz.preceding(probe) {
            if transition.abbreviation() == abbrev {
                return Some((transition.offset().seconds(), transition.dst().is_dst()));
            }
        }
        // Rules repeat yearly once explicit transitions end; a few centuries cover every meaning.
        for transition in tz.following(probe).take(2000) {
            if transition.abbreviation() == abbrev {
                return Some((transition.offset().seconds(), transition.dst().is_dst()));
            }
        }
        None
    }
}

/// Whether an uppercase name looks like a POSIX TZ string PostgreSQL's `tzparse` accepts:
/// a standard name (three or more letters, or `<...>`) followed by an offset.
fn posix_name_ok(upper: &str) -> bool {
    let bytes = upper.as_bytes();
    let rest = if bytes.first() == Some(&b'<') {
        match upper.find('>') {
            Some(end) if end >= 4 => &upper[end + 1..],
            _ => return false,
        }
    } else {
        let n = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        if n < 3 {
            return false;
        }
        &upper[n..]
    };
    rest.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-')
}

/// Moves an instant outside jiff's range into it, keeping its place in the 400-year cycle.
fn fold(t: i64) -> i64 {
    if t > JIFF_MAX_SECS {
        let cycles = (t - FOLD_FLOOR) / SECS_PER_400_YEARS;
        t - cycles * SECS_PER_400_YEARS
    } else if t < JIFF_MIN_SECS {
        JIFF_MIN_SECS
    } else {
        t
    }
}

fn to_jiff(t: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(t.clamp(JIFF_MIN_SECS, JIFF_MAX_SECS))
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}
