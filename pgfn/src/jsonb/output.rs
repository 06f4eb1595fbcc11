//! `jsonb` output: PostgreSQL 15's `jsonb_out` (`{"a": 1, "b": [1, 2]}`) and `jsonb_pretty`.
//!
//! Invariants:
//! - Byte for byte PostgreSQL's `JsonbToCStringWorker`: `", "` and `": "` separators, keys in
//!   storage order, numbers as `numeric_out`, strings escaped as `escape_json`.
//! - Pretty output indents by four spaces and prints empty containers as `[\n]`, as PostgreSQL.

use std::fmt;

use super::value::Jsonb;

impl fmt::Display for Jsonb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl Jsonb {
    /// PostgreSQL's text form (`jsonb_out`); what `to_string` gives, without its extra copy.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(64);
        self.write_to(&mut out);
        out
    }

    /// Appends PostgreSQL's text form (`jsonb_out`) to `out`.
    pub fn write_to(&self, out: &mut String) {
        match self {
            Jsonb::Array(items) => {
                out.push('[');
                for (idx, item) in items.iter().enumerate() {
                    if idx > 0 {
                        out.push_str(", ");
                    }
                    item.write_to(out);
                }
                out.push(']');
            }
            Jsonb::Object(obj) => {
                out.push('{');
                for (idx, (key, value)) in obj.iter().enumerate() {
                    if idx > 0 {
                        out.push_str(", ");
                    }
                    escape_json(out, key);
                    out.push_str(": ");
                    value.write_to(out);
                }
                out.push('}');
            }
            scalar => write_scalar(out, scalar),
        }
    }

    /// PostgreSQL's `jsonb_pretty`.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        write_pretty(self, 0, false, &mut out);
        out
    }
}

fn write_scalar(out: &mut String, scalar: &Jsonb) {
    match scalar {
        Jsonb::Null => out.push_str("null"),
        Jsonb::Bool(true) => out.push_str("true"),
        Jsonb::Bool(false) => out.push_str("false"),
        Jsonb::Number(n) => n.write_to(out),
        Jsonb::String(s) => escape_json(out, s),
        Jsonb::Array(_) | Jsonb::Object(_) => {}
    }
}

fn indent(out: &mut String, level: usize) {
    out.push('\n');
    for _ in 0..level {
        out.push_str("    ");
    }
}

fn write_pretty(value: &Jsonb, level: usize, newline_first: bool, out: &mut String) {
    match value {
        Jsonb::Array(items) => {
            if newline_first {
                indent(out, level);
            }
            out.push('[');
            for (idx, item) in items.iter().enumerate() {
                if idx > 0 {
                    out.push(',');
                }
                if item.is_scalar() {
                    indent(out, level + 1);
                    write_scalar(out, item);
                } else {
                    write_pretty(item, level + 1, true, out);
                }
            }
            indent(out, level);
            out.push(']');
        }
        Jsonb::Object(obj) => {
            if newline_first {
                indent(out, level);
            }
            out.push('{');
            for (idx, (key, item)) in obj.iter().enumerate() {
                if idx > 0 {
                    out.push(',');
                }
                indent(out, level + 1);
                escape_json(out, key);
                out.push_str(": ");
                if item.is_scalar() {
                    write_scalar(out, item);
                } else {
                    write_pretty(item, level + 1, false, out);
                }
            }
            indent(out, level);
            out.push('}');
        }
        scalar => write_scalar(out, scalar),
    }
}

/// PostgreSQL's `escape_json`: a quoted JSON string.
pub fn escape_json(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut plain = 0;
    for (idx, b) in bytes.iter().enumerate() {
        if *b >= b' ' && *b != b'"' && *b != b'\\' {
            continue;
        }
        out.push_str(&s[plain..idx]);
        match b {
            b'\x08' => out.push_str("\\b"),
            b'\x0c' => out.push_str("\\f"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            other => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(other >> 4)]));
                out.push(char::from(HEX[usize::from(other & 15)]));
            }
        }
        plain = idx + 1;
    }
    out.push_str(&s[plain..]);
    out.push('"');
}
