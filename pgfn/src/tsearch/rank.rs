//! `ts_rank` and `ts_rank_cd` (PostgreSQL's `tsrank.c`): frequency and proximity ranking
//! with weight arrays and normalization flags, computed in the same float and double steps as
//! PostgreSQL's C so the float4 results are bit-identical.
//!
//! Invariants:
//! - `f32` where PostgreSQL computes in `float`, `f64` where C promotes to `double`; the
//!   libm calls (`exp`, `log`, `sqrt`) are the platform's, as PostgreSQL's are.
//! - Weights are indexed by weight code: D, C, B, A; defaults {0.1, 0.2, 0.4, 1.0}.

use crate::tsearch::execute::{Matcher, PhraseData, Ternary, execute};
use crate::tsearch::pg_qsort::pg_qsort;
use crate::tsearch::tsquery::{Op, Operand, QueryItem, TsQuery};
use std::ops::Range;

use crate::tsearch::tsvector::TsVector;
use crate::tsearch::weight::{MAX_POS, WordPos};
use crate::{Condition, Error, Result};

const DEFAULT_WEIGHTS: [f32; 4] = [0.1, 0.2, 0.4, 1.0];
const NORM_LOGLENGTH: i32 = 0x01;
const NORM_LENGTH: i32 = 0x02;
const NORM_EXTDIST: i32 = 0x04;
const NORM_UNIQ: i32 = 0x08;
const NORM_LOGUNIQ: i32 = 0x10;
const NORM_RDIVRPLUS1: i32 = 0x20;

/// `ts_rank([weights,] vector, query [, normalization])`. `weights` is the one-dimensional
/// `float4[]` argument ({D, C, B, A}), `None` when omitted.
pub fn ts_rank(
    weights: Option<&[Option<f32>]>,
    vector: &TsVector,
    query: &TsQuery,
    normalization: i32,
) -> Result<f32> {
    let w = resolve_weights(weights)?;
    Ok(calc_rank(&w, vector, query, normalization))
}

/// `ts_rank_cd([weights,] vector, query [, normalization])`: cover density ranking.
pub fn ts_rank_cd(
    weights: Option<&[Option<f32>]>,
    vector: &TsVector,
    query: &TsQuery,
    normalization: i32,
) -> Result<f32> {
    let w = resolve_weights(weights)?;
    Ok(calc_rank_cd(&w, vector, query, normalization))
}

/// The error for a weights argument that is not a one-dimensional array (checked first).
pub fn weights_dimension_error() -> Error {
    Error::new(
        Condition::ArraySubscriptError,
        "array of weight must be one-dimensional",
    )
}

/// PostgreSQL's `getWeights`: at least 4 elements, no NULLs, negative means default, none
/// above 1.
fn resolve_weights(weights: Option<&[Option<f32>]>) -> Result<[f32; 4]> {
    let Some(given) = weights else {
        return Ok(DEFAULT_WEIGHTS);
    };
    if given.len() < 4 {
        return Err(Error::new(
            Condition::ArraySubscriptError,
            "array of weight is too short",
        ));
    }
    if given.iter().any(Option::is_none) {
        return Err(Error::new(
            Condition::NullValueNotAllowed,
            "array of weight must not contain nulls",
        ));
    }
    let mut w = DEFAULT_WEIGHTS;
    for (i, slot) in w.iter_mut().enumerate() {
        let value = given[i].unwrap_or(-1.0);
        if value >= 0.0 {
            *slot = value;
        }
        if *slot > 1.0 {
            return Err(Error::new(
                Condition::InvalidParameterValue,
                "weight out of range",
            ));
        }
    }
    Ok(w)
}

fn wpos(w: &[f32; 4], p: WordPos) -> f32 {
    w[usize::from(p.weight())]
}

/// PostgreSQL's `word_distance`.
fn word_distance(distance: i32) -> f32 {
    if distance > 100 {
        return 1e-30;
    }
    (1.0 / (1.005 + 0.05 * (f64::from(distance as f32) / 1.5 - 2.0).exp())) as f32
}

/// PostgreSQL's `cnt_length`: positions counted, a lexeme without positions as one.
fn cnt_length(vector: &TsVector) -> i32 {
    vector
        .lexemes()
        .iter()
        .map(|l| l.positions().len().max(1) as i32)
        .sum()
}

