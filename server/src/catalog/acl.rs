//! Privileges as PostgreSQL spells and decides them: the privilege bits and their letters, the
//! text of an access control list (`relacl`), the default lists of tables and the schema, and
//! `Subject`, a role with the roles whose privileges it uses, which answers what it may do
//! with a relation or the schema.
//!
//! Invariants:
//! - The bits are PostgreSQL's (`ACL_INSERT` = 1 ... `ACL_CREATE` = 512), so the text of a list
//!   is PostgreSQL's (`alice=arwdDxt/alice`).
//! - A superuser may do everything; an owner (or a role that uses its privileges) may grant,
//!   alter and drop; everyone else holds exactly what the list grants it or PUBLIC.
//! - A relation without a recorded owner belongs to the tenant's owner; a tenant without one
//!   is owned by no role (only superusers act as its owner).

use std::collections::{BTreeSet, HashMap};

use mindoodb_storage::{Access, AclItem, RoleRecord, Store, TenantAccess, TenantId};

use super::oids;
use crate::error::{Error, Result};

pub(crate) const INSERT: u32 = 1;
pub(crate) const SELECT: u32 = 1 << 1;
pub(crate) const UPDATE: u32 = 1 << 2;
pub(crate) const DELETE: u32 = 1 << 3;
pub(crate) const TRUNCATE: u32 = 1 << 4;
pub(crate) const REFERENCES: u32 = 1 << 5;
pub(crate) const TRIGGER: u32 = 1 << 6;
pub(crate) const USAGE: u32 = 1 << 8;
pub(crate) const CREATE: u32 = 1 << 9;
/// ALL on a table or view.
pub(crate) const TABLE_ALL: u32 =
    INSERT | SELECT | UPDATE | DELETE | TRUNCATE | REFERENCES | TRIGGER;
/// ALL on a schema.
pub(crate) const SCHEMA_ALL: u32 = USAGE | CREATE;
/// The table privileges that PostgreSQL also keeps per column.
pub(crate) const COLUMN_ALL: u32 = SELECT | INSERT | UPDATE | REFERENCES;

/// Each privilege with its ACL letter and its SQL name, in PostgreSQL's letter order.
const PRIVILEGES: [(u32, char, &str); 9] = [
    (INSERT, 'a', "INSERT"),
    (SELECT, 'r', "SELECT"),
    (UPDATE, 'w', "UPDATE"),
    (DELETE, 'd', "DELETE"),
    (TRUNCATE, 'D', "TRUNCATE"),
    (REFERENCES, 'x', "REFERENCES"),
    (TRIGGER, 't', "TRIGGER"),
    (USAGE, 'U', "USAGE"),
    (CREATE, 'C', "CREATE"),
];

/// The SQL names of the privileges in `bits`, in PostgreSQL's letter order (the order
/// `aclexplode` and the information schema list them in).
pub(crate) fn names(bits: u32) -> impl Iterator<Item = (u32, &'static str)> {
    PRIVILEGES
        .into_iter()
        .filter(move |(bit, _, _)| bits & bit != 0)
        .map(|(bit, _, name)| (bit, name))
}

/// One list entry as `aclitemout` prints it: `grantee=privileges/grantor`, `*` after each
/// privilege held with grant option, an empty grantee for PUBLIC.
pub(crate) fn item_text(item: &AclItem) -> String {
    let mut out = quoted_role(&item.grantee);
    out.push('=');
    for (bit, letter, _) in PRIVILEGES {
        if item.privileges & bit != 0 {
            out.push(letter);
            if item.grant_options & bit != 0 {
                out.push('*');
            }
        }
    }
    out.push('/');
    out.push_str(&quoted_role(&item.grantor));
    out
}

