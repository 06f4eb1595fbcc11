//! Decoded Ed25519 author keys, kept per author so that verifying many entries by few authors
//! (a sync, a restore) decodes each key once: decoding a public key is a field square root,
//! about a fifth of what a verification costs.
//!
//! Invariants:
//! - `AuthorKeys::verify` accepts exactly what `UnverifiedEntry::verify` accepts: decoding is
//!   a pure function of the 32 key bytes, so a kept decoding is the decoding. Keys that do not
//!   decode are never kept and fail every time.
//! - Bounded: at most `MAX_AUTHORS` keys are kept; later authors are decoded per entry.

use std::collections::HashMap;

use ed25519_dalek::VerifyingKey;

use crate::{AuthorKey, UnverifiedEntry, VerifiedEntry, VerifyError};

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
        let author = entry.header().author();
        let key = match self.decoded.get(&author) {
            Some(key) => *key,
            None => {
                let key =
                    VerifyingKey::from_bytes(&author.0).map_err(|_| VerifyError::BadAuthorKey)?;
                if self.decoded.len() < MAX_AUTHORS {
                    self.decoded.insert(author, key);
                }
                key
            }
        };
        entry.verify_by(&key)
    }
}

impl std::fmt::Debug for AuthorKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorKeys")
            .field("decoded", &self.decoded.len())
            .finish()
    }
}
