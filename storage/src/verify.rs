//! Table verification: re-checks every entry's bytes, hash, signature (format 1) or place in
//! its signed commit (format 2), parent links, the seq sequence, and that the derived indexes
//! agree with the log. Needs no keys. Commits themselves, chains and receipts are checked per
//! tenant (verify_commits.rs).
//!
//! Invariants:
//! - Verification only reads; it reports, it never repairs.
//! - Every problem names the seq (and hash, where one is known) of the entry concerned.
//! - One signature check per commit however many of its entries the table holds (a small
//!   cache of checked commits), plus one comparison or path per entry.
//! - An entry whose body is absent but whose hash its commit proves is reported as absent,
//!   not as a problem; one whose hash its commit does not prove is a problem.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use mindoodb_protocol::{
    AuthorKeys, CommitTree, DocId, EntryHash, UnverifiedEntry, VerifiedCommit, VerifyError,
};

use crate::doc::{DocRecord, HistoryRecord};
use crate::layout::{self, CF_BY_HASH, CF_DOCS, CF_HISTORY, CF_LOG};
use crate::read::Snapshot;
use crate::record::{self, Leaf, LogValue};
use crate::{CommitSeq, Error, Result, Seq, Table};

/// Problems kept in a report; counts go on past it.
pub(crate) const MAX_PROBLEMS: usize = 1000;
/// Checked commits kept while walking a table (its entries come in commit order, mostly).
const COMMIT_CACHE: usize = 64;

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
    /// A format-2 entry's hash (or an absent entry's kept hash) is not the leaf its commit
    /// signed at its index: the entry or where it says it sits was altered.
    NotInCommit {
        /// Where.
        seq: Seq,
        /// The entry's hash.
        hash: EntryHash,
    },
    /// A format-2 entry names another author or signer role than its commit.
    OtherAuthor {
        /// Where.
        seq: Seq,
        /// The entry's hash.
        hash: EntryHash,
    },
    /// A format-2 entry names a commit its tenant does not hold.
    MissingCommit {
        /// Where.
        seq: Seq,
        /// The entry's hash.
        hash: EntryHash,
        /// The commit it names.
        commit: CommitSeq,
    },
    /// A format-2 entry's commit does not decode or verify (`verify_commits` says why).
    BadCommit {
        /// Where.
        seq: Seq,
        /// The entry's hash.
        hash: EntryHash,
        /// The commit it names.
        commit: CommitSeq,
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
            | Problem::ForeignParent { seq, .. }
            | Problem::NotInCommit { seq, .. }
            | Problem::OtherAuthor { seq, .. }
            | Problem::MissingCommit { seq, .. }
            | Problem::BadCommit { seq, .. } => Some(*seq),
            Problem::HeadsMismatch { .. } => None,
        }
    }

    /// The hash of the entry concerned, when its bytes gave one.
    pub fn hash(&self) -> Option<EntryHash> {
        match self {
            Problem::BadSignature { hash, .. }
            | Problem::IndexMismatch { hash, .. }
            | Problem::MissingParent { hash, .. }
            | Problem::ForeignParent { hash, .. }
            | Problem::NotInCommit { hash, .. }
            | Problem::OtherAuthor { hash, .. }
            | Problem::MissingCommit { hash, .. }
            | Problem::BadCommit { hash, .. } => Some(*hash),
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
            Problem::NotInCommit { seq, hash } => {
                write!(f, "seq {}: entry {hash} is not in its signed commit", seq.0)
            }
            Problem::OtherAuthor { seq, hash } => {
                write!(
                    f,
                    "seq {}: entry {hash} names another author than its commit",
                    seq.0
                )
            }
            Problem::MissingCommit { seq, hash, commit } => {
                write!(
                    f,
                    "seq {}: entry {hash}: its commit {} is not stored",
                    seq.0, commit.0
                )
            }
            Problem::BadCommit { seq, hash, commit } => {
                write!(
                    f,
                    "seq {}: entry {hash}: its commit {} does not verify",
                    seq.0, commit.0
                )
            }
        }
    }
}

