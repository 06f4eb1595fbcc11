//! Object identifiers: where every OID a client sees comes from.
//!
//! Invariants:
//! - Objects Postgres also has keep Postgres' OIDs (`pg_catalog` 11, `public` 2200, `text`
//!   25, `pg_class` 1259, ...), so clients' hard-coded OIDs hold.
//! - A tenant's or table's OIDs derive from its storage id, which is never reused: a
//!   re-created table gets new OIDs, as in Postgres. Tables, their primary-key index and
//!   constraint, and databases never share an OID.
//! - A role's OID follows its place in the creation order (`RoleRecord::created`), as
//!   PostgreSQL's do; roles created before that order was recorded derive theirs from the
//!   name, made unique by probing in name order past every other role's.
//! - View OIDs likewise derive from the view's name (views have no storage id), probed past
//!   every other relation's OID; stable while no relation with a colliding OID is added.

use mindoodb_storage::{RoleRecord, TableId, TenantId};

use crate::error::{Error, Result};

/// `pg_catalog`.
pub(crate) const PG_CATALOG: u32 = 11;
/// `public`: every tenant's document tables.
pub(crate) const PUBLIC: u32 = 2200;
/// `information_schema` (Postgres 15 gives it 13207 at initdb).
pub(crate) const INFORMATION_SCHEMA: u32 = 13207;
/// `mindoo`: MindooDB's system functions.
pub(crate) const MINDOO: u32 = 13000;

/// `pg_database_owner`, Postgres' predefined role for "whoever owns the current database".
/// MindooDB records no owners: tables belong to their tenant, and every role admitted to the
/// tenant may create and drop them, so this role owns them.
pub(crate) const DATABASE_OWNER: u32 = 6171;

/// The table access method of document tables (`mindoo`).
pub(crate) const MINDOO_AM: u32 = 13001;
/// `btree`: the ordered id index every document table has.
pub(crate) const BTREE_AM: u32 = 403;
/// `text_ops` for btree.
pub(crate) const TEXT_BTREE_OPS: u32 = 3126;

/// `pg_default` and `pg_global`.
pub(crate) const DEFAULT_TABLESPACE: u32 = 1663;
pub(crate) const GLOBAL_TABLESPACE: u32 = 1664;

/// Collations: the database default, `C` and `POSIX` (MindooDB compares bytewise).
pub(crate) const DEFAULT_COLLATION: u32 = 100;
pub(crate) const C_COLLATION: u32 = 950;
pub(crate) const POSIX_COLLATION: u32 = 951;

/// `pg_class` (for `obj_description(oid, 'pg_class')` and `classoid` columns).
pub(crate) const PG_CLASS: u32 = 1259;

/// Postgres' first OID for user objects.
const FIRST_NORMAL: u64 = 16_384;
/// Storage ids map to OIDs `FIRST_NORMAL + SLOTS * id + slot`.
const SLOTS: u64 = 4;
const SLOT_TABLE: u64 = 0;
const SLOT_INDEX: u64 = 1;
const SLOT_CONSTRAINT: u64 = 2;
const SLOT_DATABASE: u64 = 3;
/// Roles with a creation order get `ROLE_FIRST + created`.
const ROLE_FIRST: u64 = 1 << 30;

/// A document table.
pub(crate) fn table(id: TableId) -> Result<u32> {
    from_id(id.0, SLOT_TABLE)
}

/// A document table's primary-key index on `id`.
pub(crate) fn index(id: TableId) -> Result<u32> {
    from_id(id.0, SLOT_INDEX)
}

/// A document table's primary-key constraint.
pub(crate) fn constraint(id: TableId) -> Result<u32> {
    from_id(id.0, SLOT_CONSTRAINT)
}

/// A tenant (database).
pub(crate) fn database(id: TenantId) -> Result<u32> {
    from_id(id.0, SLOT_DATABASE)
}

/// `(oid, role)` for every role: those with a creation order first, in that order, then
/// the older ones in name order.
pub(crate) fn roles(roles: &[RoleRecord]) -> Vec<(u32, &RoleRecord)> {
    let mut sorted: Vec<&RoleRecord> = roles.iter().collect();
    sorted.sort_by(|a, b| {
        (a.created == 0, a.created, &a.name).cmp(&(b.created == 0, b.created, &b.name))
    });
    let mut taken: std::collections::BTreeSet<u32> = sorted
        .iter()
        .filter_map(|role| created_role(role.created))
        .collect();
    sorted
        .into_iter()
        .map(|role| {
            if let Some(oid) = created_role(role.created) {
                return (oid, role);
            }
            let mut oid = from_name(&role.name);
            while oid == DATABASE_OWNER || !taken.insert(oid) {
                oid = next_user_oid(oid);
            }
            (oid, role)
        })
        .collect()
}

