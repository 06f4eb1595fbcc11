//! Removal of stopword placeholders from a parsed query, as PostgreSQL's
//! `clean_stopword_intree`: operators lose their vanished operands, and phrase distances grow
//! by the width of the stopwords they spanned (`b <-> a <-> c` with stopword `a` is `b <2> c`).
//!
//! Invariants:
//! - The result is exactly PostgreSQL's, including its known oddity that only adjacent phrase
//!   operators absorb removed widths.
//! - Phrase distances add up in 16-bit arithmetic, wrapping as PostgreSQL's `int16` does.

use crate::tsearch::recursion::grow;
use crate::tsearch::tsquery::{Op, QueryItem, TsQuery};
use crate::tsearch::tsquery_parser::PolishItem;
use crate::{Condition, Error, Result};

/// Turns prefix-order polish items into a query, removing stopword placeholders.
pub(crate) fn remove_stopwords(items: Vec<PolishItem>) -> Result<TsQuery> {
    let left = left_offsets(&items)?;
    let mut tree = Tree {
        items: &items,
        left: &left,
        alive: vec![false; items.len()],
        distance: vec![0; items.len()],
    };
    grow(|| tree.clean(0));
    if !tree.alive[0] {
        return Ok(TsQuery::default());
    }
    let mut out = Vec::with_capacity(items.len());
    grow(|| tree.emit(0, &mut out));
    TsQuery::from_prefix(out)
}

/// Offset from each operator to its left operand; errors as PostgreSQL's `findoprnd`.
fn left_offsets(items: &[PolishItem]) -> Result<Vec<usize>> {
    let mut left = vec![0usize; items.len()];
    let mut sizes: Vec<usize> = Vec::new();
    let malformed = |what: &str| {
        Error::new(
            Condition::InternalError,
            format!("malformed tsquery: {what}"),
        )
    };
    for (i, item) in items.iter().enumerate().rev() {
        match item {
            PolishItem::Value(_) | PolishItem::Stop => sizes.push(1),
            PolishItem::Operator(op, _) => {
                let right = sizes.pop().ok_or_else(|| malformed("operand not found"))?;
                if *op == Op::Not {
                    left[i] = 1;
                    sizes.push(right + 1);
                } else {
                    let left_size = sizes.pop().ok_or_else(|| malformed("operand not found"))?;
                    left[i] = right + 1;
                    sizes.push(right + left_size + 1);
                }
            }
        }
    }
    if sizes.len() != 1 {
        return Err(malformed("extra nodes"));
    }
    Ok(left)
}

struct Tree<'a> {
    items: &'a [PolishItem],
    left: &'a [usize],
    alive: Vec<bool>,
    distance: Vec<i16>,
}

impl Tree<'_> {
    /// Marks which nodes survive and fixes phrase distances; returns (ladd, radd).
    fn clean(&mut self, i: usize) -> (i32, i32) {
        match &self.items[i] {
            PolishItem::Value(_) => {
                self.alive[i] = true;
                (0, 0)
            }
            PolishItem::Stop => (0, 0),
            PolishItem::Operator(Op::Not, _) => {
                let adds = grow(|| self.clean(i + 1));
                self.alive[i] = self.alive[i + 1];
                if self.alive[i] { adds } else { (0, 0) }
            }
            PolishItem::Operator(op, distance) => {
                let (l, r) = (i + self.left[i], i + 1);
                let (lladd, lradd) = grow(|| self.clean(l));
                let (rladd, rradd) = grow(|| self.clean(r));
                let is_phrase = *op == Op::Phrase;
                let own = if is_phrase { i32::from(*distance) } else { 0 };
                self.distance[i] = *distance;
                match (self.alive[l], self.alive[r]) {
                    (false, false) => {
                        let width = if is_phrase {
                            lladd + own + rladd
                        } else {
                            lladd.max(rladd)
                        };
                        (width, width)
                    }
                    (false, true) => {
                        self.alive[i] = true;
                        if is_phrase {
                            (lladd + own + rladd, rradd)
                        } else {
                            (rladd, rradd)
                        }
                    }
                    (true, false) => {
                        self.alive[i] = true;
                        if is_phrase {
                            (lladd, lradd + own + rradd)
                        } else {
                            (lladd, lradd)
                        }
                    }
                    (true, true) => {
                        self.alive[i] = true;
                        if is_phrase {
                            let grown = i32::from(*distance) + lradd + rladd;
                            self.distance[i] = grown as i16;
                            (lladd, rradd)
                        } else {
                            (0, 0)
                        }
                    }
                }
            }
        }
    }

    /// Appends the surviving subtree at `i` in prefix order.
    fn emit(&self, i: usize, out: &mut Vec<QueryItem>) {
        match &self.items[i] {
            PolishItem::Value(operand) => out.push(QueryItem::Operand(operand.clone())),
            PolishItem::Stop => {}
            PolishItem::Operator(Op::Not, _) => {
                out.push(QueryItem::Operator {
                    op: Op::Not,
                    distance: 0,
                    left: 1,
                });
                grow(|| self.emit(i + 1, out));
            }
            PolishItem::Operator(op, _) => {
                let (l, r) = (i + self.left[i], i + 1);
                match (self.alive[l], self.alive[r]) {
                    (true, true) => {
                        out.push(QueryItem::Operator {
                            op: *op,
                            distance: self.distance[i],
                            left: 0,
                        });
                        grow(|| self.emit(r, out));
                        grow(|| self.emit(l, out));
                    }
                    (true, false) => grow(|| self.emit(l, out)),
                    (false, true) => grow(|| self.emit(r, out)),
                    (false, false) => {}
                }
            }
        }
    }
}
