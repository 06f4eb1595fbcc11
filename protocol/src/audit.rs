//! Read-audit records: a server's signed, hash-chained statement that a role's statement was
//! given some documents of a table; canonical bytes, signing and verification.
//!
//! ```text
//! record = body ‖ signature(64)
//!
//!  0      4     5                 37                69          77          85
//!  +------+-----+-----------------+-----------------+-----------+-----------+---------------
//!  |"MDBU"| ver | server key (32) | prev hash (32)  | seq u64   | time i64  | login, role,
//!  +------+-----+-----------------+-----------------+-----------+-----------+ fingerprint, ids
//!
//!  login, role   u16 length ‖ UTF-8
//!  fingerprint   u32 length ‖ UTF-8
//!  ids           u32 count, then per id: u16 length ‖ UTF-8
//! ```
//! `prev` is the `hash` of the table's previous audit record (all zeros for seq 1), `hash =
//! BLAKE3(body)` and `signature = Ed25519(server, hash)`. Integers are little-endian. A chain
//! is named by the hash of its record 1 (`AuditChainId`): server keys change with restarts,
//! that hash never does.
//!
//! Invariants:
//! - Encoding is canonical: one byte string per record, no trailing bytes, `seq >= 1`, at most
//!   `MAX_AUDIT_IDS` ids, every text valid UTF-8 within its length field.
//! - An `AuditRecord` exists only after its signature checked out (`verify_audit`) or because
//!   this process signed it (`sign_audit`).
//!
//! See: docs/FORMAT.md#read-audit-records

use std::fmt;

use ed25519_dalek::{Signature, VerifyingKey};

use crate::entry::{SIGNATURE_LEN, array};
use crate::{AuthorKey, Error, Identity, Result, ServerTime, VerifyError, hex};

const MAGIC: [u8; 4] = *b"MDBU";
const VERSION: u8 = 1;
const SERVER_OFFSET: usize = 5;
const PREV_OFFSET: usize = SERVER_OFFSET + 32;
const SEQ_OFFSET: usize = PREV_OFFSET + 32;
const TIME_OFFSET: usize = SEQ_OFFSET + 8;
const TEXT_OFFSET: usize = TIME_OFFSET + 8;
/// Most ids one record lists; a statement returning more writes several records.
pub const MAX_AUDIT_IDS: usize = 4096;

/// A read-audit chain's id: the hash of its record 1, the same on every node holding it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AuditChainId(pub [u8; 32]);

impl AuditChainId {
    /// Parses 64 hex digits.
    pub fn from_hex(text: &str) -> Option<AuditChainId> {
        hex::decode::<32>(text).map(AuditChainId)
    }
}

impl fmt::Display for AuditChainId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(&self.0))
    }
}

impl fmt::Debug for AuditChainId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditChainId({self})")
    }
}

/// What an audit record says, before it is signed.
#[derive(Debug, Clone, Copy)]
pub struct AuditBody<'a> {
    /// The hash of the table's previous record; all zeros for the first.
    pub prev: [u8; 32],
    /// Its place in the table's audit log, from 1.
    pub seq: u64,
    /// The server's clock when it was written.
    pub time: ServerTime,
    /// The role that logged in.
    pub login: &'a str,
    /// The role whose privileges the statement used (after `SET ROLE`).
    pub role: &'a str,
    /// The statement with its literals replaced.
    pub fingerprint: &'a str,
    /// The ids of the documents returned.
    pub ids: &'a [String],
}

/// A signed audit record whose signature checked out.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditRecord {
    bytes: Vec<u8>,
    server: AuthorKey,
    prev: [u8; 32],
    seq: u64,
    time: ServerTime,
    login: String,
    role: String,
    fingerprint: String,
    ids: Vec<String>,
    hash: [u8; 32], // Invariant: BLAKE3 of the body (bytes without the signature).
}

