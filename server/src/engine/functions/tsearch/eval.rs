//! One row of a full-text search function: its arguments read as PostgreSQL resolves the
//! function's overloads (by the arguments' SQL types), the value computed by pgfn.
//!
//! Invariants:
//! - An argument of type tsvector, tsquery or regconfig holds its type's output text; text
//!   given where one of them is wanted is read by the type's input function, as an
//!   unknown-typed literal is in PostgreSQL.
//! - A NULL argument gives NULL before anything is read (every kind is strict).

use mindoodb_pgfn::tsearch::{
    self as ts, HeadlineSession, JsonFilter, TsConfig, TsQuery, TsVector,
};
use mindoodb_pgfn::{Condition, Error as PgError};

use super::json_walk;
use super::kind::Kind;
use crate::catalog::format_type;
use crate::engine::functions::jsonb::{Arg, pg};
use crate::error::Error;
use crate::output::PgType;
use datafusion::common::Result as DfResult;

/// One argument of one row, with the SQL type of its column.
pub(super) struct Input {
    pub(super) value: Arg,
    pub(super) ty: Option<PgType>,
}

/// One row's result.
pub(super) enum Out {
    Null,
    /// Text of the result type: a tsvector's, a tsquery's, a configuration name, jsonb, text.
    Text(String),
    Strings(Vec<String>),
    Bool(bool),
    Float4(f32),
    Int(i32),
}

