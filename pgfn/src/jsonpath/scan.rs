//! The jsonpath scanner of PostgreSQL 15 (`jsonpath_scan.l`): tokens, keyword recognition,
//! string escapes, and the token text PostgreSQL quotes in a syntax error.
//!
//! Invariants:
//! - Tokens are produced one at a time, on demand, so errors come in PostgreSQL's order (a
//!   literal's value is checked before the next token is scanned).
//! - `Token::yytext` is what flex's `yytext` holds when the parser complains about the token:
//!   the operator or number itself, `"` for quoted strings, the trailing blanks for an
//!   unquoted word (`None`, "the end", when a special character ends it), `None` at the end.

use crate::{Condition, Error, Result};

/// A token kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    To,
    Null,
    True,
    False,
    Is,
    Unknown,
    Exists,
    Ident,
    Str,
    Numeric,
    Int,
    Variable,
    Or,
    And,
    Not,
    Less,
    LessEqual,
    Equal,
    NotEqual,
    GreaterEqual,
    Greater,
    Any,
    Strict,
    Lax,
    Last,
    Starts,
    With,
    LikeRegex,
    Flag,
    Abs,
    Size,
    Type,
    Floor,
    Double,
    Ceiling,
    KeyValue,
    Datetime,
    /// A single special character: `? % $ . [ ] { } ( ) | & ! = < > @ # , * : - + /`.
    Char(u8),
    End,
}

/// One token: its kind, its value (decoded string, variable name or number text) and the
/// text a syntax error quotes.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) value: String,
    pub(crate) yytext: Option<String>,
}

const KEYWORDS: [(&str, Tok, bool); 22] = [
    ("is", Tok::Is, false),
    ("to", Tok::To, false),
    ("abs", Tok::Abs, false),
    ("lax", Tok::Lax, false),
    ("flag", Tok::Flag, false),
    ("last", Tok::Last, false),
    ("null", Tok::Null, true),
    ("size", Tok::Size, false),
    ("true", Tok::True, true),
    ("type", Tok::Type, false),
    ("with", Tok::With, false),
    ("false", Tok::False, true),
    ("floor", Tok::Floor, false),
    ("double", Tok::Double, false),
    ("exists", Tok::Exists, false),
    ("starts", Tok::Starts, false),
    ("strict", Tok::Strict, false),
    ("ceiling", Tok::Ceiling, false),
    ("unknown", Tok::Unknown, false),
    ("datetime", Tok::Datetime, false),
    ("keyvalue", Tok::KeyValue, false),
    ("like_regex", Tok::LikeRegex, false),
];

