//! The `tsquery` value in PostgreSQL's own layout (items in prefix order: operator, right
//! operand, left operand), its text output with PostgreSQL's parenthesisation, and the
//! operators that build queries from queries (`&&`, `||`, `!!`, `<->`, `tsquery_phrase`).
//!
//! Invariants:
//! - `items` is empty (a query without lexemes) or one complete expression in prefix order;
//!   every operator's `left` is the offset from it to its left operand.
//! - Operator priorities are PostgreSQL's: `!` 4, `<->` 3, `&` 2, `|` 1.

use std::fmt;

use crate::tsearch::recursion::grow;
use crate::tsearch::tsquery_parser::{self, Polish, Syntax};
use crate::tsearch::tsvector::write_quoted;
use crate::{Condition, Error, Result};

/// A tsquery operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `!`
    Not,
    /// `&`
    And,
    /// `|`
    Or,
    /// `<N>` (`<->` is distance 1).
    Phrase,
}

impl Op {
    pub(crate) fn priority(self) -> i32 {
        match self {
            Op::Not => 4,
            Op::And => 2,
            Op::Or => 1,
            Op::Phrase => 3,
        }
    }
}

/// A query lexeme with its weight restriction and prefix flag.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Operand {
    /// The lexeme.
    pub word: String,
    /// Weight bitmask: A = 8, B = 4, C = 2, D = 1; 0 means any weight.
    pub weight: u8,
    /// `:*`: matches every lexeme starting with `word`.
    pub prefix: bool,
}

/// One item of a query in prefix order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum QueryItem {
    /// A lexeme.
    Operand(Operand),
    /// An operator; its right operand follows it, its left operand starts `left` items on.
    Operator {
        /// Which operator.
        op: Op,
        /// Phrase distance (0 for other operators).
        distance: i16,
        /// Offset from this item to the first item of the left operand (1 for `!`).
        left: u32,
    },
}

/// A PostgreSQL `tsquery`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TsQuery {
    // Invariant: empty or one complete prefix-order expression with correct `left` offsets.
    items: Vec<QueryItem>,
}

impl TsQuery {
    /// Parses tsquery text input exactly as PostgreSQL's `tsqueryin` (operands as written).
    pub fn parse(input: &str) -> Result<TsQuery> {
        let mut push_as_is = |polish: &mut Polish<'_>, word: &[u8], weight: u8, prefix: bool| {
            polish.push_value(word, weight, prefix)
        };
        tsquery_parser::parse(input, Syntax::Standard, &mut push_as_is)
    }

    /// Builds a query from prefix-order items, computing the `left` offsets; errors as
    /// PostgreSQL's `findoprnd` when the items are not one complete expression.
    pub(crate) fn from_prefix(mut items: Vec<QueryItem>) -> Result<TsQuery> {
        // Scanning backwards, the stack holds subtree sizes: the left operand is pushed
        // before the right one, so an operator pops the right operand first.
        let mut sizes: Vec<u32> = Vec::new();
        for item in items.iter_mut().rev() {
            match item {
                QueryItem::Operand(_) => sizes.push(1),
                QueryItem::Operator { op, left, .. } => {
                    let Some(right) = sizes.pop() else {
                        return Err(malformed("operand not found"));
                    };
                    if *op == Op::Not {
                        *left = 1;
                        sizes.push(right + 1);
                    } else {
                        let Some(left_size) = sizes.pop() else {
                            return Err(malformed("operand not found"));
                        };
                        *left = right + 1;
                        sizes.push(right + left_size + 1);
                    }
                }
            }
        }
        if sizes.len() > 1 {
            return Err(malformed("extra nodes"));
        }
        Ok(TsQuery { items })
    }

    /// The items in PostgreSQL's prefix order.
    pub fn items(&self) -> &[QueryItem] {
        &self.items
    }

    /// Whether the query has no lexemes (it then matches nothing and prints as '').
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// `numnode(tsquery)`: operands plus operators.
    pub fn numnode(&self) -> usize {
        self.items.len()
    }

    /// `a && b`: both must match.
    pub fn and(&self, other: &TsQuery) -> TsQuery {
        self.join(other, Op::And, 0)
    }

    /// `a || b`: either matches.
    pub fn or(&self, other: &TsQuery) -> TsQuery {
        self.join(other, Op::Or, 0)
    }

    /// `!! a`: the negation.
    pub fn not(&self) -> TsQuery {
        if self.items.is_empty() {
            return self.clone();
        }
        let mut items = Vec::with_capacity(self.items.len() + 1);
        items.push(QueryItem::Operator {
            op: Op::Not,
            distance: 0,
            left: 1,
        });
        items.extend(self.items.iter().cloned());
        TsQuery { items }
    }

    /// `tsquery_phrase(a, b, distance)` and `a <-> b` (distance 1).
    pub fn phrase(&self, other: &TsQuery, distance: i32) -> Result<TsQuery> {
        if !(0..=16384).contains(&distance) {
            return Err(phrase_distance_error());
        }
        // PostgreSQL stores the distance as uint16 into an int16 field: 16384 fits.
        Ok(self.join(other, Op::Phrase, distance as i16))
    }

    fn join(&self, other: &TsQuery, op: Op, distance: i16) -> TsQuery {
        if self.items.is_empty() {
            return other.clone();
        }
        if other.items.is_empty() {
            return self.clone();
        }
        let mut items = Vec::with_capacity(self.items.len() + other.items.len() + 1);
        items.push(QueryItem::Operator {
            op,
            distance,
            left: other.items.len() as u32 + 1,
        });
        items.extend(other.items.iter().cloned());
        items.extend(self.items.iter().cloned());
        TsQuery { items }
    }

    /// `querytree(tsquery)`: the query without its negations, as PostgreSQL's `clean_NOT`
    /// leaves it for index scans; `T` when nothing is left, '' for an empty query.
    pub fn querytree(&self) -> String {
        if self.items.is_empty() {
            return String::new();
        }
        let mut kept = vec![false; self.items.len()];
        if !grow(|| mark_not_free(&self.items, 0, &mut kept)) {
            return "T".to_string();
        }
        let mut cleaned = Vec::with_capacity(self.items.len());
        grow(|| emit_not_free(&self.items, 0, &kept, &mut cleaned));
        match TsQuery::from_prefix(cleaned) {
            Ok(cleaned) => cleaned.to_string(),
            Err(_) => "T".to_string(),
        }
    }

    /// Index of the left operand of the operator at `i`.
    pub(crate) fn left_of(&self, i: usize) -> usize {
        match &self.items[i] {
            QueryItem::Operator { left, .. } => i + *left as usize,
            QueryItem::Operand(_) => i,
        }
    }
}

