//! A document's derived state: its heads, its missing parents, its winner, its feed position.
//!
//! The rule that makes arrival order irrelevant: an entry is a head exactly when no stored entry
//! of its document names it as a parent. `missing` remembers parents named but not yet stored, so
//! an entry arriving after its child is recognised as a non-head without any scan.
//!
//! Invariants:
//! - `heads` is sorted by hash, deduplicated, and non-empty once any entry is stored.
//! - `missing` is sorted, deduplicated and disjoint from the stored entries.
//! - The winner is the head with the greatest (author clock, hash): the same on every store that
//!   holds the same set of entries.

use mindoodb_protocol::{AuthorClock, DocId, EntryHash, EntryKind, UnverifiedEntry};

use crate::codec::{Reader, Writer};
use crate::{Error, Result, Seq};

/// One head of a document's revision DAG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// The entry's hash (`rev`).
    pub hash: EntryHash,
    /// Where the entry sits in the log.
    pub seq: Seq,
    /// Its author clock.
    pub clock: AuthorClock,
    /// Create, update or delete.
    pub kind: EntryKind,
}

/// The stored, derived state of one document (the `docs` column family).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocRecord {
    pub(crate) feed_seq: Seq, // Invariant: the greatest seq of any entry of this document.
    pub(crate) created: AuthorClock, // Invariant: the least author clock of its entries.
    pub(crate) heads: Vec<Head>,
    pub(crate) missing: Vec<EntryHash>,
}

/// How one stored entry relates to its document (the `history` column family).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HistoryRecord {
    pub(crate) hash: EntryHash,
    pub(crate) clock: AuthorClock,
    pub(crate) kind: EntryKind,
    pub(crate) parents: Vec<EntryHash>,
}

/// A document as a reader sees it: its winning revision plus its DAG metadata.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document id.
    pub id: DocId,
    /// Its position in the change feed: the seq of its newest entry.
    pub feed_seq: Seq,
    /// The least author clock of its entries (`created_at`).
    pub created: AuthorClock,
    /// Every head, sorted by hash; more than one means a conflict.
    pub heads: Vec<Head>,
    /// The winning head's entry (its hash was checked against the index on read).
    pub winner: UnverifiedEntry,
    /// The winning head's seq.
    pub winner_seq: Seq,
}

impl Document {
    /// True when the winning revision is a tombstone.
    pub fn is_deleted(&self) -> bool {
        self.winner.header().kind() == EntryKind::Delete
    }
    /// True when the document has more than one head.
    pub fn is_conflicted(&self) -> bool {
        self.heads.len() > 1
    }
}

impl DocRecord {
    pub(crate) fn empty(clock: AuthorClock) -> DocRecord {
        DocRecord {
            feed_seq: Seq(0),
            created: clock,
            heads: Vec::new(),
            missing: Vec::new(),
        }
    }

    /// Folds a newly stored entry in. `parent_is_stored` says whether a parent is in the store.
    pub(crate) fn add(
        &mut self,
        head: Head,
        parents: &[EntryHash],
        parent_is_stored: impl Fn(&EntryHash) -> bool,
    ) {
        let named_by_stored_child = match self.missing.binary_search(&head.hash) {
            Ok(idx) => {
                self.missing.remove(idx);
                true
            }
            Err(_) => false,
        };
        for parent in parents {
            if parent_is_stored(parent) {
                if let Ok(idx) = self.heads.binary_search_by(|h| h.hash.cmp(parent)) {
                    self.heads.remove(idx);
                }
            } else if let Err(idx) = self.missing.binary_search(parent) {
                self.missing.insert(idx, *parent);
            }
        }
        if !named_by_stored_child
            && let Err(idx) = self.heads.binary_search_by(|h| h.hash.cmp(&head.hash))
        {
            self.heads.insert(idx, head);
        }
        self.feed_seq = self.feed_seq.max(head.seq);
        self.created = self.created.min(head.clock);
    }

    pub(crate) fn winner(&self) -> Option<&Head> {
        winner(&self.heads)
    }

    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new()
            .u64(self.feed_seq.0)
            .i64(self.created.0)
            .u16(self.heads.len() as u16);
        for head in &self.heads {
            w = w
                .raw(head.hash.as_bytes())
                .u64(head.seq.0)
                .i64(head.clock.0)
                .u8(head.kind.to_byte());
        }
        w = w.u16(self.missing.len() as u16);
        for hash in &self.missing {
            w = w.raw(hash.as_bytes());
        }
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<DocRecord> {
        let mut r = Reader::new(bytes);
        let record = (|| {
            let feed_seq = Seq(r.u64()?);
            let created = AuthorClock(r.i64()?);
            let n_heads = r.u16()?;
            let mut heads = Vec::with_capacity(usize::from(n_heads));
            for _ in 0..n_heads {
                heads.push(Head {
                    hash: EntryHash(r.array()?),
                    seq: Seq(r.u64()?),
                    clock: AuthorClock(r.i64()?),
                    kind: EntryKind::from_byte(r.u8()?)?,
                });
            }
            let n_missing = r.u16()?;
            let mut missing = Vec::with_capacity(usize::from(n_missing));
            for _ in 0..n_missing {
                missing.push(EntryHash(r.array()?));
            }
            r.end()?;
            Some(DocRecord {
                feed_seq,
                created,
                heads,
                missing,
            })
        })();
        record.ok_or_else(|| Error::Corrupted("undecodable document record".into()))
    }
}

/// The head with the greatest (author clock, hash).
pub(crate) fn winner(heads: &[Head]) -> Option<&Head> {
    heads.iter().max_by_key(|h| (h.clock, h.hash))
}

impl HistoryRecord {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new()
            .raw(self.hash.as_bytes())
            .i64(self.clock.0)
            .u8(self.kind.to_byte())
            .u8(self.parents.len() as u8);
        for parent in &self.parents {
            w = w.raw(parent.as_bytes());
        }
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<HistoryRecord> {
        let mut r = Reader::new(bytes);
        let record = (|| {
            let hash = EntryHash(r.array()?);
            let clock = AuthorClock(r.i64()?);
            let kind = EntryKind::from_byte(r.u8()?)?;
            let n_parents = r.u8()?;
            let mut parents = Vec::with_capacity(usize::from(n_parents));
            for _ in 0..n_parents {
                parents.push(EntryHash(r.array()?));
            }
            r.end()?;
            Some(HistoryRecord {
                hash,
                clock,
                kind,
                parents,
            })
        })();
        record.ok_or_else(|| Error::Corrupted("undecodable history record".into()))
    }
}
