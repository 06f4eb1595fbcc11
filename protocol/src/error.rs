//! Errors of the data protocol: malformed bytes, failed checks, unusable keys.
//!
//! Invariants:
//! - No message ever contains key material, a token or plaintext; token errors say only which
//!   part of the token is wrong.

/// Everything that can go wrong while encoding, decoding, sealing or opening entries.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The bytes are not a well-formed entry.
    #[error("malformed entry: {0}")]
    Malformed(&'static str),
    /// The entry uses a format version this build does not know.
    #[error("unsupported entry format version {0}")]
    UnsupportedVersion(u8),
    /// A field is longer than the format allows.
    #[error("{field} is {len} bytes, the limit is {max}")]
    Oversize {
        /// Which field.
        field: &'static str,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Bytes follow the signature.
    #[error("trailing bytes after the entry signature")]
    TrailingBytes,
    /// A document id is empty, too long or contains control characters.
    #[error("invalid document id: {0}")]
    InvalidDocId(&'static str),
    /// A key name is empty, too long or uses characters outside `[a-z0-9_-]`.
    #[error("invalid key name: {0}")]
    InvalidKeyName(&'static str),
    /// A signer role name is too long or contains control characters.
    #[error("invalid signer role: {0}")]
    InvalidRole(&'static str),
    /// The draft breaks a structural rule (for example a create with parents).
    #[error("invalid entry: {0}")]
    InvalidDraft(&'static str),
    /// The entries given to `sign_commit` cannot form one commit.
    #[error("invalid commit: {0}")]
    InvalidCommit(&'static str),
    /// The key offered is not the one the entry names.
    #[error("entry is sealed with key {expected}, not {offered}")]
    WrongKey {
        /// `name.version` the entry names.
        expected: String,
        /// `name.version` that was offered.
        offered: String,
    },
    /// Decryption failed: the key's bytes are wrong or the entry was altered.
    #[error("decryption failed: wrong key or altered entry")]
    Decrypt,
    /// A key or identity token could not be read; the token itself is never repeated.
    #[error("invalid token: {0}")]
    BadToken(&'static str),
    /// The passphrase key derivation failed (bad parameters).
    #[error("key derivation failed: {0}")]
    Kdf(&'static str),
    /// A keyring file or key export could not be opened or is malformed.
    #[error("key box: {0}")]
    Keybox(&'static str),
    /// The operating system's random source failed.
    #[error("random source unavailable")]
    Rng,
    /// A signature or author key check failed.
    #[error(transparent)]
    Verify(#[from] VerifyError),
}

/// Why an entry, a commit or a receipt failed verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The author public key is not a valid Ed25519 point.
    #[error("author key is not a valid ed25519 public key")]
    BadAuthorKey,
    /// The signature does not verify against the hash and the author key.
    #[error("signature does not match the hash")]
    BadSignature,
    /// A format-2 entry was verified alone: it has no signature, its commit signs it.
    #[error("a format 2 entry is verified with its commit")]
    NoCommit,
    /// A format-1 entry was offered as a leaf of a commit.
    #[error("a format 1 entry is signed alone, not by a commit")]
    SignedAlone,
    /// The entry names another author or signer role than its commit.
    #[error("entry and commit name different authors or signer roles")]
    OtherAuthor,
    /// The entry's hash is not the leaf its path or index claims in the signed commit.
    #[error("entry is not in the commit's signed tree")]
    NotInCommit,
    /// The hash is not the leaf its path claims in the signed tree.
    #[error("hash is not in the signed tree")]
    NotInTree,
    /// An inclusion path's index or length does not fit the tree's size.
    #[error("inclusion path does not fit the tree")]
    BadPath,
    /// A list of leaves is not the signed tree's: wrong count or another root.
    #[error("leaves do not give the signed root")]
    BadLeaves,
}
