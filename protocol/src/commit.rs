//! Commits (format 2): one Ed25519 signature over the Merkle root of a transaction's entry
//! hashes, chained per author; their canonical bytes, parsing, signing and verification.
//!
//! ```text
//! commit = body ‖ signature(64)
//! body   = fixed part (114 bytes) ‖ signer role
//!
//!  0      4     5                 37          45       49                81                113  114
//!  +------+-----+-----------------+-----------+--------+-----------------+-----------------+----+
//!  |"MDBC"| ver | author (32)     | clock i64 | n u32  | root (32)       | prev (32)       | rl |
//!  +------+-----+-----------------+-----------+--------+-----------------+-----------------+----+
//! ```
//! `hash = BLAKE3(body)`, `signature = Ed25519(author, hash)`; `root` is the Merkle root
//! (merkle.rs) over the `n` entry hashes in order; `prev` is the hash of the author's previous
//! commit, all zeros for the first.
//!
//! Invariants:
//! - Encoding is canonical: parsing accepts only what `encode_body` produces plus 64 bytes.
//! - A `VerifiedCommit` exists only after its signature checked out or because this process
//!   signed it (`UnsignedCommit::sign`, `sign_commit`); a `CommitTree` only with leaves that
//!   give the commit's root.
//! - An `UnsignedCommit`'s hash is the hash its signed commit has: the signature is not part
//!   of the hash, so commits can be chained before they are signed.
//!
//! See: docs/FORMAT.md#commits

use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use ed25519_dalek::{Signature, VerifyingKey};

use crate::entry::{SIGNATURE_LEN, SealedEntry, VerifiedEntry, array, check_role, utf8};
use crate::inclusion::Inclusion;
use crate::merkle::{self, InclusionPath, Node};
use crate::{AuthorClock, AuthorKey, EntryHash, Error, Identity, Result, VerifyError, hex};

const MAGIC: [u8; 4] = *b"MDBC";
/// The version byte of commits and receipts: they belong to entry format 2.
pub(crate) const RECORD_VERSION: u8 = 2;

const AUTHOR_OFFSET: usize = 5;
const CLOCK_OFFSET: usize = AUTHOR_OFFSET + 32;
const COUNT_OFFSET: usize = CLOCK_OFFSET + 8;
const ROOT_OFFSET: usize = COUNT_OFFSET + 4;
const PREV_OFFSET: usize = ROOT_OFFSET + 32;
const ROLE_LEN_OFFSET: usize = PREV_OFFSET + 32;
const FIXED_LEN: usize = ROLE_LEN_OFFSET + 1;

/// BLAKE3 of a commit's body: its identity, what the next commit of its author names.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommitHash(pub [u8; 32]);

impl CommitHash {
    /// Parses 64 hex digits.
    pub fn from_hex(text: &str) -> Option<CommitHash> {
        hex::decode::<32>(text).map(CommitHash)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for CommitHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(&self.0))
    }
}

impl fmt::Debug for CommitHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CommitHash({self})")
    }
}

/// What the author decides for a commit besides its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitDraft {
    /// The author's clock when signing.
    pub clock: AuthorClock,
    /// The author's previous commit; `None` for the first.
    pub prev: Option<CommitHash>,
}

/// A parsed commit: its bytes, fields and hash. Reach it through `UnverifiedCommit` or
/// `VerifiedCommit`.
#[derive(Clone, PartialEq, Eq)]
pub struct Commit {
    bytes: Vec<u8>,
    author: AuthorKey,
    clock: AuthorClock,
    count: u32, // Invariant: at least 1.
    root: Node,
    prev: Option<CommitHash>,
    signer_role: String,
    hash: CommitHash, // Invariant: BLAKE3(bytes without the signature).
}

impl Commit {
    /// The whole signed commit, as stored and sent.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
    /// The signer's public key.
    pub fn author(&self) -> AuthorKey {
        self.author
    }
    /// The author's clock when signing.
    pub fn clock(&self) -> AuthorClock {
        self.clock
    }
    /// How many entries the tree holds.
    pub fn count(&self) -> u32 {
        self.count
    }
    /// The Merkle root over the entries' hashes.
    pub fn root(&self) -> &Node {
        &self.root
    }
    /// The author's previous commit; `None` for the first.
    pub fn prev(&self) -> Option<CommitHash> {
        self.prev
    }
    /// The role a node key signed for; empty for personal identities.
    pub fn signer_role(&self) -> &str {
        &self.signer_role
    }
    /// BLAKE3 of the body.
    pub fn hash(&self) -> CommitHash {
        self.hash
    }

