//! The template keywords of `to_char`/`to_date`/`to_timestamp` (PostgreSQL's `DCH_keywords`)
//! and of the number formats (`NUM_keywords`), with the FM/TM/TH/th/SP modifiers.
//!
//! Invariants:
//! - Tables keep PostgreSQL's order: for a given first character the first entry that prefixes
//!   the template wins (`HH24` before `HH`, `SSSSS` before `SS`), as `index_seq_search` does.

/// A date/time template pattern (PostgreSQL's `DCH_poz`; lowercase spellings that behave
/// alike share a variant, as in PostgreSQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dch {
    ADots,
    AMDots,
    AdUpper,
    AmUpper,
    BCDots,
    BcUpper,
    Cc,
    DayUpper,
    Ddd,
    Dd,
    DyUpper,
    DayCap,
    DyCap,
    D,
    Ff1,
    Ff2,
    Ff3,
    Ff4,
    Ff5,
    Ff6,
    Fx,
    Hh24,
    Hh12,
    Hh,
    Iddd,
    Id,
    Iw,
    Iyyy,
    Iyy,
    Iy,
    I,
    J,
    Mi,
    Mm,
    MonthUpper,
    MonUpper,
    Ms,
    MonthCap,
    MonCap,
    Of,
    PMDots,
    PmUpper,
    Q,
    RmUpper,
    Ssss,
    Ss,
    Tzh,
    Tzm,
    TzUpper,
    Us,
    Ww,
    W,
    YComma,
    Yyyy,
    Yyy,
    Yy,
    Y,
    ADotsLower,
    AMDotsLower,
    AdLower,
    AmLower,
    BCDotsLower,
    BcLower,
    DayLower,
    DyLower,
    MonthLower,
    MonLower,
    PMDotsLower,
    PmLower,
    RmLower,
    TzLower,
}

/// How a pattern constrains the date convention of `to_date`/`to_timestamp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateMode {
    None,
    Gregorian,
    IsoWeek,
}

/// One keyword: its spelling, pattern, whether it reads digits, and its date convention.
pub(crate) struct KeyWord {
    pub name: &'static str,
    pub id: Dch,
    pub is_digit: bool,
    pub mode: DateMode,
}

const fn kw(name: &'static str, id: Dch, is_digit: bool, mode: DateMode) -> KeyWord {
    KeyWord {
        name,
        id,
        is_digit,
        mode,
    }
}

use DateMode::{Gregorian as G, IsoWeek as I, None as N};