impl AuditRecord {
    /// The signed record, as stored and sent.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
    /// The signing server's public key.
    pub fn server(&self) -> AuthorKey {
        self.server
    }
    /// The previous record's hash (zeros for the first).
    pub fn prev(&self) -> &[u8; 32] {
        &self.prev
    }
    /// Its place in the table's audit log.
    pub fn seq(&self) -> u64 {
        self.seq
    }
    /// When the server wrote it, by its clock.
    pub fn time(&self) -> ServerTime {
        self.time
    }
    /// The role that logged in.
    pub fn login(&self) -> &str {
        &self.login
    }
    /// The role whose privileges the statement used.
    pub fn role(&self) -> &str {
        &self.role
    }
    /// The statement without literals.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
    /// The document ids returned.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }
    /// BLAKE3 of the body: what the next record names as `prev`.
    pub fn hash(&self) -> [u8; 32] {
        self.hash
    }
}

impl fmt::Debug for AuditRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuditRecord")
            .field("server", &self.server)
            .field("seq", &self.seq)
            .field("time", &self.time)
            .field("ids", &self.ids.len())
            .finish_non_exhaustive()
    }
}

/// Signs `body` with `server`'s key.
pub fn sign_audit(server: &Identity, body: &AuditBody<'_>) -> Result<AuditRecord> {
    if body.seq == 0 {
        return Err(Error::Malformed("audit records count from seq 1"));
    }
    if body.ids.len() > MAX_AUDIT_IDS {
        return Err(Error::Oversize {
            field: "audit ids",
            len: body.ids.len(),
            max: MAX_AUDIT_IDS,
        });
    }
    let mut bytes = Vec::with_capacity(TEXT_OFFSET + 64 + body.fingerprint.len());
    bytes.extend_from_slice(&MAGIC);
    bytes.push(VERSION);
    bytes.extend_from_slice(&server.public().0);
    bytes.extend_from_slice(&body.prev);
    bytes.extend_from_slice(&body.seq.to_le_bytes());
    bytes.extend_from_slice(&body.time.0.to_le_bytes());
    short_text(&mut bytes, "audit login", body.login)?;
    short_text(&mut bytes, "audit role", body.role)?;
    let len = u32::try_from(body.fingerprint.len()).map_err(|_| Error::Oversize {
        field: "audit fingerprint",
        len: body.fingerprint.len(),
        max: u32::MAX as usize,
    })?;
    bytes.extend_from_slice(&len.to_le_bytes());
    bytes.extend_from_slice(body.fingerprint.as_bytes());
    // Bounded by MAX_AUDIT_IDS above.
    bytes.extend_from_slice(&(body.ids.len() as u32).to_le_bytes());
    for id in body.ids {
        short_text(&mut bytes, "audit id", id)?;
    }
    let hash = *blake3::hash(&bytes).as_bytes();
    bytes.extend_from_slice(&server.sign(&hash));
    Ok(AuditRecord {
        bytes,
        server: server.public(),
        prev: body.prev,
        seq: body.seq,
        time: body.time,
        login: body.login.to_owned(),
        role: body.role.to_owned(),
        fingerprint: body.fingerprint.to_owned(),
        ids: body.ids.to_vec(),
        hash,
    })
}

