//! Protocol tests, compiled as one binary: golden vectors, entry rules, keys and tokens.

mod entry;
mod fuzz_checks;
mod fuzz_corpus;
mod keybox;
mod keys;
mod vectors;

use mindoodb_protocol::{
    AuthorClock, DataKey, DocId, Draft, EntryHash, EntryKind, Identity, KeyName, Nonce,
    VerifiedEntry, seal,
};
use zeroize::Zeroizing;

/// The fixed key of the test vectors: `default` version 1, 32 bytes of 0x11.
pub(crate) fn vector_key() -> DataKey {
    DataKey::from_secret(
        KeyName::new("default").unwrap(),
        1,
        Zeroizing::new([0x11; 32]),
    )
    .unwrap()
}

/// The fixed identity of the test vectors: seed of 32 bytes of 0x22.
pub(crate) fn vector_identity() -> Identity {
    Identity::from_seed(&[0x22; 32])
}

pub(crate) const VECTOR_CLOCK: i64 = 1_764_000_000_000_000;
pub(crate) const VECTOR_DOC: &str = r#"{"name":"ACME","revenue":10}"#;

pub(crate) fn draft(kind: EntryKind, parents: Vec<EntryHash>, clock: i64) -> Draft {
    Draft {
        kind,
        doc_id: DocId::new("cust-1").unwrap(),
        parents,
        clock: AuthorClock(clock),
        signer_role: String::new(),
    }
}

/// The three vector entries: create, update of it, delete of the update.
pub(crate) fn vector_entries() -> [VerifiedEntry; 3] {
    let key = vector_key();
    let id = vector_identity();
    let create = seal(
        draft(EntryKind::Create, vec![], VECTOR_CLOCK),
        VECTOR_DOC.as_bytes(),
        &key,
        &id,
        Nonce([0x33; 12]),
    )
    .unwrap();
    let update = seal(
        draft(EntryKind::Update, vec![create.hash()], VECTOR_CLOCK + 1),
        br#"{"name":"ACME","revenue":20}"#,
        &key,
        &id,
        Nonce([0x44; 12]),
    )
    .unwrap();
    let delete = seal(
        draft(EntryKind::Delete, vec![update.hash()], VECTOR_CLOCK + 2),
        b"",
        &key,
        &id,
        Nonce([0x55; 12]),
    )
    .unwrap();
    [create, update, delete]
}