/// Indices of the lexemes an operand matches: the exact one, or every one it prefixes.
fn find_entries(vector: &TsVector, operand: &Operand) -> Range<usize> {
    let lexemes = vector.lexemes();
    let word = operand.word.as_bytes();
    match lexemes.binary_search_by(|l| l.word().as_bytes().cmp(word)) {
        Ok(i) if !operand.prefix => i..i + 1,
        Err(i) if !operand.prefix => i..i,
        Ok(start) | Err(start) => {
            let n = lexemes[start..]
                .iter()
                .take_while(|l| l.word().as_bytes().starts_with(word))
                .count();
            start..start + n
        }
    }
}

/// PostgreSQL's `SortAndUniqItems`: the query's operands sorted by text, one per text.
fn sorted_unique_operands(query: &TsQuery) -> Vec<&Operand> {
    let mut operands: Vec<&Operand> = query
        .items()
        .iter()
        .filter_map(|item| match item {
            QueryItem::Operand(operand) => Some(operand),
            QueryItem::Operator { .. } => None,
        })
        .collect();
    pg_qsort(&mut operands, &|a, b| {
        a.word.as_bytes().cmp(b.word.as_bytes())
    });
    operands.dedup_by(|a, b| a.word == b.word);
    operands
}

fn calc_rank(w: &[f32; 4], vector: &TsVector, query: &TsQuery, method: i32) -> f32 {
    if vector.is_empty() || query.is_empty() {
        return 0.0;
    }
    let conjunctive = matches!(
        query.items().first(),
        Some(QueryItem::Operator {
            op: Op::And | Op::Phrase,
            ..
        })
    );
    let mut res = if conjunctive {
        calc_rank_and(w, vector, query)
    } else {
        calc_rank_or(w, vector, query)
    };
    if res < 0.0 {
        res = 1e-20;
    }
    let size = vector.len() as i32;
    if method & NORM_LOGLENGTH != 0 && size > 0 {
        res = (f64::from(res) / (f64::from(cnt_length(vector) + 1).ln() / 2f64.ln())) as f32;
    }
    if method & NORM_LENGTH != 0 {
        let len = cnt_length(vector);
        if len > 0 {
            res /= len as f32;
        }
    }
    if method & NORM_UNIQ != 0 && size > 0 {
        res /= size as f32;
    }
    if method & NORM_LOGUNIQ != 0 && size > 0 {
        res = (f64::from(res) / (f64::from(size + 1).ln() / 2f64.ln())) as f32;
    }
    if method & NORM_RDIVRPLUS1 != 0 {
        res /= res + 1.0;
    }
    res
}

/// Positions of one operand's lexeme in `calc_rank_and`, or the stand-in for a lexeme
/// without positions (one position 16383, weight D).
#[derive(Clone, Copy)]
enum Posting<'a> {
    Positions(&'a [WordPos]),
    Null,
}

impl Posting<'_> {
    fn as_slice(&self) -> &[WordPos] {
        const NULL_POS: [WordPos; 1] = [WordPos::from_raw(MAX_POS)];
        match self {
            Posting::Positions(p) => p,
            Posting::Null => &NULL_POS,
        }
    }
}

fn calc_rank_and(w: &[f32; 4], vector: &TsVector, query: &TsQuery) -> f32 {
    let items = sorted_unique_operands(query);
    if items.len() < 2 {
        return calc_rank_or(w, vector, query);
    }
    let mut postings: Vec<Option<Posting<'_>>> = vec![None; items.len()];
    let mut res: f32 = -1.0;
    for i in 0..items.len() {
        for lexeme in &vector.lexemes()[find_entries(vector, items[i])] {
            let current = if lexeme.positions().is_empty() {
                Posting::Null
            } else {
                Posting::Positions(lexeme.positions())
            };
            postings[i] = Some(current);
            for &other in postings[..i].iter().flatten() {
                let either_null =
                    matches!(current, Posting::Null) || matches!(other, Posting::Null);
                for &pl in current.as_slice() {
                    for &pk in other.as_slice() {
                        let mut dist = (i32::from(pl.pos()) - i32::from(pk.pos())).abs();
                        if dist != 0 || either_null {
                            if dist == 0 {
                                dist = 16384;
                            }
                            let product = wpos(w, pl) * wpos(w, pk) * word_distance(dist);
                            let curw = f64::from(product).sqrt() as f32;
                            res = if res < 0.0 {
                                curw
                            } else {
                                (1.0 - (1.0 - f64::from(res)) * (1.0 - f64::from(curw))) as f32
                            };
                        }
                    }
                }
            }
        }
    }
    res
}

