//! The jsonpath grammar of PostgreSQL 15 (`jsonpath_gram.y`) as a recursive-descent parser
//! that fails on the same token as PostgreSQL's LALR parser, plus the checks PostgreSQL makes
//! after parsing (`@` outside filters, `last` outside subscripts).
//!
//! Invariants:
//! - A syntax error names the first token that cannot continue a valid jsonpath, with the
//!   token text PostgreSQL's scanner reports for it.
//! - Literals are converted when read (numbers, `**` levels, regexes), before the next token
//!   is scanned, as PostgreSQL's grammar actions run.
//! - A jsonpath has at most `MAX_ITEMS` items and nests at most `MAX_NESTING` deep, so every
//!   walk over it stays far inside a thread's stack.

use super::ast::{BinOp, Item, Kind, Method, UnOp};
use super::like_regex;
use super::scan::{Scanner, Tok, Token, syntax_at};
use crate::json::parse::stack_depth_error;
use crate::{Condition, Error, Numeric, Result};

/// The most items one jsonpath may have (evaluation recurses once per chained item).
pub const MAX_ITEMS: usize = 256;
/// The deepest parenthesis, subscript and filter nesting accepted.
pub const MAX_NESTING: usize = 32;

/// A parsed jsonpath's mode and expression; `None` for an empty input.
pub(crate) fn parse(text: &str) -> Result<Option<(bool, Item)>> {
    let mut parser = Parser {
        scanner: Scanner::new(text),
        token: None,
        items: 0,
        nesting: 0,
    };
    let first = parser.peek()?.tok;
    if first == Tok::End {
        return Ok(None);
    }
    let mut lax = true;
    if first == Tok::Strict || first == Tok::Lax {
        lax = first == Tok::Lax;
        parser.advance();
    }
    let (item, _) = parser.or(Want::Either)?;
    if parser.peek()?.tok != Tok::End {
        return Err(parser.error());
    }
    check_placement(&item, 0, false)?;
    Ok(Some((lax, item)))
}

/// What the surrounding grammar accepts at an operand position.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// An arithmetic operand: a predicate here must be followed by an accessor.
    Expr,
    /// Anything (a predicate or an expression).
    Either,
}

struct Parser<'a> {
    scanner: Scanner<'a>,
    token: Option<Token>,
    items: usize,
    nesting: usize,
}

