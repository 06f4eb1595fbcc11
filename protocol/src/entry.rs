//! The sealed entry, format versions 1 and 2: canonical header, parsing, hashing and the
//! verification types.
//!
//! ```text
//! entry (format 1) = header ‖ ciphertext ‖ signature(64)
//! entry (format 2) = header ‖ ciphertext            (signed by its commit, see commit.rs)
//! header = fixed part (71 bytes) ‖ key name ‖ signer role ‖ doc id ‖ parents (32 each)
//!
//!  0      4      5      6              14                    46          58        62         66   67   68     70   71
//!  +------+------+------+--------------+---------------------+-----------+---------+----------+----+----+------+----+
//!  |"MDBE"| ver  | kind | clock i64 LE | author pubkey (32)  | nonce(12) | key ver | pay. len |knl |rl  |docl  |np  |
//!  +------+------+------+--------------+---------------------+-----------+---------+----------+----+----+------+----+
//! ```
//! All integers are little-endian. `hash = BLAKE3(header ‖ ciphertext)`, `signature =
//! Ed25519(author, hash)` (format 1), `ciphertext = AES-256-GCM-SIV(key, nonce, plaintext,
//! aad = header)`. Both formats share the header layout; only the version byte differs.
//!
//! Invariants:
//! - Encoding is canonical: one plaintext + draft + key + nonce + identity gives one byte string,
//!   and parsing accepts only what encoding can produce (sorted unique parents, exact lengths,
//!   no trailing bytes), so the hash identifies the entry.
//! - Every `Entry` holds bytes that parsed under these rules and the hash of those bytes.
//! - A `VerifiedEntry` of format 1 carries no inclusion; one of format 2 always carries the
//!   signed commit and the proof that its hash is a leaf of that commit.
//!
//! See: docs/FORMAT.md

use std::fmt;
use std::ops::Deref;

use ed25519_dalek::{Signature, VerifyingKey};

use crate::fields::has_control;
use crate::inclusion::Inclusion;
use crate::keys::KeyName;
use crate::{
    AuthorClock, AuthorKey, DocId, EntryHash, EntryKind, Error, KeyRef, Nonce, Result, VerifyError,
};

/// Longest document id, in bytes.
pub const MAX_DOC_ID_LEN: usize = 255;
/// Most parents one entry may name.
pub const MAX_PARENTS: usize = 64;
/// Longest signer role name, in bytes.
pub const MAX_ROLE_LEN: usize = 64;
/// Largest ciphertext (a 16 MiB document plus the 16-byte tag).
pub const MAX_PAYLOAD_LEN: usize = 16 * 1024 * 1024 + TAG_LEN;
/// Length of the Ed25519 signature that ends every format-1 entry, commit and receipt.
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

/// Which of the two entry formats: they differ in who signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryFormat {
    /// Every entry carries its own Ed25519 signature over its hash.
    V1,
    /// No signature of its own: a commit signs the Merkle root over many entries' hashes.
    V2,
}

impl EntryFormat {
    /// The version byte.
    pub fn to_byte(self) -> u8 {
        match self {
            EntryFormat::V1 => 1,
            EntryFormat::V2 => 2,
        }
    }

    /// Reads the version byte.
    pub fn from_byte(byte: u8) -> Option<EntryFormat> {
        match byte {
            1 => Some(EntryFormat::V1),
            2 => Some(EntryFormat::V2),
            _ => None,
        }
    }

