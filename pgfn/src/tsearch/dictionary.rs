//! The two dictionaries the built-in configurations use: `simple` (lowercase, accept every
//! word, no stopwords) and `english_stem` (lowercase, drop English stopwords, Snowball English
//! stemmer), as PostgreSQL's `dsimple_lexize` and `dsnowball_lexize`.
//!
//! Invariants:
//! - Lowercasing is the C locale's: ASCII letters only, byte by byte.
//! - The stemmer is Snowball's English (Porter2) algorithm as PostgreSQL 15 ships it; it is not
//!   run on words over 1000 bytes, which are only lowercased.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::tsearch::stopwords::is_english_stopword;
use crate::{Condition, Error, Result};

/// `ts_lexize(dictionary, token)` for the dictionaries MindooDB has (`simple`,
/// `english_stem`, optionally `pg_catalog.`-qualified): the lexemes, empty for a stopword.
pub fn ts_lexize(dictionary: &str, token: &str) -> Result<Vec<String>> {
    let bare = dictionary.strip_prefix("pg_catalog.").unwrap_or(dictionary);
    let dictionary = match bare {
        "simple" => Dictionary::Simple,
        "english_stem" => Dictionary::EnglishStem,
        _ => {
            return Err(Error::new(
                Condition::UndefinedObject,
                format!("text search dictionary \"{dictionary}\" does not exist"),
            ));
        }
    };
    Ok(match dictionary.lexize(token) {
        Lexized::Stop => Vec::new(),
        Lexized::Lexeme(lexeme) => vec![lexeme],
    })
}

/// A dictionary of the built-in configurations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dictionary {
    Simple,
    EnglishStem,
}

/// What a dictionary made of a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lexized {
    /// A stopword: it takes a position but yields no lexeme.
    Stop,
    /// The normalized lexeme.
    Lexeme(String),
}

impl Dictionary {
    /// PostgreSQL's `ts_lexize` for this dictionary (both recognize every token).
    pub(crate) fn lexize(self, token: &str) -> Lexized {
        let lower = token.to_ascii_lowercase();
        match self {
            Dictionary::Simple if lower.is_empty() => Lexized::Stop,
            Dictionary::Simple => Lexized::Lexeme(lower),
            Dictionary::EnglishStem if token.len() > 1000 => Lexized::Lexeme(lower),
            Dictionary::EnglishStem if lower.is_empty() || is_english_stopword(&lower) => {
                Lexized::Stop
            }
            Dictionary::EnglishStem => Lexized::Lexeme(english_stemmer().stem(&lower).into_owned()),
        }
    }
}

fn english_stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}