/// The outcome of verifying one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Entries read from the log (absent ones included).
    pub entries: u64,
    /// Entries whose authorship verified: a format-1 signature, or a format-2 entry's place in
    /// a commit whose signature verified.
    pub signatures_ok: u64,
    /// Commit signatures checked for the table's format-2 entries.
    pub commits: u64,
    /// Entries whose body this store lacks while their commit proves their hash, by seq;
    /// capped at 1000. Not a problem.
    pub absent: Vec<(Seq, EntryHash)>,
    /// All absent entries, including those past the cap.
    pub n_absent: u64,
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
    fn push_absent(&mut self, seq: Seq, hash: EntryHash) {
        self.n_absent += 1;
        if self.absent.len() < MAX_PROBLEMS {
            self.absent.push((seq, hash));
        }
    }
}

/// A commit as verification found it.
#[derive(Clone)]
enum Checked {
    Missing,
    Bad,
    Leaves(Arc<CommitTree>),
    Bare(Arc<VerifiedCommit>),
}

/// The last few commits verification checked, so each signature is checked once per run of
/// entries that share it.
struct CommitCache {
    checked: HashMap<CommitSeq, Checked>,
    keys: AuthorKeys,
    n_checked: u64,
}

impl CommitCache {
    fn get(&mut self, snapshot: &Snapshot<'_>, table: Table, seq: CommitSeq) -> Result<Checked> {
        if let Some(checked) = self.checked.get(&seq) {
            return Ok(checked.clone());
        }
        let checked = match snapshot.commit(table.tenant, seq) {
            Ok(None) => Checked::Missing,
            Err(Error::Corrupted(_)) => Checked::Bad,
            Err(err) => return Err(err),
            Ok(Some(stored)) => {
                self.n_checked += 1;
                match self.keys.verify_commit(stored.commit) {
                    Err(_) => Checked::Bad,
                    Ok(commit) => {
                        let commit = Arc::new(commit);
                        match stored.leaves {
                            None => Checked::Bare(commit),
                            Some(leaves) => match CommitTree::new(commit, leaves) {
                                Ok(tree) => Checked::Leaves(Arc::new(tree)),
                                Err(_) => Checked::Bad,
                            },
                        }
                    }
                }
            }
        };
        if self.checked.len() >= COMMIT_CACHE {
            self.checked.clear();
        }
        self.checked.insert(seq, checked.clone());
        Ok(checked)
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
            commits: 0,
            absent: Vec::new(),
            n_absent: 0,
            documents: 0,
            last: None,
            problems: Vec::new(),
            n_problems: 0,
        };
        let mut seen: HashMap<EntryHash, Seen> = HashMap::new();
        let mut commits = CommitCache {
            checked: HashMap::new(),
            keys: AuthorKeys::new(),
            n_checked: 0,
        };
        // Absent entries by seq: their document and parents come from the history index.
        let mut absent: HashMap<Seq, EntryHash> = HashMap::new();
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
            let split = record::split_log_value(&value);
            let (bytes, leaf) = match split {
                Ok(LogValue::Signed(bytes)) => (bytes, None),
                Ok(LogValue::InCommit(bytes, leaf)) => (bytes, Some(leaf)),
                Ok(LogValue::Absent(hash, leaf)) => {
                    report.last = Some((seq, hash));
                    self.check_indexed(table, seq, hash, &mut report)?;
                    let checked = commits.get(self, table, leaf.commit)?;
                    match prove_absent(&checked, &hash, &leaf) {
                        Ok(()) => {
                            report.signatures_ok += 1;
                            report.push_absent(seq, hash);
                        }
                        Err(problem) => report.push(problem(seq, hash, leaf.commit)),
                    }
                    absent.insert(seq, hash);
                    continue;
                }
                Err(why) => {
                    report.push(Problem::Undecodable { seq, why });
                    continue;
                }
            };
            let entry = match UnverifiedEntry::parse(bytes) {
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
            self.check_indexed(table, seq, hash, &mut report)?;
            let doc_id = entry.header().doc_id().clone();
            let parents = entry.header().parents().to_vec();
            let verified = match &leaf {
                None => entry
                    .verify()
                    .map(|_| ())
                    .map_err(|_| Problem::BadSignature { seq, hash }),
                Some(leaf) => {
                    let checked = commits.get(self, table, leaf.commit)?;
                    prove_entry(&checked, entry, leaf)
                        .map_err(|problem| problem(seq, hash, leaf.commit))
                }
            };
            match verified {
                Ok(()) => report.signatures_ok += 1,
                Err(problem) => report.push(problem),
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
        report.commits = commits.n_checked;
        if !absent.is_empty() {
            self.attribute_absent(table, &absent, &mut seen)?;
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

    /// Reports `hash` at `seq` when the hash index does not point at it.
    fn check_indexed(
        &self,
        table: Table,
        seq: Seq,
        hash: EntryHash,
        report: &mut VerifyReport,
    ) -> Result<()> {
        let indexed = self
            .get_raw(CF_BY_HASH, &layout::hash_key(table, &hash))?
            .and_then(|v| layout::decode_seq_value(&v));
        if indexed != Some(seq) {
            report.push(Problem::IndexMismatch { seq, hash });
        }
        Ok(())
    }

    /// Files absent entries under their documents, from the history index (their logs keep
    /// only the hash).
    fn attribute_absent(
        &self,
        table: Table,
        absent: &HashMap<Seq, EntryHash>,
        seen: &mut HashMap<EntryHash, Seen>,
    ) -> Result<()> {
        for row in self.iter_table(CF_HISTORY, table) {
            let (key, value) = row?;
            let seq = layout::seq_from_history_key(&key)
                .ok_or_else(|| Error::Corrupted("bad history key".into()))?;
            let Some(hash) = absent.get(&seq) else {
                continue;
            };
            let doc_id = layout::doc_id_from_doc_key(&key[..key.len() - 8])
                .ok_or_else(|| Error::Corrupted("bad history key".into()))?;
            let record = HistoryRecord::decode(&value)?;
            if record.hash == *hash {
                seen.insert(
                    *hash,
                    Seen {
                        seq,
                        doc_id,
                        parents: record.parents,
                    },
                );
            }
        }
        Ok(())
    }
}

/// Builds the problem for an entry at a seq, given its hash and commit.
type ProblemAt = fn(Seq, EntryHash, CommitSeq) -> Problem;

/// Checks a format-2 entry against its commit.
fn prove_entry(checked: &Checked, entry: UnverifiedEntry, leaf: &Leaf) -> Result<(), ProblemAt> {
    let res = match checked {
        Checked::Missing => return Err(missing_commit),
        Checked::Bad => return Err(bad_commit),
        Checked::Leaves(tree) => entry.verify_leaf(tree, leaf.path.index()),
        Checked::Bare(commit) => entry.verify_in(commit, leaf.path.clone()),
    };
    res.map(|_| ()).map_err(problem_of)
}

/// Checks an absent entry's kept hash against its commit.
fn prove_absent(checked: &Checked, hash: &EntryHash, leaf: &Leaf) -> Result<(), ProblemAt> {
    match checked {
        Checked::Missing => Err(missing_commit),
        Checked::Bad => Err(bad_commit),
        Checked::Leaves(tree) => {
            if tree.leaves().get(leaf.path.index() as usize) == Some(hash) {
                Ok(())
            } else {
                Err(not_in_commit)
            }
        }
        Checked::Bare(commit) => commit.proves(hash, &leaf.path).map_err(problem_of),
    }
}

fn problem_of(err: VerifyError) -> ProblemAt {
    match err {
        VerifyError::OtherAuthor => |seq, hash, _| Problem::OtherAuthor { seq, hash },
        _ => not_in_commit,
    }
}

fn not_in_commit(seq: Seq, hash: EntryHash, _: CommitSeq) -> Problem {
    Problem::NotInCommit { seq, hash }
}

fn missing_commit(seq: Seq, hash: EntryHash, commit: CommitSeq) -> Problem {
    Problem::MissingCommit { seq, hash, commit }
}

fn bad_commit(seq: Seq, hash: EntryHash, commit: CommitSeq) -> Problem {
    Problem::BadCommit { seq, hash, commit }
}
