//! The keyring file: a person's data keys and identity, sealed under their passphrase
//! (argon2id + AES-256-GCM-SIV, docs/FORMAT.md#keyring-files-and-key-exports), and the key
//! operations the CLI offers: new, rotate, export, import, identity, tokens.
//!
//! Invariants:
//! - The file is created with mode 0600 and replaced atomically (temp file, fsync, rename,
//!   directory fsync): a crash leaves the old or the new keyring, never a torn one.
//! - A keyring whose file is readable or writable by group or others is refused on open.
//! - Secrets live in memory only inside `Secrets`/`WrapKey` (zeroized on drop); nothing here
//!   logs or prints them. Tokens leave only through `tokens`, as `Zeroizing` text.
//! - Every change is saved before the call returns; the passphrase is derived once per open.

use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use mindoodb_protocol::{
    AuthorKey, BoxKind, DataKey, Identity, KdfParams, KeyName, KeyRef, Nonce, Secrets, WrapKey,
    export_text, open_box, parse_export_text, peek_box, seal_box,
};
use zeroize::Zeroizing;

use crate::{Error, Result};

/// An open keyring file.
pub struct Keyring {
    path: PathBuf,
    wrap: WrapKey,
    secrets: Secrets,
}

impl Keyring {
    /// Creates a new, empty keyring at `path`; fails if the file exists.
    /// `params` are normally `KdfParams::recommended()`.
    pub fn create(path: &Path, passphrase: &[u8], params: KdfParams) -> Result<Keyring> {
        if path.exists() {
            return Err(Error::Keyring(format!("{} exists already", path.display())));
        }
        let keyring = Keyring {
            path: path.to_owned(),
            wrap: WrapKey::derive(passphrase, params)?,
            secrets: Secrets::default(),
        };
        keyring.save()?;
        Ok(keyring)
    }

