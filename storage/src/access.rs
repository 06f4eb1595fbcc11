//! Who owns what inside a tenant, and what others were granted on it: the owner and access
//! control list of every table and view, and a tenant's own record (its owner, its schema's
//! list, the default lists of tables yet to be created). The catalog keeps them; the server
//! decides what the privilege bits mean and who may change them.
//!
//! ```text
//! table and view records end with   owner, has-list, [n, AclItem...]
//! "a" tenant_id(4)               -> TenantAccess
//! TenantAccess = owner, has-list, [n, AclItem...], n, (role, n, AclItem...)...   global defaults
//!                [, n, (role, schema, n, AclItem...)...]             defaults of one schema
//! ```
//!
//! The schemas' section is written only when some exist, so records written before it existed
//! read unchanged.
//!
//! Invariants:
//! - Privilege bits are opaque here: storage stores and returns them, never tests them.
//! - `acl: None` is "the default list" (PostgreSQL's NULL `relacl`), not "nobody": the server
//!   derives it from the owner. An empty owner is "the tenant's owner" (relations created
//!   before owners were recorded, and by syncs that create tables).
//! - Every change is read, changed and written under the catalog write lock
//!   (`update_relation_access`, `update_tenant_access`), so two GRANTs never lose one another.

use rocksdb::WriteBatch;

use crate::catalog::{self, Catalog};
use crate::codec::{Reader, Writer};
use crate::layout::CF_CATALOG;
use crate::store::Store;
use crate::{Error, Result, TenantId};

/// One grant: what `grantor` gave `grantee` (empty: PUBLIC), as the server's privilege bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclItem {
    /// The role granted to; empty for PUBLIC.
    pub grantee: String,
    /// The role that granted.
    pub grantor: String,
    /// The privileges granted.
    pub privileges: u32,
    /// Those of `privileges` the grantee may grant on.
    pub grant_options: u32,
}

/// The owner and grants of one table or view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    /// The owning role; empty for the tenant's owner.
    pub owner: String,
    /// The grants, or `None` for the default (the owner's privileges only).
    pub acl: Option<Vec<AclItem>>,
}

/// Grants every table a role creates from now on starts with (ALTER DEFAULT PRIVILEGES).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultAcl {
    /// The role whose new tables get them.
    pub owner: String,
    /// The schema they hold for (`IN SCHEMA s`), or `None` for every schema.
    pub schema: Option<String>,
    /// The grants, added to the owner's own (and, for a schema's, to the global ones).
    pub items: Vec<AclItem>,
}

/// A tenant's owner, its schema's grants and its default grants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TenantAccess {
    /// The owning role; empty when none was recorded (only superusers act as owner).
    pub owner: String,
    /// The schema's grants, or `None` for the default.
    pub schema: Option<Vec<AclItem>>,
    /// Default grants, one entry per creating role.
    pub defaults: Vec<DefaultAcl>,
}

impl Store {
    /// Changes the owner or grants of table or view `name` of `tenant` with `change`, under
    /// the catalog's write lock; nothing is written when `change` fails.
    pub fn update_relation_access<E: From<Error>>(
        &self,
        tenant: TenantId,
        name: &str,
        change: impl FnOnce(&mut Access) -> std::result::Result<(), E>,
    ) -> std::result::Result<Access, E> {
        let mut cat = self.shared.catalog.write();
        let key = (tenant, name.to_owned());
        let mut batch = WriteBatch::default();
        let cf = self.shared.cf(CF_CATALOG);
        let access = if let Some(info) = cat.tables.get(&key) {
            let mut info = info.clone();
            change(&mut info.access)?;
            batch.put_cf(
                &cf,
                catalog::table_key(tenant, name),
                catalog::encode_table(&info),
            );
            self.write_catalog(batch, &mut cat)?;
            let access = info.access.clone();
            cat.tables.insert(key, info);
            access
        } else if let Some(info) = cat.views.get(&key) {
            let mut info = info.clone();
            change(&mut info.access)?;
            batch.put_cf(
                &cf,
                catalog::view_key(tenant, name),
                catalog::encode_view(&info),
            );
            self.write_catalog(batch, &mut cat)?;
            let access = info.access.clone();
            cat.views.insert(key, info);
            access
        } else {
            return Err(Error::NoSuchTable(name.to_owned()).into());
        };
        Ok(access)
    }

    /// The owner and grants of `tenant` itself.
    pub fn tenant_access(&self, tenant: TenantId) -> TenantAccess {
        self.shared
            .catalog
            .read()
            .access
            .get(&tenant)
            .cloned()
            .unwrap_or_default()
    }

    /// Changes `tenant`'s own record with `change`, under the catalog's write lock.
    pub fn update_tenant_access<E: From<Error>>(
        &self,
        tenant: TenantId,
        change: impl FnOnce(&mut TenantAccess) -> std::result::Result<(), E>,
    ) -> std::result::Result<TenantAccess, E> {
        let mut cat = self.shared.catalog.write();
        if !cat.tenants.values().any(|t| t.id == tenant) {
            return Err(Error::NoSuchTenant(tenant.0.to_string()).into());
        }
        let mut access = cat.access.get(&tenant).cloned().unwrap_or_default();
        change(&mut access)?;
        self.put_tenant_access_locked(tenant, &access, &mut cat)?;
        Ok(access)
    }

