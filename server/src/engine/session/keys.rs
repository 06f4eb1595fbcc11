//! A session's keys: the data keys and identity it unlocked, checked against the tenant's key
//! registry, held in memory only.
//!
//! Invariants:
//! - Key material lives here and in `DataKey`s only; it zeroizes when the set is cleared or
//!   dropped, and nothing here logs, prints or persists it.
//! - A key is accepted only when its check value matches the registry, or when the registry has
//!   never seen that name and version (then its facts are registered, never the key).

use std::collections::BTreeMap;
use std::sync::Arc;

use mindoodb_protocol::{DataKey, Identity, KdfParams, KeyName, KeyRef};
use mindoodb_storage::{KeyRecord, Store, TenantId};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The keys one session holds.
#[derive(Default)]
pub(crate) struct KeySet {
    keys: BTreeMap<KeyRef, Arc<DataKey>>,
    identity: Option<Arc<Identity>>,
}

impl KeySet {
    /// The key that opens entries sealed under `key_ref`.
    pub(crate) fn get(&self, key_ref: &KeyRef) -> Option<&Arc<DataKey>> {
        self.keys.get(key_ref)
    }

    /// The newest held version of `name`: what new writes use.
    pub(crate) fn newest(&self, name: &KeyName) -> Option<&Arc<DataKey>> {
        self.keys
            .range(
                KeyRef {
                    name: name.clone(),
                    version: 0,
                }..=KeyRef {
                    name: name.clone(),
                    version: u32::MAX,
                },
            )
            .next_back()
            .map(|(_, key)| key)
    }

    /// The identity that signs this session's writes, if one was presented.
    pub(crate) fn identity(&self) -> Option<&Arc<Identity>> {
        self.identity.as_ref()
    }

    /// Every held key reference, for `mindoo.keys()` and `SHOW mindoo.keys`.
    pub(crate) fn held(&self) -> impl Iterator<Item = &KeyRef> {
        self.keys.keys()
    }

    /// The data keys alone, for a scan to decrypt with; the identity stays with the session.
    pub(crate) fn for_reading(&self) -> KeySet {
        KeySet {
            keys: self.keys.clone(),
            identity: None,
        }
    }

    pub(crate) fn insert(&mut self, key: DataKey) {
        self.keys.insert(key.key_ref().clone(), Arc::new(key));
    }

    pub(crate) fn clear(&mut self) {
        self.keys.clear();
        self.identity = None;
    }
}

/// Parses `SET mindoo.keys` / startup tokens (comma-separated `mdbk1.`/`mdbi1.` tokens), checks
/// every data key against the registry and returns the new key set. Nothing changes on error.
/// A read-only node (`register` false) checks known keys but registers none.
pub(crate) fn parse_tokens(
    store: &Store,
    tenant: TenantId,
    tokens: &str,
    register: bool,
) -> Result<KeySet> {
    let mut set = KeySet::default();
    for token in tokens.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if token.starts_with("mdbi1.") {
            set.identity = Some(Arc::new(Identity::from_token(token)?));
            continue;
        }
        let key = DataKey::from_token(token)?;
        match store.key(tenant, key.key_ref())? {
            Some(record) if record.kcv != key.kcv() => {
                return Err(Error::WrongKey(key.key_ref().to_string()));
            }
            None if register => check_or_register(store, tenant, &key, None)?,
            _ => {}
        }
        set.insert(key);
    }
    Ok(set)
}

/// Accepts `key` if the registry agrees with its check value, registering it if unknown.
pub(crate) fn check_or_register(
    store: &Store,
    tenant: TenantId,
    key: &DataKey,
    kdf: Option<KdfParams>,
) -> Result<()> {
    match store.key(tenant, key.key_ref())? {
        Some(record) if record.kcv == key.kcv() => Ok(()),
        Some(_) => Err(Error::WrongKey(key.key_ref().to_string())),
        None => {
            store.register_key(
                tenant,
                &KeyRecord {
                    name: key.key_ref().name.clone(),
                    version: key.key_ref().version,
                    kcv: key.kcv(),
                    kdf,
                },
            )?;
            Ok(())
        }
    }
}

/// The next version number for `name` in the tenant's registry.
pub(crate) fn next_version(store: &Store, tenant: TenantId, name: &KeyName) -> Result<u32> {
    Ok(store
        .keys(tenant)?
        .iter()
        .filter(|k| k.name == *name)
        .map(|k| k.version)
        .max()
        .unwrap_or(0)
        + 1)
}

/// Derives every registered passphrase version of `name` from `passphrase`; returns those
/// whose check value matches, or `WrongKey` when none does.
pub(crate) fn unlock(
    store: &Store,
    tenant: TenantId,
    name: &KeyName,
    passphrase: &Zeroizing<String>,
) -> Result<Vec<DataKey>> {
    let mut opened = Vec::new();
    let mut candidates = 0;
    for record in store.keys(tenant)?.into_iter().filter(|k| k.name == *name) {
        let Some(kdf) = record.kdf else { continue };
        candidates += 1;
        let key =
            DataKey::from_passphrase(name.clone(), record.version, passphrase.as_bytes(), &kdf)?;
        if key.kcv() == record.kcv {
            opened.push(key);
        }
    }
    if candidates == 0 {
        return Err(Error::UndefinedObject(format!("passphrase key \"{name}\"")));
    }
    if opened.is_empty() {
        return Err(Error::WrongKey(name.to_string()));
    }
    Ok(opened)
}
