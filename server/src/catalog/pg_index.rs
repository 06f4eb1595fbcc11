//! `pg_index`: the primary-key index on `id` that every document table has (document ids are
//! unique and stored in id order).
//!
//! Invariants:
//! - One row per primary-key relation of `relations()`.

use super::oids;
use super::relations::relations;
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_index",
    oid: 2610,
    namespace: oids::PG_CATALOG,
    view: false,
    columns: &[
        ("indexrelid", ColType::Oid),
        ("indrelid", ColType::Oid),
        ("indnatts", ColType::Int2),
        ("indnkeyatts", ColType::Int2),
        ("indisunique", ColType::Bool),
        ("indnullsnotdistinct", ColType::Bool),
        ("indisprimary", ColType::Bool),
        ("indisexclusion", ColType::Bool),
        ("indimmediate", ColType::Bool),
        ("indisclustered", ColType::Bool),
        ("indisvalid", ColType::Bool),
        ("indcheckxmin", ColType::Bool),
        ("indisready", ColType::Bool),
        ("indislive", ColType::Bool),
        ("indisreplident", ColType::Bool),
        ("indkey", ColType::Int2Vector),
        ("indcollation", ColType::OidVector),
        ("indclass", ColType::OidVector),
        ("indoption", ColType::Int2Vector),
        ("indexprs", ColType::NodeTree),
        ("indpred", ColType::NodeTree),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    Ok(relations(scan.source)?
        .iter()
        .filter_map(|relation| {
            let key = relation.primary_key.as_ref()?;
            let n_keys = i64::try_from(key.columns.len()).unwrap_or(i64::MAX);
            let per_key = |value: u32| vec![value; key.columns.len()];
            Some(vec![
                Cell::from(relation.oid),
                Cell::from(key.table),
                Cell::Int(n_keys),
                Cell::Int(n_keys),
                Cell::from(true),
                Cell::from(false),
                Cell::from(true),
                Cell::from(false),
                Cell::from(true),
                Cell::from(false),
                Cell::from(true),
                Cell::from(false),
                Cell::from(true),
                Cell::from(true),
                Cell::from(false),
                Cell::Ints(key.columns.clone()),
                Cell::from(per_key(oids::C_COLLATION)),
                Cell::from(per_key(oids::TEXT_BTREE_OPS)),
                Cell::Ints(vec![0; key.columns.len()]),
            ])
        })
        .collect())
}
