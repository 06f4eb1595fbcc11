//! Carried proofs of stored format-2 entries (docs/FORMAT.md#carried-proofs): what a store
//! sends with each entry it ships alone (a sync page, `mindoo.entries`, a graft between
//! tables), so that the receiver verifies it by one commit signature and one path.
//!
//! Invariants:
//! - A path comes from the commit's leaves when the store has them (one tree per commit per
//!   call, however many of its entries are asked for), else from the path stored with the
//!   entry: either way it proves the entry under the commit named by its `Leaf`.
//! - Reads come from the snapshot given, the same one the entries were read from.
//! - A commit named by a leaf but absent is corruption (a commit is stored with or before
//!   its entries), reported as such, never skipped.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use mindoodb_protocol::{CommitHash, InclusionPath, carry_proof, merkle_paths};

use crate::read::{LogRecord, Snapshot};
use crate::record::{Leaf, StoredCommit};
use crate::{CommitSeq, Error, Result, Seq, Table, TenantId};

/// A log record as it is shipped alone.
#[derive(Debug, Clone)]
pub struct CarriedRecord {
    /// The record.
    pub record: LogRecord,
    /// What proves a format-2 entry; `None` for format 1.
    pub proof: Option<CarriedProof>,
}

/// A format-2 entry's carried proof.
#[derive(Debug, Clone)]
pub struct CarriedProof {
    /// The commit's hash.
    pub commit: CommitHash,
    /// `commit ‖ path` (docs/FORMAT.md#carried-proofs).
    pub bytes: Vec<u8>,
}

impl Snapshot<'_> {
    /// Up to `limit` log records of `table` after `since`, each with its carried proof.
    pub fn carried_log(
        &self,
        table: Table,
        since: Seq,
        limit: usize,
    ) -> Result<Vec<CarriedRecord>> {
        let page = self.log_page(table, since, limit)?;
        let leaves: Vec<_> = page.records.iter().map(|r| r.leaf.as_ref()).collect();
        let proofs = self.carried_proofs(table.tenant, &leaves, &page.commits)?;
        Ok(page
            .records
            .into_iter()
            .zip(proofs)
            .map(|(record, proof)| CarriedRecord { record, proof })
            .collect())
    }

    /// The carried proof of each entry whose `Leaf` is given (`None` for format 1), in
    /// order. Commits are looked up in `known` first (a `LogPage`'s), then in the snapshot.
    pub fn carried_proofs(
        &self,
        tenant: TenantId,
        leaves: &[Option<&Leaf>],
        known: &[StoredCommit],
    ) -> Result<Vec<Option<CarriedProof>>> {
        let mut commits: HashMap<CommitSeq, Cow<'_, StoredCommit>> = HashMap::new();
        let mut wanted: HashMap<CommitSeq, Vec<u32>> = HashMap::new();
        for leaf in leaves.iter().flatten() {
            let commit = match commits.entry(leaf.commit) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(slot) => {
                    let commit = match known.iter().find(|c| c.seq == leaf.commit) {
                        Some(commit) => Cow::Borrowed(commit),
                        None => Cow::Owned(self.commit(tenant, leaf.commit)?.ok_or_else(|| {
                            Error::Corrupted(format!(
                                "commit {} named by the log is missing",
                                leaf.commit.0
                            ))
                        })?),
                    };
                    slot.insert(commit)
                }
            };
            if commit.leaves.is_some() {
                wanted
                    .entry(leaf.commit)
                    .or_default()
                    .push(leaf.path.index());
            }
        }
        let mut built: HashMap<(CommitSeq, u32), InclusionPath> = HashMap::new();
        for (seq, indexes) in wanted {
            let leaves = commits[&seq].leaves.as_deref().unwrap_or_default();
            let paths = merkle_paths(leaves.iter().map(|l| &l.0), &indexes).ok_or_else(|| {
                Error::Corrupted(format!(
                    "a leaf index is past the count of commit {}",
                    seq.0
                ))
            })?;
            built.extend(paths.into_iter().map(|path| ((seq, path.index()), path)));
        }
        Ok(leaves
            .iter()
            .map(|leaf| {
                leaf.map(|leaf| {
                    let commit = &commits[&leaf.commit];
                    let path = built
                        .get(&(leaf.commit, leaf.path.index()))
                        .unwrap_or(&leaf.path);
                    CarriedProof {
                        commit: commit.commit.hash(),
                        bytes: carry_proof(commit.commit.bytes(), path),
                    }
                })
            })
            .collect())
    }
}
