//! jsonpath predicates (PostgreSQL's `executeBoolItem`, `executePredicate`, `compareItems`):
//! `&& || !`, `is unknown`, comparisons, `exists`, `starts with`, `like_regex`.
//!
//! Invariants:
//! - Three-valued: an error inside a predicate is UNKNOWN, never raised (except a missing
//!   variable, which PostgreSQL always raises).
//! - Lax mode answers TRUE at the first matching pair; strict mode checks every pair and is
//!   UNKNOWN if any errs.

use super::ast::{BinOp, Item, Kind, UnOp};
use super::exec::{Cx, Status};
use super::value::Val;
use crate::Result;
use crate::jsonb::Jsonb;

/// PostgreSQL's `JsonPathBool`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PBool {
    False,
    True,
    Unknown,
}

impl<'a> Cx<'a> {
    /// PostgreSQL's `executeBoolItem`.
    pub(crate) fn bool_item(
        &mut self,
        jsp: &Item,
        jb: &Val<'a>,
        _can_have_next: bool,
    ) -> Result<PBool> {
        Ok(match &jsp.kind {
            Kind::Binary(BinOp::And, left, right) => {
                let res = self.bool_item(left, jb, false)?;
                if res == PBool::False {
                    return Ok(PBool::False);
                }
                let res2 = self.bool_item(right, jb, false)?;
                if res2 == PBool::True { res } else { res2 }
            }
            Kind::Binary(BinOp::Or, left, right) => {
                let res = self.bool_item(left, jb, false)?;
                if res == PBool::True {
                    return Ok(PBool::True);
                }
                let res2 = self.bool_item(right, jb, false)?;
                if res2 == PBool::False { res } else { res2 }
            }
            Kind::Unary(UnOp::Not, arg) => match self.bool_item(arg, jb, false)? {
                PBool::Unknown => PBool::Unknown,
                PBool::True => PBool::False,
                PBool::False => PBool::True,
            },
            Kind::Unary(UnOp::IsUnknown, arg) => {
                if self.bool_item(arg, jb, false)? == PBool::Unknown {
                    PBool::True
                } else {
                    PBool::False
                }
            }
            Kind::Binary(BinOp::StartsWith, left, right) => {
                self.predicate(jsp, left, Some(right), jb, false)?
            }
            Kind::Binary(_, left, right) => self.predicate(jsp, left, Some(right), jb, true)?,
            Kind::LikeRegex { expr, .. } => self.predicate(jsp, expr, None, jb, false)?,
            Kind::Unary(UnOp::Exists, arg) => {
                if !self.lax {
                    let mut vals = Vec::new();
                    if self.item_opt_unwrap_result_no_throw(arg, jb, false, &mut vals)?
                        == Status::Failed
                    {
                        return Ok(PBool::Unknown);
                    }
                    return Ok(if vals.is_empty() {
                        PBool::False
                    } else {
                        PBool::True
                    });
                }
                let saved = std::mem::replace(&mut self.throw_errors, false);
                let res = self.item(arg, jb, None);
                self.throw_errors = saved;
                match res? {
                    Status::Failed => PBool::Unknown,
                    Status::Ok => PBool::True,
                    Status::NotFound => PBool::False,
                }
            }
            _ => PBool::Unknown,
        })
    }

    /// PostgreSQL's `executeNestedBoolItem`: a filter's predicate with `@` set to `jb`.
    pub(crate) fn nested_bool_item(&mut self, jsp: &Item, jb: &Val<'a>) -> Result<PBool> {
        let saved = std::mem::replace(&mut self.current, jb.clone());
        let res = self.bool_item(jsp, jb, false);
        self.current = saved;
        res
    }

    /// PostgreSQL's `executePredicate`: existence semantics over the operand sequences.
    fn predicate(
        &mut self,
        pred: &Item,
        left: &Item,
        right: Option<&Item>,
        jb: &Val<'a>,
        unwrap_right: bool,
    ) -> Result<PBool> {
        let mut lseq = Vec::new();
        if self.item_opt_unwrap_result_no_throw(left, jb, true, &mut lseq)? == Status::Failed {
            return Ok(PBool::Unknown);
        }
        let mut rseq = Vec::new();
        if let Some(right) = right
            && self.item_opt_unwrap_result_no_throw(right, jb, unwrap_right, &mut rseq)?
                == Status::Failed
        {
            return Ok(PBool::Unknown);
        }
        let (mut error, mut found) = (false, false);
        for lval in &lseq {
            let rvals: Vec<Option<&Val<'a>>> = if right.is_some() {
                rseq.iter().map(Some).collect()
            } else {
                vec![None]
            };
            for rval in rvals {
                match evaluate(pred, lval.get(), rval.map(Val::get)) {
                    PBool::Unknown => {
                        if !self.lax {
                            return Ok(PBool::Unknown);
                        }
                        error = true;
                    }
                    PBool::True => {
                        if self.lax {
                            return Ok(PBool::True);
                        }
                        found = true;
                    }
                    PBool::False => {}
                }
            }
        }
        Ok(if found {
            PBool::True
        } else if error {
            PBool::Unknown
        } else {
            PBool::False
        })
    }
}

/// One pair of a predicate.
fn evaluate(pred: &Item, left: &Jsonb, right: Option<&Jsonb>) -> PBool {
    match (&pred.kind, right) {
        (Kind::Binary(BinOp::StartsWith, _, _), Some(initial)) => match (left, initial) {
            (Jsonb::String(whole), Jsonb::String(initial)) => {
                bool3(whole.as_bytes().starts_with(initial.as_bytes()))
            }
            _ => PBool::Unknown,
        },
        (Kind::LikeRegex { regex, .. }, _) => match left {
            Jsonb::String(s) => bool3(regex.is_match(s)),
            _ => PBool::Unknown,
        },
        (Kind::Binary(op, _, _), Some(right)) => compare(*op, left, right),
        _ => PBool::Unknown,
    }
}

fn bool3(b: bool) -> PBool {
    if b { PBool::True } else { PBool::False }
}

/// PostgreSQL's `compareItems`.
fn compare(op: BinOp, a: &Jsonb, b: &Jsonb) -> PBool {
    let ordering = match (a, b) {
        (Jsonb::Null, Jsonb::Null) => std::cmp::Ordering::Equal,
        (Jsonb::Bool(x), Jsonb::Bool(y)) => x.cmp(y),
        (Jsonb::Number(x), Jsonb::Number(y)) => x.cmp(y),
        (Jsonb::String(x), Jsonb::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Jsonb::Null, _) | (_, Jsonb::Null) => {
            // Containers are one type ("binary") to PostgreSQL: a null never equals them.
            return bool3(op == BinOp::NotEqual);
        }
        _ => return PBool::Unknown,
    };
    bool3(match op {
        BinOp::Equal => ordering.is_eq(),
        BinOp::NotEqual => ordering.is_ne(),
        BinOp::Less => ordering.is_lt(),
        BinOp::Greater => ordering.is_gt(),
        BinOp::LessOrEqual => ordering.is_le(),
        BinOp::GreaterOrEqual => ordering.is_ge(),
        _ => return PBool::Unknown,
    })
}
