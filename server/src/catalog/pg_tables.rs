//! `pg_tables`: the tables of `relations()` (document tables and system catalogs).
//!
//! Invariants:
//! - Same relations as `pg_class` rows of kind `r`.

use super::oids;
use super::relations::{RelKind, namespace_name, relations};
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_tables",
    oid: 12033,
    namespace: oids::PG_CATALOG,
    view: true,
    columns: &[
        ("schemaname", ColType::Name),
        ("tablename", ColType::Name),
        ("tableowner", ColType::Name),
        ("tablespace", ColType::Name),
        ("hasindexes", ColType::Bool),
        ("hasrules", ColType::Bool),
        ("hastriggers", ColType::Bool),
        ("rowsecurity", ColType::Bool),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    Ok(relations(scan.source)?
        .iter()
        .filter(|r| r.kind == RelKind::Table)
        .map(|relation| {
            vec![
                Cell::from(namespace_name(relation.namespace)),
                Cell::from(relation.name.as_str()),
                Cell::from("pg_database_owner"),
                Cell::Null,
                Cell::from(relation.stored),
                Cell::from(false),
                Cell::from(false),
                Cell::from(relation.stored),
            ]
        })
        .collect())
}
