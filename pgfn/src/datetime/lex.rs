//! `ParseDateTime`: splits date/time and interval input into typed fields, exactly as
//! PostgreSQL tokenizes it (lowercasing text, keeping digits and their delimiters together).
//!
//! Invariants:
//! - Character classes are C-locale ASCII (`isdigit`, `isalpha`, `isspace`, `ispunct`): any
//!   other byte is a format error, as in PostgreSQL.
//! - The field count (25) and work-buffer limits are PostgreSQL's, so over-long input fails
//!   with the same error.

use super::tokens::date_token;

/// Maximum number of fields in one input.
pub(crate) const MAXDATEFIELDS: usize = 25;
/// Work buffer size of the date/time input functions (`MAXDATELEN + MAXDATEFIELDS`).
pub(crate) const DATETIME_BUF: usize = 128 + MAXDATEFIELDS;

/// The lexical class of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldType {
    Number,
    String,
    Date,
    Time,
    Tz,
    Special,
}

/// One field: its (lowercased where textual) text and class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    pub text: String,
    pub ftype: FieldType,
}

/// The input had bad syntax (PostgreSQL's `DTERR_BAD_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadFormat;

pub(crate) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

pub(crate) fn is_punct(c: u8) -> bool {
    c.is_ascii_punctuation()
}

/// Splits `input` into fields; `buflen` is the caller's work-buffer size.
pub(crate) fn parse_datetime(input: &str, buflen: usize) -> Result<Vec<Field>, BadFormat> {
    let s = input.as_bytes();
    let mut fields: Vec<Field> = Vec::new();
    let mut used = 0usize;
    let mut i = 0usize;
    let at = |i: usize| -> u8 { s.get(i).copied().unwrap_or(0) };
    while i < s.len() {
        let c = s[i];
        if c == 0 {
            break;
        }
        if is_space(c) {
            i += 1;
            continue;
        }
        if fields.len() >= MAXDATEFIELDS {
            return Err(BadFormat);
        }
        let mut buf: Vec<u8> = Vec::new();
        let mut push = |buf: &mut Vec<u8>, ch: u8| -> Result<(), BadFormat> {
            if used + 1 >= buflen {
                return Err(BadFormat);
            }
            used += 1;
            buf.push(ch);
            Ok(())
        };
        let ftype;
        if c.is_ascii_digit() {
            push(&mut buf, c)?;
            i += 1;
            while at(i).is_ascii_digit() {
                push(&mut buf, at(i))?;
                i += 1;
            }
            if at(i) == b':' {
                ftype = FieldType::Time;
                push(&mut buf, b':')?;
                i += 1;
                while at(i).is_ascii_digit() || at(i) == b':' || at(i) == b'.' {
                    push(&mut buf, at(i))?;
                    i += 1;
                }
            } else if matches!(at(i), b'-' | b'/' | b'.') {
                let delim = at(i);
                push(&mut buf, delim)?;
                i += 1;
                if at(i).is_ascii_digit() {
                    let mut t = if delim == b'.' {
                        FieldType::Number
                    } else {
                        FieldType::Date
                    };
                    while at(i).is_ascii_digit() {
                        push(&mut buf, at(i))?;
                        i += 1;
                    }
                    if at(i) == delim {
                        t = FieldType::Date;
                        push(&mut buf, delim)?;
                        i += 1;
                        while at(i).is_ascii_digit() || at(i) == delim {
                            push(&mut buf, at(i))?;
                            i += 1;
                        }
                    }
                    ftype = t;
                } else {
                    ftype = FieldType::Date;
                    while at(i).is_ascii_alphanumeric() || at(i) == delim {
                        push(&mut buf, at(i).to_ascii_lowercase())?;
                        i += 1;
                    }
                }
            } else {
                ftype = FieldType::Number;
            }
        } else if c == b'.' {
            push(&mut buf, c)?;
            i += 1;
            while at(i).is_ascii_digit() {
                push(&mut buf, at(i))?;
                i += 1;
            }
            ftype = FieldType::Number;
        } else if c.is_ascii_alphabetic() {
            let mut t = FieldType::String;
            push(&mut buf, c.to_ascii_lowercase())?;
            i += 1;
            while at(i).is_ascii_alphabetic() {
                push(&mut buf, at(i).to_ascii_lowercase())?;
                i += 1;
            }
            let mut is_date = false;
            if matches!(at(i), b'-' | b'/' | b'.') {
                is_date = true;
            } else if at(i) == b'+' || at(i).is_ascii_digit() {
                let word = String::from_utf8_lossy(&buf).into_owned();
                if date_token(&word).is_none() {
                    is_date = true;
                }
            }
            if is_date {
                t = FieldType::Date;
                loop {
                    push(&mut buf, at(i).to_ascii_lowercase())?;
                    i += 1;
                    let n = at(i);
                    if !(matches!(n, b'+' | b'-' | b'/' | b'_' | b'.' | b':')
                        || n.is_ascii_alphanumeric())
                    {
                        break;
                    }
                }
            }
            ftype = t;
        } else if c == b'+' || c == b'-' {
            push(&mut buf, c)?;
            i += 1;
            while is_space(at(i)) {
                i += 1;
            }
            if at(i).is_ascii_digit() {
                ftype = FieldType::Tz;
                push(&mut buf, at(i))?;
                i += 1;
                while at(i).is_ascii_digit() || matches!(at(i), b':' | b'.' | b'-') {
                    push(&mut buf, at(i))?;
                    i += 1;
                }
            } else if at(i).is_ascii_alphabetic() {
                ftype = FieldType::Special;
                push(&mut buf, at(i).to_ascii_lowercase())?;
                i += 1;
                while at(i).is_ascii_alphabetic() {
                    push(&mut buf, at(i).to_ascii_lowercase())?;
                    i += 1;
                }
            } else {
                return Err(BadFormat);
            }
        } else if is_punct(c) {
            i += 1;
            continue;
        } else {
            return Err(BadFormat);
        }
        used += 1;
        fields.push(Field {
            text: String::from_utf8_lossy(&buf).into_owned(),
            ftype,
        });
    }
    Ok(fields)
}
