//! How a format-2 entry proves its author: its hash is a leaf of a signed commit, shown by an
//! inclusion path (log2 n hashes) or by the commit's whole list of leaves.
//!
//! Invariants:
//! - An entry is accepted under a commit only when it is format 2, names the commit's author
//!   and signer role, and its hash is the leaf at its index (by the path up to the root, or by
//!   comparison with a `CommitTree`'s checked leaves).
//! - An `Inclusion` is only built for an entry it was checked to prove.
//!
//! See: docs/FORMAT.md#commits

use std::sync::Arc;

use crate::VerifyError;
use crate::commit::{CommitTree, VerifiedCommit};
use crate::entry::{Entry, EntryFormat, UnverifiedEntry, VerifiedEntry};
use crate::merkle::InclusionPath;

/// Where a format-2 entry sits in its signed commit, with what proves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inclusion {
    index: u32, // Invariant: below the commit's count.
    witness: Witness,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Witness {
    /// The commit and the leaf's path to its root.
    Path {
        commit: Arc<VerifiedCommit>,
        path: InclusionPath,
    },
    /// The commit with every leaf.
    Tree(Arc<CommitTree>),
}

impl Inclusion {
    pub(crate) fn in_tree(tree: Arc<CommitTree>, index: u32) -> Inclusion {
        Inclusion {
            index,
            witness: Witness::Tree(tree),
        }
    }

    /// The signed commit.
    pub fn commit(&self) -> &Arc<VerifiedCommit> {
        match &self.witness {
            Witness::Path { commit, .. } => commit,
            Witness::Tree(tree) => tree.commit(),
        }
    }

    /// The leaf's position in the commit, from 0.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The commit with all its leaves, when they were given.
    pub fn tree(&self) -> Option<&Arc<CommitTree>> {
        match &self.witness {
            Witness::Path { .. } => None,
            Witness::Tree(tree) => Some(tree),
        }
    }

    /// The inclusion path (built from the leaves when they were given: O(n)).
    pub fn path(&self) -> InclusionPath {
        match &self.witness {
            Witness::Path { path, .. } => path.clone(),
            Witness::Tree(tree) => tree
                .path(self.index)
                .unwrap_or_else(|| unreachable!("the index is below the count")),
        }
    }
}

impl UnverifiedEntry {
    /// Verifies a format-2 entry by its commit and inclusion path: the path must lead from the
    /// entry's hash to the commit's signed root. One hash per tree level, no signature.
    pub fn verify_in(
        self,
        commit: &Arc<VerifiedCommit>,
        path: InclusionPath,
    ) -> Result<VerifiedEntry, VerifyError> {
        check_author(&self, commit)?;
        commit.proves(&self.hash(), &path)?;
        let index = path.index();
        let inclusion = Inclusion {
            index,
            witness: Witness::Path {
                commit: commit.clone(),
                path,
            },
        };
        Ok(VerifiedEntry::included(self.into_entry(), inclusion))
    }

    /// Verifies a format-2 entry as leaf `index` of a commit whose leaves are known: one
    /// comparison.
    pub fn verify_leaf(
        self,
        tree: &Arc<CommitTree>,
        index: u32,
    ) -> Result<VerifiedEntry, VerifyError> {
        check_author(&self, tree.commit())?;
        if tree.leaves().get(index as usize) != Some(&self.hash()) {
            return Err(VerifyError::NotInCommit);
        }
        Ok(VerifiedEntry::included(
            self.into_entry(),
            Inclusion::in_tree(tree.clone(), index),
        ))
    }
}

fn check_author(entry: &Entry, commit: &VerifiedCommit) -> Result<(), VerifyError> {
    let header = entry.header();
    if header.format() != EntryFormat::V2 {
        return Err(VerifyError::SignedAlone);
    }
    if header.author() != commit.author() || header.signer_role() != commit.signer_role() {
        return Err(VerifyError::OtherAuthor);
    }
    Ok(())
}
