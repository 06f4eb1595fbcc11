//! The catalog: tenants, tables, views, roles, grants and the key registry, in the `catalog`
//! column family, with tenants, tables and views cached in memory.
//!
//! ```text
//! "n"                                   -> next id (u32)
//! "t" tenant_name                       -> tenant id (u32)
//! "T" tenant_id(4) table_name           -> TableInfo (tenant, id, name, default key, flags
//!                                          (read-only, audit reads), owner and grants)
//! "v" tenant_id(4) view_name            -> ViewInfo
//! "r" role_name                         -> RoleRecord
//! "g" role_name 0x00 tenant_name        -> (grant of CONNECT)
//! "k" tenant_id(4) key_name 0x00 ver(4) -> KeyRecord
//! "a" tenant_id(4)                      -> TenantAccess (`access.rs`)
//! "s" tenant_id(4) table_id(4) peer_id  -> SyncCursor
//! "w" tenant_id(4) seq(8)               -> writer record (`writers.rs`)
//! "q" tenant_id(4) table_id(4) hash(32) -> quarantined entry (`quarantine.rs`)
//! ```
//!
//! Invariants:
//! - The key registry holds names, versions, key check values and KDF parameters: never key
//!   material.
//! - Ids come from one counter and are never reused.
//! - Sync cursors are filed under the table's id, so a re-created table starts from zero, and
//!   they go when their table or tenant goes. A peer id is opaque bytes chosen by the caller.
//! - A tenant's tables and views share one namespace: no name is both.
//! - A view is its name and SQL text only; the storage engine never parses the text.
//! - Every catalog change is one synced WriteBatch, made under the catalog write lock, which
//!   also keeps commits out while a table is dropped.
#![allow(
    clippy::big_endian_bytes,
    reason = "RocksDB compares keys bytewise; big-endian makes that numeric order"
)]

use std::collections::BTreeMap;

use mindoodb_protocol::{EntryHash, Kcv, KdfParams, KeyName, WriterList};

use crate::access::{self, Access, TenantAccess};
use crate::codec::{Reader, Writer};
use crate::writers;
use crate::{Error, Result, Seq, Table, TableId, TenantId};

const NEXT_ID: &[u8] = b"n";
const TENANT: u8 = b't';
pub(crate) const TABLE: u8 = b'T';
const ROLE: u8 = b'r';
const GRANT: u8 = b'g';
const KEY: u8 = b'k';
const SYNC: u8 = b's';
const VIEW: u8 = b'v';
const TENANT_ACCESS: u8 = b'a';
const MAX_NAME_LEN: usize = 63;

/// A tenant: an organisation with its own tables, keys and grants (a Postgres database).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantInfo {
    /// Never reused.
    pub id: TenantId,
    /// Its name (`dbname` on connect).
    pub name: String,
}

/// A document table of a tenant (a shard such as `crm2025`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableInfo {
    /// How the engine addresses it.
    pub table: Table,
    /// Its name.
    pub name: String,
    /// The key new documents use when the writer names none.
    pub default_key: Option<KeyName>,
    /// An archived shard: readable, syncable and backed up, but every commit that writes to
    /// it is refused (`Error::ReadOnlyTable`).
    pub read_only: bool,
    /// Every read of its documents appends a signed record to its audit log (`audit.rs`).
    pub audit_reads: bool,
    /// Its owner and grants.
    pub access: Access,
}

/// A view of a tenant: a name for a query over its tables. The text is opaque here; the server
/// that stored it parses and plans it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewInfo {
    /// The owning tenant.
    pub tenant: TenantId,
    /// Its name, unique among the tenant's tables and views.
    pub name: String,
    /// The defining query, as the server wrote it.
    pub sql: String,
    /// Its owner and grants.
    pub access: Access,
}

/// A login role. `auth` is the server's password verifier (for example SCRAM); never a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRecord {
    /// Role name.
    pub name: String,
    /// Opaque verifier bytes, interpreted by the server.
    pub auth: Vec<u8>,
    /// May log in.
    pub login: bool,
    /// May create tenants and roles and sees every tenant.
    pub superuser: bool,
    /// Uses the privileges of the roles it is a member of without SET ROLE.
    pub inherit: bool,
    /// The roles it is a member of (GRANT role TO this).
    pub member_of: Vec<Membership>,
    /// Its place in the order roles were created in: a number from the catalog's id counter
    /// (so never reused, and larger for a later role), set by `Store::create_role` and kept
    /// by `update_role`. 0 for roles created before it was recorded.
    pub created: u64,
}

