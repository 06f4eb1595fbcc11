//! The full-text search functions and operators, each a `Kind`: its name (an operator's is
//! PostgreSQL's name of the function implementing it), how many arguments it takes and the
//! type it returns.
//!
//! Invariants:
//! - Every kind is strict, as all of PostgreSQL's are: a NULL argument gives NULL.
//! - A kind that reads `default_text_search_config` when called without a configuration is
//!   stable, every other immutable, as in `pg_proc`.

use std::ops::RangeInclusive;

use datafusion::logical_expr::Volatility;

/// A full-text search function or operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    ToTsvector,
    JsonbToTsvector,
    JsonToTsvector,
    ToTsquery,
    PlainToTsquery,
    PhraseToTsquery,
    WebsearchToTsquery,
    /// `@@` in all its forms.
    Match,
    Rank,
    RankCd,
    Headline,
    /// `length(tsvector)`, reached through `rewrite.rs`.
    Length,
    Numnode,
    Strip,
    Setweight,
    /// `tsvector || tsvector`.
    Concat,
    /// `tsquery && tsquery`.
    QueryAnd,
    /// `tsquery || tsquery`.
    QueryOr,
    /// `!! tsquery`.
    QueryNot,
    /// `tsquery <-> tsquery` and `tsquery_phrase`.
    QueryPhrase,
    Querytree,
    /// `tsquery @> tsquery`.
    QueryContains,
    /// `tsquery <@ tsquery`.
    QueryContained,
    ToArray,
    FromArray,
    Delete,
    Filter,
    CurrentConfig,
    Lexize,
    /// `x::tsvector`, reached through `rewrite.rs`.
    TsvectorIn,
    /// `x::tsquery`, reached through `rewrite.rs`.
    TsqueryIn,
    /// `x::regconfig`, reached through `rewrite.rs`.
    RegconfigIn,
    /// A tsvector, tsquery or regconfig cast to text (its output text), through `rewrite.rs`.
    Text,
}

/// The type a kind's results have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Returns {
    TsVector,
    TsQuery,
    RegConfig,
    Text,
    TextArray,
    Jsonb,
    Bool,
    Float4,
    Int4,
}

