//! The `tsvector` value: sorted unique lexemes with optional weighted positions; its text
//! input and output byte for byte as PostgreSQL's `tsvectorin`/`tsvectorout`.
//!
//! Invariants:
//! - Lexemes are sorted by their bytes (PostgreSQL's `tsCompareString`) and unique.
//! - A lexeme's positions are sorted ascending and unique, at most 256; an empty list means
//!   "no position information" (a stripped lexeme), as PostgreSQL's `haspos = 0`.
//! - Every lexeme is at most 2046 bytes and the whole value fits PostgreSQL's 1 MB limit.

use std::fmt;

use crate::tsearch::pg_qsort::pg_qsort;
use crate::tsearch::value_parser::{self, ScanMode};
use crate::tsearch::weight::{MAX_NUM_POS, MAX_POS, WordPos, weight_letter};
use crate::{Condition, Error, Result};

/// Longest lexeme PostgreSQL stores (`MAXSTRLEN - 1`).
pub(crate) const MAX_LEXEME_BYTES: usize = 2046;
/// Most bytes of lexemes and positions one tsvector holds (`MAXSTRPOS`).
pub(crate) const MAX_TSVECTOR_BYTES: usize = (1 << 20) - 1;

/// One lexeme of a tsvector and its positions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lexeme {
    word: String,
    // Invariant: sorted ascending by position, unique positions, at most MAX_NUM_POS.
    positions: Vec<WordPos>,
}

impl Lexeme {
    /// The lexeme's text.
    pub fn word(&self) -> &str {
        &self.word
    }

    /// Its positions with weights; empty when the lexeme carries no position information.
    pub fn positions(&self) -> &[WordPos] {
        &self.positions
    }
}

/// A PostgreSQL `tsvector`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TsVector {
    // Invariant: sorted by word bytes, words unique.
    lexemes: Vec<Lexeme>,
}

