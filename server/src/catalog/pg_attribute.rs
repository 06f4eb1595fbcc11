//! `pg_attribute`: the columns of every relation of `relations()`, numbered from 1.
//!
//! Invariants:
//! - `atttypid` is the type the wire reports for the column (`jsonb` for `data`), so
//!   `format_type` and RowDescription agree.
//! - No defaults, identities, generated columns or dropped columns exist.

use super::oids;
use super::relations::relations;
use super::table::{Cell, ColType, Scan, SystemTable};
use super::types;
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_attribute",
    oid: 1249,
    namespace: oids::PG_CATALOG,
    view: false,
    columns: &[
        ("attrelid", ColType::Oid),
        ("attname", ColType::Name),
        ("atttypid", ColType::Oid),
        ("attstattarget", ColType::Int4),
        ("attlen", ColType::Int2),
        ("attnum", ColType::Int2),
        ("attndims", ColType::Int4),
        ("attcacheoff", ColType::Int4),
        ("atttypmod", ColType::Int4),
        ("attbyval", ColType::Bool),
        ("attalign", ColType::Char),
        ("attstorage", ColType::Char),
        ("attcompression", ColType::Char),
        ("attnotnull", ColType::Bool),
        ("atthasdef", ColType::Bool),
        ("atthasmissing", ColType::Bool),
        ("attidentity", ColType::Char),
        ("attgenerated", ColType::Char),
        ("attisdropped", ColType::Bool),
        ("attislocal", ColType::Bool),
        ("attinhcount", ColType::Int4),
        ("attcollation", ColType::Oid),
        ("attacl", ColType::AclArray),
        ("attoptions", ColType::TextArray),
        ("attfdwoptions", ColType::TextArray),
        ("attmissingval", ColType::Text),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    let mut rows = Vec::new();
    for relation in relations(scan.source)? {
        for (idx, column) in relation.columns.iter().enumerate() {
            let builtin = types::by_oid(column.type_oid);
            let is_array = builtin.is_some_and(|t| t.category == "A");
            rows.push(vec![
                Cell::from(relation.oid),
                Cell::from(column.name.as_str()),
                Cell::from(column.type_oid),
                Cell::from(-1i32),
                Cell::from(builtin.map_or(-1, |t| t.len)),
                Cell::Int(i64::try_from(idx).unwrap_or(i64::MAX) + 1),
                Cell::from(i32::from(is_array)),
                Cell::from(-1i32),
                Cell::from(-1i32),
                Cell::from(builtin.is_some_and(|t| t.byval)),
                Cell::from(builtin.map_or("i", |t| t.align)),
                Cell::from(builtin.map_or("x", |t| t.storage)),
                Cell::from(""),
                Cell::from(column.not_null),
                Cell::from(false),
                Cell::from(false),
                Cell::from(""),
                Cell::from(""),
                Cell::from(false),
                Cell::from(true),
                Cell::from(0i32),
                Cell::from(builtin.map_or(0, |t| t.collation)),
            ]);
        }
    }
    Ok(rows)
}
