//! `pg_namespace`: the schemas: `pg_catalog`, `public` (the tenant's document tables),
//! `information_schema` and `mindoo` (MindooDB's system functions).
//!
//! Invariants:
//! - Every relation's `relnamespace` and every function's schema is listed here.

use super::oids;
use super::relations::namespace_name;
use super::table::{Cell, ColType, Scan, SystemTable};
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

fn rows(_scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    Ok(ALL
        .iter()
        .map(|oid| {
            vec![
                Cell::from(*oid),
                Cell::from(namespace_name(*oid)),
                Cell::from(oids::DATABASE_OWNER),
            ]
        })
        .collect())
}
