//! Format 2 rules: commits sign exactly their entries, an entry proves its author only through
//! its commit, and any flipped bit in an entry, a path, a commit or a receipt is detected and
//! named.

use std::sync::Arc;

use mindoodb_protocol::{
    AuthorClock, CommitDraft, CommitTree, EntryKind, Error, Identity, InclusionPath, Nonce,
    UnverifiedCommit, UnverifiedEntry, UnverifiedReceipt, VerifyError, entry_len, open,
    prepare_commit, seal_entry, sign_commit,
};
use proptest::prelude::*;

use crate::{VECTOR_CLOCK, draft, vector_commits, vector_entries, vector_identity, vector_key};

fn draft_commit() -> CommitDraft {
    CommitDraft {
        clock: AuthorClock(VECTOR_CLOCK),
        prev: None,
    }
}

#[test]
fn a_format_2_entry_does_not_verify_alone_and_a_format_1_entry_is_no_leaf() {
    let (first, ..) = vector_commits();
    let entry = UnverifiedEntry::parse(first.entries[0].bytes().to_vec()).unwrap();
    assert_eq!(entry.clone().verify().unwrap_err(), VerifyError::NoCommit);
    let [v1, ..] = vector_entries();
    let v1 = UnverifiedEntry::parse(v1.bytes().to_vec()).unwrap();
    let path = first.entries[0].inclusion().unwrap().path();
    assert_eq!(
        v1.verify_in(first.tree.commit(), path).unwrap_err(),
        VerifyError::SignedAlone
    );
}

#[test]
fn an_entry_is_refused_under_another_commit_or_at_another_index() {
    let (first, second, _) = vector_commits();
    let entry = |i: usize| UnverifiedEntry::parse(first.entries[i].bytes().to_vec()).unwrap();
    let path_of = |i: usize| first.entries[i].inclusion().unwrap().path();
    // The second commit holds one entry: a three-leaf path does not fit it, the empty one
    // leads to its root from the wrong leaf.
    assert_eq!(
        entry(0)
            .verify_in(second.tree.commit(), path_of(0))
            .unwrap_err(),
        VerifyError::BadPath
    );
    let empty = InclusionPath::new(0, Vec::new()).unwrap();
    assert_eq!(
        entry(0).verify_in(second.tree.commit(), empty).unwrap_err(),
        VerifyError::NotInCommit
    );
    assert_eq!(
        entry(0)
            .verify_in(first.tree.commit(), path_of(1))
            .unwrap_err(),
        VerifyError::NotInCommit
    );
    assert_eq!(
        entry(1).verify_leaf(&first.tree, 0).unwrap_err(),
        VerifyError::NotInCommit
    );
    assert_eq!(
        entry(1).verify_leaf(&first.tree, 3).unwrap_err(),
        VerifyError::NotInCommit
    );
    let out_of_range = InclusionPath::new(3, path_of(2).siblings().to_vec()).unwrap();
    assert_eq!(
        entry(2)
            .verify_in(first.tree.commit(), out_of_range)
            .unwrap_err(),
        VerifyError::BadPath
    );
}

#[test]
fn leaves_must_be_exactly_the_commits() {
    let (first, ..) = vector_commits();
    let commit = first.tree.commit().clone();
    let mut leaves = first.tree.leaves().to_vec();
    leaves.swap(0, 1);
    assert_eq!(
        CommitTree::new(commit.clone(), leaves).unwrap_err(),
        VerifyError::BadLeaves
    );
    let fewer = first.tree.leaves()[..2].to_vec();
    assert_eq!(
        CommitTree::new(commit.clone(), fewer).unwrap_err(),
        VerifyError::BadLeaves
    );
    let same = CommitTree::new(commit, first.tree.leaves().to_vec()).unwrap();
    assert_eq!(&same, first.tree.as_ref());
}

