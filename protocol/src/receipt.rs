//! Trusted-time receipts: a server's signed statement that it had stored a run of commits no
//! later than its clock said; canonical bytes, signing and verification.
//!
//! ```text
//! receipt = body (93 bytes) ‖ signature(64)
//!
//!  0      4     5                  37            45          53          61                 93
//!  +------+-----+------------------+-------------+-----------+-----------+------------------+
//!  |"MDBT"| ver | server key (32)  | time i64    | first u64 | last u64  | root (32)        |
//!  +------+-----+------------------+-------------+-----------+-----------+------------------+
//! ```
//! `root` is the Merkle root (merkle.rs) over the hashes of the commits the server stored at
//! its commit seqs `first..=last`, in seq order; `signature = Ed25519(server, BLAKE3(body))`.
//!
//! Invariants:
//! - Encoding is canonical: exactly 157 bytes, `1 <= first <= last`, at most `u32::MAX`
//!   commits.
//! - A `VerifiedReceipt` exists only after its signature checked out or because this process
//!   signed it (`sign_receipt`).
//!
//! See: docs/FORMAT.md#receipts

use std::fmt;
use std::ops::Deref;

use ed25519_dalek::{Signature, VerifyingKey};

use crate::commit::{CommitHash, RECORD_VERSION};
use crate::entry::{SIGNATURE_LEN, array};
use crate::merkle::{self, InclusionPath, Node};
use crate::{AuthorKey, Error, Identity, Result, VerifyError};

const MAGIC: [u8; 4] = *b"MDBT";
const SERVER_OFFSET: usize = 5;
const TIME_OFFSET: usize = SERVER_OFFSET + 32;
const FIRST_OFFSET: usize = TIME_OFFSET + 8;
const LAST_OFFSET: usize = FIRST_OFFSET + 8;
const ROOT_OFFSET: usize = LAST_OFFSET + 8;
const BODY_LEN: usize = ROOT_OFFSET + 32;
/// Length of every receipt.
pub const RECEIPT_LEN: usize = BODY_LEN + SIGNATURE_LEN;

/// A server's clock: microseconds since the Unix epoch, as the signing server saw them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServerTime(pub i64);

/// A parsed receipt. Reach it through `UnverifiedReceipt` or `VerifiedReceipt`.
#[derive(Clone, PartialEq, Eq)]
pub struct Receipt {
    bytes: [u8; RECEIPT_LEN],
    server: AuthorKey,
    time: ServerTime,
    first: u64,
    last: u64, // Invariant: first <= last, last - first < u32::MAX.
    root: Node,
    hash: [u8; 32], // Invariant: BLAKE3(body).
}

impl Receipt {
    /// The signed receipt, as stored and sent.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
    /// The signing server's public key.
    pub fn server(&self) -> AuthorKey {
        self.server
    }
    /// When the server signed, by its clock.
    pub fn time(&self) -> ServerTime {
        self.time
    }
    /// The first commit seq covered.
    pub fn first(&self) -> u64 {
        self.first
    }
    /// The last commit seq covered.
    pub fn last(&self) -> u64 {
        self.last
    }
    /// How many commits it covers.
    pub fn count(&self) -> u32 {
        // Bounded at construction.
        (self.last - self.first + 1) as u32
    }
    /// The Merkle root over the covered commits' hashes.
    pub fn root(&self) -> &Node {
        &self.root
    }
    /// BLAKE3 of the body.
    pub fn hash(&self) -> [u8; 32] {
        self.hash
    }

    fn parse(bytes: &[u8]) -> Result<Receipt> {
        let bytes: [u8; RECEIPT_LEN] = match bytes.len() {
            RECEIPT_LEN => array(bytes),
            len if len < RECEIPT_LEN => return Err(Error::Malformed("truncated receipt")),
            _ => return Err(Error::TrailingBytes),
        };
        if bytes[..4] != MAGIC {
            return Err(Error::Malformed("bad receipt magic"));
        }
        if bytes[4] != RECORD_VERSION {
            return Err(Error::UnsupportedVersion(bytes[4]));
        }
        let first = u64::from_le_bytes(array(&bytes[FIRST_OFFSET..LAST_OFFSET]));
        let last = u64::from_le_bytes(array(&bytes[LAST_OFFSET..ROOT_OFFSET]));
        check_range(first, last)?;
        Ok(Receipt {
            server: AuthorKey(array(&bytes[SERVER_OFFSET..TIME_OFFSET])),
            time: ServerTime(i64::from_le_bytes(array(&bytes[TIME_OFFSET..FIRST_OFFSET]))),
            first,
            last,
            root: array(&bytes[ROOT_OFFSET..BODY_LEN]),
            hash: *blake3::hash(&bytes[..BODY_LEN]).as_bytes(),
            bytes,
        })
    }
}

