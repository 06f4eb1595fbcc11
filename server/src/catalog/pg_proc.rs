//! `pg_proc`: the functions a session can call, by name and kind (`f` scalar, `a` aggregate,
//! `w` window), from the DataFusion session that plans its queries.
//!
//! Invariants:
//! - Lists exactly the functions the planner resolves; argument and result types are not
//!   recorded (DataFusion signatures are not Postgres signatures), so `proargtypes` is empty
//!   and `prorettype` is `anyelement`.
//! - OIDs are stable per name (FNV-1a in the user range), not Postgres' function OIDs.

use super::oids;
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_proc",
    oid: 1255,
    namespace: oids::PG_CATALOG,
    view: false,
    columns: &[
        ("oid", ColType::Oid),
        ("proname", ColType::Name),
        ("pronamespace", ColType::Oid),
        ("proowner", ColType::Oid),
        ("prolang", ColType::Oid),
        ("procost", ColType::Float4),
        ("prorows", ColType::Float4),
        ("provariadic", ColType::Oid),
        ("prosupport", ColType::Regproc),
        ("prokind", ColType::Char),
        ("prosecdef", ColType::Bool),
        ("proleakproof", ColType::Bool),
        ("proisstrict", ColType::Bool),
        ("proretset", ColType::Bool),
        ("provolatile", ColType::Char),
        ("proparallel", ColType::Char),
        ("pronargs", ColType::Int2),
        ("pronargdefaults", ColType::Int2),
        ("prorettype", ColType::Oid),
        ("proargtypes", ColType::OidVector),
        ("proallargtypes", ColType::OidArray),
        ("proargmodes", ColType::CharArray),
        ("proargnames", ColType::TextArray),
        ("proargdefaults", ColType::NodeTree),
        ("protrftypes", ColType::OidArray),
        ("prosrc", ColType::Text),
        ("probin", ColType::Text),
        ("prosqlbody", ColType::NodeTree),
        ("proconfig", ColType::TextArray),
        ("proacl", ColType::AclArray),
    ],
    rows,
};

/// `internal`: functions built into the server.
const INTERNAL_LANGUAGE: u32 = 12;
/// `anyelement`.
const ANY_ELEMENT: u32 = 2283;

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    let mut functions: Vec<(String, &str)> = scan
        .df
        .scalar_functions()
        .keys()
        .map(|name| (name.clone(), "f"))
        .chain(
            scan.df
                .aggregate_functions()
                .keys()
                .map(|name| (name.clone(), "a")),
        )
        .chain(
            scan.df
                .window_functions()
                .keys()
                .map(|name| (name.clone(), "w")),
        )
        .collect();
    functions.sort();
    functions.dedup_by(|a, b| a.0 == b.0);
    Ok(functions
        .into_iter()
        .map(|(name, kind)| {
            vec![
                Cell::from(oids::from_name(&name)),
                Cell::from(name),
                Cell::from(oids::PG_CATALOG),
                Cell::from(oids::DATABASE_OWNER),
                Cell::from(INTERNAL_LANGUAGE),
                Cell::from(1.0f32),
                Cell::from(0.0f32),
                Cell::from(0u32),
                Cell::from("-"),
                Cell::from(kind),
                Cell::from(false),
                Cell::from(false),
                Cell::from(false),
                Cell::from(false),
                Cell::from("s"),
                Cell::from("s"),
                Cell::from(0i16),
                Cell::from(0i16),
                Cell::from(ANY_ELEMENT),
                Cell::from(Vec::<u32>::new()),
            ]
        })
        .collect())
}
