//! The binary wire format of tsvector and tsquery (PostgreSQL's `tsvectorsend`/`recv`,
//! `tsquerysend`/`recv`), for clients that ask for binary results or send binary parameters.
//!
//! Invariants:
//! - Big-endian integers, NUL-terminated UTF-8 strings (the client encoding is UTF8).
//! - Received values are checked as PostgreSQL checks them; a received tsvector with a
//!   lexeme twice keeps one (PostgreSQL would store the malformed value as it came).
#![allow(
    clippy::big_endian_bytes,
    reason = "the PostgreSQL wire format is big-endian"
)]

use crate::tsearch::pg_qsort::pg_qsort;
use crate::tsearch::tsquery::{Op, Operand, QueryItem, TsQuery};
use crate::tsearch::tsvector::{MAX_TSVECTOR_BYTES, TsVector, bytes_to_string};
use crate::tsearch::value_parser::char_len;
use crate::tsearch::weight::{MAX_NUM_POS, WordPos};
use crate::{Condition, Error, Result};

/// `tsvectorsend`.
pub fn tsvector_send(vector: &TsVector) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&(vector.len() as u32).to_be_bytes());
    for lexeme in vector.lexemes() {
        out.extend_from_slice(lexeme.word().as_bytes());
        out.push(0);
        out.extend_from_slice(&(lexeme.positions().len() as u16).to_be_bytes());
        for pos in lexeme.positions() {
            out.extend_from_slice(&pos.raw().to_be_bytes());
        }
    }
    out
}

/// `tsvectorrecv`.
pub fn tsvector_recv(bytes: &[u8]) -> Result<TsVector> {
    let mut reader = Reader { bytes, at: 0 };
    let count = reader.u32()? as i32;
    if count < 0 {
        return Err(internal("invalid size of tsvector"));
    }
    let mut lexemes: Vec<(String, Vec<WordPos>)> = Vec::new();
    let mut total = 0usize;
    for _ in 0..count {
        let word = reader.string()?;
        let npos = reader.u16()?;
        if word.len() > 2047 {
            return Err(internal("invalid tsvector: lexeme too long"));
        }
        if total > MAX_TSVECTOR_BYTES {
            return Err(internal(
                "invalid tsvector: maximum total lexeme length exceeded",
            ));
        }
        if usize::from(npos) > MAX_NUM_POS {
            return Err(internal("unexpected number of tsvector positions"));
        }
        total += word.len();
        let mut positions: Vec<WordPos> = Vec::with_capacity(usize::from(npos));
        for _ in 0..npos {
            let pos = WordPos::from_raw(reader.u16()?);
            if positions.last().is_some_and(|last| pos.pos() <= last.pos()) {
                return Err(internal("position information is misordered"));
            }
            positions.push(pos);
        }
        lexemes.push((word, positions));
    }
    reader.finish()?;
    pg_qsort(&mut lexemes, &|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    lexemes.dedup_by(|a, b| a.0 == b.0);
    Ok(TsVector::from_sorted(lexemes))
}

/// `tsquerysend`.
pub fn tsquery_send(query: &TsQuery) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&(query.items().len() as u32).to_be_bytes());
    for item in query.items() {
        match item {
            QueryItem::Operand(operand) => {
                out.push(1);
                out.push(operand.weight);
                out.push(u8::from(operand.prefix));
                out.extend_from_slice(operand.word.as_bytes());
                out.push(0);
            }
            QueryItem::Operator { op, distance, .. } => {
                out.push(2);
                out.push(op_code(*op));
                if *op == Op::Phrase {
                    out.extend_from_slice(&distance.to_be_bytes());
                }
            }
        }
    }
    out
}

/// `tsqueryrecv`.
pub fn tsquery_recv(bytes: &[u8]) -> Result<TsQuery> {
    let mut reader = Reader { bytes, at: 0 };
    let size = reader.u32()?;
    if size > 0x3fff_ffff / 12 {
        return Err(internal("invalid size of tsquery"));
    }
    let mut items = Vec::new();
    let mut operand_bytes = 0usize;
    for i in 0..size {
        match reader.u8()? as i8 {
            1 => {
                let weight = reader.u8()?;
                let prefix = reader.u8()? != 0;
                let word = reader.string()?;
                if weight > 0xF {
                    return Err(internal("invalid tsquery: invalid weight bitmap"));
                }
                if word.len() > 2047 {
                    return Err(internal("invalid tsquery: operand too long"));
                }
                if operand_bytes > MAX_TSVECTOR_BYTES {
                    return Err(internal("invalid tsquery: total operand length exceeded"));
                }
                operand_bytes += word.len() + 1;
                items.push(QueryItem::Operand(Operand {
                    word,
                    weight,
                    prefix,
                }));
            }
            2 => {
                let code = reader.u8()? as i8;
                let Some(op) = [Op::Not, Op::And, Op::Or, Op::Phrase]
                    .into_iter()
                    .find(|op| op_code(*op) as i8 == code)
                else {
                    return Err(internal(&format!(
                        "invalid tsquery: unrecognized operator type {code}"
                    )));
                };
                if i == size - 1 {
                    return Err(internal("invalid pointer to right operand"));
                }
                let distance = if op == Op::Phrase {
                    reader.u16()? as i16
                } else {
                    0
                };
                items.push(QueryItem::Operator {
                    op,
                    distance,
                    left: 0,
                });
            }
            other => {
                return Err(internal(&format!(
                    "unrecognized tsquery node type: {other}"
                )));
            }
        }
    }
    reader.finish()?;
    if items.is_empty() {
        return Ok(TsQuery::default());
    }
    TsQuery::from_prefix(items)
}

fn op_code(op: Op) -> u8 {
    match op {
        Op::Not => 1,
        Op::And => 2,
        Op::Or => 3,
        Op::Phrase => 4,
    }
}

fn internal(message: &str) -> Error {
    Error::new(Condition::InternalError, message)
}

/// PostgreSQL's `pq_getmsg*` over a binary value.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len());
        let Some(end) = end else {
            return Err(Error::new(
                Condition::ProtocolViolation,
                "insufficient data left in message",
            ));
        };
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn string(&mut self) -> Result<String> {
        let rest = &self.bytes[self.at..];
        let Some(nul) = rest.iter().position(|b| *b == 0) else {
            return Err(Error::new(
                Condition::ProtocolViolation,
                "invalid string in message",
            ));
        };
        let text = rest[..nul].to_vec();
        self.at += nul + 1;
        if let Err(e) = std::str::from_utf8(&text) {
            // PostgreSQL's report_invalid_encoding: the bytes of the bad character.
            let bad = &text[e.valid_up_to()..];
            let n = char_len(bad[0]).min(bad.len());
            let shown: Vec<String> = bad[..n].iter().map(|b| format!("0x{b:02x}")).collect();
            return Err(Error::new(
                Condition::CharacterNotInRepertoire,
                format!(
                    "invalid byte sequence for encoding \"UTF8\": {}",
                    shown.join(" ")
                ),
            ));
        }
        Ok(bytes_to_string(text))
    }

    /// The whole value must be read, as PostgreSQL's bind checks.
    fn finish(&self) -> Result<()> {
        if self.at != self.bytes.len() {
            return Err(Error::new(
                Condition::InvalidBinaryRepresentation,
                "incorrect binary data format",
            ));
        }
        Ok(())
    }
}