fn calc_rank_or(w: &[f32; 4], vector: &TsVector, query: &TsQuery) -> f32 {
    let items = sorted_unique_operands(query);
    let null_pos = [WordPos::new(0, 0)];
    let mut res: f32 = 0.0;
    for operand in &items {
        for lexeme in &vector.lexemes()[find_entries(vector, operand)] {
            let positions: &[WordPos] = if lexeme.positions().is_empty() {
                &null_pos
            } else {
                lexeme.positions()
            };
            let mut resj: f32 = 0.0;
            let mut wjm: f32 = -1.0;
            let mut jm: i32 = 0;
            for (j, &p) in positions.iter().enumerate() {
                let j = j as i32;
                resj += wpos(w, p) / ((j + 1) * (j + 1)) as f32;
                if wpos(w, p) > wjm {
                    wjm = wpos(w, p);
                    jm = j;
                }
            }
            let term = wjm + resj - wjm / ((jm + 1) * (jm + 1)) as f32;
            res = (f64::from(res) + f64::from(term) / 1.64493406685) as f32;
        }
    }
    if !items.is_empty() {
        res /= items.len() as f32;
    }
    res
}

/// One document position holding query lexemes (PostgreSQL's `DocRepresentation`).
struct DocEntry {
    pos: WordPos,
    lexeme: usize,
    // Query item indices of the operands found here.
    items: Vec<usize>,
}

/// Per-operand positions seen in the current window (PostgreSQL's
/// `QueryRepresentationOperand`); in reverse mode they are collected right to left.
#[derive(Default, Clone)]
struct OperandWindow {
    exists: bool,
    reverse: bool,
    pos: Vec<u16>,
}

struct Window {
    operands: Vec<OperandWindow>,
}

impl Window {
    fn reset(&mut self, reverse: bool) {
        for op in &mut self.operands {
            op.exists = false;
            op.reverse = reverse;
            op.pos.clear();
        }
    }

    fn fill(&mut self, entry: &DocEntry) {
        for &item in &entry.items {
            let op = &mut self.operands[item];
            op.exists = true;
            if op.pos.last() != Some(&entry.pos.pos()) {
                op.pos.push(entry.pos.pos());
            }
        }
    }
}

impl Matcher for Window {
    fn check(&self, item: usize, _operand: &Operand, data: Option<&mut PhraseData>) -> Ternary {
        let op = &self.operands[item];
        if !op.exists {
            return Ternary::No;
        }
        if let Some(data) = data {
            data.pos = op.pos.clone();
            if op.reverse {
                data.pos.reverse();
            }
        }
        Ternary::Yes
    }
}

/// PostgreSQL's `get_docrep`: every position of a query lexeme (weight-filtered), sorted by
/// position, weight and lexeme, with the query items found there.
fn doc_entries(vector: &TsVector, query: &TsQuery) -> Vec<DocEntry> {
    let lexemes = vector.lexemes();
    let mut raw: Vec<(WordPos, usize, usize)> = Vec::new();
    for (item, query_item) in query.items().iter().enumerate() {
        let QueryItem::Operand(operand) = query_item else {
            continue;
        };
        for index in find_entries(vector, operand) {
            for &p in lexemes[index].positions() {
                if operand.weight == 0 || operand.weight & (1 << p.weight()) != 0 {
                    raw.push((p, index, item));
                }
            }
        }
    }
    raw.sort_by(|a, b| {
        a.0.pos()
            .cmp(&b.0.pos())
            .then(a.0.weight().cmp(&b.0.weight()))
            .then(a.1.cmp(&b.1))
    });
    let mut doc: Vec<DocEntry> = Vec::new();
    for (pos, lexeme, item) in raw {
        match doc.last_mut() {
            Some(last) if last.pos == pos && last.lexeme == lexeme => last.items.push(item),
            _ => doc.push(DocEntry {
                pos,
                lexeme,
                items: vec![item],
            }),
        }
    }
    doc
}