    pub(crate) fn put_tenant_access_locked(
        &self,
        tenant: TenantId,
        access: &TenantAccess,
        cat: &mut Catalog,
    ) -> Result<()> {
        let mut batch = WriteBatch::default();
        batch.put_cf(
            &self.shared.cf(CF_CATALOG),
            catalog::tenant_access_key(tenant),
            encode_tenant_access(access),
        );
        self.write_catalog(batch, cat)?;
        cat.access.insert(tenant, access.clone());
        Ok(())
    }
}

pub(crate) fn write_access(w: Writer, access: &Access) -> Writer {
    let w = w.bytes(access.owner.as_bytes());
    match &access.acl {
        Some(items) => write_items(w.u8(1), items),
        None => w.u8(0),
    }
}

/// Reads what `write_access` wrote; a record that ends before it (written before owners
/// existed) has the default access.
pub(crate) fn read_access(r: &mut Reader<'_>) -> Option<Access> {
    if r.end().is_some() {
        return Some(Access::default());
    }
    let owner = r.str()?.to_owned();
    let acl = match r.u8()? {
        0 => None,
        1 => Some(read_items(r)?),
        _ => return None,
    };
    Some(Access { owner, acl })
}

fn write_items(w: Writer, items: &[AclItem]) -> Writer {
    let len = u32::try_from(items.len()).unwrap_or(u32::MAX);
    items.iter().fold(w.u32(len), |w, item| {
        w.bytes(item.grantee.as_bytes())
            .bytes(item.grantor.as_bytes())
            .u32(item.privileges)
            .u32(item.grant_options)
    })
}

fn read_items(r: &mut Reader<'_>) -> Option<Vec<AclItem>> {
    let len = r.u32()?;
    let mut items = Vec::new();
    for _ in 0..len {
        items.push(AclItem {
            grantee: r.str()?.to_owned(),
            grantor: r.str()?.to_owned(),
            privileges: r.u32()?,
            grant_options: r.u32()?,
        });
    }
    Some(items)
}

pub(crate) fn encode_tenant_access(access: &TenantAccess) -> Vec<u8> {
    let w = Writer::new().bytes(access.owner.as_bytes());
    let w = match &access.schema {
        Some(items) => write_items(w.u8(1), items),
        None => w.u8(0),
    };
    let (global, in_schema): (Vec<&DefaultAcl>, Vec<&DefaultAcl>) =
        access.defaults.iter().partition(|d| d.schema.is_none());
    let count = |list: &[&DefaultAcl]| u32::try_from(list.len()).unwrap_or(u32::MAX);
    let w = global.iter().fold(w.u32(count(&global)), |w, default| {
        write_items(w.bytes(default.owner.as_bytes()), &default.items)
    });
    if in_schema.is_empty() {
        return w.finish();
    }
    in_schema
        .iter()
        .fold(w.u32(count(&in_schema)), |w, default| {
            let schema = default.schema.as_deref().unwrap_or_default();
            write_items(
                w.bytes(default.owner.as_bytes()).bytes(schema.as_bytes()),
                &default.items,
            )
        })
        .finish()
}

pub(crate) fn decode_tenant_access(bytes: &[u8]) -> Result<TenantAccess> {
    let mut r = Reader::new(bytes);
    let access = (|| {
        let owner = r.str()?.to_owned();
        let schema = match r.u8()? {
            0 => None,
            1 => Some(read_items(&mut r)?),
            _ => return None,
        };
        let mut defaults = Vec::new();
        for _ in 0..r.u32()? {
            let owner = r.str()?.to_owned();
            defaults.push(DefaultAcl {
                owner,
                schema: None,
                items: read_items(&mut r)?,
            });
        }
        if r.end().is_none() {
            for _ in 0..r.u32()? {
                let owner = r.str()?.to_owned();
                let schema = Some(r.str()?.to_owned());
                defaults.push(DefaultAcl {
                    owner,
                    schema,
                    items: read_items(&mut r)?,
                });
            }
        }
        r.end()?;
        Some(TenantAccess {
            owner,
            schema,
            defaults,
        })
    })();
    access.ok_or_else(|| Error::Corrupted("undecodable tenant access record".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(grantee: &str) -> AclItem {
        AclItem {
            grantee: grantee.into(),
            grantor: "w".into(),
            privileges: 5,
            grant_options: 1,
        }
    }

    fn access(defaults: Vec<DefaultAcl>) -> TenantAccess {
        TenantAccess {
            owner: "o".into(),
            schema: Some(vec![item("")]),
            defaults,
        }
    }

    #[test]
    fn records_without_schema_defaults_keep_the_old_bytes_and_read_back() {
        let global = DefaultAcl {
            owner: "w".into(),
            schema: None,
            items: vec![item("r")],
        };
        let record = access(vec![global]);
        let bytes = encode_tenant_access(&record);
        // Owner, schema list, one global default: nothing after the global section.
        let old = Writer::new().bytes(b"o").u8(1);
        let old = write_items(old, &[item("")]).u32(1).bytes(b"w");
        assert_eq!(bytes, write_items(old, &[item("r")]).finish());
        assert_eq!(decode_tenant_access(&bytes).unwrap(), record);
    }

    #[test]
    fn schema_defaults_round_trip_after_the_global_ones() {
        let in_public = DefaultAcl {
            owner: "w".into(),
            schema: Some("public".into()),
            items: vec![item("r")],
        };
        let global = DefaultAcl {
            owner: "w".into(),
            schema: None,
            items: vec![item("s")],
        };
        let bytes = encode_tenant_access(&access(vec![in_public.clone(), global.clone()]));
        let read = decode_tenant_access(&bytes).unwrap();
        assert_eq!(read, access(vec![global, in_public]));
        assert!(decode_tenant_access(&bytes[..bytes.len() - 1]).is_err());
    }
}
