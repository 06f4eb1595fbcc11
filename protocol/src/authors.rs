//! Decoded Ed25519 author keys, kept per author so that verifying many entries or commits by
//! few authors (a sync, a restore) decodes each key once: decoding a public key is a field
//! square root, about a fifth of what a verification costs.
//!
//! Invariants:
//! - `AuthorKeys::verify` and `verify_commit` accept exactly what `UnverifiedEntry::verify` and
//!   `UnverifiedCommit::verify` accept: decoding is a pure function of the 32 key bytes, so a
//!   kept decoding is the decoding. Keys that do not decode are never kept and fail every time.
//! - Bounded: at most `MAX_AUTHORS` keys are kept; later authors are decoded per entry.

use std::collections::HashMap;

use ed25519_dalek::VerifyingKey;

use crate::{
    AuthorKey, UnverifiedCommit, UnverifiedEntry, VerifiedCommit, VerifiedEntry, VerifyError,
};

/// Authors kept at most (32 + ~160 bytes each).
const MAX_AUTHORS: usize = 4096;

/// A verifier that remembers the author keys it decoded.
#[derive(Default)]
pub struct AuthorKeys {
    decoded: HashMap<AuthorKey, VerifyingKey>,
}

impl AuthorKeys {
    /// An empty set.
    pub fn new() -> AuthorKeys {
        AuthorKeys::default()
    }

    /// `entry.verify()`, decoding its author key only the first time it is seen.
    pub fn verify(&mut self, entry: UnverifiedEntry) -> Result<VerifiedEntry, VerifyError> {
        let key = self.decoded(entry.header().author())?;
        entry.verify_by(&key)
    }

    /// `commit.verify()`, decoding its author key only the first time it is seen.
    pub fn verify_commit(
        &mut self,
        commit: UnverifiedCommit,
    ) -> Result<VerifiedCommit, VerifyError> {
        let key = self.decoded(commit.author())?;
        commit.verify_by(&key)
    }

    fn decoded(&mut self, author: AuthorKey) -> Result<VerifyingKey, VerifyError> {
        if let Some(key) = self.decoded.get(&author) {
            return Ok(*key);
        }
        let key = VerifyingKey::from_bytes(&author.0).map_err(|_| VerifyError::BadAuthorKey)?;
        if self.decoded.len() < MAX_AUTHORS {
            self.decoded.insert(author, key);
        }
        Ok(key)
    }
}

impl std::fmt::Debug for AuthorKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorKeys")
            .field("decoded", &self.decoded.len())
            .finish()
    }
}
