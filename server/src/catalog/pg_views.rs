//! `pg_views`: the views of `relations()`, with their definitions where MindooDB has them.
//!
//! Invariants:
//! - Same relations as `pg_class` rows of kind `v`.

use super::oids;
use super::relations::{RelKind, namespace_name, relations};
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_views",
    oid: 12028,
    namespace: oids::PG_CATALOG,
    view: true,
    columns: &[
        ("schemaname", ColType::Name),
        ("viewname", ColType::Name),
        ("viewowner", ColType::Name),
        ("definition", ColType::Text),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    Ok(relations(scan.source)?
        .iter()
        .filter(|r| r.kind == RelKind::View)
        .map(|relation| {
            vec![
                Cell::from(namespace_name(relation.namespace)),
                Cell::from(relation.name.as_str()),
                Cell::from("pg_database_owner"),
                Cell::from(relation.definition.clone()),
            ]
        })
        .collect())
}
