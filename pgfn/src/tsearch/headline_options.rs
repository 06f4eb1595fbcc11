//! The options string of `ts_headline` ('MaxWords=10, StartSel="<em>"'): PostgreSQL's
//! `deserialize_deflist` list syntax and the default parser's option values and checks.
//!
//! Invariants:
//! - Keys match case-insensitively; values are read as PostgreSQL's `defGetString` returns
//!   them (an unquoted integer is re-printed, so `HighlightAll=01` means "1").
//! - Errors and their conditions are PostgreSQL's, raised in PostgreSQL's order.

use crate::{Condition, Error, Result};

/// One `key=value` of the options string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OptionItem {
    pub(crate) key: String,
    pub(crate) value: String,
}

/// The resolved headline options (PostgreSQL's defaults when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeadlineOptions {
    pub(crate) min_words: i32,
    pub(crate) max_words: i32,
    pub(crate) short_word: i32,
    pub(crate) max_fragments: i32,
    pub(crate) highlight_all: bool,
    pub(crate) start_sel: String,
    pub(crate) stop_sel: String,
    pub(crate) fragment_delimiter: String,
}

/// PostgreSQL's `deserialize_deflist`.
pub(crate) fn parse_option_list(text: &str) -> Result<Vec<OptionItem>> {
    #[derive(PartialEq)]
    enum State {
        WaitKey,
        InKey,
        InQKey,
        WaitEq,
        WaitValue,
        InSqValue,
        InDqValue,
        InWValue,
    }
    let bytes = text.as_bytes();
    let syntax = || {
        Error::new(
            Condition::SyntaxError,
            format!("invalid parameter list format: \"{text}\""),
        )
    };
    let mut items = Vec::new();
    let mut state = State::WaitKey;
    let mut key: Vec<u8> = Vec::new();
    let mut value: Vec<u8> = Vec::new();
    let mut i = 0;
    let finish = |key: &[u8], value: &[u8], quoted: bool| OptionItem {
        key: String::from_utf8_lossy(key).into_owned(),
        value: normalize_value(&String::from_utf8_lossy(value), quoted),
    };
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        match state {
            State::WaitKey => {
                if !(is_space(c) || c == b',') {
                    key.clear();
                    if c == b'"' {
                        state = State::InQKey;
                    } else {
                        key.push(c);
                        state = State::InKey;
                    }
                }
            }
            State::InKey => {
                if is_space(c) {
                    state = State::WaitEq;
                } else if c == b'=' {
                    state = State::WaitValue;
                } else {
                    key.push(c);
                }
            }
            State::InQKey => {
                if c == b'"' {
                    if next == Some(b'"') {
                        key.push(c);
                        i += 1;
                    } else {
                        state = State::WaitEq;
                    }
                } else {
                    key.push(c);
                }
            }
            State::WaitEq => {
                if c == b'=' {
                    state = State::WaitValue;
                } else if !is_space(c) {
                    return Err(syntax());
                }
            }
            State::WaitValue => {
                value.clear();
                if c == b'\'' {
                    state = State::InSqValue;
                } else if c == b'E' && next == Some(b'\'') {
                    i += 1;
                    state = State::InSqValue;
                } else if c == b'"' {
                    state = State::InDqValue;
                } else if !is_space(c) {
                    value.push(c);
                    state = State::InWValue;
                }
            }
            State::InSqValue => {
                if c == b'\'' {
                    if next == Some(b'\'') {
                        value.push(c);
                        i += 1;
                    } else {
                        items.push(finish(&key, &value, true));
                        state = State::WaitKey;
                    }
                } else if c == b'\\' {
                    value.push(c);
                    if next == Some(b'\\') {
                        i += 1;
                    }
                } else {
                    value.push(c);
                }
            }
            State::InDqValue => {
                if c == b'"' {
                    if next == Some(b'"') {
                        value.push(c);
                        i += 1;
                    } else {
                        items.push(finish(&key, &value, true));
                        state = State::WaitKey;
                    }
                } else {
                    value.push(c);
                }
            }
            State::InWValue => {
                if c == b',' || is_space(c) {
                    items.push(finish(&key, &value, false));
                    state = State::WaitKey;
                } else {
                    value.push(c);
                }
            }
        }
        i += 1;
    }
    if state == State::InWValue {
        items.push(finish(&key, &value, false));
    } else if state != State::WaitKey {
        return Err(syntax());
    }
    Ok(items)
}

