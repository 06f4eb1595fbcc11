//! Visibility and privilege functions: `pg_table_is_visible`, `pg_type_is_visible`,
//! `pg_function_is_visible`, `has_database_privilege`, `has_schema_privilege`,
//! `has_table_privilege`, `pg_has_role` and `pg_is_in_recovery`.
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
    let role_source = source.clone();
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
                    return Err(Error::UndefinedSchema(text_arg(schema).unwrap_or_default()));
                };
                let subject = subject(&schema_source, user)?;
                let wanted = wanted_privileges(wanted, &SCHEMA_PRIVILEGES)?;
                let held = if name == "public" {
                    subject.schema_with_options(
                        &schema_source.store.tenant_access(schema_source.tenant.id),
                    )
                } else if subject.superuser {
                    (acl::SCHEMA_ALL, acl::SCHEMA_ALL)
                } else {
                    (acl::USAGE, 0)
                };
                Ok(ScalarValue::Boolean(Some(any_held(held, wanted))))
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
                let wanted = wanted_privileges(wanted, &TABLE_PRIVILEGES)?;
                let held = match &relation.access {
                    Some(_) => subject
                        .relation_with_options(
                            &relation_source.store,
                            relation_source.tenant.id,
                            &relation.name,
                        )
                        .unwrap_or((0, 0)),
                    // System relations: everyone reads them, as in PostgreSQL.
                    None if subject.superuser => (acl::TABLE_ALL, acl::TABLE_ALL),
                    None => (acl::SELECT, 0),
                };
                Ok(ScalarValue::Boolean(Some(any_held(held, wanted))))
            }),
        ),
        row_fn(
            "pg_has_role",
            &[2, 3],
            Volatility::Stable,
            boolean,
            Arc::new(move |args| {
                let (user, role, wanted) = match args {
                    [user, role, wanted] => (Some(user), role, wanted),
                    [role, wanted] => (None, role, wanted),
                    _ => return Ok(ScalarValue::Boolean(None)),
                };
                if args.iter().any(ScalarValue::is_null) {
                    return Ok(ScalarValue::Boolean(None));
                }
                let member = subject(&role_source, user)?;
                let roles = role_source.store.roles()?;
                let role = match oid_arg(role) {
                    Some(oid) => pg_roles::role_name(&roles, oid)
                        .ok_or_else(|| Error::UndefinedObject(format!("role with OID {oid}")))?,
                    None => {
                        let name = text_arg(role).unwrap_or_default();
                        if pg_roles::role_oid(&roles, &name).is_none() {
                            return Err(Error::UndefinedObject(format!("role \"{name}\"")));
                        }
                        name
                    }
                };
                let (privileges, options) = wanted_privileges(wanted, &ROLE_PRIVILEGES)?;
                // `WITH GRANT OPTION` asks for the same as `WITH ADMIN OPTION`.
                let admin = (privileges & ROLE_ADMIN != 0 || options != 0)
                    && (member.superuser
                        || if member.name == role {
                            // PostgreSQL 15: a role administers itself only as the session's
                            // own login role.
                            member.name == role_source.role.name
                        } else {
                            acl::reachable(&roles, &member.name, false)
                                .iter()
                                .any(|name| {
                                    roles.iter().any(|r| {
                                        &r.name == name
                                            && r.member_of.iter().any(|m| m.role == role && m.admin)
                                    })
                                })
                        });
                let member_of = privileges & ROLE_MEMBER != 0
                    && (member.superuser
                        || acl::reachable(&roles, &member.name, false).contains(&role));
                let usage = privileges & ROLE_USAGE != 0
                    && (member.superuser
                        || acl::reachable(&roles, &member.name, true).contains(&role));
                Ok(ScalarValue::Boolean(Some(admin || member_of || usage)))
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

/// The privilege names `has_table_privilege` accepts, as PostgreSQL's `table_priv_map`:
/// `RULE` is still accepted and names no privilege.
const TABLE_PRIVILEGES: [(&str, u32); 8] = [
    ("SELECT", acl::SELECT),
    ("INSERT", acl::INSERT),
    ("UPDATE", acl::UPDATE),
    ("DELETE", acl::DELETE),
    ("TRUNCATE", acl::TRUNCATE),
    ("REFERENCES", acl::REFERENCES),
    ("TRIGGER", acl::TRIGGER),
    ("RULE", 0),
];

/// `pg_has_role`'s privileges, as PostgreSQL 15's `role_priv_map`: MEMBER asks for membership
/// (direct or through other roles), USAGE for the use of the role's privileges (through
/// INHERIT memberships only), and either `WITH ADMIN OPTION` (or `WITH GRANT OPTION`) for the
/// right to grant the role.
const ROLE_PRIVILEGES: [(&str, u32); 4] = [
    ("MEMBER", ROLE_MEMBER),
    ("USAGE", ROLE_USAGE),
    ("MEMBER WITH ADMIN OPTION", ROLE_ADMIN),
    ("USAGE WITH ADMIN OPTION", ROLE_ADMIN),
];
const ROLE_MEMBER: u32 = 1;
const ROLE_USAGE: u32 = 2;
const ROLE_ADMIN: u32 = 4;

/// The privilege names `has_schema_privilege` accepts.
const SCHEMA_PRIVILEGES: [(&str, u32); 2] = [("CREATE", acl::CREATE), ("USAGE", acl::USAGE)];

/// The privileges and the grant options a privilege function's text asks about, as
/// PostgreSQL's `convert_any_priv_string` reads it: comma-separated names from `known`, each
/// optionally followed by `WITH GRANT OPTION`, case-insensitive, spaces around each item
/// ignored; anything else is 22023.
fn wanted_privileges(value: &ScalarValue, known: &[(&str, u32)]) -> Result<(u32, u32)> {
    let text = text_arg(value).unwrap_or_default();
    text.split(',')
        .try_fold((0, 0), |(privileges, options), part| {
            let item = part.trim_matches(|c: char| c.is_ascii_whitespace());
            let (name, with_option) = match item.len().checked_sub(" WITH GRANT OPTION".len()) {
                Some(at)
                    if item.is_char_boundary(at)
                        && item[at..].eq_ignore_ascii_case(" WITH GRANT OPTION") =>
                {
                    (&item[..at], true)
                }
                _ => (item, false),
            };
            let bit = known
                .iter()
                .find(|(known, _)| known.eq_ignore_ascii_case(name))
                .map(|(_, bit)| *bit)
                .ok_or_else(|| {
                    Error::InvalidParameter(format!("unrecognized privilege type: \"{item}\""))
                })?;
            Ok(if with_option {
                (privileges, options | bit)
            } else {
                (privileges | bit, options)
            })
        })
}

/// True when `held` (privileges, grant options) covers any of `wanted`'s privileges or grant
/// options, as PostgreSQL's checks with `ACLMASK_ANY` answer.
fn any_held(held: (u32, u32), wanted: (u32, u32)) -> bool {
    held.0 & wanted.0 != 0 || held.1 & wanted.1 != 0
}
