//! The `@@` operator: tsvector against tsquery (PostgreSQL's `ts_match_vq` with
//! `checkcondition_str`), and its text forms `text @@ tsquery` and `text @@ text`.
//!
//! Invariants:
//! - An empty query matches nothing.
//! - A weight restriction filters positions; a lexeme without positions matches any weight
//!   (PostgreSQL's historical rule) but cannot satisfy a phrase.

use crate::Result;
use crate::tsearch::config::TsConfig;
use crate::tsearch::execute::{Matcher, PhraseData, Ternary, execute};
use crate::tsearch::to_tsany::{plainto_tsquery, to_tsvector};
use crate::tsearch::tsquery::{Operand, TsQuery};
use crate::tsearch::tsvector::{Lexeme, TsVector};

/// `tsvector @@ tsquery` (and `tsquery @@ tsvector`).
pub fn matches(vector: &TsVector, query: &TsQuery) -> bool {
    execute(query, &VectorMatcher { vector }, false) != Ternary::No
}

/// `text @@ tsquery`: the text through `to_tsvector` of the default configuration.
pub fn text_matches_query(config: TsConfig, text: &str, query: &TsQuery) -> Result<bool> {
    Ok(matches(&to_tsvector(config, text)?, query))
}

/// `text @@ text`: `to_tsvector(text) @@ plainto_tsquery(text)` in the default configuration.
pub fn text_matches_text(config: TsConfig, text: &str, query: &str) -> Result<bool> {
    Ok(matches(
        &to_tsvector(config, text)?,
        &plainto_tsquery(config, query)?,
    ))
}

/// Looks operands up in a tsvector (PostgreSQL's `checkcondition_str`).
pub(crate) struct VectorMatcher<'a> {
    pub(crate) vector: &'a TsVector,
}

impl Matcher for VectorMatcher<'_> {
    fn check(&self, _item: usize, operand: &Operand, mut data: Option<&mut PhraseData>) -> Ternary {
        let lexemes = self.vector.lexemes();
        let word = operand.word.as_bytes();
        let (found, start) = match lexemes.binary_search_by(|l| l.word().as_bytes().cmp(word)) {
            Ok(i) => (true, i),
            Err(i) => (false, i),
        };
        let mut res = Ternary::No;
        if found {
            res = check_class(&lexemes[start], operand, data.as_deref_mut());
        }
        if !(operand.prefix && (res != Ternary::Yes || data.is_some())) {
            return res;
        }
        if let Some(data) = data.as_deref_mut() {
            data.pos.clear();
        }
        res = Ternary::No;
        let mut all: Vec<u16> = Vec::new();
        for lexeme in &lexemes[start..] {
            if !(res != Ternary::Yes || data.is_some())
                || !lexeme.word().as_bytes().starts_with(word)
            {
                break;
            }
            match data.as_deref_mut() {
                Some(data) => {
                    let sub = check_class(lexeme, operand, Some(&mut *data));
                    if sub == Ternary::Maybe {
                        res = Ternary::Maybe;
                        all.clear();
                        data.pos.clear();
                        break;
                    }
                    if sub != Ternary::No {
                        all.append(&mut data.pos);
                    }
                }
                None => {
                    let sub = check_class(lexeme, operand, None);
                    if sub != Ternary::No && (sub == Ternary::Yes || res == Ternary::No) {
                        res = sub;
                    }
                }
            }
        }
        if let Some(data) = data
            && !all.is_empty()
        {
            all.sort_unstable();
            all.dedup();
            data.pos = all;
            res = Ternary::Yes;
        }
        res
    }
}

/// PostgreSQL's `checkclass_str`: weight filtering and position reporting for one lexeme.
fn check_class(lexeme: &Lexeme, operand: &Operand, data: Option<&mut PhraseData>) -> Ternary {
    let positions = lexeme.positions();
    if positions.is_empty() {
        return if data.is_some() {
            Ternary::Maybe
        } else {
            Ternary::Yes
        };
    }
    let weight_ok = |p: &&crate::tsearch::weight::WordPos| operand.weight & (1 << p.weight()) != 0;
    match data {
        Some(data) if operand.weight != 0 => {
            data.pos = positions
                .iter()
                .filter(weight_ok)
                .map(|p| p.pos())
                .collect();
            if data.pos.is_empty() {
                Ternary::No
            } else {
                Ternary::Yes
            }
        }
        None if operand.weight != 0 => {
            if positions.iter().any(|p| weight_ok(&p)) {
                Ternary::Yes
            } else {
                Ternary::No
            }
        }
        Some(data) => {
            data.pos = positions.iter().map(|p| p.pos()).collect();
            Ternary::Yes
        }
        None => Ternary::Yes,
    }
}
