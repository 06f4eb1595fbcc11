//! `pg_class`: every relation of `relations()`: document tables (`r`), their primary-key
//! indexes (`i`), and the system tables and views.
//!
//! Invariants:
//! - Document tables report row security on: rows sealed under keys the session does not
//!   hold are invisible to every role, the owner included (`relforcerowsecurity`).
//! - A table created `WITH (key = ...)` shows it in `reloptions`, as do `read_only=true` and
//!   `audit_reads=on` when set (`ALTER TABLE ... SET (...)`).
//! - `relowner` and `relacl` are the table's or view's owner and grants; `relacl` is NULL
//!   until the first GRANT, as in PostgreSQL. System relations have the list initdb gives
//!   PostgreSQL's (`acl::system_relation_list`); indexes have none.

use mindoodb_storage::Access;

use super::relations::{RelKind, Relation, relations};
use super::table::{Cell, ColType, Scan, SystemTable};
use super::{acl, oids, pg_roles};
use crate::error::Result;

pub(crate) const TABLE: SystemTable = SystemTable {
    name: "pg_class",
    oid: oids::PG_CLASS,
    namespace: oids::PG_CATALOG,
    view: false,
    columns: &[
        ("oid", ColType::Oid),
        ("relname", ColType::Name),
        ("relnamespace", ColType::Oid),
        ("reltype", ColType::Oid),
        ("reloftype", ColType::Oid),
        ("relowner", ColType::Oid),
        ("relam", ColType::Oid),
        ("relfilenode", ColType::Oid),
        ("reltablespace", ColType::Oid),
        ("relpages", ColType::Int4),
        ("reltuples", ColType::Float4),
        ("relallvisible", ColType::Int4),
        ("reltoastrelid", ColType::Oid),
        ("relhasindex", ColType::Bool),
        ("relisshared", ColType::Bool),
        ("relpersistence", ColType::Char),
        ("relkind", ColType::Char),
        ("relnatts", ColType::Int2),
        ("relchecks", ColType::Int2),
        ("relhasrules", ColType::Bool),
        ("relhastriggers", ColType::Bool),
        ("relhassubclass", ColType::Bool),
        ("relrowsecurity", ColType::Bool),
        ("relforcerowsecurity", ColType::Bool),
        ("relispopulated", ColType::Bool),
        ("relreplident", ColType::Char),
        ("relispartition", ColType::Bool),
        ("relrewrite", ColType::Oid),
        ("relfrozenxid", ColType::Xid),
        ("relminmxid", ColType::Xid),
        ("relacl", ColType::AclArray),
        ("reloptions", ColType::TextArray),
        ("relpartbound", ColType::NodeTree),
    ],
    rows,
};

fn rows(scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    let all = relations(scan.source)?;
    let roles = scan.source.store.roles()?;
    let tenant = scan.source.store.tenant_access(scan.source.tenant.id);
    let owner_oid = |access: &Option<Access>| {
        access
            .as_ref()
            .map(|access| acl::relation_owner(access, &tenant))
            .and_then(|owner| pg_roles::role_oid(&roles, &owner))
            .unwrap_or(oids::DATABASE_OWNER)
    };
    let acl_cell = |relation: &Relation| {
        let list = match &relation.access {
            Some(access) => access.acl.clone(),
            None if relation.kind == RelKind::Index => None,
            None => Some(acl::system_relation_list()),
        };
        list.map_or(Cell::Null, |items| {
            Cell::from(items.iter().map(acl::item_text).collect::<Vec<String>>())
        })
    };
    let has_index = |oid: u32| {
        all.iter()
            .any(|r| r.primary_key.as_ref().is_some_and(|pk| pk.table == oid))
    };
    Ok(all
        .iter()
        .map(|relation| {
            let access_method = match (relation.kind, relation.stored) {
                (RelKind::Index, _) => oids::BTREE_AM,
                (RelKind::Table, true) => oids::MINDOO_AM,
                _ => 0,
            };
            let row_security = relation.stored && relation.kind == RelKind::Table;
            vec![
                Cell::from(relation.oid),
                Cell::from(relation.name.as_str()),
                Cell::from(relation.namespace),
                Cell::from(0u32),
                Cell::from(0u32),
                Cell::from(owner_oid(&relation.access)),
                Cell::from(access_method),
                Cell::from(if relation.stored { relation.oid } else { 0 }),
                Cell::from(0u32),
                Cell::from(0i32),
                // -1: never analyzed, the row count is unknown.
                Cell::from(-1.0f32),
                Cell::from(0i32),
                Cell::from(0u32),
                Cell::from(has_index(relation.oid)),
                Cell::from(false),
                Cell::from("p"),
                Cell::from(relation.kind.code()),
                Cell::from(i64::try_from(relation.columns.len()).unwrap_or(i64::MAX)),
                Cell::from(0i16),
                Cell::from(false),
                Cell::from(false),
                Cell::from(false),
                Cell::from(row_security),
                Cell::from(row_security),
                Cell::from(true),
                Cell::from(if relation.stored { "d" } else { "n" }),
                Cell::from(false),
                Cell::from(0u32),
                Cell::from(0u32),
                Cell::from(0u32),
                acl_cell(relation),
                if relation.options.is_empty() {
                    Cell::Null
                } else {
                    Cell::from(relation.options.clone())
                },
            ]
        })
        .collect())
}