#[test]
fn a_commit_signs_only_its_authors_entries_with_one_role() {
    let key = vector_key();
    let id = vector_identity();
    let other = Identity::from_seed(&[0x99; 32]);
    let sealed = |author: &Identity, role: &str| {
        let mut d = draft(EntryKind::Create, vec![], 1);
        d.signer_role = role.into();
        seal_entry(d, b"{}", &key, author.public(), Nonce([0; 12])).unwrap()
    };
    let res = sign_commit(&id, draft_commit(), vec![sealed(&other, "")]);
    assert!(matches!(res, Err(Error::InvalidCommit(_))), "{res:?}");
    let res = sign_commit(
        &id,
        draft_commit(),
        vec![sealed(&id, "a"), sealed(&id, "b")],
    );
    assert!(matches!(res, Err(Error::InvalidCommit(_))), "{res:?}");
    let res = sign_commit(&id, draft_commit(), vec![]);
    assert!(matches!(res, Err(Error::InvalidCommit(_))), "{res:?}");
    let signed = sign_commit(&id, draft_commit(), vec![sealed(&id, "app")]).unwrap();
    assert_eq!(signed.tree.commit().signer_role(), "app");
    let reparsed = UnverifiedCommit::parse(signed.tree.commit().bytes().to_vec()).unwrap();
    assert_eq!(reparsed.signer_role(), "app");
    reparsed.verify().unwrap();
}

#[test]
fn an_entry_signed_under_another_role_or_author_is_refused_by_the_commit() {
    let (first, ..) = vector_commits();
    let key = vector_key();
    let mut d = draft(EntryKind::Create, vec![], 1);
    d.signer_role = "app".into();
    let role_entry =
        seal_entry(d, b"{}", &key, vector_identity().public(), Nonce([0; 12])).unwrap();
    let parsed = UnverifiedEntry::parse(role_entry.bytes().to_vec()).unwrap();
    let path = first.entries[0].inclusion().unwrap().path();
    assert_eq!(
        parsed.verify_in(first.tree.commit(), path).unwrap_err(),
        VerifyError::OtherAuthor
    );
}

#[test]
fn a_prepared_commit_has_its_signed_hash_and_only_its_author_signs_it() {
    let id = vector_identity();
    let entries = vec![
        seal_entry(
            draft(EntryKind::Create, vec![], 1),
            b"{}",
            &vector_key(),
            id.public(),
            Nonce([0; 12]),
        )
        .unwrap(),
    ];
    let unsigned = prepare_commit(id.public(), draft_commit(), entries.iter()).unwrap();
    let hash = unsigned.hash();
    let other = Identity::from_seed(&[0x99; 32]);
    assert!(matches!(
        unsigned.clone().sign(&other),
        Err(Error::InvalidCommit(_))
    ));
    let tree = unsigned.sign(&id).unwrap();
    assert_eq!(
        tree.commit().hash(),
        hash,
        "the signature is not part of the hash"
    );
    let signed = sign_commit(&id, draft_commit(), entries).unwrap();
    assert_eq!(signed.tree.as_ref(), &tree, "signing is deterministic");
}

#[test]
fn entry_len_reads_the_length_of_either_format_from_the_front() {
    let (first, ..) = vector_commits();
    let [v1, ..] = vector_entries();
    for bytes in [first.entries[1].bytes(), v1.bytes()] {
        let mut padded = bytes.to_vec();
        padded.extend_from_slice(b"storage's own bytes");
        assert_eq!(entry_len(&padded).unwrap(), bytes.len());
    }
    assert!(entry_len(&v1.bytes()[..10]).is_err());
}

#[test]
fn commits_and_receipts_refuse_truncation_and_trailing_bytes() {
    let (first, _, receipt) = vector_commits();
    let commit = first.tree.commit().bytes();
    for len in 0..commit.len() {
        assert!(
            UnverifiedCommit::parse(commit[..len].to_vec()).is_err(),
            "{len}"
        );
    }
    let mut longer = commit.to_vec();
    longer.push(0);
    assert!(matches!(
        UnverifiedCommit::parse(longer),
        Err(Error::TrailingBytes)
    ));
    for len in 0..receipt.bytes().len() {
        assert!(UnverifiedReceipt::parse(&receipt.bytes()[..len]).is_err());
    }
}