impl Parser<'_> {
    fn peek(&mut self) -> Result<&Token> {
        if self.token.is_none() {
            self.token = Some(self.scanner.next()?);
        }
        Ok(self.token.as_ref().expect("just set"))
    }

    fn tok(&mut self) -> Result<Tok> {
        Ok(self.peek()?.tok)
    }

    fn advance(&mut self) -> Token {
        self.token.take().unwrap_or(Token {
            tok: Tok::End,
            value: String::new(),
            yytext: None,
        })
    }

    /// The syntax error at the current token.
    fn error(&self) -> Error {
        syntax_at(
            "syntax error",
            self.token.as_ref().and_then(|t| t.yytext.clone()),
        )
    }

    fn expect(&mut self, tok: Tok) -> Result<Token> {
        if self.tok()? != tok {
            return Err(self.error());
        }
        Ok(self.advance())
    }

    fn item(&mut self, kind: Kind) -> Result<Item> {
        self.items += 1;
        if self.items > MAX_ITEMS {
            return Err(stack_depth_error());
        }
        Ok(Item::new(kind))
    }

    fn nest(&mut self) -> Result<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(stack_depth_error());
        }
        Ok(())
    }

    /// `a || b || ...`; the bool is "this is a predicate".
    fn or(&mut self, want: Want) -> Result<(Item, bool)> {
        let (mut left, mut is_pred) = self.and(want)?;
        while self.tok()? == Tok::Or {
            if !is_pred {
                return Err(self.error());
            }
            self.advance();
            let right = self.and(Want::Either)?;
            let right = self.require_predicate(right)?;
            left = self.item(Kind::Binary(BinOp::Or, Box::new(left), Box::new(right)))?;
            is_pred = true;
        }
        Ok((left, is_pred))
    }

    fn and(&mut self, want: Want) -> Result<(Item, bool)> {
        let (mut left, mut is_pred) = self.not(want)?;
        while self.tok()? == Tok::And {
            if !is_pred {
                return Err(self.error());
            }
            self.advance();
            let right = self.not(Want::Either)?;
            let right = self.require_predicate(right)?;
            left = self.item(Kind::Binary(BinOp::And, Box::new(left), Box::new(right)))?;
            is_pred = true;
        }
        Ok((left, is_pred))
    }

    /// An operand that must be a predicate: an expression here fails on the token after it.
    fn require_predicate(&mut self, (item, is_pred): (Item, bool)) -> Result<Item> {
        if !is_pred {
            self.peek()?;
            return Err(self.error());
        }
        Ok(item)
    }

    fn not(&mut self, want: Want) -> Result<(Item, bool)> {
        if self.tok()? != Tok::Not {
            return self.comparison(want);
        }
        self.advance();
        let inner = match self.tok()? {
            Tok::Char(b'(') => {
                self.advance();
                self.nest()?;
                let inner = self.or(Want::Either)?;
                let inner = self.require_predicate(inner)?;
                self.expect(Tok::Char(b')'))?;
                self.nesting -= 1;
                inner
            }
            Tok::Exists => self.exists()?,
            _ => return Err(self.error()),
        };
        Ok((self.item(Kind::Unary(UnOp::Not, Box::new(inner)))?, true))
    }

    fn exists(&mut self) -> Result<Item> {
        self.expect(Tok::Exists)?;
        self.expect(Tok::Char(b'('))?;
        self.nest()?;
        let inner = self.additive(Want::Expr)?;
        if inner.1 {
            return Err(self.error());
        }
        self.expect(Tok::Char(b')'))?;
        self.nesting -= 1;
        self.item(Kind::Unary(UnOp::Exists, Box::new(inner.0)))
    }

    fn comparison(&mut self, want: Want) -> Result<(Item, bool)> {
        let (left, is_pred) = self.additive(want)?;
        if is_pred {
            return Ok((left, true));
        }
        let op = match self.tok()? {
            Tok::Equal => BinOp::Equal,
            Tok::NotEqual => BinOp::NotEqual,
            Tok::Less => BinOp::Less,
            Tok::Greater => BinOp::Greater,
            Tok::LessEqual => BinOp::LessOrEqual,
            Tok::GreaterEqual => BinOp::GreaterOrEqual,
            Tok::Starts => {
                self.advance();
                self.expect(Tok::With)?;
                let initial = match self.tok()? {
                    Tok::Str => {
                        let value = self.advance().value;
                        self.item(Kind::String(value))?
                    }
                    Tok::Variable => {
                        let value = self.advance().value;
                        self.item(Kind::Variable(value))?
                    }
                    _ => return Err(self.error()),
                };
                let item = self.item(Kind::Binary(
                    BinOp::StartsWith,
                    Box::new(left),
                    Box::new(initial),
                ))?;
                return Ok((item, true));
            }
            Tok::LikeRegex => {
                self.advance();
                let pattern = self.expect(Tok::Str)?.value;
                let mut flags_text = None;
                if self.tok()? == Tok::Flag {
                    self.advance();
                    flags_text = Some(self.expect(Tok::Str)?.value);
                }
                let (flags, regex) = like_regex::compile(&pattern, flags_text.as_deref())?;
                let item = self.item(Kind::LikeRegex {
                    expr: Box::new(left),
                    pattern,
                    flags,
                    regex,
                })?;
                return Ok((item, true));
            }
            _ => return Ok((left, false)),
        };
        self.advance();
        let right = self.additive(Want::Expr)?;
        if right.1 {
            return Err(self.error());
        }
        Ok((
            self.item(Kind::Binary(op, Box::new(left), Box::new(right.0)))?,
            true,
        ))
    }

    fn additive(&mut self, want: Want) -> Result<(Item, bool)> {
        let (mut left, is_pred) = self.multiplicative(want)?;
        if is_pred {
            return Ok((left, true));
        }
        loop {
            let op = match self.tok()? {
                Tok::Char(b'+') => BinOp::Add,
                Tok::Char(b'-') => BinOp::Sub,
                _ => return Ok((left, false)),
            };
            self.advance();
            let right = self.multiplicative(Want::Expr)?;
            left = self.item(Kind::Binary(op, Box::new(left), Box::new(right.0)))?;
        }
    }

    fn multiplicative(&mut self, want: Want) -> Result<(Item, bool)> {
        let (mut left, is_pred) = self.unary(want)?;
        if is_pred {
            return Ok((left, true));
        }
        loop {
            let op = match self.tok()? {
                Tok::Char(b'*') => BinOp::Mul,
                Tok::Char(b'/') => BinOp::Div,
                Tok::Char(b'%') => BinOp::Mod,
                _ => return Ok((left, false)),
            };
            self.advance();
            let right = self.unary(Want::Expr)?;
            left = self.item(Kind::Binary(op, Box::new(left), Box::new(right.0)))?;
        }
    }

    fn unary(&mut self, want: Want) -> Result<(Item, bool)> {
        let op = match self.tok()? {
            Tok::Char(b'+') => UnOp::Plus,
            Tok::Char(b'-') => UnOp::Minus,
            _ => return self.primary(want),
        };
        self.advance();
        self.nest()?;
        let (arg, _) = self.unary(Want::Expr)?;
        self.nesting -= 1;
        // PostgreSQL folds a sign into a plain numeric literal.
        if arg.next.is_none()
            && let Kind::Numeric(n) = &arg.kind
        {
            let n = if op == UnOp::Minus {
                n.neg()
            } else {
                n.clone()
            };
            return Ok((self.item(Kind::Numeric(n))?, false));
        }
        Ok((self.item(Kind::Unary(op, Box::new(arg)))?, false))
    }

    fn primary(&mut self, want: Want) -> Result<(Item, bool)> {
        let token = self.peek()?.clone();
        let mut item = match token.tok {
            Tok::Str => self.literal(Kind::String(token.value))?,
            Tok::Null => self.literal(Kind::Null)?,
            Tok::True => self.literal(Kind::Bool(true))?,
            Tok::False => self.literal(Kind::Bool(false))?,
            Tok::Numeric | Tok::Int => {
                let number: Numeric = token.value.parse()?;
                self.literal(Kind::Numeric(number))?
            }
            Tok::Variable => self.literal(Kind::Variable(token.value))?,
            Tok::Char(b'$') => self.literal(Kind::Root)?,
            Tok::Char(b'@') => self.literal(Kind::Current)?,
            Tok::Last => self.literal(Kind::Last)?,
            Tok::Exists if want == Want::Either => return Ok((self.exists()?, true)),
            Tok::Char(b'(') => {
                self.advance();
                self.nest()?;
                let (inner, is_pred) = self.or(Want::Either)?;
                self.expect(Tok::Char(b')'))?;
                self.nesting -= 1;
                if is_accessor_start(self.tok()?) {
                    let mut inner = inner;
                    self.accessors(&mut inner)?;
                    return Ok((inner, false));
                }
                if !is_pred {
                    return Ok((inner, false));
                }
                if want == Want::Expr {
                    return Err(self.error());
                }
                if self.tok()? == Tok::Is {
                    self.advance();
                    self.expect(Tok::Unknown)?;
                    return Ok((
                        self.item(Kind::Unary(UnOp::IsUnknown, Box::new(inner)))?,
                        true,
                    ));
                }
                return Ok((inner, true));
            }
            _ => return Err(self.error()),
        };
        self.accessors(&mut item)?;
        Ok((item, false))
    }

    fn literal(&mut self, kind: Kind) -> Result<Item> {
        self.advance();
        self.item(kind)
    }

    /// Accessors after a primary, appended to its chain.
    fn accessors(&mut self, item: &mut Item) -> Result<()> {
        while is_accessor_start(self.tok()?) {
            let accessor = self.accessor()?;
            item.append(accessor);
        }
        Ok(())
    }

    fn accessor(&mut self) -> Result<Item> {
        match self.tok()? {
            Tok::Char(b'[') => {
                self.advance();
                if self.tok()? == Tok::Char(b'*') {
                    self.advance();
                    self.expect(Tok::Char(b']'))?;
                    return self.item(Kind::AnyArray);
                }
                self.nest()?;
                let mut subscripts = Vec::new();
                loop {
                    let (from, from_pred) = self.additive(Want::Expr)?;
                    if from_pred {
                        return Err(self.error());
                    }
                    let to = if self.tok()? == Tok::To {
                        self.advance();
                        let (to, to_pred) = self.additive(Want::Expr)?;
                        if to_pred {
                            return Err(self.error());
                        }
                        Some(to)
                    } else {
                        None
                    };
                    subscripts.push((from, to));
                    match self.tok()? {
                        Tok::Char(b',') => {
                            self.advance();
                        }
                        Tok::Char(b']') => {
                            self.advance();
                            break;
                        }
                        _ => return Err(self.error()),
                    }
                }
                self.nesting -= 1;
                self.item(Kind::IndexArray(subscripts))
            }
            Tok::Char(b'?') => {
                self.advance();
                self.expect(Tok::Char(b'('))?;
                self.nest()?;
                let inner = self.or(Want::Either)?;
                let inner = self.require_predicate(inner)?;
                self.expect(Tok::Char(b')'))?;
                self.nesting -= 1;
                self.item(Kind::Unary(UnOp::Filter, Box::new(inner)))
            }
            _ => {
                self.expect(Tok::Char(b'.'))?;
                self.dot_accessor()
            }
        }
    }

    /// What follows a `.`: a key, `*`, `**{...}`, a method call, `datetime(...)`.
    fn dot_accessor(&mut self) -> Result<Item> {
        let token = self.peek()?.clone();
        let method = match token.tok {
            Tok::Abs => Some(Method::Abs),
            Tok::Size => Some(Method::Size),
            Tok::Type => Some(Method::Type),
            Tok::Floor => Some(Method::Floor),
            Tok::Double => Some(Method::Double),
            Tok::Ceiling => Some(Method::Ceiling),
            Tok::KeyValue => Some(Method::KeyValue),
            _ => None,
        };
        match token.tok {
            Tok::Char(b'*') => self.literal(Kind::AnyKey),
            Tok::Any => {
                self.advance();
                if self.tok()? != Tok::Char(b'{') {
                    return self.item(Kind::Any {
                        first: 0,
                        last: u32::MAX,
                    });
                }
                self.advance();
                let first = self.any_level()?;
                let last = if self.tok()? == Tok::To {
                    self.advance();
                    self.any_level()?
                } else {
                    first
                };
                self.expect(Tok::Char(b'}'))?;
                self.item(Kind::Any { first, last })
            }
            Tok::Datetime => {
                self.advance();
                if self.tok()? != Tok::Char(b'(') {
                    return self.item(Kind::Key(token.value));
                }
                self.advance();
                let template = if self.tok()? == Tok::Str {
                    let value = self.advance().value;
                    Some(Box::new(self.item(Kind::String(value))?))
                } else {
                    None
                };
                self.expect(Tok::Char(b')'))?;
                self.item(Kind::Datetime(template))
            }
            _ if method.is_some() => {
                self.advance();
                if self.tok()? != Tok::Char(b'(') {
                    return self.item(Kind::Key(token.value));
                }
                self.advance();
                self.expect(Tok::Char(b')'))?;
                self.item(Kind::Method(method.expect("matched")))
            }
            Tok::Ident
            | Tok::Str
            | Tok::To
            | Tok::Null
            | Tok::True
            | Tok::False
            | Tok::Is
            | Tok::Unknown
            | Tok::Exists
            | Tok::Strict
            | Tok::Lax
            | Tok::Last
            | Tok::Starts
            | Tok::With
            | Tok::LikeRegex
            | Tok::Flag => self.literal(Kind::Key(token.value)),
            _ => Err(self.error()),
        }
    }

    /// A `**` level: an integer or `last` (`u32::MAX`).
    fn any_level(&mut self) -> Result<u32> {
        match self.tok()? {
            Tok::Int => {
                let text = self.advance().value;
                match text.parse::<i32>() {
                    Ok(n) => Ok(n as u32),
                    Err(_) => Err(Error::new(
                        Condition::NumericValueOutOfRange,
                        format!("value \"{text}\" is out of range for type integer"),
                    )),
                }
            }
            Tok::Last => {
                self.advance();
                Ok(u32::MAX)
            }
            _ => Err(self.error()),
        }
    }
}