impl fmt::Debug for Receipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receipt")
            .field("server", &self.server)
            .field("time", &self.time)
            .field("first", &self.first)
            .field("last", &self.last)
            .finish_non_exhaustive()
    }
}

fn check_range(first: u64, last: u64) -> Result<()> {
    if first == 0 || last < first {
        return Err(Error::Malformed(
            "a receipt covers seqs first..=last from 1",
        ));
    }
    if last - first >= u64::from(u32::MAX) {
        return Err(Error::Malformed(
            "a receipt covers at most 2^32 - 1 commits",
        ));
    }
    Ok(())
}

/// A receipt that parsed but whose signature has not been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnverifiedReceipt(Receipt);

impl UnverifiedReceipt {
    /// Parses the 157 bytes of a receipt.
    pub fn parse(bytes: &[u8]) -> Result<UnverifiedReceipt> {
        Receipt::parse(bytes).map(UnverifiedReceipt)
    }

    /// Checks the server key and the Ed25519 signature over the hash (strict).
    pub fn verify(self) -> Result<VerifiedReceipt, VerifyError> {
        let server =
            VerifyingKey::from_bytes(&self.0.server.0).map_err(|_| VerifyError::BadAuthorKey)?;
        let signature = Signature::from_bytes(&array(&self.0.bytes[BODY_LEN..]));
        server
            .verify_strict(&self.0.hash, &signature)
            .map_err(|_| VerifyError::BadSignature)?;
        Ok(VerifiedReceipt(self.0))
    }
}

impl Deref for UnverifiedReceipt {
    type Target = Receipt;
    fn deref(&self) -> &Receipt {
        &self.0
    }
}

/// A receipt whose signature checked out, or that this process signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedReceipt(Receipt);

impl VerifiedReceipt {
    /// Checks that `commits` are exactly the covered commits' hashes, in seq order.
    pub fn check_commits(&self, commits: &[CommitHash]) -> Result<(), VerifyError> {
        if commits.len() != self.0.count() as usize
            || merkle::root(commits.iter().map(|c| &c.0)) != Some(self.0.root)
        {
            return Err(VerifyError::BadLeaves);
        }
        Ok(())
    }

    /// Checks that `commit` is the one this receipt covers at seq `first + path.index()`.
    pub fn covers(&self, commit: &CommitHash, path: &InclusionPath) -> Result<(), VerifyError> {
        path.verify(&commit.0, self.0.count(), &self.0.root)
    }
}

impl Deref for VerifiedReceipt {
    type Target = Receipt;
    fn deref(&self) -> &Receipt {
        &self.0
    }
}

/// Signs that `server` stored `commits` at its commit seqs `first..` by `time`.
pub fn sign_receipt(
    server: &Identity,
    time: ServerTime,
    first: u64,
    commits: &[CommitHash],
) -> Result<VerifiedReceipt> {
    let count = u64::try_from(commits.len()).map_err(|_| Error::Malformed("too many commits"))?;
    let last = first
        .checked_add(count)
        .and_then(|end| end.checked_sub(1))
        .ok_or(Error::Malformed("a receipt covers at least one commit"))?;
    check_range(first, last)?;
    let root = merkle::root(commits.iter().map(|c| &c.0))
        .unwrap_or_else(|| unreachable!("count checked above"));
    let mut bytes = [0u8; RECEIPT_LEN];
    bytes[..4].copy_from_slice(&MAGIC);
    bytes[4] = RECORD_VERSION;
    bytes[SERVER_OFFSET..TIME_OFFSET].copy_from_slice(&server.public().0);
    bytes[TIME_OFFSET..FIRST_OFFSET].copy_from_slice(&time.0.to_le_bytes());
    bytes[FIRST_OFFSET..LAST_OFFSET].copy_from_slice(&first.to_le_bytes());
    bytes[LAST_OFFSET..ROOT_OFFSET].copy_from_slice(&last.to_le_bytes());
    bytes[ROOT_OFFSET..BODY_LEN].copy_from_slice(&root);
    let hash = *blake3::hash(&bytes[..BODY_LEN]).as_bytes();
    bytes[BODY_LEN..].copy_from_slice(&server.sign(&hash));
    Ok(VerifiedReceipt(Receipt {
        bytes,
        server: server.public(),
        time,
        first,
        last,
        root,
        hash,
    }))
}
