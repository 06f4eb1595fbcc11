//! Functions over tsvector values: `setweight` (whole and filtered by lexemes), `strip`,
//! `tsvector || tsvector`, `ts_delete`, `ts_filter`, `tsvector_to_array`,
//! `array_to_tsvector`, as PostgreSQL's `tsvector_op.c`.
//!
//! Invariants:
//! - Results keep the tsvector invariants (sorted unique lexemes, sorted unique positions);
//!   concatenation appends the right side's positions shifted past the left side's largest.

use crate::tsearch::tsvector::{MAX_TSVECTOR_BYTES, TsVector};
use crate::tsearch::weight::{MAX_NUM_POS, MAX_POS, WordPos, limit_pos, weight_code};
use crate::{Condition, Error, Result};

/// `setweight(vector, weight)`: every position gets the weight (a `"char"`: A, B, C or D).
pub fn setweight(vector: &TsVector, weight: u8) -> Result<TsVector> {
    let code = weight_of(weight, true)?;
    let mut out = vector.clone();
    for lexeme in out.lexemes_mut() {
        for pos in lexeme.positions_mut().iter_mut() {
            *pos = pos.with_weight(code);
        }
    }
    Ok(out)
}

/// `setweight(vector, weight, lexemes)`: only the listed lexemes (NULL elements ignored).
pub fn setweight_lexemes(
    vector: &TsVector,
    weight: u8,
    lexemes: &[Option<&str>],
) -> Result<TsVector> {
    let code = weight_of(weight, false)?;
    let mut out = vector.clone();
    for word in lexemes.iter().flatten() {
        if let Some(i) = out.find(word.as_bytes()) {
            for pos in out.lexemes_mut()[i].positions_mut().iter_mut() {
                *pos = pos.with_weight(code);
            }
        }
    }
    Ok(out)
}

/// `strip(vector)`: the lexemes without positions.
pub fn strip(vector: &TsVector) -> TsVector {
    let lexemes = vector
        .lexemes()
        .iter()
        .map(|l| (l.word().to_string(), Vec::new()))
        .collect();
    TsVector::from_sorted(lexemes)
}

/// `a || b`: the union, with `b`'s positions shifted by the largest position in `a`.
pub fn concat(a: &TsVector, b: &TsVector) -> Result<TsVector> {
    let maxpos = a
        .lexemes()
        .iter()
        .flat_map(|l| l.positions().iter().map(|p| p.pos()))
        .max()
        .unwrap_or(0);
    let shifted = |positions: &[WordPos], mut into: Vec<WordPos>| {
        for p in positions {
            if into.len() >= MAX_NUM_POS || into.last().is_some_and(|l| l.pos() == MAX_POS) {
                break;
            }
            let pos = limit_pos(i64::from(p.pos()) + i64::from(maxpos));
            into.push(WordPos::new(pos, p.weight()));
        }
        into
    };
    let (la, lb) = (a.lexemes(), b.lexemes());
    let mut out = Vec::with_capacity(la.len() + lb.len());
    let (mut i, mut j) = (0, 0);
    while i < la.len() || j < lb.len() {
        let order = match (la.get(i), lb.get(j)) {
            (Some(x), Some(y)) => x.word().as_bytes().cmp(y.word().as_bytes()),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                out.push((la[i].word().to_string(), la[i].positions().to_vec()));
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push((
                    lb[j].word().to_string(),
                    shifted(lb[j].positions(), Vec::new()),
                ));
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let positions = shifted(lb[j].positions(), la[i].positions().to_vec());
                out.push((la[i].word().to_string(), positions));
                i += 1;
                j += 1;
            }
        }
    }
    let result = TsVector::from_sorted(out);
    let size = result.stored_bytes();
    if size > MAX_TSVECTOR_BYTES {
        return Err(Error::new(
            Condition::ProgramLimitExceeded,
            format!(
                "string is too long for tsvector ({size} bytes, max {MAX_TSVECTOR_BYTES} bytes)"
            ),
        ));
    }
    Ok(result)
}

/// `ts_delete(vector, lexemes)`: without the listed lexemes (NULL elements ignored).
pub fn delete(vector: &TsVector, lexemes: &[Option<&str>]) -> TsVector {
    let kept = vector
        .lexemes()
        .iter()
        .filter(|l| !lexemes.iter().flatten().any(|w| *w == l.word()))
        .map(|l| (l.word().to_string(), l.positions().to_vec()))
        .collect();
    TsVector::from_sorted(kept)
}

/// `ts_filter(vector, weights)`: only positions with one of the weights; lexemes left without
/// positions are dropped (lexemes that had none are dropped too).
pub fn filter(vector: &TsVector, weights: &[Option<u8>]) -> Result<TsVector> {
    let mut mask = 0u8;
    for weight in weights {
        let Some(weight) = weight else {
            return Err(Error::new(
                Condition::NullValueNotAllowed,
                "weight array may not contain nulls",
            ));
        };
        let Some(code) = weight_code(char::from(*weight)) else {
            return Err(Error::new(
                Condition::InvalidParameterValue,
                format!("unrecognized weight: \"{}\"", char::from(*weight)),
            ));
        };
        mask |= 1 << code;
    }
    let kept = vector
        .lexemes()
        .iter()
        .filter_map(|l| {
            let positions: Vec<WordPos> = l
                .positions()
                .iter()
                .copied()
                .filter(|p| mask & (1 << p.weight()) != 0)
                .collect();
            (!positions.is_empty()).then(|| (l.word().to_string(), positions))
        })
        .collect();
    Ok(TsVector::from_sorted(kept))
}

/// `tsvector_to_array(vector)`: the lexemes in order.
pub fn to_array(vector: &TsVector) -> Vec<String> {
    vector
        .lexemes()
        .iter()
        .map(|l| l.word().to_string())
        .collect()
}

/// `array_to_tsvector(lexemes)`: lexemes without positions; NULL or empty elements error.
pub fn from_array(lexemes: &[Option<&str>]) -> Result<TsVector> {
    let mut words: Vec<String> = Vec::with_capacity(lexemes.len());
    for lexeme in lexemes {
        match lexeme {
            None => {
                return Err(Error::new(
                    Condition::NullValueNotAllowed,
                    "lexeme array may not contain nulls",
                ));
            }
            Some("") => {
                return Err(Error::new(
                    Condition::ZeroLengthCharacterString,
                    "lexeme array may not contain empty strings",
                ));
            }
            Some(word) => words.push((*word).to_string()),
        }
    }
    words.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    words.dedup();
    Ok(TsVector::from_sorted(
        words.into_iter().map(|w| (w, Vec::new())).collect(),
    ))
}

/// The weight code of a `"char"` argument, with PostgreSQL's internal-error wording.
fn weight_of(weight: u8, numeric_message: bool) -> Result<u8> {
    weight_code(char::from(weight)).ok_or_else(|| {
        let message = if numeric_message {
            format!("unrecognized weight: {}", weight as i8)
        } else {
            format!("unrecognized weight: {}", char::from(weight))
        };
        Error::new(Condition::InternalError, message)
    })
}
