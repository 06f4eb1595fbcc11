//! `pg_default_acl`: the default privileges `ALTER DEFAULT PRIVILEGES` set, one row per role
//! that has some, for the tables (and views) it creates from then on.
//!
//! Invariants:
//! - A global row (`defaclnamespace` 0) holds the list a relation the role creates starts with
//!   (`acl::default_privileges`: the role's own privileges and the default grants, sorted by
//!   grantee then grantor OID); a row of schema `public` (`IN SCHEMA public`) holds only the
//!   grants added there, as PostgreSQL stores both.
//! - Every row is for tables (`defaclobjtype` `r`): ALTER DEFAULT PRIVILEGES takes ON TABLES only.

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
            let (list, namespace, name) = match &defaults.schema {
                None => (
                    acl::default_privileges(&defaults.owner, &defaults.items, &roles),
                    0,
                    format!("pg_default_acl {}", defaults.owner),
                ),
                Some(schema) => {
                    let mut list = defaults.items.clone();
                    acl::sort_items(&mut list, &roles);
                    let name = format!("pg_default_acl {} in {schema}", defaults.owner);
                    (list, oids::PUBLIC, name)
                }
            };
            Some(vec![
                Cell::from(oids::from_name(&name)),
                Cell::from(role),
                Cell::from(namespace),
                Cell::from("r"),
                Cell::from(list.iter().map(acl::item_text).collect::<Vec<_>>()),
            ])
        })
        .collect())
}
