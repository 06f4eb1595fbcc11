//! The lexeme scanner shared by tsvector and tsquery input (PostgreSQL's `gettoken_tsvector`):
//! quoted and backslash-escaped lexemes, and in tsvector mode the `:1A,2` position lists.
//!
//! Invariants:
//! - Works on the bytes of a `&str` cut at its first NUL, as PostgreSQL reads a C string;
//!   tokens are whole characters, so every token is valid UTF-8.
//! - Character classes are the C locale's: only ASCII space and digits count.

use crate::tsearch::weight::WordPos;
use crate::{Condition, Error, Result};

/// How the scanner is used: plain tsvector input, inside tsquery input, or inside
/// `websearch_to_tsquery` (where quotes and backslashes are ordinary characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScanMode {
    TsVector,
    TsQuery,
    WebSearch,
}

/// One scanned lexeme: its bytes, positions (tsvector mode only) and where scanning resumes.
#[derive(Debug)]
pub(crate) struct ScannedToken {
    pub(crate) word: Vec<u8>,
    pub(crate) positions: Vec<WordPos>,
    pub(crate) end: usize,
}

impl ScannedToken {
    fn new(word: Vec<u8>, positions: Vec<WordPos>, end: usize) -> ScannedToken {
        ScannedToken {
            word,
            positions,
            end,
        }
    }
}

/// PostgreSQL's `ISOPERATOR`: the characters that end an operand in tsquery input.
pub(crate) fn is_operator(b: u8) -> bool {
    matches!(b, b'!' | b'&' | b'|' | b'(' | b')' | b'<')
}

/// The C locale's `isspace`.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Length in bytes of the UTF-8 character starting with `b` (PostgreSQL's `pg_utf_mblen`).
pub(crate) fn char_len(b: u8) -> usize {
    if b < 0x80 {
        1
    } else if b & 0xe0 == 0xc0 {
        2
    } else if b & 0xf0 == 0xe0 {
        3
    } else if b & 0xf8 == 0xf0 {
        4
    } else {
        1
    }
}

/// The input as PostgreSQL sees a C string: everything before the first NUL.
pub(crate) fn c_string(input: &str) -> &str {
    match input.find('\0') {
        Some(nul) => &input[..nul],
        None => input,
    }
}

