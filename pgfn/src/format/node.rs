//! Template parsing (`parse_format`): a `to_char`/`to_date`/`to_number` template as a list of
//! nodes — patterns with their modifiers, literal characters, separators and spaces.
//!
//! Invariants:
//! - Tokenizes exactly as PostgreSQL: a prefix modifier, then the longest-listed keyword, then
//!   a postfix modifier; `"..."` quotes literal text with `\` escapes; `\"` outside quotes is a
//!   literal quote; anything else is one (possibly multibyte) character.

use super::keywords::{KeyWord, Num, dch_search, num_search, postfix_suffix, prefix_suffix};

/// One node of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node<K> {
    /// A pattern and its modifier bits.
    Action(K, u8),
    /// A literal character (UTF-8 text of one character).
    Char(String),
    /// A non-alphanumeric ASCII printable character (date/time templates only).
    Separator(String),
    /// A white-space character.
    Space(String),
}

/// Length of the UTF-8 character starting at `s[0]` (PostgreSQL's `pg_mblen`), at least 1.
pub(crate) fn mblen(s: &[u8]) -> usize {
    let n = match s.first() {
        Some(b) if *b < 0x80 => 1,
        Some(b) if *b & 0xE0 == 0xC0 => 2,
        Some(b) if *b & 0xF0 == 0xE0 => 3,
        Some(b) if *b & 0xF8 == 0xF0 => 4,
        _ => 1,
    };
    n.min(s.len()).max(1)
}

fn is_separator_char(c: u8) -> bool {
    c > 0x20 && c < 0x7F && !c.is_ascii_alphanumeric()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Literal characters shared by both template kinds; returns the bytes consumed.
fn literal<K>(s: &[u8], datetime: bool, out: &mut Vec<Node<K>>) -> usize {
    if s[0] == b'"' {
        let mut i = 1;
        while i < s.len() {
            if s[i] == b'"' {
                return i + 1;
            }
            if s[i] == b'\\' && i + 1 < s.len() {
                i += 1;
            }
            let n = mblen(&s[i..]);
            out.push(Node::Char(text(&s[i..i + n])));
            i += n;
        }
        return i;
    }
    let mut i = 0;
    if s[0] == b'\\' && s.get(1) == Some(&b'"') {
        i = 1;
    }
    let n = mblen(&s[i..]);
    let ch = text(&s[i..i + n]);
    let c = s[i];
    let node = if datetime && is_separator_char(c) {
        Node::Separator(ch)
    } else if crate::datetime::lex::is_space(c) {
        Node::Space(ch)
    } else {
        Node::Char(ch)
    };
    out.push(node);
    i + n
}

/// Parses a date/time template.
pub(crate) fn parse_datetime_format(fmt: &str) -> Vec<Node<&'static KeyWord>> {
    let s = fmt.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let mut suffix = 0u8;
        if let Some(bit) = prefix_suffix(&s[i..]) {
            suffix |= bit;
            i += 2;
        }
        if i < s.len() {
            if let Some(key) = dch_search(&s[i..]) {
                i += key.name.len();
                if i < s.len()
                    && let Some(bit) = postfix_suffix(&s[i..])
                {
                    suffix |= bit;
                    i += 2;
                }
                out.push(Node::Action(key, suffix));
                continue;
            }
            i += literal(&s[i..], true, &mut out);
        }
    }
    out
}

/// Parses a number template (no modifiers other than the `FM` pattern).
pub(crate) fn parse_number_format(fmt: &str) -> Vec<Node<Num>> {
    let s = fmt.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if let Some((key, len)) = num_search(&s[i..]) {
            out.push(Node::Action(key, 0));
            i += len;
            continue;
        }
        i += literal(&s[i..], false, &mut out);
    }
    out
}