/// A role's membership in another role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The role it is a member of.
    pub role: String,
    /// May grant that role to others.
    pub admin: bool,
    /// Who granted it.
    pub grantor: String,
}

/// What a server may know about one key version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRecord {
    /// Key name.
    pub name: KeyName,
    /// Version, from 1.
    pub version: u32,
    /// Key check value: tells a wrong key from the right one.
    pub kcv: Kcv,
    /// For passphrase keys: argon2id parameters and salt.
    pub kdf: Option<KdfParams>,
}

/// How far the sync of one table with one peer got; storage keeps it and knows nothing else
/// about peers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncCursor {
    /// The last seq of the peer's log that was imported here; 0 before the first pull.
    pub pulled: Seq,
    /// The hash of the peer's entry at `pulled`: if the peer's log at that seq changes (a
    /// re-created table, a restored backup), the pull starts over.
    pub pulled_hash: Option<EntryHash>,
    /// The last seq of this table's log that the peer acknowledged; 0 before the first push.
    pub pushed: Seq,
}

impl SyncCursor {
    /// Where a sync with a new peer starts.
    pub const START: SyncCursor = SyncCursor {
        pulled: Seq(0),
        pulled_hash: None,
        pushed: Seq(0),
    };
}

/// The in-memory view of tenants and tables.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub(crate) next_id: u32,
    pub(crate) tenants: BTreeMap<String, TenantInfo>,
    pub(crate) tables: BTreeMap<(TenantId, String), TableInfo>,
    pub(crate) views: BTreeMap<(TenantId, String), ViewInfo>,
    pub(crate) access: BTreeMap<TenantId, TenantAccess>,
    pub(crate) writers: BTreeMap<TenantId, WriterList>,
}

impl Catalog {
    pub(crate) fn table_info(&self, table: Table) -> Option<&TableInfo> {
        // Tables per tenant are few; a scan keeps one source of truth.
        self.tables
            .range((table.tenant, String::new())..)
            .take_while(|((tenant, _), _)| *tenant == table.tenant)
            .map(|(_, info)| info)
            .find(|info| info.table == table)
    }

    /// True when `name` is a table or a view of `tenant`.
    pub(crate) fn has_relation(&self, tenant: TenantId, name: &str) -> bool {
        let key = (tenant, name.to_owned());
        self.tables.contains_key(&key) || self.views.contains_key(&key)
    }

    /// Rebuilds the cache from the column family's contents, in key order.
    pub(crate) fn load<'a>(
        rows: impl Iterator<Item = (Box<[u8]>, Box<[u8]>)> + 'a,
    ) -> Result<Catalog> {
        let mut catalog = Catalog::default();
        for (key, value) in rows {
            match key.first() {
                Some(b'n') => catalog.next_id = decode_u32(&value)?,
                Some(&TENANT) => {
                    let name = utf8(&key[1..])?;
                    let id = TenantId(decode_u32(&value)?);
                    catalog
                        .tenants
                        .insert(name.clone(), TenantInfo { id, name });
                }
                Some(&TABLE) => {
                    let info = decode_table(&value)?;
                    catalog
                        .tables
                        .insert((info.table.tenant, info.name.clone()), info);
                }
                Some(&VIEW) => {
                    let info = decode_view(&value)?;
                    catalog.views.insert((info.tenant, info.name.clone()), info);
                }
                Some(&TENANT_ACCESS) => {
                    let id: [u8; 4] = key[1..].try_into().map_err(|_| corrupt("access key"))?;
                    catalog.access.insert(
                        TenantId(u32::from_be_bytes(id)),
                        access::decode_tenant_access(&value)?,
                    );
                }
                Some(&writers::WRITER) => writers::load_row(&mut catalog, &key, &value)?,
                _ => {}
            }
        }
        Ok(catalog)
    }

    pub(crate) fn allocate_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }
}

/// Tenant, table, view and role names: what a Postgres identifier may hold (any text, quoted
/// where needed), 1 to 63 bytes, without control characters (NUL separates key parts).
pub(crate) fn check_name(name: &str) -> Result<()> {
    let printable = name.bytes().all(|b| b >= 0x20 && b != 0x7f);
    if printable && !name.is_empty() && name.len() <= MAX_NAME_LEN {
        Ok(())
    } else {
        Err(Error::InvalidName(name.to_owned()))
    }
}

pub(crate) fn next_id_key() -> &'static [u8] {
    NEXT_ID
}

