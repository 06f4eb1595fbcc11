//! The sealed entry, format version 1: canonical header, parsing, hashing and verification.
//!
//! ```text
//! entry  = header ‖ ciphertext ‖ signature(64)
//! header = fixed part (71 bytes) ‖ key name ‖ signer role ‖ doc id ‖ parents (32 each)
//!
//!  0      4      5      6              14                    46          58        62         66   67   68     70   71
//!  +------+------+------+--------------+---------------------+-----------+---------+----------+----+----+------+----+
//!  |"MDBE"| ver  | kind | clock i64 LE | author pubkey (32)  | nonce(12) | key ver | pay. len |knl |rl  |docl  |np  |
//!  +------+------+------+--------------+---------------------+-----------+---------+----------+----+----+------+----+
//! ```
//! All integers are little-endian. `hash = BLAKE3(header ‖ ciphertext)`, `signature =
//! Ed25519(author, hash)`, `ciphertext = AES-256-GCM-SIV(key, nonce, plaintext, aad = header)`.
//!
//! Invariants:
//! - Encoding is canonical: one plaintext + draft + key + nonce + identity gives one byte string,
//!   and parsing accepts only what encoding can produce (sorted unique parents, exact lengths,
//!   no trailing bytes), so the hash identifies the entry.
//! - Every `Entry` holds bytes that parsed under these rules and the hash of those bytes.
//!
//! See: docs/FORMAT.md

use std::fmt;
use std::ops::Deref;

use ed25519_dalek::{Signature, VerifyingKey};

use crate::keys::KeyName;
use crate::{Error, Result, VerifyError, hex};

/// The format version this build writes and reads.
pub const FORMAT_VERSION: u8 = 1;
/// Longest document id, in bytes.
pub const MAX_DOC_ID_LEN: usize = 255;
/// Most parents one entry may name.
pub const MAX_PARENTS: usize = 64;
/// Longest signer role name, in bytes.
pub const MAX_ROLE_LEN: usize = 64;
/// Largest ciphertext (a 16 MiB document plus the 16-byte tag).
pub const MAX_PAYLOAD_LEN: usize = 16 * 1024 * 1024 + TAG_LEN;
/// Length of the Ed25519 signature that ends every entry.
pub const SIGNATURE_LEN: usize = 64;

pub(crate) const TAG_LEN: usize = 16;
const MAGIC: [u8; 4] = *b"MDBE";

const MAGIC_OFFSET: usize = 0;
const VERSION_OFFSET: usize = MAGIC_OFFSET + 4;
const KIND_OFFSET: usize = VERSION_OFFSET + 1;
const CLOCK_OFFSET: usize = KIND_OFFSET + 1;
const AUTHOR_OFFSET: usize = CLOCK_OFFSET + 8;
const NONCE_OFFSET: usize = AUTHOR_OFFSET + 32;
const KEY_VERSION_OFFSET: usize = NONCE_OFFSET + 12;
const PAYLOAD_LEN_OFFSET: usize = KEY_VERSION_OFFSET + 4;
const KEY_NAME_LEN_OFFSET: usize = PAYLOAD_LEN_OFFSET + 4;
const ROLE_LEN_OFFSET: usize = KEY_NAME_LEN_OFFSET + 1;
const DOC_ID_LEN_OFFSET: usize = ROLE_LEN_OFFSET + 1;
const PARENT_COUNT_OFFSET: usize = DOC_ID_LEN_OFFSET + 2;
const FIXED_LEN: usize = PARENT_COUNT_OFFSET + 1;

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

/// What the author decides before sealing; `seal` adds key, nonce, author and lengths.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Create, update or delete.
    pub kind: EntryKind,
    /// The document this entry belongs to.
    pub doc_id: DocId,
    /// The heads this entry replaces: empty for a create, at least one otherwise.
    pub parents: Vec<EntryHash>,
    /// The author's clock at sealing time.
    pub clock: AuthorClock,
    /// The role name when a node key signs on a role's behalf; empty for personal identities.
    pub signer_role: String,
}

/// The parsed header of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    kind: EntryKind,
    clock: AuthorClock,
    author: AuthorKey,
    nonce: Nonce,
    key: KeyRef,
    payload_len: u32,
    signer_role: String,
    doc_id: DocId,
    parents: Vec<EntryHash>, // Invariant: strictly ascending; empty exactly for creates.
}

