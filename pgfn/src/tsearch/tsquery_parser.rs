//! tsquery text parsing as PostgreSQL's `parse_tsquery`: the standard syntax (`tsquery`
//! input and `to_tsquery`), the plain one (`plainto_tsquery`, `phraseto_tsquery`) and the
//! web-search one (`websearch_to_tsquery`), turned into prefix order by an operator stack.
//!
//! Invariants:
//! - Each operand goes to the caller's `PushValue`, which pushes one value, one complete
//!   expression, or one stopword placeholder; stopwords are removed afterwards as
//!   PostgreSQL's `cleanup_tsquery_stopwords` does.
//! - At most 32 operators wait on one nesting level's stack, as in PostgreSQL.

use crate::tsearch::recursion::grow;
use crate::tsearch::stopword_cleanup::remove_stopwords;
use crate::tsearch::tsquery::{Op, Operand, TsQuery, phrase_distance_error};
use crate::tsearch::tsvector::{MAX_LEXEME_BYTES, MAX_TSVECTOR_BYTES, bytes_to_string};
use crate::tsearch::value_parser::{self, ScanMode, char_len, is_operator, is_space};
use crate::{Condition, Error, Result};

/// Which of PostgreSQL's tsquery syntaxes to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    Standard,
    Plain,
    Web,
}

/// One item of the query being built, in PostgreSQL's polish list.
#[derive(Debug, Clone)]
pub(crate) enum PolishItem {
    Value(Operand),
    Stop,
    Operator(Op, i16),
}

/// The polish list the parser and the caller's `PushValue` build together.
pub(crate) struct Polish<'a> {
    // Postfix order; reversed into prefix order at the end, as PostgreSQL's lcons does.
    items: Vec<PolishItem>,
    operand_bytes: usize,
    whole: &'a str,
}

impl Polish<'_> {
    /// PostgreSQL's `pushValue`: one lexeme with its weight bitmask and prefix flag.
    pub(crate) fn push_value(&mut self, word: &[u8], weight: u8, prefix: bool) -> Result<()> {
        if word.len() > MAX_LEXEME_BYTES {
            return Err(Error::new(
                Condition::ProgramLimitExceeded,
                format!("word is too long in tsquery: \"{}\"", self.whole),
            ));
        }
        if self.operand_bytes >= MAX_TSVECTOR_BYTES {
            return Err(Error::new(
                Condition::ProgramLimitExceeded,
                format!("value is too big in tsquery: \"{}\"", self.whole),
            ));
        }
        self.operand_bytes += word.len() + 1;
        self.items.push(PolishItem::Value(Operand {
            word: bytes_to_string(word.to_vec()),
            weight,
            prefix,
        }));
        Ok(())
    }

    /// PostgreSQL's `pushOperator`.
    pub(crate) fn push_operator(&mut self, op: Op, distance: i16) {
        let distance = if op == Op::Phrase { distance } else { 0 };
        self.items.push(PolishItem::Operator(op, distance));
    }

    /// PostgreSQL's `pushStop`: a placeholder for a stopword, removed after parsing.
    pub(crate) fn push_stop(&mut self) {
        self.items.push(PolishItem::Stop);
    }
}

/// Receives each operand's text, weight bitmask and prefix flag and pushes its expansion.
pub(crate) type PushValue<'f> = dyn FnMut(&mut Polish<'_>, &[u8], u8, bool) -> Result<()> + 'f;

/// Parses `input` in `syntax`, sending each operand through `push_value`.
pub(crate) fn parse(
    input: &str,
    syntax: Syntax,
    push_value: &mut PushValue<'_>,
) -> Result<TsQuery> {
    let text = value_parser::c_string(input);
    let mut parser = Parser {
        buf: text.as_bytes(),
        at: 0,
        count: 0,
        state: State::FirstOperand,
        syntax,
        polish: Polish {
            items: Vec::new(),
            operand_bytes: 0,
            whole: text,
        },
    };
    parser.makepol(push_value)?;
    let mut items = parser.polish.items;
    if items.is_empty() {
        return Ok(TsQuery::default());
    }
    items.reverse();
    remove_stopwords(items)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Operand,
    Operator,
    FirstOperand,
}

enum Token {
    End,
    Err,
    Value {
        word: Vec<u8>,
        weight: u8,
        prefix: bool,
    },
    Operator(Op, i16),
    Open,
    Close,
}

struct Parser<'a> {
    buf: &'a [u8],
    at: usize,
    count: i32,
    state: State,
    syntax: Syntax,
    polish: Polish<'a>,
}