/// PostgreSQL's `DCH_keywords`, in its order.
pub(crate) static DCH_KEYWORDS: &[KeyWord] = &[
    kw("A.D.", Dch::ADots, false, N),
    kw("A.M.", Dch::AMDots, false, N),
    kw("AD", Dch::AdUpper, false, N),
    kw("AM", Dch::AmUpper, false, N),
    kw("B.C.", Dch::BCDots, false, N),
    kw("BC", Dch::BcUpper, false, N),
    kw("CC", Dch::Cc, true, N),
    kw("DAY", Dch::DayUpper, false, N),
    kw("DDD", Dch::Ddd, true, G),
    kw("DD", Dch::Dd, true, G),
    kw("DY", Dch::DyUpper, false, N),
    kw("Day", Dch::DayCap, false, N),
    kw("Dy", Dch::DyCap, false, N),
    kw("D", Dch::D, true, G),
    kw("FF1", Dch::Ff1, true, N),
    kw("FF2", Dch::Ff2, true, N),
    kw("FF3", Dch::Ff3, true, N),
    kw("FF4", Dch::Ff4, true, N),
    kw("FF5", Dch::Ff5, true, N),
    kw("FF6", Dch::Ff6, true, N),
    kw("FX", Dch::Fx, false, N),
    kw("HH24", Dch::Hh24, true, N),
    kw("HH12", Dch::Hh12, true, N),
    kw("HH", Dch::Hh, true, N),
    kw("IDDD", Dch::Iddd, true, I),
    kw("ID", Dch::Id, true, I),
    kw("IW", Dch::Iw, true, I),
    kw("IYYY", Dch::Iyyy, true, I),
    kw("IYY", Dch::Iyy, true, I),
    kw("IY", Dch::Iy, true, I),
    kw("I", Dch::I, true, I),
    kw("J", Dch::J, true, N),
    kw("MI", Dch::Mi, true, N),
    kw("MM", Dch::Mm, true, G),
    kw("MONTH", Dch::MonthUpper, false, G),
    kw("MON", Dch::MonUpper, false, G),
    kw("MS", Dch::Ms, true, N),
    kw("Month", Dch::MonthCap, false, G),
    kw("Mon", Dch::MonCap, false, G),
    kw("OF", Dch::Of, false, N),
    kw("P.M.", Dch::PMDots, false, N),
    kw("PM", Dch::PmUpper, false, N),
    kw("Q", Dch::Q, true, N),
    kw("RM", Dch::RmUpper, false, G),
    kw("SSSSS", Dch::Ssss, true, N),
    kw("SSSS", Dch::Ssss, true, N),
    kw("SS", Dch::Ss, true, N),
    kw("TZH", Dch::Tzh, false, N),
    kw("TZM", Dch::Tzm, true, N),
    kw("TZ", Dch::TzUpper, false, N),
    kw("US", Dch::Us, true, N),
    kw("WW", Dch::Ww, true, G),
    kw("W", Dch::W, true, G),
    kw("Y,YYY", Dch::YComma, true, G),
    kw("YYYY", Dch::Yyyy, true, G),
    kw("YYY", Dch::Yyy, true, G),
    kw("YY", Dch::Yy, true, G),
    kw("Y", Dch::Y, true, G),
    kw("a.d.", Dch::ADotsLower, false, N),
    kw("a.m.", Dch::AMDotsLower, false, N),
    kw("ad", Dch::AdLower, false, N),
    kw("am", Dch::AmLower, false, N),
    kw("b.c.", Dch::BCDotsLower, false, N),
    kw("bc", Dch::BcLower, false, N),
    kw("cc", Dch::Cc, true, N),
    kw("day", Dch::DayLower, false, N),
    kw("ddd", Dch::Ddd, true, G),
    kw("dd", Dch::Dd, true, G),
    kw("dy", Dch::DyLower, false, N),
    kw("d", Dch::D, true, G),
    kw("ff1", Dch::Ff1, true, N),
    kw("ff2", Dch::Ff2, true, N),
    kw("ff3", Dch::Ff3, true, N),
    kw("ff4", Dch::Ff4, true, N),
    kw("ff5", Dch::Ff5, true, N),
    kw("ff6", Dch::Ff6, true, N),
    kw("fx", Dch::Fx, false, N),
    kw("hh24", Dch::Hh24, true, N),
    kw("hh12", Dch::Hh12, true, N),
    kw("hh", Dch::Hh, true, N),
    kw("iddd", Dch::Iddd, true, I),
    kw("id", Dch::Id, true, I),
    kw("iw", Dch::Iw, true, I),
    kw("iyyy", Dch::Iyyy, true, I),
    kw("iyy", Dch::Iyy, true, I),
    kw("iy", Dch::Iy, true, I),
    kw("i", Dch::I, true, I),
    kw("j", Dch::J, true, N),
    kw("mi", Dch::Mi, true, N),
    kw("mm", Dch::Mm, true, G),
    kw("month", Dch::MonthLower, false, G),
    kw("mon", Dch::MonLower, false, G),
    kw("ms", Dch::Ms, true, N),
    kw("of", Dch::Of, false, N),
    kw("p.m.", Dch::PMDotsLower, false, N),
    kw("pm", Dch::PmLower, false, N),
    kw("q", Dch::Q, true, N),
    kw("rm", Dch::RmLower, false, G),
    kw("sssss", Dch::Ssss, true, N),
    kw("ssss", Dch::Ssss, true, N),
    kw("ss", Dch::Ss, true, N),
    kw("tzh", Dch::Tzh, false, N),
    kw("tzm", Dch::Tzm, true, N),
    kw("tz", Dch::TzLower, false, N),
    kw("us", Dch::Us, true, N),
    kw("ww", Dch::Ww, true, G),
    kw("w", Dch::W, true, G),
    kw("y,yyy", Dch::YComma, true, G),
    kw("yyyy", Dch::Yyyy, true, G),
    kw("yyy", Dch::Yyy, true, G),
    kw("yy", Dch::Yy, true, G),
    kw("y", Dch::Y, true, G),
];