    fn signature(&self) -> Signature {
        Signature::from_bytes(&array(&self.bytes[self.bytes.len() - SIGNATURE_LEN..]))
    }

    fn parse(bytes: Vec<u8>) -> Result<Commit> {
        let fixed = bytes
            .get(..FIXED_LEN)
            .ok_or(Error::Malformed("commit shorter than its fixed part"))?;
        if fixed[..4] != MAGIC {
            return Err(Error::Malformed("bad commit magic"));
        }
        if fixed[4] != RECORD_VERSION {
            return Err(Error::UnsupportedVersion(fixed[4]));
        }
        let count = u32::from_le_bytes(array(&fixed[COUNT_OFFSET..ROOT_OFFSET]));
        if count == 0 {
            return Err(Error::Malformed("a commit holds at least one entry"));
        }
        let prev: [u8; 32] = array(&fixed[PREV_OFFSET..ROLE_LEN_OFFSET]);
        let role_len = usize::from(fixed[ROLE_LEN_OFFSET]);
        let body_len = FIXED_LEN + role_len;
        let role = utf8(
            bytes
                .get(FIXED_LEN..body_len)
                .ok_or(Error::Malformed("truncated commit"))?,
        )?;
        check_role(role)?;
        match bytes.len().cmp(&(body_len + SIGNATURE_LEN)) {
            std::cmp::Ordering::Less => return Err(Error::Malformed("truncated commit")),
            std::cmp::Ordering::Greater => return Err(Error::TrailingBytes),
            std::cmp::Ordering::Equal => {}
        }
        Ok(Commit {
            author: AuthorKey(array(&fixed[AUTHOR_OFFSET..CLOCK_OFFSET])),
            clock: AuthorClock(i64::from_le_bytes(array(
                &fixed[CLOCK_OFFSET..COUNT_OFFSET],
            ))),
            count,
            root: array(&fixed[ROOT_OFFSET..PREV_OFFSET]),
            prev: (prev != [0; 32]).then_some(CommitHash(prev)),
            signer_role: role.to_owned(),
            hash: CommitHash(*blake3::hash(&bytes[..body_len]).as_bytes()),
            bytes,
        })
    }
}

impl fmt::Debug for Commit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Commit")
            .field("hash", &self.hash)
            .field("author", &self.author)
            .field("count", &self.count)
            .field("prev", &self.prev)
            .finish_non_exhaustive()
    }
}

/// The length of the signed commit record at the front of `bytes`, read from its fixed part
/// (for formats that carry bytes of their own after a commit).
pub fn commit_len(bytes: &[u8]) -> Result<usize> {
    let fixed = bytes
        .get(..FIXED_LEN)
        .ok_or(Error::Malformed("commit shorter than its fixed part"))?;
    if fixed[..4] != MAGIC {
        return Err(Error::Malformed("bad commit magic"));
    }
    let len = FIXED_LEN + usize::from(fixed[ROLE_LEN_OFFSET]) + SIGNATURE_LEN;
    if bytes.len() < len {
        return Err(Error::Malformed("truncated commit"));
    }
    Ok(len)
}

