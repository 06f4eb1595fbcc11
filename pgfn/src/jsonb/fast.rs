//! `->` and `->>` by key read straight from jsonb's canonical text, without building the
//! value: the fast path for filters like `data->>'status' = 'paid'` over stored documents.
//!
//! Invariants:
//! - Defined only for canonical text, the output of `Jsonb::to_text` (keys unique, in
//!   PostgreSQL's order, `": "` and `", "` separators): for such text `t` and any key `k`,
//!   `field_in_text(t, k)` is the text of `field(&parse(t)?, k)` and `field_text_in_text(t, k)`
//!   is `field_text(&parse(t)?, k)`; the tests check this over generated values.
//! - Any other input gives some answer but never panics.

use std::cmp::Ordering;

use super::value::key_order;

/// `value -> key` on canonical jsonb text: the text of the field's value.
pub fn field_in_text<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'{') {
        return None;
    }
    let mut pos = 1;
    loop {
        if bytes.get(pos) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(bytes, pos)?;
        let raw_key = &text[pos + 1..key_end - 1];
        let order = if raw_key.contains('\\') {
            key_order(&unescape(raw_key), key)
        } else {
            key_order(raw_key, key)
        };
        // ": " separates the key from its value.
        let value_start = key_end + 2;
        let value_end = value_end(bytes, value_start)?;
        match order {
            Ordering::Equal => return text.get(value_start..value_end),
            // Keys are sorted: past the key's place, it is absent.
            Ordering::Greater => return None,
            Ordering::Less => {}
        }
        match bytes.get(value_end) {
            Some(b',') => pos = value_end + 2,
            _ => return None,
        }
    }
}

/// `value ->> key` on canonical jsonb text: a string's contents, JSON null as `None`, any
/// other value's text.
pub fn field_text_in_text(text: &str, key: &str) -> Option<String> {
    let value = field_in_text(text, key)?;
    match value.as_bytes().first() {
        Some(b'"') => Some(unescape(
            value.get(1..value.len().saturating_sub(1)).unwrap_or(""),
        )),
        Some(b'n') => None,
        _ => Some(value.to_string()),
    }
}

/// The offset just past the string starting at `start` (a quote).
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut pos = start + 1;
    while pos < bytes.len() {
        match bytes[pos] {
            b'"' => return Some(pos + 1),
            b'\\' => pos += 2,
            _ => pos += 1,
        }
    }
    None
}

/// The offset just past the value starting at `start`.
fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut pos = start;
    while pos < bytes.len() {
        match bytes[pos] {
            b'"' => {
                pos = string_end(bytes, pos)?;
                if depth == 0 {
                    return Some(pos);
                }
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                if depth == 0 {
                    return Some(pos);
                }
                depth -= 1;
                if depth == 0 {
                    return Some(pos + 1);
                }
            }
            b',' if depth == 0 => return Some(pos),
            _ => {}
        }
        pos += 1;
    }
    (depth == 0).then_some(pos)
}

/// Undoes `escape_json` (the only escapes canonical text contains).
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(ch);
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}