/// The OID of the role created `created`-th, as PostgreSQL numbers roles in creation order
/// (so ACLs sorted by OID list them as PostgreSQL does). They sit far above the storage-id
/// OIDs, which roles must not shadow in a tool's join on `oid` alone.
fn created_role(created: u64) -> Option<u32> {
    (created > 0)
        .then(|| u32::try_from(ROLE_FIRST + created).ok())
        .flatten()
}

/// A view of the tenant, given the OIDs of the relations already listed (which it joins).
pub(crate) fn view(name: &str, taken: &mut std::collections::BTreeSet<u32>) -> u32 {
    let mut oid = from_name(name);
    while !taken.insert(oid) {
        oid = next_user_oid(oid);
    }
    oid
}

fn from_id(id: u32, slot: u64) -> Result<u32> {
    u32::try_from(FIRST_NORMAL + SLOTS * u64::from(id) + slot)
        .map_err(|_| Error::Internal(format!("catalog id {id} is beyond the OID range")))
}

/// FNV-1a of the name, folded into the user OID range: for objects without a storage id
/// (roles, functions).
pub(crate) fn from_name(name: &str) -> u32 {
    let hash = name.bytes().fold(0x811c_9dc5u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    let span = u64::from(u32::MAX) - FIRST_NORMAL + 1;
    // In range by construction: FIRST_NORMAL + (< span) <= u32::MAX.
    (FIRST_NORMAL + u64::from(hash) % span) as u32
}

fn next_user_oid(oid: u32) -> u32 {
    match oid.checked_add(1) {
        Some(next) => next,
        None => FIRST_NORMAL as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str) -> RoleRecord {
        RoleRecord {
            name: name.into(),
            auth: Vec::new(),
            login: true,
            superuser: false,
            inherit: true,
            member_of: Vec::new(),
            created: 0,
        }
    }

    #[test]
    fn storage_ids_map_to_distinct_user_oids() {
        let oids = [
            table(TableId(7)).unwrap(),
            index(TableId(7)).unwrap(),
            constraint(TableId(7)).unwrap(),
            database(TenantId(7)).unwrap(),
            table(TableId(8)).unwrap(),
        ];
        assert!(oids.iter().all(|oid| *oid >= 16_384));
        let unique: std::collections::BTreeSet<_> = oids.iter().collect();
        assert_eq!(unique.len(), oids.len());
        assert!(table(TableId(u32::MAX)).is_err());
    }

    #[test]
    fn role_oids_are_stable_and_unique() {
        let records = vec![role("bob"), role("alice"), role("carol")];
        let first = roles(&records);
        let again = roles(&records);
        assert_eq!(
            first
                .iter()
                .map(|(oid, r)| (*oid, &r.name))
                .collect::<Vec<_>>(),
            again
                .iter()
                .map(|(oid, r)| (*oid, &r.name))
                .collect::<Vec<_>>()
        );
        assert_eq!(first[0].1.name, "alice");
        assert!(first.iter().all(|(oid, _)| *oid >= 16_384));
        assert_eq!(next_user_oid(u32::MAX), 16_384);
    }

    #[test]
    fn created_roles_are_numbered_in_creation_order_before_older_ones() {
        let created = |name: &str, created| RoleRecord {
            created,
            ..role(name)
        };
        let records = vec![role("old"), created("zed", 1), created("amy", 2)];
        let oids: Vec<(u32, &str)> = roles(&records)
            .into_iter()
            .map(|(oid, r)| (oid, r.name.as_str()))
            .collect();
        assert_eq!(oids[0], (created_role(1).unwrap(), "zed"));
        assert_eq!(oids[1], (created_role(2).unwrap(), "amy"));
        assert!(oids[0].0 < oids[1].0);
        assert_eq!(oids[2].1, "old");
        assert!(oids[2].0 != oids[0].0 && oids[2].0 != oids[1].0);
    }
}
