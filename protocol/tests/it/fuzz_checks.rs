//! What the fuzz targets check, shared by path with `fuzz/fuzz_targets/*.rs` so that the stable
//! corpus replay (`fuzz_corpus.rs`) and libFuzzer run the same code.
//!
//! Invariants:
//! - Any input either fails to decode with an `Err` or decodes to a value that re-encodes to
//!   exactly the input (canonical encoding); nothing panics.
//! - Only the public API of `mindoodb_protocol` is used (this file compiles in two crates).

use mindoodb_protocol::{DataKey, Identity, KdfParams, KeyName, UnverifiedEntry, open};
use zeroize::Zeroizing;

/// Sealed-entry bytes: parse, re-encode, hash, verify, open with the vectors' key.
pub(crate) fn sealed_entry(bytes: &[u8]) {
    let Ok(entry) = UnverifiedEntry::parse(bytes.to_vec()) else {
        return;
    };
    assert_eq!(entry.bytes(), bytes, "an entry keeps its bytes");
    assert_eq!(
        entry.header().encode(),
        entry.header_bytes(),
        "a decoded header re-encodes to its bytes"
    );
    let _ = entry.hash();
    let Ok(verified) = entry.verify() else {
        return;
    };
    let key = DataKey::from_secret(
        KeyName::new("default").expect("valid key name"),
        1,
        Zeroizing::new([0x11; 32]),
    )
    .expect("valid key");
    let _ = open(&verified, &key);
}

/// Key tokens, identity tokens and stored argon2id parameters.
pub(crate) fn token(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        if let Ok(key) = DataKey::from_token(text) {
            assert_eq!(key.token().as_str(), text, "a key token is canonical");
        }
        if let Ok(identity) = Identity::from_token(text) {
            assert_eq!(
                identity.token().as_str(),
                text,
                "an identity token is canonical"
            );
        }
    }
    if let Ok(params) = KdfParams::decode(bytes) {
        assert_eq!(
            params.encode().as_slice(),
            bytes,
            "KDF parameters are canonical"
        );
    }
}
