//! Identities: the Ed25519 keys that sign entries, and their `mdbi1.` tokens.
//!
//! Invariants:
//! - The signing key zeroizes on drop (ed25519-dalek's `zeroize` feature) and `Debug` shows only
//!   the public key.

use std::fmt;

use ed25519_dalek::{Signer, SigningKey};
use zeroize::Zeroizing;

use crate::fields::AuthorKey;
use crate::token::{IDENTITY_PREFIX, decode_secret, encode_secret};
use crate::{Error, Result};

/// A person's, device's or node's signing identity.
pub struct Identity {
    signing: SigningKey,
}

impl Identity {
    /// A new random identity.
    pub fn generate() -> Result<Identity> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).map_err(|_| Error::Rng)?;
        Ok(Identity::from_seed(&seed))
    }

    /// The identity with this 32-byte Ed25519 seed.
    pub fn from_seed(seed: &[u8; 32]) -> Identity {
        Identity {
            signing: SigningKey::from_bytes(seed),
        }
    }

    /// Parses `mdbi1.<base64url seed>`.
    pub fn from_token(token: &str) -> Result<Identity> {
        let secret = token
            .strip_prefix(IDENTITY_PREFIX)
            .ok_or(Error::BadToken("an identity token starts with mdbi1."))?;
        Ok(Identity::from_seed(&*decode_secret(secret)?))
    }

    /// The token that `from_token` reads.
    pub fn token(&self) -> Zeroizing<String> {
        let seed = Zeroizing::new(self.signing.to_bytes());
        let secret = encode_secret(&seed);
        Zeroizing::new(format!("{IDENTITY_PREFIX}{}", secret.as_str()))
    }

    /// The 32-byte seed, for keyring files.
    pub fn seed(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.signing.to_bytes())
    }

    /// The public half, as entries carry it.
    pub fn public(&self) -> AuthorKey {
        AuthorKey(self.signing.verifying_key().to_bytes())
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Identity({}, <redacted>)", self.public())
    }
}
