//! `pg_indexes`: each document table's primary-key index, with its definition.
//!
//! Invariants:
//! - `indexdef` is what `pg_get_indexdef` returns for the same index.

use super::describe::index_definition;
use super::oids;
use super::relations::{namespace_name, relations};
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_indexes",
    oid: 12043,
    namespace: oids::PG_CATALOG,
    view: true,
    columns: &[
        ("schemaname", ColType::Name),
        ("tablename", ColType::Name),
        ("indexname", ColType::Name),
        ("tablespace", ColType::Name),
        ("indexdef", ColType::Text),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    Ok(relations(scan.source)?
        .iter()
        .filter_map(|relation| {
            let key = relation.primary_key.as_ref()?;
            Some(vec![
                Cell::from(namespace_name(relation.namespace)),
                Cell::from(key.table_name.as_str()),
                Cell::from(relation.name.as_str()),
                Cell::Null,
                Cell::from(index_definition(relation)),
            ])
        })
        .collect())
}
