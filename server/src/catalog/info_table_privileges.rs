//! `information_schema.table_privileges` and `role_table_grants`: one row per privilege in
//! the list of each table and view (`aclexplode` of `relacl`, or of the default list when
//! there is none), as PostgreSQL 15's view definitions derive them.
//!
//! Invariants:
//! - A row is shown only when the current role uses the grantor's or the grantee's privileges
//!   (`pg_has_role(..., 'USAGE')`), or, in `table_privileges`, when the grantee is PUBLIC;
//!   a superuser uses every role's.
//! - `is_grantable` is YES when the grant carries the grant option or the grantee uses the
//!   owner's privileges; `with_hierarchy` is YES for SELECT.
//! - The columns have PostgreSQL's names; their information-schema domains (`sql_identifier`,
//!   `character_data`, `yes_or_no`) travel as their base types `name` and `varchar`, as
//!   PostgreSQL sends them.

use mindoodb_storage::RoleRecord;

use super::acl::{self, Subject};
use super::relations::{RelKind, namespace_name, relations};
use super::table::{Cell, ColType, Scan, SystemTable};
use super::{oids, pg_roles};
use crate::error::Result;

const COLUMNS: &[(&str, ColType)] = &[
    ("grantor", ColType::Name),
    ("grantee", ColType::Name),
    ("table_catalog", ColType::Name),
    ("table_schema", ColType::Name),
    ("table_name", ColType::Name),
    ("privilege_type", ColType::Varchar),
    ("is_grantable", ColType::Varchar),
    ("with_hierarchy", ColType::Varchar),
];

pub(crate) const TABLE_PRIVILEGES: SystemTable = SystemTable {
    name: "table_privileges",
    oid: 13416,
    namespace: oids::INFORMATION_SCHEMA,
    view: true,
    columns: COLUMNS,
    rows: table_privileges,
};

pub(crate) const ROLE_TABLE_GRANTS: SystemTable = SystemTable {
    name: "role_table_grants",
    oid: 13421,
    namespace: oids::INFORMATION_SCHEMA,
    view: true,
    columns: COLUMNS,
    rows: role_table_grants,
};

fn table_privileges(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    rows(scan, true)
}

fn role_table_grants(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    rows(scan, false)
}

/// The rows the current role sees; with `public`, also those granted to PUBLIC.
fn rows(scan: &Scan<'_>, public: bool) -> Result<Vec<Vec<Cell>>> {
    let store = &scan.source.store;
    let roles = store.roles()?;
    let tenant = store.tenant_access(scan.source.tenant.id);
    let current = Subject::of(store, &scan.source.current_role())?;
    let catalog = scan.source.tenant.name.as_str();
    let mut out = Vec::new();
    for relation in relations(scan.source)? {
        if !matches!(relation.kind, RelKind::Table | RelKind::View) {
            continue;
        }
        let (owner, list) = match &relation.access {
            Some(access) => (
                acl::relation_owner(access, &tenant),
                acl::relation_list(access, &tenant),
            ),
            None => ("pg_database_owner".to_owned(), acl::system_relation_list()),
        };
        for item in &list {
            let grantee = if item.grantee.is_empty() {
                "PUBLIC"
            } else {
                item.grantee.as_str()
            };
            let known = |name: &str| pg_roles::role_oid(&roles, name).is_some();
            if !known(&item.grantor) || !(item.grantee.is_empty() || known(&item.grantee)) {
                continue;
            }
            let shown = current.uses(&item.grantor)
                || current.uses(&item.grantee)
                || (public && item.grantee.is_empty());
            if !shown {
                continue;
            }
            let grantee_is_owner = !item.grantee.is_empty() && uses(&roles, grantee, &owner);
            for (bit, privilege) in acl::names(item.privileges & acl::TABLE_ALL) {
                let grantable = grantee_is_owner || item.grant_options & bit != 0;
                out.push(vec![
                    Cell::from(item.grantor.as_str()),
                    Cell::from(grantee),
                    Cell::from(catalog),
                    Cell::from(namespace_name(relation.namespace)),
                    Cell::from(relation.name.as_str()),
                    Cell::from(privilege),
                    Cell::from(yes_or_no(grantable)),
                    Cell::from(yes_or_no(bit == acl::SELECT)),
                ]);
            }
        }
    }
    Ok(out)
}

/// True when `role` uses the privileges of `other` (`pg_has_role(role, other, 'USAGE')`):
/// it is `other`, a superuser, or a member of `other` through inheriting roles.
fn uses(roles: &[RoleRecord], role: &str, other: &str) -> bool {
    roles.iter().any(|r| r.name == role && r.superuser)
        || acl::reachable(roles, role, true).contains(other)
}

fn yes_or_no(value: bool) -> &'static str {
    if value { "YES" } else { "NO" }
}