impl Header {
    /// Create, update or delete.
    pub fn kind(&self) -> EntryKind {
        self.kind
    }
    /// The author's clock.
    pub fn clock(&self) -> AuthorClock {
        self.clock
    }
    /// The signer's public key.
    pub fn author(&self) -> AuthorKey {
        self.author
    }
    /// The encryption nonce.
    pub fn nonce(&self) -> Nonce {
        self.nonce
    }
    /// The key (name and version) that encrypts the payload.
    pub fn key(&self) -> &KeyRef {
        &self.key
    }
    /// Ciphertext length, tag included.
    pub fn payload_len(&self) -> u32 {
        self.payload_len
    }
    /// Role on whose behalf a node key signed; empty for personal identities.
    pub fn signer_role(&self) -> &str {
        &self.signer_role
    }
    /// The document.
    pub fn doc_id(&self) -> &DocId {
        &self.doc_id
    }
    /// Parent hashes, ascending.
    pub fn parents(&self) -> &[EntryHash] {
        &self.parents
    }

    pub(crate) fn new(
        draft: Draft,
        key: KeyRef,
        author: AuthorKey,
        nonce: Nonce,
        plaintext_len: usize,
    ) -> Result<Header> {
        let Draft {
            kind,
            doc_id,
            mut parents,
            clock,
            signer_role,
        } = draft;
        parents.sort_unstable();
        parents.dedup();
        check_role(&signer_role)?;
        let payload_len = plaintext_len + TAG_LEN;
        check_shape(kind, parents.len(), payload_len)?;
        Ok(Header {
            kind,
            clock,
            author,
            nonce,
            key,
            payload_len: u32::try_from(payload_len).map_err(|_| Error::Oversize {
                field: "payload",
                len: payload_len,
                max: MAX_PAYLOAD_LEN,
            })?,
            signer_role,
            doc_id,
            parents,
        })
    }

    /// The canonical bytes: the AAD of the ciphertext and the first part of the hash input.
    pub fn encode(&self) -> Vec<u8> {
        let key_name = self.key.name.as_str().as_bytes();
        let role = self.signer_role.as_bytes();
        let doc_id = self.doc_id.as_str().as_bytes();
        let mut out = Vec::with_capacity(
            FIXED_LEN + key_name.len() + role.len() + doc_id.len() + 32 * self.parents.len(),
        );
        out.extend_from_slice(&MAGIC);
        out.push(FORMAT_VERSION);
        out.push(self.kind.to_byte());
        out.extend_from_slice(&self.clock.0.to_le_bytes());
        out.extend_from_slice(&self.author.0);
        out.extend_from_slice(&self.nonce.0);
        out.extend_from_slice(&self.key.version.to_le_bytes());
        out.extend_from_slice(&self.payload_len.to_le_bytes());
        // Lengths below were bounded when the header was built or parsed.
        out.push(key_name.len() as u8);
        out.push(role.len() as u8);
        out.extend_from_slice(&(doc_id.len() as u16).to_le_bytes());
        out.push(self.parents.len() as u8);
        debug_assert_eq!(out.len(), FIXED_LEN);
        out.extend_from_slice(key_name);
        out.extend_from_slice(role);
        out.extend_from_slice(doc_id);
        for parent in &self.parents {
            out.extend_from_slice(&parent.0);
        }
        out
    }

