//! Visibility and privilege functions: `pg_table_is_visible`, `pg_type_is_visible`,
//! `pg_function_is_visible`, `has_database_privilege`, `has_schema_privilege`,
//! `has_table_privilege` and `pg_is_in_recovery`.
//!
//! Invariants:
//! - Visibility follows the search path `pg_catalog, public`.
//! - Privileges follow MindooDB's model: a role may use a database when it is a superuser or
//!   was granted CONNECT; inside a database every table is open to every admitted role (which
//!   rows it reads depends on the keys it holds, not on privileges).

use std::sync::Arc;

use datafusion::common::ScalarValue;
use datafusion::logical_expr::{ScalarUDF, Volatility};

use super::names;
use super::pg_namespace::ALL as NAMESPACES;
use super::relations::{relations, visible};
use super::source::CatalogSource;
use super::types;
use super::udf::{Returns, bool_type, oid_arg, row_fn, text_arg};
use crate::error::Result;

/// The functions, bound to one session's catalog.
pub(crate) fn functions(source: &Arc<CatalogSource>) -> Vec<ScalarUDF> {
    let boolean = Returns::Fixed(bool_type);
    let table_source = source.clone();
    let database_source = source.clone();
    let relation_source = source.clone();
    vec![
        row_fn(
            "pg_table_is_visible",
            &[1],
            Volatility::Stable,
            boolean,
            Arc::new(move |args| {
                let Some(oid) = args.first().and_then(oid_arg) else {
                    return Ok(ScalarValue::Boolean(None));
                };
                let all = relations(&table_source)?;
                Ok(ScalarValue::Boolean(Some(
                    all.iter().any(|r| r.oid == oid && visible(r)),
                )))
            }),
        ),
        row_fn(
            "pg_type_is_visible",
            &[1],
            Volatility::Stable,
            boolean,
            Arc::new(|args| {
                Ok(ScalarValue::Boolean(
                    args.first()
                        .and_then(oid_arg)
                        .map(|oid| types::by_oid(oid).is_some()),
                ))
            }),
        ),
        row_fn(
            "pg_function_is_visible",
            &[1],
            Volatility::Stable,
            boolean,
            Arc::new(|args| {
                Ok(ScalarValue::Boolean(
                    args.first().and_then(oid_arg).map(|_| true),
                ))
            }),
        ),
        row_fn(
            "has_database_privilege",
            &[2, 3],
            Volatility::Stable,
            boolean,
            Arc::new(move |args| {
                let (role, database) = match args {
                    [role, database, _] => (text_arg(role), text_arg(database)),
                    [database, _] => (Some(database_source.role.name.clone()), text_arg(database)),
                    _ => (None, None),
                };
                let (Some(role), Some(database)) = (role, database) else {
                    return Ok(ScalarValue::Boolean(None));
                };
                Ok(ScalarValue::Boolean(Some(may_connect(
                    &database_source,
                    &role,
                    &database,
                )?)))
            }),
        ),
        row_fn(
            "has_schema_privilege",
            &[2, 3],
            Volatility::Stable,
            boolean,
            Arc::new(|args| {
                let schema = match args {
                    [_, schema, _] | [schema, _] => schema,
                    _ => return Ok(ScalarValue::Boolean(None)),
                };
                let known = match oid_arg(schema) {
                    Some(oid) => NAMESPACES.contains(&oid),
                    None => text_arg(schema).is_some_and(|name| {
                        NAMESPACES.iter().any(|oid| {
                            super::relations::namespace_name(*oid) == Some(name.as_str())
                        })
                    }),
                };
                Ok(ScalarValue::Boolean(Some(known)))
            }),
        ),
        row_fn(
            "has_table_privilege",
            &[2, 3],
            Volatility::Stable,
            boolean,
            Arc::new(move |args| {
                let table = match args {
                    [_, table, _] | [table, _] => table,
                    _ => return Ok(ScalarValue::Boolean(None)),
                };
                let all = relations(&relation_source)?;
                let known = match oid_arg(table) {
                    Some(oid) => all.iter().any(|r| r.oid == oid),
                    None => text_arg(table).is_some_and(|name| {
                        let parts = names::parse_text(&name).unwrap_or_default();
                        parts
                            .last()
                            .is_some_and(|name| all.iter().any(|r| &r.name == name))
                    }),
                };
                Ok(ScalarValue::Boolean(Some(known)))
            }),
        ),
        row_fn(
            "pg_is_in_recovery",
            &[0],
            Volatility::Stable,
            boolean,
            Arc::new(|_| Ok(ScalarValue::Boolean(Some(false)))),
        ),
    ]
}

fn may_connect(source: &CatalogSource, role: &str, database: &str) -> Result<bool> {
    let store = &source.store;
    if store.tenant(database).is_none() {
        return Ok(false);
    }
    let Some(record) = store.role(role)? else {
        return Ok(false);
    };
    Ok(record.superuser || store.grants(role)?.iter().any(|g| g == database))
}
