//! PostgreSQL's date/time keyword tables: `datetktbl` (words in date/time input) and
//! `deltatktbl` (interval units, also the field names of `extract` and `date_trunc`).
//!
//! Invariants:
//! - Each table is sorted by token bytes, and lookups compare at most `TOKMAXLEN` (10) bytes,
//!   as PostgreSQL's `datebsearch` does, so `microseconds` finds `microsecon`.

/// Longest significant token length.
const TOKMAXLEN: usize = 10;

/// What kind of word a token is (PostgreSQL's field type codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenType {
    Reserved(Special),
    Month(i32),
    Ignore,
    AmPm(Meridian),
    AdBc(bool),
    Dow(i32),
    Units(Unit),
    IsoTime,
    DstMod,
    Ago,
}

/// Reserved words with a value of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Special {
    Early,
    Late,
    Epoch,
    Now,
    Today,
    Tomorrow,
    Yesterday,
    Zulu,
}

/// AM, PM or 24-hour clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meridian {
    Am,
    Pm,
}

/// Field units (PostgreSQL's `DTK_*` unit codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Microseconds,
    Milliseconds,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
    Millennium,
    Julian,
    Dow,
    Doy,
    Timezone,
    TimezoneHour,
    TimezoneMinute,
    IsoYear,
    IsoDow,
    Epoch,
    /// The ISO "T" separator used as a unit prefix (`DTK_TIME`).
    Time,
}

use Special as S;
use TokenType as T;
use Unit as U;

static DATE_TOKENS: &[(&str, TokenType)] = &[
    ("-infinity", T::Reserved(S::Early)),
    ("ad", T::AdBc(false)),
    ("allballs", T::Reserved(S::Zulu)),
    ("am", T::AmPm(Meridian::Am)),
    ("apr", T::Month(4)),
    ("april", T::Month(4)),
    ("at", T::Ignore),
    ("aug", T::Month(8)),
    ("august", T::Month(8)),
    ("bc", T::AdBc(true)),
    ("d", T::Units(U::Day)),
    ("dec", T::Month(12)),
    ("december", T::Month(12)),
    ("dow", T::Units(U::Dow)),
    ("doy", T::Units(U::Doy)),
    ("dst", T::DstMod),
    ("epoch", T::Reserved(S::Epoch)),
    ("feb", T::Month(2)),
    ("february", T::Month(2)),
    ("fri", T::Dow(5)),
    ("friday", T::Dow(5)),
    ("h", T::Units(U::Hour)),
    ("infinity", T::Reserved(S::Late)),
    ("isodow", T::Units(U::IsoDow)),
    ("isoyear", T::Units(U::IsoYear)),
    ("j", T::Units(U::Julian)),
    ("jan", T::Month(1)),
    ("january", T::Month(1)),
    ("jd", T::Units(U::Julian)),
    ("jul", T::Month(7)),
    ("julian", T::Units(U::Julian)),
    ("july", T::Month(7)),
    ("jun", T::Month(6)),
    ("june", T::Month(6)),
    ("m", T::Units(U::Month)),
    ("mar", T::Month(3)),
    ("march", T::Month(3)),
    ("may", T::Month(5)),
    ("mm", T::Units(U::Minute)),
    ("mon", T::Dow(1)),
    ("monday", T::Dow(1)),
    ("nov", T::Month(11)),
    ("november", T::Month(11)),
    ("now", T::Reserved(S::Now)),
    ("oct", T::Month(10)),
    ("october", T::Month(10)),
    ("on", T::Ignore),
    ("pm", T::AmPm(Meridian::Pm)),
    ("s", T::Units(U::Second)),
    ("sat", T::Dow(6)),
    ("saturday", T::Dow(6)),
    ("sep", T::Month(9)),
    ("sept", T::Month(9)),
    ("september", T::Month(9)),
    ("sun", T::Dow(0)),
    ("sunday", T::Dow(0)),
    ("t", T::IsoTime),
    ("thu", T::Dow(4)),
    ("thur", T::Dow(4)),
    ("thurs", T::Dow(4)),
    ("thursday", T::Dow(4)),
    ("today", T::Reserved(S::Today)),
    ("tomorrow", T::Reserved(S::Tomorrow)),
    ("tue", T::Dow(2)),
    ("tues", T::Dow(2)),
    ("tuesday", T::Dow(2)),
    ("wed", T::Dow(3)),
    ("wednesday", T::Dow(3)),
    ("weds", T::Dow(3)),
    ("y", T::Units(U::Year)),
    ("yesterday", T::Reserved(S::Yesterday)),
];

