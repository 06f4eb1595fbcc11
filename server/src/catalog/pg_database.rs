//! `pg_database`: the tenants, with `datacl` listing the roles granted CONNECT.
//!
//! Invariants:
//! - Every tenant is listed, as Postgres lists every database; `datacl` says who may connect
//!   (superusers always may).
//! - Encoding UTF8 and collation `C`: MindooDB stores UTF-8 and compares bytewise.

use std::collections::BTreeMap;

use super::oids;
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

/// `pg_encoding_to_char(6)`.
pub(crate) const UTF8_ENCODING: i32 = 6;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_database",
    oid: 1262,
    namespace: oids::PG_CATALOG,
    view: false,
    columns: &[
        ("oid", ColType::Oid),
        ("datname", ColType::Name),
        ("datdba", ColType::Oid),
        ("encoding", ColType::Int4),
        ("datlocprovider", ColType::Char),
        ("datistemplate", ColType::Bool),
        ("datallowconn", ColType::Bool),
        ("datconnlimit", ColType::Int4),
        ("datfrozenxid", ColType::Xid),
        ("datminmxid", ColType::Xid),
        ("dattablespace", ColType::Oid),
        ("datcollate", ColType::Text),
        ("datctype", ColType::Text),
        ("daticulocale", ColType::Text),
        ("datcollversion", ColType::Text),
        ("datacl", ColType::AclArray),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    let store = &scan.source.store;
    let mut acl: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for role in store.roles()? {
        for tenant in store.grants(&role.name)? {
            acl.entry(tenant)
                .or_default()
                .push(format!("{}=c/pg_database_owner", role.name));
        }
    }
    store
        .tenants()
        .into_iter()
        .map(|tenant| {
            Ok(vec![
                Cell::from(oids::database(tenant.id)?),
                Cell::from(tenant.name.as_str()),
                Cell::from(oids::DATABASE_OWNER),
                Cell::from(UTF8_ENCODING),
                Cell::from("c"),
                Cell::from(false),
                Cell::from(true),
                Cell::from(-1i32),
                Cell::from(0u32),
                Cell::from(1u32),
                Cell::from(oids::DEFAULT_TABLESPACE),
                Cell::from("C"),
                Cell::from("C"),
                Cell::Null,
                Cell::Null,
                Cell::from(acl.remove(&tenant.name).unwrap_or_default()),
            ])
        })
        .collect()
}
