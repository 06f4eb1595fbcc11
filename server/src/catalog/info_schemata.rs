//! `information_schema.schemata`: the schemas of `pg_namespace`.
//!
//! Invariants:
//! - Same schemas, in the same order, as `pg_namespace`.

use super::oids;
use super::pg_namespace::ALL;
use super::relations::namespace_name;
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "schemata",
    oid: 13382,
    namespace: oids::INFORMATION_SCHEMA,
    view: true,
    columns: &[
        ("catalog_name", ColType::Name),
        ("schema_name", ColType::Name),
        ("schema_owner", ColType::Name),
        ("default_character_set_catalog", ColType::Name),
        ("default_character_set_schema", ColType::Name),
        ("default_character_set_name", ColType::Name),
        ("sql_path", ColType::Text),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    let catalog = scan.source.tenant.name.as_str();
    Ok(ALL
        .iter()
        .map(|oid| {
            vec![
                Cell::from(catalog),
                Cell::from(namespace_name(*oid)),
                Cell::from("pg_database_owner"),
            ]
        })
        .collect())
}