static DELTA_TOKENS: &[(&str, TokenType)] = &[
    ("@", T::Ignore),
    ("ago", T::Ago),
    ("c", T::Units(U::Century)),
    ("cent", T::Units(U::Century)),
    ("centuries", T::Units(U::Century)),
    ("century", T::Units(U::Century)),
    ("d", T::Units(U::Day)),
    ("day", T::Units(U::Day)),
    ("days", T::Units(U::Day)),
    ("dec", T::Units(U::Decade)),
    ("decade", T::Units(U::Decade)),
    ("decades", T::Units(U::Decade)),
    ("decs", T::Units(U::Decade)),
    ("h", T::Units(U::Hour)),
    ("hour", T::Units(U::Hour)),
    ("hours", T::Units(U::Hour)),
    ("hr", T::Units(U::Hour)),
    ("hrs", T::Units(U::Hour)),
    ("m", T::Units(U::Minute)),
    ("microsecon", T::Units(U::Microseconds)),
    ("mil", T::Units(U::Millennium)),
    ("millennia", T::Units(U::Millennium)),
    ("millennium", T::Units(U::Millennium)),
    ("millisecon", T::Units(U::Milliseconds)),
    ("mils", T::Units(U::Millennium)),
    ("min", T::Units(U::Minute)),
    ("mins", T::Units(U::Minute)),
    ("minute", T::Units(U::Minute)),
    ("minutes", T::Units(U::Minute)),
    ("mon", T::Units(U::Month)),
    ("mons", T::Units(U::Month)),
    ("month", T::Units(U::Month)),
    ("months", T::Units(U::Month)),
    ("ms", T::Units(U::Milliseconds)),
    ("msec", T::Units(U::Milliseconds)),
    ("msecond", T::Units(U::Milliseconds)),
    ("mseconds", T::Units(U::Milliseconds)),
    ("msecs", T::Units(U::Milliseconds)),
    ("qtr", T::Units(U::Quarter)),
    ("quarter", T::Units(U::Quarter)),
    ("s", T::Units(U::Second)),
    ("sec", T::Units(U::Second)),
    ("second", T::Units(U::Second)),
    ("seconds", T::Units(U::Second)),
    ("secs", T::Units(U::Second)),
    ("timezone", T::Units(U::Timezone)),
    ("timezone_h", T::Units(U::TimezoneHour)),
    ("timezone_m", T::Units(U::TimezoneMinute)),
    ("us", T::Units(U::Microseconds)),
    ("usec", T::Units(U::Microseconds)),
    ("usecond", T::Units(U::Microseconds)),
    ("useconds", T::Units(U::Microseconds)),
    ("usecs", T::Units(U::Microseconds)),
    ("w", T::Units(U::Week)),
    ("week", T::Units(U::Week)),
    ("weeks", T::Units(U::Week)),
    ("y", T::Units(U::Year)),
    ("year", T::Units(U::Year)),
    ("years", T::Units(U::Year)),
    ("yr", T::Units(U::Year)),
    ("yrs", T::Units(U::Year)),
];

/// `datebsearch`'s comparison: the key truncated to `TOKMAXLEN` bytes against the token.
fn truncated(key: &str) -> &[u8] {
    let b = key.as_bytes();
    &b[..b.len().min(TOKMAXLEN)]
}

fn search(table: &[(&str, TokenType)], key: &str) -> Option<TokenType> {
    let key = truncated(key);
    table
        .binary_search_by(|(tok, _)| tok.as_bytes().cmp(key))
        .ok()
        .map(|i| table[i].1)
}

/// `DecodeSpecial`: a lowercase word of date/time input.
pub(crate) fn date_token(lower: &str) -> Option<TokenType> {
    search(DATE_TOKENS, lower)
}

/// `DecodeUnits`: a lowercase interval unit or field name.
pub(crate) fn delta_token(lower: &str) -> Option<TokenType> {
    search(DELTA_TOKENS, lower)
}

/// How a field name of `extract`, `date_part` or `date_trunc` decodes: PostgreSQL tries the
/// unit table, then the keyword table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldName {
    Unit(Unit),
    Reserved(Special),
    Unknown,
}

/// Decodes a lowercase field name as `DecodeUnits` then `DecodeSpecial` do.
pub(crate) fn field_name(lower: &str) -> FieldName {
    let tok = delta_token(lower).or_else(|| date_token(lower));
    match tok {
        Some(TokenType::Units(u)) => FieldName::Unit(u),
        Some(TokenType::Reserved(s)) => FieldName::Reserved(s),
        _ => FieldName::Unknown,
    }
}
