//! `pg_auth_members`: one row per role membership (`GRANT g TO u`), with its grantor and
//! whether it carries the admin option; psql's `\du` "Member of" and drivers' role
//! inspection read it.
//!
//! Invariants:
//! - Rows come from the roles' own membership records, so they say what every privilege
//!   check uses; a membership whose role or grantor was since dropped names OID 0 for it,
//!   never another role.

use super::table::{Cell, ColType, Scan, SystemTable};
use super::{oids, pg_roles};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_auth_members",
    oid: 1261,
    namespace: oids::PG_CATALOG,
    view: false,
    columns: &[
        ("roleid", ColType::Oid),
        ("member", ColType::Oid),
        ("grantor", ColType::Oid),
        ("admin_option", ColType::Bool),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    let roles = scan.source.store.roles()?;
    let oid = |name: &str| pg_roles::role_oid(&roles, name).unwrap_or(0);
    Ok(roles
        .iter()
        .flat_map(|member| {
            member.member_of.iter().map(|membership| {
                vec![
                    Cell::from(oid(&membership.role)),
                    Cell::from(oid(&member.name)),
                    Cell::from(oid(&membership.grantor)),
                    Cell::from(membership.admin),
                ]
            })
        })
        .collect())
}
