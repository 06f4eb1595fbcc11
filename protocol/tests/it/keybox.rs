//! Key boxes (keyring files and key exports): the v1 keyring vector is golden, a wrong
//! passphrase or any altered byte fails to open, and hostile headers are refused before any
//! expensive derivation.

use std::path::PathBuf;

use mindoodb_protocol::{
    BoxKind, DataKey, KdfParams, KeyName, Nonce, Secrets, WrapKey, export_text, open_box,
    parse_export_text, peek_box, seal_box,
};
use zeroize::Zeroizing;

use crate::{vector_identity, vector_key};

const PASSPHRASE: &[u8] = b"correct horse battery staple";

fn vector_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/v1/keyring.bin")
}

/// 1 MiB, one pass: cheap enough for a test, and fixed so the bytes are.
fn vector_params() -> KdfParams {
    KdfParams {
        m_kib: 1024,
        t_cost: 1,
        p_cost: 1,
        salt: [0x77; 16],
    }
}

fn key(name: &str, version: u32, byte: u8) -> DataKey {
    DataKey::from_secret(
        KeyName::new(name).unwrap(),
        version,
        Zeroizing::new([byte; 32]),
    )
    .unwrap()
}

/// `default` v1 (the entry vectors' key), `default` v2 and `hr` v1, and the vectors' identity.
fn vector_secrets() -> Secrets {
    let mut secrets = Secrets::default();
    for k in [vector_key(), key("default", 2, 0x12), key("hr", 1, 0x66)] {
        secrets.keys.insert(k.key_ref().clone(), k);
    }
    secrets.identity = Some(vector_identity());
    secrets
}

fn wrap() -> WrapKey {
    WrapKey::derive(PASSPHRASE, vector_params()).unwrap()
}

#[test]
fn sealing_fixed_inputs_reproduces_the_v1_keyring_vector() {
    let bytes = seal_box(
        BoxKind::Keyring,
        &vector_secrets(),
        &wrap(),
        Nonce([0x88; 12]),
    )
    .unwrap();
    if std::env::var_os("MINDOODB_BLESS").is_some() {
        std::fs::write(vector_path(), &bytes).unwrap();
    }
    let golden = std::fs::read(vector_path()).unwrap();
    assert_eq!(
        bytes, golden,
        "the keyring vector changed: that is a format change"
    );
}

#[test]
fn the_v1_keyring_vector_opens_with_its_passphrase() {
    let golden = std::fs::read(vector_path()).unwrap();
    let (kind, params) = peek_box(&golden).unwrap();
    assert_eq!(kind, BoxKind::Keyring);
    assert_eq!(params, vector_params());
    let secrets = open_box(BoxKind::Keyring, &golden, &wrap()).unwrap();
    let refs: Vec<String> = secrets.keys.keys().map(ToString::to_string).collect();
    assert_eq!(refs, ["default.1", "default.2", "hr.1"]);
    for (key_ref, key) in &secrets.keys {
        let expected = vector_secrets().keys.remove(key_ref).unwrap();
        assert_eq!(key.kcv(), expected.kcv(), "{key_ref}");
    }
    assert_eq!(
        secrets.identity.unwrap().public(),
        vector_identity().public()
    );
}

#[test]
fn a_wrong_passphrase_and_altered_bytes_fail_alike() {
    let golden = std::fs::read(vector_path()).unwrap();
    let wrong = WrapKey::derive(b"Correct horse battery staple", vector_params()).unwrap();
    let err = open_box(BoxKind::Keyring, &golden, &wrong).unwrap_err();
    assert!(err.to_string().contains("wrong passphrase"), "{err}");
    // Every byte counts: the header is checked or authenticated, the rest is under the tag.
    for at in (0..golden.len()).step_by(3) {
        let mut altered = golden.clone();
        altered[at] ^= 0x01;
        assert!(
            open_box(BoxKind::Keyring, &altered, &wrap()).is_err(),
            "byte {at} flipped"
        );
    }
    let mut kind_changed = golden.clone();
    kind_changed[5] = 2;
    assert!(open_box(BoxKind::Export, &kind_changed, &wrap()).is_err());
}

#[test]
fn a_box_opens_only_as_its_own_kind() {
    let secrets = vector_secrets();
    let export = seal_box(BoxKind::Export, &secrets, &wrap(), Nonce([1; 12])).unwrap();
    let err = open_box(BoxKind::Keyring, &export, &wrap()).unwrap_err();
    assert!(err.to_string().contains("key export"), "{err}");
    assert_eq!(
        open_box(BoxKind::Export, &export, &wrap())
            .unwrap()
            .keys
            .len(),
        3
    );
}

#[test]
fn export_text_round_trips_and_names_its_prefix() {
    let bytes = seal_box(
        BoxKind::Export,
        &Secrets::default(),
        &wrap(),
        Nonce([2; 12]),
    )
    .unwrap();
    let text = export_text(&bytes);
    assert!(text.starts_with("mdbx1."));
    assert_eq!(parse_export_text(&format!("  {text}\n")).unwrap(), bytes);
    assert!(parse_export_text("mdbk1.default.1.abc").is_err());
    assert!(parse_export_text("mdbx1.not base64!").is_err());
    let empty = open_box(BoxKind::Export, &bytes, &wrap()).unwrap();
    assert!(empty.keys.is_empty() && empty.identity.is_none());
}

#[test]
fn hostile_kdf_costs_are_refused_before_deriving() {
    let greedy = KdfParams {
        m_kib: 4 * 1024 * 1024,
        ..vector_params()
    };
    assert!(WrapKey::derive(PASSPHRASE, greedy).is_err());
    let slow = KdfParams {
        t_cost: 1000,
        ..vector_params()
    };
    assert!(WrapKey::derive(PASSPHRASE, slow).is_err());
}

#[test]
fn truncated_and_foreign_bytes_are_not_boxes() {
    let golden = std::fs::read(vector_path()).unwrap();
    assert!(peek_box(&golden[..20]).is_err());
    assert!(open_box(BoxKind::Keyring, &golden[..60], &wrap()).is_err());
    let mut magic = golden.clone();
    magic[0] = b'X';
    assert!(peek_box(&magic).is_err());
    let mut version = golden;
    version[4] = 9;
    assert!(peek_box(&version).is_err());
}

#[test]
fn a_key_filed_under_the_wrong_ref_is_not_sealed() {
    let mut secrets = Secrets::default();
    let k = key("default", 1, 5);
    secrets.keys.insert(key("other", 1, 5).key_ref().clone(), k);
    assert!(seal_box(BoxKind::Keyring, &secrets, &wrap(), Nonce([0; 12])).is_err());
}
