//! Visibility and privilege functions: `pg_table_is_visible`, `pg_type_is_visible`,
//! `pg_function_is_visible`, `has_database_privilege`, `has_schema_privilege`,
//! `has_table_privilege` and `pg_is_in_recovery`.
//!
//! Invariants:
//! - Visibility follows the search path `pg_catalog, public`.
//! - A role may use a database when it is a superuser or was granted CONNECT; inside it,
//!   tables, views and the schema answer with the grants `acl.rs` decides from (which rows a
//!   role then reads depends on the keys it holds).

use std::sync::Arc;

use datafusion::common::ScalarValue;
use datafusion::logical_expr::{ScalarUDF, Volatility};

use super::acl::{self, Subject};
use super::pg_namespace::ALL as NAMESPACES;
use super::relations::{relations, visible};
use super::source::CatalogSource;
use super::types;
use super::udf::{Returns, bool_type, oid_arg, row_fn, text_arg};
use super::{names, pg_roles};
use crate::error::{Error, Result};

/// The functions, bound to one session's catalog.
pub(crate) fn functions(source: &Arc<CatalogSource>) -> Vec<ScalarUDF> {
    let boolean = Returns::Fixed(bool_type);
    let table_source = source.clone();
    let database_source = source.clone();
    let relation_source = source.clone();
    let schema_source = source.clone();
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
            Arc::new(move |args| {
                let (user, schema, wanted) = match args {
                    [user, schema, wanted] => (Some(user), schema, wanted),
                    [schema, wanted] => (None, schema, wanted),
                    _ => return Ok(ScalarValue::Boolean(None)),
                };
                let name = match oid_arg(schema) {
                    Some(oid) => super::relations::namespace_name(oid).map(str::to_owned),
                    None => text_arg(schema),
                };
                let Some(name) = name.filter(|n| {
                    NAMESPACES
                        .iter()
                        .any(|oid| super::relations::namespace_name(*oid) == Some(n.as_str()))
                }) else {
                    return Err(Error::UndefinedObject(format!(
                        "schema \"{}\"",
                        text_arg(schema).unwrap_or_default()
                    )));
                };
                let subject = subject(&schema_source, user)?;
                let wanted = wanted_privileges(wanted)?;
                let held = if name == "public" {
                    subject.schema(&schema_source.store.tenant_access(schema_source.tenant.id))
                } else if subject.superuser {
                    acl::SCHEMA_ALL
                } else {
                    acl::USAGE
                };
                Ok(ScalarValue::Boolean(Some(held & wanted != 0)))
            }),
        ),
        row_fn(
            "has_table_privilege",
            &[2, 3],
            Volatility::Stable,
            boolean,
            Arc::new(move |args| {
                let (user, table, wanted) = match args {
                    [user, table, wanted] => (Some(user), table, wanted),
                    [table, wanted] => (None, table, wanted),
                    _ => return Ok(ScalarValue::Boolean(None)),
                };
                let all = relations(&relation_source)?;
                let relation = match oid_arg(table) {
                    Some(oid) => all.iter().find(|r| r.oid == oid),
                    None => {
                        let text = text_arg(table).unwrap_or_default();
                        let parts = names::parse_text(&text).unwrap_or_default();
                        let found = parts
                            .last()
                            .and_then(|name| all.iter().find(|r| &r.name == name));
                        if found.is_none() {
                            return Err(Error::UndefinedTable(text));
                        }
                        found
                    }
                };
                let Some(relation) = relation else {
                    return Ok(ScalarValue::Boolean(None));
                };
                let subject = subject(&relation_source, user)?;
                let wanted = wanted_privileges(wanted)?;
                let held = match &relation.access {
                    Some(_) => subject
                        .relation(
                            &relation_source.store,
                            relation_source.tenant.id,
                            &relation.name,
                        )
                        .unwrap_or(0),
                    // System relations: everyone reads them, as in PostgreSQL.
                    None if subject.superuser => acl::TABLE_ALL,
                    None => acl::SELECT,
                };
                Ok(ScalarValue::Boolean(Some(held & wanted != 0)))
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
    acl::may_connect(store, &record, database)
}

/// The role a privilege function asks about: its first argument (a name or an OID) when it
/// has three, else the current role.
fn subject(source: &CatalogSource, user: Option<&ScalarValue>) -> Result<Subject> {
    let name = match user {
        None => source.current_role(),
        Some(value) => match oid_arg(value) {
            Some(oid) => {
                let roles = source.store.roles()?;
                pg_roles::role_name(&roles, oid)
                    .ok_or_else(|| Error::UndefinedObject(format!("role with OID {oid}")))?
            }
            None => text_arg(value).unwrap_or_default(),
        },
    };
    Subject::of(&source.store, &name)
}

/// The privileges a privilege function's text names: a comma-separated list of privilege
/// names, each optionally `WITH GRANT OPTION` (held options are not told apart here).
fn wanted_privileges(value: &ScalarValue) -> Result<u32> {
    let text = text_arg(value).unwrap_or_default();
    text.split(',')
        .map(|part| {
            let lower = part.trim().to_ascii_lowercase();
            let name = lower
                .strip_suffix(" with grant option")
                .unwrap_or(&lower)
                .trim();
            acl::by_name(name).ok_or_else(|| {
                Error::InvalidParameter(format!("unrecognized privilege type: \"{}\"", part.trim()))
            })
        })
        .try_fold(0, |acc, bit| Ok(acc | bit?))
}
