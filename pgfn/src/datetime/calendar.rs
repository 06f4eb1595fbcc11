//! The proleptic Gregorian calendar as PostgreSQL computes it: Julian day numbers, weekdays,
//! leap years and ISO 8601 weeks (datetime.c `date2j`/`j2date`, timestamp.c `isoweek2j`...).
//!
//! Invariants:
//! - Arithmetic is C `int` arithmetic made total: where PostgreSQL's C would wrap (only for
//!   inputs it has already range-checked), these functions wrap instead of panicking, so a
//!   caller that checks ranges as PostgreSQL does gets PostgreSQL's values.

/// Julian day of 1970-01-01.
pub(crate) const UNIX_EPOCH_JDATE: i32 = 2_440_588;
/// Julian day of 2000-01-01, the origin of every stored date and timestamp.
pub(crate) const POSTGRES_EPOCH_JDATE: i32 = 2_451_545;
/// First valid Julian day (4714-11-24 BC).
pub(crate) const DATETIME_MIN_JULIAN: i32 = 0;
/// Julian day of 5874898-01-01: dates end before it.
pub(crate) const DATE_END_JULIAN: i32 = 2_147_483_494;
/// Julian day of 294277-01-01: timestamps end before it.
pub(crate) const TIMESTAMP_END_JULIAN: i32 = 109_203_528;

pub(crate) const USECS_PER_DAY: i64 = 86_400_000_000;
pub(crate) const USECS_PER_HOUR: i64 = 3_600_000_000;
pub(crate) const USECS_PER_MINUTE: i64 = 60_000_000;
pub(crate) const USECS_PER_SEC: i64 = 1_000_000;
pub(crate) const SECS_PER_DAY: i64 = 86_400;
pub(crate) const SECS_PER_HOUR: i32 = 3600;
pub(crate) const SECS_PER_MINUTE: i32 = 60;
pub(crate) const MINS_PER_HOUR: i32 = 60;
pub(crate) const HOURS_PER_DAY: i32 = 24;
pub(crate) const MONTHS_PER_YEAR: i32 = 12;
pub(crate) const DAYS_PER_MONTH: i32 = 30;
/// Largest hour of a numeric time zone offset.
pub(crate) const MAX_TZDISP_HOUR: i32 = 15;
/// Offsets must be strictly less than this many seconds.
pub(crate) const TZDISP_LIMIT: i32 = (MAX_TZDISP_HOUR + 1) * SECS_PER_HOUR;

/// Days in each month, for common and leap years.
pub(crate) const DAY_TAB: [[i32; 13]; 2] = [
    [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0],
    [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0],
];

/// Three-letter month abbreviations.
pub(crate) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Full weekday names, Sunday first.
pub(crate) const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Whether `year` (astronomical: 0 is 1 BC) is a leap year.
pub(crate) fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The Julian day number of a calendar date.
pub(crate) fn date2j(y: i32, m: i32, d: i32) -> i32 {
    let (mut y, mut m) = (y, m);
    if m > 2 {
        m = m.wrapping_add(1);
        y = y.wrapping_add(4800);
    } else {
        m = m.wrapping_add(13);
        y = y.wrapping_add(4799);
    }
    let century = y / 100;
    let mut julian = y.wrapping_mul(365).wrapping_sub(32167);
    julian = julian
        .wrapping_add(y / 4)
        .wrapping_sub(century)
        .wrapping_add(century / 4);
    julian
        .wrapping_add(7834i32.wrapping_mul(m) / 256)
        .wrapping_add(d)
}

