//! Key boxes: data keys and an identity sealed under a passphrase. A keyring file is one box;
//! a key export (`mdbx1.` text, for out-of-band handover) is another, under a one-time
//! passphrase.
//!
//! ```text
//! box    = header (46 bytes) ‖ ciphertext
//!  0      4     5      6        10       14       18          34           46
//!  +------+-----+------+--------+--------+--------+-----------+------------+
//!  |"MDBR"| ver | kind | m_kib  | t_cost | p_cost | salt (16) | nonce (12) |
//!  +------+-----+------+--------+--------+--------+-----------+------------+
//! ciphertext = AES-256-GCM-SIV(argon2id(passphrase, salt), nonce, body, aad = header)
//! body   = n_keys u16 ‖ n_keys × (name_len u8 ‖ name ‖ version u32 ‖ secret 32)
//!          ‖ has_identity u8 ‖ (identity seed 32, when has_identity = 1)
//! ```
//! All integers are little-endian.
//!
//! Invariants:
//! - The body is canonical: keys sorted by (name, version) without duplicates, no trailing
//!   bytes; one set of secrets, passphrase, salt and nonce gives one byte string.
//! - The whole header is the AEAD's associated data: changing the kind, the KDF parameters or
//!   any other header byte makes opening fail, like a wrong passphrase does.
//! - Opening never returns partial secrets, and errors never include secret bytes.
//! - KDF costs above `MAX_KDF_MIB`/`MAX_KDF_PASSES` are refused before deriving, so a hostile
//!   export cannot make its reader allocate gigabytes.
//!
//! See: docs/FORMAT.md#keyring-files-and-key-exports

use std::collections::BTreeMap;

use aes_gcm_siv::aead::{AeadInOut, KeyInit};
use aes_gcm_siv::{Aes256GcmSiv, Key};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use zeroize::Zeroizing;

use crate::entry::TAG_LEN;
use crate::fields::{KeyRef, Nonce};
use crate::keys::derive_key;
use crate::{DataKey, Error, Identity, KdfParams, KeyName, Result};

/// Format version of key boxes this build writes and reads.
pub const KEYBOX_VERSION: u8 = 1;
/// Prefix of a key export's text form.
pub const EXPORT_PREFIX: &str = "mdbx1.";
/// Largest argon2 memory cost a box may ask for, in MiB.
pub const MAX_KDF_MIB: u32 = 1024;
/// Most argon2 passes a box may ask for.
pub const MAX_KDF_PASSES: u32 = 16;

const MAGIC: [u8; 4] = *b"MDBR";
const HEADER_LEN: usize = 46;
const KDF_OFFSET: usize = 6;
const NONCE_OFFSET: usize = KDF_OFFSET + KdfParams::ENCODED_LEN;

/// What a box holds: a whole keyring, or keys exported for someone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxKind {
    /// A keyring file.
    Keyring,
    /// A key export for out-of-band handover.
    Export,
}

impl BoxKind {
    fn to_byte(self) -> u8 {
        match self {
            BoxKind::Keyring => 1,
            BoxKind::Export => 2,
        }
    }

    fn from_byte(byte: u8) -> Option<BoxKind> {
        match byte {
            1 => Some(BoxKind::Keyring),
            2 => Some(BoxKind::Export),
            _ => None,
        }
    }
}

/// The secrets a box holds: data keys by name and version, and at most one identity.
#[derive(Debug, Default)]
pub struct Secrets {
    /// Every key version, ordered by name then version.
    pub keys: BTreeMap<KeyRef, DataKey>,
    /// The identity that signs this holder's entries.
    pub identity: Option<Identity>,
}

/// The key that seals and opens one box: argon2id of a passphrase under the box's parameters.
pub struct WrapKey {
    secret: Zeroizing<[u8; 32]>,
    params: KdfParams,
}

impl WrapKey {
    /// argon2id(passphrase, salt); refuses costs above the format's limits.
    pub fn derive(passphrase: &[u8], params: KdfParams) -> Result<WrapKey> {
        if params.m_kib > MAX_KDF_MIB * 1024 || params.t_cost > MAX_KDF_PASSES {
            return Err(Error::Keybox(
                "key derivation cost above the format's limits",
            ));
        }
        Ok(WrapKey {
            secret: derive_key(passphrase, &params)?,
            params,
        })
    }

    /// The parameters (and salt) it was derived with.
    pub fn params(&self) -> &KdfParams {
        &self.params
    }
}

impl std::fmt::Debug for WrapKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WrapKey({:?}, <redacted>)", self.params)
    }
}

/// Reads a box's kind and KDF parameters, which are needed to derive its `WrapKey`.
pub fn peek_box(bytes: &[u8]) -> Result<(BoxKind, KdfParams)> {
    let header = bytes
        .get(..HEADER_LEN)
        .ok_or(Error::Keybox("shorter than a key box header"))?;
    if header[..4] != MAGIC {
        return Err(Error::Keybox("not a key box (bad magic)"));
    }
    if header[4] != KEYBOX_VERSION {
        return Err(Error::Keybox("unsupported key box version"));
    }
    let kind = BoxKind::from_byte(header[5]).ok_or(Error::Keybox("unknown key box kind"))?;
    let params = KdfParams::decode(&header[KDF_OFFSET..NONCE_OFFSET])?;
    Ok((kind, params))
}