impl Kind {
    /// The kinds SQL calls by name (the rest only through operators, casts and rewrites).
    pub(super) const CALLABLE: [Kind; 28] = [
        Kind::ToTsvector,
        Kind::JsonbToTsvector,
        Kind::JsonToTsvector,
        Kind::ToTsquery,
        Kind::PlainToTsquery,
        Kind::PhraseToTsquery,
        Kind::WebsearchToTsquery,
        Kind::Match,
        Kind::Rank,
        Kind::RankCd,
        Kind::Headline,
        Kind::Numnode,
        Kind::Strip,
        Kind::Setweight,
        Kind::Concat,
        Kind::QueryAnd,
        Kind::QueryOr,
        Kind::QueryNot,
        Kind::QueryPhrase,
        Kind::Querytree,
        Kind::QueryContains,
        Kind::QueryContained,
        Kind::ToArray,
        Kind::FromArray,
        Kind::Delete,
        Kind::Filter,
        Kind::CurrentConfig,
        Kind::Lexize,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::ToTsvector => "to_tsvector",
            Kind::JsonbToTsvector => "jsonb_to_tsvector",
            Kind::JsonToTsvector => "json_to_tsvector",
            Kind::ToTsquery => "to_tsquery",
            Kind::PlainToTsquery => "plainto_tsquery",
            Kind::PhraseToTsquery => "phraseto_tsquery",
            Kind::WebsearchToTsquery => "websearch_to_tsquery",
            Kind::Match => "ts_match",
            Kind::Rank => "ts_rank",
            Kind::RankCd => "ts_rank_cd",
            Kind::Headline => "ts_headline",
            Kind::Length => "tsvector_length",
            Kind::Numnode => "numnode",
            Kind::Strip => "strip",
            Kind::Setweight => "setweight",
            Kind::Concat => "tsvector_concat",
            Kind::QueryAnd => "tsquery_and",
            Kind::QueryOr => "tsquery_or",
            Kind::QueryNot => "tsquery_not",
            Kind::QueryPhrase => "tsquery_phrase",
            Kind::Querytree => "querytree",
            Kind::QueryContains => "tsq_mcontains",
            Kind::QueryContained => "tsq_mcontained",
            Kind::ToArray => "tsvector_to_array",
            Kind::FromArray => "array_to_tsvector",
            Kind::Delete => "ts_delete",
            Kind::Filter => "ts_filter",
            Kind::CurrentConfig => "get_current_ts_config",
            Kind::Lexize => "ts_lexize",
            Kind::TsvectorIn => "tsvectorin",
            Kind::TsqueryIn => "tsqueryin",
            Kind::RegconfigIn => "regconfigin",
            Kind::Text => "text",
        }
    }

    /// How many arguments it takes.
    pub(super) fn arity(self) -> RangeInclusive<usize> {
        match self {
            Kind::CurrentConfig => 0..=0,
            Kind::Length
            | Kind::Numnode
            | Kind::Strip
            | Kind::QueryNot
            | Kind::Querytree
            | Kind::ToArray
            | Kind::FromArray
            | Kind::TsvectorIn
            | Kind::TsqueryIn
            | Kind::RegconfigIn
            | Kind::Text => 1..=1,
            Kind::ToTsvector
            | Kind::ToTsquery
            | Kind::PlainToTsquery
            | Kind::PhraseToTsquery
            | Kind::WebsearchToTsquery => 1..=2,
            Kind::JsonbToTsvector | Kind::JsonToTsvector | Kind::Setweight | Kind::QueryPhrase => {
                2..=3
            }
            Kind::Rank | Kind::RankCd | Kind::Headline => 2..=4,
            Kind::Match
            | Kind::Concat
            | Kind::QueryAnd
            | Kind::QueryOr
            | Kind::QueryContains
            | Kind::QueryContained
            | Kind::Delete
            | Kind::Filter
            | Kind::Lexize => 2..=2,
        }
    }

    /// The result type; `ts_headline` of a jsonb document is jsonb (`jsonb_document`).
    pub(super) fn returns(self, jsonb_document: bool) -> Returns {
        match self {
            Kind::ToTsvector
            | Kind::JsonbToTsvector
            | Kind::JsonToTsvector
            | Kind::Strip
            | Kind::Setweight
            | Kind::Concat
            | Kind::FromArray
            | Kind::Delete
            | Kind::Filter
            | Kind::TsvectorIn => Returns::TsVector,
            Kind::ToTsquery
            | Kind::PlainToTsquery
            | Kind::PhraseToTsquery
            | Kind::WebsearchToTsquery
            | Kind::QueryAnd
            | Kind::QueryOr
            | Kind::QueryNot
            | Kind::QueryPhrase
            | Kind::TsqueryIn => Returns::TsQuery,
            Kind::CurrentConfig | Kind::RegconfigIn => Returns::RegConfig,
            Kind::Headline if jsonb_document => Returns::Jsonb,
            Kind::Headline | Kind::Querytree | Kind::Text => Returns::Text,
            Kind::ToArray | Kind::Lexize => Returns::TextArray,
            Kind::Match | Kind::QueryContains | Kind::QueryContained => Returns::Bool,
            Kind::Rank | Kind::RankCd => Returns::Float4,
            Kind::Length | Kind::Numnode => Returns::Int4,
        }
    }

    /// Whether argument `index` of `n` is a number (a normalization, a phrase distance);
    /// every other argument is text, a search type, jsonb or an array.
    pub(super) fn numeric_argument(self, index: usize, n: usize) -> bool {
        match self {
            Kind::Rank | Kind::RankCd => n >= 3 && index == n - 1 && index >= 2,
            Kind::QueryPhrase => index == 2,
            _ => false,
        }
    }

    pub(super) fn volatility(self) -> Volatility {
        match self {
            Kind::ToTsvector
            | Kind::JsonbToTsvector
            | Kind::JsonToTsvector
            | Kind::ToTsquery
            | Kind::PlainToTsquery
            | Kind::PhraseToTsquery
            | Kind::WebsearchToTsquery
            | Kind::Match
            | Kind::Headline
            | Kind::CurrentConfig => Volatility::Stable,
            _ => Volatility::Immutable,
        }
    }
}
