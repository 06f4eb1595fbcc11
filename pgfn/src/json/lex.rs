//! The JSON lexer of PostgreSQL 15 (`src/common/jsonapi.c`): tokens, de-escaping, and the
//! exact token extents its error details quote.
//!
//! Invariants:
//! - Whitespace is only space, tab, newline and carriage return.
//! - With `de_escape` on (jsonb, and the json functions that read strings) a string's escapes
//!   are decoded and checked (surrogate pairs, no `\u0000`); with it off (json input) only the
//!   escape syntax is checked, as PostgreSQL's `json_in` does.
//! - Error details are PostgreSQL's `json_errdetail` text for the same token.

use std::borrow::Cow;

use crate::{Condition, Error};

/// A token kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    ObjectStart,
    ObjectEnd,
    ArrayStart,
    ArrayEnd,
    Comma,
    Colon,
    String,
    Number,
    True,
    False,
    Null,
    End,
}

/// PostgreSQL's `JsonParseErrorType`, the ones a parse can raise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParseError {
    EscapingInvalid,
    EscapingRequired,
    ExpectedEnd,
    ExpectedArrayNext,
    ExpectedColon,
    ExpectedJson,
    ExpectedMore,
    ExpectedObjectFirst,
    ExpectedObjectNext,
    ExpectedString,
    InvalidToken,
    CodePointZero,
    UnicodeEscapeFormat,
    HighSurrogate,
    LowSurrogate,
}

