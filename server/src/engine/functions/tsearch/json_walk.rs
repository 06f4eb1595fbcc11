//! Documents as full-text search sees them: the string values (and by the filter numbers,
//! booleans and keys) of a jsonb or json document fed one by one to a tsvector, as
//! PostgreSQL's `iterate_jsonb_values` and `iterate_json_values` do, and a jsonb document
//! with every string value replaced by its headline (`transform_jsonb_string_values`).
//!
//! Invariants:
//! - jsonb is walked in its storage order (keys sorted), json in its text's order with
//!   duplicate keys kept; a number is jsonb's `numeric` output, json's token as written.
//! - A top-level scalar counts as a value, as in PostgreSQL.

use mindoodb_pgfn::Jsonb;
use mindoodb_pgfn::jsonb::Object;
use mindoodb_pgfn::tsearch::{HeadlineSession, JsonFilter, TsConfig, TsVector, TsVectorBuilder};

use crate::engine::functions::jsonb::pg;
use datafusion::common::Result as DfResult;

/// The tsvector of a jsonb document's selected values.
pub(super) fn jsonb_vector(
    config: TsConfig,
    document: &Jsonb,
    filter: JsonFilter,
) -> DfResult<TsVector> {
    let mut builder = TsVectorBuilder::new(config);
    add_jsonb(&mut builder, document, filter);
    pg(builder.finish())
}

fn add_jsonb(builder: &mut TsVectorBuilder, value: &Jsonb, filter: JsonFilter) {
    match value {
        Jsonb::Object(object) => {
            for (key, item) in object.iter() {
                if filter.keys {
                    builder.add(key);
                }
                add_jsonb(builder, item, filter);
            }
        }
        Jsonb::Array(items) => {
            for item in items {
                add_jsonb(builder, item, filter);
            }
        }
        Jsonb::String(text) if filter.strings => builder.add(text),
        Jsonb::Number(number) if filter.numerics => builder.add(&number.to_string()),
        Jsonb::Bool(flag) if filter.booleans => builder.add(if *flag { "true" } else { "false" }),
        _ => {}
    }
}

/// The tsvector of a json document's selected values, in the text's order.
pub(super) fn json_vector(config: TsConfig, text: &str, filter: JsonFilter) -> DfResult<TsVector> {
    let mut builder = TsVectorBuilder::new(config);
    add_json(&mut builder, text, filter)?;
    pg(builder.finish())
}

fn add_json(builder: &mut TsVectorBuilder, text: &str, filter: JsonFilter) -> DfResult<()> {
    use mindoodb_pgfn::json;
    match pg(json::type_of(text))? {
        "object" => {
            for (key, item) in pg(json::each(text))? {
                if filter.keys {
                    builder.add(&key);
                }
                add_json(builder, &item, filter)?;
            }
        }
        "array" => {
            for item in pg(json::array_elements(text))? {
                add_json(builder, &item, filter)?;
            }
        }
        "string" if filter.strings => {
            if let Jsonb::String(value) = pg(mindoodb_pgfn::jsonb::parse(text))? {
                builder.add(&value);
            }
        }
        "number" if filter.numerics => builder.add(text.trim()),
        "boolean" if filter.booleans => builder.add(text.trim()),
        _ => {}
    }
    Ok(())
}

/// The filter argument (`'"string"'`, `'["string", "key"]'`) as PostgreSQL reads it.
pub(super) fn filter(flags: &Jsonb) -> DfResult<JsonFilter> {
    let name = |value: &Jsonb| match value {
        Jsonb::String(name) => Some(name.clone()),
        _ => None,
    };
    let names: Vec<Option<String>> = match flags {
        Jsonb::Object(_) => return pg(Err(JsonFilter::wrong_type_error())),
        Jsonb::Array(items) => items.iter().map(name).collect(),
        scalar => vec![name(scalar)],
    };
    pg(JsonFilter::from_flags(names.iter().map(Option::as_deref)))
}

/// The document with each string value (not key) replaced by its headline, in storage order.
pub(super) fn jsonb_headline(session: &mut HeadlineSession, value: &Jsonb) -> DfResult<Jsonb> {
    Ok(match value {
        Jsonb::Object(object) => {
            let mut pairs = Vec::with_capacity(object.len());
            for (key, item) in object.iter() {
                pairs.push((key.to_owned(), jsonb_headline(session, item)?));
            }
            Jsonb::Object(Object::from_pairs(pairs))
        }
        Jsonb::Array(items) => Jsonb::Array(
            items
                .iter()
                .map(|item| jsonb_headline(session, item))
                .collect::<DfResult<_>>()?,
        ),
        Jsonb::String(text) => Jsonb::String(pg(session.headline(text))?),
        other => other.clone(),
    })
}
