//! The object-identifier casts and lookups: `regclass`, `regtype`, `regproc`,
//! `regnamespace`, `regrole` (what `::regclass` and friends become, see
//! `engine/dialect.rs`) and their error-free `to_reg*` forms.
//!
//! Invariants:
//! - Text in gives the OID (an unknown name is Postgres' error: 42P01 for relations, 42704
//!   for types, roles and schemas); an OID in gives the name, as Postgres prints these types.
//! - Names resolve as Postgres resolves them: unquoted parts fold to lower case, an
//!   unqualified relation is looked up in `pg_catalog`, then `public`.
//! - `regproc` has no function OIDs to map to: it normalizes the name (`pg_catalog.array_in`
//!   and `array_in` are the same), which is what comparisons with `pg_type.typinput` need.

use std::sync::Arc;

use datafusion::common::ScalarValue;
use datafusion::logical_expr::{ScalarUDF, Volatility};

use super::names;
use super::pg_namespace::ALL as NAMESPACES;
use super::pg_roles::{role_name, role_oid};
use super::relations::{display_name, namespace_name, relations, visible};
use super::source::CatalogSource;
use super::types;
use super::udf::{Eval, Returns, oid_arg, row_fn, text, text_arg, text_type};
use crate::error::{Error, Result};

/// The casts and lookups, bound to one session's catalog.
pub(crate) fn functions(source: &Arc<CatalogSource>) -> Vec<ScalarUDF> {
    let mut out = Vec::new();
    for (name, lookup) in [
        ("regclass", Lookup::Class),
        ("regtype", Lookup::Type),
        ("regnamespace", Lookup::Namespace),
        ("regrole", Lookup::Role),
    ] {
        let cast_source = source.clone();
        out.push(row_fn(
            name,
            &[1],
            Volatility::Stable,
            Returns::OidForText,
            Arc::new(move |args| cast(&cast_source, lookup, args)),
        ));
    }
    for (name, lookup) in [
        ("to_regclass", Lookup::Class),
        ("to_regtype", Lookup::Type),
        ("to_regnamespace", Lookup::Namespace),
        ("to_regrole", Lookup::Role),
    ] {
        let source = source.clone();
        let eval: Eval = Arc::new(move |args| {
            let Some(name) = args.first().and_then(text_arg) else {
                return Ok(ScalarValue::UInt32(None));
            };
            Ok(ScalarValue::UInt32(find(&source, lookup, &name)?))
        });
        out.push(row_fn(
            name,
            &[1],
            Volatility::Stable,
            Returns::Fixed(|| datafusion::arrow::datatypes::DataType::UInt32),
            eval,
        ));
    }
    for name in ["regproc", "regprocedure", "to_regproc"] {
        out.push(row_fn(
            name,
            &[1],
            Volatility::Immutable,
            Returns::Fixed(text_type),
            Arc::new(|args| {
                Ok(text(args.first().and_then(text_arg).map(|name| {
                    let parts = names::parse_text(&name).unwrap_or_default();
                    parts.last().cloned().unwrap_or_default()
                })))
            }),
        ));
    }
    out
}

/// What a `reg*` name denotes.
#[derive(Debug, Clone, Copy)]
enum Lookup {
    Class,
    Type,
    Namespace,
    Role,
}

fn cast(source: &CatalogSource, lookup: Lookup, args: &[ScalarValue]) -> Result<ScalarValue> {
    let Some(arg) = args.first() else {
        return Ok(ScalarValue::Null);
    };
    if arg.is_null() {
        return Ok(ScalarValue::Null);
    }
    let is_text = matches!(
        arg,
        ScalarValue::Utf8(_) | ScalarValue::LargeUtf8(_) | ScalarValue::Utf8View(_)
    );
    if is_text {
        let name = text_arg(arg).unwrap_or_default();
        // A number in text is an OID, as `'16384'::regclass` is in Postgres.
        if let Ok(oid) = name.trim().parse::<u32>() {
            return Ok(ScalarValue::UInt32(Some(oid)));
        }
        return match find(source, lookup, &name)? {
            Some(oid) => Ok(ScalarValue::UInt32(Some(oid))),
            None => Err(not_found(lookup, &name)),
        };
    }
    let Some(oid) = oid_arg(arg) else {
        return Ok(ScalarValue::Null);
    };
    Ok(text(Some(
        name_of(source, lookup, oid)?.unwrap_or_else(|| oid.to_string()),
    )))
}

fn find(source: &CatalogSource, lookup: Lookup, name: &str) -> Result<Option<u32>> {
    let parts = names::parse_text(name)?;
    Ok(match lookup {
        Lookup::Type => types::by_name(name).map(|t| t.oid),
        Lookup::Namespace => match parts.as_slice() {
            [schema] => NAMESPACES
                .iter()
                .copied()
                .find(|oid| namespace_name(*oid) == Some(schema.as_str())),
            _ => None,
        },
        Lookup::Role => match parts.as_slice() {
            [role] => role_oid(&source.store.roles()?, role),
            _ => None,
        },
        Lookup::Class => {
            let all = relations(source)?;
            match parts.as_slice() {
                [schema, relation] => all
                    .iter()
                    .find(|r| {
                        namespace_name(r.namespace) == Some(schema.as_str()) && &r.name == relation
                    })
                    .map(|r| r.oid),
                // pg_catalog first: `relations()` lists the tenant's tables before it.
                [relation] => all
                    .iter()
                    .filter(|r| visible(r) && &r.name == relation)
                    .min_by_key(|r| r.namespace != super::oids::PG_CATALOG)
                    .map(|r| r.oid),
                _ => None,
            }
        }
    })
}

fn name_of(source: &CatalogSource, lookup: Lookup, oid: u32) -> Result<Option<String>> {
    Ok(match lookup {
        Lookup::Type => types::format(oid, None),
        Lookup::Namespace => namespace_name(oid).map(str::to_owned),
        Lookup::Role => role_name(&source.store.roles()?, oid),
        Lookup::Class => relations(source)?
            .iter()
            .find(|r| r.oid == oid)
            .map(display_name),
    })
}

fn not_found(lookup: Lookup, name: &str) -> Error {
    match lookup {
        Lookup::Class => Error::UndefinedTable(name.to_owned()),
        Lookup::Type => Error::UndefinedObject(format!("type \"{name}\"")),
        Lookup::Namespace => Error::UndefinedSchema(name.to_owned()),
        Lookup::Role => Error::UndefinedObject(format!("role \"{name}\"")),
    }
}