/// The error PostgreSQL raises for a phrase distance outside 0..=16384.
pub(crate) fn phrase_distance_error() -> Error {
    Error::new(
        Condition::InvalidParameterValue,
        "distance in phrase operator must be an integer value between zero and 16384 inclusive",
    )
}

fn malformed(what: &str) -> Error {
    Error::new(
        Condition::InternalError,
        format!("malformed tsquery: {what}"),
    )
}

/// Marks in `kept` which nodes of the subtree at `i` survive PostgreSQL's `clean_NOT`: a
/// negation vanishes, `|` vanishes with either operand, `&` and `<->` with both.
fn mark_not_free(items: &[QueryItem], i: usize, kept: &mut [bool]) -> bool {
    let keep = match &items[i] {
        QueryItem::Operand(_) => true,
        QueryItem::Operator { op: Op::Not, .. } => false,
        QueryItem::Operator { op, left, .. } => {
            let left_i = i + *left as usize;
            let right_kept = grow(|| mark_not_free(items, i + 1, kept));
            let left_kept = grow(|| mark_not_free(items, left_i, kept));
            if *op == Op::Or {
                left_kept && right_kept
            } else {
                left_kept || right_kept
            }
        }
    };
    kept[i] = keep;
    keep
}

/// Appends the kept part of the subtree at `i`: an operator with one kept operand is
/// replaced by that operand.
fn emit_not_free(items: &[QueryItem], i: usize, kept: &[bool], out: &mut Vec<QueryItem>) {
    match &items[i] {
        QueryItem::Operator { op, left, .. } if *op != Op::Not => {
            let (left_i, right_i) = (i + *left as usize, i + 1);
            match (kept[left_i], kept[right_i]) {
                (true, true) => {
                    out.push(items[i].clone());
                    grow(|| emit_not_free(items, right_i, kept, out));
                    grow(|| emit_not_free(items, left_i, kept, out));
                }
                (true, false) => grow(|| emit_not_free(items, left_i, kept, out)),
                (false, true) => grow(|| emit_not_free(items, right_i, kept, out)),
                (false, false) => {}
            }
        }
        _ if kept[i] => out.push(items[i].clone()),
        _ => {}
    }
}

impl fmt::Display for TsQuery {
    /// `tsqueryout`: infix with PostgreSQL's parentheses, `''` for an empty query.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.items.is_empty() {
            return Ok(());
        }
        let mut out = String::new();
        grow(|| infix(&self.items, 0, -1, false, &mut out))?;
        f.write_str(&out)
    }
}

/// PostgreSQL's `infix`: prints the subtree at `i`, parenthesised when its operator binds
/// less tightly than its parent's, or when it is a phrase on the right of a phrase.
fn infix(
    items: &[QueryItem],
    i: usize,
    parent_priority: i32,
    right_phrase: bool,
    out: &mut String,
) -> fmt::Result {
    match &items[i] {
        QueryItem::Operand(operand) => {
            write_quoted(out, &operand.word)?;
            if operand.weight != 0 || operand.prefix {
                out.push(':');
                if operand.prefix {
                    out.push('*');
                }
                for (bit, letter) in [(8, 'A'), (4, 'B'), (2, 'C'), (1, 'D')] {
                    if operand.weight & bit != 0 {
                        out.push(letter);
                    }
                }
            }
            Ok(())
        }
        QueryItem::Operator { op: Op::Not, .. } => {
            let priority = Op::Not.priority();
            if priority < parent_priority {
                out.push_str("( ");
            }
            out.push('!');
            grow(|| infix(items, i + 1, priority, false, out))?;
            if priority < parent_priority {
                out.push_str(" )");
            }
            Ok(())
        }
        QueryItem::Operator { op, distance, left } => {
            let priority = op.priority();
            let parens = priority < parent_priority || (*op == Op::Phrase && right_phrase);
            if parens {
                out.push_str("( ");
            }
            let mut right = String::new();
            grow(|| infix(items, i + 1, priority, *op == Op::Phrase, &mut right))?;
            grow(|| infix(items, i + *left as usize, priority, false, out))?;
            match op {
                Op::Or => out.push_str(" | "),
                Op::And => out.push_str(" & "),
                Op::Phrase if *distance != 1 => {
                    out.push_str(&format!(" <{distance}> "));
                }
                _ => out.push_str(" <-> "),
            }
            out.push_str(&right);
            if parens {
                out.push_str(" )");
            }
            Ok(())
        }
    }
}
