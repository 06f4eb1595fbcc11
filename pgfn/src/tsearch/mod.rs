//! Full-text search as PostgreSQL 15 has it: the `tsvector` and `tsquery` types, the default
//! parser, the `simple` and `english` configurations, `to_tsvector` and the `to_tsquery`
//! family, `@@`, ranking, headlines and the tsvector/tsquery functions and operators.
//!
//! Invariants:
//! - Behaviour is that of a PostgreSQL 15 database with encoding UTF8 and LC_CTYPE C (what
//!   MindooDB reports): ASCII-only case folding, non-ASCII characters are letters.
//! - No function panics on any input; deep query trees grow the stack instead of overflowing.

mod binary;
mod compare;
mod config;
mod debug;
mod dictionary;
mod execute;
mod headline;
mod headline_options;
mod json_filter;
mod matching;
mod pg_qsort;
mod rank;
mod recursion;
mod stopword_cleanup;
mod stopwords;
mod to_tsany;
mod token_type;
mod tsquery;
mod tsquery_parser;
mod tsvector;
mod value_parser;
mod vector_ops;
mod weight;
mod wparser;
mod wparser_states;

pub use binary::{tsquery_recv, tsquery_send, tsvector_recv, tsvector_send};
pub use compare::{tsquery_cmp, tsquery_contains, tsvector_cmp};
pub use config::TsConfig;
pub use debug::{DebugRow, ts_debug};
pub use dictionary::ts_lexize;
pub use headline::{HeadlineSession, ts_headline};
pub use json_filter::JsonFilter;
pub use matching::{matches, text_matches_query, text_matches_text};
pub use rank::{ts_rank, ts_rank_cd, weights_dimension_error};
pub use to_tsany::{
    TsVectorBuilder, phraseto_tsquery, plainto_tsquery, to_tsquery, to_tsvector,
    websearch_to_tsquery,
};
pub use token_type::{ALL_TOKEN_TYPES, TokenType};
pub use tsquery::{Op, Operand, QueryItem, TsQuery};
pub use tsvector::{Lexeme, TsVector};
pub use vector_ops::{
    concat, delete, filter, from_array, setweight, setweight_lexemes, strip, to_array,
};
pub use weight::WordPos;
pub use wparser::{Token, parse as ts_parse};