    /// Parses a header from the front of `bytes`; returns it and its encoded length.
    fn parse(bytes: &[u8]) -> Result<(Header, usize)> {
        let fixed = bytes
            .get(..FIXED_LEN)
            .ok_or(Error::Malformed("shorter than the fixed header"))?;
        if fixed[MAGIC_OFFSET..VERSION_OFFSET] != MAGIC {
            return Err(Error::Malformed("bad magic"));
        }
        let version = fixed[VERSION_OFFSET];
        if version != FORMAT_VERSION {
            return Err(Error::UnsupportedVersion(version));
        }
        let kind = EntryKind::from_byte(fixed[KIND_OFFSET])
            .ok_or(Error::Malformed("unknown entry kind"))?;
        let clock = AuthorClock(i64::from_le_bytes(array(
            &fixed[CLOCK_OFFSET..AUTHOR_OFFSET],
        )));
        let author = AuthorKey(array(&fixed[AUTHOR_OFFSET..NONCE_OFFSET]));
        let nonce = Nonce(array(&fixed[NONCE_OFFSET..KEY_VERSION_OFFSET]));
        let key_version = u32::from_le_bytes(array(&fixed[KEY_VERSION_OFFSET..PAYLOAD_LEN_OFFSET]));
        let payload_len =
            u32::from_le_bytes(array(&fixed[PAYLOAD_LEN_OFFSET..KEY_NAME_LEN_OFFSET]));
        let key_name_len = usize::from(fixed[KEY_NAME_LEN_OFFSET]);
        let role_len = usize::from(fixed[ROLE_LEN_OFFSET]);
        let doc_id_len = usize::from(u16::from_le_bytes(array(
            &fixed[DOC_ID_LEN_OFFSET..PARENT_COUNT_OFFSET],
        )));
        let n_parents = usize::from(fixed[PARENT_COUNT_OFFSET]);

        check_len("signer role", role_len, MAX_ROLE_LEN)?;
        check_len("doc id", doc_id_len, MAX_DOC_ID_LEN)?;
        check_len("parent list", n_parents, MAX_PARENTS)?;
        check_shape(kind, n_parents, payload_len as usize)?;
        if key_version == 0 {
            return Err(Error::Malformed("key version 0"));
        }

        let mut pos = FIXED_LEN;
        let mut take = |len: usize| -> Result<&[u8]> {
            let field = bytes
                .get(pos..pos + len)
                .ok_or(Error::Malformed("truncated header"))?;
            pos += len;
            Ok(field)
        };
        let key_name = utf8(take(key_name_len)?)?;
        let role = utf8(take(role_len)?)?;
        let doc_id = utf8(take(doc_id_len)?)?;
        let parent_bytes = take(32 * n_parents)?;
        let parents: Vec<EntryHash> = parent_bytes
            .chunks_exact(32)
            .map(|c| EntryHash(array(c)))
            .collect();
        if parents.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::Malformed("parents not strictly ascending"));
        }
        check_role(role)?;
        let header = Header {
            kind,
            clock,
            author,
            nonce,
            key: KeyRef {
                name: KeyName::new(key_name)?,
                version: key_version,
            },
            payload_len,
            signer_role: role.to_owned(),
            doc_id: DocId::new(doc_id)?,
            parents,
        };
        Ok((header, pos))
    }
}

/// A parsed entry: its bytes, header and hash. Reach it through `UnverifiedEntry` or
/// `VerifiedEntry`, which say whether the signature was checked.
#[derive(Clone, PartialEq, Eq)]
pub struct Entry {
    bytes: Vec<u8>,
    header: Header,
    header_len: usize,
    hash: EntryHash, // Invariant: BLAKE3(bytes[..bytes.len() - SIGNATURE_LEN]).
}

impl Entry {
    /// The whole sealed entry, as stored and sent.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
    /// The parsed header.
    pub fn header(&self) -> &Header {
        &self.header
    }
    /// The canonical header bytes.
    pub fn header_bytes(&self) -> &[u8] {
        &self.bytes[..self.header_len]
    }
    /// The ciphertext, tag included.
    pub fn ciphertext(&self) -> &[u8] {
        &self.bytes[self.header_len..self.bytes.len() - SIGNATURE_LEN]
    }
    /// The Ed25519 signature over the hash.
    pub fn signature(&self) -> &[u8; SIGNATURE_LEN] {
        let start = self.bytes.len() - SIGNATURE_LEN;
        self.bytes[start..]
            .try_into()
            .unwrap_or_else(|_| unreachable!("length checked at parse"))
    }
    /// BLAKE3(header ‖ ciphertext).
    pub fn hash(&self) -> EntryHash {
        self.hash
    }
    /// Gives back the sealed bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    fn parse(bytes: Vec<u8>) -> Result<Entry> {
        let (header, header_len) = Header::parse(&bytes)?;
        let expected = header_len + header.payload_len as usize + SIGNATURE_LEN;
        if bytes.len() < expected {
            return Err(Error::Malformed("truncated ciphertext or signature"));
        }
        if bytes.len() > expected {
            return Err(Error::TrailingBytes);
        }
        let hash = hash_of(&bytes[..bytes.len() - SIGNATURE_LEN]);
        Ok(Entry {
            bytes,
            header,
            header_len,
            hash,
        })
    }

    pub(crate) fn assemble(
        header: Header,
        header_bytes: Vec<u8>,
        ciphertext: &[u8],
        sign: impl FnOnce(&EntryHash) -> [u8; 64],
    ) -> Entry {
        let header_len = header_bytes.len();
        let mut bytes = header_bytes;
        bytes.reserve(ciphertext.len() + SIGNATURE_LEN);
        bytes.extend_from_slice(ciphertext);
        let hash = hash_of(&bytes);
        bytes.extend_from_slice(&sign(&hash));
        Entry {
            bytes,
            header,
            header_len,
            hash,
        }
    }
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("hash", &self.hash)
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

