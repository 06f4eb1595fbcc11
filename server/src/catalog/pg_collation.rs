//! `pg_collation`: `default`, `C` and `POSIX`, the byte-order collations MindooDB compares
//! text with.
//!
//! Invariants:
//! - Every `attcollation`/`typcollation` OID is listed.

use super::oids;
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_collation",
    oid: 3456,
    namespace: oids::PG_CATALOG,
    view: false,
    columns: &[
        ("oid", ColType::Oid),
        ("collname", ColType::Name),
        ("collnamespace", ColType::Oid),
        ("collowner", ColType::Oid),
        ("collprovider", ColType::Char),
        ("collisdeterministic", ColType::Bool),
        ("collencoding", ColType::Int4),
        ("collcollate", ColType::Text),
        ("collctype", ColType::Text),
        ("colliculocale", ColType::Text),
        ("collversion", ColType::Text),
    ],
    rows,
};

fn rows(_scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    Ok([
        (oids::DEFAULT_COLLATION, "default", "d", None),
        (oids::C_COLLATION, "C", "c", Some("C")),
        (oids::POSIX_COLLATION, "POSIX", "c", Some("POSIX")),
    ]
    .into_iter()
    .map(|(oid, name, provider, locale)| {
        vec![
            Cell::from(oid),
            Cell::from(name),
            Cell::from(oids::PG_CATALOG),
            Cell::from(oids::DATABASE_OWNER),
            Cell::from(provider),
            Cell::from(true),
            Cell::from(-1i32),
            Cell::from(locale),
            Cell::from(locale),
        ]
    })
    .collect())
}
