//! Table verification: re-checks every entry's bytes, hash, signature and parent links, the
//! seq sequence, and that the derived indexes agree with the log. Needs no keys.
//!
//! Invariants:
//! - Verification only reads; it reports, it never repairs.
//! - Every problem names the seq (and hash, where one is known) of the entry concerned.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use mindoodb_protocol::{DocId, EntryHash, UnverifiedEntry};

use crate::doc::DocRecord;
use crate::layout::{self, CF_BY_HASH, CF_DOCS, CF_LOG};
use crate::read::Snapshot;
use crate::{Error, Result, Seq, Table};

/// Problems kept in a report; counts go on past it.
const MAX_PROBLEMS: usize = 1000;

/// One thing verification found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The stored bytes do not parse as an entry.
    Undecodable {
        /// Where.
        seq: Seq,
        /// The parser's complaint.
        why: String,
    },
    /// The signature does not verify.
    BadSignature {
        /// Where.
        seq: Seq,
        /// The entry's hash.
        hash: EntryHash,
    },
    /// A seq between 1 and the last one has no entry.
    MissingEntry {
        /// The absent seq.
        seq: Seq,
    },
    /// The hash index does not point at this entry (moved, replaced or reordered bytes).
    IndexMismatch {
        /// Where.
        seq: Seq,
        /// What the entry hashes to now.
        hash: EntryHash,
    },
    /// A parent is not in the table.
    MissingParent {
        /// The child's seq.
        seq: Seq,
        /// The child.
        hash: EntryHash,
        /// The absent parent.
        parent: EntryHash,
    },
    /// A parent belongs to another document.
    ForeignParent {
        /// The child's seq.
        seq: Seq,
        /// The child.
        hash: EntryHash,
        /// The parent of another document.
        parent: EntryHash,
    },
    /// The stored heads of a document differ from what its entries give.
    HeadsMismatch {
        /// The document.
        doc_id: DocId,
    },
}

impl Problem {
    /// The seq of the entry concerned, when there is one.
    pub fn seq(&self) -> Option<Seq> {
        match self {
            Problem::Undecodable { seq, .. }
            | Problem::BadSignature { seq, .. }
            | Problem::MissingEntry { seq }
            | Problem::IndexMismatch { seq, .. }
            | Problem::MissingParent { seq, .. }
            | Problem::ForeignParent { seq, .. } => Some(*seq),
            Problem::HeadsMismatch { .. } => None,
        }
    }

    /// The hash of the entry concerned, when its bytes gave one.
    pub fn hash(&self) -> Option<EntryHash> {
        match self {
            Problem::BadSignature { hash, .. }
            | Problem::IndexMismatch { hash, .. }
            | Problem::MissingParent { hash, .. }
            | Problem::ForeignParent { hash, .. } => Some(*hash),
            Problem::Undecodable { .. }
            | Problem::MissingEntry { .. }
            | Problem::HeadsMismatch { .. } => None,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Undecodable { seq, why } => {
                write!(f, "seq {}: undecodable entry: {why}", seq.0)
            }
            Problem::BadSignature { seq, hash } => {
                write!(f, "seq {}: entry {hash}: bad signature", seq.0)
            }
            Problem::MissingEntry { seq } => write!(f, "seq {}: entry missing from the log", seq.0),
            Problem::IndexMismatch { seq, hash } => {
                write!(
                    f,
                    "seq {}: entry {hash} is not where the hash index says",
                    seq.0
                )
            }
            Problem::MissingParent { seq, hash, parent } => {
                write!(
                    f,
                    "seq {}: entry {hash}: parent {parent} is not in the table",
                    seq.0
                )
            }
            Problem::ForeignParent { seq, hash, parent } => {
                write!(
                    f,
                    "seq {}: entry {hash}: parent {parent} belongs to another document",
                    seq.0
                )
            }
            Problem::HeadsMismatch { doc_id } => {
                write!(f, "document {doc_id}: stored heads differ from its entries")
            }
        }
    }
}

/// The outcome of verifying one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Entries read from the log.
    pub entries: u64,
    /// Entries whose signature verified.
    pub signatures_ok: u64,
    /// Documents found.
    pub documents: u64,
    /// The last entry of the log: the chain head.
    pub last: Option<(Seq, EntryHash)>,
    /// Problems, in seq order then documents; capped at 1000.
    pub problems: Vec<Problem>,
    /// All problems, including those past the cap.
    pub n_problems: u64,
}

impl VerifyReport {
    /// True when nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.n_problems == 0
    }
    /// The first problem, if any.
    pub fn first_problem(&self) -> Option<&Problem> {
        self.problems.first()
    }
    fn push(&mut self, problem: Problem) {
        self.n_problems += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem);
        }
    }
}