/// An entry that parsed but whose signature has not been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnverifiedEntry(Entry);

impl UnverifiedEntry {
    /// Parses sealed bytes; rejects anything encoding could not have produced.
    pub fn parse(bytes: impl Into<Vec<u8>>) -> Result<UnverifiedEntry> {
        Entry::parse(bytes.into()).map(UnverifiedEntry)
    }

    /// Checks the author key and the Ed25519 signature (strict: no malleable encodings).
    pub fn verify(self) -> Result<VerifiedEntry, VerifyError> {
        let author = VerifyingKey::from_bytes(&self.0.header.author.0)
            .map_err(|_| VerifyError::BadAuthorKey)?;
        self.verify_by(&author)
    }

    /// `verify` with the author key already decoded (from the header's bytes: `AuthorKeys`).
    pub(crate) fn verify_by(self, author: &VerifyingKey) -> Result<VerifiedEntry, VerifyError> {
        let signature = Signature::from_bytes(self.0.signature());
        author
            .verify_strict(&self.0.hash.0, &signature)
            .map_err(|_| VerifyError::BadSignature)?;
        Ok(VerifiedEntry(self.0))
    }
}

impl Deref for UnverifiedEntry {
    type Target = Entry;
    fn deref(&self) -> &Entry {
        &self.0
    }
}

/// An entry whose signature checked out, or that this process sealed itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedEntry(Entry);

impl VerifiedEntry {
    pub(crate) fn sealed_here(entry: Entry) -> VerifiedEntry {
        VerifiedEntry(entry)
    }
}

impl Deref for VerifiedEntry {
    type Target = Entry;
    fn deref(&self) -> &Entry {
        &self.0
    }
}

fn hash_of(bytes: &[u8]) -> EntryHash {
    EntryHash(*blake3::hash(bytes).as_bytes())
}

fn check_len(field: &'static str, len: usize, max: usize) -> Result<()> {
    if len > max {
        return Err(Error::Oversize { field, len, max });
    }
    Ok(())
}

fn check_shape(kind: EntryKind, n_parents: usize, payload_len: usize) -> Result<()> {
    check_len("parent list", n_parents, MAX_PARENTS)?;
    check_len("payload", payload_len, MAX_PAYLOAD_LEN)?;
    match kind {
        EntryKind::Create if n_parents != 0 => Err(Error::InvalidDraft("a create has no parents")),
        EntryKind::Update | EntryKind::Delete if n_parents == 0 => Err(Error::InvalidDraft(
            "an update or delete names at least one parent",
        )),
        EntryKind::Delete if payload_len != TAG_LEN => {
            Err(Error::InvalidDraft("a delete carries an empty plaintext"))
        }
        _ if payload_len < TAG_LEN => Err(Error::Malformed("payload shorter than its tag")),
        _ => Ok(()),
    }
}

fn check_role(role: &str) -> Result<()> {
    if role.len() > MAX_ROLE_LEN {
        return Err(Error::InvalidRole("longer than 64 bytes"));
    }
    if has_control(role) {
        return Err(Error::InvalidRole("contains control characters"));
    }
    Ok(())
}

/// Whether `text` holds a control character (Unicode category Cc: U+0000 to U+001F and U+007F to
/// U+009F), as `char::is_control` says, found byte-wise because every stored entry's id is checked
/// on read. In UTF-8 those characters are the bytes below 0x20, 0x7F, and 0xC2 followed by 0x80
/// to 0x9F; 0xC2 only ever starts a two-byte sequence.
fn has_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().any(|&b| b < 0x20 || b == 0x7f)
        || bytes.windows(2).any(|w| w[0] == 0xc2 && w[1] < 0xa0)
}

fn utf8(bytes: &[u8]) -> Result<&str> {
    std::str::from_utf8(bytes).map_err(|_| Error::Malformed("text field is not UTF-8"))
}

fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
    bytes
        .try_into()
        .unwrap_or_else(|_| unreachable!("callers slice exactly N bytes"))
}
