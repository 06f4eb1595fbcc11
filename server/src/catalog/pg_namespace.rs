//! `pg_namespace`: the schemas: `pg_catalog`, `public` (the tenant's document tables),
//! `information_schema` and `mindoo` (MindooDB's system functions).
//!
//! Invariants:
//! - Every relation's `relnamespace` and every function's schema is listed here.
//! - Every schema is owned by `pg_database_owner`, as `public` is in PostgreSQL 15; `nspacl`
//!   is its list as PostgreSQL 15 creates it (the owner's USAGE and CREATE, PUBLIC's USAGE),
//!   and `public`'s is the tenant's schema list, in which the tenant's owner, who stands for
//!   the database owner, is spelled `pg_database_owner`.

use mindoodb_storage::AclItem;

use super::relations::namespace_name;
use super::table::{Cell, ColType, Scan, SystemTable};
use super::{acl, oids};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_namespace",
    oid: 2615,
    namespace: oids::PG_CATALOG,
    view: false,
    columns: &[
        ("oid", ColType::Oid),
        ("nspname", ColType::Name),
        ("nspowner", ColType::Oid),
        ("nspacl", ColType::AclArray),
    ],
    rows,
};

/// Every schema's OID.
pub(crate) const ALL: [u32; 4] = [
    oids::PG_CATALOG,
    oids::PUBLIC,
    oids::INFORMATION_SCHEMA,
    oids::MINDOO,
];

/// The name of the role that owns every schema.
const OWNER: &str = "pg_database_owner";

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    let tenant = scan.source.store.tenant_access(scan.source.tenant.id);
    let as_owner = |role: String| {
        if role == tenant.owner {
            OWNER.to_owned()
        } else {
            role
        }
    };
    Ok(ALL
        .iter()
        .map(|oid| {
            let list = if *oid == oids::PUBLIC {
                acl::schema_list(&tenant)
                    .into_iter()
                    .map(|item| AclItem {
                        grantee: if item.grantee.is_empty() {
                            item.grantee
                        } else {
                            as_owner(item.grantee)
                        },
                        grantor: as_owner(item.grantor),
                        ..item
                    })
                    .collect()
            } else {
                acl::default_schema_list(OWNER)
            };
            vec![
                Cell::from(*oid),
                Cell::from(namespace_name(*oid)),
                Cell::from(oids::DATABASE_OWNER),
                Cell::from(list.iter().map(acl::item_text).collect::<Vec<_>>()),
            ]
        })
        .collect())
}
