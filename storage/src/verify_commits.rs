//! Tenant verification: re-checks the commit log (gap-free seqs, each commit's bytes,
//! signature and leaves, the hash index), every author's chain (each previous commit held,
//! the head index), and the receipt log (bytes, signature, covered commits). Needs no keys.
//! Entries are checked against their commits per table (verify.rs).
//!
//! Invariants:
//! - Verification only reads; it reports, it never repairs.
//! - Every problem names the commit or receipt concerned, in log order, so the first problem
//!   is the first bad one.
//! - Memory is bounded: one commit or receipt at a time, the decoded author keys (bounded by
//!   `AuthorKeys`), point reads of the indexes.
//!
//! See: docs/FORMAT.md#commits

use std::fmt;
use std::sync::Arc;

use mindoodb_protocol::{AuthorKey, AuthorKeys, CommitHash, CommitTree};

use crate::layout::{self, CF_COMMIT_INDEX};
use crate::read::Snapshot;
use crate::record;
use crate::verify::MAX_PROBLEMS;
use crate::{CommitSeq, Error, ReceiptSeq, Result, TenantId};

/// One thing tenant verification found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommitProblem {
    /// A seq between 1 and the last commit has no commit.
    MissingCommit {
        /// The absent seq.
        seq: CommitSeq,
    },
    /// The stored record does not decode.
    Undecodable {
        /// Where.
        seq: CommitSeq,
        /// Why.
        why: String,
    },
    /// The commit's signature does not verify.
    BadSignature {
        /// Where.
        seq: CommitSeq,
        /// The commit's hash.
        hash: CommitHash,
    },
    /// The record's leaves do not give the commit's signed root.
    BadLeaves {
        /// Where.
        seq: CommitSeq,
        /// The commit's hash.
        hash: CommitHash,
    },
    /// The hash index does not point at this commit.
    IndexMismatch {
        /// Where.
        seq: CommitSeq,
        /// The commit's hash.
        hash: CommitHash,
    },
    /// The author's previous commit is not held: dropped, or never received here.
    ChainGap {
        /// Where.
        seq: CommitSeq,
        /// The commit's hash.
        hash: CommitHash,
        /// The previous commit it names.
        prev: CommitHash,
    },
    /// The chain head index names a commit that is not held or not the author's.
    BadHead {
        /// The author.
        author: AuthorKey,
    },
    /// A seq between 1 and the last receipt has no receipt.
    MissingReceipt {
        /// The absent seq.
        seq: ReceiptSeq,
    },
    /// A receipt does not decode, verify, or give its root from its commits.
    BadReceipt {
        /// Where.
        seq: ReceiptSeq,
        /// Why.
        why: String,
    },
}

impl fmt::Display for CommitProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommitProblem::MissingCommit { seq } => {
                write!(f, "commit {}: missing from the commit log", seq.0)
            }
            CommitProblem::Undecodable { seq, why } => {
                write!(f, "commit {}: undecodable: {why}", seq.0)
            }
            CommitProblem::BadSignature { seq, hash } => {
                write!(f, "commit {} ({hash}): bad signature", seq.0)
            }
            CommitProblem::BadLeaves { seq, hash } => {
                write!(f, "commit {} ({hash}): leaves differ from its root", seq.0)
            }
            CommitProblem::IndexMismatch { seq, hash } => {
                write!(
                    f,
                    "commit {} ({hash}) is not where the hash index says",
                    seq.0
                )
            }
            CommitProblem::ChainGap { seq, hash, prev } => {
                write!(
                    f,
                    "commit {} ({hash}): its author's previous commit {prev} is not held",
                    seq.0
                )
            }
            CommitProblem::BadHead { author } => {
                write!(
                    f,
                    "author {author}: the chain head names no commit of theirs"
                )
            }
            CommitProblem::MissingReceipt { seq } => {
                write!(f, "receipt {}: missing from the receipt log", seq.0)
            }
            CommitProblem::BadReceipt { seq, why } => write!(f, "receipt {}: {why}", seq.0),
        }
    }
}

/// The outcome of verifying one tenant's commits and receipts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitReport {
    /// Commits read.
    pub commits: u64,
    /// Commits whose signature verified.
    pub signatures_ok: u64,
    /// Receipts read.
    pub receipts: u64,
    /// Authors with a chain head.
    pub authors: u64,
    /// Problems, commits first, then heads, then receipts; capped at 1000.
    pub problems: Vec<CommitProblem>,
    /// All problems, including those past the cap.
    pub n_problems: u64,
}

impl CommitReport {
    /// True when nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.n_problems == 0
    }
    /// The first problem, if any.
    pub fn first_problem(&self) -> Option<&CommitProblem> {
        self.problems.first()
    }
    fn push(&mut self, problem: CommitProblem) {
        self.n_problems += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem);
        }
    }
}

