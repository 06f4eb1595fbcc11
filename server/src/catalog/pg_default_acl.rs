//! `pg_default_acl`: the default privileges `ALTER DEFAULT PRIVILEGES` set, one row per role
//! that has some, for the tables (and views) it creates from then on.
//!
//! Invariants:
//! - `defaclacl` is the list a relation the role creates starts with (`acl::default_privileges`:
//!   the role's own privileges and the default grants, sorted by grantee then grantor OID),
//!   as PostgreSQL stores it.
//! - MindooDB keeps one set of default privileges per role for its one schema, so every row
//!   is global (`defaclnamespace` 0) and for tables (`defaclobjtype` `r`).

use super::table::{Cell, ColType, Scan, SystemTable};
use super::{acl, oids, pg_roles};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_default_acl",
    oid: 826,
    namespace: oids::PG_CATALOG,
    view: false,
    columns: &[
        ("oid", ColType::Oid),
        ("defaclrole", ColType::Oid),
        ("defaclnamespace", ColType::Oid),
        ("defaclobjtype", ColType::Char),
        ("defaclacl", ColType::AclArray),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    let roles = scan.source.store.roles()?;
    let tenant = scan.source.store.tenant_access(scan.source.tenant.id);
    Ok(tenant
        .defaults
        .iter()
        .filter_map(|defaults| {
            // A default set by a role since dropped has nobody to apply to.
            let role = pg_roles::role_oid(&roles, &defaults.owner)?;
            let list = acl::default_privileges(&defaults.owner, &defaults.items, &roles);
            Some(vec![
                Cell::from(oids::from_name(&format!(
                    "pg_default_acl {}",
                    defaults.owner
                ))),
                Cell::from(role),
                Cell::from(0u32),
                Cell::from("r"),
                Cell::from(list.iter().map(acl::item_text).collect::<Vec<_>>()),
            ])
        })
        .collect())
}