/// Evaluates `kind` over one row; `headline_document` is which argument of `ts_headline` is
/// the document, `default` the session's default configuration.
pub(super) fn eval(
    kind: Kind,
    args: &[Input],
    headline_document: Option<usize>,
    default: &dyn Fn() -> DfResult<TsConfig>,
) -> DfResult<Out> {
    if args.iter().any(|arg| arg.value.is_null()) {
        return Ok(Out::Null);
    }
    let n = args.len();
    // The configuration is the first of two (or three, for the json functions) arguments.
    let config_then = |rest: usize| {
        if n > rest {
            config(&args[0])
        } else {
            default()
        }
    };
    let vector = |v: TsVector| Out::Text(v.to_string());
    let query = |q: TsQuery| Out::Text(q.to_string());
    Ok(match kind {
        Kind::ToTsvector => {
            let document = &args[n - 1];
            let config = config_then(1)?;
            vector(if document.ty == Some(PgType::Jsonb) {
                json_walk::jsonb_vector(config, &document.value.jsonb()?, JsonFilter::STRINGS)?
            } else {
                pg(ts::to_tsvector(config, &text(document)?))?
            })
        }
        Kind::JsonbToTsvector | Kind::JsonToTsvector => {
            let config = config_then(2)?;
            let (document, flags) = (&args[n - 2], &args[n - 1]);
            let filter = json_walk::filter(&flags.value.jsonb()?)?;
            vector(
                if kind == Kind::JsonbToTsvector || document.ty == Some(PgType::Jsonb) {
                    json_walk::jsonb_vector(config, &document.value.jsonb()?, filter)?
                } else {
                    json_walk::json_vector(config, &text(document)?, filter)?
                },
            )
        }
        Kind::ToTsquery
        | Kind::PlainToTsquery
        | Kind::PhraseToTsquery
        | Kind::WebsearchToTsquery => {
            let config = config_then(1)?;
            let input = text(&args[n - 1])?;
            query(pg(match kind {
                Kind::ToTsquery => ts::to_tsquery(config, &input),
                Kind::PlainToTsquery => ts::plainto_tsquery(config, &input),
                Kind::PhraseToTsquery => ts::phraseto_tsquery(config, &input),
                _ => ts::websearch_to_tsquery(config, &input),
            })?)
        }
        Kind::Match => Out::Bool(match_op(&args[0], &args[1], default)?),
        Kind::Rank | Kind::RankCd => {
            let first = usize::from(args[0].ty != Some(PgType::TsVector) && n > 2);
            let weights = if first == 1 {
                Some(weights(&args[0].value)?)
            } else {
                None
            };
            let normalization = match args.get(first + 2) {
                Some(arg) => int(arg)?,
                None => 0,
            };
            let (v, q) = (tsvector(&args[first])?, tsquery(&args[first + 1])?);
            let rank = if kind == Kind::Rank {
                ts::ts_rank(weights.as_deref(), &v, &q, normalization)
            } else {
                ts::ts_rank_cd(weights.as_deref(), &v, &q, normalization)
            };
            Out::Float4(pg(rank)?)
        }
        Kind::Headline => {
            let Some(d) = headline_document else {
                return Err(
                    Error::Internal("ts_headline without a document".into()).into_datafusion()
                );
            };
            let config = if d == 1 {
                config(&args[0])?
            } else {
                default()?
            };
            let q = tsquery(&args[d + 1])?;
            let options = args.get(d + 2).map(text).transpose()?;
            let mut session = pg(HeadlineSession::new(config, &q, options.as_deref()))?;
            let document = &args[d];
            if document.ty == Some(PgType::Jsonb) {
                Out::Text(
                    json_walk::jsonb_headline(&mut session, &document.value.jsonb()?)?.to_text(),
                )
            } else {
                Out::Text(pg(session.headline(&text(document)?))?)
            }
        }
        Kind::Length => Out::Int(count(tsvector(&args[0])?.len())),
        Kind::Numnode => Out::Int(count(tsquery(&args[0])?.numnode())),
        Kind::Strip => vector(ts::strip(&tsvector(&args[0])?)),
        Kind::Setweight => {
            let (v, weight) = (tsvector(&args[0])?, char_byte(&args[1])?);
            vector(pg(match args.get(2) {
                Some(lexemes) => {
                    let lexemes = lexemes.value.path()?;
                    ts::setweight_lexemes(&v, weight, &borrowed(&lexemes))
                }
                None => ts::setweight(&v, weight),
            })?)
        }
        Kind::Concat => vector(pg(ts::concat(&tsvector(&args[0])?, &tsvector(&args[1])?))?),
        Kind::QueryAnd => query(tsquery(&args[0])?.and(&tsquery(&args[1])?)),
        Kind::QueryOr => query(tsquery(&args[0])?.or(&tsquery(&args[1])?)),
        Kind::QueryNot => query(tsquery(&args[0])?.not()),
        Kind::QueryPhrase => {
            let distance = match args.get(2) {
                Some(arg) => int(arg)?,
                None => 1,
            };
            query(pg(tsquery(&args[0])?.phrase(&tsquery(&args[1])?, distance))?)
        }
        Kind::Querytree => Out::Text(tsquery(&args[0])?.querytree()),
        Kind::QueryContains => Out::Bool(ts::tsquery_contains(
            &tsquery(&args[0])?,
            &tsquery(&args[1])?,
        )),
        Kind::QueryContained => Out::Bool(ts::tsquery_contains(
            &tsquery(&args[1])?,
            &tsquery(&args[0])?,
        )),
        Kind::ToArray => Out::Strings(ts::to_array(&tsvector(&args[0])?)),
        Kind::FromArray => vector(pg(ts::from_array(&borrowed(&args[0].value.path()?)))?),
        Kind::Delete => {
            let lexemes = match &args[1].value {
                Arg::List(_) => args[1].value.path()?,
                other => vec![other.text()],
            };
            vector(ts::delete(&tsvector(&args[0])?, &borrowed(&lexemes)))
        }
        Kind::Filter => {
            let weights = args[1]
                .value
                .path()?
                .iter()
                .map(|w| w.as_deref().map(first_byte))
                .collect::<Vec<_>>();
            vector(pg(ts::filter(&tsvector(&args[0])?, &weights))?)
        }
        Kind::CurrentConfig => Out::Text(default()?.name().to_owned()),
        Kind::Lexize => Out::Strings(pg(ts::ts_lexize(&text(&args[0])?, &text(&args[1])?))?),
        Kind::TsvectorIn => vector(tsvector(input(&args[0], PgType::TsVector)?)?),
        Kind::TsqueryIn => query(tsquery(input(&args[0], PgType::TsQuery)?)?),
        Kind::RegconfigIn => Out::Text(
            config(input(&args[0], PgType::RegConfig)?)?
                .name()
                .to_owned(),
        ),
        Kind::Text => Out::Text(text(&args[0])?),
    })
}

/// `@@` by its operands' types: tsvector and tsquery either way round, text @@ tsquery (the
/// text through `to_tsvector`), and text @@ text (the right through `plainto_tsquery`).
fn match_op(
    left: &Input,
    right: &Input,
    default: &dyn Fn() -> DfResult<TsConfig>,
) -> DfResult<bool> {
    use PgType::{TsQuery as Q, TsVector as V};
    Ok(match (left.ty, right.ty) {
        (Some(V), _) => ts::matches(&tsvector(left)?, &tsquery(right)?),
        (Some(Q), _) | (_, Some(V)) => ts::matches(&tsvector(right)?, &tsquery(left)?),
        (_, Some(Q)) => pg(ts::text_matches_query(
            default()?,
            &text(left)?,
            &tsquery(right)?,
        ))?,
        _ => pg(ts::text_matches_text(
            default()?,
            &text(left)?,
            &text(right)?,
        ))?,
    })
}

