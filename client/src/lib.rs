//! MindooDB's client library: the side that holds keys and trusts no server.
//!
//! This crate owns what a key holder does for themselves (docs/ARCHITECTURE.md#client): the keyring file
//! (`Keyring`: argon2id + AES-256-GCM-SIV, key export and import), sealing, signing and
//! opening documents locally against any server (`Client`), syncing sealed entries between a
//! local store and a peer over the Postgres protocol (`sync`, `watch`), and checking what
//! servers send (`verify_proof`).
//!
//! Architecture invariant: depends on `protocol` and `storage` (the local replica), never on
//! `server`; the server depends on this crate for sync and the keyring commands.
//!
//! Invariants:
//! - Nothing a server sends is believed without a check: entries are verified before they are
//!   stored or shown, and every claimed column of a proof row must agree with the bytes.
//! - Keys, tokens, passphrases and plaintext never leave this process except as sealed
//!   entries, an `mdbx1.` export under a passphrase, or tokens the caller asked for.
//!
//! See: docs/ARCHITECTURE.md#client, docs/OPERATIONS.md#sync, docs/SQL.md#mindooproof

mod binary_copy;
mod error;
mod keyring;
mod passphrase;
mod pattern;
mod peer;
mod proof;
mod remote;
mod sync;
mod sync_audit;
mod sync_check;
mod sync_writers;

pub use error::{Error, Result};
pub use keyring::Keyring;
pub use passphrase::{KEYRING_PASSPHRASE_ENV, ONE_TIME_PASSPHRASE_ENV, passphrase};
pub use pattern::glob;
pub use peer::{PEER_CA_ENV, Peer, conninfo_dbname};
pub use proof::{ProofEntry, ProofError, StoredBy, VerifiedHistory, verify_proof};
pub use remote::{Client, Document, OpenedEntry};
pub use sync::{
    DEFAULT_BATCH, Direction, LocalNode, StoreTenant, SyncConfig, TableReport, sync, watch,
};