/// Parses a record and checks the server key and the signature over its hash (strict).
pub fn verify_audit(bytes: &[u8]) -> Result<AuditRecord> {
    let body_len = bytes
        .len()
        .checked_sub(SIGNATURE_LEN)
        .filter(|len| *len >= TEXT_OFFSET)
        .ok_or(Error::Malformed("truncated audit record"))?;
    let (body, signature) = bytes.split_at(body_len);
    if body[..4] != MAGIC {
        return Err(Error::Malformed("bad audit record magic"));
    }
    if body[4] != VERSION {
        return Err(Error::UnsupportedVersion(body[4]));
    }
    let seq = u64::from_le_bytes(array(&body[SEQ_OFFSET..TIME_OFFSET]));
    if seq == 0 {
        return Err(Error::Malformed("audit records count from seq 1"));
    }
    let mut text = Texts(&body[TEXT_OFFSET..]);
    let login = text.short()?;
    let role = text.short()?;
    let fingerprint_len = text.u32()? as usize;
    let fingerprint = text.utf8(fingerprint_len)?;
    let n_ids = text.u32()? as usize;
    if n_ids > MAX_AUDIT_IDS {
        return Err(Error::Malformed("too many ids in an audit record"));
    }
    let ids = (0..n_ids)
        .map(|_| text.short())
        .collect::<Result<Vec<String>>>()?;
    if !text.0.is_empty() {
        return Err(Error::TrailingBytes);
    }
    let server = AuthorKey(array(&body[SERVER_OFFSET..PREV_OFFSET]));
    let hash = *blake3::hash(body).as_bytes();
    let key = VerifyingKey::from_bytes(&server.0).map_err(|_| VerifyError::BadAuthorKey)?;
    key.verify_strict(&hash, &Signature::from_bytes(&array(signature)))
        .map_err(|_| VerifyError::BadSignature)?;
    Ok(AuditRecord {
        bytes: bytes.to_vec(),
        server,
        prev: array(&body[PREV_OFFSET..SEQ_OFFSET]),
        seq,
        time: ServerTime(i64::from_le_bytes(array(&body[TIME_OFFSET..TEXT_OFFSET]))),
        login,
        role,
        fingerprint,
        ids,
        hash,
    })
}

fn short_text(out: &mut Vec<u8>, field: &'static str, text: &str) -> Result<()> {
    let len = u16::try_from(text.len()).map_err(|_| Error::Oversize {
        field,
        len: text.len(),
        max: u16::MAX as usize,
    })?;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

/// The length-prefixed texts after the fixed fields.
struct Texts<'a>(&'a [u8]);

impl Texts<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        if self.0.len() < n {
            return Err(Error::Malformed("truncated audit record"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(array(self.take(4)?)))
    }

    fn short(&mut self) -> Result<String> {
        let len = u16::from_le_bytes(array(self.take(2)?));
        self.utf8(usize::from(len))
    }

    fn utf8(&mut self, len: usize) -> Result<String> {
        String::from_utf8(self.take(len)?.to_vec())
            .map_err(|_| Error::Malformed("audit record text is not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body<'a>(ids: &'a [String]) -> AuditBody<'a> {
        AuditBody {
            prev: [7; 32],
            seq: 3,
            time: ServerTime(1_700_000_000_000_000),
            login: "alice",
            role: "nurses",
            fingerprint: "SELECT * FROM patients WHERE id = ?",
            ids,
        }
    }

    #[test]
    fn signed_records_verify_and_keep_every_field() {
        let server = Identity::from_seed(&[1; 32]);
        let ids = vec!["p1".to_owned(), "p2".to_owned()];
        let signed = sign_audit(&server, &body(&ids)).unwrap();
        let read = verify_audit(signed.bytes()).unwrap();
        assert_eq!(read, signed);
        assert_eq!(read.ids(), ids.as_slice());
        assert_eq!(read.role(), "nurses");
        assert_eq!(read.login(), "alice");
        assert_eq!(read.prev(), &[7; 32]);
        assert_eq!(read.seq(), 3);
        assert_eq!(read.server(), server.public());
    }

    #[test]
    fn any_changed_byte_fails() {
        let server = Identity::from_seed(&[2; 32]);
        let ids = vec!["p1".to_owned()];
        let bytes = sign_audit(&server, &body(&ids)).unwrap().bytes().to_vec();
        for idx in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[idx] ^= 1;
            assert!(
                verify_audit(&bad).is_err(),
                "byte {idx} flipped still verifies"
            );
        }
        assert!(verify_audit(&bytes[..bytes.len() - 1]).is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(verify_audit(&longer).is_err());
    }

    #[test]
    fn too_many_ids_are_refused() {
        let server = Identity::from_seed(&[3; 32]);
        let ids: Vec<String> = (0..=MAX_AUDIT_IDS).map(|i| i.to_string()).collect();
        assert!(sign_audit(&server, &body(&ids)).is_err());
    }
}
