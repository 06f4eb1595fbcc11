//! What the fuzz targets check, shared by path with `fuzz/fuzz_targets/*.rs` so that the stable
//! corpus replay (`fuzz_corpus.rs`) and libFuzzer run the same code.
//!
//! Invariants:
//! - Any input either fails to decode with an `Err` or decodes to a value that re-encodes to
//!   exactly the input (canonical encoding); nothing panics.
//! - Only the public API of `mindoodb_protocol` is used (this file compiles in two crates).

use mindoodb_protocol::{
    DataKey, Identity, InclusionPath, KdfParams, KeyName, UnverifiedCommit, UnverifiedEntry,
    UnverifiedReceipt, entry_len, open,
};
use zeroize::Zeroizing;

/// Sealed-entry bytes (either format): parse, re-encode, hash, verify, open with the vectors'
/// key; the same bytes as a commit, a receipt and an inclusion path.
pub(crate) fn sealed_entry(bytes: &[u8]) {
    format_2_records(bytes);
    let Ok(entry) = UnverifiedEntry::parse(bytes.to_vec()) else {
        return;
    };
    assert_eq!(entry.bytes(), bytes, "an entry keeps its bytes");
    assert_eq!(
        entry_len(bytes).ok(),
        Some(bytes.len()),
        "the fixed header gives the entry's length"
    );
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

/// Commits, receipts and paths: parse (and verify) or refuse; a path re-encodes to its bytes.
fn format_2_records(bytes: &[u8]) {
    if let Ok(commit) = UnverifiedCommit::parse(bytes.to_vec()) {
        assert_eq!(commit.bytes(), bytes, "a commit keeps its bytes");
        assert!(commit.count() > 0, "a commit holds entries");
        let _ = commit.verify();
    }
    if let Ok(receipt) = UnverifiedReceipt::parse(bytes) {
        assert!(receipt.first() >= 1 && receipt.first() <= receipt.last());
        let _ = receipt.verify();
    }
    if let Ok(path) = InclusionPath::decode(bytes) {
        assert_eq!(path.encode(), bytes, "an inclusion path is canonical");
    }
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
