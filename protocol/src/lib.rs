//! MindooDB's data protocol: what every node and client must agree on, byte for byte.
//!
//! This crate owns the sealed entry (formats 1 and 2, see docs/FORMAT.md), the commits that
//! sign format-2 entries a transaction at a time (a Merkle root per commit, chained per
//! author), servers' trusted-time receipts and signed read-audit records, their canonical encodings, the cryptography
//! around them (AES-256-GCM-SIV, BLAKE3, Ed25519, argon2id), the textual key tokens people
//! paste into `SET mindoo.keys`, and the passphrase-sealed key boxes that keyring files and
//! key exports are made of.
//!
//! Architecture invariant: no I/O. This crate knows no files, sockets, clocks, SQL or RocksDB;
//! randomness comes only from the operating system (`getrandom`), and every function that needs
//! time takes it as an argument.
//!
//! Invariants:
//! - A `VerifiedEntry` exists only after its signature checked out (`UnverifiedEntry::verify`,
//!   format 1), after its hash was shown to be a leaf of a verified commit (`verify_in`,
//!   `verify_leaf`, format 2), or because this process sealed or committed it (`seal`,
//!   `sign_commit`). The same holds for `VerifiedCommit` and `VerifiedReceipt`.
//! - Secret material (`DataKey`, `Identity`, tokens, plaintext) zeroizes on drop and never prints.

mod audit;
mod authors;
mod carry;
mod commit;
mod entry;
mod error;
mod fields;
mod hex;
mod identity;
mod inclusion;
mod keybox;
mod keys;
mod merkle;
mod receipt;
mod seal;
mod token;
mod writers;

pub use audit::{AuditBody, AuditChainId, AuditRecord, MAX_AUDIT_IDS, sign_audit, verify_audit};
pub use authors::AuthorKeys;
pub use carry::{Receiver, carry_proof, carry_receipt, parse_proof, verify_carried_receipt};
pub use commit::{
    Commit, CommitDraft, CommitHash, CommitTree, SignedCommit, UnsignedCommit, UnverifiedCommit,
    VerifiedCommit, commit_len, prepare_commit, sign_commit,
};
pub use entry::{
    Draft, Entry, EntryFormat, Header, MAX_DOC_ID_LEN, MAX_PARENTS, MAX_PAYLOAD_LEN, MAX_ROLE_LEN,
    SIGNATURE_LEN, SealedEntry, UnverifiedEntry, VerifiedEntry, entry_len,
};
pub use error::{Error, VerifyError};
pub use fields::{AuthorClock, AuthorKey, DocId, EntryHash, EntryKind, KeyRef, Nonce};
pub use identity::Identity;
pub use inclusion::Inclusion;
pub use keybox::{
    BoxKind, EXPORT_PREFIX, KEYBOX_VERSION, MAX_KDF_MIB, MAX_KDF_PASSES, Secrets, WrapKey,
    export_text, open_box, parse_export_text, peek_box, seal_box,
};
pub use keys::{DataKey, Kcv, KdfParams, KeyName, MAX_KEY_NAME_LEN};
pub use merkle::{InclusionPath, MAX_PATH_LEN, Node, merkle_path, merkle_paths};
pub use receipt::{
    RECEIPT_LEN, Receipt, ServerTime, UnverifiedReceipt, VerifiedReceipt, sign_receipt,
};
pub use seal::{Plaintext, open, seal, seal_entry};
pub use writers::{
    MAX_LABEL_LEN, Writer, WriterAction, WriterChange, WriterList, WriterListError, WriterRecord,
    WriterRecordError,
};

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
