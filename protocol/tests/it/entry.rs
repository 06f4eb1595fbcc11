//! Entry rules: canonical round trip, strict parsing, tamper detection, wrong keys.

use mindoodb_protocol::{
    AuthorClock, DataKey, DocId, Draft, EntryKind, Error, Identity, KeyName, MAX_DOC_ID_LEN, Nonce,
    UnverifiedEntry, VerifyError, open, seal,
};
use proptest::prelude::*;

use crate::{VECTOR_CLOCK, draft, vector_entries, vector_identity, vector_key};

#[test]
fn round_trip_keeps_every_field() {
    let [create, update, _] = vector_entries();
    let parsed = UnverifiedEntry::parse(update.bytes().to_vec()).unwrap();
    assert_eq!(parsed.header(), update.header());
    assert_eq!(parsed.hash(), update.hash());
    assert_eq!(parsed.header().parents(), &[create.hash()]);
    assert_eq!(parsed.header().clock(), AuthorClock(VECTOR_CLOCK + 1));
    assert_eq!(parsed.header().author(), vector_identity().public());
    assert_eq!(parsed.header().key().to_string(), "default.1");
}

#[test]
fn parents_are_sorted_and_deduplicated_when_sealing() {
    let [create, update, _] = vector_entries();
    let mut parents = vec![update.hash(), create.hash(), update.hash()];
    let entry = seal(
        draft(EntryKind::Update, parents.clone(), 1),
        b"{}",
        &vector_key(),
        &vector_identity(),
        Nonce([0; 12]),
    )
    .unwrap();
    parents.sort();
    parents.dedup();
    assert_eq!(entry.header().parents(), parents.as_slice());
}

#[test]
fn trailing_bytes_are_rejected() {
    let [create, ..] = vector_entries();
    let mut bytes = create.bytes().to_vec();
    bytes.push(0);
    assert!(matches!(
        UnverifiedEntry::parse(bytes),
        Err(Error::TrailingBytes)
    ));
}

#[test]
fn truncation_is_rejected_at_every_length() {
    let [create, ..] = vector_entries();
    for len in 0..create.bytes().len() {
        assert!(
            UnverifiedEntry::parse(create.bytes()[..len].to_vec()).is_err(),
            "accepted {len} bytes"
        );
    }
}

#[test]
fn unknown_version_is_rejected() {
    let [create, ..] = vector_entries();
    let mut bytes = create.bytes().to_vec();
    bytes[4] = 3;
    assert!(matches!(
        UnverifiedEntry::parse(bytes),
        Err(Error::UnsupportedVersion(3))
    ));
}

#[test]
fn structural_rules_are_enforced_when_sealing() {
    let key = vector_key();
    let id = vector_identity();
    let [create, ..] = vector_entries();
    let nonce = Nonce([0; 12]);
    let with_parent = seal(
        draft(EntryKind::Create, vec![create.hash()], 1),
        b"{}",
        &key,
        &id,
        nonce,
    );
    assert!(matches!(with_parent, Err(Error::InvalidDraft(_))));
    let orphan_update = seal(draft(EntryKind::Update, vec![], 1), b"{}", &key, &id, nonce);
    assert!(matches!(orphan_update, Err(Error::InvalidDraft(_))));
    let delete_with_body = seal(
        draft(EntryKind::Delete, vec![create.hash()], 1),
        b"{}",
        &key,
        &id,
        nonce,
    );
    assert!(matches!(delete_with_body, Err(Error::InvalidDraft(_))));
}

#[test]
fn oversize_fields_are_rejected() {
    assert!(DocId::new("x".repeat(MAX_DOC_ID_LEN + 1)).is_err());
    assert!(DocId::new("").is_err());
    assert!(DocId::new("a\0b").is_err());
    let mut long_role = draft(EntryKind::Create, vec![], 1);
    long_role.signer_role = "r".repeat(65);
    let res = seal(
        long_role,
        b"{}",
        &vector_key(),
        &vector_identity(),
        Nonce([0; 12]),
    );
    assert!(matches!(res, Err(Error::InvalidRole(_))));
}

#[test]
fn oversize_declared_payload_is_rejected_without_allocating_it() {
    let [create, ..] = vector_entries();
    let mut bytes = create.bytes().to_vec();
    bytes[62..66].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        UnverifiedEntry::parse(bytes),
        Err(Error::Oversize {
            field: "payload",
            ..
        })
    ));
}

