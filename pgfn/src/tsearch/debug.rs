//! `ts_debug(config, text)`: each token of the default parser with the dictionary that
//! handled it and the lexemes it gave, as PostgreSQL's `ts_debug` SQL function lists them.
//!
//! Invariants:
//! - Rows are in token order; tokens the configuration does not map have no dictionary and
//!   no lexemes (SQL NULL), stopwords have an empty lexeme list.

use crate::tsearch::config::TsConfig;
use crate::tsearch::dictionary::{Dictionary, Lexized};
use crate::tsearch::token_type::TokenType;
use crate::tsearch::wparser;

/// One row of `ts_debug`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebugRow<'a> {
    /// The token's type (`alias` and `description` columns).
    pub token_type: TokenType,
    /// The token.
    pub token: &'a str,
    /// The dictionary the configuration maps the type to (`dictionaries` holds just it).
    pub dictionary: Option<&'static str>,
    /// The lexemes it produced; `None` when the type is not mapped.
    pub lexemes: Option<Vec<String>>,
}

/// `ts_debug(config, text)`.
pub fn ts_debug(config: TsConfig, text: &str) -> Vec<DebugRow<'_>> {
    wparser::parse(text)
        .into_iter()
        .map(|token| {
            let dictionary = config.dictionary(token.kind);
            DebugRow {
                token_type: token.kind,
                token: token.text,
                dictionary: dictionary.map(|d| match d {
                    Dictionary::Simple => "simple",
                    Dictionary::EnglishStem => "english_stem",
                }),
                lexemes: dictionary.map(|d| match d.lexize(token.text) {
                    Lexized::Stop => Vec::new(),
                    Lexized::Lexeme(lexeme) => vec![lexeme],
                }),
            }
        })
        .collect()
}
