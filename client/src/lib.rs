//! MindooDB's client library: the side that holds keys and trusts no server.
//!
//! This crate owns what a client checks for itself. Today that is `verify_proof`, which takes
//! the rows of `mindoo.proof(table, id)` and re-derives a document's history from the sealed
//! bytes alone: hashes, signatures, parent links, heads and the winning revision. The keyring,
//! local sealing and the embedded replica (DESIGN §6) will live here too.
//!
//! Architecture invariant: depends on `protocol` (and later `storage` for the local replica),
//! never on `server`; the server may depend on this crate, not the reverse.
//!
//! Invariants:
//! - Nothing a server sends is believed without a check: every claimed column of a proof row
//!   must agree with what the sealed bytes say.
//!
//! See: docs/ARCHITECTURE.md#client, docs/SQL.md#mindooproof

mod proof;

pub use proof::{ProofEntry, ProofError, VerifiedHistory, verify_proof};