/// The lexer's state over one input.
pub(crate) struct Lexer<'a> {
    input: &'a [u8],
    text: &'a str,
    de_escape: bool,
    pub(crate) token: Token,
    pub(crate) token_start: usize,
    pub(crate) token_end: usize,
    /// Where the previous token ended (the end of a just-finished value).
    pub(crate) prev_end: usize,
    /// The current string token's decoded value, if it had escapes (else the raw slice is it).
    decoded: Option<String>,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(text: &'a str, de_escape: bool) -> Lexer<'a> {
        Lexer {
            input: text.as_bytes(),
            text,
            de_escape,
            token: Token::End,
            token_start: 0,
            token_end: 0,
            prev_end: 0,
            decoded: None,
        }
    }

    /// The current string token's value: decoded when de-escaping, else the raw contents.
    pub(crate) fn string_value(&mut self) -> Cow<'a, str> {
        match self.decoded.take() {
            Some(s) => Cow::Owned(s),
            None => Cow::Borrowed(&self.text[self.token_start + 1..self.token_end - 1]),
        }
    }

    /// The current token's text.
    pub(crate) fn raw(&self) -> &'a str {
        &self.text[self.token_start..self.token_end]
    }

    /// Advances to the next token (PostgreSQL's `json_lex`).
    pub(crate) fn lex(&mut self) -> std::result::Result<(), ParseError> {
        let mut s = self.token_end;
        while s < self.input.len() && matches!(self.input[s], b' ' | b'\t' | b'\n' | b'\r') {
            s += 1;
        }
        self.token_start = s;
        self.decoded = None;
        if s >= self.input.len() {
            self.prev_end = self.token_end;
            self.token_end = s;
            self.token = Token::End;
            return Ok(());
        }
        let punct = match self.input[s] {
            b'{' => Some(Token::ObjectStart),
            b'}' => Some(Token::ObjectEnd),
            b'[' => Some(Token::ArrayStart),
            b']' => Some(Token::ArrayEnd),
            b',' => Some(Token::Comma),
            b':' => Some(Token::Colon),
            _ => None,
        };
        if let Some(token) = punct {
            self.prev_end = self.token_end;
            self.token_end = s + 1;
            self.token = token;
            return Ok(());
        }
        match self.input[s] {
            b'"' => {
                self.lex_string()?;
                self.token = Token::String;
            }
            b'-' => {
                self.lex_number(s + 1)?;
                self.token = Token::Number;
            }
            b'0'..=b'9' => {
                self.lex_number(s)?;
                self.token = Token::Number;
            }
            _ => {
                let mut p = s;
                while p < self.input.len() && is_alnum(self.input[p]) {
                    p += 1;
                }
                self.prev_end = self.token_end;
                if p == s {
                    self.token_end = s + 1;
                    return Err(ParseError::InvalidToken);
                }
                self.token_end = p;
                self.token = match &self.input[s..p] {
                    b"true" => Token::True,
                    b"null" => Token::Null,
                    b"false" => Token::False,
                    _ => return Err(ParseError::InvalidToken),
                };
            }
        }
        Ok(())
    }

    fn char_end(&self, s: usize) -> usize {
        let len = match self.input[s] {
            b if b < 0x80 => 1,
            b if b >= 0xF0 => 4,
            b if b >= 0xE0 => 3,
            _ => 2,
        };
        (s + len).min(self.input.len())
    }

    fn lex_string(&mut self) -> std::result::Result<(), ParseError> {
        let input = self.input;
        let end = input.len();
        let mut s = self.token_start;
        let mut hi_surrogate: Option<u32> = None;
        // Decoded text, started lazily at the first escape (raw prefix copied then).
        let mut out: Option<String> = None;
        let mut plain_from = s + 1;
        loop {
            s += 1;
            // Plain bytes need no attention unless a high surrogate awaits its partner.
            if hi_surrogate.is_none() {
                while s < end && input[s] >= 32 && input[s] != b'"' && input[s] != b'\\' {
                    s += 1;
                }
            }
            if s >= end {
                self.token_end = s;
                return Err(ParseError::InvalidToken);
            }
            let c = input[s];
            if c == b'"' {
                break;
            } else if c < 32 {
                self.token_end = s;
                return Err(ParseError::EscapingRequired);
            } else if c == b'\\' {
                if self.de_escape && out.is_none() {
                    out = Some(String::with_capacity(s - self.token_start + 16));
                }
                if let Some(buf) = out.as_mut() {
                    buf.push_str(&self.text[plain_from..s]);
                }
                s += 1;
                if s >= end {
                    self.token_end = s;
                    return Err(ParseError::InvalidToken);
                }
                if input[s] == b'u' {
                    let mut ch: u32 = 0;
                    for _ in 0..4 {
                        s += 1;
                        if s >= end {
                            self.token_end = s;
                            return Err(ParseError::InvalidToken);
                        }
                        let digit = match input[s] {
                            b @ b'0'..=b'9' => u32::from(b - b'0'),
                            b @ b'a'..=b'f' => u32::from(b - b'a') + 10,
                            b @ b'A'..=b'F' => u32::from(b - b'A') + 10,
                            _ => {
                                self.token_end = self.char_end(s);
                                return Err(ParseError::UnicodeEscapeFormat);
                            }
                        };
                        ch = ch * 16 + digit;
                    }
                    if let Some(buf) = out.as_mut() {
                        if (0xD800..=0xDBFF).contains(&ch) {
                            if hi_surrogate.is_some() {
                                self.token_end = self.char_end(s);
                                return Err(ParseError::HighSurrogate);
                            }
                            hi_surrogate = Some(ch);
                            plain_from = s + 1;
                            continue;
                        } else if (0xDC00..=0xDFFF).contains(&ch) {
                            let Some(hi) = hi_surrogate.take() else {
                                self.token_end = self.char_end(s);
                                return Err(ParseError::LowSurrogate);
                            };
                            ch = ((hi & 0x3FF) << 10) + (ch & 0x3FF) + 0x10000;
                        }
                        if hi_surrogate.is_some() {
                            self.token_end = self.char_end(s);
                            return Err(ParseError::LowSurrogate);
                        }
                        if ch == 0 {
                            self.token_end = self.char_end(s);
                            return Err(ParseError::CodePointZero);
                        }
                        buf.push(char::from_u32(ch).unwrap_or('\u{FFFD}'));
                    }
                } else if let Some(buf) = out.as_mut() {
                    if hi_surrogate.is_some() {
                        self.token_end = self.char_end(s);
                        return Err(ParseError::LowSurrogate);
                    }
                    let decoded = match input[s] {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        _ => {
                            self.token_start = s;
                            self.token_end = self.char_end(s);
                            return Err(ParseError::EscapingInvalid);
                        }
                    };
                    buf.push(decoded);
                } else if !b"\"\\/bfnrt".contains(&input[s]) {
                    self.token_start = s;
                    self.token_end = self.char_end(s);
                    return Err(ParseError::EscapingInvalid);
                }
                plain_from = s + 1;
            } else if hi_surrogate.is_some() {
                self.token_end = self.char_end(s);
                return Err(ParseError::LowSurrogate);
            }
        }
        if hi_surrogate.is_some() {
            self.token_end = s + 1;
            return Err(ParseError::LowSurrogate);
        }
        if let Some(mut buf) = out {
            buf.push_str(&self.text[plain_from..s]);
            self.decoded = Some(buf);
        }
        self.prev_end = self.token_end;
        self.token_end = s + 1;
        Ok(())
    }

    fn lex_number(&mut self, start: usize) -> std::result::Result<(), ParseError> {
        let (end, ok) = scan_number(self.input, start);
        self.prev_end = self.token_end;
        self.token_end = end;
        if ok {
            Ok(())
        } else {
            Err(ParseError::InvalidToken)
        }
    }

    /// The error PostgreSQL raises for `err` at the lexer's current position.
    pub(crate) fn error(&self, err: ParseError) -> Error {
        let token = || {
            String::from_utf8_lossy(
                &self.input[self.token_start..self.token_end.max(self.token_start)],
            )
        };
        let detail = match err {
            ParseError::EscapingInvalid => format!("Escape sequence \"\\{}\" is invalid.", token()),
            ParseError::EscapingRequired => {
                format!(
                    "Character with value 0x{:02x} must be escaped.",
                    self.input[self.token_end]
                )
            }
            ParseError::ExpectedEnd => format!("Expected end of input, but found \"{}\".", token()),
            ParseError::ExpectedArrayNext => {
                format!("Expected \",\" or \"]\", but found \"{}\".", token())
            }
            ParseError::ExpectedColon => format!("Expected \":\", but found \"{}\".", token()),
            ParseError::ExpectedJson => format!("Expected JSON value, but found \"{}\".", token()),
            ParseError::ExpectedMore => "The input string ended unexpectedly.".to_string(),
            ParseError::ExpectedObjectFirst => {
                format!("Expected string or \"}}\", but found \"{}\".", token())
            }
            ParseError::ExpectedObjectNext => {
                format!("Expected \",\" or \"}}\", but found \"{}\".", token())
            }
            ParseError::ExpectedString => format!("Expected string, but found \"{}\".", token()),
            ParseError::InvalidToken => format!("Token \"{}\" is invalid.", token()),
            ParseError::CodePointZero => "\\u0000 cannot be converted to text.".to_string(),
            ParseError::UnicodeEscapeFormat => {
                "\"\\u\" must be followed by four hexadecimal digits.".to_string()
            }
            ParseError::HighSurrogate => {
                "Unicode high surrogate must not follow a high surrogate.".to_string()
            }
            ParseError::LowSurrogate => {
                "Unicode low surrogate must follow a high surrogate.".to_string()
            }
        };
        if err == ParseError::CodePointZero {
            Error::new(
                Condition::UntranslatableCharacter,
                "unsupported Unicode escape sequence",
            )
            .with_detail(detail)
        } else {
            Error::new(
                Condition::InvalidTextRepresentation,
                "invalid input syntax for type json",
            )
            .with_detail(detail)
        }
    }
}

