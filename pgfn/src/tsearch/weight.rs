//! A lexeme position with its weight, packed as PostgreSQL's `WordEntryPos` (14-bit position,
//! 2-bit weight), and the weight letters of text input and output.
//!
//! Invariants:
//! - Weight codes are PostgreSQL's: 3 = A, 2 = B, 1 = C, 0 = D (the default).
//! - A position is at most 16383 (`MAXENTRYPOS - 1`); position 0 never comes from text input.

/// Largest position PostgreSQL stores (`MAXENTRYPOS - 1`); larger ones are clamped to it.
pub(crate) const MAX_POS: u16 = 16383;
/// Most positions one lexeme keeps in a tsvector (`MAXNUMPOS`).
pub(crate) const MAX_NUM_POS: usize = 256;

/// A position (1..=16383) with a weight code (0..=3), as PostgreSQL packs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WordPos(u16);

impl WordPos {
    /// Packs `pos` (its low 14 bits) with weight code `weight` (its low 2 bits).
    pub fn new(pos: u16, weight: u8) -> WordPos {
        WordPos((u16::from(weight & 3) << 14) | (pos & 0x3fff))
    }

    /// The packed value as PostgreSQL stores it.
    pub(crate) const fn from_raw(raw: u16) -> WordPos {
        WordPos(raw)
    }

    /// The packed value as PostgreSQL stores and sends it.
    pub fn raw(self) -> u16 {
        self.0
    }

    /// The position.
    pub fn pos(self) -> u16 {
        self.0 & 0x3fff
    }

    /// The weight code: 3 = A, 2 = B, 1 = C, 0 = D.
    pub fn weight(self) -> u8 {
        (self.0 >> 14) as u8
    }

    /// The same position with another weight code.
    pub fn with_weight(self, weight: u8) -> WordPos {
        WordPos::new(self.pos(), weight)
    }
}

/// PostgreSQL's `LIMITPOS`: positions past 16383 become 16383.
pub(crate) fn limit_pos(pos: i64) -> u16 {
    if pos >= i64::from(MAX_POS) {
        MAX_POS
    } else {
        pos.max(0) as u16
    }
}

/// The weight code of a `setweight` letter (`A`..`D`, either case), or `None`.
pub(crate) fn weight_code(letter: char) -> Option<u8> {
    match letter {
        'A' | 'a' => Some(3),
        'B' | 'b' => Some(2),
        'C' | 'c' => Some(1),
        'D' | 'd' => Some(0),
        _ => None,
    }
}

/// The letter tsvector output prints after a position, none for D.
pub(crate) fn weight_letter(code: u8) -> Option<char> {
    match code {
        3 => Some('A'),
        2 => Some('B'),
        1 => Some('C'),
        _ => None,
    }
}