    /// Bytes that follow the ciphertext.
    fn signature_len(self) -> usize {
        match self {
            EntryFormat::V1 => SIGNATURE_LEN,
            EntryFormat::V2 => 0,
        }
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
    format: EntryFormat,
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
    /// Format 1 or 2.
    pub fn format(&self) -> EntryFormat {
        self.format
    }
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
        format: EntryFormat,
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
            format,
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
        out.push(self.format.to_byte());
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
        let (fixed, format) = fixed_part(bytes)?;
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
            format,
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

/// A parsed entry: its bytes, header and hash. Reach it through `UnverifiedEntry`,
/// `SealedEntry` or `VerifiedEntry`, which say whether and how its authorship was checked.
#[derive(Clone, PartialEq, Eq)]
pub struct Entry {
    bytes: Vec<u8>,
    header: Header,
    header_len: usize,
    hash: EntryHash, // Invariant: BLAKE3(bytes without the format-1 signature).
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
        &self.bytes[self.header_len..self.bytes.len() - self.header.format.signature_len()]
    }
    /// The entry's own Ed25519 signature over its hash (format 1); empty for format 2, whose
    /// commit signs it.
    pub fn signature(&self) -> &[u8] {
        &self.bytes[self.bytes.len() - self.header.format.signature_len()..]
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
        let signature_len = header.format.signature_len();
        let expected = header_len + header.payload_len as usize + signature_len;
        if bytes.len() < expected {
            return Err(Error::Malformed("truncated ciphertext or signature"));
        }
        if bytes.len() > expected {
            return Err(Error::TrailingBytes);
        }
        let hash = hash_of(&bytes[..bytes.len() - signature_len]);
        Ok(Entry {
            bytes,
            header,
            header_len,
            hash,
        })
    }

    /// Completes `bytes` (header ‖ ciphertext) into an entry; a format-1 entry is signed by
    /// `sign`, which is not called for format 2.
    pub(crate) fn assemble(
        header: Header,
        header_len: usize,
        mut bytes: Vec<u8>,
        sign: impl FnOnce(&EntryHash) -> [u8; 64],
    ) -> Entry {
        let hash = hash_of(&bytes);
        if header.format == EntryFormat::V1 {
            bytes.extend_from_slice(&sign(&hash));
        }
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

/// The length of the sealed entry at the front of `bytes`, read from its fixed header alone
/// (for stores that keep bytes of their own after an entry).
pub fn entry_len(bytes: &[u8]) -> Result<usize> {
    let (fixed, format) = fixed_part(bytes)?;
    let field = |at: usize| usize::from(fixed[at]);
    let doc_id_len = usize::from(u16::from_le_bytes(array(
        &fixed[DOC_ID_LEN_OFFSET..PARENT_COUNT_OFFSET],
    )));
    let payload_len =
        u32::from_le_bytes(array(&fixed[PAYLOAD_LEN_OFFSET..KEY_NAME_LEN_OFFSET])) as usize;
    check_len("payload", payload_len, MAX_PAYLOAD_LEN)?;
    Ok(FIXED_LEN
        + field(KEY_NAME_LEN_OFFSET)
        + field(ROLE_LEN_OFFSET)
        + doc_id_len
        + 32 * field(PARENT_COUNT_OFFSET)
        + payload_len
        + format.signature_len())
}

/// An entry that parsed but whose authorship has not been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnverifiedEntry(Entry);

impl UnverifiedEntry {
    /// Parses sealed bytes of either format; rejects anything encoding could not have
    /// produced.
    pub fn parse(bytes: impl Into<Vec<u8>>) -> Result<UnverifiedEntry> {
        Entry::parse(bytes.into()).map(UnverifiedEntry)
    }

    /// Checks a format-1 entry's author key and Ed25519 signature (strict: no malleable
    /// encodings). A format-2 entry has no signature of its own: verify it with its commit
    /// (`verify_in`, `verify_leaf`).
    pub fn verify(self) -> Result<VerifiedEntry, VerifyError> {
        let author = VerifyingKey::from_bytes(&self.0.header.author.0)
            .map_err(|_| VerifyError::BadAuthorKey)?;
        self.verify_by(&author)
    }

    /// `verify` with the author key already decoded (from the header's bytes: `AuthorKeys`).
    pub(crate) fn verify_by(self, author: &VerifyingKey) -> Result<VerifiedEntry, VerifyError> {
        if self.0.header.format != EntryFormat::V1 {
            return Err(VerifyError::NoCommit);
        }
        let signature = Signature::from_bytes(
            self.0
                .signature()
                .try_into()
                .unwrap_or_else(|_| unreachable!("format 1 ends with a signature")),
        );
        author
            .verify_strict(&self.0.hash.0, &signature)
            .map_err(|_| VerifyError::BadSignature)?;
        Ok(VerifiedEntry {
            entry: self.0,
            inclusion: None,
        })
    }

    pub(crate) fn into_entry(self) -> Entry {
        self.0
    }
}

impl Deref for UnverifiedEntry {
    type Target = Entry;
    fn deref(&self) -> &Entry {
        &self.0
    }
}

/// A format-2 entry sealed here (encrypted and hashed) that no commit signs yet: it becomes a
/// `VerifiedEntry` through `sign_commit`, and cannot be stored before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedEntry(Entry);

impl SealedEntry {
    pub(crate) fn new(entry: Entry) -> SealedEntry {
        debug_assert_eq!(entry.header.format, EntryFormat::V2);
        SealedEntry(entry)
    }

    /// The entry alone, for a store that writes it in the same batch as the commit that
    /// signs it.
    pub fn into_entry(self) -> Entry {
        self.0
    }
}

impl Deref for SealedEntry {
    type Target = Entry;
    fn deref(&self) -> &Entry {
        &self.0
    }
}

/// An entry whose authorship checked out: a format-1 entry by its own signature, a format-2
/// entry by the signed commit whose tree holds its hash; or an entry this process sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedEntry {
    entry: Entry,
    inclusion: Option<Inclusion>, // Invariant: Some exactly for format 2, and proves `entry`.
}

impl VerifiedEntry {
    pub(crate) fn sealed_here(entry: Entry) -> VerifiedEntry {
        VerifiedEntry {
            entry,
            inclusion: None,
        }
    }

    /// Pairs a format-2 entry with the inclusion that was checked to prove it.
    pub(crate) fn included(entry: Entry, inclusion: Inclusion) -> VerifiedEntry {
        VerifiedEntry {
            entry,
            inclusion: Some(inclusion),
        }
    }

    /// Where a format-2 entry sits in its signed commit; `None` for format 1.
    pub fn inclusion(&self) -> Option<&Inclusion> {
        self.inclusion.as_ref()
    }

    /// The entry alone, for storing its bytes.
    pub fn into_entry(self) -> Entry {
        self.entry
    }
}

impl Deref for VerifiedEntry {
    type Target = Entry;
    fn deref(&self) -> &Entry {
        &self.entry
    }
}

/// The fixed header of the entry at the front of `bytes`, with its format.
fn fixed_part(bytes: &[u8]) -> Result<(&[u8], EntryFormat)> {
    let fixed = bytes
        .get(..FIXED_LEN)
        .ok_or(Error::Malformed("shorter than the fixed header"))?;
    if fixed[MAGIC_OFFSET..VERSION_OFFSET] != MAGIC {
        return Err(Error::Malformed("bad magic"));
    }
    let version = fixed[VERSION_OFFSET];
    let format = EntryFormat::from_byte(version).ok_or(Error::UnsupportedVersion(version))?;
    Ok((fixed, format))
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

pub(crate) fn check_role(role: &str) -> Result<()> {
    if role.len() > MAX_ROLE_LEN {
        return Err(Error::InvalidRole("longer than 64 bytes"));
    }
    if has_control(role) {
        return Err(Error::InvalidRole("contains control characters"));
    }
    Ok(())
}

pub(crate) fn utf8(bytes: &[u8]) -> Result<&str> {
    std::str::from_utf8(bytes).map_err(|_| Error::Malformed("text field is not UTF-8"))
}

pub(crate) fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
    bytes
        .try_into()
        .unwrap_or_else(|_| unreachable!("callers slice exactly N bytes"))
}