impl Parser<'_> {
    fn byte(&self, i: usize) -> u8 {
        self.buf.get(i).copied().unwrap_or(0)
    }

    fn advance(&mut self) {
        let c = self.byte(self.at);
        self.at += if c == 0 { 1 } else { char_len(c) };
    }

    fn syntax_error(&self) -> Error {
        Error::new(
            Condition::SyntaxError,
            format!("syntax error in tsquery: \"{}\"", self.polish.whole),
        )
    }

    /// PostgreSQL's `makepol`: one nesting level, operators held on a 32-deep stack.
    fn makepol(&mut self, push_value: &mut PushValue<'_>) -> Result<()> {
        let mut stack: Vec<(Op, i16)> = Vec::new();
        loop {
            match self.next_token()? {
                Token::End => break,
                Token::Value {
                    word,
                    weight,
                    prefix,
                } => push_value(&mut self.polish, &word, weight, prefix)?,
                Token::Operator(op, distance) => {
                    self.clean_stack(&mut stack, op);
                    if stack.len() == 32 {
                        return Err(Error::new(
                            Condition::InternalError,
                            "tsquery stack too small",
                        ));
                    }
                    stack.push((op, distance));
                }
                Token::Open => grow(|| self.makepol(push_value))?,
                Token::Close => {
                    self.clean_stack(&mut stack, Op::Or);
                    return Ok(());
                }
                Token::Err => return Err(self.syntax_error()),
            }
        }
        self.clean_stack(&mut stack, Op::Or);
        Ok(())
    }

    /// Pops operators binding at least as tightly as `op` (NOT is right-associative).
    fn clean_stack(&mut self, stack: &mut Vec<(Op, i16)>, op: Op) {
        let priority = op.priority();
        while let Some(&(top, distance)) = stack.last() {
            let stop = if op == Op::Not {
                priority >= top.priority()
            } else {
                priority > top.priority()
            };
            if stop {
                break;
            }
            stack.pop();
            self.polish.push_operator(top, distance);
        }
    }

    fn next_token(&mut self) -> Result<Token> {
        match self.syntax {
            Syntax::Standard => self.token_standard(),
            Syntax::Plain => Ok(self.token_plain()),
            Syntax::Web => self.token_web(),
        }
    }

    fn scan_value(&mut self, mode: ScanMode) -> Result<Option<Vec<u8>>> {
        let whole = self.polish.whole;
        match value_parser::next_token(self.buf, self.at, mode, whole)? {
            Some(token) => {
                self.at = token.end;
                Ok(Some(token.word))
            }
            None => Ok(None),
        }
    }

    fn token_standard(&mut self) -> Result<Token> {
        loop {
            let c = self.byte(self.at);
            match self.state {
                State::FirstOperand | State::Operand => {
                    if c == b'!' {
                        self.at += 1;
                        self.state = State::Operand;
                        return Ok(Token::Operator(Op::Not, 0));
                    } else if c == b'(' {
                        self.at += 1;
                        self.state = State::Operand;
                        self.count += 1;
                        return Ok(Token::Open);
                    } else if c == b':' {
                        return Err(self.syntax_error());
                    } else if !is_space(c) {
                        if let Some(word) = self.scan_value(ScanMode::TsQuery)? {
                            let (weight, prefix) = self.modifiers();
                            self.state = State::Operator;
                            return Ok(Token::Value {
                                word,
                                weight,
                                prefix,
                            });
                        } else if self.state == State::FirstOperand {
                            return Ok(Token::End);
                        } else {
                            return Err(Error::new(
                                Condition::SyntaxError,
                                format!("no operand in tsquery: \"{}\"", self.polish.whole),
                            ));
                        }
                    }
                }
                State::Operator => {
                    if c == b'&' {
                        self.at += 1;
                        self.state = State::Operand;
                        return Ok(Token::Operator(Op::And, 0));
                    } else if c == b'|' {
                        self.at += 1;
                        self.state = State::Operand;
                        return Ok(Token::Operator(Op::Or, 0));
                    } else if let Some(distance) = self.phrase_operator()? {
                        self.state = State::Operand;
                        return Ok(Token::Operator(Op::Phrase, distance));
                    } else if c == b')' {
                        self.at += 1;
                        self.count -= 1;
                        return Ok(if self.count < 0 {
                            Token::Err
                        } else {
                            Token::Close
                        });
                    } else if c == 0 {
                        return Ok(if self.count != 0 {
                            Token::Err
                        } else {
                            Token::End
                        });
                    } else if !is_space(c) {
                        return Ok(Token::Err);
                    }
                }
            }
            self.advance();
        }
    }

    /// PostgreSQL's `get_modifiers`: `:` followed by weight letters and `*`.
    fn modifiers(&mut self) -> (u8, bool) {
        let mut weight = 0u8;
        let mut prefix = false;
        if self.byte(self.at) != b':' {
            return (weight, prefix);
        }
        self.at += 1;
        loop {
            let c = self.byte(self.at);
            match c {
                b'a' | b'A' => weight |= 8,
                b'b' | b'B' => weight |= 4,
                b'c' | b'C' => weight |= 2,
                b'd' | b'D' => weight |= 1,
                b'*' => prefix = true,
                _ => return (weight, prefix),
            }
            self.at += 1;
        }
    }

    /// PostgreSQL's `parse_phrase_operator`: `<->` or `<N>`, only when text follows it.
    fn phrase_operator(&mut self) -> Result<Option<i16>> {
        #[derive(PartialEq)]
        enum Phase {
            Open,
            Dist,
            Close,
            Finish,
        }
        let mut phase = Phase::Open;
        let mut ptr = self.at;
        let mut distance: i64 = 1;
        while self.byte(ptr) != 0 {
            let c = self.byte(ptr);
            match phase {
                Phase::Open => {
                    if c != b'<' {
                        return Ok(None);
                    }
                    phase = Phase::Dist;
                    ptr += 1;
                }
                Phase::Dist => {
                    if c == b'-' {
                        phase = Phase::Close;
                        ptr += 1;
                        continue;
                    }
                    if !c.is_ascii_digit() {
                        return Ok(None);
                    }
                    let mut value: i64 = 0;
                    while self.byte(ptr).is_ascii_digit() {
                        value = value
                            .saturating_mul(10)
                            .saturating_add(i64::from(self.byte(ptr) - b'0'));
                        ptr += 1;
                    }
                    if value > 16384 {
                        return Err(phrase_distance_error());
                    }
                    distance = value;
                    phase = Phase::Close;
                }
                Phase::Close => {
                    if c != b'>' {
                        return Ok(None);
                    }
                    phase = Phase::Finish;
                    ptr += 1;
                }
                Phase::Finish => {
                    self.at = ptr;
                    return Ok(Some(distance as i16));
                }
            }
        }
        Ok(None)
    }

    fn token_plain(&mut self) -> Token {
        if self.byte(self.at) == 0 {
            return Token::End;
        }
        let word = self.buf[self.at..].to_vec();
        self.at = self.buf.len();
        self.count += 1;
        Token::Value {
            word,
            weight: 0,
            prefix: false,
        }
    }

    fn token_web(&mut self) -> Result<Token> {
        loop {
            let c = self.byte(self.at);
            match self.state {
                State::FirstOperand | State::Operand => {
                    if c == b'-' {
                        self.at += 1;
                        self.state = State::Operand;
                        return Ok(Token::Operator(Op::Not, 0));
                    } else if c == b'"' {
                        self.at += 1;
                        let start = self.at;
                        while self.byte(self.at) != 0 && self.byte(self.at) != b'"' {
                            self.at += 1;
                        }
                        let word = self.buf[start..self.at.min(self.buf.len())].to_vec();
                        if self.byte(self.at) != 0 {
                            self.at += 1;
                        }
                        self.state = State::Operator;
                        self.count += 1;
                        return Ok(Token::Value {
                            word,
                            weight: 0,
                            prefix: false,
                        });
                    } else if is_operator(c) {
                        self.at += 1;
                        self.state = State::Operand;
                        continue;
                    } else if !is_space(c) {
                        if let Some(word) = self.scan_value(ScanMode::WebSearch)? {
                            self.state = State::Operator;
                            return Ok(Token::Value {
                                word,
                                weight: 0,
                                prefix: false,
                            });
                        } else if self.state == State::FirstOperand {
                            return Ok(Token::End);
                        } else {
                            self.polish.push_stop();
                            return Ok(Token::End);
                        }
                    }
                }
                State::Operator => {
                    if c == 0 {
                        return Ok(Token::End);
                    } else if self.or_operator() {
                        self.state = State::Operand;
                        return Ok(Token::Operator(Op::Or, 0));
                    } else if is_operator(c) {
                        self.at += 1;
                        continue;
                    } else if !is_space(c) {
                        self.state = State::Operand;
                        return Ok(Token::Operator(Op::And, 0));
                    }
                }
            }
            self.advance();
        }
    }

    /// PostgreSQL's `parse_or_operator`: a standalone `or` with an operand after it.
    fn or_operator(&mut self) -> bool {
        let mut ptr = self.at;
        if !self.byte(ptr).eq_ignore_ascii_case(&b'o')
            || !self.byte(ptr + 1).eq_ignore_ascii_case(&b'r')
        {
            return false;
        }
        ptr += 2;
        let c = self.byte(ptr);
        if c == 0 || c == b'-' || c == b'_' || c.is_ascii_alphabetic() || c.is_ascii_digit() {
            return false;
        }
        loop {
            let c = self.byte(ptr);
            ptr += if c == 0 { 1 } else { char_len(c) };
            let next = self.byte(ptr);
            if next == 0 {
                return false;
            }
            if !is_space(next) {
                break;
            }
        }
        self.at += 2;
        true
    }
}
