//! The stored values format 2 adds: a format-2 entry's log value (the entry, then where it sits
//! in its commit), the stub of an entry whose body is absent, commit records, receipt records
//! and chain heads.
//!
//! ```text
//! log value   = entry                              (format 1)
//!             | entry ‖ trailer                    (format 2)
//!             | "MDBA" ‖ entry hash(32) ‖ trailer  (format 2, body absent, leaf hash kept)
//! trailer     = commit_seq u64 ‖ leaf index u32 ‖ n u8 ‖ n × 32 (the inclusion path; empty
//!               when the commit record holds the leaves)
//! commit rec. = commit_len u32 ‖ signed commit ‖ leaves (count × 32, or none)
//! receipt rec.= signed receipt (157) ‖ count × commit hash (the covered commits, seq order)
//! chain head  = commit_seq u64 ‖ commit hash(32)
//! commit hash index value   = commit_seq u64 ‖ has_leaves u8
//! receipt range index value = receipt_seq u64 ‖ first u64 ‖ receipt hash(32)
//! ```
//! Integers are little-endian, as in every value.
//!
//! Invariants:
//! - A log value's format is read from its first five bytes; the entry's own header gives
//!   where the entry ends, so the trailer needs no length.
//! - Decoders never panic on bad bytes: they return a reason, which callers report as damage.
//!
//! See: docs/FORMAT.md#storage-layout

use mindoodb_protocol::{
    CommitHash, EntryFormat, EntryHash, InclusionPath, RECEIPT_LEN, UnverifiedCommit,
    UnverifiedEntry, UnverifiedReceipt, entry_len,
};

use crate::stage::{KnownCommit, ReceiptRange};
use crate::{CommitSeq, ReceiptSeq};

const ABSENT_MAGIC: &[u8; 4] = b"MDBA";
const ENTRY_MAGIC: &[u8; 4] = b"MDBE";

/// Where a format-2 entry sits in its commit, as its log value records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    /// The commit, in its tenant's commit log.
    pub commit: CommitSeq,
    /// The entry's leaf index and, when the commit record lacks its leaves (a commit imported
    /// one table at a time), its path to the commit's root.
    pub path: InclusionPath,
}

impl Leaf {
    /// Leaf `index` of a commit whose record holds the leaves: no path needed.
    pub(crate) fn at(commit: CommitSeq, index: u32) -> Leaf {
        Leaf {
            commit,
            path: InclusionPath::new(index, Vec::new())
                .unwrap_or_else(|_| unreachable!("an empty path is never too long")),
        }
    }

    pub(crate) fn encode_into(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.commit.0.to_le_bytes());
        self.path.encode_into(out);
    }

    fn decode(bytes: &[u8]) -> Result<Leaf, String> {
        let seq: [u8; 8] = bytes
            .get(..8)
            .and_then(|b| b.try_into().ok())
            .ok_or("truncated trailer")?;
        let path = InclusionPath::decode(&bytes[8..]).map_err(|e| format!("trailer: {e}"))?;
        Ok(Leaf {
            commit: CommitSeq(u64::from_le_bytes(seq)),
            path,
        })
    }
}

/// A log value, split.
pub(crate) enum LogValue<'a> {
    /// A format-1 entry, signed alone.
    Signed(&'a [u8]),
    /// A format-2 entry and where it sits in its commit.
    InCommit(&'a [u8], Leaf),
    /// A format-2 entry whose body this store lacks; its hash is still a leaf of its commit.
    Absent(EntryHash, Leaf),
}

impl LogValue<'_> {
    pub(crate) fn leaf(&self) -> Option<&Leaf> {
        match self {
            LogValue::Signed(_) => None,
            LogValue::InCommit(_, leaf) | LogValue::Absent(_, leaf) => Some(leaf),
        }
    }
}

