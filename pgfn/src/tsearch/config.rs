//! The text search configurations MindooDB has, `simple` and `english`, named as a
//! `regconfig` value is (optionally `pg_catalog.`-qualified, unquoted names folded to lower
//! case), with PostgreSQL's token-type-to-dictionary map (`pg_ts_config_map`).
//!
//! Invariants:
//! - Token types absent from the map (blank, tag, protocol, entity) are dropped without
//!   taking a position, as in PostgreSQL.
//! - Name errors are PostgreSQL's `regconfigin` errors with their conditions.

use crate::tsearch::dictionary::Dictionary;
use crate::tsearch::token_type::TokenType;
use crate::{Condition, Error, Result};

/// A built-in text search configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TsConfig {
    /// `pg_catalog.simple`: every word lowercased, no stopwords, no stemming.
    Simple,
    /// `pg_catalog.english`: English stopwords removed, words stemmed; numbers, emails, URLs,
    /// hosts and files as in `simple`.
    English,
}

impl TsConfig {
    /// Resolves a `regconfig` name such as `english`, `'pg_catalog.simple'` or `"english"`
    /// (also the value of `default_text_search_config`).
    pub fn from_name(name: &str) -> Result<TsConfig> {
        let parts = split_qualified_name(name)?;
        match parts.len() {
            1 | 2 => {}
            3 => {
                return Err(Error::new(
                    Condition::FeatureNotSupported,
                    format!(
                        "cross-database references are not implemented: {}",
                        parts.join(".")
                    ),
                ));
            }
            _ => {
                return Err(Error::new(
                    Condition::SyntaxError,
                    format!(
                        "improper qualified name (too many dotted names): {}",
                        parts.join(".")
                    ),
                ));
            }
        }
        let in_catalog = parts.len() == 1 || parts[0] == "pg_catalog";
        match (in_catalog, parts[parts.len() - 1].as_str()) {
            (true, "simple") => Ok(TsConfig::Simple),
            (true, "english") => Ok(TsConfig::English),
            _ => Err(Error::new(
                Condition::UndefinedObject,
                format!(
                    "text search configuration \"{}\" does not exist",
                    parts.join(".")
                ),
            )),
        }
    }

    /// The name as `regconfig` output prints it.
    pub fn name(self) -> &'static str {
        match self {
            TsConfig::Simple => "simple",
            TsConfig::English => "english",
        }
    }

    /// The configuration's OID in a PostgreSQL 15 cluster (`regconfig`'s binary form):
    /// `simple` is pinned, `english` is what initdb gives it.
    pub fn oid(self) -> u32 {
        match self {
            TsConfig::Simple => 3748,
            TsConfig::English => 13164,
        }
    }

    /// The configuration with this OID.
    pub fn from_oid(oid: u32) -> Option<TsConfig> {
        [TsConfig::Simple, TsConfig::English]
            .into_iter()
            .find(|config| config.oid() == oid)
    }

    /// The dictionary a token type goes to, or `None` when the configuration drops it.
    pub(crate) fn dictionary(self, token: TokenType) -> Option<Dictionary> {
        use TokenType as T;
        match token {
            T::Blank | T::Tag | T::Protocol | T::Entity => None,
            T::AsciiWord
            | T::Word
            | T::AsciiHWord
            | T::HWord
            | T::HWordAsciiPart
            | T::HWordPart
                if self == TsConfig::English =>
            {
                Some(Dictionary::EnglishStem)
            }
            _ => Some(Dictionary::Simple),
        }
    }
}

/// PostgreSQL's `stringToQualifiedNameList`: dot-separated identifiers, double quotes keep
/// case and allow `""`, unquoted ones fold ASCII to lower case; whitespace around parts.
fn split_qualified_name(name: &str) -> Result<Vec<String>> {
    let invalid = || Error::new(Condition::InvalidName, "invalid name syntax");
    let bytes = name.as_bytes();
    let mut parts = Vec::new();
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip_space(&mut i);
    if i >= bytes.len() {
        return Err(invalid());
    }
    loop {
        let mut part = Vec::new();
        if bytes[i] == b'"' {
            i += 1;
            loop {
                match bytes.get(i) {
                    None => return Err(invalid()),
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => {
                        part.push(b'"');
                        i += 2;
                    }
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(&b) => {
                        part.push(b);
                        i += 1;
                    }
                }
            }
            if part.is_empty() {
                return Err(invalid());
            }
        } else {
            while i < bytes.len() && bytes[i] != b'.' && !bytes[i].is_ascii_whitespace() {
                part.push(bytes[i].to_ascii_lowercase());
                i += 1;
            }
            if part.is_empty() {
                return Err(invalid());
            }
        }
        parts.push(String::from_utf8_lossy(&part).into_owned());
        skip_space(&mut i);
        if i >= bytes.len() {
            return Ok(parts);
        }
        if bytes[i] != b'.' {
            return Err(invalid());
        }
        i += 1;
        skip_space(&mut i);
        if i >= bytes.len() {
            return Err(invalid());
        }
    }
}
