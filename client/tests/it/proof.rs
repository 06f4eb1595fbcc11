//! `verify_proof` accepts a genuine history and rejects every kind of tampering (issue 4:
//! "mindoo.proof output verifies in the client crate and fails after tampering"). The
//! end-to-end version, on real server output, is server/tests/it/feeds.rs.

use mindoodb_client::{ProofEntry, ProofError, verify_proof};
use mindoodb_protocol::{
    AuthorClock, DataKey, DocId, Draft, EntryHash, EntryKind, Identity, KeyName, Nonce,
    VerifiedEntry, seal,
};
use zeroize::Zeroizing;

fn doc() -> DocId {
    DocId::new("doc-1").unwrap()
}

fn sealed(kind: EntryKind, parents: &[EntryHash], clock: i64, body: &str) -> VerifiedEntry {
    let key =
        DataKey::from_secret(KeyName::new("default").unwrap(), 1, Zeroizing::new([7; 32])).unwrap();
    let identity = Identity::from_seed(&[clock as u8; 32]);
    seal(
        Draft {
            kind,
            doc_id: doc(),
            parents: parents.to_vec(),
            clock: AuthorClock(clock),
            signer_role: String::new(),
        },
        body.as_bytes(),
        &key,
        &identity,
        Nonce([clock as u8; 12]),
    )
    .unwrap()
}

fn row(seq: i64, entry: &VerifiedEntry, head: bool, winner: bool) -> ProofEntry {
    ProofEntry {
        seq,
        rev: entry.hash().to_string(),
        signer: entry.header().author().to_string(),
        header: entry.header_bytes().to_vec(),
        signature: entry.signature().to_vec(),
        sealed: entry.bytes().to_vec(),
        head,
        winner,
        proof: None,
        receipt: None,
    }
}

/// create → update → delete: one head, the delete.
fn linear() -> (Vec<VerifiedEntry>, Vec<ProofEntry>) {
    let create = sealed(EntryKind::Create, &[], 1, r#"{"v":1}"#);
    let update = sealed(EntryKind::Update, &[create.hash()], 2, r#"{"v":2}"#);
    let delete = sealed(EntryKind::Delete, &[update.hash()], 3, "");
    let rows = vec![
        row(1, &create, false, false),
        row(4, &update, false, false),
        row(9, &delete, true, true),
    ];
    (vec![create, update, delete], rows)
}

#[test]
fn a_genuine_history_verifies() {
    let (entries, rows) = linear();
    let history = verify_proof(&doc(), &rows).unwrap();
    assert_eq!(history.entries.len(), 3);
    assert_eq!(history.heads, [entries[2].hash()]);
    assert_eq!(history.winner, entries[2].hash());
    assert!(history.is_deleted());
    assert_eq!(history.authors().len(), 3);
}

#[test]
fn concurrent_heads_and_the_winner_are_recomputed() {
    let create = sealed(EntryKind::Create, &[], 1, "{}");
    let left = sealed(EntryKind::Update, &[create.hash()], 5, r#"{"side":"l"}"#);
    let right = sealed(EntryKind::Update, &[create.hash()], 6, r#"{"side":"r"}"#);
    let rows = vec![
        row(1, &create, false, false),
        row(2, &left, true, false),
        row(3, &right, true, true),
    ];
    let history = verify_proof(&doc(), &rows).unwrap();
    let mut heads = vec![left.hash(), right.hash()];
    heads.sort();
    assert_eq!(history.heads, heads);
    assert_eq!(history.winner, right.hash());

    let mut wrong = rows.clone();
    wrong[1].winner = true;
    wrong[2].winner = false;
    assert_eq!(
        verify_proof(&doc(), &wrong).unwrap_err(),
        ProofError::WinnerMismatch {
            claimed: Some(left.hash()),
            actual: right.hash()
        }
    );
}

#[test]
fn a_flipped_byte_fails() {
    let (_, rows) = linear();
    for at in [0, 10, rows[1].sealed.len() / 2, rows[1].sealed.len() - 1] {
        let mut tampered = rows.clone();
        tampered[1].sealed[at] ^= 0x01;
        assert!(verify_proof(&doc(), &tampered).is_err(), "byte {at}");
    }
}

#[test]
fn a_flipped_byte_with_a_matching_rev_fails_the_signature() {
    let (_, rows) = linear();
    let mut tampered = rows.clone();
    let at = tampered[1].sealed.len() - 70;
    tampered[1].sealed[at] ^= 0x01;
    let rehashed = mindoodb_protocol::UnverifiedEntry::parse(tampered[1].sealed.clone()).unwrap();
    tampered[1].rev = rehashed.hash().to_string();
    let err = verify_proof(&doc(), &tampered).unwrap_err();
    assert!(
        matches!(err, ProofError::BadSignature { seq: 4, .. }),
        "{err}"
    );
}

#[test]
fn claimed_columns_must_match_the_sealed_bytes() {
    let (entries, rows) = linear();
    let mut rev = rows.clone();
    rev[0].rev = entries[1].hash().to_string();
    assert!(matches!(
        verify_proof(&doc(), &rev),
        Err(ProofError::RevMismatch { seq: 1, .. })
    ));
    let mut signature = rows.clone();
    signature[2].signature[0] ^= 0x80;
    assert_eq!(
        verify_proof(&doc(), &signature).unwrap_err(),
        ProofError::ColumnMismatch {
            seq: 9,
            column: "signature"
        }
    );
    let mut signer = rows.clone();
    signer[2].signer = rows[0].signer.clone();
    assert_eq!(
        verify_proof(&doc(), &signer).unwrap_err(),
        ProofError::ColumnMismatch {
            seq: 9,
            column: "signer"
        }
    );
}

#[test]
fn a_missing_entry_fails() {
    let (entries, mut rows) = linear();
    rows.remove(1);
    assert_eq!(
        verify_proof(&doc(), &rows).unwrap_err(),
        ProofError::MissingParent {
            hash: entries[2].hash(),
            parent: entries[1].hash()
        }
    );
}

#[test]
fn a_truncated_history_is_consistent_but_a_denied_head_fails() {
    let (_, rows) = linear();
    // A proof shows consistency, not completeness: a server that withholds the newest entry
    // and calls the update the head passes. Compare the winner with a rev seen elsewhere
    // (another server, a change feed) to catch that.
    let mut hidden = rows[..2].to_vec();
    hidden[1].head = true;
    hidden[1].winner = true;
    assert!(verify_proof(&doc(), &hidden).is_ok());
    // It cannot also keep the delete while denying it is a head.
    let mut denied = rows.clone();
    denied[2].head = false;
    assert!(matches!(
        verify_proof(&doc(), &denied),
        Err(ProofError::HeadsMismatch { .. })
    ));
}

#[test]
fn order_duplicates_and_other_documents_fail() {
    let (_, rows) = linear();
    let mut reordered = rows.clone();
    reordered.swap(0, 1);
    assert_eq!(
        verify_proof(&doc(), &reordered).unwrap_err(),
        ProofError::OutOfOrder { seq: 1 }
    );
    let mut twice = rows.clone();
    let mut copy = rows[0].clone();
    copy.seq = 20;
    twice.push(copy);
    assert!(matches!(
        verify_proof(&doc(), &twice),
        Err(ProofError::Duplicate(_))
    ));
    let other = DocId::new("doc-2").unwrap();
    assert!(matches!(
        verify_proof(&other, &rows),
        Err(ProofError::OtherDocument { seq: 1, .. })
    ));
    assert_eq!(verify_proof(&doc(), &[]).unwrap_err(), ProofError::Empty);
}