pub(crate) fn tenant_key(name: &str) -> Vec<u8> {
    tagged(TENANT, &[name.as_bytes()])
}

pub(crate) fn table_key(tenant: TenantId, name: &str) -> Vec<u8> {
    tagged(TABLE, &[&tenant.0.to_be_bytes(), name.as_bytes()])
}

pub(crate) fn view_key(tenant: TenantId, name: &str) -> Vec<u8> {
    tagged(VIEW, &[&tenant.0.to_be_bytes(), name.as_bytes()])
}

pub(crate) fn tenant_access_key(tenant: TenantId) -> Vec<u8> {
    tagged(TENANT_ACCESS, &[&tenant.0.to_be_bytes()])
}

pub(crate) fn views_of_prefix(tenant: TenantId) -> Vec<u8> {
    tagged(VIEW, &[&tenant.0.to_be_bytes()])
}

pub(crate) fn role_key(name: &str) -> Vec<u8> {
    tagged(ROLE, &[name.as_bytes()])
}

pub(crate) fn role_prefix() -> Vec<u8> {
    vec![ROLE]
}

pub(crate) fn grant_key(role: &str, tenant: &str) -> Vec<u8> {
    tagged(GRANT, &[role.as_bytes(), &[0], tenant.as_bytes()])
}

pub(crate) fn grants_of_prefix(role: &str) -> Vec<u8> {
    tagged(GRANT, &[role.as_bytes(), &[0]])
}

pub(crate) fn key_key(tenant: TenantId, name: &KeyName, version: u32) -> Vec<u8> {
    tagged(
        KEY,
        &[
            &tenant.0.to_be_bytes(),
            name.as_str().as_bytes(),
            &[0],
            &version.to_be_bytes(),
        ],
    )
}

pub(crate) fn keys_of_prefix(tenant: TenantId) -> Vec<u8> {
    tagged(KEY, &[&tenant.0.to_be_bytes()])
}

pub(crate) fn sync_key(table: Table, peer: &[u8]) -> Vec<u8> {
    tagged(
        SYNC,
        &[
            &table.tenant.0.to_be_bytes(),
            &table.id.0.to_be_bytes(),
            peer,
        ],
    )
}

pub(crate) fn syncs_of_table_prefix(table: Table) -> Vec<u8> {
    tagged(
        SYNC,
        &[&table.tenant.0.to_be_bytes(), &table.id.0.to_be_bytes()],
    )
}