fn quoted_role(name: &str) -> String {
    let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// The list a relation has before any GRANT: its owner holds everything.
pub(crate) fn default_relation_list(owner: &str) -> Vec<AclItem> {
    vec![AclItem {
        grantee: owner.to_owned(),
        grantor: owner.to_owned(),
        privileges: TABLE_ALL,
        grant_options: 0,
    }]
}

/// The list of a system relation (a `pg_catalog` table, an `information_schema` view): its
/// owner, `pg_database_owner`, holds everything and PUBLIC reads it, as PostgreSQL 15's
/// initdb grants.
pub(crate) fn system_relation_list() -> Vec<AclItem> {
    let owner = "pg_database_owner";
    let mut list = default_relation_list(owner);
    list.push(AclItem {
        grantee: String::new(),
        grantor: owner.to_owned(),
        privileges: SELECT,
        grant_options: 0,
    });
    list
}

/// The list a relation `owner` creates starts with under its default privileges `items`
/// (`pg_default_acl.defaclacl` too), as PostgreSQL builds it: the owner's default list with
/// the items merged in, sorted by grantee then grantor OID (`aclitemsort`; PUBLIC is 0).
pub(crate) fn default_privileges(
    owner: &str,
    items: &[AclItem],
    roles: &[RoleRecord],
) -> Vec<AclItem> {
    let mut list = default_relation_list(owner);
    for item in items {
        match list
            .iter_mut()
            .find(|l| l.grantee == item.grantee && l.grantor == item.grantor)
        {
            Some(merged) => {
                merged.privileges |= item.privileges;
                merged.grant_options |= item.grant_options;
            }
            None => list.push(item.clone()),
        }
    }
    sort_items(&mut list, roles);
    list
}

/// Sorts `list` by grantee then grantor OID, as PostgreSQL's `aclitemsort` (PUBLIC is 0).
pub(crate) fn sort_items(list: &mut [AclItem], roles: &[RoleRecord]) {
    let by_name: HashMap<&str, u32> = oids::roles(roles)
        .into_iter()
        .map(|(oid, role)| (role.name.as_str(), oid))
        .collect();
    let oid = |name: &str| match name {
        "" => 0,
        name => by_name.get(name).copied().unwrap_or(u32::MAX),
    };
    list.sort_by_key(|item| (oid(&item.grantee), oid(&item.grantor)));
}

/// The list of the `public` schema before any GRANT, as PostgreSQL 15 creates it: its owner
/// holds USAGE and CREATE, PUBLIC holds USAGE.
pub(crate) fn default_schema_list(owner: &str) -> Vec<AclItem> {
    vec![
        AclItem {
            grantee: owner.to_owned(),
            grantor: owner.to_owned(),
            privileges: SCHEMA_ALL,
            grant_options: 0,
        },
        AclItem {
            grantee: String::new(),
            grantor: owner.to_owned(),
            privileges: USAGE,
            grant_options: 0,
        },
    ]
}

/// The owner a relation's `Access` names, resolved: the tenant's owner when none is recorded.
pub(crate) fn relation_owner(access: &Access, tenant: &TenantAccess) -> String {
    if access.owner.is_empty() {
        tenant.owner.clone()
    } else {
        access.owner.clone()
    }
}

/// The owner and grants of table or view `name` of `tenant`, with the word PostgreSQL's
/// messages use for it (`table`, `view`).
pub(crate) fn relation_access(
    store: &Store,
    tenant: TenantId,
    name: &str,
) -> Option<(Access, &'static str)> {
    match store.table(tenant, name) {
        Some(table) => Some((table.access, "table")),
        None => store.view(tenant, name).map(|view| (view.access, "view")),
    }
}

/// A relation's list, the default one when it has none.
pub(crate) fn relation_list(access: &Access, tenant: &TenantAccess) -> Vec<AclItem> {
    match &access.acl {
        Some(items) => items.clone(),
        None => default_relation_list(&relation_owner(access, tenant)),
    }
}

/// The schema's list, the default one when it has none.
pub(crate) fn schema_list(tenant: &TenantAccess) -> Vec<AclItem> {
    match &tenant.schema {
        Some(items) => items.clone(),
        None => default_schema_list(&tenant.owner),
    }
}

/// A role as privilege checks see it.
#[derive(Debug, Clone)]
pub(crate) struct Subject {
    /// Its name.
    pub(crate) name: String,
    /// Superusers pass every check.
    pub(crate) superuser: bool,
    /// Itself and, through INHERIT, every role it is a member of, transitively.
    uses: BTreeSet<String>,
}

impl Subject {
    /// The role `name` as the store has it now; 42704 when it does not exist.
    pub(crate) fn of(store: &Store, name: &str) -> Result<Subject> {
        let roles = store.roles()?;
        let role = roles
            .iter()
            .find(|r| r.name == name)
            .ok_or_else(|| Error::UndefinedObject(format!("role \"{name}\"")))?;
        Ok(Subject {
            name: role.name.clone(),
            superuser: role.superuser,
            uses: reachable(&roles, name, true),
        })
    }

    /// True when it uses the privileges of `role` (itself included).
    pub(crate) fn uses(&self, role: &str) -> bool {
        self.superuser || self.uses.contains(role)
    }

    /// True when it may act as the owner of an object `owner` owns.
    pub(crate) fn acts_as_owner(&self, owner: &str) -> bool {
        self.superuser || (!owner.is_empty() && self.uses.contains(owner))
    }

    /// The privileges and grant options it holds in `list`, given the object's `owner`.
    pub(crate) fn holds(&self, list: &[AclItem], owner: &str) -> (u32, u32) {
        if self.acts_as_owner(owner) {
            return (u32::MAX, u32::MAX);
        }
        list.iter()
            .filter(|item| item.grantee.is_empty() || self.uses.contains(&item.grantee))
            .fold((0, 0), |(p, g), item| {
                (p | item.privileges, g | item.grant_options)
            })
    }

    /// The privileges it holds on relation `name` of `tenant`, or `None` when there is none.
    pub(crate) fn relation(&self, store: &Store, tenant: TenantId, name: &str) -> Option<u32> {
        self.relation_with_options(store, tenant, name)
            .map(|(privileges, _)| privileges)
    }

    /// The privileges and grant options it holds on relation `name` of `tenant`, or `None`
    /// when there is none.
    pub(crate) fn relation_with_options(
        &self,
        store: &Store,
        tenant: TenantId,
        name: &str,
    ) -> Option<(u32, u32)> {
        let (access, _) = relation_access(store, tenant, name)?;
        Some(self.held(store, tenant, &access))
    }

    /// The privileges and grant options it holds on a relation of `tenant` whose owner and
    /// grants are `access`.
    fn held(&self, store: &Store, tenant: TenantId, access: &Access) -> (u32, u32) {
        let tenant_access = store.tenant_access(tenant);
        let owner = relation_owner(access, &tenant_access);
        self.holds(&relation_list(access, &tenant_access), &owner)
    }

    /// Refuses unless it holds `needed` on relation `name` of `tenant`; a name that is no
    /// relation passes, so that what reads it reports it missing.
    pub(crate) fn require(
        &self,
        store: &Store,
        tenant: TenantId,
        name: &str,
        needed: u32,
    ) -> Result<()> {
        match relation_access(store, tenant, name) {
            Some((access, kind)) if self.held(store, tenant, &access).0 & needed != needed => Err(
                Error::InsufficientPrivilege(format!("permission denied for {kind} {name}")),
            ),
            _ => Ok(()),
        }
    }

    /// The privileges it holds on the tenant's `public` schema.
    pub(crate) fn schema(&self, tenant: &TenantAccess) -> u32 {
        self.schema_with_options(tenant).0
    }

    /// The privileges and grant options it holds on the tenant's `public` schema.
    pub(crate) fn schema_with_options(&self, tenant: &TenantAccess) -> (u32, u32) {
        self.holds(&schema_list(tenant), &tenant.owner)
    }
}

/// `role` and the roles it is a member of, transitively; with `inheriting`, only through
/// members that inherit (what privilege checks use), else through every membership (what SET
/// ROLE allows).
pub(crate) fn reachable(roles: &[RoleRecord], role: &str, inheriting: bool) -> BTreeSet<String> {
    let mut seen = BTreeSet::from([role.to_owned()]);
    let mut todo = vec![role.to_owned()];
    while let Some(name) = todo.pop() {
        let Some(record) = roles.iter().find(|r| r.name == name) else {
            continue;
        };
        if inheriting && !record.inherit {
            continue;
        }
        for membership in &record.member_of {
            if seen.insert(membership.role.clone()) {
                todo.push(membership.role.clone());
            }
        }
    }
    seen
}

/// Whether `role` holds CONNECT on tenant `database`: granted to it, or to a role whose
/// privileges it uses (INHERIT memberships), as PostgreSQL decides; superusers always.
pub(crate) fn may_connect(store: &Store, role: &RoleRecord, database: &str) -> Result<bool> {
    let holds = |name: &str| -> Result<bool> {
        Ok(store
            .grants(name)?
            .iter()
            .any(|granted| granted == database))
    };
    if role.superuser || holds(&role.name)? {
        return Ok(true);
    }
    if role.member_of.is_empty() {
        return Ok(false);
    }
    for name in reachable(&store.roles()?, &role.name, true) {
        if holds(&name)? {
            return Ok(true);
        }
    }
    Ok(false)
}