/// Scans a JSON number's digits from `start` (after any minus sign): its end, and whether it
/// is well formed (PostgreSQL's `json_lex_number`; trailing letters belong to the token).
pub(crate) fn scan_number(input: &[u8], start: usize) -> (usize, bool) {
    let len = input.len();
    let mut s = start;
    let mut ok = true;
    let digit = |s: usize| s < len && input[s].is_ascii_digit();
    if s < len && input[s] == b'0' {
        s += 1;
    } else if s < len && (b'1'..=b'9').contains(&input[s]) {
        while digit(s) {
            s += 1;
        }
    } else {
        ok = false;
    }
    if s < len && input[s] == b'.' {
        s += 1;
        if !digit(s) {
            ok = false;
        } else {
            while digit(s) {
                s += 1;
            }
        }
    }
    if s < len && (input[s] == b'e' || input[s] == b'E') {
        s += 1;
        if s < len && (input[s] == b'+' || input[s] == b'-') {
            s += 1;
        }
        if !digit(s) {
            ok = false;
        } else {
            while digit(s) {
                s += 1;
            }
        }
    }
    while s < len && is_alnum(input[s]) {
        s += 1;
        ok = false;
    }
    (s, ok)
}

/// Whether `text` is exactly one valid JSON number (PostgreSQL's `IsValidJsonNumber`).
pub(crate) fn is_valid_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let start = usize::from(bytes.first() == Some(&b'-'));
    if bytes.len() <= start {
        return false;
    }
    let (end, ok) = scan_number(bytes, start);
    ok && end == bytes.len()
}

fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}