/// Seals `secrets` under `wrap`; `nonce` is normally `Nonce::random()`.
pub fn seal_box(kind: BoxKind, secrets: &Secrets, wrap: &WrapKey, nonce: Nonce) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(HEADER_LEN + 64 * secrets.keys.len() + 64);
    out.extend_from_slice(&MAGIC);
    out.push(KEYBOX_VERSION);
    out.push(kind.to_byte());
    out.extend_from_slice(&wrap.params.encode());
    out.extend_from_slice(&nonce.0);
    debug_assert_eq!(out.len(), HEADER_LEN);

    let mut body = Zeroizing::new(Vec::with_capacity(64 * secrets.keys.len() + 40));
    let n_keys = u16::try_from(secrets.keys.len()).map_err(|_| Error::Keybox("too many keys"))?;
    body.extend_from_slice(&n_keys.to_le_bytes());
    for (key_ref, key) in &secrets.keys {
        if key.key_ref() != key_ref {
            return Err(Error::Keybox(
                "a key is filed under another name or version",
            ));
        }
        let name = key_ref.name.as_str().as_bytes();
        // Key names are at most 64 bytes (KeyName's invariant).
        body.push(name.len() as u8);
        body.extend_from_slice(name);
        body.extend_from_slice(&key_ref.version.to_le_bytes());
        body.extend_from_slice(key.secret());
    }
    match &secrets.identity {
        Some(identity) => {
            body.push(1);
            body.extend_from_slice(&identity.seed()[..]);
        }
        None => body.push(0),
    }

    let tag = cipher(wrap)
        .encrypt_inout_detached(&nonce.0.into(), &out, body.as_mut_slice().into())
        .map_err(|_| Error::Keybox("box too large"))?;
    out.extend_from_slice(&body);
    out.extend_from_slice(&tag);
    Ok(out)
}

/// Opens a box of the expected kind; a wrong passphrase and altered bytes fail alike.
pub fn open_box(kind: BoxKind, bytes: &[u8], wrap: &WrapKey) -> Result<Secrets> {
    let (found, params) = peek_box(bytes)?;
    if found != kind {
        return Err(Error::Keybox(match kind {
            BoxKind::Keyring => "this is a key export, not a keyring",
            BoxKind::Export => "this is a keyring, not a key export",
        }));
    }
    if params != wrap.params {
        return Err(Error::Keybox("the wrap key was derived for another box"));
    }
    let (header, sealed) = bytes.split_at(HEADER_LEN);
    let body_len = sealed
        .len()
        .checked_sub(TAG_LEN)
        .ok_or(Error::Keybox("truncated key box"))?;
    let (body, tag) = sealed.split_at(body_len);
    let tag: [u8; TAG_LEN] = tag
        .try_into()
        .map_err(|_| Error::Keybox("truncated key box"))?;
    let nonce: [u8; 12] = header[NONCE_OFFSET..HEADER_LEN]
        .try_into()
        .map_err(|_| Error::Keybox("truncated key box"))?;
    let mut body = Zeroizing::new(body.to_vec());
    cipher(wrap)
        .decrypt_inout_detached(
            &nonce.into(),
            header,
            body.as_mut_slice().into(),
            &tag.into(),
        )
        .map_err(|_| Error::Keybox("wrong passphrase, or the box was altered"))?;
    parse_body(&body)
}

/// The text form of an export box: `mdbx1.<base64url>`.
pub fn export_text(bytes: &[u8]) -> String {
    format!("{EXPORT_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Reads what `export_text` wrote (surrounding whitespace allowed).
pub fn parse_export_text(text: &str) -> Result<Vec<u8>> {
    let rest = text
        .trim()
        .strip_prefix(EXPORT_PREFIX)
        .ok_or(Error::Keybox("a key export starts with mdbx1."))?;
    URL_SAFE_NO_PAD
        .decode(rest)
        .map_err(|_| Error::Keybox("a key export is base64url after mdbx1."))
}

fn parse_body(body: &[u8]) -> Result<Secrets> {
    let bad = || Error::Keybox("malformed key box body");
    let mut pos = 0;
    let mut take = |len: usize| -> Result<&[u8]> {
        let field = body.get(pos..pos + len).ok_or_else(bad)?;
        pos += len;
        Ok(field)
    };
    let n_keys = u16::from_le_bytes(take(2)?.try_into().map_err(|_| bad())?);
    let mut secrets = Secrets::default();
    let mut previous: Option<KeyRef> = None;
    for _ in 0..n_keys {
        let name_len = usize::from(take(1)?[0]);
        let name = std::str::from_utf8(take(name_len)?).map_err(|_| bad())?;
        let name = KeyName::new(name)?;
        let version = u32::from_le_bytes(take(4)?.try_into().map_err(|_| bad())?);
        let mut secret = Zeroizing::new([0u8; 32]);
        secret.copy_from_slice(take(32)?);
        let key = DataKey::from_secret(name, version, secret)?;
        let key_ref = key.key_ref().clone();
        if previous.as_ref().is_some_and(|p| *p >= key_ref) {
            return Err(Error::Keybox("keys are not sorted by name and version"));
        }
        previous = Some(key_ref.clone());
        secrets.keys.insert(key_ref, key);
    }
    secrets.identity = match take(1)?[0] {
        0 => None,
        1 => {
            let mut seed = Zeroizing::new([0u8; 32]);
            seed.copy_from_slice(take(32)?);
            Some(Identity::from_seed(&seed))
        }
        _ => return Err(bad()),
    };
    if pos != body.len() {
        return Err(Error::Keybox("trailing bytes in the key box body"));
    }
    Ok(secrets)
}

fn cipher(wrap: &WrapKey) -> Aes256GcmSiv {
    Aes256GcmSiv::new(&Key::<Aes256GcmSiv>::from(*wrap.secret))
}