impl Snapshot<'_> {
    /// Verifies `tenant`'s commit log, chains and receipts; see the module doc.
    pub fn verify_commits(&self, tenant: TenantId) -> Result<CommitReport> {
        let mut report = CommitReport {
            commits: 0,
            signatures_ok: 0,
            receipts: 0,
            authors: 0,
            problems: Vec::new(),
            n_problems: 0,
        };
        self.verify_commit_log(tenant, &mut report)?;
        self.verify_heads(tenant, &mut report)?;
        self.verify_receipt_log(tenant, &mut report)?;
        Ok(report)
    }

    fn verify_commit_log(&self, tenant: TenantId, report: &mut CommitReport) -> Result<()> {
        let mut keys = AuthorKeys::new();
        let missing = |seq| CommitProblem::MissingCommit {
            seq: CommitSeq(seq),
        };
        self.walk_log(
            &layout::commits_prefix(tenant),
            report,
            missing,
            |report, seq, value| {
                let seq = CommitSeq(seq);
                report.commits += 1;
                let stored = match record::decode_commit(seq, value) {
                    Ok(stored) => stored,
                    Err(why) => {
                        report.push(CommitProblem::Undecodable { seq, why });
                        return Ok(());
                    }
                };
                let hash = stored.commit.hash();
                if self.indexed_commit(tenant, &hash)? != Some(seq) {
                    report.push(CommitProblem::IndexMismatch { seq, hash });
                }
                if let Some(prev) = stored.commit.prev()
                    && !self.holds_commit(tenant, &prev)?
                {
                    report.push(CommitProblem::ChainGap { seq, hash, prev });
                }
                match keys.verify_commit(stored.commit) {
                    Err(_) => report.push(CommitProblem::BadSignature { seq, hash }),
                    Ok(commit) => {
                        report.signatures_ok += 1;
                        if let Some(leaves) = stored.leaves
                            && CommitTree::new(Arc::new(commit), leaves).is_err()
                        {
                            report.push(CommitProblem::BadLeaves { seq, hash });
                        }
                    }
                }
                Ok(())
            },
        )
    }

    fn verify_heads(&self, tenant: TenantId, report: &mut CommitReport) -> Result<()> {
        let prefix = layout::heads_prefix(tenant);
        let mut opts = self.read_options();
        opts.set_iterate_upper_bound(layout::prefix_end(&prefix));
        let mut iter = self
            .shared
            .db
            .raw_iterator_cf_opt(&self.shared.cf(CF_COMMIT_INDEX), opts);
        iter.seek(&prefix);
        while let Some((key, value)) = iter.item() {
            report.authors += 1;
            let author = AuthorKey(
                key.get(prefix.len()..)
                    .and_then(|a| a.try_into().ok())
                    .ok_or_else(|| Error::Corrupted("bad chain head key".into()))?,
            );
            let holds = match record::decode_head(value) {
                Some((seq, hash)) => self
                    .commit(tenant, seq)
                    .ok()
                    .flatten()
                    .is_some_and(|c| c.commit.hash() == hash && c.commit.author() == author),
                None => false,
            };
            if !holds {
                report.push(CommitProblem::BadHead { author });
            }
            iter.next();
        }
        iter.status()?;
        Ok(())
    }

    fn verify_receipt_log(&self, tenant: TenantId, report: &mut CommitReport) -> Result<()> {
        let missing = |seq| CommitProblem::MissingReceipt {
            seq: ReceiptSeq(seq),
        };
        self.walk_log(
            &layout::receipts_prefix(tenant),
            report,
            missing,
            |report, seq, value| {
                let seq = ReceiptSeq(seq);
                report.receipts += 1;
                let checked = record::decode_receipt(seq, value).and_then(|stored| {
                    let receipt = stored.receipt.verify().map_err(|e| e.to_string())?;
                    receipt
                        .check_commits(&stored.commits)
                        .map_err(|e| e.to_string())
                });
                if let Err(why) = checked {
                    report.push(CommitProblem::BadReceipt { seq, why });
                }
                Ok(())
            },
        )
    }

    /// Hands each record of the tagged log under `prefix` to `row` in seq order, and reports
    /// each seq missing before the last with `missing`.
    fn walk_log(
        &self,
        prefix: &[u8],
        report: &mut CommitReport,
        missing: fn(u64) -> CommitProblem,
        mut row: impl FnMut(&mut CommitReport, u64, &[u8]) -> Result<()>,
    ) -> Result<()> {
        let mut iter = self.tagged_iter(prefix);
        iter.seek_to_first();
        let mut expected = 1u64;
        while let Some((key, value)) = iter.item() {
            let seq = layout::seq_of_tagged_key(key)
                .ok_or_else(|| Error::Corrupted("bad commits key".into()))?;
            while expected < seq {
                report.push(missing(expected));
                expected += 1;
            }
            expected = seq + 1;
            row(report, seq, value)?;
            iter.next();
        }
        iter.status()?;
        Ok(())
    }

    /// Whether `tenant` holds the record of commit `hash` (indexed, and at the indexed seq).
    fn holds_commit(&self, tenant: TenantId, hash: &CommitHash) -> Result<bool> {
        Ok(match self.indexed_commit(tenant, hash)? {
            Some(seq) => self
                .get_raw(crate::layout::CF_COMMITS, &layout::commit_key(tenant, seq))?
                .is_some(),
            None => false,
        })
    }

    /// Where the hash index files commit `hash` of `tenant`.
    fn indexed_commit(&self, tenant: TenantId, hash: &CommitHash) -> Result<Option<CommitSeq>> {
        Ok(self
            .get_raw(CF_COMMIT_INDEX, &layout::commit_hash_key(tenant, hash))?
            .and_then(|value| record::decode_known(&value))
            .map(|known| known.seq))
    }
}