impl TsVector {
    /// Parses tsvector text input exactly as PostgreSQL's `tsvectorin`.
    pub fn parse(input: &str) -> Result<TsVector> {
        let text = value_parser::c_string(input);
        let buf = text.as_bytes();
        let mut entries: Vec<(String, Vec<WordPos>)> = Vec::new();
        let mut total_bytes = 0usize;
        let mut at = 0;
        while let Some(token) = value_parser::next_token(buf, at, ScanMode::TsVector, text)? {
            at = token.end;
            if token.word.len() > MAX_LEXEME_BYTES {
                return Err(Error::new(
                    Condition::ProgramLimitExceeded,
                    format!(
                        "word is too long ({} bytes, max {} bytes)",
                        token.word.len(),
                        MAX_LEXEME_BYTES
                    ),
                ));
            }
            if total_bytes > MAX_TSVECTOR_BYTES {
                return Err(too_long_error(total_bytes));
            }
            total_bytes += token.word.len();
            entries.push((bytes_to_string(token.word), token.positions));
        }
        pg_qsort(&mut entries, &|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let mut lexemes: Vec<Lexeme> = Vec::with_capacity(entries.len());
        for (word, positions) in entries {
            match lexemes.last_mut() {
                Some(last) if last.word == word => last.positions.extend(positions),
                _ => lexemes.push(Lexeme { word, positions }),
            }
        }
        for lexeme in &mut lexemes {
            lexeme.positions = unique_positions(std::mem::take(&mut lexeme.positions));
        }
        let tsvector = TsVector { lexemes };
        let size = tsvector.stored_bytes();
        if size > MAX_TSVECTOR_BYTES {
            return Err(too_long_error(size));
        }
        Ok(tsvector)
    }

    /// Builds a tsvector from lexemes already sorted and unique with valid position lists
    /// (the form every constructor in this module produces).
    pub(crate) fn from_sorted(lexemes: Vec<(String, Vec<WordPos>)>) -> TsVector {
        debug_assert!(
            lexemes
                .windows(2)
                .all(|w| w[0].0.as_bytes() < w[1].0.as_bytes())
        );
        TsVector {
            lexemes: lexemes
                .into_iter()
                .map(|(word, positions)| Lexeme { word, positions })
                .collect(),
        }
    }

    /// The lexemes, sorted by their bytes.
    pub fn lexemes(&self) -> &[Lexeme] {
        &self.lexemes
    }

    /// `length(tsvector)`: the number of lexemes.
    pub fn len(&self) -> usize {
        self.lexemes.len()
    }

    /// Whether the tsvector has no lexemes.
    pub fn is_empty(&self) -> bool {
        self.lexemes.is_empty()
    }

    /// Index of the lexeme equal to `word`, by binary search.
    pub(crate) fn find(&self, word: &[u8]) -> Option<usize> {
        self.lexemes
            .binary_search_by(|l| l.word.as_bytes().cmp(word))
            .ok()
    }

    /// Bytes PostgreSQL's on-disk form needs for lexemes and positions (checked against 1 MB).
    pub(crate) fn stored_bytes(&self) -> usize {
        let mut size = 0usize;
        for lexeme in &self.lexemes {
            size += lexeme.word.len();
            if !lexeme.positions.is_empty() {
                size += size % 2;
                size += 2 + 2 * lexeme.positions.len();
            }
        }
        size
    }

    /// Mutable access for the operations module, which keeps the invariants.
    pub(crate) fn lexemes_mut(&mut self) -> &mut [Lexeme] {
        &mut self.lexemes
    }
}

impl Lexeme {
    /// Mutable positions for the operations module, which keeps the invariants.
    pub(crate) fn positions_mut(&mut self) -> &mut Vec<WordPos> {
        &mut self.positions
    }
}

impl fmt::Display for TsVector {
    /// `tsvectorout`: `'word':1A,2 'other'`, quotes and backslashes doubled.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, lexeme) in self.lexemes.iter().enumerate() {
            if i != 0 {
                f.write_str(" ")?;
            }
            write_quoted(f, &lexeme.word)?;
            if !lexeme.positions.is_empty() {
                f.write_str(":")?;
                for (j, pos) in lexeme.positions.iter().enumerate() {
                    if j != 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{}", pos.pos())?;
                    if let Some(letter) = weight_letter(pos.weight()) {
                        write!(f, "{letter}")?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Writes `'text'` with `'` and `\` doubled, as tsvector and tsquery output do.
pub(crate) fn write_quoted(f: &mut impl fmt::Write, text: &str) -> fmt::Result {
    f.write_char('\'')?;
    for c in text.chars() {
        if c == '\'' || c == '\\' {
            f.write_char(c)?;
        }
        f.write_char(c)?;
    }
    f.write_char('\'')
}

/// PostgreSQL's `uniquePos`: sorts by position, keeps the highest weight of equal positions,
/// stops after 256 positions or at position 16383.
fn unique_positions(mut positions: Vec<WordPos>) -> Vec<WordPos> {
    if positions.len() <= 1 {
        return positions;
    }
    pg_qsort(&mut positions, &|a, b| a.pos().cmp(&b.pos()));
    let mut out: Vec<WordPos> = Vec::with_capacity(positions.len().min(MAX_NUM_POS));
    for p in positions {
        match out.last_mut() {
            Some(last) if last.pos() == p.pos() => {
                if p.weight() > last.weight() {
                    *last = last.with_weight(p.weight());
                }
            }
            _ => {
                out.push(p);
                // PostgreSQL stops right after keeping the 256th or the 16383rd position.
                if out.len() > 1 && (out.len() >= MAX_NUM_POS || p.pos() == MAX_POS) {
                    break;
                }
            }
        }
    }
    out
}

fn too_long_error(bytes: usize) -> Error {
    Error::new(
        Condition::ProgramLimitExceeded,
        format!("string is too long for tsvector ({bytes} bytes, max {MAX_TSVECTOR_BYTES} bytes)"),
    )
}

/// Tokens are sequences of whole characters of a `&str`, so this never replaces anything.
pub(crate) fn bytes_to_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}
