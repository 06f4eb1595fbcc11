//! MindooDB's data protocol: what every node and client must agree on, byte for byte.
//!
//! This crate owns the sealed entry (format version 1, see docs/FORMAT.md), its canonical
//! encoding, the cryptography around it (AES-256-GCM-SIV, BLAKE3, Ed25519, argon2id) and the
//! textual key tokens people paste into `SET mindoo.keys`, and the passphrase-sealed key boxes
//! that keyring files and key exports are made of.
//!
//! Architecture invariant: no I/O. This crate knows no files, sockets, clocks, SQL or RocksDB;
//! randomness comes only from the operating system (`getrandom`), and every function that needs
//! time takes it as an argument.
//!
//! Invariants:
//! - A `VerifiedEntry` exists only after its signature checked out (`UnverifiedEntry::verify`) or
//!   because this process sealed it (`seal`).
//! - Secret material (`DataKey`, `Identity`, tokens, plaintext) zeroizes on drop and never prints.

mod authors;
mod entry;
mod error;
mod hex;
mod identity;
mod keybox;
mod keys;
mod seal;
mod token;

pub use authors::AuthorKeys;
pub use entry::{
    AuthorClock, AuthorKey, DocId, Draft, Entry, EntryHash, EntryKind, FORMAT_VERSION, Header,
    KeyRef, MAX_DOC_ID_LEN, MAX_PARENTS, MAX_PAYLOAD_LEN, MAX_ROLE_LEN, Nonce, SIGNATURE_LEN,
    UnverifiedEntry, VerifiedEntry,
};
pub use error::{Error, VerifyError};
pub use identity::Identity;
pub use keybox::{
    BoxKind, EXPORT_PREFIX, KEYBOX_VERSION, MAX_KDF_MIB, MAX_KDF_PASSES, Secrets, WrapKey,
    export_text, open_box, parse_export_text, peek_box, seal_box,
};
pub use keys::{DataKey, Kcv, KdfParams, KeyName, MAX_KEY_NAME_LEN};
pub use seal::{Plaintext, open, seal};

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
