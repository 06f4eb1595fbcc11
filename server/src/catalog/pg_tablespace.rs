//! `pg_tablespace`: `pg_default` and `pg_global`; a data directory is one RocksDB store.
//!
//! Invariants:
//! - `pg_database.dattablespace` names a listed tablespace.

use super::oids;
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_tablespace",
    oid: 1213,
    namespace: oids::PG_CATALOG,
    view: false,
    columns: &[
        ("oid", ColType::Oid),
        ("spcname", ColType::Name),
        ("spcowner", ColType::Oid),
        ("spcacl", ColType::AclArray),
        ("spcoptions", ColType::TextArray),
    ],
    rows,
};

fn rows(_scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    Ok([
        (oids::DEFAULT_TABLESPACE, "pg_default"),
        (oids::GLOBAL_TABLESPACE, "pg_global"),
    ]
    .into_iter()
    .map(|(oid, name)| {
        vec![
            Cell::from(oid),
            Cell::from(name),
            Cell::from(oids::DATABASE_OWNER),
        ]
    })
    .collect())
}