pub(crate) fn encode_u32(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

pub(crate) fn decode_u32(bytes: &[u8]) -> Result<u32> {
    Ok(u32::from_le_bytes(
        bytes.try_into().map_err(|_| corrupt("catalog counter"))?,
    ))
}

pub(crate) fn encode_table(info: &TableInfo) -> Vec<u8> {
    let w = Writer::new()
        .u32(info.table.tenant.0)
        .u32(info.table.id.0)
        .bytes(info.name.as_bytes())
        .bytes(
            info.default_key
                .as_ref()
                .map_or("", |k| k.as_str())
                .as_bytes(),
        )
        .u8(u8::from(info.read_only) | u8::from(info.audit_reads) << 1);
    access::write_access(w, &info.access).finish()
}

pub(crate) fn decode_table(bytes: &[u8]) -> Result<TableInfo> {
    let mut r = Reader::new(bytes);
    let info = (|| {
        let tenant = TenantId(r.u32()?);
        let id = TableId(r.u32()?);
        let name = r.str()?.to_owned();
        let key = r.str()?;
        let default_key = if key.is_empty() {
            None
        } else {
            Some(KeyName::new(key).ok()?)
        };
        // Records written before the flags existed end here: not read-only, not audited.
        // Audit reads is a higher bit, so records written before it read as not audited.
        let flags = match r.end() {
            Some(()) => 0,
            None => match r.u8()? {
                flags @ 0..=3 => flags,
                _ => return None,
            },
        };
        let access = access::read_access(&mut r)?;
        r.end()?;
        Some(TableInfo {
            table: Table { tenant, id },
            name,
            default_key,
            read_only: flags & 1 != 0,
            audit_reads: flags & 2 != 0,
            access,
        })
    })();
    info.ok_or_else(|| corrupt("table record"))
}

pub(crate) fn encode_view(info: &ViewInfo) -> Vec<u8> {
    let w = Writer::new()
        .u32(info.tenant.0)
        .bytes(info.name.as_bytes())
        .bytes(info.sql.as_bytes());
    access::write_access(w, &info.access).finish()
}

pub(crate) fn decode_view(bytes: &[u8]) -> Result<ViewInfo> {
    let mut r = Reader::new(bytes);
    let info = (|| {
        let tenant = TenantId(r.u32()?);
        let name = r.str()?.to_owned();
        let sql = r.str()?.to_owned();
        let access = access::read_access(&mut r)?;
        r.end()?;
        Some(ViewInfo {
            tenant,
            name,
            sql,
            access,
        })
    })();
    info.ok_or_else(|| corrupt("view record"))
}

pub(crate) fn encode_role(role: &RoleRecord) -> Vec<u8> {
    // NOINHERIT is a set bit so that records written before it existed read as INHERIT.
    let flags = u8::from(role.login) | u8::from(role.superuser) << 1 | u8::from(!role.inherit) << 2;
    let w = Writer::new()
        .bytes(role.name.as_bytes())
        .bytes(&role.auth)
        .u8(flags);
    let len = u32::try_from(role.member_of.len()).unwrap_or(u32::MAX);
    role.member_of
        .iter()
        .fold(w.u32(len), |w, m| {
            w.bytes(m.role.as_bytes())
                .u8(u8::from(m.admin))
                .bytes(m.grantor.as_bytes())
        })
        .u64(role.created)
        .finish()
}

pub(crate) fn decode_role(bytes: &[u8]) -> Result<RoleRecord> {
    let mut r = Reader::new(bytes);
    let role = (|| {
        let name = r.str()?.to_owned();
        let auth = r.bytes()?.to_vec();
        let flags = r.u8()?;
        // Older records end before the memberships, or before the creation order.
        let mut member_of = Vec::new();
        let mut created = 0;
        if r.end().is_none() {
            for _ in 0..r.u32()? {
                member_of.push(Membership {
                    role: r.str()?.to_owned(),
                    admin: r.u8()? != 0,
                    grantor: r.str()?.to_owned(),
                });
            }
            if r.end().is_none() {
                created = r.u64()?;
            }
        }
        r.end()?;
        Some(RoleRecord {
            name,
            auth,
            login: flags & 1 != 0,
            superuser: flags & 2 != 0,
            inherit: flags & 4 == 0,
            member_of,
            created,
        })
    })();
    role.ok_or_else(|| corrupt("role record"))
}

pub(crate) fn encode_key(key: &KeyRecord) -> Vec<u8> {
    let w = Writer::new()
        .bytes(key.name.as_str().as_bytes())
        .u32(key.version)
        .raw(&key.kcv.0);
    match &key.kdf {
        Some(kdf) => w.u8(1).raw(&kdf.encode()),
        None => w.u8(0),
    }
    .finish()
}

pub(crate) fn decode_key(bytes: &[u8]) -> Result<KeyRecord> {
    let mut r = Reader::new(bytes);
    let key = (|| {
        let name = KeyName::new(r.str()?).ok()?;
        let version = r.u32()?;
        let kcv = Kcv(r.array()?);
        let kdf = match r.u8()? {
            0 => None,
            1 => Some(KdfParams::decode(r.raw(KdfParams::ENCODED_LEN)?).ok()?),
            _ => return None,
        };
        r.end()?;
        Some(KeyRecord {
            name,
            version,
            kcv,
            kdf,
        })
    })();
    key.ok_or_else(|| corrupt("key record"))
}

pub(crate) fn encode_sync(cursor: &SyncCursor) -> Vec<u8> {
    let w = Writer::new().u64(cursor.pulled.0).u64(cursor.pushed.0);
    match &cursor.pulled_hash {
        Some(hash) => w.u8(1).raw(hash.as_bytes()),
        None => w.u8(0),
    }
    .finish()
}

pub(crate) fn decode_sync(bytes: &[u8]) -> Result<SyncCursor> {
    let mut r = Reader::new(bytes);
    let cursor = (|| {
        let pulled = Seq(r.u64()?);
        let pushed = Seq(r.u64()?);
        let pulled_hash = match r.u8()? {
            0 => None,
            1 => Some(EntryHash(r.array()?)),
            _ => return None,
        };
        r.end()?;
        Some(SyncCursor {
            pulled,
            pulled_hash,
            pushed,
        })
    })();
    cursor.ok_or_else(|| corrupt("sync cursor"))
}

fn tagged(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut out = vec![tag];
    for part in parts {
        out.extend_from_slice(part);
    }
    out
}

fn utf8(bytes: &[u8]) -> Result<String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| corrupt("catalog name"))
}

fn corrupt(what: &str) -> Error {
    Error::Corrupted(format!("undecodable {what}"))
}
