//! `information_schema.tables`: the tables and views of `relations()`.
//!
//! Invariants:
//! - `table_catalog` is the tenant (the database the session is connected to).

use super::oids;
use super::relations::{RelKind, namespace_name, relations};
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "tables",
    oid: 13425,
    namespace: oids::INFORMATION_SCHEMA,
    view: true,
    columns: &[
        ("table_catalog", ColType::Name),
        ("table_schema", ColType::Name),
        ("table_name", ColType::Name),
        ("table_type", ColType::Text),
        ("self_referencing_column_name", ColType::Name),
        ("reference_generation", ColType::Text),
        ("user_defined_type_catalog", ColType::Name),
        ("user_defined_type_schema", ColType::Name),
        ("user_defined_type_name", ColType::Name),
        ("is_insertable_into", ColType::Text),
        ("is_typed", ColType::Text),
        ("commit_action", ColType::Text),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    let catalog = scan.source.tenant.name.as_str();
    Ok(relations(scan.source)?
        .iter()
        .filter(|r| matches!(r.kind, RelKind::Table | RelKind::View))
        .map(|relation| {
            let table_type = if relation.kind == RelKind::View {
                "VIEW"
            } else {
                "BASE TABLE"
            };
            vec![
                Cell::from(catalog),
                Cell::from(namespace_name(relation.namespace)),
                Cell::from(relation.name.as_str()),
                Cell::from(table_type),
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::from(if relation.stored { "YES" } else { "NO" }),
                Cell::from("NO"),
            ]
        })
        .collect())
}
