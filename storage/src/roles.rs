//! Roles and their grants of tenants: the store's catalog records for who may log in and
//! where.
//!
//! Invariants:
//! - Every change is one synced catalog batch written under the catalog's write lock
//!   (`Store::write_catalog`), like every other catalog change.
//! - A grant names a role and a tenant that exist when it is written; dropping either removes
//!   its grants in the same batch.
//! - A membership (`RoleRecord::member_of`) names a role that exists: dropping a role removes
//!   the memberships in it in the same batch.

use rocksdb::WriteBatch;

use crate::catalog::{self, Catalog, RoleRecord};
use crate::layout::{CF_CATALOG, prefix_end};
use crate::store::Store;
use crate::{Error, Result};

impl Store {
    /// Creates a role, after every role that exists (`RoleRecord::created`, whatever
    /// `role` says); fails if it exists.
    pub fn create_role(&self, role: &RoleRecord) -> Result<()> {
        catalog::check_name(&role.name)?;
        let mut cat = self.shared.catalog.write();
        if self.role(&role.name)?.is_some() {
            return Err(Error::AlreadyExists(format!("role {}", role.name)));
        }
        // From the catalog's id counter, so a number is never given twice.
        let role = RoleRecord {
            created: u64::from(cat.allocate_id()),
            ..role.clone()
        };
        let mut batch = WriteBatch::default();
        batch.put_cf(
            &self.shared.cf(CF_CATALOG),
            catalog::next_id_key(),
            catalog::encode_u32(cat.next_id),
        );
        self.put_role_locked(&role, batch, &mut cat)
    }

    /// Replaces an existing role's record, keeping its place in the creation order.
    pub fn update_role(&self, role: &RoleRecord) -> Result<()> {
        let mut cat = self.shared.catalog.write();
        let Some(stored) = self.role(&role.name)? else {
            return Err(Error::NoSuchRole(role.name.clone()));
        };
        let role = RoleRecord {
            created: stored.created,
            ..role.clone()
        };
        self.put_role_locked(&role, WriteBatch::default(), &mut cat)
    }

    /// The role of that name.
    pub fn role(&self, name: &str) -> Result<Option<RoleRecord>> {
        self.shared
            .db
            .get_pinned_cf(&self.shared.cf(CF_CATALOG), catalog::role_key(name))?
            .map(|bytes| catalog::decode_role(&bytes))
            .transpose()
    }

    /// Every role, by name.
    pub fn roles(&self) -> Result<Vec<RoleRecord>> {
        self.catalog_prefix(&catalog::role_prefix())?
            .iter()
            .map(|(_, value)| catalog::decode_role(value))
            .collect()
    }

    /// Drops a role, its grants of tenants and every membership in it.
    pub fn drop_role(&self, name: &str) -> Result<()> {
        let mut cat = self.shared.catalog.write();
        if self.role(name)?.is_none() {
            return Err(Error::NoSuchRole(name.to_owned()));
        }
        let cf = self.shared.cf(CF_CATALOG);
        let mut batch = WriteBatch::default();
        batch.delete_cf(&cf, catalog::role_key(name));
        for mut member in self.roles()? {
            let before = member.member_of.len();
            member.member_of.retain(|m| m.role != name);
            if member.member_of.len() != before {
                batch.put_cf(
                    &cf,
                    catalog::role_key(&member.name),
                    catalog::encode_role(&member),
                );
            }
        }
        let grants = catalog::grants_of_prefix(name);
        batch.delete_range_cf(&cf, &grants, &prefix_end(&grants));
        self.write_catalog(batch, &mut cat)
    }

    /// Lets `role` connect to `tenant`.
    pub fn grant(&self, role: &str, tenant: &str) -> Result<()> {
        self.set_grant(role, tenant, true)
    }

    /// Withdraws `role`'s access to `tenant`.
    pub fn revoke(&self, role: &str, tenant: &str) -> Result<()> {
        self.set_grant(role, tenant, false)
    }

    /// The tenants `role` was granted, by name.
    pub fn grants(&self, role: &str) -> Result<Vec<String>> {
        let prefix = catalog::grants_of_prefix(role);
        self.catalog_prefix(&prefix)?
            .into_iter()
            .map(|(key, _)| {
                String::from_utf8(key[prefix.len()..].to_vec())
                    .map_err(|_| Error::Corrupted("grant key".into()))
            })
            .collect()
    }

    fn set_grant(&self, role: &str, tenant: &str, granted: bool) -> Result<()> {
        let mut cat = self.shared.catalog.write();
        if self.role(role)?.is_none() {
            return Err(Error::NoSuchRole(role.to_owned()));
        }
        if !cat.tenants.contains_key(tenant) {
            return Err(Error::NoSuchTenant(tenant.to_owned()));
        }
        let mut batch = WriteBatch::default();
        let cf = self.shared.cf(CF_CATALOG);
        if granted {
            batch.put_cf(&cf, catalog::grant_key(role, tenant), []);
        } else {
            batch.delete_cf(&cf, catalog::grant_key(role, tenant));
        }
        self.write_catalog(batch, &mut cat)
    }

    fn put_role_locked(
        &self,
        role: &RoleRecord,
        mut batch: WriteBatch,
        cat: &mut Catalog,
    ) -> Result<()> {
        batch.put_cf(
            &self.shared.cf(CF_CATALOG),
            catalog::role_key(&role.name),
            catalog::encode_role(role),
        );
        self.write_catalog(batch, cat)
    }
}
