//! `pg_settings`: the session's parameters, as SHOW ALL reports them.
//!
//! Invariants:
//! - `mindoo.keys` shows only the names and versions of held keys, never a key.

use super::oids;
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_settings",
    oid: 12104,
    namespace: oids::PG_CATALOG,
    view: true,
    columns: &[
        ("name", ColType::Text),
        ("setting", ColType::Text),
        ("unit", ColType::Text),
        ("category", ColType::Text),
        ("short_desc", ColType::Text),
        ("extra_desc", ColType::Text),
        ("context", ColType::Text),
        ("vartype", ColType::Text),
        ("source", ColType::Text),
        ("min_val", ColType::Text),
        ("max_val", ColType::Text),
        ("enumvals", ColType::TextArray),
        ("boot_val", ColType::Text),
        ("reset_val", ColType::Text),
        ("sourcefile", ColType::Text),
        ("sourceline", ColType::Int4),
        ("pending_restart", ColType::Bool),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    let mut all: Vec<(String, String)> = scan
        .source
        .settings
        .all(&(scan.source.held_keys)())
        .into_iter()
        .collect();
    all.sort();
    Ok(all
        .into_iter()
        .map(|(name, setting)| {
            vec![
                Cell::from(name),
                Cell::from(setting),
                Cell::Null,
                Cell::from("Ungrouped"),
                Cell::from(""),
                Cell::Null,
                Cell::from("user"),
                Cell::from("string"),
                Cell::from("session"),
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::from(false),
            ]
        })
        .collect())
}