/// A cover found by `cover`: document entry range and its first and last positions.
struct Cover {
    begin: usize,
    end: usize,
    p: i32,
    q: i32,
}

/// PostgreSQL's `Cover`: the next shortest stretch of the document satisfying the query,
/// searched from `*next`.
fn cover(
    doc: &[DocEntry],
    query: &TsQuery,
    window: &mut Window,
    next: &mut usize,
) -> Option<Cover> {
    loop {
        window.reset(false);
        let (mut p, mut q) = (i32::MAX, 0i32);
        let (mut begin, mut end) = (0usize, 0usize);
        let mut lastpos = *next;
        let mut found = false;
        let mut ptr = *next;
        while ptr < doc.len() {
            window.fill(&doc[ptr]);
            if execute(query, window, false) != Ternary::No {
                let pos = i32::from(doc[ptr].pos.pos());
                if pos > q {
                    q = pos;
                    end = ptr;
                    lastpos = ptr;
                    found = true;
                }
                break;
            }
            ptr += 1;
        }
        if !found {
            return None;
        }
        window.reset(true);
        let mut back = lastpos as isize;
        while back >= *next as isize {
            let entry = &doc[back as usize];
            window.fill(entry);
            if execute(query, window, false) != Ternary::No {
                let pos = i32::from(entry.pos.pos());
                if pos < p {
                    begin = back as usize;
                    p = pos;
                }
                break;
            }
            back -= 1;
        }
        if p <= q {
            *next = (back + 1) as usize;
            return Some(Cover { begin, end, p, q });
        }
        *next += 1;
    }
}

fn calc_rank_cd(w: &[f32; 4], vector: &TsVector, query: &TsQuery, method: i32) -> f32 {
    let mut invws = [0f64; 4];
    for (inv, &weight) in invws.iter_mut().zip(w) {
        *inv = 1.0 / f64::from(weight);
    }
    let doc = doc_entries(vector, query);
    if doc.is_empty() {
        return 0.0;
    }
    let mut window = Window {
        operands: vec![OperandWindow::default(); query.items().len()],
    };
    let mut wdoc = 0f64;
    let mut sum_dist = 0f64;
    let mut prev_ext_pos = 0f64;
    let mut n_extent = 0i32;
    let mut next = 0usize;
    while let Some(c) = cover(&doc, query, &mut window, &mut next) {
        let inv_sum: f64 = doc[c.begin..=c.end]
            .iter()
            .map(|e| invws[usize::from(e.pos.weight())])
            .sum();
        let span = (c.end - c.begin) as i32;
        let cpos = f64::from(span + 1) / inv_sum;
        let mut n_noise = (c.q - c.p) - span;
        if n_noise < 0 {
            n_noise = span / 2;
        }
        wdoc += cpos / f64::from(1 + n_noise);
        let cur_ext_pos = f64::from(c.q + c.p) / 2.0;
        if n_extent > 0 && cur_ext_pos > prev_ext_pos {
            sum_dist += 1.0 / (cur_ext_pos - prev_ext_pos);
        }
        prev_ext_pos = cur_ext_pos;
        n_extent += 1;
    }
    let size = vector.len() as i32;
    if method & NORM_LOGLENGTH != 0 && size > 0 {
        wdoc /= f64::from(cnt_length(vector) + 1).ln();
    }
    if method & NORM_LENGTH != 0 {
        let len = cnt_length(vector);
        if len > 0 {
            wdoc /= f64::from(len);
        }
    }
    if method & NORM_EXTDIST != 0 && n_extent > 0 && sum_dist > 0.0 {
        wdoc /= f64::from(n_extent) / sum_dist;
    }
    if method & NORM_UNIQ != 0 && size > 0 {
        wdoc /= f64::from(size);
    }
    if method & NORM_LOGUNIQ != 0 && size > 0 {
        wdoc /= f64::from(size + 1).ln() / 2f64.ln();
    }
    if method & NORM_RDIVRPLUS1 != 0 {
        wdoc /= wdoc + 1.0;
    }
    wdoc as f32
}
