//! `like_regex` patterns: PostgreSQL's regular expressions (Spencer's AREs) translated to the
//! `regex` crate, with the flags of PostgreSQL's `jspConvertRegexFlags` and its error texts.
//!
//! Invariants:
//! - ARE escapes that differ from the `regex` crate's are rewritten (`\b` is backspace, `\y`
//!   a word boundary, `\m`/`\M` word start/end, `\Z` the end, `\B` a backslash); back
//!   references are rejected as not supported (the crate has none).
//! - A pattern the crate rejects gets PostgreSQL's message for the same mistake where one
//!   maps (`parentheses () not balanced`, `brackets [] not balanced`, ...).

use super::ast::{REGEX_DOTALL, REGEX_ICASE, REGEX_MLINE, REGEX_QUOTE, REGEX_WSPACE};
use crate::{Condition, Error, Result};

/// The flag bits of `flag "..."` and the compiled pattern.
pub(crate) fn compile(pattern: &str, flags_text: Option<&str>) -> Result<(u8, regex::Regex)> {
    let mut flags = 0;
    for ch in flags_text.unwrap_or("").chars() {
        flags |= match ch {
            'i' => REGEX_ICASE,
            's' => REGEX_DOTALL,
            'm' => REGEX_MLINE,
            'x' => REGEX_WSPACE,
            'q' => REGEX_QUOTE,
            other => {
                return Err(Error::new(
                    Condition::SyntaxError,
                    "invalid input syntax for type jsonpath",
                )
                .with_detail(format!(
                    "Unrecognized flag character \"{other}\" in LIKE_REGEX predicate."
                )));
            }
        };
    }
    let quoted = flags & REGEX_QUOTE != 0;
    if !quoted && flags & REGEX_WSPACE != 0 {
        return Err(Error::new(
            Condition::FeatureNotSupported,
            "XQuery \"x\" flag (expanded regular expressions) is not implemented",
        ));
    }
    let source = if quoted {
        regex::escape(pattern)
    } else {
        translate(pattern)?
    };
    let regex = regex::RegexBuilder::new(&source)
        .case_insensitive(flags & REGEX_ICASE != 0)
        .dot_matches_new_line(!quoted && flags & REGEX_DOTALL != 0)
        .multi_line(!quoted && flags & REGEX_MLINE != 0)
        .size_limit(1 << 22)
        .build()
        .map_err(|e| invalid(postgres_message(&e)))?;
    Ok((flags, regex))
}

fn invalid(detail: &str) -> Error {
    Error::new(
        Condition::InvalidRegularExpression,
        format!("invalid regular expression: {detail}"),
    )
}

/// Rewrites ARE escapes into the `regex` crate's syntax.
fn translate(pattern: &str) -> Result<String> {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    return Err(invalid("invalid escape \\ sequence"));
                };
                let rewritten = match e {
                    'b' => "\\x08".to_string(),
                    'B' => "\\\\".to_string(),
                    'e' => "\\x1B".to_string(),
                    'y' if !in_class => "\\b".to_string(),
                    'Y' if !in_class => "\\B".to_string(),
                    'm' if !in_class => "\\b{start}".to_string(),
                    'M' if !in_class => "\\b{end}".to_string(),
                    'Z' if !in_class => "\\z".to_string(),
                    'c' => match chars.next() {
                        Some(ctl) => format!("\\x{:02X}", (ctl as u32) & 0x1F),
                        None => return Err(invalid("invalid escape \\ sequence")),
                    },
                    '1'..='9' if !in_class => {
                        return Err(Error::new(
                            Condition::FeatureNotSupported,
                            "back references in like_regex patterns are not supported",
                        ));
                    }
                    other => format!("\\{other}"),
                };
                out.push_str(&rewritten);
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // A leading `^` and a first `]` are literal parts of the class.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push_str("\\]");
                    chars.next();
                }
            }
            '[' if in_class && matches!(chars.peek(), Some(':' | '.' | '=')) => {
                // `[:alpha:]` and friends inside a class.
                out.push('[');
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == ']' {
                        break;
                    }
                }
            }
            '[' => out.push_str("\\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// PostgreSQL's wording for the crate's syntax errors.
fn postgres_message(err: &regex::Error) -> &'static str {
    let text = match err {
        regex::Error::Syntax(text) => text.as_str(),
        regex::Error::CompiledTooBig(_) => return "regular expression is too complex",
        _ => return "invalid argument to regex function",
    };
    let last = text
        .lines()
        .rev()
        .find(|l| l.starts_with("error:"))
        .unwrap_or(text);
    if last.contains("unclosed group") || last.contains("unopened group") {
        "parentheses () not balanced"
    } else if last.contains("unclosed character class") {
        "brackets [] not balanced"
    } else if last.contains("counted repetition") && last.contains("unclosed") {
        "braces {} not balanced"
    } else if last.contains("repetition") && (last.contains("decimal") || last.contains("invalid"))
    {
        "invalid repetition count(s)"
    } else if last.contains("repetition operator missing expression") {
        "quantifier operand invalid"
    } else if last.contains("range") {
        "invalid character range"
    } else if last.contains("class") {
        "invalid character class"
    } else if last.contains("escape") {
        "invalid escape \\ sequence"
    } else if last.contains("flag") {
        "invalid embedded option"
    } else {
        "invalid regexp (reg version 0.8)"
    }
}
