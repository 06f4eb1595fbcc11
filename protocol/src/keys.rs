//! Data keys: names, random and passphrase-derived keys, their tokens and key check values.
//!
//! Invariants:
//! - A `DataKey`'s secret never leaves this module except as a token (`Zeroizing<String>`) or
//!   into the cipher; it zeroizes on drop and `Debug` shows only name and version.
//! - A key check value (KCV) reveals nothing about the key: it is a keyed BLAKE3 of a constant,
//!   so a server can tell "wrong key" from "right key" without holding either.
//!
//! See: docs/FORMAT.md#keys

use std::fmt;

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use crate::fields::KeyRef;
use crate::token::{DATA_KEY_PREFIX, decode_secret, encode_secret};
use crate::{Error, Result, hex};

/// Longest key name, in bytes.
pub const MAX_KEY_NAME_LEN: usize = 64;
const KCV_CONTEXT: &[u8] = b"mindoodb key check value v1";

/// A key's name: 1 to 64 characters of `[a-z0-9_-]` (`default`, `hr`, `confidential`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyName(String);

impl KeyName {
    /// Validates and wraps a name.
    pub fn new(name: impl Into<String>) -> Result<KeyName> {
        let name = name.into();
        if name.is_empty() {
            return Err(Error::InvalidKeyName("empty"));
        }
        if name.len() > MAX_KEY_NAME_LEN {
            return Err(Error::InvalidKeyName("longer than 64 characters"));
        }
        if !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        {
            return Err(Error::InvalidKeyName(
                "only a-z, 0-9, '_' and '-' are allowed",
            ));
        }
        Ok(KeyName(name))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A key check value: `BLAKE3-keyed(key, "mindoodb key check value v1")`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kcv(pub [u8; 32]);

impl fmt::Debug for Kcv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kcv({})", hex::encode(&self.0))
    }
}

/// argon2id parameters and salt of a passphrase key; stored by servers, not secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory cost in KiB.
    pub m_kib: u32,
    /// Iterations.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
    /// Random salt.
    pub salt: [u8; 16],
}

impl KdfParams {
    /// Encoded length: three u32 LE and the salt.
    pub const ENCODED_LEN: usize = 28;

    /// RFC 9106's second recommended setting (64 MiB, 3 passes), with a fresh salt.
    pub fn recommended() -> Result<KdfParams> {
        KdfParams::with_cost(64 * 1024, 3, 1)
    }

    /// Given costs with a fresh random salt.
    pub fn with_cost(m_kib: u32, t_cost: u32, p_cost: u32) -> Result<KdfParams> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|_| Error::Rng)?;
        Ok(KdfParams {
            m_kib,
            t_cost,
            p_cost,
            salt,
        })
    }

    /// `m_kib ‖ t_cost ‖ p_cost ‖ salt`, little-endian.
    pub fn encode(&self) -> [u8; Self::ENCODED_LEN] {
        let mut out = [0u8; Self::ENCODED_LEN];
        out[0..4].copy_from_slice(&self.m_kib.to_le_bytes());
        out[4..8].copy_from_slice(&self.t_cost.to_le_bytes());
        out[8..12].copy_from_slice(&self.p_cost.to_le_bytes());
        out[12..28].copy_from_slice(&self.salt);
        out
    }

    /// Reads what `encode` wrote.
    pub fn decode(bytes: &[u8]) -> Result<KdfParams> {
        let bytes: &[u8; Self::ENCODED_LEN] = bytes
            .try_into()
            .map_err(|_| Error::Kdf("parameters must be 28 bytes"))?;
        let word = |at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let mut salt = [0u8; 16];
        salt.copy_from_slice(&bytes[12..28]);
        Ok(KdfParams {
            m_kib: word(0),
            t_cost: word(4),
            p_cost: word(8),
            salt,
        })
    }
}

/// One version of a named 256-bit data key.
pub struct DataKey {
    key_ref: KeyRef,
    secret: Zeroizing<[u8; 32]>,
}

impl DataKey {
    /// A new random key.
    pub fn generate(name: KeyName, version: u32) -> Result<DataKey> {
        let mut secret = Zeroizing::new([0u8; 32]);
        getrandom::fill(secret.as_mut()).map_err(|_| Error::Rng)?;
        DataKey::from_secret(name, version, secret)
    }

    /// A key from known bytes (test vectors, keyring files).
    pub fn from_secret(
        name: KeyName,
        version: u32,
        secret: Zeroizing<[u8; 32]>,
    ) -> Result<DataKey> {
        if version == 0 {
            return Err(Error::BadToken("key versions start at 1"));
        }
        Ok(DataKey {
            key_ref: KeyRef { name, version },
            secret,
        })
    }

    /// argon2id(passphrase, salt) under the given parameters.
    pub fn from_passphrase(
        name: KeyName,
        version: u32,
        passphrase: &[u8],
        params: &KdfParams,
    ) -> Result<DataKey> {
        DataKey::from_secret(name, version, derive_key(passphrase, params)?)
    }

    /// Parses `mdbk1.<name>.<version>.<base64url>`.
    pub fn from_token(token: &str) -> Result<DataKey> {
        let rest = token
            .strip_prefix(DATA_KEY_PREFIX)
            .ok_or(Error::BadToken("a key token starts with mdbk1."))?;
        let mut parts = rest.splitn(3, '.');
        let (Some(name), Some(version), Some(secret)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::BadToken(
                "a key token is mdbk1.<name>.<version>.<secret>",
            ));
        };
        let name =
            KeyName::new(name).map_err(|_| Error::BadToken("the key name part is invalid"))?;
        // Canonical digits only: `u32::from_str` would also take "+1" and "01", and a token
        // must have one spelling (found by fuzz/fuzz_targets/token.rs).
        let canonical = !version.is_empty()
            && version.bytes().all(|b| b.is_ascii_digit())
            && (version == "0" || !version.starts_with('0'));
        let version: u32 = version
            .parse()
            .ok()
            .filter(|_| canonical)
            .ok_or(Error::BadToken(
                "the version part is not a canonical number",
            ))?;
        DataKey::from_secret(name, version, decode_secret(secret)?)
    }

    /// The token that `from_token` reads.
    pub fn token(&self) -> Zeroizing<String> {
        let secret = encode_secret(&self.secret);
        Zeroizing::new(format!(
            "{DATA_KEY_PREFIX}{}.{}.{}",
            self.key_ref.name,
            self.key_ref.version,
            secret.as_str()
        ))
    }

    /// Name and version.
    pub fn key_ref(&self) -> &KeyRef {
        &self.key_ref
    }

    /// The key check value servers store.
    pub fn kcv(&self) -> Kcv {
        Kcv(*blake3::keyed_hash(&self.secret, KCV_CONTEXT).as_bytes())
    }

    pub(crate) fn secret(&self) -> &[u8; 32] {
        &self.secret
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DataKey({}, <redacted>)", self.key_ref)
    }
}

/// argon2id (version 0x13, 32 bytes of output) of `passphrase` under `params`.
pub(crate) fn derive_key(passphrase: &[u8], params: &KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    let argon_params = Params::new(params.m_kib, params.t_cost, params.p_cost, Some(32))
        .map_err(|_| Error::Kdf("argon2 parameters out of range"))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
    let mut secret = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase, &params.salt, secret.as_mut())
        .map_err(|_| Error::Kdf("argon2 failed"))?;
    Ok(secret)
}
