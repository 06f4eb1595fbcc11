//! The default text search parser (PostgreSQL's `TParserGet`): splits text into typed
//! tokens by running the state table of `wparser_states`, with PostgreSQL's push/pop
//! backtracking and its nested sub-parsers for hosts and URL paths.
//!
//! Invariants:
//! - Character classes are those of a database with LC_CTYPE = C and UTF-8 encoding (what
//!   MindooDB reports): ASCII letters and digits as C's `ctype`, every non-ASCII character a
//!   letter (alpha and alnum) and nothing else.
//! - Tokens are returned in order and cover the text; blank tokens included.

use crate::tsearch::recursion::grow;
use crate::tsearch::token_type::TokenType;
use crate::tsearch::wparser_states::{
    BINGO, CLEAR, CLRALL, MERGE, POP, PUSH, RERUN, Rule, Special, St, Test, rules,
};

/// One token of the default parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// Its type.
    pub kind: TokenType,
    /// Its text, a slice of the input.
    pub text: &'a str,
}

/// Splits `text` into tokens as PostgreSQL's default parser does (`ts_parse('default', ...)`).
pub fn parse(text: &str) -> Vec<Token<'_>> {
    let chars: Vec<u32> = text.chars().map(u32::from).collect();
    let input = Input {
        bytes: text.as_bytes(),
        chars: &chars,
    };
    let mut parser = Parser::new(&input, 0, 0, text.len());
    let mut tokens = Vec::new();
    while parser.next() {
        if let Some(kind) = parser.kind {
            let start = parser.token_start;
            let end = (start + parser.len_bytes).min(text.len());
            let token_text = text.get(start..end).unwrap_or("");
            tokens.push(Token {
                kind,
                text: token_text,
            });
        }
    }
    tokens
}

struct Input<'a> {
    bytes: &'a [u8],
    chars: &'a [u32],
}

/// PostgreSQL's `TParserPosition`.
#[derive(Debug, Clone, Copy)]
struct Position {
    pos_byte: usize,
    pos_char: usize,
    char_len: usize,
    len_bytes: usize,
    len_chars: usize,
    state: St,
    pushed_at: Option<usize>,
}

impl Position {
    fn start(state: St) -> Position {
        Position {
            pos_byte: 0,
            pos_char: 0,
            char_len: 0,
            len_bytes: 0,
            len_chars: 0,
            state,
            pushed_at: None,
        }
    }
}

struct Parser<'a> {
    input: &'a Input<'a>,
    // This parser sees input bytes byte_base..byte_base+len and chars from char_base.
    byte_base: usize,
    char_base: usize,
    len: usize,
    // Invariant: never empty; the last element is the current position.
    stack: Vec<Position>,
    ignore: bool,
    want_host: bool,
    token_start: usize,
    len_bytes: usize,
    len_chars: usize,
    kind: Option<TokenType>,
}