/// Splits a stored log value.
pub(crate) fn split_log_value(bytes: &[u8]) -> Result<LogValue<'_>, String> {
    match bytes.get(..5) {
        Some([m0, m1, m2, m3, _]) if [*m0, *m1, *m2, *m3] == *ABSENT_MAGIC => {
            let hash: [u8; 32] = bytes
                .get(4..36)
                .and_then(|b| b.try_into().ok())
                .ok_or("truncated stub")?;
            Ok(LogValue::Absent(
                EntryHash(hash),
                Leaf::decode(&bytes[36..])?,
            ))
        }
        Some([m0, m1, m2, m3, version])
            if [*m0, *m1, *m2, *m3] == *ENTRY_MAGIC
                && EntryFormat::from_byte(*version) == Some(EntryFormat::V2) =>
        {
            let len = entry_len(bytes).map_err(|e| e.to_string())?;
            let entry = bytes.get(..len).ok_or("truncated entry")?;
            Ok(LogValue::InCommit(entry, Leaf::decode(&bytes[len..])?))
        }
        _ => Ok(LogValue::Signed(bytes)),
    }
}

/// The log value of a format-2 entry.
pub(crate) fn entry_value(entry: &[u8], leaf: &Leaf) -> Vec<u8> {
    let mut out = Vec::with_capacity(entry.len() + 13 + 32 * leaf.path.siblings().len());
    out.extend_from_slice(entry);
    leaf.encode_into(&mut out);
    out
}

/// Parses the entry of a log value: what every read returns.
pub(crate) fn parse_entry(bytes: &[u8]) -> Result<(UnverifiedEntry, Option<Leaf>), String> {
    let (entry, leaf) = match split_log_value(bytes)? {
        LogValue::Signed(entry) => (entry, None),
        LogValue::InCommit(entry, leaf) => (entry, Some(leaf)),
        LogValue::Absent(hash, _) => return Err(format!("entry {hash} is absent (erased)")),
    };
    let entry = UnverifiedEntry::parse(entry).map_err(|e| e.to_string())?;
    Ok((entry, leaf))
}

/// The hash of a log value's entry, also when its body is absent.
pub(crate) fn stored_hash(bytes: &[u8]) -> Result<EntryHash, String> {
    let entry = match split_log_value(bytes)? {
        LogValue::Absent(hash, _) => return Ok(hash),
        LogValue::Signed(entry) | LogValue::InCommit(entry, _) => entry,
    };
    Ok(UnverifiedEntry::parse(entry)
        .map_err(|e| e.to_string())?
        .hash())
}

/// A commit as its tenant's commit log holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCommit {
    /// Its place in the tenant's commit log, gap-free from 1.
    pub seq: CommitSeq,
    /// The signed commit (its signature was checked before it was stored).
    pub commit: UnverifiedCommit,
    /// Every entry hash, in order, when the store was given them (always for commits written
    /// here); `None` when it got the commit with only some entries and their paths.
    pub leaves: Option<Vec<EntryHash>>,
}

pub(crate) fn encode_commit(commit: &[u8], leaves: Option<&[EntryHash]>) -> Vec<u8> {
    let n_leaves = leaves.map_or(0, <[EntryHash]>::len);
    let mut out = Vec::with_capacity(4 + commit.len() + 32 * n_leaves);
    // A commit is at most a few hundred bytes (fixed part, role, signature).
    out.extend_from_slice(&(commit.len() as u32).to_le_bytes());
    out.extend_from_slice(commit);
    for leaf in leaves.unwrap_or_default() {
        out.extend_from_slice(leaf.as_bytes());
    }
    out
}

pub(crate) fn decode_commit(seq: CommitSeq, bytes: &[u8]) -> Result<StoredCommit, String> {
    let len: [u8; 4] = bytes
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .ok_or("truncated commit record")?;
    let end = 4 + u32::from_le_bytes(len) as usize;
    let commit = bytes.get(4..end).ok_or("truncated commit record")?;
    let commit = UnverifiedCommit::parse(commit).map_err(|e| e.to_string())?;
    let rest = &bytes[end..];
    let leaves = if rest.is_empty() {
        None
    } else if rest.len() == 32 * commit.count() as usize {
        Some(hashes(rest).map(EntryHash).collect())
    } else {
        return Err("commit record's leaves do not match its count".into());
    };
    Ok(StoredCommit {
        seq,
        commit,
        leaves,
    })
}

