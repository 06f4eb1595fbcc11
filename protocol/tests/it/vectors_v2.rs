//! Golden bytes of format 2 are forever: the v2 vectors (a commit of three entries with their
//! inclusion paths, a second commit chained to it, a receipt over both) must decode and verify
//! in every later version, and signing the same inputs must reproduce them byte for byte.
//! Regenerate only for a new format version (`MINDOODB_BLESS=1`), never to make a change pass.

use std::path::PathBuf;
use std::sync::Arc;

use mindoodb_protocol::{
    AuthorKeys, EntryFormat, EntryHash, EntryKind, InclusionPath, SignedCommit, UnverifiedCommit,
    UnverifiedEntry, UnverifiedReceipt, VerifiedCommit, merkle_path, open,
};

use crate::{VECTOR_DOC, vector_commits, vector_identity, vector_key, vector_server};

fn vector_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/vectors/v2/{name}"))
}

/// Every vector file's name and the bytes signing the fixed inputs gives.
fn expected_files() -> Vec<(String, Vec<u8>)> {
    let (first, second, receipt) = vector_commits();
    let mut files = Vec::new();
    for (n, signed) in [(1, &first), (2, &second)] {
        files.push((
            format!("commit{n}.bin"),
            signed.tree.commit().bytes().to_vec(),
        ));
        for (i, entry) in signed.entries.iter().enumerate() {
            let path = entry.inclusion().unwrap().path();
            files.push((format!("commit{n}-entry{i}.bin"), entry.bytes().to_vec()));
            files.push((format!("commit{n}-path{i}.bin"), path.encode()));
        }
    }
    files.push(("receipt.bin".into(), receipt.bytes().to_vec()));
    files
}

#[test]
fn signing_fixed_inputs_reproduces_the_v2_vectors() {
    let files = expected_files();
    if std::env::var_os("MINDOODB_BLESS").is_some() {
        std::fs::create_dir_all(vector_path("")).unwrap();
        for (name, bytes) in &files {
            std::fs::write(vector_path(name), bytes).unwrap();
        }
        let (first, ..) = vector_commits();
        let hash = format!("{}\n", first.tree.commit().hash());
        std::fs::write(vector_path("commit1.hash"), hash).unwrap();
    }
    for (name, bytes) in &files {
        let golden = std::fs::read(vector_path(name)).unwrap();
        assert_eq!(
            bytes, &golden,
            "vector {name} changed: that is a format change"
        );
    }
}

/// Reads commit `n` and its entries from the files and verifies them the way a reader that
/// holds nothing else would: the commit's signature, then each entry by its path.
fn read_commit(
    n: u32,
    entries: usize,
) -> (Arc<VerifiedCommit>, Vec<mindoodb_protocol::VerifiedEntry>) {
    let bytes = std::fs::read(vector_path(&format!("commit{n}.bin"))).unwrap();
    let commit = Arc::new(UnverifiedCommit::parse(bytes).unwrap().verify().unwrap());
    let verified = (0..entries)
        .map(|i| {
            let entry = std::fs::read(vector_path(&format!("commit{n}-entry{i}.bin"))).unwrap();
            let path = std::fs::read(vector_path(&format!("commit{n}-path{i}.bin"))).unwrap();
            let entry = UnverifiedEntry::parse(entry).unwrap();
            assert_eq!(entry.header().format(), EntryFormat::V2);
            assert!(entry.signature().is_empty());
            entry
                .verify_in(&commit, InclusionPath::decode(&path).unwrap())
                .unwrap()
        })
        .collect();
    (commit, verified)
}

#[test]
fn v2_vectors_decode_verify_and_open() {
    let key = vector_key();
    let (first, entries) = read_commit(1, 3);
    assert_eq!(first.count(), 3);
    assert_eq!(first.author(), vector_identity().public());
    assert_eq!(first.prev(), None);
    let ids: Vec<&str> = entries
        .iter()
        .map(|e| e.header().doc_id().as_str())
        .collect();
    assert_eq!(ids, ["cust-1", "cust-2", "cust-3"]);
    assert_eq!(
        open(&entries[0], &key).unwrap().as_slice(),
        VECTOR_DOC.as_bytes()
    );
    for (index, entry) in entries.iter().enumerate() {
        assert_eq!(entry.inclusion().unwrap().index(), index as u32);
    }

    let (second, updates) = read_commit(2, 1);
    assert_eq!(
        second.prev(),
        Some(first.hash()),
        "commit 2 chains to commit 1"
    );
    assert_eq!(updates[0].header().kind(), EntryKind::Update);
    assert_eq!(updates[0].header().parents(), &[entries[0].hash()]);
    assert_eq!(
        open(&updates[0], &key).unwrap().as_slice(),
        br#"{"name":"ACME","revenue":20}"#
    );

    let bytes = std::fs::read(vector_path("receipt.bin")).unwrap();
    let receipt = UnverifiedReceipt::parse(&bytes).unwrap().verify().unwrap();
    assert_eq!(receipt.server(), vector_server().public());
    assert_eq!((receipt.first(), receipt.last()), (1, 2));
    let commits = [first.hash(), second.hash()];
    receipt.check_commits(&commits).unwrap();
    for (index, commit) in commits.iter().enumerate() {
        let path = merkle_path(commits.iter().map(|c| &c.0), index as u32).unwrap();
        receipt.covers(commit, &path).unwrap();
    }
}

#[test]
fn v2_vectors_verify_through_author_keys_and_trees() {
    let (first, second, _) = vector_commits();
    let mut keys = AuthorKeys::new();
    for signed in [&first, &second] {
        let bytes = signed.tree.commit().bytes().to_vec();
        let commit = keys
            .verify_commit(UnverifiedCommit::parse(bytes).unwrap())
            .unwrap();
        assert_eq!(&commit, signed.tree.commit().as_ref());
        check_leaves(signed);
    }

    fn check_leaves(signed: &SignedCommit) {
        for (index, entry) in signed.entries.iter().enumerate() {
            let parsed = UnverifiedEntry::parse(entry.bytes().to_vec()).unwrap();
            let verified = parsed.verify_leaf(&signed.tree, index as u32).unwrap();
            assert_eq!(verified.hash(), entry.hash());
        }
        let leaves: Vec<EntryHash> = signed.entries.iter().map(|e| e.hash()).collect();
        assert_eq!(signed.tree.leaves(), leaves.as_slice());
    }
}

#[test]
fn v2_commit_hash_is_pinned() {
    let bytes = std::fs::read(vector_path("commit1.bin")).unwrap();
    let commit = UnverifiedCommit::parse(bytes).unwrap();
    // Also printed in docs/FORMAT.md#test-vectors.
    assert_eq!(
        commit.hash().to_string(),
        include_str!("../vectors/v2/commit1.hash").trim()
    );
}
