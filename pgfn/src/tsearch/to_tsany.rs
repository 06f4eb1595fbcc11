//! Text to tsvector and tsquery through a configuration: `to_tsvector`, the building block of
//! `jsonb_to_tsvector`/`json_to_tsvector`, and `to_tsquery`, `plainto_tsquery`,
//! `phraseto_tsquery`, `websearch_to_tsquery` (PostgreSQL's `to_tsany.c` and `parsetext`).
//!
//! Invariants:
//! - Positions count every token a dictionary accepted or rejected as a stopword; tokens the
//!   configuration does not map, and tokens of 2047 bytes or more, take no position.
//! - A lexeme keeps at most 255 positions from text, none after 16383.

use crate::tsearch::config::TsConfig;
use crate::tsearch::dictionary::Lexized;
use crate::tsearch::tsquery::{Op, TsQuery};
use crate::tsearch::tsquery_parser::{self, Polish, Syntax};
use crate::tsearch::tsvector::{MAX_TSVECTOR_BYTES, TsVector};
use crate::tsearch::weight::{MAX_NUM_POS, MAX_POS, WordPos, limit_pos};
use crate::tsearch::wparser;
use crate::{Condition, Error, Result};

/// Tokens this long or longer are skipped (PostgreSQL's `MAXSTRLEN`, with a NOTICE there).
const MAX_TOKEN_BYTES: usize = 2047;

/// A lexeme with its position, before merging into a tsvector (PostgreSQL's `ParsedWord`).
#[derive(Debug, Clone)]
pub(crate) struct ParsedWord {
    pub(crate) word: String,
    pub(crate) pos: u16,
}

/// PostgreSQL's `parsetext`: appends the lexemes of `text` to `words`, counting positions on
/// from `*pos`.
pub(crate) fn parse_text(config: TsConfig, text: &str, words: &mut Vec<ParsedWord>, pos: &mut i64) {
    for token in wparser::parse(text) {
        if token.text.len() >= MAX_TOKEN_BYTES {
            continue;
        }
        let Some(dictionary) = config.dictionary(token.kind) else {
            continue;
        };
        *pos += 1;
        if let Lexized::Lexeme(word) = dictionary.lexize(token.text) {
            words.push(ParsedWord {
                word,
                pos: limit_pos(*pos),
            });
        }
    }
}

/// `to_tsvector(config, text)`.
pub fn to_tsvector(config: TsConfig, text: &str) -> Result<TsVector> {
    let mut builder = TsVectorBuilder::new(config);
    parse_text(config, text, &mut builder.words, &mut builder.pos);
    builder.finish()
}

/// Builds one tsvector from several text pieces, as `jsonb_to_tsvector` and
/// `json_to_tsvector` do: each piece is parsed on from the last position, and a piece that
/// yields lexemes is followed by a one-position gap, so phrases never span two pieces.
#[derive(Debug, Clone)]
pub struct TsVectorBuilder {
    config: TsConfig,
    words: Vec<ParsedWord>,
    pos: i64,
}

impl TsVectorBuilder {
    /// An empty builder for `config`.
    pub fn new(config: TsConfig) -> TsVectorBuilder {
        TsVectorBuilder {
            config,
            words: Vec::new(),
            pos: 0,
        }
    }

    /// Adds one JSON string (or number, boolean or key text) as PostgreSQL's
    /// `add_to_tsvector` does.
    pub fn add(&mut self, piece: &str) {
        let before = self.words.len();
        parse_text(self.config, piece, &mut self.words, &mut self.pos);
        if self.words.len() > before {
            self.pos += 1;
        }
    }

    /// The tsvector of everything added (PostgreSQL's `make_tsvector`).
    pub fn finish(self) -> Result<TsVector> {
        make_tsvector(self.words)
    }
}

