//! Time zones as PostgreSQL's timezone library answers them: the session zone (`SET TIME ZONE`),
//! zone names inside date/time input, UTC offsets and abbreviations at an instant, and the
//! resolution of a local time to an offset (`DetermineTimeZoneOffset`).
//!
//! Invariants:
//! - Zone rules come from the host's IANA database (`/usr/share/zoneinfo`, the same files
//!   Debian's PostgreSQL reads) and, on a host without one, from the copy bundled into the
//!   binary; names match case-insensitively as PostgreSQL matches its zone files, and a name
//!   that is no zone is tried as a POSIX TZ string the way PostgreSQL's `tzparse` reads one.
//! - Offsets are seconds east of UTC (`gmtoff`); PostgreSQL's "tz" (seconds west) is `-gmtoff`.
//! - Instants past the bundled rules' range repeat the 400-year Gregorian cycle, as PostgreSQL's
//!   `localtime.c` extrapolates; instants before it use the zone's earliest offset.

use std::fmt;

use jiff::tz::TimeZone;

use super::calendar::SECS_PER_DAY;

/// Seconds in 400 Gregorian years: local-time rules repeat with this period.
const SECS_PER_400_YEARS: i64 = 146_097 * SECS_PER_DAY;
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

/// A UTC offset (seconds east) and whether it is daylight time.
type Offset = (i32, bool);

#[derive(Clone)]
enum Repr {
    Utc,
    /// A POSIX-style zone without daylight time: offset (seconds east) and abbreviation.
    Fixed(i32, String),
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
            return Some(Zone {
                repr: Repr::Fixed(0, "GMT".to_string()),
                name: upper,
            });
        }
        // `tzload` skips a leading ':' (POSIX's "implementation-defined" zone prefix).
        let file_name = name.strip_prefix(':').unwrap_or(name);
        if file_name.eq_ignore_ascii_case("UTC") {
            return Some(Zone::utc());
        }
        if let Ok(tz) = jiff::tz::db().get(file_name) {
            let canonical = tz.iana_name().unwrap_or(name).to_string();
            return Some(Zone {
                repr: Repr::Rules(tz),
                name: canonical,
            });
        }
        if upper.starts_with(':') {
            return None;
        }
        let repr = posix_zone(&upper)?;
        Some(Zone { repr, name: upper })
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
        let repr = posix_zone(&name)?;
        Some(Zone { repr, name })
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
            Repr::Fixed(gmtoff, abbrev) => LocalOffset {
                gmtoff: *gmtoff,
                is_dst: false,
                abbrev: abbrev.clone(),
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
            Repr::Fixed(gmtoff, _) => Some(*gmtoff),
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
    fn next_boundary(&self, t: i64) -> Option<(Offset, i64, Offset)> {
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
            return (
                before_info.gmtoff,
                mytime - i64::from(before_info.gmtoff),
                before_info.is_dst,
            );
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
        let tz = match &self.repr {
            Repr::Utc => return (abbrev == "UTC").then_some((0, false)),
            Repr::Fixed(gmtoff, name) => return (abbrev == name).then_some((*gmtoff, false)),
            Repr::Rules(tz) => tz,
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

/// A POSIX TZ string as PostgreSQL's `tzparse` accepts it (an empty or any standard name,
/// an offset, optionally a daylight name, offset and rules); `None` if it is not one.
fn posix_zone(spec: &str) -> Option<Repr> {
    let (std_name, rest) = posix_name(spec)?;
    if rest.is_empty() {
        return None;
    }
    let (west, rest) = posix_offset(rest)?;
    if rest.is_empty() {
        return Some(Repr::Fixed(-west, std_name.to_string()));
    }
    // Daylight time: jiff evaluates the rules; names are quoted so any spelling is kept.
    let (dst_name, dst_rest) = posix_name(rest)?;
    let rules = if dst_rest.is_empty() {
        ",M3.2.0,M11.1.0".to_string()
    } else if dst_rest.starts_with(',') {
        dst_rest.to_string()
    } else {
        let (dst_west, after) = posix_offset(dst_rest)?;
        let rules = if after.is_empty() {
            ",M3.2.0,M11.1.0"
        } else {
            after
        };
        format!("{}{rules}", offset_text(dst_west))
    };
    let text = format!("<{std_name}>{}<{dst_name}>{rules}", offset_text(west));
    TimeZone::posix(&text).ok().map(Repr::Rules)
}

/// A zone name: `<...>` quoted, or up to the first digit, sign or comma.
fn posix_name(s: &str) -> Option<(&str, &str)> {
    if let Some(rest) = s.strip_prefix('<') {
        let end = rest.find('>')?;
        return Some((&rest[..end], &rest[end + 1..]));
    }
    let end = s
        .find(|c: char| c.is_ascii_digit() || c == ',' || c == '-' || c == '+')
        .unwrap_or(s.len());
    Some((&s[..end], &s[end..]))
}

/// A POSIX offset `[+-]hh[:mm[:ss]]` (seconds west) and the rest.
fn posix_offset(s: &str) -> Option<(i32, &str)> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (hours, mut rest) = posix_number(body, 167)?;
    let mut secs = hours * 3600;
    if let Some(r) = rest.strip_prefix(':') {
        let (mins, r) = posix_number(r, 59)?;
        secs += mins * 60;
        rest = r;
        if let Some(r) = rest.strip_prefix(':') {
            let (sec, r) = posix_number(r, 60)?;
            secs += sec;
            rest = r;
        }
    }
    Some((if neg { -secs } else { secs }, rest))
}

/// Leading digits as a number no greater than `max`, and the rest.
fn posix_number(s: &str, max: i32) -> Option<(i32, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    let mut v: i32 = 0;
    for c in s[..n].bytes() {
        v = v.checked_mul(10)?.checked_add(i32::from(c - b'0'))?;
        if v > max {
            return None;
        }
    }
    Some((v, &s[n..]))
}

fn offset_text(west: i32) -> String {
    let a = west.unsigned_abs();
    format!(
        "{}{}:{:02}:{:02}",
        if west < 0 { "-" } else { "" },
        a / 3600,
        a / 60 % 60,
        a % 60
    )
}

/// Moves an instant past jiff's range into its last 400 years (where only the zone's final
/// rule applies), keeping its place in the Gregorian cycle, as PostgreSQL's `localtime.c`
/// repeats the final rule.
fn fold(t: i64) -> i64 {
    if t > JIFF_MAX_SECS {
        let cycles = (t - JIFF_MAX_SECS) / SECS_PER_400_YEARS + 1;
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