fn text(arg: &Input) -> DfResult<String> {
    match &arg.value {
        Arg::List(_) => Err(wrong_type(arg, "text")),
        value => Ok(value.text().unwrap_or_default()),
    }
}

fn tsvector(arg: &Input) -> DfResult<TsVector> {
    match arg.ty {
        Some(PgType::TsVector | PgType::Text) | None => pg(TsVector::parse(&text(arg)?)),
        _ => Err(wrong_type(arg, "tsvector")),
    }
}

fn tsquery(arg: &Input) -> DfResult<TsQuery> {
    match arg.ty {
        Some(PgType::TsQuery | PgType::Text) | None => pg(TsQuery::parse(&text(arg)?)),
        _ => Err(wrong_type(arg, "tsquery")),
    }
}

fn config(arg: &Input) -> DfResult<TsConfig> {
    match arg.ty {
        Some(PgType::RegConfig | PgType::Text) | None => pg(TsConfig::from_name(&text(arg)?)),
        _ => Err(wrong_type(arg, "regconfig")),
    }
}

/// The operand of a cast to `target`: text, or a value of that type already.
fn input(arg: &Input, target: PgType) -> DfResult<&Input> {
    match arg.ty {
        Some(PgType::Text) | None => Ok(arg),
        Some(ty) if ty == target => Ok(arg),
        _ => Err(wrong_type(
            arg,
            &format_type(target.oid(), None).unwrap_or_default(),
        )),
    }
}

fn wrong_type(arg: &Input, wanted: &str) -> datafusion::error::DataFusionError {
    let from = arg
        .ty
        .and_then(|t| format_type(t.oid(), None))
        .unwrap_or_else(|| arg.value.sql_type_name().to_owned());
    Error::CannotCoerce(format!("{from} to {wanted}")).into_datafusion()
}

fn int(arg: &Input) -> DfResult<i32> {
    match &arg.value {
        Arg::Int(i) => i32::try_from(*i).map_err(|_| {
            Error::Pg(PgError::new(
                Condition::NumericValueOutOfRange,
                "integer out of range",
            ))
            .into_datafusion()
        }),
        other => {
            let text = other.text().unwrap_or_default();
            text.trim().parse().map_err(|_| {
                Error::Pg(PgError::new(
                    Condition::InvalidTextRepresentation,
                    format!("invalid input syntax for type integer: \"{text}\""),
                ))
                .into_datafusion()
            })
        }
    }
}

/// The `float4[]` weights of `ts_rank`: an array value or an array literal's text.
fn weights(arg: &Arg) -> DfResult<Vec<Option<f32>>> {
    let items = match arg {
        Arg::List(items) => items.clone(),
        other => other
            .path()?
            .into_iter()
            .map(|item| item.map_or(Arg::Null, Arg::Text))
            .collect(),
    };
    items
        .iter()
        .map(|item| match item {
            Arg::Null => Ok(None),
            Arg::List(_) => Err(Error::Pg(ts::weights_dimension_error()).into_datafusion()),
            Arg::Float4(f) => Ok(Some(*f)),
            Arg::Float8(f) => Ok(Some(*f as f32)),
            Arg::Int(i) => Ok(Some(*i as f32)),
            other => {
                let text = other.text().unwrap_or_default();
                text.trim().parse::<f32>().map(Some).map_err(|_| {
                    Error::Pg(PgError::new(
                        Condition::InvalidTextRepresentation,
                        format!("invalid input syntax for type real: \"{text}\""),
                    ))
                    .into_datafusion()
                })
            }
        })
        .collect()
}

/// A `"char"` argument: its first byte (NUL for the empty string), as `charin` reads it.
fn char_byte(arg: &Input) -> DfResult<u8> {
    Ok(first_byte(&text(arg)?))
}

fn first_byte(text: &str) -> u8 {
    text.as_bytes().first().copied().unwrap_or(0)
}

fn borrowed(items: &[Option<String>]) -> Vec<Option<&str>> {
    items.iter().map(Option::as_deref).collect()
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