#[test]
fn wrong_key_name_or_version_is_refused_before_decrypting() {
    let [create, ..] = vector_entries();
    let other_version = DataKey::generate(KeyName::new("default").unwrap(), 2).unwrap();
    assert!(matches!(
        open(&create, &other_version),
        Err(Error::WrongKey { .. })
    ));
    let other_name = DataKey::generate(KeyName::new("hr").unwrap(), 1).unwrap();
    assert!(matches!(
        open(&create, &other_name),
        Err(Error::WrongKey { .. })
    ));
}

#[test]
fn wrong_key_bytes_fail_to_decrypt_never_give_garbage() {
    let [create, ..] = vector_entries();
    let impostor = DataKey::generate(KeyName::new("default").unwrap(), 1).unwrap();
    assert!(matches!(open(&create, &impostor), Err(Error::Decrypt)));
}

#[test]
fn a_signature_by_someone_else_fails_verification() {
    let [create, ..] = vector_entries();
    let mut bytes = create.bytes().to_vec();
    let n = bytes.len();
    let other = Identity::from_seed(&[0x99; 32]);
    let forged = seal(
        draft(EntryKind::Create, vec![], VECTOR_CLOCK),
        b"{}",
        &vector_key(),
        &other,
        Nonce([0x33; 12]),
    )
    .unwrap();
    bytes[n - 64..].copy_from_slice(&forged.bytes()[forged.bytes().len() - 64..]);
    let res = UnverifiedEntry::parse(bytes).unwrap().verify();
    assert_eq!(res.unwrap_err(), VerifyError::BadSignature);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any single-bit flip anywhere in a sealed entry is caught: by parsing, by the signature
    /// check, or by decryption. Nothing flipped ever opens to plaintext that verified.
    #[test]
    fn any_single_bit_flip_is_detected(which in 0usize..3, bit in any::<prop::sample::Index>()) {
        let entries = vector_entries();
        let entry = &entries[which];
        let mut bytes = entry.bytes().to_vec();
        let idx = bit.index(bytes.len() * 8);
        bytes[idx / 8] ^= 1 << (idx % 8);
        let caught = match UnverifiedEntry::parse(bytes) {
            Err(_) => true,
            Ok(parsed) => {
                let hash_changed = parsed.hash() != entry.hash();
                let verified = parsed.clone().verify().is_ok();
                let opened = open(&parsed, &vector_key()).is_ok();
                // Flipping signature bits leaves the hash alone but breaks verification.
                !verified && (hash_changed || !opened || parsed.signature() != entry.signature())
            }
        };
        prop_assert!(caught);
    }

    /// Whatever bytes arrive, parsing returns a value or an error: it never panics.
    #[test]
    fn parsing_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = UnverifiedEntry::parse(bytes);
    }

    /// Sealing then parsing gives back the same header and plaintext for any document.
    #[test]
    fn seal_parse_open_round_trip(doc in "[ -~]{0,300}", id in "[a-z0-9_-]{1,40}", clock in any::<i64>()) {
        let draft = Draft {
            kind: EntryKind::Create,
            doc_id: DocId::new(id).unwrap(),
            parents: vec![],
            clock: AuthorClock(clock),
            signer_role: "app".into(),
        };
        let sealed = seal(draft, doc.as_bytes(), &vector_key(), &vector_identity(), Nonce::random().unwrap()).unwrap();
        let parsed = UnverifiedEntry::parse(sealed.bytes().to_vec()).unwrap().verify().unwrap();
        prop_assert_eq!(parsed.header(), sealed.header());
        let plain = open(&parsed, &vector_key()).unwrap();
        prop_assert_eq!(plain.as_slice(), doc.as_bytes());
    }

    /// Document ids are refused exactly when they hold a control character (Unicode Cc), as
    /// `char::is_control` defines it, whichever characters surround it.
    #[test]
    fn doc_ids_with_control_characters_are_refused(
        id in prop::collection::vec(
            prop_oneof![
                any::<char>(),
                prop::char::range('\u{0}', '\u{1f}'),
                prop::char::range('\u{7f}', '\u{a1}'),
            ],
            1..40,
        )
    ) {
        let id: String = id.into_iter().collect();
        let expected = id.len() <= MAX_DOC_ID_LEN && !id.chars().any(char::is_control);
        prop_assert_eq!(DocId::new(id).is_ok(), expected);
    }
}