impl<'a> Parser<'a> {
    fn new(input: &'a Input<'a>, byte_base: usize, char_base: usize, len: usize) -> Parser<'a> {
        Parser {
            input,
            byte_base,
            char_base,
            len,
            stack: vec![Position::start(St::Base)],
            ignore: false,
            want_host: false,
            token_start: 0,
            len_bytes: 0,
            len_chars: 0,
            kind: None,
        }
    }

    /// PostgreSQL's `TParserCopyInit`: a parser over the rest of the text from here.
    fn copy(&self) -> Parser<'a> {
        let top = self.top();
        Parser::new(
            self.input,
            self.byte_base + top.pos_byte,
            self.char_base + top.pos_char,
            self.len.saturating_sub(top.pos_byte),
        )
    }

    fn top(&self) -> &Position {
        // The stack is never empty (see the field's invariant).
        &self.stack[self.stack.len() - 1]
    }

    fn top_mut(&mut self) -> &mut Position {
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    fn byte_at(&self, pos_byte: usize) -> u8 {
        if pos_byte >= self.len {
            return 0;
        }
        self.input
            .bytes
            .get(self.byte_base + pos_byte)
            .copied()
            .unwrap_or(0)
    }

    fn current_char(&self) -> u32 {
        let top = self.top();
        if top.pos_byte >= self.len {
            return 0;
        }
        self.input
            .chars
            .get(self.char_base + top.pos_char)
            .copied()
            .unwrap_or(0)
    }

    fn char_len_at(&self, pos_byte: usize) -> usize {
        let first = self.byte_at(pos_byte);
        let want = crate::tsearch::value_parser::char_len(first);
        want.min(self.len - pos_byte)
    }

    /// PostgreSQL's `TParserGet`: advances to the next token; false at the end of the text.
    fn next(&mut self) -> bool {
        if self.top().pos_byte >= self.len {
            return false;
        }
        self.token_start = self.top().pos_byte;
        self.top_mut().pushed_at = None;
        let mut last: Option<Rule> = None;
        while self.top().pos_byte <= self.len {
            let pos_byte = self.top().pos_byte;
            let char_len = if pos_byte == self.len {
                0
            } else {
                self.char_len_at(pos_byte)
            };
            self.top_mut().char_len = char_len;
            let first = match self.top_mut().pushed_at.take() {
                Some(pushed) => pushed + 1,
                None => 0,
            };
            let state = self.top().state;
            let table = rules(state);
            let mut chosen = table.len() - 1;
            for (idx, rule) in table.iter().enumerate().skip(first) {
                if self.test(rule.test) {
                    chosen = idx;
                    break;
                }
            }
            let rule = table[chosen];
            last = Some(rule);
            match rule.special {
                Special::None => {}
                Special::Tags => self.special_tags(),
                Special::Furl => {
                    self.want_host = true;
                    let top = self.top_mut();
                    top.pos_byte = top.pos_byte.saturating_sub(top.len_bytes);
                    top.pos_char = top.pos_char.saturating_sub(top.len_chars);
                }
                Special::Hyphen => {
                    let top = self.top_mut();
                    top.pos_byte = top.pos_byte.saturating_sub(top.len_bytes);
                    top.pos_char = top.pos_char.saturating_sub(top.len_chars);
                }
                Special::VerVersion => {
                    let top = self.top_mut();
                    top.pos_byte = top.pos_byte.saturating_sub(top.len_bytes);
                    top.pos_char = top.pos_char.saturating_sub(top.len_chars);
                    top.len_bytes = 0;
                    top.len_chars = 0;
                }
            }
            if rule.flags & BINGO != 0 {
                let top = self.top_mut();
                let (len_bytes, len_chars) = (top.len_bytes, top.len_chars);
                top.len_bytes = 0;
                top.len_chars = 0;
                self.len_bytes = len_bytes;
                self.len_chars = len_chars;
                self.kind = rule.token;
            }
            if rule.flags & POP != 0 {
                if self.stack.len() > 1 {
                    self.stack.pop();
                }
            } else if rule.flags & PUSH != 0 {
                self.top_mut().pushed_at = Some(chosen);
                let mut copy = *self.top();
                copy.pushed_at = None;
                self.stack.push(copy);
            } else if rule.flags & CLEAR != 0 {
                if self.stack.len() > 1 {
                    let below = self.stack.len() - 2;
                    self.stack.remove(below);
                }
            } else if rule.flags & CLRALL != 0 {
                let top = *self.top();
                self.stack.clear();
                self.stack.push(top);
            } else if rule.flags & MERGE != 0
                && self.stack.len() > 1
                && let Some(merged) = self.stack.pop()
            {
                let top = self.top_mut();
                top.pos_byte = merged.pos_byte;
                top.pos_char = merged.pos_char;
                top.char_len = merged.char_len;
                top.len_bytes = merged.len_bytes;
                top.len_chars = merged.len_chars;
            }
            if rule.to != St::Null {
                self.top_mut().state = rule.to;
            }
            if rule.flags & BINGO != 0
                || (self.top().pos_byte >= self.len && rule.flags & RERUN == 0)
            {
                break;
            }
            if rule.flags & (RERUN | POP) != 0 {
                continue;
            }
            let top = self.top_mut();
            if top.char_len != 0 {
                top.pos_byte += top.char_len;
                top.len_bytes += top.char_len;
                top.pos_char += 1;
                top.len_chars += 1;
            }
        }
        last.is_some_and(|rule| rule.flags & BINGO != 0)
    }

    fn test(&mut self, test: Test) -> bool {
        let top = *self.top();
        let one_byte = top.char_len == 1;
        let byte = self.byte_at(top.pos_byte);
        let c = self.current_char();
        let ascii = c <= 0x7f;
        let b = c as u8;
        match test {
            Test::Always => true,
            Test::Eof => top.pos_byte == self.len || top.char_len == 0,
            Test::Eq(want) => one_byte && byte == want,
            Test::Alnum => !ascii || b.is_ascii_alphanumeric(),
            Test::NotAlnum => ascii && !b.is_ascii_alphanumeric(),
            Test::Alpha => !ascii || b.is_ascii_alphabetic(),
            Test::Digit => ascii && b.is_ascii_digit(),
            Test::Space => ascii && crate::tsearch::value_parser::is_space(b),
            Test::XDigit => ascii && b.is_ascii_hexdigit(),
            Test::AscLet => one_byte && byte.is_ascii_alphabetic(),
            // Only NUL has display width 0 among the characters that are not letters here.
            Test::Special => c == 0,
            Test::Ignore => self.ignore,
            Test::StopHost => {
                let want = self.want_host;
                self.want_host = false;
                want
            }
            Test::Host => grow(|| self.sub_parse(None, TokenType::Host)),
            Test::UrlPath => grow(|| self.sub_parse(Some(St::InURLPathFirst), TokenType::UrlPath)),
            Test::UrlChar => {
                one_byte
                    && (0x21..0x7f).contains(&byte)
                    && !matches!(
                        byte,
                        b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
                    )
            }
        }
    }

    /// PostgreSQL's `p_ishost` / `p_isURLPath`: runs a copy of the parser from here and, if
    /// its first token has type `want`, swallows that token into the current one.
    fn sub_parse(&mut self, start: Option<St>, want: TokenType) -> bool {
        let mut sub = self.copy();
        match start {
            Some(state) => {
                let mut pushed = *sub.top();
                pushed.state = state;
                sub.stack.push(pushed);
            }
            None => sub.want_host = true,
        }
        if !(sub.next() && sub.kind == Some(want)) {
            return false;
        }
        let (len_bytes, len_chars, char_len) = (sub.len_bytes, sub.len_chars, sub.top().char_len);
        let top = self.top_mut();
        top.pos_byte += len_bytes;
        top.pos_char += len_chars;
        top.len_bytes += len_bytes;
        top.len_chars += len_chars;
        top.char_len = char_len;
        true
    }

    /// PostgreSQL's `SpecialTags`: text inside `<script>` and `<style>` is skipped.
    fn special_tags(&mut self) {
        let start = self.byte_base + self.token_start;
        let token = self.input.bytes.get(start..).unwrap_or(&[]);
        let starts = |prefix: &str| {
            token.len() >= prefix.len()
                && token[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
        };
        match self.top().len_chars {
            8 if starts("</script") => self.ignore = false,
            7 if starts("</style") => self.ignore = false,
            7 if starts("<script") => self.ignore = true,
            6 if starts("<style") => self.ignore = true,
            _ => {}
        }
    }
}
