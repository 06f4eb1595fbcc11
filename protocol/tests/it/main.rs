//! Protocol tests, compiled as one binary: golden vectors, entry, commit and receipt rules,
//! keys and tokens.

mod commit;
mod entry;
mod fuzz_checks;
mod fuzz_corpus;
mod keybox;
mod keys;
mod vectors;
mod vectors_v2;

use mindoodb_protocol::{
    AuthorClock, CommitDraft, CommitHash, DataKey, DocId, Draft, EntryHash, EntryKind, Identity,
    KeyName, Nonce, ServerTime, SignedCommit, VerifiedEntry, VerifiedReceipt, seal, seal_entry,
    sign_commit, sign_receipt,
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

/// The fixed identity of the receipt vector's server: seed of 32 bytes of 0x44.
pub(crate) fn vector_server() -> Identity {
    Identity::from_seed(&[0x44; 32])
}

fn draft_of(doc: &str, kind: EntryKind, parents: Vec<EntryHash>, clock: i64) -> Draft {
    Draft {
        kind,
        doc_id: DocId::new(doc).unwrap(),
        parents,
        clock: AuthorClock(clock),
        signer_role: String::new(),
    }
}

/// The format-2 vectors: a commit of three creates (`cust-1`, `cust-2`, `cust-3`), a second
/// commit chained to it that updates `cust-1`, and a receipt over both.
pub(crate) fn vector_commits() -> (SignedCommit, SignedCommit, VerifiedReceipt) {
    let key = vector_key();
    let id = vector_identity();
    let author = id.public();
    let creates = [
        ("cust-1", r#"{"name":"ACME","revenue":10}"#, 0x33),
        ("cust-2", r#"{"name":"Globex","revenue":7}"#, 0x34),
        ("cust-3", r#"{"name":"Initech","revenue":3}"#, 0x35),
    ]
    .map(|(doc, body, nonce)| {
        seal_entry(
            draft_of(doc, EntryKind::Create, vec![], VECTOR_CLOCK),
            body.as_bytes(),
            &key,
            author,
            Nonce([nonce; 12]),
        )
        .unwrap()
    });
    let first_hash = creates[0].hash();
    let first = sign_commit(
        &id,
        CommitDraft {
            clock: AuthorClock(VECTOR_CLOCK),
            prev: None,
        },
        creates.to_vec(),
    )
    .unwrap();
    let update = seal_entry(
        draft_of(
            "cust-1",
            EntryKind::Update,
            vec![first_hash],
            VECTOR_CLOCK + 1,
        ),
        br#"{"name":"ACME","revenue":20}"#,
        &key,
        author,
        Nonce([0x36; 12]),
    )
    .unwrap();
    let second = sign_commit(
        &id,
        CommitDraft {
            clock: AuthorClock(VECTOR_CLOCK + 1),
            prev: Some(first.tree.commit().hash()),
        },
        vec![update],
    )
    .unwrap();
    let commits: [CommitHash; 2] = [first.tree.commit().hash(), second.tree.commit().hash()];
    let receipt = sign_receipt(
        &vector_server(),
        ServerTime(VECTOR_CLOCK + 1_000_000),
        1,
        &commits,
    )
    .unwrap();
    (first, second, receipt)
}
