//! Client-side verification of `mindoo.proof(table, id)`: a document's history re-derived from
//! sealed bytes, so a client need not trust the server that sent them.
//!
//! Invariants:
//! - Every claimed column (rev, header, signature, signer, head, winner) must equal what the
//!   sealed bytes give; any disagreement is an error, never silently corrected.
//! - Authorship is checked from the bytes alone: a format-1 entry by its signature, a
//!   format-2 entry by the commit and inclusion path it carries (column `proof`).
//! - A receipt (column `receipt`) is accepted only when its server's signature verifies and
//!   it covers the entry's own commit; which servers to believe is the caller's choice.
//! - The history must be closed: every parent an entry names is itself in the proof.
//! - Heads and the winner are recomputed with storage's rule (storage/src/doc.rs):
//!   a head is an entry no other entry names as parent; the winner is the head with the
//!   greatest (author clock, hash).
//!
//! See: docs/SQL.md#mindooproof

use std::collections::{BTreeSet, HashSet};

use mindoodb_protocol::{
    AuthorKey, DocId, EntryHash, EntryKind, Receiver, ServerTime, UnverifiedEntry, VerifiedEntry,
    VerifyError, verify_carried_receipt,
};

/// One row of `mindoo.proof(table, id)`, as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofEntry {
    /// The entry's position in the table's log (column `seq`).
    pub seq: i64,
    /// The claimed hash, 64 hex digits (column `rev`).
    pub rev: String,
    /// The claimed author public key, 64 hex digits (column `signer`).
    pub signer: String,
    /// The claimed canonical header (column `header`).
    pub header: Vec<u8>,
    /// The claimed Ed25519 signature (column `signature`; empty for format 2, whose commit
    /// is signed instead).
    pub signature: Vec<u8>,
    /// The whole sealed entry (column `sealed`): what everything is checked against.
    pub sealed: Vec<u8>,
    /// The server says this entry is a head (column `head`).
    pub head: bool,
    /// The server says this entry is the winning head (column `winner`).
    pub winner: bool,
    /// A format-2 entry's signed commit and inclusion path (column `proof`).
    pub proof: Option<Vec<u8>>,
    /// A server's receipt for the entry's commit and the commit's path in it (column
    /// `receipt`).
    pub receipt: Option<Vec<u8>>,
}

/// What a receipt showed: `server` had stored the entry's commit by `time`, by its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredBy {
    /// The signing server's public key.
    pub server: AuthorKey,
    /// When, by that server's clock.
    pub time: ServerTime,
}

/// A history that passed `verify_proof`.
#[derive(Debug, Clone)]
pub struct VerifiedHistory {
    /// The document.
    pub doc_id: DocId,
    /// Every entry, in the proof's (seq) order, with its signature or commit checked.
    pub entries: Vec<VerifiedEntry>,
    /// The heads, sorted by hash.
    pub heads: Vec<EntryHash>,
    /// The winning head: what the table shows as `rev`.
    pub winner: EntryHash,
    /// For each entry, in order, the receipt that came with it.
    pub stored: Vec<Option<StoredBy>>,
}

impl VerifiedHistory {
    /// True when the winning revision is a delete.
    pub fn is_deleted(&self) -> bool {
        self.entries
            .iter()
            .find(|e| e.hash() == self.winner)
            .is_some_and(|e| e.header().kind() == EntryKind::Delete)
    }

    /// Every key that signed an entry of this history; the caller decides whom to trust.
    pub fn authors(&self) -> BTreeSet<AuthorKey> {
        self.entries.iter().map(|e| e.header().author()).collect()
    }
}

/// Why a proof was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofError {
    /// The proof has no rows: the document does not exist on that server.
    #[error("the proof is empty")]
    Empty,
    /// Rows are not in strictly increasing seq order.
    #[error("seq {seq} does not follow the row before it")]
    OutOfOrder {
        /// The offending row's seq.
        seq: i64,
    },
    /// The sealed bytes do not parse as an entry.
    #[error("seq {seq}: sealed bytes are not an entry: {why}")]
    Undecodable {
        /// The row.
        seq: i64,
        /// The parser's complaint.
        why: String,
    },
    /// The claimed rev is not the hash of the sealed bytes.
    #[error("seq {seq}: rev {claimed} is not the hash of the sealed bytes ({actual})")]
    RevMismatch {
        /// The row.
        seq: i64,
        /// What the server said.
        claimed: String,
        /// What the bytes hash to.
        actual: EntryHash,
    },
    /// The header, signature or signer column differs from the sealed bytes.
    #[error("seq {seq}: the {column} column differs from the sealed bytes")]
    ColumnMismatch {
        /// The row.
        seq: i64,
        /// `header`, `signature` or `signer`.
        column: &'static str,
    },
    /// The signature (of the entry, or of its commit) does not verify, or the entry is not
    /// in its commit.
    #[error("seq {seq}: entry {hash}: {why}")]
    BadSignature {
        /// The row.
        seq: i64,
        /// The entry.
        hash: EntryHash,
        /// What failed.
        why: VerifyError,
    },
    /// An entry belongs to another document.
    #[error("seq {seq}: entry {hash} belongs to document {doc_id}")]
    OtherDocument {
        /// The row.
        seq: i64,
        /// The entry.
        hash: EntryHash,
        /// Its document.
        doc_id: DocId,
    },
    /// The same entry appears twice.
    #[error("entry {0} appears twice")]
    Duplicate(EntryHash),
    /// A receipt does not verify, or does not cover the entry's commit.
    #[error("seq {seq}: the receipt of entry {hash}: {why}")]
    BadReceipt {
        /// The row.
        seq: i64,
        /// The entry.
        hash: EntryHash,
        /// What failed.
        why: String,
    },
    /// An entry names a parent that is not in the proof.
    #[error("entry {hash} names parent {parent}, which the proof lacks")]
    MissingParent {
        /// The child.
        hash: EntryHash,
        /// The absent parent.
        parent: EntryHash,
    },
    /// The rows flagged `head` are not the heads the entries give.
    #[error("the proof claims heads {claimed:?}, the entries give {actual:?}")]
    HeadsMismatch {
        /// Flagged by the server.
        claimed: Vec<EntryHash>,
        /// Derived here.
        actual: Vec<EntryHash>,
    },
    /// The row flagged `winner` is not the winning head.
    #[error("the proof claims winner {claimed:?}, the heads give {actual}")]
    WinnerMismatch {
        /// Flagged by the server (none, or the first of several).
        claimed: Option<EntryHash>,
        /// Derived here.
        actual: EntryHash,
    },
}