/// The calendar date (year, month, day) of a Julian day number.
pub(crate) fn j2date(jd: i32) -> (i32, i32, i32) {
    let mut julian = jd as u32;
    julian = julian.wrapping_add(32044);
    let mut quad = julian / 146_097;
    let extra = (julian.wrapping_sub(quad.wrapping_mul(146_097)))
        .wrapping_mul(4)
        .wrapping_add(3);
    julian = julian
        .wrapping_add(60)
        .wrapping_add(quad.wrapping_mul(3))
        .wrapping_add(extra / 146_097);
    quad = julian / 1461;
    julian = julian.wrapping_sub(quad.wrapping_mul(1461));
    let mut y = (julian.wrapping_mul(4) / 1461) as i32;
    julian = if y != 0 {
        (julian + 305) % 365
    } else {
        (julian + 306) % 366
    } + 123;
    y = y.wrapping_add((quad as i32).wrapping_mul(4));
    let year = y.wrapping_sub(4800);
    let quad = julian.wrapping_mul(2141) / 65536;
    let day = julian.wrapping_sub(7834u32.wrapping_mul(quad) / 256) as i32;
    let month = ((quad + 10) % 12 + 1) as i32;
    (year, month, day)
}

/// Day of week of a Julian day, 0 = Sunday.
pub(crate) fn j2day(jd: i32) -> i32 {
    let d = (jd.wrapping_add(1)) % 7;
    if d < 0 { d + 7 } else { d }
}

/// The Julian day of the Monday starting ISO week `week` of ISO year `year`.
pub(crate) fn isoweek2j(year: i32, week: i32) -> i32 {
    let day4 = date2j(year, 1, 4);
    let day0 = j2day(day4.wrapping_sub(1));
    (week.wrapping_sub(1))
        .wrapping_mul(7)
        .wrapping_add(day4.wrapping_sub(day0))
}

/// The date of the first day of ISO week `woy` of ISO year `year`.
pub(crate) fn isoweek2date(woy: i32, year: i32) -> (i32, i32, i32) {
    j2date(isoweek2j(year, woy))
}

/// The date of ISO week `isoweek`, ISO weekday `wday` (1 = Monday .. 7 = Sunday) of `year`.
pub(crate) fn isoweekdate2date(isoweek: i32, wday: i32, year: i32) -> (i32, i32, i32) {
    let mut jday = isoweek2j(year, isoweek);
    if wday > 1 {
        jday = jday.wrapping_add(wday - 2);
    } else {
        jday = jday.wrapping_add(6);
    }
    j2date(jday)
}

/// The ISO week number and ISO week-numbering year of a date (PostgreSQL's
/// `date2isoweek` and `date2isoyear`, which share this walk).
fn iso_week_year(year: i32, mon: i32, mday: i32) -> (i32, i32) {
    let mut year = year;
    let dayn = date2j(year, mon, mday);
    let mut day4 = date2j(year, 1, 4);
    let mut day0 = j2day(day4.wrapping_sub(1));
    if dayn < day4.wrapping_sub(day0) {
        day4 = date2j(year.wrapping_sub(1), 1, 4);
        day0 = j2day(day4.wrapping_sub(1));
        year = year.wrapping_sub(1);
    }
    let mut week = dayn.wrapping_sub(day4.wrapping_sub(day0)) / 7 + 1;
    if week >= 52 {
        day4 = date2j(year.wrapping_add(1), 1, 4);
        day0 = j2day(day4.wrapping_sub(1));
        if dayn >= day4.wrapping_sub(day0) {
            week = dayn.wrapping_sub(day4.wrapping_sub(day0)) / 7 + 1;
            year = year.wrapping_add(1);
        }
    }
    (week, year)
}

/// The ISO week number of a date.
pub(crate) fn date2isoweek(year: i32, mon: i32, mday: i32) -> i32 {
    iso_week_year(year, mon, mday).0
}

/// The ISO 8601 week-numbering year of a date.
pub(crate) fn date2isoyear(year: i32, mon: i32, mday: i32) -> i32 {
    iso_week_year(year, mon, mday).1
}

/// The day of the ISO year (1-based) of a date.
pub(crate) fn date2isoyearday(year: i32, mon: i32, mday: i32) -> i32 {
    date2j(year, mon, mday)
        .wrapping_sub(isoweek2j(date2isoyear(year, mon, mday), 1))
        .wrapping_add(1)
}

/// PostgreSQL's `IS_VALID_JULIAN`: whether the Julian-day routines are exact for this date.
pub(crate) fn is_valid_julian(y: i32, m: i32, _d: i32) -> bool {
    (y > -4713 || (y == -4713 && m >= 11)) && (y < 5_874_898 || (y == 5_874_898 && m < 6))
}
