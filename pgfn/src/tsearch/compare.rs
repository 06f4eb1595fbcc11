//! Ordering and containment of tsvector and tsquery values, as PostgreSQL's btree operators
//! (`silly_cmp_tsvector`, `CompareTSQ`/`QTNodeCompare`) and `@>`/`<@` on tsquery
//! (`tsq_mcontains`) define them — the order `ORDER BY`, `DISTINCT` and `=` use.
//!
//! Invariants:
//! - Sizes compare first, through the byte sizes of PostgreSQL's stored forms, then content;
//!   tsquery operands compare by PostgreSQL's legacy CRC-32 before their text, and their
//!   weights and prefix flags are not compared (equal queries may print differently).

use std::cmp::Ordering;

use crate::tsearch::recursion::grow;
use crate::tsearch::tsquery::{Op, QueryItem, TsQuery};
use crate::tsearch::tsvector::TsVector;

/// `tsvector_cmp`: the btree order of tsvector values.
pub fn tsvector_cmp(a: &TsVector, b: &TsVector) -> Ordering {
    let size = |v: &TsVector| 8 + 4 * v.len() + v.stored_bytes();
    let by_size = size(a).cmp(&size(b)).then(a.len().cmp(&b.len()));
    if by_size != Ordering::Equal {
        return by_size;
    }
    for (x, y) in a.lexemes().iter().zip(b.lexemes()) {
        let (xp, yp) = (x.positions(), y.positions());
        if xp.is_empty() != yp.is_empty() {
            // The lexeme with positions sorts first.
            return if xp.is_empty() {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let words = x.word().as_bytes().cmp(y.word().as_bytes());
        if words != Ordering::Equal {
            return words;
        }
        if xp.len() != yp.len() {
            return yp.len().cmp(&xp.len());
        }
        for (p, q) in xp.iter().zip(yp) {
            if p.pos() != q.pos() {
                return q.pos().cmp(&p.pos());
            }
            if p.weight() != q.weight() {
                return q.weight().cmp(&p.weight());
            }
        }
    }
    Ordering::Equal
}

/// `tsquery_cmp`: the btree order of tsquery values.
pub fn tsquery_cmp(a: &TsQuery, b: &TsQuery) -> Ordering {
    let stored = |q: &TsQuery| {
        8 + 12 * q.items().len()
            + q.items()
                .iter()
                .map(|item| match item {
                    QueryItem::Operand(operand) => operand.word.len() + 1,
                    QueryItem::Operator { .. } => 0,
                })
                .sum::<usize>()
    };
    let by_size = a
        .items()
        .len()
        .cmp(&b.items().len())
        .then(stored(a).cmp(&stored(b)));
    if by_size != Ordering::Equal || a.is_empty() {
        return by_size;
    }
    grow(|| node_cmp(a, 0, b, 0))
}

/// `a @> b` on tsquery: every lexeme of `b` occurs in `a`.
pub fn tsquery_contains(a: &TsQuery, b: &TsQuery) -> bool {
    let (have, want) = (query_words(a), query_words(b));
    want.iter().all(|w| have.binary_search(w).is_ok())
}

/// The distinct lexemes of a query, sorted.
fn query_words(query: &TsQuery) -> Vec<&str> {
    let mut words: Vec<&str> = query
        .items()
        .iter()
        .filter_map(|item| match item {
            QueryItem::Operand(operand) => Some(operand.word.as_str()),
            QueryItem::Operator { .. } => None,
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// PostgreSQL's `QTNodeCompare` over the trees at `i` in `a` and `j` in `b`; children are
/// compared right operand first, as PostgreSQL's `QT2QTN` orders them.
fn node_cmp(a: &TsQuery, i: usize, b: &TsQuery, j: usize) -> Ordering {
    match (&a.items()[i], &b.items()[j]) {
        (QueryItem::Operator { .. }, QueryItem::Operand(_)) => Ordering::Less,
        (QueryItem::Operand(_), QueryItem::Operator { .. }) => Ordering::Greater,
        (QueryItem::Operand(x), QueryItem::Operand(y)) => {
            let (cx, cy) = (
                legacy_crc32(x.word.as_bytes()),
                legacy_crc32(y.word.as_bytes()),
            );
            if cx != cy {
                return cy.cmp(&cx);
            }
            x.word.as_bytes().cmp(y.word.as_bytes())
        }
        (
            QueryItem::Operator {
                op: xop,
                distance: xd,
                ..
            },
            QueryItem::Operator {
                op: yop,
                distance: yd,
                ..
            },
        ) => {
            let code = |op: &Op| match op {
                Op::Not => 1,
                Op::And => 2,
                Op::Or => 3,
                Op::Phrase => 4,
            };
            if xop != yop {
                return code(yop).cmp(&code(xop));
            }
            let right = grow(|| node_cmp(a, i + 1, b, j + 1));
            if right != Ordering::Equal || *xop == Op::Not {
                return right;
            }
            let left = grow(|| node_cmp(a, a.left_of(i), b, b.left_of(j)));
            if left != Ordering::Equal {
                return left;
            }
            if *xop == Op::Phrase && xd != yd {
                return yd.cmp(xd);
            }
            Ordering::Equal
        }
    }
}

/// PostgreSQL's legacy CRC-32 (`COMP_LEGACY_CRC32`), as a signed `int32` like `valcrc`.
fn legacy_crc32(bytes: &[u8]) -> i32 {
    let mut crc: u32 = 0xFFFF_FFFF;
    for &b in bytes {
        let index = ((crc >> 24) ^ u32::from(b)) & 0xFF;
        crc = CRC_TABLE[index as usize] ^ (crc << 8);
    }
    (crc ^ 0xFFFF_FFFF) as i32
}

/// The reflected CRC-32 table (polynomial 0xEDB88320), PostgreSQL's `pg_crc32_table`.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};
