//! `information_schema.views`: the views of `relations()`.
//!
//! Invariants:
//! - Same relations as `information_schema.tables` rows of type `VIEW`.

use super::oids;
use super::relations::{RelKind, namespace_name, relations};
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "views",
    oid: 13483,
    namespace: oids::INFORMATION_SCHEMA,
    view: true,
    columns: &[
        ("table_catalog", ColType::Name),
        ("table_schema", ColType::Name),
        ("table_name", ColType::Name),
        ("view_definition", ColType::Text),
        ("check_option", ColType::Text),
        ("is_updatable", ColType::Text),
        ("is_insertable_into", ColType::Text),
        ("is_trigger_updatable", ColType::Text),
        ("is_trigger_deletable", ColType::Text),
        ("is_trigger_insertable_into", ColType::Text),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    let catalog = scan.source.tenant.name.as_str();
    Ok(relations(scan.source)?
        .iter()
        .filter(|r| r.kind == RelKind::View)
        .map(|relation| {
            vec![
                Cell::from(catalog),
                Cell::from(namespace_name(relation.namespace)),
                Cell::from(relation.name.as_str()),
                Cell::from(relation.definition.clone()),
                Cell::from("NONE"),
                Cell::from("NO"),
                Cell::from("NO"),
                Cell::from("NO"),
                Cell::from("NO"),
                Cell::from("NO"),
            ]
        })
        .collect())
}