fn is_special(b: u8) -> bool {
    b"?%$.[]{}()|&!=<>@#,*:-+/".contains(&b)
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

fn is_other(b: u8) -> bool {
    !is_special(b) && !is_blank(b) && b != b'\\' && b != b'"'
}

/// The scanner's position over the input.
pub(crate) struct Scanner<'a> {
    input: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(text: &'a str) -> Scanner<'a> {
        Scanner {
            input: text.as_bytes(),
            text,
            pos: 0,
        }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.input.get(i).copied()
    }

    fn slice(&self, from: usize, to: usize) -> String {
        String::from_utf8_lossy(&self.input[from..to.min(self.input.len())]).into_owned()
    }

    /// The next token.
    pub(crate) fn next(&mut self) -> Result<Token> {
        loop {
            let start = self.pos;
            let Some(c) = self.at(start) else {
                return Ok(Token {
                    tok: Tok::End,
                    value: String::new(),
                    yytext: None,
                });
            };
            if is_blank(c) {
                self.pos += 1;
                continue;
            }
            if c == b'/' && self.at(start + 1) == Some(b'*') {
                self.skip_comment(start + 2)?;
                continue;
            }
            let two = [c, self.at(start + 1).unwrap_or(0)];
            let op = match &two {
                b"&&" => Some(Tok::And),
                b"||" => Some(Tok::Or),
                b"**" => Some(Tok::Any),
                b"<=" => Some(Tok::LessEqual),
                b"==" => Some(Tok::Equal),
                b"<>" | b"!=" => Some(Tok::NotEqual),
                b">=" => Some(Tok::GreaterEqual),
                _ => None,
            };
            if let Some(tok) = op {
                self.pos += 2;
                return Ok(self.simple(tok, start));
            }
            match c {
                b'!' => return Ok(self.one(Tok::Not, start)),
                b'<' => return Ok(self.one(Tok::Less, start)),
                b'>' => return Ok(self.one(Tok::Greater, start)),
                b'$' => {
                    if self.at(start + 1).is_some_and(is_other) {
                        let mut end = start + 1;
                        while self.at(end).is_some_and(is_other) {
                            end += 1;
                        }
                        self.pos = end;
                        return Ok(Token {
                            tok: Tok::Variable,
                            value: self.slice(start + 1, end),
                            yytext: Some(self.slice(start, end)),
                        });
                    }
                    if self.at(start + 1) == Some(b'"') {
                        self.pos = start + 2;
                        let value = self.quoted()?;
                        return Ok(Token {
                            tok: Tok::Variable,
                            value,
                            yytext: Some("\"".into()),
                        });
                    }
                    return Ok(self.one(Tok::Char(b'$'), start));
                }
                b'"' => {
                    self.pos = start + 1;
                    let value = self.quoted()?;
                    return Ok(Token {
                        tok: Tok::Str,
                        value,
                        yytext: Some("\"".into()),
                    });
                }
                _ => {}
            }
            if let Some(token) = self.number(start)? {
                return Ok(token);
            }
            if is_special(c) {
                return Ok(self.one(Tok::Char(c), start));
            }
            // An unquoted word (possibly starting with an escape).
            match self.word(start)? {
                Some(token) => return Ok(token),
                None => continue,
            }
        }
    }

    fn simple(&self, tok: Tok, start: usize) -> Token {
        Token {
            tok,
            value: String::new(),
            yytext: Some(self.slice(start, self.pos)),
        }
    }

    fn one(&mut self, tok: Tok, start: usize) -> Token {
        self.pos = start + 1;
        self.simple(tok, start)
    }

    fn skip_comment(&mut self, from: usize) -> Result<()> {
        let mut i = from;
        loop {
            match self.at(i) {
                None => return Err(syntax_at("unexpected end of comment", None)),
                Some(b'*') if self.at(i + 1) == Some(b'/') => {
                    self.pos = i + 2;
                    return Ok(());
                }
                Some(_) => i += 1,
            }
        }
    }

    /// Numbers: integer, decimal and real literals and their malformed neighbours, chosen as
    /// flex does (longest match, then rule order; a longer plain word wins: `1ab` is a word).
    fn number(&mut self, start: usize) -> Result<Option<Token>> {
        let digit = |i: usize| self.at(i).is_some_and(|b| b.is_ascii_digit());
        let other = |i: usize| self.at(i).is_some_and(is_other);
        let len_int = match self.at(start) {
            Some(b'0') => 1,
            Some(b'1'..=b'9') => (start..).take_while(|i| digit(*i)).count(),
            _ => 0,
        };
        let len_dec = if len_int > 0 && self.at(start + len_int) == Some(b'.') {
            len_int + 1 + (start + len_int + 1..).take_while(|i| digit(*i)).count()
        } else if len_int == 0 && self.at(start) == Some(b'.') && digit(start + 1) {
            1 + (start + 1..).take_while(|i| digit(*i)).count()
        } else {
            0
        };
        let base = if len_dec > 0 { len_dec } else { len_int };
        if base == 0 {
            return Ok(None);
        }
        let (mut len_real, mut len_realfail) = (0, 0);
        if matches!(self.at(start + base), Some(b'e' | b'E')) {
            let mut j = start + base + 1;
            let signed = matches!(self.at(j), Some(b'+' | b'-'));
            if signed {
                j += 1;
                len_realfail = base + 2;
            }
            let n = (j..).take_while(|i| digit(*i)).count();
            if n > 0 {
                len_real = j + n - start;
            }
        }
        let junk = |len: usize| {
            if len > 0 && other(start + len) {
                len + 1
            } else {
                0
            }
        };
        let len_word = (start..).take_while(|i| other(*i)).count();
        // Candidates in flex rule order; the first of the longest wins.
        let candidates = [
            (len_real, Tok::Numeric),
            (len_dec, Tok::Numeric),
            (len_int, Tok::Int),
            (len_realfail, Tok::End),
            (junk(len_int), Tok::End),
            (junk(len_dec), Tok::End),
            (junk(len_real), Tok::End),
            (len_word, Tok::Ident),
        ];
        let longest = candidates.iter().map(|c| c.0).max().unwrap_or(0);
        let rule = candidates.iter().position(|c| c.0 == longest).unwrap_or(0);
        let text = self.slice(start, start + longest);
        match rule {
            0..=2 => {
                self.pos = start + longest;
                Ok(Some(Token {
                    tok: candidates[rule].1,
                    value: text.clone(),
                    yytext: Some(text),
                }))
            }
            3 => Err(syntax_at("invalid numeric literal", Some(text))),
            4..=6 => Err(syntax_at("trailing junk after numeric literal", Some(text))),
            _ => Ok(None),
        }
    }

    /// A quoted string's contents after its opening quote, escapes decoded.
    fn quoted(&mut self) -> Result<String> {
        let mut out = String::new();
        loop {
            match self.at(self.pos) {
                None => return Err(syntax_at("unexpected end of quoted string", None)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => {
                    let start = self.pos;
                    while self.at(self.pos).is_some_and(|b| b != b'"' && b != b'\\') {
                        self.pos += 1;
                    }
                    out.push_str(&self.text[start..self.pos]);
                }
            }
        }
    }

    /// An unquoted word; `None` when a comment swallowed it (as PostgreSQL's scanner does).
    fn word(&mut self, start: usize) -> Result<Option<Token>> {
        let mut out = String::new();
        self.pos = start;
        loop {
            match self.at(self.pos) {
                None => return Ok(Some(keyword(out, None))),
                Some(b'\\') => self.escape(&mut out)?,
                Some(b) if is_other(b) => {
                    let from = self.pos;
                    while self.at(self.pos).is_some_and(is_other) {
                        self.pos += 1;
                    }
                    out.push_str(&self.text[from..self.pos]);
                }
                Some(b) if is_blank(b) => {
                    let from = self.pos;
                    while self.at(self.pos).is_some_and(is_blank) {
                        self.pos += 1;
                    }
                    return Ok(Some(keyword(out, Some(self.slice(from, self.pos)))));
                }
                Some(b'/') if self.at(self.pos + 1) == Some(b'*') => {
                    self.skip_comment(self.pos + 2)?;
                    return Ok(None);
                }
                // flex's `yyless(0)` leaves yytext empty, which PostgreSQL reports as the end.
                Some(_) => return Ok(Some(keyword(out, None))),
            }
        }
    }

    /// One escape sequence at `self.pos` (a backslash), appended decoded to `out`.
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let start = self.pos;
        let next = self.at(start + 1);
        let simple = match next {
            Some(b'b') => Some('\u{8}'),
            Some(b'f') => Some('\u{c}'),
            Some(b'n') => Some('\n'),
            Some(b'r') => Some('\r'),
            Some(b't') => Some('\t'),
            Some(b'v') => Some('\u{b}'),
            _ => None,
        };
        if let Some(ch) = simple {
            out.push(ch);
            self.pos = start + 2;
            return Ok(());
        }
        match next {
            Some(b'u') => self.unicode(start, out),
            Some(b'x') => {
                let hex = |i: usize| self.at(i).and_then(|b| (b as char).to_digit(16));
                match (hex(start + 2), hex(start + 3)) {
                    (Some(h), Some(l)) => {
                        self.pos = start + 4;
                        push_code_point(out, h * 16 + l)
                    }
                    _ => {
                        let len = if hex(start + 2).is_some() { 3 } else { 2 };
                        Err(syntax_at(
                            "invalid hex character sequence",
                            Some(self.slice(start, start + len)),
                        ))
                    }
                }
            }
            None | Some(b'\n') => Err(syntax_at(
                "unexpected end after backslash",
                Some("\\".into()),
            )),
            Some(_) => {
                // `\c` is `c`; a multibyte character's first byte here, the rest as plain text.
                let ch_len = utf8_len(next.unwrap_or(0));
                let end = (start + 1 + ch_len).min(self.input.len());
                out.push_str(&self.slice(start + 1, end));
                self.pos = end;
                Ok(())
            }
        }
    }

    /// A run of `\uXXXX` / `\u{X...}` escapes starting at `start`, surrogate pairs combined.
    fn unicode(&mut self, start: usize, out: &mut String) -> Result<()> {
        let hex = |i: usize| self.at(i).and_then(|b| (b as char).to_digit(16));
        let mut i = start;
        let mut code_points = Vec::new();
        // Greedy {unicode}+, then {unicode}*{unicodefail} if a malformed one follows.
        while self.at(i) == Some(b'\\') && self.at(i + 1) == Some(b'u') {
            let mut j = i + 2;
            let mut value: u32 = 0;
            let ok = if self.at(j) == Some(b'{') {
                j += 1;
                let mut n = 0;
                while n < 6 && hex(j).is_some() {
                    value = value * 16 + hex(j).unwrap_or(0);
                    j += 1;
                    n += 1;
                }
                if n >= 1 && self.at(j) == Some(b'}') {
                    j += 1;
                    true
                } else {
                    false
                }
            } else {
                let mut n = 0;
                while n < 4 && hex(j).is_some() {
                    value = value * 16 + hex(j).unwrap_or(0);
                    j += 1;
                    n += 1;
                }
                n == 4
            };
            if !ok {
                return Err(syntax_at(
                    "invalid unicode sequence",
                    Some(self.slice(start, j)),
                ));
            }
            code_points.push(value);
            i = j;
        }
        self.pos = i;
        let mut hi: Option<u32> = None;
        for ch in code_points {
            if (0xD800..=0xDBFF).contains(&ch) {
                if hi.is_some() {
                    return Err(surrogate_error(
                        "Unicode high surrogate must not follow a high surrogate.",
                    ));
                }
                hi = Some(ch);
                continue;
            }
            let ch = if (0xDC00..=0xDFFF).contains(&ch) {
                let Some(h) = hi.take() else {
                    return Err(surrogate_error(
                        "Unicode low surrogate must follow a high surrogate.",
                    ));
                };
                ((h & 0x3FF) << 10) + (ch & 0x3FF) + 0x10000
            } else {
                if hi.is_some() {
                    return Err(surrogate_error(
                        "Unicode low surrogate must follow a high surrogate.",
                    ));
                }
                ch
            };
            push_code_point(out, ch)?;
        }
        if hi.is_some() {
            return Err(surrogate_error(
                "Unicode low surrogate must follow a high surrogate.",
            ));
        }
        Ok(())
    }
}

fn utf8_len(b: u8) -> usize {
    match b {
        b if b < 0x80 => 1,
        b if b >= 0xF0 => 4,
        b if b >= 0xE0 => 3,
        b if b >= 0xC0 => 2,
        _ => 1,
    }
}

fn push_code_point(out: &mut String, ch: u32) -> Result<()> {
    if ch == 0 {
        return Err(Error::new(
            Condition::UntranslatableCharacter,
            "unsupported Unicode escape sequence",
        )
        .with_detail("\\u0000 cannot be converted to text."));
    }
    match char::from_u32(ch) {
        Some(c) => {
            out.push(c);
            Ok(())
        }
        None => Err(Error::new(
            Condition::SyntaxError,
            "invalid Unicode code point",
        )),
    }
}

fn surrogate_error(detail: &str) -> Error {
    Error::new(
        Condition::InvalidTextRepresentation,
        "invalid input syntax for type jsonpath",
    )
    .with_detail(detail)
}

/// An unquoted word as a keyword or identifier (PostgreSQL's `checkKeyword`).
fn keyword(word: String, yytext: Option<String>) -> Token {
    let tok = KEYWORDS
        .iter()
        .find(|(kw, _, lowercase)| {
            if *lowercase {
                word == *kw
            } else {
                word.eq_ignore_ascii_case(kw)
            }
        })
        .map_or(Tok::Ident, |(_, tok, _)| *tok);
    Token {
        tok,
        value: word,
        yytext,
    }
}

/// PostgreSQL's `jsonpath_yyerror`.
pub(crate) fn syntax_at(message: &str, yytext: Option<String>) -> Error {
    match yytext {
        None => Error::new(
            Condition::SyntaxError,
            format!("{message} at end of jsonpath input"),
        ),
        Some(text) => Error::new(
            Condition::SyntaxError,
            format!("{message} at or near \"{text}\" of jsonpath input"),
        ),
    }
}
