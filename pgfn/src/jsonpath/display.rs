//! jsonpath text output: PostgreSQL 15's `jsonpath_out` (`printJsonPathItem`), the text a
//! jsonpath value prints as.
//!
//! Invariants:
//! - Operators at the top, and operands whose priority is not above their operator's, are
//!   parenthesised exactly as PostgreSQL does; keys always print quoted (`$."a"`).

use super::ast::{
    BinOp, Item, Kind, REGEX_DOTALL, REGEX_ICASE, REGEX_MLINE, REGEX_QUOTE, REGEX_WSPACE, UnOp,
};
use crate::jsonb::escape_json;

/// Appends `item` and its chain to `out`.
pub(crate) fn print(out: &mut String, item: &Item, in_key: bool, brackets: bool) {
    let mut current = item;
    let (mut in_key, mut brackets) = (in_key, brackets);
    loop {
        print_one(out, current, in_key, brackets);
        match current.next.as_deref() {
            Some(next) => {
                current = next;
                in_key = true;
                brackets = true;
            }
            None => return,
        }
    }
}

/// PostgreSQL's `operationPriority`.
fn priority(item: &Item) -> u8 {
    match &item.kind {
        Kind::Binary(op, _, _) => match op {
            BinOp::Or => 0,
            BinOp::And => 1,
            BinOp::Equal
            | BinOp::NotEqual
            | BinOp::Less
            | BinOp::Greater
            | BinOp::LessOrEqual
            | BinOp::GreaterOrEqual
            | BinOp::StartsWith => 2,
            BinOp::Add | BinOp::Sub => 3,
            BinOp::Mul | BinOp::Div | BinOp::Mod => 4,
        },
        Kind::Unary(UnOp::Plus | UnOp::Minus, _) => 5,
        _ => 6,
    }
}

fn print_one(out: &mut String, item: &Item, in_key: bool, brackets: bool) {
    match &item.kind {
        Kind::Null => out.push_str("null"),
        Kind::Key(key) => {
            if in_key {
                out.push('.');
            }
            escape_json(out, key);
        }
        Kind::String(s) => escape_json(out, s),
        Kind::Variable(name) => {
            out.push('$');
            escape_json(out, name);
        }
        Kind::Numeric(n) => {
            let has_next = item.next.is_some();
            if has_next {
                out.push('(');
            }
            n.write_to(out);
            if has_next {
                out.push(')');
            }
        }
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Binary(op, left, right) => {
            if brackets {
                out.push('(');
            }
            print(out, left, false, priority(left) <= priority(item));
            out.push(' ');
            out.push_str(op.name());
            out.push(' ');
            print(out, right, false, priority(right) <= priority(item));
            if brackets {
                out.push(')');
            }
        }
        Kind::LikeRegex {
            expr,
            pattern,
            flags,
            ..
        } => {
            if brackets {
                out.push('(');
            }
            print(out, expr, false, priority(expr) <= priority(item));
            out.push_str(" like_regex ");
            escape_json(out, pattern);
            if *flags != 0 {
                out.push_str(" flag \"");
                for (bit, ch) in [
                    (REGEX_ICASE, 'i'),
                    (REGEX_DOTALL, 's'),
                    (REGEX_MLINE, 'm'),
                    (REGEX_WSPACE, 'x'),
                    (REGEX_QUOTE, 'q'),
                ] {
                    if flags & bit != 0 {
                        out.push(ch);
                    }
                }
                out.push('"');
            }
            if brackets {
                out.push(')');
            }
        }
        Kind::Unary(op, arg) => match op {
            UnOp::Plus | UnOp::Minus => {
                if brackets {
                    out.push('(');
                }
                out.push(if *op == UnOp::Plus { '+' } else { '-' });
                print(out, arg, false, priority(arg) <= priority(item));
                if brackets {
                    out.push(')');
                }
            }
            UnOp::Filter => {
                out.push_str("?(");
                print(out, arg, false, false);
                out.push(')');
            }
            UnOp::Not => {
                out.push_str("!(");
                print(out, arg, false, false);
                out.push(')');
            }
            UnOp::IsUnknown => {
                out.push('(');
                print(out, arg, false, false);
                out.push_str(") is unknown");
            }
            UnOp::Exists => {
                out.push_str("exists (");
                print(out, arg, false, false);
                out.push(')');
            }
        },
        Kind::Current => out.push('@'),
        Kind::Root => out.push('$'),
        Kind::Last => out.push_str("last"),
        Kind::AnyArray => out.push_str("[*]"),
        Kind::AnyKey => {
            if in_key {
                out.push('.');
            }
            out.push('*');
        }
        Kind::IndexArray(subscripts) => {
            out.push('[');
            for (idx, (from, to)) in subscripts.iter().enumerate() {
                if idx > 0 {
                    out.push(',');
                }
                print(out, from, false, false);
                if let Some(to) = to {
                    out.push_str(" to ");
                    print(out, to, false, false);
                }
            }
            out.push(']');
        }
        Kind::Any { first, last } => {
            if in_key {
                out.push('.');
            }
            let level = |n: u32| {
                if n == u32::MAX {
                    "last".to_string()
                } else {
                    n.to_string()
                }
            };
            if *first == 0 && *last == u32::MAX {
                out.push_str("**");
            } else if first == last {
                out.push_str(&format!("**{{{}}}", level(*first)));
            } else {
                out.push_str(&format!("**{{{} to {}}}", level(*first), level(*last)));
            }
        }
        Kind::Method(method) => {
            out.push('.');
            out.push_str(method.name());
            out.push_str("()");
        }
        Kind::Datetime(arg) => {
            out.push_str(".datetime(");
            if let Some(arg) = arg {
                print(out, arg, false, false);
            }
            out.push(')');
        }
    }
}
