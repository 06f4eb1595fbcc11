//! Evaluation of a tsquery against some source of lexeme matches (PostgreSQL's `TS_execute`
//! and `TS_phrase_execute`): boolean operators, and below a phrase operator, position lists
//! with match widths and negation, exactly as PostgreSQL computes them.
//!
//! Invariants:
//! - Position lists handed around are sorted and unique; a successful match with
//!   `negate = false` has at least one position.
//! - A source without positions makes a phrase answer "maybe", which `@@` counts as no match.

use crate::tsearch::recursion::grow;
use crate::tsearch::tsquery::{Op, Operand, QueryItem, TsQuery};

/// PostgreSQL's `TSTernaryValue`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ternary {
    No,
    Yes,
    Maybe,
}

/// Match positions of a sub-expression (PostgreSQL's `ExecPhraseData`).
#[derive(Debug, Clone, Default)]
pub(crate) struct PhraseData {
    /// Sorted, unique positions (the ends of matches when `width > 0`).
    pub(crate) pos: Vec<u16>,
    /// The expression matches everywhere except at `pos`.
    pub(crate) negate: bool,
    /// Match width in lexemes, less one.
    pub(crate) width: i32,
}

/// Where operands are looked up: a tsvector, headline words, or a cover-density window.
pub(crate) trait Matcher {
    /// Whether the operand at query item `item` is present; with `data`, also where.
    fn check(&self, item: usize, operand: &Operand, data: Option<&mut PhraseData>) -> Ternary;
}

/// Evaluates `query` (which must not be empty) with `matcher`; `skip_not` treats every
/// negation as true (PostgreSQL's `TS_EXEC_SKIP_NOT`). Maybe is returned as such.
pub(crate) fn execute(query: &TsQuery, matcher: &dyn Matcher, skip_not: bool) -> Ternary {
    if query.is_empty() {
        return Ternary::No;
    }
    let exec = Exec {
        query,
        matcher,
        skip_not,
    };
    grow(|| exec.boolean(0))
}

struct Exec<'a> {
    query: &'a TsQuery,
    matcher: &'a dyn Matcher,
    skip_not: bool,
}

const L_ONLY: u8 = 1;
const R_ONLY: u8 = 2;
const BOTH: u8 = 4;

