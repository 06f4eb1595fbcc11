//! How an entry travels alone between stores (`mindoo.entries`, `mindoo.apply`, COPY of
//! sealed entries, sync, `mindoo.proof`): a format-1 entry by itself, a format-2 entry with a
//! carried proof, `signed commit record ‖ inclusion path`, and how a receiver verifies what
//! arrives; likewise a receipt for a commit, `receipt ‖ the commit's path in it`.
//!
//! Invariants:
//! - A format-2 entry is accepted only with a proof whose commit's signature verifies and
//!   whose path leads from the entry's hash to the commit's root; a format-1 entry only by its
//!   own signature, and never with a proof (one way to read each format).
//! - A `Receiver` checks each distinct commit's signature once (a bounded cache of verified
//!   commits by hash), then one path per entry: the cache never holds unverified commits.
//!   Author keys are decoded once per author (`AuthorKeys`), for entries and commits.
//!
//! See: docs/FORMAT.md#carried-proofs

use std::collections::HashMap;
use std::sync::Arc;

use crate::commit::commit_len;
use crate::receipt::{RECEIPT_LEN, UnverifiedReceipt, VerifiedReceipt};
use crate::{
    AuthorKeys, CommitHash, EntryFormat, Error, InclusionPath, Result, UnverifiedCommit,
    UnverifiedEntry, VerifiedCommit, VerifiedEntry, VerifyError,
};

/// Verified commits a receiver keeps; past this it starts again (a batch names few commits).
const MAX_CACHED_COMMITS: usize = 4096;

/// `commit ‖ path`: what proves a format-2 entry on its own.
pub fn carry_proof(commit: &[u8], path: &InclusionPath) -> Vec<u8> {
    let mut out = Vec::with_capacity(commit.len() + path.encoded_len());
    out.extend_from_slice(commit);
    path.encode_into(&mut out);
    out
}

/// Splits a carried proof into its commit (not yet verified) and path.
pub fn parse_proof(bytes: &[u8]) -> Result<(UnverifiedCommit, InclusionPath)> {
    let len = commit_len(bytes)?;
    let commit = UnverifiedCommit::parse(&bytes[..len])?;
    let path = InclusionPath::decode(&bytes[len..])?;
    Ok((commit, path))
}

/// `receipt ‖ path`: what shows that a server had stored a commit by the receipt's time.
pub fn carry_receipt(receipt: &[u8], path: &InclusionPath) -> Vec<u8> {
    carry_proof(receipt, path)
}

/// Checks a carried receipt for `commit`: its signature, and the commit's path to its root.
pub fn verify_carried_receipt(commit: &CommitHash, bytes: &[u8]) -> Result<VerifiedReceipt> {
    let receipt = bytes
        .get(..RECEIPT_LEN)
        .ok_or(Error::Malformed("truncated receipt"))?;
    let receipt = UnverifiedReceipt::parse(receipt)?.verify()?;
    let path = InclusionPath::decode(&bytes[RECEIPT_LEN..])?;
    receipt.covers(commit, &path)?;
    Ok(receipt)
}

/// Verifies entries as they arrive from elsewhere, one signature per distinct commit.
#[derive(Debug, Default)]
pub struct Receiver {
    authors: AuthorKeys,
    commits: HashMap<CommitHash, Arc<VerifiedCommit>>,
}

impl Receiver {
    /// A receiver with nothing cached.
    pub fn new() -> Receiver {
        Receiver::default()
    }

    /// Verifies `entry` by its own signature (format 1) or by `proof` (format 2).
    pub fn verify(
        &mut self,
        entry: UnverifiedEntry,
        proof: Option<&[u8]>,
    ) -> Result<VerifiedEntry> {
        match (entry.header().format(), proof) {
            (EntryFormat::V1, None) => Ok(self.authors.verify(entry)?),
            (EntryFormat::V1, Some(_)) => Err(VerifyError::SignedAlone.into()),
            (_, None) => Err(VerifyError::NoCommit.into()),
            (_, Some(proof)) => {
                let (commit, path) = parse_proof(proof)?;
                let commit = self.commit(commit)?;
                Ok(entry.verify_in(&commit, path)?)
            }
        }
    }

    /// The verified commit, checking its signature unless it was checked before.
    pub fn commit(&mut self, commit: UnverifiedCommit) -> Result<Arc<VerifiedCommit>, Error> {
        let hash = commit.hash();
        if let Some(known) = self.commits.get(&hash) {
            // Same hash, same body; the signature is the rest of the record.
            if known.bytes() == commit.bytes() {
                return Ok(known.clone());
            }
        }
        let verified = Arc::new(self.authors.verify_commit(commit)?);
        if self.commits.len() >= MAX_CACHED_COMMITS {
            self.commits.clear();
        }
        self.commits.insert(hash, verified.clone());
        Ok(verified)
    }
}
