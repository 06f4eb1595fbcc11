//! The small value types an entry header is made of: kind, hash, document id, author clock and
//! key, nonce, key reference.
//!
//! Invariants:
//! - A `DocId` is 1 to 255 bytes of UTF-8 without control characters, checked at construction.
//!
//! See: docs/FORMAT.md#the-sealed-entry

use std::fmt;

use crate::entry::MAX_DOC_ID_LEN;
use crate::keys::KeyName;
use crate::{Error, Result, hex};

/// What an entry does to its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryKind {
    /// First revision; has no parents.
    Create,
    /// A new full revision; names the heads it replaces.
    Update,
    /// A tombstone; names the heads it deletes, carries an empty plaintext.
    Delete,
}

impl EntryKind {
    /// The byte stored in the header.
    pub fn to_byte(self) -> u8 {
        match self {
            EntryKind::Create => 1,
            EntryKind::Update => 2,
            EntryKind::Delete => 3,
        }
    }

    /// Reads the header byte.
    pub fn from_byte(byte: u8) -> Option<EntryKind> {
        match byte {
            1 => Some(EntryKind::Create),
            2 => Some(EntryKind::Update),
            3 => Some(EntryKind::Delete),
            _ => None,
        }
    }
}

/// BLAKE3 of an entry's header and ciphertext: its identity everywhere (`rev` in SQL).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryHash(pub [u8; 32]);

impl EntryHash {
    /// Parses 64 hex digits.
    pub fn from_hex(text: &str) -> Option<EntryHash> {
        hex::decode::<32>(text).map(EntryHash)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for EntryHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(&self.0))
    }
}

impl fmt::Debug for EntryHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EntryHash({self})")
    }
}

/// A document id: 1 to 255 bytes of UTF-8 without control characters.
///
/// Control characters are excluded so that storage can end ids with NUL in its keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId(String);

impl DocId {
    /// Validates and wraps an id.
    pub fn new(id: impl Into<String>) -> Result<DocId> {
        let id = id.into();
        if id.is_empty() {
            return Err(Error::InvalidDocId("empty"));
        }
        if id.len() > MAX_DOC_ID_LEN {
            return Err(Error::InvalidDocId("longer than 255 bytes"));
        }
        if has_control(&id) {
            return Err(Error::InvalidDocId("contains control characters"));
        }
        Ok(DocId(id))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The author's clock: microseconds since the Unix epoch, as the author's machine saw them.
/// Untrusted for ordering across authors; used to pick a winner among concurrent heads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AuthorClock(pub i64);

/// An Ed25519 public key, as stored in the header (`author` in SQL, hex).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AuthorKey(pub [u8; 32]);

impl AuthorKey {
    /// Parses 64 hex digits (what `Display` writes).
    pub fn from_hex(text: &str) -> Option<AuthorKey> {
        hex::decode::<32>(text).map(AuthorKey)
    }
}

impl fmt::Display for AuthorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(&self.0))
    }
}

impl fmt::Debug for AuthorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuthorKey({self})")
    }
}

/// The 96-bit AES-GCM-SIV nonce of one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nonce(pub [u8; 12]);

impl Nonce {
    /// A fresh nonce from the operating system's random source.
    pub fn random() -> Result<Nonce> {
        let mut bytes = [0u8; 12];
        getrandom::fill(&mut bytes).map_err(|_| Error::Rng)?;
        Ok(Nonce(bytes))
    }
}

/// Names one version of one data key, as an entry's header does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyRef {
    /// The key's name (`default`, `hr`).
    pub name: KeyName,
    /// The key's version, from 1.
    pub version: u32,
}

impl fmt::Display for KeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.name, self.version)
    }
}

/// Whether `text` holds a control character (Unicode category Cc: U+0000 to U+001F and U+007F to
/// U+009F), as `char::is_control` says, found byte-wise because every stored entry's id is checked
/// on read. In UTF-8 those characters are the bytes below 0x20, 0x7F, and 0xC2 followed by 0x80
/// to 0x9F; 0xC2 only ever starts a two-byte sequence.
pub(crate) fn has_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().any(|&b| b < 0x20 || b == 0x7f)
        || bytes.windows(2).any(|w| w[0] == 0xc2 && w[1] < 0xa0)
}