struct Seen {
    seq: Seq,
    doc_id: DocId,
    parents: Vec<EntryHash>,
}

impl Snapshot<'_> {
    /// Verifies `table`; see the module doc for what is checked.
    pub fn verify(&self, table: Table) -> Result<VerifyReport> {
        let mut report = VerifyReport {
            entries: 0,
            signatures_ok: 0,
            documents: 0,
            last: None,
            problems: Vec::new(),
            n_problems: 0,
        };
        let mut seen: HashMap<EntryHash, Seen> = HashMap::new();
        let mut expected = 1u64;
        for row in self.iter_table(CF_LOG, table) {
            let (key, value) = row?;
            let seq =
                layout::seq_from_key(&key).ok_or_else(|| Error::Corrupted("bad log key".into()))?;
            while expected < seq.0 {
                report.push(Problem::MissingEntry { seq: Seq(expected) });
                expected += 1;
            }
            expected = seq.0 + 1;
            report.entries += 1;
            let entry = match UnverifiedEntry::parse(value.into_vec()) {
                Ok(entry) => entry,
                Err(err) => {
                    report.push(Problem::Undecodable {
                        seq,
                        why: err.to_string(),
                    });
                    continue;
                }
            };
            let hash = entry.hash();
            report.last = Some((seq, hash));
            let indexed = self
                .get_raw(CF_BY_HASH, &layout::hash_key(table, &hash))?
                .and_then(|v| layout::decode_seq_value(&v));
            if indexed != Some(seq) {
                report.push(Problem::IndexMismatch { seq, hash });
            }
            let doc_id = entry.header().doc_id().clone();
            let parents = entry.header().parents().to_vec();
            match entry.verify() {
                Ok(_) => report.signatures_ok += 1,
                Err(_) => report.push(Problem::BadSignature { seq, hash }),
            }
            seen.insert(
                hash,
                Seen {
                    seq,
                    doc_id,
                    parents,
                },
            );
        }

        // Index entries whose log entry is gone (a deleted last entry leaves no seq gap).
        for row in self.iter_table(CF_BY_HASH, table) {
            let (key, value) = row?;
            let hash = EntryHash(
                key.get(layout::TABLE_PREFIX_LEN..)
                    .and_then(|h| h.try_into().ok())
                    .ok_or_else(|| Error::Corrupted("bad by_hash key".into()))?,
            );
            if !seen.contains_key(&hash) {
                let seq = layout::decode_seq_value(&value)
                    .ok_or_else(|| Error::Corrupted("bad by_hash value".into()))?;
                if seq.0 >= expected {
                    report.push(Problem::MissingEntry { seq });
                }
            }
        }

        let mut by_seq: Vec<(&EntryHash, &Seen)> = seen.iter().collect();
        by_seq.sort_by_key(|(_, s)| s.seq);
        let mut referenced: HashSet<&EntryHash> = HashSet::new();
        for (hash, entry) in &by_seq {
            for parent in &entry.parents {
                referenced.insert(parent);
                match seen.get(parent) {
                    None => report.push(Problem::MissingParent {
                        seq: entry.seq,
                        hash: **hash,
                        parent: *parent,
                    }),
                    Some(p) if p.doc_id != entry.doc_id => report.push(Problem::ForeignParent {
                        seq: entry.seq,
                        hash: **hash,
                        parent: *parent,
                    }),
                    Some(_) => {}
                }
            }
        }

        let mut heads: BTreeMap<&DocId, Vec<EntryHash>> = BTreeMap::new();
        for (hash, entry) in &by_seq {
            let doc_heads = heads.entry(&entry.doc_id).or_default();
            if !referenced.contains(hash) {
                doc_heads.push(**hash);
            }
        }
        report.documents = heads.len() as u64;
        for row in self.iter_table(CF_DOCS, table) {
            let (key, value) = row?;
            let doc_id = layout::doc_id_from_doc_key(&key)
                .ok_or_else(|| Error::Corrupted("bad docs key".into()))?;
            let stored: Vec<EntryHash> = DocRecord::decode(&value)?
                .heads
                .iter()
                .map(|h| h.hash)
                .collect();
            match heads.remove(&doc_id) {
                Some(mut expected_heads) => {
                    expected_heads.sort();
                    if expected_heads != stored {
                        report.push(Problem::HeadsMismatch { doc_id });
                    }
                }
                None => report.push(Problem::HeadsMismatch { doc_id }),
            }
        }
        for doc_id in heads.into_keys() {
            report.push(Problem::HeadsMismatch {
                doc_id: doc_id.clone(),
            });
        }
        Ok(report)
    }
}
