//! `pg_user`: the roles that may log in.
//!
//! Invariants:
//! - Same facts as `pg_roles`, never a password.

use super::oids;
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_user",
    oid: 12014,
    namespace: oids::PG_CATALOG,
    view: true,
    columns: &[
        ("usename", ColType::Name),
        ("usesysid", ColType::Oid),
        ("usecreatedb", ColType::Bool),
        ("usesuper", ColType::Bool),
        ("userepl", ColType::Bool),
        ("usebypassrls", ColType::Bool),
        ("passwd", ColType::Text),
        ("valuntil", ColType::Timestamptz),
        ("useconfig", ColType::TextArray),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    let roles = scan.source.store.roles()?;
    Ok(oids::roles(&roles)
        .into_iter()
        .filter(|(_, role)| role.login)
        .map(|(oid, role)| {
            vec![
                Cell::from(role.name.as_str()),
                Cell::from(oid),
                Cell::from(role.superuser),
                Cell::from(role.superuser),
                Cell::from(false),
                Cell::from(false),
                Cell::from("********"),
            ]
        })
        .collect())
}