/// `index_seq_search` over `DCH_KEYWORDS`: the first keyword that prefixes `s`.
pub(crate) fn dch_search(s: &[u8]) -> Option<&'static KeyWord> {
    let first = *s.first()?;
    if first <= b' ' || first >= b'~' {
        return None;
    }
    DCH_KEYWORDS
        .iter()
        .filter(|k| k.name.as_bytes()[0] == first)
        .find(|k| s.starts_with(k.name.as_bytes()))
}

/// Modifier bits of a pattern.
pub(crate) const S_FM: u8 = 0x01;
pub(crate) const S_TH: u8 = 0x02;
pub(crate) const S_TH_LOWER: u8 = 0x04;
pub(crate) const S_SP: u8 = 0x08;
pub(crate) const S_TM: u8 = 0x10;

/// Prefix modifiers (`FM`, `TM`), PostgreSQL's `DCH_suff` order.
pub(crate) fn prefix_suffix(s: &[u8]) -> Option<u8> {
    for (name, bit) in [("FM", S_FM), ("fm", S_FM), ("TM", S_TM), ("tm", S_TM)] {
        if s.starts_with(name.as_bytes()) {
            return Some(bit);
        }
    }
    None
}

/// Postfix modifiers (`TH`, `th`, `SP`).
pub(crate) fn postfix_suffix(s: &[u8]) -> Option<u8> {
    for (name, bit) in [("TH", S_TH), ("th", S_TH_LOWER), ("SP", S_SP)] {
        if s.starts_with(name.as_bytes()) {
            return Some(bit);
        }
    }
    None
}

/// A number template pattern (PostgreSQL's `NUM_poz`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Num {
    Comma,
    Dec,
    Zero,
    Nine,
    B,
    C,
    D,
    E,
    Fm,
    G,
    L,
    Mi,
    Pl,
    Pr,
    RnUpper,
    Sg,
    Sp,
    S,
    ThUpper,
    V,
    RnLower,
    ThLower,
}

/// PostgreSQL's `NUM_keywords`, in its order.
static NUM_KEYWORDS: &[(&str, Num)] = &[
    (",", Num::Comma),
    (".", Num::Dec),
    ("0", Num::Zero),
    ("9", Num::Nine),
    ("B", Num::B),
    ("C", Num::C),
    ("D", Num::D),
    ("EEEE", Num::E),
    ("FM", Num::Fm),
    ("G", Num::G),
    ("L", Num::L),
    ("MI", Num::Mi),
    ("PL", Num::Pl),
    ("PR", Num::Pr),
    ("RN", Num::RnUpper),
    ("SG", Num::Sg),
    ("SP", Num::Sp),
    ("S", Num::S),
    ("TH", Num::ThUpper),
    ("V", Num::V),
    ("b", Num::B),
    ("c", Num::C),
    ("d", Num::D),
    ("eeee", Num::E),
    ("fm", Num::Fm),
    ("g", Num::G),
    ("l", Num::L),
    ("mi", Num::Mi),
    ("pl", Num::Pl),
    ("pr", Num::Pr),
    ("rn", Num::RnLower),
    ("sg", Num::Sg),
    ("sp", Num::Sp),
    ("s", Num::S),
    ("th", Num::ThLower),
    ("v", Num::V),
];

/// `index_seq_search` over `NUM_keywords`: the keyword that prefixes `s`, and its length.
pub(crate) fn num_search(s: &[u8]) -> Option<(Num, usize)> {
    let first = *s.first()?;
    if first <= b' ' || first >= b'~' {
        return None;
    }
    NUM_KEYWORDS
        .iter()
        .filter(|(name, _)| name.as_bytes()[0] == first)
        .find(|(name, _)| s.starts_with(name.as_bytes()))
        .map(|(name, id)| (*id, name.len()))
}
