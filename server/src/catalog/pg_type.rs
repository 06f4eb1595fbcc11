//! `pg_type`: the built-in types (see `types.rs`), all in `pg_catalog`.
//!
//! Invariants:
//! - Relations have no row types (`pg_class.reltype` is 0), so no composite types appear.

use super::oids;
use super::table::{Cell, ColType, Scan, SystemTable};
use super::types::BUILTIN;
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_type",
    oid: 1247,
    namespace: oids::PG_CATALOG,
    view: false,
    columns: &[
        ("oid", ColType::Oid),
        ("typname", ColType::Name),
        ("typnamespace", ColType::Oid),
        ("typowner", ColType::Oid),
        ("typlen", ColType::Int2),
        ("typbyval", ColType::Bool),
        ("typtype", ColType::Char),
        ("typcategory", ColType::Char),
        ("typispreferred", ColType::Bool),
        ("typisdefined", ColType::Bool),
        ("typdelim", ColType::Char),
        ("typrelid", ColType::Oid),
        ("typsubscript", ColType::Regproc),
        ("typelem", ColType::Oid),
        ("typarray", ColType::Oid),
        ("typinput", ColType::Regproc),
        ("typoutput", ColType::Regproc),
        ("typreceive", ColType::Regproc),
        ("typsend", ColType::Regproc),
        ("typmodin", ColType::Regproc),
        ("typmodout", ColType::Regproc),
        ("typanalyze", ColType::Regproc),
        ("typalign", ColType::Char),
        ("typstorage", ColType::Char),
        ("typnotnull", ColType::Bool),
        ("typbasetype", ColType::Oid),
        ("typtypmod", ColType::Int4),
        ("typndims", ColType::Int4),
        ("typcollation", ColType::Oid),
        ("typdefaultbin", ColType::NodeTree),
        ("typdefault", ColType::Text),
        ("typacl", ColType::AclArray),
    ],
    rows,
};

fn rows(_scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    Ok(BUILTIN
        .iter()
        .map(|t| {
            let is_array = t.category == "A" && t.elem != 0;
            vec![
                Cell::from(t.oid),
                Cell::from(t.name),
                Cell::from(oids::PG_CATALOG),
                Cell::from(oids::DATABASE_OWNER),
                Cell::from(t.len),
                Cell::from(t.byval),
                Cell::from(t.kind),
                Cell::from(t.category),
                Cell::from(t.preferred),
                Cell::from(true),
                Cell::from(","),
                Cell::from(0u32),
                Cell::from(if is_array {
                    "array_subscript_handler"
                } else {
                    "-"
                }),
                Cell::from(t.elem),
                Cell::from(t.array),
                Cell::from(t.input),
                Cell::from(t.output),
                Cell::from(t.receive),
                Cell::from(t.send),
                Cell::from("-"),
                Cell::from("-"),
                Cell::from(if is_array { "array_typanalyze" } else { "-" }),
                Cell::from(t.align),
                Cell::from(t.storage),
                Cell::from(false),
                Cell::from(0u32),
                Cell::from(-1i32),
                Cell::from(0i32),
                Cell::from(t.collation),
            ]
        })
        .collect())
}
