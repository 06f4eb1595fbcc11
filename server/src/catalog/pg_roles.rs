//! `pg_roles`: every MindooDB role, plus Postgres' predefined `pg_database_owner`, which owns
//! tables and schemas (MindooDB records no owners).
//!
//! Invariants:
//! - Passwords are never shown (`rolpassword` is `********`, as in Postgres).
//! - No role bypasses row security: without a document's key no role sees it.

use mindoodb_storage::RoleRecord;

use super::oids;
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_roles",
    oid: 12000,
    namespace: oids::PG_CATALOG,
    view: true,
    columns: &[
        ("rolname", ColType::Name),
        ("rolsuper", ColType::Bool),
        ("rolinherit", ColType::Bool),
        ("rolcreaterole", ColType::Bool),
        ("rolcreatedb", ColType::Bool),
        ("rolcanlogin", ColType::Bool),
        ("rolreplication", ColType::Bool),
        ("rolconnlimit", ColType::Int4),
        ("rolpassword", ColType::Text),
        ("rolvaliduntil", ColType::Timestamptz),
        ("rolbypassrls", ColType::Bool),
        ("rolconfig", ColType::TextArray),
        ("oid", ColType::Oid),
    ],
    rows,
};

/// The name of the role with this OID, for `pg_get_userbyid`.
pub(crate) fn role_name(roles: &[RoleRecord], oid: u32) -> Option<String> {
    if oid == oids::DATABASE_OWNER {
        return Some(DATABASE_OWNER.to_owned());
    }
    oids::roles(roles)
        .into_iter()
        .find(|(role_oid, _)| *role_oid == oid)
        .map(|(_, role)| role.name.clone())
}

/// The OID of the role with this name.
pub(crate) fn role_oid(roles: &[RoleRecord], name: &str) -> Option<u32> {
    if name == DATABASE_OWNER {
        return Some(oids::DATABASE_OWNER);
    }
    oids::roles(roles)
        .into_iter()
        .find(|(_, role)| role.name == name)
        .map(|(oid, _)| oid)
}

const DATABASE_OWNER: &str = "pg_database_owner";

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    let roles = scan.source.store.roles()?;
    let owner = RoleRecord {
        name: DATABASE_OWNER.to_owned(),
        auth: Vec::new(),
        login: false,
        superuser: false,
        inherit: true,
        member_of: Vec::new(),
        created: 0,
    };
    let mut rows: Vec<Vec<Cell>> = oids::roles(&roles)
        .into_iter()
        .map(|(oid, role)| row(oid, role))
        .collect();
    rows.push(row(oids::DATABASE_OWNER, &owner));
    Ok(rows)
}

fn row(oid: u32, role: &RoleRecord) -> Vec<Cell> {
    vec![
        Cell::from(role.name.as_str()),
        Cell::from(role.superuser),
        Cell::from(role.inherit),
        Cell::from(role.superuser),
        Cell::from(role.superuser),
        Cell::from(role.login),
        Cell::from(false),
        Cell::from(-1i32),
        Cell::from("********"),
        Cell::Null,
        Cell::from(false),
        Cell::Null,
        Cell::from(oid),
    ]
}