/// PostgreSQL's `make_tsvector` with `uniqueWORD`: sorts by lexeme then position and merges
/// positions of equal lexemes (at most 255, none after 16383).
pub(crate) fn make_tsvector(mut words: Vec<ParsedWord>) -> Result<TsVector> {
    words.sort_by(|a, b| {
        a.word
            .as_bytes()
            .cmp(b.word.as_bytes())
            .then(a.pos.cmp(&b.pos))
    });
    let mut lexemes: Vec<(String, Vec<WordPos>)> = Vec::new();
    for parsed in words {
        match lexemes.last_mut() {
            Some((word, positions)) if *word == parsed.word => {
                let last = positions.last().map_or(0, |p| p.pos());
                if positions.len() < MAX_NUM_POS - 1 && last != MAX_POS && last != parsed.pos {
                    positions.push(WordPos::new(parsed.pos, 0));
                }
            }
            _ => lexemes.push((parsed.word, vec![WordPos::new(parsed.pos, 0)])),
        }
    }
    let tsvector = TsVector::from_sorted(lexemes);
    let size = tsvector.stored_bytes();
    if size > MAX_TSVECTOR_BYTES {
        return Err(Error::new(
            Condition::ProgramLimitExceeded,
            format!(
                "string is too long for tsvector ({size} bytes, max {MAX_TSVECTOR_BYTES} bytes)"
            ),
        ));
    }
    Ok(tsvector)
}

/// `to_tsquery(config, text)`: tsquery syntax, each operand normalized by the configuration;
/// words of one operand are joined by `<->`.
pub fn to_tsquery(config: TsConfig, text: &str) -> Result<TsQuery> {
    morph_query(config, text, Syntax::Standard, Op::Phrase)
}

/// `plainto_tsquery(config, text)`: all words of the text, joined by `&`.
pub fn plainto_tsquery(config: TsConfig, text: &str) -> Result<TsQuery> {
    morph_query(config, text, Syntax::Plain, Op::And)
}

/// `phraseto_tsquery(config, text)`: all words of the text, joined by `<->` (stopwords widen
/// the distance).
pub fn phraseto_tsquery(config: TsConfig, text: &str) -> Result<TsQuery> {
    morph_query(config, text, Syntax::Plain, Op::Phrase)
}

/// `websearch_to_tsquery(config, text)`: web search syntax (`"quoted phrase"`, `or`, `-word`).
pub fn websearch_to_tsquery(config: TsConfig, text: &str) -> Result<TsQuery> {
    morph_query(config, text, Syntax::Web, Op::Phrase)
}

fn morph_query(config: TsConfig, text: &str, syntax: Syntax, join: Op) -> Result<TsQuery> {
    let mut push = |polish: &mut Polish<'_>, operand: &[u8], weight: u8, prefix: bool| {
        push_morph(config, join, polish, operand, weight, prefix)
    };
    tsquery_parser::parse(text, syntax, &mut push)
}

/// PostgreSQL's `pushval_morph`: the operand's lexemes joined by `join`, with a stopword
/// placeholder for each stopword between them, or one placeholder if none is left.
fn push_morph(
    config: TsConfig,
    join: Op,
    polish: &mut Polish<'_>,
    operand: &[u8],
    weight: u8,
    prefix: bool,
) -> Result<()> {
    let text = String::from_utf8_lossy(operand);
    let mut words = Vec::new();
    let mut pos = 0i64;
    parse_text(config, &text, &mut words, &mut pos);
    if words.is_empty() {
        polish.push_stop();
        return Ok(());
    }
    let mut last_pos: u16 = 0;
    let mut n_pushed = 0;
    for parsed in &words {
        if last_pos > 0 {
            while last_pos + 1 < parsed.pos {
                polish.push_stop();
                if n_pushed > 0 {
                    polish.push_operator(join, 1);
                }
                n_pushed += 1;
                last_pos += 1;
            }
        }
        last_pos = parsed.pos;
        polish.push_value(parsed.word.as_bytes(), weight, prefix)?;
        if n_pushed > 0 {
            polish.push_operator(join, 1);
        }
        n_pushed += 1;
    }
    Ok(())
}
