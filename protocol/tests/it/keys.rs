//! Keys and tokens: round trips, redaction, key check values, passphrase derivation.

use mindoodb_protocol::{DataKey, Error, Identity, KdfParams, KeyName};

use crate::vector_key;

#[test]
fn data_key_token_round_trips() {
    let key = DataKey::generate(KeyName::new("hr").unwrap(), 3).unwrap();
    let token = key.token();
    assert!(token.starts_with("mdbk1.hr.3."));
    let back = DataKey::from_token(&token).unwrap();
    assert_eq!(back.key_ref(), key.key_ref());
    assert_eq!(back.kcv(), key.kcv());
}

#[test]
fn identity_token_round_trips() {
    let id = Identity::generate().unwrap();
    let back = Identity::from_token(&id.token()).unwrap();
    assert_eq!(back.public(), id.public());
}

#[test]
fn debug_output_never_shows_secrets() {
    let key = vector_key();
    let token = key.token();
    let secret_part = token.rsplit('.').next().unwrap();
    let shown = format!("{key:?}");
    assert!(!shown.contains(secret_part), "{shown}");
    assert!(shown.contains("redacted"));
    let id = Identity::from_seed(&[0x22; 32]);
    let id_token = id.token();
    let id_secret = id_token.strip_prefix("mdbi1.").unwrap();
    assert!(!format!("{id:?}").contains(id_secret));
}

#[test]
fn bad_tokens_are_refused_without_echoing_them() {
    let good = vector_key().token();
    let cases = [
        "".to_string(),
        "mdbk2.default.1.AAAA".into(),
        "mdbk1.default.x.".to_string() + &"A".repeat(43),
        "mdbk1.Default.1.".to_string() + &"A".repeat(43),
        "mdbk1.default.0.".to_string() + &"A".repeat(43),
        // Versions have one spelling (found by the token fuzz target).
        "mdbk1.default.01.".to_string() + &"A".repeat(43),
        "mdbk1.default.+1.".to_string() + &"A".repeat(43),
        "mdbk1.default..".to_string() + &"A".repeat(43),
        "mdbk1.default.1.".to_string() + &"A".repeat(42),
        "mdbk1.default.1.".to_string() + &"!".repeat(43),
        format!("{}x", good.as_str()),
    ];
    for case in cases {
        let err = DataKey::from_token(&case).unwrap_err();
        assert!(matches!(err, Error::BadToken(_)), "{case}: {err}");
        if case.len() > 20 {
            assert!(
                !err.to_string().contains(&case[16..]),
                "error echoes the token"
            );
        }
    }
    assert!(Identity::from_token("mdbi1.short").is_err());
    assert!(Identity::from_token(good.as_str()).is_err());
}

#[test]
fn kcv_tells_keys_apart_and_is_stable() {
    let a = vector_key();
    let b = DataKey::generate(KeyName::new("default").unwrap(), 1).unwrap();
    assert_ne!(a.kcv(), b.kcv());
    assert_eq!(a.kcv(), vector_key().kcv());
}

#[test]
fn passphrase_keys_derive_deterministically_from_stored_params() {
    let params = KdfParams::with_cost(256, 1, 1).unwrap();
    let name = KeyName::new("finance").unwrap();
    let a = DataKey::from_passphrase(name.clone(), 1, b"correct horse", &params).unwrap();
    let b = DataKey::from_passphrase(
        name.clone(),
        1,
        b"correct horse",
        &KdfParams::decode(&params.encode()).unwrap(),
    )
    .unwrap();
    let c = DataKey::from_passphrase(name, 1, b"wrong horse", &params).unwrap();
    assert_eq!(a.kcv(), b.kcv());
    assert_ne!(a.kcv(), c.kcv());
}

#[test]
fn key_names_are_restricted() {
    assert!(KeyName::new("default").is_ok());
    assert!(KeyName::new("team_a-2").is_ok());
    for bad in ["", "Default", "a.b", "a b", &"k".repeat(65)] {
        assert!(KeyName::new(bad).is_err(), "{bad}");
    }
}
