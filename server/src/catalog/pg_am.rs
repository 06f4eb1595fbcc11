//! `pg_am`: the access methods relations report: `mindoo` for document tables (sealed entries
//! in RocksDB) and `btree` for their ordered id index.
//!
//! Invariants:
//! - Every non-zero `pg_class.relam` is listed.

use super::oids;
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_am",
    oid: 2601,
    namespace: oids::PG_CATALOG,
    view: false,
    columns: &[
        ("oid", ColType::Oid),
        ("amname", ColType::Name),
        ("amhandler", ColType::Regproc),
        ("amtype", ColType::Char),
    ],
    rows,
};

fn rows(_scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    Ok(vec![
        vec![
            Cell::from(oids::MINDOO_AM),
            Cell::from("mindoo"),
            Cell::from("-"),
            Cell::from("t"),
        ],
        vec![
            Cell::from(oids::BTREE_AM),
            Cell::from("btree"),
            Cell::from("bthandler"),
            Cell::from("i"),
        ],
    ])
}