    /// Opens the keyring at `path` with its passphrase.
    pub fn open(path: &Path, passphrase: &[u8]) -> Result<Keyring> {
        let file_err = |source| Error::File {
            path: path.to_owned(),
            source,
        };
        let mode = fs::metadata(path).map_err(file_err)?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(Error::Keyring(format!(
                "{} is accessible by other users (mode {:o}); run chmod 600 on it",
                path.display(),
                mode & 0o777
            )));
        }
        let bytes = fs::read(path).map_err(file_err)?;
        let (_, params) = peek_box(&bytes)?;
        let wrap = WrapKey::derive(passphrase, params)?;
        let secrets = open_box(BoxKind::Keyring, &bytes, &wrap)?;
        Ok(Keyring {
            path: path.to_owned(),
            wrap,
            secrets,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every key version, by name then version.
    pub fn keys(&self) -> impl Iterator<Item = &DataKey> {
        self.secrets.keys.values()
    }

    /// The newest version of `name`.
    pub fn newest(&self, name: &KeyName) -> Option<&DataKey> {
        self.secrets
            .keys
            .values()
            .rev()
            .find(|k| k.key_ref().name == *name)
    }

    /// The key version `key_ref`.
    pub fn key(&self, key_ref: &KeyRef) -> Option<&DataKey> {
        self.secrets.keys.get(key_ref)
    }

    /// The identity that signs this keyring's entries.
    pub fn identity(&self) -> Option<&Identity> {
        self.secrets.identity.as_ref()
    }

    /// Adds version 1 of a new random key; fails if the name is taken.
    pub fn new_key(&mut self, name: KeyName) -> Result<KeyRef> {
        if self.newest(&name).is_some() {
            return Err(Error::Keyring(format!(
                "key {name} exists already; use rotate for a new version"
            )));
        }
        self.add(DataKey::generate(name, 1)?)
    }

    /// Adds the next version of `name`: what new writes use from now on.
    pub fn rotate(&mut self, name: &KeyName) -> Result<KeyRef> {
        let version = self
            .newest(name)
            .map(|k| k.key_ref().version + 1)
            .ok_or_else(|| Error::Keyring(format!("no key named {name}")))?;
        self.add(DataKey::generate(name.clone(), version)?)
    }

    /// Creates the keyring's identity; fails if it has one, unless `replace`.
    pub fn new_identity(&mut self, replace: bool) -> Result<AuthorKey> {
        if self.secrets.identity.is_some() && !replace {
            return Err(Error::Keyring(
                "the keyring has an identity already; replacing it changes who signs".into(),
            ));
        }
        let identity = Identity::generate()?;
        let public = identity.public();
        let previous = self.secrets.identity.replace(identity);
        if let Err(err) = self.save() {
            self.secrets.identity = previous;
            return Err(err);
        }
        Ok(public)
    }

    /// Every version of the named keys, sealed under `one_time` for out-of-band handover, as
    /// `mdbx1.` text. The identity never leaves: it is personal.
    pub fn export(&self, names: &[KeyName], one_time: &[u8]) -> Result<String> {
        let mut export = Secrets::default();
        for name in names {
            let versions: Vec<&DataKey> =
                self.keys().filter(|k| k.key_ref().name == *name).collect();
            if versions.is_empty() {
                return Err(Error::Keyring(format!("no key named {name}")));
            }
            for key in versions {
                export.keys.insert(key.key_ref().clone(), copy_key(key)?);
            }
        }
        let wrap = WrapKey::derive(one_time, KdfParams::recommended()?)?;
        let bytes = seal_box(BoxKind::Export, &export, &wrap, Nonce::random()?)?;
        Ok(export_text(&bytes))
    }

    /// Adds the keys of an export; returns the versions that were new. A version already
    /// held must be the same key, or nothing is imported.
    pub fn import(&mut self, text: &str, one_time: &[u8]) -> Result<Vec<KeyRef>> {
        let bytes = parse_export_text(text)?;
        let (_, params) = peek_box(&bytes)?;
        let wrap = WrapKey::derive(one_time, params)?;
        let imported = open_box(BoxKind::Export, &bytes, &wrap)?;
        for (key_ref, key) in &imported.keys {
            if let Some(held) = self.secrets.keys.get(key_ref)
                && held.kcv() != key.kcv()
            {
                return Err(Error::Keyring(format!(
                    "the export's {key_ref} differs from the {key_ref} held here; nothing imported"
                )));
            }
        }
        let mut added = Vec::new();
        for (key_ref, key) in imported.keys {
            if let std::collections::btree_map::Entry::Vacant(slot) =
                self.secrets.keys.entry(key_ref)
            {
                added.push(slot.key().clone());
                slot.insert(key);
            }
        }
        if let Err(err) = self.save() {
            for key_ref in &added {
                self.secrets.keys.remove(key_ref);
            }
            return Err(err);
        }
        Ok(added)
    }

    /// Comma-separated tokens for `SET mindoo.keys`: every version of the named keys (all keys
    /// when `names` is empty), then the identity.
    pub fn tokens(&self, names: &[KeyName]) -> Result<Zeroizing<String>> {
        for name in names {
            if self.newest(name).is_none() {
                return Err(Error::Keyring(format!("no key named {name}")));
            }
        }
        let mut out = Zeroizing::new(String::new());
        let wanted = self
            .keys()
            .filter(|k| names.is_empty() || names.contains(&k.key_ref().name));
        for key in wanted {
            if !out.is_empty() {
                out.push(',');
            }
            out.push_str(&key.token());
        }
        if let Some(identity) = self.identity() {
            if !out.is_empty() {
                out.push(',');
            }
            out.push_str(&identity.token());
        }
        Ok(out)
    }

    fn add(&mut self, key: DataKey) -> Result<KeyRef> {
        let key_ref = key.key_ref().clone();
        self.secrets.keys.insert(key_ref.clone(), key);
        if let Err(err) = self.save() {
            self.secrets.keys.remove(&key_ref);
            return Err(err);
        }
        Ok(key_ref)
    }

    /// Seals the secrets with a fresh nonce and replaces the file atomically.
    fn save(&self) -> Result<()> {
        let bytes = seal_box(
            BoxKind::Keyring,
            &self.secrets,
            &self.wrap,
            Nonce::random()?,
        )?;
        let file_err = |source| Error::File {
            path: self.path.clone(),
            source,
        };
        let dir = match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
            _ => PathBuf::from("."),
        };
        let name = self
            .path
            .file_name()
            .ok_or_else(|| Error::Keyring(format!("{} is not a file path", self.path.display())))?;
        let mut tmp_name = name.to_owned();
        tmp_name.push(".tmp");
        let tmp = dir.join(tmp_name);
        let written = (|| {
            let mut file = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)?;
            // A leftover temp file from a crash may have been created with other bits.
            file.set_permissions(fs::Permissions::from_mode(0o600))?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            fs::rename(&tmp, &self.path)?;
            File::open(&dir)?.sync_all()
        })();
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        written.map_err(file_err)
    }
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("path", &self.path)
            .field("keys", &self.secrets.keys.keys().collect::<Vec<_>>())
            .field("identity", &self.identity().map(Identity::public))
            .finish()
    }
}

/// A second `DataKey` holding the same secret (keys are deliberately not `Clone`).
fn copy_key(key: &DataKey) -> Result<DataKey> {
    Ok(DataKey::from_token(&key.token())?)
}
