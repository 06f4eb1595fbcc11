//! Golden bytes are forever: the v1 vectors must decode, verify and open in every later
//! version, and sealing the same inputs must reproduce them byte for byte. Regenerate only for
//! a new format version (`MINDOODB_BLESS=1`), never to make a change pass.

use std::path::PathBuf;

use mindoodb_protocol::{EntryKind, UnverifiedEntry, open};

use crate::{VECTOR_DOC, vector_entries, vector_key};

const NAMES: [&str; 3] = ["create", "update", "delete"];

fn vector_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/vectors/v1/{name}.bin"))
}

#[test]
fn sealing_fixed_inputs_reproduces_the_v1_vectors() {
    let entries = vector_entries();
    if std::env::var_os("MINDOODB_BLESS").is_some() {
        for (name, entry) in NAMES.iter().zip(&entries) {
            std::fs::write(vector_path(name), entry.bytes()).unwrap();
        }
        let hash_path = vector_path("create").with_extension("hash");
        std::fs::write(hash_path, format!("{}\n", entries[0].hash())).unwrap();
    }
    for (name, entry) in NAMES.iter().zip(&entries) {
        let golden = std::fs::read(vector_path(name)).unwrap();
        assert_eq!(
            entry.bytes(),
            golden.as_slice(),
            "vector {name} changed: that is a format change"
        );
    }
}

#[test]
fn v1_vectors_decode_verify_and_open() {
    let key = vector_key();
    let mut previous: Vec<mindoodb_protocol::EntryHash> = Vec::new();
    for (name, kind) in NAMES
        .iter()
        .zip([EntryKind::Create, EntryKind::Update, EntryKind::Delete])
    {
        let bytes = std::fs::read(vector_path(name)).unwrap();
        let entry = UnverifiedEntry::parse(bytes).unwrap().verify().unwrap();
        assert_eq!(entry.header().kind(), kind);
        assert_eq!(entry.header().doc_id().as_str(), "cust-1");
        assert_eq!(entry.header().parents(), previous.as_slice());
        let plain = open(&entry, &key).unwrap();
        match kind {
            EntryKind::Create => assert_eq!(plain.as_slice(), VECTOR_DOC.as_bytes()),
            EntryKind::Update => assert_eq!(plain.as_slice(), br#"{"name":"ACME","revenue":20}"#),
            EntryKind::Delete => assert!(plain.is_empty()),
        }
        previous = vec![entry.hash()];
    }
}

#[test]
fn v1_create_vector_hash_is_pinned() {
    let bytes = std::fs::read(vector_path("create")).unwrap();
    let entry = UnverifiedEntry::parse(bytes).unwrap();
    // Also printed in docs/FORMAT.md#test-vectors.
    assert_eq!(
        entry.hash().to_string(),
        include_str!("../vectors/v1/create.hash").trim()
    );
}