#[test]
fn a_large_commit_proves_every_entry_by_its_path() {
    let key = vector_key();
    let id = vector_identity();
    let entries: Vec<_> = (0..37)
        .map(|i| {
            let d = crate::draft(EntryKind::Create, vec![], i);
            seal_entry(d, b"{}", &key, id.public(), Nonce([i as u8; 12])).unwrap()
        })
        .collect();
    let signed = sign_commit(&id, draft_commit(), entries).unwrap();
    let commit = Arc::new(
        UnverifiedCommit::parse(signed.tree.commit().bytes().to_vec())
            .unwrap()
            .verify()
            .unwrap(),
    );
    for entry in &signed.entries {
        let path = InclusionPath::decode(&entry.inclusion().unwrap().path().encode()).unwrap();
        let parsed = UnverifiedEntry::parse(entry.bytes().to_vec()).unwrap();
        let verified = parsed.verify_in(&commit, path).unwrap();
        assert_eq!(open(&verified, &key).unwrap().as_slice(), b"{}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A flipped bit anywhere in a format-2 entry: parsing refuses it, or its commit does
    /// (another hash: not in the commit; another author or role: not the commit's).
    #[test]
    fn any_flipped_entry_bit_is_named(which in 0usize..3, bit in any::<prop::sample::Index>()) {
        let (first, ..) = vector_commits();
        let entry = &first.entries[which];
        let mut bytes = entry.bytes().to_vec();
        let idx = bit.index(bytes.len() * 8);
        bytes[idx / 8] ^= 1 << (idx % 8);
        let path = entry.inclusion().unwrap().path();
        if let Ok(parsed) = UnverifiedEntry::parse(bytes) {
            let err = parsed.verify_in(first.tree.commit(), path).unwrap_err();
            prop_assert!(matches!(err, VerifyError::NotInCommit | VerifyError::OtherAuthor), "{err}");
        }
    }

    /// A flipped bit in an inclusion path: it no longer decodes, no longer fits the tree, or
    /// leads to another root.
    #[test]
    fn any_flipped_path_bit_is_named(which in 0usize..3, bit in any::<prop::sample::Index>()) {
        let (first, ..) = vector_commits();
        let entry = &first.entries[which];
        let mut bytes = entry.inclusion().unwrap().path().encode();
        let idx = bit.index(bytes.len() * 8);
        bytes[idx / 8] ^= 1 << (idx % 8);
        let parsed = UnverifiedEntry::parse(entry.bytes().to_vec()).unwrap();
        match InclusionPath::decode(&bytes) {
            Err(err) => prop_assert!(matches!(err, Error::Oversize { .. } | Error::Malformed(_) | Error::TrailingBytes), "{err}"),
            Ok(path) => {
                let err = parsed.verify_in(first.tree.commit(), path).unwrap_err();
                prop_assert!(matches!(err, VerifyError::NotInCommit | VerifyError::BadPath), "{err}");
            }
        }
    }

    /// A flipped bit in a commit: it no longer parses, or its signature no longer verifies.
    #[test]
    fn any_flipped_commit_bit_is_named(which in 0usize..2, bit in any::<prop::sample::Index>()) {
        let (first, second, _) = vector_commits();
        let commit = [&first, &second][which].tree.commit();
        let mut bytes = commit.bytes().to_vec();
        let idx = bit.index(bytes.len() * 8);
        bytes[idx / 8] ^= 1 << (idx % 8);
        match UnverifiedCommit::parse(bytes) {
            Err(err) => prop_assert!(!err.to_string().is_empty()),
            Ok(parsed) => {
                let err = parsed.verify().unwrap_err();
                prop_assert!(matches!(err, VerifyError::BadSignature | VerifyError::BadAuthorKey), "{err}");
            }
        }
    }

    /// A flipped bit in a receipt: it no longer parses, or its signature no longer verifies.
    #[test]
    fn any_flipped_receipt_bit_is_named(bit in any::<prop::sample::Index>()) {
        let (.., receipt) = vector_commits();
        let mut bytes = receipt.bytes().to_vec();
        let idx = bit.index(bytes.len() * 8);
        bytes[idx / 8] ^= 1 << (idx % 8);
        match UnverifiedReceipt::parse(&bytes) {
            Err(err) => prop_assert!(!err.to_string().is_empty()),
            Ok(parsed) => {
                let err = parsed.verify().unwrap_err();
                prop_assert!(matches!(err, VerifyError::BadSignature | VerifyError::BadAuthorKey), "{err}");
            }
        }
    }

    /// Whatever bytes arrive, parsing a commit, a receipt or a path never panics.
    #[test]
    fn parsing_arbitrary_bytes_as_commits_receipts_and_paths_never_panics(
        bytes in prop::collection::vec(any::<u8>(), 0..400)
    ) {
        let _ = UnverifiedCommit::parse(bytes.clone());
        let _ = UnverifiedReceipt::parse(&bytes);
        let _ = InclusionPath::decode(&bytes);
        let _ = entry_len(&bytes);
    }
}
