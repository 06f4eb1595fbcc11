//! Views as the catalog keeps them: a name and an opaque SQL text per tenant, in the same
//! namespace as the tenant's tables, with an owner and grants (`access.rs`).
//!
//! Invariants:
//! - No name is both a table and a view of one tenant; the check and the write happen under
//!   the catalog write lock.
//! - Replacing a view's text keeps its owner and grants.

use rocksdb::WriteBatch;

use crate::access::Access;
use crate::catalog::{self, Catalog, ViewInfo};
use crate::layout::CF_CATALOG;
use crate::store::Store;
use crate::{Error, Result, TenantId};

impl Store {
    /// Creates a view; fails if a table or view of that name exists.
    pub fn create_view(
        &self,
        tenant: TenantId,
        name: &str,
        sql: &str,
        access: Access,
    ) -> Result<ViewInfo> {
        let mut cat = self.shared.catalog.write();
        if cat.has_relation(tenant, name) {
            return Err(Error::AlreadyExists(format!("relation {name}")));
        }
        self.put_view_locked(tenant, name, sql, access, &mut cat)
    }

    /// Creates a view with `access`, or replaces the text of the view of that name, which
    /// keeps its own owner and grants; fails if a table has the name.
    pub fn replace_view(
        &self,
        tenant: TenantId,
        name: &str,
        sql: &str,
        access: Access,
    ) -> Result<ViewInfo> {
        let mut cat = self.shared.catalog.write();
        if cat.tables.contains_key(&(tenant, name.to_owned())) {
            return Err(Error::AlreadyExists(format!("table {name}")));
        }
        let access = match cat.views.get(&(tenant, name.to_owned())) {
            Some(old) => old.access.clone(),
            None => access,
        };
        self.put_view_locked(tenant, name, sql, access, &mut cat)
    }

    /// The view of that name in `tenant`.
    pub fn view(&self, tenant: TenantId, name: &str) -> Option<ViewInfo> {
        self.shared
            .catalog
            .read()
            .views
            .get(&(tenant, name.to_owned()))
            .cloned()
    }

    /// Every view of `tenant`, by name.
    pub fn views(&self, tenant: TenantId) -> Vec<ViewInfo> {
        let cat = self.shared.catalog.read();
        cat.views
            .range((tenant, String::new())..)
            .take_while(|((t, _), _)| *t == tenant)
            .map(|(_, info)| info.clone())
            .collect()
    }

    fn put_view_locked(
        &self,
        tenant: TenantId,
        name: &str,
        sql: &str,
        access: Access,
        cat: &mut Catalog,
    ) -> Result<ViewInfo> {
        catalog::check_name(name)?;
        if !cat.tenants.values().any(|t| t.id == tenant) {
            return Err(Error::NoSuchTenant(tenant.0.to_string()));
        }
        let info = ViewInfo {
            tenant,
            name: name.to_owned(),
            sql: sql.to_owned(),
            access,
        };
        let mut batch = WriteBatch::default();
        batch.put_cf(
            &self.shared.cf(CF_CATALOG),
            catalog::view_key(tenant, name),
            catalog::encode_view(&info),
        );
        self.write_catalog(batch, cat)?;
        cat.views.insert((tenant, name.to_owned()), info.clone());
        Ok(info)
    }
}