/// The canonical body of a commit.
fn encode_body(
    author: AuthorKey,
    draft: CommitDraft,
    count: u32,
    root: &Node,
    role: &str,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(FIXED_LEN + role.len() + SIGNATURE_LEN);
    out.extend_from_slice(&MAGIC);
    out.push(RECORD_VERSION);
    out.extend_from_slice(&author.0);
    out.extend_from_slice(&draft.clock.0.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(root);
    out.extend_from_slice(&draft.prev.map_or([0; 32], |p| p.0));
    // Bounded by check_role at the caller.
    out.push(role.len() as u8);
    debug_assert_eq!(out.len(), FIXED_LEN);
    out.extend_from_slice(role.as_bytes());
    out
}

/// A commit that parsed but whose signature has not been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnverifiedCommit(Commit);

impl UnverifiedCommit {
    /// Parses signed commit bytes; rejects anything encoding could not have produced.
    pub fn parse(bytes: impl Into<Vec<u8>>) -> Result<UnverifiedCommit> {
        Commit::parse(bytes.into()).map(UnverifiedCommit)
    }

    /// Checks the author key and the Ed25519 signature over the hash (strict).
    pub fn verify(self) -> Result<VerifiedCommit, VerifyError> {
        let author =
            VerifyingKey::from_bytes(&self.0.author.0).map_err(|_| VerifyError::BadAuthorKey)?;
        self.verify_by(&author)
    }

    /// `verify` with the author key already decoded (`AuthorKeys`).
    pub(crate) fn verify_by(self, author: &VerifyingKey) -> Result<VerifiedCommit, VerifyError> {
        author
            .verify_strict(&self.0.hash.0, &self.0.signature())
            .map_err(|_| VerifyError::BadSignature)?;
        Ok(VerifiedCommit(self.0))
    }
}

impl Deref for UnverifiedCommit {
    type Target = Commit;
    fn deref(&self) -> &Commit {
        &self.0
    }
}

/// A commit whose signature checked out, or that this process signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCommit(Commit);

impl VerifiedCommit {
    /// Checks that `hash` is the leaf at `path`'s index: for an entry hash whose entry is
    /// absent (a store that erased the body keeps the hash), or that arrives without its body.
    pub fn proves(&self, hash: &EntryHash, path: &InclusionPath) -> Result<(), VerifyError> {
        path.verify(&hash.0, self.0.count, &self.0.root)
            .map_err(|err| match err {
                VerifyError::NotInTree => VerifyError::NotInCommit,
                other => other,
            })
    }
}

impl Deref for VerifiedCommit {
    type Target = Commit;
    fn deref(&self) -> &Commit {
        &self.0
    }
}

/// A verified commit with all its leaves (the entry hashes, in order), checked against its
/// root: proves any of its entries with one comparison, and gives any leaf's path.
#[derive(Debug, Clone)]
pub struct CommitTree {
    commit: Arc<VerifiedCommit>,
    leaves: Vec<EntryHash>, // Invariant: commit.count() of them, whose root is commit.root().
    /// The tree's levels, built by the first path asked for: later paths cost log2 n.
    levels: OnceLock<Vec<Vec<Node>>>,
}

impl PartialEq for CommitTree {
    fn eq(&self, other: &CommitTree) -> bool {
        self.commit == other.commit && self.leaves == other.leaves
    }
}

impl Eq for CommitTree {}

impl CommitTree {
    /// Checks that `leaves` are exactly the commit's: as many as it counts, giving its root.
    pub fn new(
        commit: Arc<VerifiedCommit>,
        leaves: Vec<EntryHash>,
    ) -> Result<CommitTree, VerifyError> {
        if leaves.len() != commit.count as usize
            || merkle::root(leaves.iter().map(|l| &l.0)) != Some(commit.root)
        {
            return Err(VerifyError::BadLeaves);
        }
        Ok(CommitTree {
            commit,
            leaves,
            levels: OnceLock::new(),
        })
    }

    /// The signed commit.
    pub fn commit(&self) -> &Arc<VerifiedCommit> {
        &self.commit
    }

    /// The entry hashes, in order.
    pub fn leaves(&self) -> &[EntryHash] {
        &self.leaves
    }

    /// The inclusion path of leaf `index`: the first path of a tree builds its levels (O(n)),
    /// later ones read them (log2 n).
    pub fn path(&self, index: u32) -> Option<InclusionPath> {
        (index < self.commit.count).then(|| {
            let levels = self
                .levels
                .get_or_init(|| merkle::levels(self.leaves.iter().map(|l| &l.0)));
            InclusionPath::new(index, merkle::path_from_levels(levels, index))
                .unwrap_or_else(|_| unreachable!("a u32-sized tree is at most 32 deep"))
        })
    }
}

/// A transaction's entries under one signed commit, ready to store.
#[derive(Debug, Clone)]
pub struct SignedCommit {
    /// The commit with its leaves.
    pub tree: Arc<CommitTree>,
    /// The entries, in leaf order, each carrying its inclusion.
    pub entries: Vec<VerifiedEntry>,
}

/// A commit whose body and hash are final but which is not signed yet: its hash can already
/// be named as the next commit's previous one, so a store can chain several commits and sign
/// them all at once, in parallel.
#[derive(Debug, Clone)]
pub struct UnsignedCommit {
    body: Vec<u8>,
    author: AuthorKey,
    clock: AuthorClock,
    count: u32,
    root: Node,
    prev: Option<CommitHash>,
    signer_role: String,
    hash: CommitHash, // Invariant: BLAKE3(body).
    leaves: Vec<EntryHash>,
}

impl UnsignedCommit {
    /// The hash the signed commit will have.
    pub fn hash(&self) -> CommitHash {
        self.hash
    }

    /// The author who must sign it.
    pub fn author(&self) -> AuthorKey {
        self.author
    }

    /// Signs the body with the author's identity.
    pub fn sign(self, signer: &Identity) -> Result<CommitTree> {
        if signer.public() != self.author {
            return Err(Error::InvalidCommit(
                "signed by another identity than its author",
            ));
        }
        let mut bytes = self.body;
        bytes.extend_from_slice(&signer.sign(&self.hash.0));
        let commit = Arc::new(VerifiedCommit(Commit {
            bytes,
            author: self.author,
            clock: self.clock,
            count: self.count,
            root: self.root,
            prev: self.prev,
            signer_role: self.signer_role,
            hash: self.hash,
        }));
        Ok(CommitTree {
            commit,
            leaves: self.leaves,
            levels: OnceLock::new(),
        })
    }
}

/// The commit of a transaction by `author`: the Merkle root over `entries`' hashes in order,
/// chained to `draft.prev`, not signed yet. Every entry must name `author` and the same signer
/// role, which the commit repeats.
pub fn prepare_commit<'a>(
    author: AuthorKey,
    draft: CommitDraft,
    entries: impl ExactSizeIterator<Item = &'a SealedEntry>,
) -> Result<UnsignedCommit> {
    let count = u32::try_from(entries.len())
        .map_err(|_| Error::InvalidCommit("more than 2^32 - 1 entries"))?;
    let mut role: Option<&str> = None;
    let mut leaves = Vec::with_capacity(entries.len());
    for entry in entries {
        let header = entry.header();
        if header.author() != author {
            return Err(Error::InvalidCommit("an entry names another author"));
        }
        match role {
            None => role = Some(header.signer_role()),
            Some(role) if role != header.signer_role() => {
                return Err(Error::InvalidCommit("entries name different signer roles"));
            }
            Some(_) => {}
        }
        leaves.push(entry.hash());
    }
    let role = role
        .ok_or(Error::InvalidCommit("a commit holds at least one entry"))?
        .to_owned();
    let root = merkle::root(leaves.iter().map(|l| &l.0))
        .unwrap_or_else(|| unreachable!("entries is not empty"));
    let body = encode_body(author, draft, count, &root, &role);
    let hash = CommitHash(*blake3::hash(&body).as_bytes());
    Ok(UnsignedCommit {
        body,
        author,
        clock: draft.clock,
        count,
        root,
        prev: draft.prev,
        signer_role: role,
        hash,
        leaves,
    })
}

/// Signs a transaction: `prepare_commit` by `signer`, then one Ed25519 signature; returns the
/// entries each with its inclusion.
pub fn sign_commit(
    signer: &Identity,
    draft: CommitDraft,
    entries: Vec<SealedEntry>,
) -> Result<SignedCommit> {
    let unsigned = prepare_commit(signer.public(), draft, entries.iter())?;
    let tree = Arc::new(unsigned.sign(signer)?);
    let entries = entries
        .into_iter()
        .zip(0u32..)
        .map(|(entry, index)| {
            VerifiedEntry::included(entry.into_entry(), Inclusion::in_tree(tree.clone(), index))
        })
        .collect();
    Ok(SignedCommit { tree, entries })
}