/// Checks `rows` as the complete history of `doc_id`; see the module invariants.
pub fn verify_proof(doc_id: &DocId, rows: &[ProofEntry]) -> Result<VerifiedHistory, ProofError> {
    if rows.is_empty() {
        return Err(ProofError::Empty);
    }
    let mut entries = Vec::with_capacity(rows.len());
    let mut stored = Vec::with_capacity(rows.len());
    let mut seen = HashSet::with_capacity(rows.len());
    let mut last_seq = None;
    let mut receiver = Receiver::new();
    for row in rows {
        if last_seq.is_some_and(|last| row.seq <= last) {
            return Err(ProofError::OutOfOrder { seq: row.seq });
        }
        last_seq = Some(row.seq);
        let entry = verify_row(doc_id, row, &mut receiver)?;
        if !seen.insert(entry.hash()) {
            return Err(ProofError::Duplicate(entry.hash()));
        }
        stored.push(stored_by(row, &entry)?);
        entries.push(entry);
    }

    let mut referenced = HashSet::new();
    for entry in &entries {
        for parent in entry.header().parents() {
            if !seen.contains(parent) {
                return Err(ProofError::MissingParent {
                    hash: entry.hash(),
                    parent: *parent,
                });
            }
            referenced.insert(*parent);
        }
    }
    let mut heads: Vec<&VerifiedEntry> = entries
        .iter()
        .filter(|e| !referenced.contains(&e.hash()))
        .collect();
    heads.sort_by_key(|e| e.hash());
    let actual: Vec<EntryHash> = heads.iter().map(|e| e.hash()).collect();
    let mut claimed: Vec<EntryHash> = rows
        .iter()
        .zip(&entries)
        .filter(|(row, _)| row.head)
        .map(|(_, e)| e.hash())
        .collect();
    claimed.sort();
    if claimed != actual {
        return Err(ProofError::HeadsMismatch { claimed, actual });
    }
    let winner = heads
        .iter()
        .max_by_key(|e| (e.header().clock(), e.hash()))
        .map(|e| e.hash())
        .ok_or(ProofError::Empty)?;
    let flagged: Vec<EntryHash> = rows
        .iter()
        .zip(&entries)
        .filter(|(row, _)| row.winner)
        .map(|(_, e)| e.hash())
        .collect();
    if flagged != [winner] {
        return Err(ProofError::WinnerMismatch {
            claimed: flagged.first().copied(),
            actual: winner,
        });
    }
    Ok(VerifiedHistory {
        doc_id: doc_id.clone(),
        entries,
        heads: actual,
        winner,
        stored,
    })
}

/// The receipt a row carries, checked against the entry's commit.
fn stored_by(row: &ProofEntry, entry: &VerifiedEntry) -> Result<Option<StoredBy>, ProofError> {
    let Some(receipt) = &row.receipt else {
        return Ok(None);
    };
    let bad = |why: String| ProofError::BadReceipt {
        seq: row.seq,
        hash: entry.hash(),
        why,
    };
    let inclusion = entry
        .inclusion()
        .ok_or_else(|| bad("a format-1 entry has no commit to receipt".into()))?;
    let receipt = verify_carried_receipt(&inclusion.commit().hash(), receipt)
        .map_err(|err| bad(err.to_string()))?;
    Ok(Some(StoredBy {
        server: receipt.server(),
        time: receipt.time(),
    }))
}

/// Parses one row's sealed bytes and checks every claimed column against them.
fn verify_row(
    doc_id: &DocId,
    row: &ProofEntry,
    receiver: &mut Receiver,
) -> Result<VerifiedEntry, ProofError> {
    let seq = row.seq;
    let entry =
        UnverifiedEntry::parse(row.sealed.clone()).map_err(|err| ProofError::Undecodable {
            seq,
            why: err.to_string(),
        })?;
    let hash = entry.hash();
    if EntryHash::from_hex(&row.rev) != Some(hash) {
        return Err(ProofError::RevMismatch {
            seq,
            claimed: row.rev.clone(),
            actual: hash,
        });
    }
    let column = if row.header != entry.header_bytes() {
        Some("header")
    } else if row.signature != entry.signature() {
        Some("signature")
    } else if row.signer != entry.header().author().to_string() {
        Some("signer")
    } else {
        None
    };
    if let Some(column) = column {
        return Err(ProofError::ColumnMismatch { seq, column });
    }
    if entry.header().doc_id() != doc_id {
        return Err(ProofError::OtherDocument {
            seq,
            hash,
            doc_id: entry.header().doc_id().clone(),
        });
    }
    receiver
        .verify(entry, row.proof.as_deref())
        .map_err(|err| match err {
            mindoodb_protocol::Error::Verify(why) => ProofError::BadSignature { seq, hash, why },
            other => ProofError::Undecodable {
                seq,
                why: format!("its proof: {other}"),
            },
        })
}