/// A receipt as its tenant's receipt log holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReceipt {
    /// Its place in the tenant's receipt log, gap-free from 1.
    pub seq: ReceiptSeq,
    /// The signed receipt (its signature and commits were checked before it was stored).
    pub receipt: UnverifiedReceipt,
    /// The hashes of the commits it covers, in the signing server's seq order.
    pub commits: Vec<CommitHash>,
}

pub(crate) fn encode_receipt(receipt: &[u8], commits: &[CommitHash]) -> Vec<u8> {
    let mut out = Vec::with_capacity(receipt.len() + 32 * commits.len());
    out.extend_from_slice(receipt);
    for commit in commits {
        out.extend_from_slice(commit.as_bytes());
    }
    out
}

pub(crate) fn decode_receipt(seq: ReceiptSeq, bytes: &[u8]) -> Result<StoredReceipt, String> {
    let receipt = bytes.get(..RECEIPT_LEN).ok_or("truncated receipt record")?;
    let receipt = UnverifiedReceipt::parse(receipt).map_err(|e| e.to_string())?;
    let rest = &bytes[RECEIPT_LEN..];
    if rest.len() != 32 * receipt.count() as usize {
        return Err("receipt record's commits do not match its range".into());
    }
    Ok(StoredReceipt {
        seq,
        receipt,
        commits: hashes(rest).map(CommitHash).collect(),
    })
}

pub(crate) fn encode_head(seq: CommitSeq, hash: &CommitHash) -> [u8; 40] {
    let mut out = [0u8; 40];
    out[..8].copy_from_slice(&seq.0.to_le_bytes());
    out[8..].copy_from_slice(hash.as_bytes());
    out
}

pub(crate) fn decode_head(bytes: &[u8]) -> Option<(CommitSeq, CommitHash)> {
    let seq: [u8; 8] = bytes.get(..8)?.try_into().ok()?;
    let hash: [u8; 32] = bytes.get(8..)?.try_into().ok()?;
    Some((CommitSeq(u64::from_le_bytes(seq)), CommitHash(hash)))
}

pub(crate) fn encode_known(seq: CommitSeq, has_leaves: bool) -> [u8; 9] {
    let mut out = [0u8; 9];
    out[..8].copy_from_slice(&seq.0.to_le_bytes());
    out[8] = u8::from(has_leaves);
    out
}

pub(crate) fn decode_known(bytes: &[u8]) -> Option<KnownCommit> {
    let seq: [u8; 8] = bytes.get(..8)?.try_into().ok()?;
    let has_leaves = match bytes.get(8..)? {
        [0] => false,
        [1] => true,
        _ => return None,
    };
    Some(KnownCommit {
        seq: CommitSeq(u64::from_le_bytes(seq)),
        has_leaves,
    })
}

pub(crate) fn encode_range(range: &ReceiptRange) -> [u8; 48] {
    let mut out = [0u8; 48];
    out[..8].copy_from_slice(&range.seq.0.to_le_bytes());
    out[8..16].copy_from_slice(&range.first.to_le_bytes());
    out[16..].copy_from_slice(&range.hash);
    out
}

pub(crate) fn decode_range(bytes: &[u8]) -> Option<ReceiptRange> {
    let seq: [u8; 8] = bytes.get(..8)?.try_into().ok()?;
    let first: [u8; 8] = bytes.get(8..16)?.try_into().ok()?;
    let hash: [u8; 32] = bytes.get(16..)?.try_into().ok()?;
    Some(ReceiptRange {
        seq: ReceiptSeq(u64::from_le_bytes(seq)),
        first: u64::from_le_bytes(first),
        hash,
    })
}

fn hashes(bytes: &[u8]) -> impl Iterator<Item = [u8; 32]> + '_ {
    bytes.chunks_exact(32).map(|c| {
        c.try_into()
            .unwrap_or_else(|_| unreachable!("chunks_exact(32)"))
    })
}