/// Scans the next lexeme of `buf` from `start`; `Ok(None)` at the end of the input.
/// `whole` is the complete input, quoted in error messages.
pub(crate) fn next_token(
    buf: &[u8],
    start: usize,
    mode: ScanMode,
    whole: &str,
) -> Result<Option<ScannedToken>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        WaitWord,
        WaitEndWord,
        WaitNextChar,
        WaitEndCmplx,
        WaitPosInfo,
        InPosInfo,
        WaitPosDelim,
        WaitCharCmplx,
    }
    let oprisdelim = mode != ScanMode::TsVector;
    let is_web = mode == ScanMode::WebSearch;
    let at = |i: usize| -> u8 { buf.get(i).copied().unwrap_or(0) };
    let syntax = || syntax_error(mode, whole);

    let mut word: Vec<u8> = Vec::new();
    let mut positions: Vec<WordPos> = Vec::new();
    let mut state = State::WaitWord;
    let mut old_state = State::WaitEndWord;
    let mut i = start;
    loop {
        let c = at(i);
        let clen = if c == 0 { 1 } else { char_len(c) };
        let copy = |word: &mut Vec<u8>| {
            let end = (i + clen).min(buf.len());
            word.extend_from_slice(&buf[i..end]);
        };
        match state {
            State::WaitWord => {
                if c == 0 {
                    return Ok(None);
                } else if !is_web && c == b'\'' {
                    state = State::WaitEndCmplx;
                } else if !is_web && c == b'\\' {
                    state = State::WaitNextChar;
                    old_state = State::WaitEndWord;
                } else if (oprisdelim && is_operator(c)) || (is_web && c == b'"') {
                    return Err(syntax());
                } else if !is_space(c) {
                    copy(&mut word);
                    state = State::WaitEndWord;
                }
            }
            State::WaitNextChar => {
                if c == 0 {
                    return Err(Error::new(
                        Condition::SyntaxError,
                        format!("there is no escaped character: \"{whole}\""),
                    ));
                }
                copy(&mut word);
                state = old_state;
            }
            State::WaitEndWord => {
                if !is_web && c == b'\\' {
                    state = State::WaitNextChar;
                    old_state = State::WaitEndWord;
                } else if is_space(c)
                    || c == 0
                    || (oprisdelim && is_operator(c))
                    || (is_web && c == b'"')
                {
                    if word.is_empty() {
                        return Err(syntax());
                    }
                    return Ok(Some(ScannedToken::new(word, positions, i)));
                } else if c == b':' {
                    if word.is_empty() {
                        return Err(syntax());
                    }
                    if oprisdelim {
                        return Ok(Some(ScannedToken::new(word, positions, i)));
                    }
                    state = State::InPosInfo;
                } else {
                    copy(&mut word);
                }
            }
            State::WaitEndCmplx => {
                if !is_web && c == b'\'' {
                    state = State::WaitCharCmplx;
                } else if !is_web && c == b'\\' {
                    state = State::WaitNextChar;
                    old_state = State::WaitEndCmplx;
                } else if c == 0 {
                    return Err(syntax());
                } else {
                    copy(&mut word);
                }
            }
            State::WaitCharCmplx => {
                if !is_web && c == b'\'' {
                    copy(&mut word);
                    state = State::WaitEndCmplx;
                } else {
                    if word.is_empty() {
                        return Err(syntax());
                    }
                    if oprisdelim {
                        return Ok(Some(ScannedToken::new(word, positions, i)));
                    }
                    state = State::WaitPosInfo;
                    // PostgreSQL rechecks the current character in the new state.
                    continue;
                }
            }
            State::WaitPosInfo => {
                if c == b':' {
                    state = State::InPosInfo;
                } else {
                    return Ok(Some(ScannedToken::new(word, positions, i)));
                }
            }
            State::InPosInfo => {
                if c.is_ascii_digit() {
                    let pos = atoi_position(&buf[i..]);
                    if pos == 0 {
                        return Err(Error::new(
                            Condition::SyntaxError,
                            format!("wrong position info in tsvector: \"{whole}\""),
                        ));
                    }
                    positions.push(WordPos::new(pos, 0));
                    state = State::WaitPosDelim;
                } else {
                    return Err(syntax());
                }
            }
            State::WaitPosDelim => {
                let weight = match c {
                    b'a' | b'A' | b'*' => Some(3),
                    b'b' | b'B' => Some(2),
                    b'c' | b'C' => Some(1),
                    b'd' | b'D' => Some(0),
                    _ => None,
                };
                if c == b',' {
                    state = State::InPosInfo;
                } else if let Some(weight) = weight {
                    let Some(last) = positions.last_mut() else {
                        return Err(syntax());
                    };
                    if last.weight() != 0 {
                        return Err(syntax());
                    }
                    *last = WordPos::new(last.pos(), weight);
                } else if is_space(c) || c == 0 {
                    return Ok(Some(ScannedToken::new(word, positions, i)));
                } else if !c.is_ascii_digit() {
                    return Err(syntax());
                }
            }
        }
        i += clen;
    }
}

/// The syntax error PostgreSQL raises for bad tsvector or tsquery text.
pub(crate) fn syntax_error(mode: ScanMode, whole: &str) -> Error {
    let what = if mode == ScanMode::TsVector {
        "tsvector"
    } else {
        "tsquery"
    };
    Error::new(
        Condition::SyntaxError,
        format!("syntax error in {what}: \"{whole}\""),
    )
}

/// PostgreSQL's `LIMITPOS(atoi(s))` stored into 14 bits: glibc's `strtol` saturates at
/// `LONG_MAX`, `atoi` truncates that to `int`, and `WEP_SETPOS` keeps the low 14 bits.
fn atoi_position(digits: &[u8]) -> u16 {
    let mut value: i64 = 0;
    for &d in digits.iter().take_while(|d| d.is_ascii_digit()) {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(d - b'0')))
            .unwrap_or(i64::MAX);
    }
    let as_int = value as i32;
    let limited = if as_int >= 16384 { 16383 } else { as_int };
    (limited & 0x3fff) as u16
}