/// PostgreSQL's `buildDefItem` then `defGetString`: an unquoted value that `strtoint`
/// reads whole is an Integer, printed back as a plain decimal.
fn normalize_value(value: &str, quoted: bool) -> String {
    if quoted || value.is_empty() {
        return value.to_string();
    }
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return value.to_string();
    }
    match value.parse::<i64>() {
        Ok(v) if i32::try_from(v).is_ok() => v.to_string(),
        _ => value.to_string(),
    }
}

/// The default parser's `prsd_headline` option handling and checks.
pub(crate) fn resolve(items: &[OptionItem]) -> Result<HeadlineOptions> {
    let mut options = HeadlineOptions {
        min_words: 15,
        max_words: 35,
        short_word: 3,
        max_fragments: 0,
        highlight_all: false,
        start_sel: "<b>".to_string(),
        stop_sel: "</b>".to_string(),
        fragment_delimiter: " ... ".to_string(),
    };
    for item in items {
        let key = item.key.to_ascii_lowercase();
        let value = &item.value;
        match key.as_str() {
            "maxwords" => options.max_words = strtoint32(value)?,
            "minwords" => options.min_words = strtoint32(value)?,
            "shortword" => options.short_word = strtoint32(value)?,
            "maxfragments" => options.max_fragments = strtoint32(value)?,
            "startsel" => options.start_sel = value.clone(),
            "stopsel" => options.stop_sel = value.clone(),
            "fragmentdelimiter" => options.fragment_delimiter = value.clone(),
            "highlightall" => {
                options.highlight_all = ["1", "on", "true", "t", "y", "yes"]
                    .iter()
                    .any(|v| value.eq_ignore_ascii_case(v));
            }
            _ => {
                return Err(Error::new(
                    Condition::InvalidParameterValue,
                    format!("unrecognized headline parameter: \"{}\"", item.key),
                ));
            }
        }
    }
    if !options.highlight_all {
        let invalid = |message: &str| Err(Error::new(Condition::InvalidParameterValue, message));
        if options.min_words >= options.max_words {
            return invalid("MinWords should be less than MaxWords");
        }
        if options.min_words <= 0 {
            return invalid("MinWords should be positive");
        }
        if options.short_word < 0 {
            return invalid("ShortWord should be >= 0");
        }
        if options.max_fragments < 0 {
            return invalid("MaxFragments should be >= 0");
        }
    }
    for (name, value) in [
        ("StartSel", &options.start_sel),
        ("StopSel", &options.stop_sel),
        ("FragmentDelimiter", &options.fragment_delimiter),
    ] {
        if value.len() > i16::MAX as usize {
            return Err(Error::new(
                Condition::InvalidParameterValue,
                format!("value for \"{name}\" is too long"),
            ));
        }
    }
    Ok(options)
}

/// PostgreSQL 15's `pg_strtoint32`: optional spaces, sign, decimal digits, optional spaces.
fn strtoint32(text: &str) -> Result<i32> {
    let trimmed = text.trim_matches(|c: char| c.is_ascii() && is_space(c as u8));
    let digits = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::new(
            Condition::InvalidTextRepresentation,
            format!("invalid input syntax for type integer: \"{text}\""),
        ));
    }
    trimmed.parse::<i32>().map_err(|_| {
        Error::new(
            Condition::NumericValueOutOfRange,
            format!("value \"{text}\" is out of range for type integer"),
        )
    })
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}
