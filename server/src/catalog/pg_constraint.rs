//! `pg_constraint`: each document table's primary key on `id`.
//!
//! Invariants:
//! - One row per primary-key index of `relations()`; no checks, foreign keys or exclusions
//!   exist.

use super::oids;
use super::relations::relations;
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_constraint",
    oid: 2606,
    namespace: oids::PG_CATALOG,
    view: false,
    columns: &[
        ("oid", ColType::Oid),
        ("conname", ColType::Name),
        ("connamespace", ColType::Oid),
        ("contype", ColType::Char),
        ("condeferrable", ColType::Bool),
        ("condeferred", ColType::Bool),
        ("convalidated", ColType::Bool),
        ("conrelid", ColType::Oid),
        ("contypid", ColType::Oid),
        ("conindid", ColType::Oid),
        ("conparentid", ColType::Oid),
        ("confrelid", ColType::Oid),
        ("confupdtype", ColType::Char),
        ("confdeltype", ColType::Char),
        ("confmatchtype", ColType::Char),
        ("conislocal", ColType::Bool),
        ("coninhcount", ColType::Int4),
        ("connoinherit", ColType::Bool),
        ("conkey", ColType::Int2Array),
        ("confkey", ColType::Int2Array),
        ("conpfeqop", ColType::OidArray),
        ("conppeqop", ColType::OidArray),
        ("conffeqop", ColType::OidArray),
        ("confdelsetcols", ColType::Int2Array),
        ("conexclop", ColType::OidArray),
        ("conbin", ColType::NodeTree),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    Ok(relations(scan.source)?
        .iter()
        .filter_map(|relation| {
            let key = relation.primary_key.as_ref()?;
            Some(vec![
                Cell::from(key.constraint),
                Cell::from(relation.name.as_str()),
                Cell::from(relation.namespace),
                Cell::from("p"),
                Cell::from(false),
                Cell::from(false),
                Cell::from(true),
                Cell::from(key.table),
                Cell::from(0u32),
                Cell::from(relation.oid),
                Cell::from(0u32),
                Cell::from(0u32),
                Cell::from(" "),
                Cell::from(" "),
                Cell::from(" "),
                Cell::from(true),
                Cell::from(0i32),
                Cell::from(true),
                Cell::Ints(key.columns.clone()),
            ])
        })
        .collect())
}
