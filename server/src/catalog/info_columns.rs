//! `information_schema.columns`: the columns of the tables and views of `relations()`.
//!
//! Invariants:
//! - `data_type` is the SQL spelling of `format_type` (`ARRAY` for arrays), `udt_name` the
//!   `pg_type` name, as in Postgres.

use super::oids;
use super::relations::{RelKind, namespace_name, relations};
use super::table::{Cell, ColType, Scan, SystemTable};
use super::types;
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "columns",
    oid: 13295,
    namespace: oids::INFORMATION_SCHEMA,
    view: true,
    columns: &[
        ("table_catalog", ColType::Name),
        ("table_schema", ColType::Name),
        ("table_name", ColType::Name),
        ("column_name", ColType::Name),
        ("ordinal_position", ColType::Int4),
        ("column_default", ColType::Text),
        ("is_nullable", ColType::Text),
        ("data_type", ColType::Text),
        ("character_maximum_length", ColType::Int4),
        ("character_octet_length", ColType::Int4),
        ("numeric_precision", ColType::Int4),
        ("numeric_precision_radix", ColType::Int4),
        ("numeric_scale", ColType::Int4),
        ("datetime_precision", ColType::Int4),
        ("interval_type", ColType::Text),
        ("interval_precision", ColType::Int4),
        ("character_set_catalog", ColType::Name),
        ("character_set_schema", ColType::Name),
        ("character_set_name", ColType::Name),
        ("collation_catalog", ColType::Name),
        ("collation_schema", ColType::Name),
        ("collation_name", ColType::Name),
        ("domain_catalog", ColType::Name),
        ("domain_schema", ColType::Name),
        ("domain_name", ColType::Name),
        ("udt_catalog", ColType::Name),
        ("udt_schema", ColType::Name),
        ("udt_name", ColType::Name),
        ("scope_catalog", ColType::Name),
        ("scope_schema", ColType::Name),
        ("scope_name", ColType::Name),
        ("maximum_cardinality", ColType::Int4),
        ("dtd_identifier", ColType::Name),
        ("is_self_referencing", ColType::Text),
        ("is_identity", ColType::Text),
        ("identity_generation", ColType::Text),
        ("identity_start", ColType::Text),
        ("identity_increment", ColType::Text),
        ("identity_maximum", ColType::Text),
        ("identity_minimum", ColType::Text),
        ("identity_cycle", ColType::Text),
        ("is_generated", ColType::Text),
        ("generation_expression", ColType::Text),
        ("is_updatable", ColType::Text),
    ],
    rows,
};

/// Largest text value, in bytes (Postgres' 1 GB).
const TEXT_OCTETS: i32 = 1_073_741_824;

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    let catalog = scan.source.tenant.name.as_str();
    let mut rows = Vec::new();
    for relation in relations(scan.source)? {
        if !matches!(relation.kind, RelKind::Table | RelKind::View) {
            continue;
        }
        for (idx, column) in relation.columns.iter().enumerate() {
            let position = i64::try_from(idx).unwrap_or(i64::MAX) + 1;
            let builtin = types::by_oid(column.type_oid);
            let data_type = match builtin {
                Some(t) if t.category == "A" => "ARRAY".to_owned(),
                Some(t) => t.sql.to_owned(),
                None => "USER-DEFINED".to_owned(),
            };
            let (precision, radix, scale): (Option<i32>, Option<i32>, Option<i32>) =
                match column.type_oid {
                    21 => (Some(16), Some(2), Some(0)),
                    23 => (Some(32), Some(2), Some(0)),
                    20 => (Some(64), Some(2), Some(0)),
                    700 => (Some(24), Some(2), None),
                    701 => (Some(53), Some(2), None),
                    1700 => (None, Some(10), None),
                    _ => (None, None, None),
                };
            let datetime_precision: Option<i32> = match column.type_oid {
                1082 => Some(0),
                1114 | 1184 => Some(6),
                _ => None,
            };
            let octets = matches!(column.type_oid, 25 | 1043).then_some(TEXT_OCTETS);
            rows.push(vec![
                Cell::from(catalog),
                Cell::from(namespace_name(relation.namespace)),
                Cell::from(relation.name.as_str()),
                Cell::from(column.name.as_str()),
                Cell::Int(position),
                Cell::Null,
                Cell::from(if column.not_null { "NO" } else { "YES" }),
                Cell::from(data_type),
                Cell::Null,
                Cell::from(octets),
                Cell::from(precision),
                Cell::from(radix),
                Cell::from(scale),
                Cell::from(datetime_precision),
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::from(catalog),
                Cell::from("pg_catalog"),
                Cell::from(builtin.map(|t| t.name)),
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::from(position.to_string()),
                Cell::from("NO"),
                Cell::from("NO"),
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::from("NO"),
                Cell::from("NEVER"),
                Cell::Null,
                Cell::from(if relation.stored { "YES" } else { "NO" }),
            ]);
        }
    }
    Ok(rows)
}