impl Exec<'_> {
    /// PostgreSQL's `TS_execute_recurse`: above any phrase operator, positions do not matter.
    fn boolean(&self, i: usize) -> Ternary {
        match &self.query.items()[i] {
            QueryItem::Operand(operand) => self.matcher.check(i, operand, None),
            QueryItem::Operator { op, .. } => match op {
                Op::Not => {
                    if self.skip_not {
                        return Ternary::Yes;
                    }
                    match grow(|| self.boolean(i + 1)) {
                        Ternary::No => Ternary::Yes,
                        Ternary::Yes => Ternary::No,
                        Ternary::Maybe => Ternary::Maybe,
                    }
                }
                Op::And => {
                    let left = grow(|| self.boolean(self.query.left_of(i)));
                    if left == Ternary::No {
                        return Ternary::No;
                    }
                    match grow(|| self.boolean(i + 1)) {
                        Ternary::No => Ternary::No,
                        Ternary::Yes => left,
                        Ternary::Maybe => Ternary::Maybe,
                    }
                }
                Op::Or => {
                    let left = grow(|| self.boolean(self.query.left_of(i)));
                    if left == Ternary::Yes {
                        return Ternary::Yes;
                    }
                    match grow(|| self.boolean(i + 1)) {
                        Ternary::No => left,
                        Ternary::Yes => Ternary::Yes,
                        Ternary::Maybe => Ternary::Maybe,
                    }
                }
                // PostgreSQL turns a top-level phrase "maybe" into "no" (TS_EXEC_EMPTY).
                Op::Phrase => match grow(|| self.phrase(i, None)) {
                    Ternary::Yes => Ternary::Yes,
                    Ternary::No | Ternary::Maybe => Ternary::No,
                },
            },
        }
    }

    /// PostgreSQL's `TS_phrase_execute`.
    fn phrase(&self, i: usize, mut data: Option<&mut PhraseData>) -> Ternary {
        let (op, distance) = match &self.query.items()[i] {
            QueryItem::Operand(operand) => return self.matcher.check(i, operand, data),
            QueryItem::Operator { op, distance, .. } => (*op, i32::from(*distance)),
        };
        match op {
            Op::Not => {
                let Some(data) = data else {
                    return Ternary::No;
                };
                if self.skip_not {
                    data.negate = true;
                    return Ternary::Yes;
                }
                match grow(|| self.phrase(i + 1, Some(&mut *data))) {
                    Ternary::No => {
                        data.negate = true;
                        Ternary::Yes
                    }
                    Ternary::Yes => {
                        if !data.pos.is_empty() {
                            data.negate = !data.negate;
                            Ternary::Yes
                        } else if data.negate {
                            data.negate = false;
                            Ternary::No
                        } else {
                            Ternary::No
                        }
                    }
                    Ternary::Maybe => Ternary::Maybe,
                }
            }
            Op::Phrase | Op::And => {
                let mut ldata = PhraseData::default();
                let mut rdata = PhraseData::default();
                let lmatch = grow(|| self.phrase(self.query.left_of(i), Some(&mut ldata)));
                if lmatch == Ternary::No {
                    return Ternary::No;
                }
                let rmatch = grow(|| self.phrase(i + 1, Some(&mut rdata)));
                if rmatch == Ternary::No {
                    return Ternary::No;
                }
                if lmatch == Ternary::Maybe || rmatch == Ternary::Maybe {
                    return Ternary::Maybe;
                }
                let (loffset, roffset);
                if op == Op::Phrase {
                    loffset = distance + rdata.width;
                    roffset = 0;
                    if let Some(data) = data.as_deref_mut() {
                        data.width = distance + ldata.width + rdata.width;
                    }
                } else {
                    let maxwidth = ldata.width.max(rdata.width);
                    loffset = maxwidth - ldata.width;
                    roffset = maxwidth - rdata.width;
                    if let Some(data) = data.as_deref_mut() {
                        data.width = maxwidth;
                    }
                }
                if ldata.negate && rdata.negate {
                    output(
                        data.as_deref_mut(),
                        &ldata,
                        &rdata,
                        BOTH | L_ONLY | R_ONLY,
                        loffset,
                        roffset,
                    );
                    if let Some(data) = data {
                        data.negate = true;
                    }
                    Ternary::Yes
                } else if ldata.negate {
                    output(data, &ldata, &rdata, R_ONLY, loffset, roffset)
                } else if rdata.negate {
                    output(data, &ldata, &rdata, L_ONLY, loffset, roffset)
                } else {
                    output(data, &ldata, &rdata, BOTH, loffset, roffset)
                }
            }
            Op::Or => {
                let Some(data) = data else {
                    return Ternary::No;
                };
                let mut ldata = PhraseData::default();
                let mut rdata = PhraseData::default();
                let lmatch = grow(|| self.phrase(self.query.left_of(i), Some(&mut ldata)));
                let rmatch = grow(|| self.phrase(i + 1, Some(&mut rdata)));
                if lmatch == Ternary::No && rmatch == Ternary::No {
                    return Ternary::No;
                }
                if lmatch == Ternary::Maybe || rmatch == Ternary::Maybe {
                    return Ternary::Maybe;
                }
                if lmatch == Ternary::No {
                    ldata.width = 0;
                }
                if rmatch == Ternary::No {
                    rdata.width = 0;
                }
                let maxwidth = ldata.width.max(rdata.width);
                let loffset = maxwidth - ldata.width;
                let roffset = maxwidth - rdata.width;
                data.width = maxwidth;
                if ldata.negate && rdata.negate {
                    output(Some(&mut *data), &ldata, &rdata, BOTH, loffset, roffset);
                    data.negate = true;
                    Ternary::Yes
                } else if ldata.negate {
                    output(Some(&mut *data), &ldata, &rdata, L_ONLY, loffset, roffset);
                    data.negate = true;
                    Ternary::Yes
                } else if rdata.negate {
                    output(Some(&mut *data), &ldata, &rdata, R_ONLY, loffset, roffset);
                    data.negate = true;
                    Ternary::Yes
                } else {
                    output(
                        Some(data),
                        &ldata,
                        &rdata,
                        BOTH | L_ONLY | R_ONLY,
                        loffset,
                        roffset,
                    )
                }
            }
        }
    }
}

/// PostgreSQL's `TS_phrase_output`: merges two position lists, emitting positions found only
/// on the left, only on the right, or on both, after adding each side's offset.
fn output(
    data: Option<&mut PhraseData>,
    ldata: &PhraseData,
    rdata: &PhraseData,
    emit: u8,
    loffset: i32,
    roffset: i32,
) -> Ternary {
    let mut out: Vec<u16> = Vec::new();
    let want_all = data.is_some();
    let (mut li, mut ri) = (0, 0);
    while li < ldata.pos.len() || ri < rdata.pos.len() {
        let lpos = match ldata.pos.get(li) {
            Some(&p) => i32::from(p) + loffset,
            None if emit & R_ONLY == 0 => break,
            None => i32::MAX,
        };
        let rpos = match rdata.pos.get(ri) {
            Some(&p) => i32::from(p) + roffset,
            None if emit & L_ONLY == 0 => break,
            None => i32::MAX,
        };
        let mut output_pos = 0;
        if lpos < rpos {
            if emit & L_ONLY != 0 {
                output_pos = lpos;
            }
            li += 1;
        } else if lpos == rpos {
            if emit & BOTH != 0 {
                output_pos = rpos;
            }
            li += 1;
            ri += 1;
        } else {
            if emit & R_ONLY != 0 {
                output_pos = rpos;
            }
            ri += 1;
        }
        if output_pos > 0 {
            if !want_all {
                return Ternary::Yes;
            }
            // PostgreSQL stores positions as uint16 (WordEntryPos).
            out.push(output_pos as u16);
        }
    }
    match data {
        Some(data) if !out.is_empty() => {
            data.pos = out;
            Ternary::Yes
        }
        _ => Ternary::No,
    }
}
