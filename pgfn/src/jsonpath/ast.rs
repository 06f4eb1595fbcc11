//! The parsed jsonpath: PostgreSQL's `JsonPathParseItem` tree, an item and its `next` chain.
//!
//! Invariants:
//! - An accessor chain is a linked list through `next`, as in PostgreSQL: `$.a[0]` is Root →
//!   Key("a") → IndexArray; `(expr).b` appends `.b` to the end of `expr`'s own chain.
//! - `LikeRegex` carries its pattern compiled once, at parse time.

use crate::Numeric;

/// One jsonpath item and what follows it.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub(crate) kind: Kind,
    pub(crate) next: Option<Box<Item>>,
}

/// Binary operators (PostgreSQL's `jpiAnd` ... `jpiStartsWith`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinOp {
    And,
    Or,
    Equal,
    NotEqual,
    Less,
    Greater,
    LessOrEqual,
    GreaterOrEqual,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    StartsWith,
}

/// Unary items with one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnOp {
    Not,
    IsUnknown,
    Plus,
    Minus,
    Exists,
    Filter,
}

/// Item methods without arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Type,
    Size,
    Abs,
    Floor,
    Ceiling,
    Double,
    KeyValue,
}

/// What an item is.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Numeric(Numeric),
    String(String),
    Variable(String),
    Key(String),
    Root,
    Current,
    Last,
    AnyArray,
    AnyKey,
    /// `.**{first to last}`; `u32::MAX` is `last`.
    Any {
        first: u32,
        last: u32,
    },
    /// `[a, b to c]`.
    IndexArray(Vec<(Item, Option<Item>)>),
    Binary(BinOp, Box<Item>, Box<Item>),
    Unary(UnOp, Box<Item>),
    LikeRegex {
        expr: Box<Item>,
        pattern: String,
        flags: u8,
        regex: regex::Regex,
    },
    Method(Method),
    Datetime(Option<Box<Item>>),
}

/// `like_regex` flag bits, as PostgreSQL's `JSP_REGEX_*`.
pub(crate) const REGEX_ICASE: u8 = 0x01;
pub(crate) const REGEX_DOTALL: u8 = 0x02;
pub(crate) const REGEX_MLINE: u8 = 0x04;
pub(crate) const REGEX_WSPACE: u8 = 0x08;
pub(crate) const REGEX_QUOTE: u8 = 0x10;

impl Item {
    pub(crate) fn new(kind: Kind) -> Item {
        Item { kind, next: None }
    }

    /// Appends `tail` at the end of this item's chain.
    pub(crate) fn append(&mut self, tail: Item) {
        let mut cursor = &mut self.next;
        while let Some(node) = cursor {
            cursor = &mut node.next;
        }
        *cursor = Some(Box::new(tail));
    }
}

impl BinOp {
    /// PostgreSQL's `jspOperationName`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            BinOp::And => "&&",
            BinOp::Or => "||",
            BinOp::Equal => "==",
            BinOp::NotEqual => "!=",
            BinOp::Less => "<",
            BinOp::Greater => ">",
            BinOp::LessOrEqual => "<=",
            BinOp::GreaterOrEqual => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::StartsWith => "starts with",
        }
    }
}

impl Method {
    /// PostgreSQL's `jspOperationName`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Method::Type => "type",
            Method::Size => "size",
            Method::Abs => "abs",
            Method::Floor => "floor",
            Method::Ceiling => "ceiling",
            Method::Double => "double",
            Method::KeyValue => "keyvalue",
        }
    }
}