fn is_accessor_start(tok: Tok) -> bool {
    matches!(tok, Tok::Char(b'.' | b'[' | b'?'))
}

/// PostgreSQL's checks in `flattenJsonPathParseItem`, in its depth-first order: `@` only
/// inside a filter, `last` only inside a subscript.
fn check_placement(item: &Item, filters: usize, in_subscript: bool) -> Result<()> {
    let mut cursor = Some(item);
    while let Some(item) = cursor {
        match &item.kind {
            Kind::Current if filters == 0 => {
                return Err(Error::new(
                    Condition::SyntaxError,
                    "@ is not allowed in root expressions",
                ));
            }
            Kind::Last if !in_subscript => {
                return Err(Error::new(
                    Condition::SyntaxError,
                    "LAST is allowed only in array subscripts",
                ));
            }
            Kind::Binary(_, left, right) => {
                check_placement(left, filters, in_subscript)?;
                check_placement(right, filters, in_subscript)?;
            }
            Kind::Unary(op, arg) => {
                let filters = filters + usize::from(*op == UnOp::Filter);
                check_placement(arg, filters, in_subscript)?;
            }
            Kind::LikeRegex { expr, .. } => check_placement(expr, filters, in_subscript)?,
            Kind::Datetime(Some(arg)) => check_placement(arg, filters, in_subscript)?,
            Kind::IndexArray(subscripts) => {
                for (from, to) in subscripts {
                    check_placement(from, filters, true)?;
                    if let Some(to) = to {
                        check_placement(to, filters, true)?;
                    }
                }
            }
            _ => {}
        }
        cursor = item.next.as_deref();
    }
    Ok(())
}
