//! Sealing a document revision into an entry, and opening it again with the key.
//!
//! Invariants:
//! - `seal` never returns an entry that `UnverifiedEntry::parse(..)?.verify()` would reject.
//! - `open` returns plaintext only when the key is the one the header names and the AEAD tag
//!   authenticates both ciphertext and header; otherwise an error, never garbage.
//!
//! See: docs/FORMAT.md#payload

use aes_gcm_siv::aead::{AeadInOut, KeyInit};
use aes_gcm_siv::{Aes256GcmSiv, Key};
use zeroize::Zeroizing;

use crate::entry::{Draft, Entry, Header, Nonce, TAG_LEN, VerifiedEntry};
use crate::{DataKey, Error, Identity, Result};

/// Decrypted document bytes; zeroized on drop.
pub type Plaintext = Zeroizing<Vec<u8>>;

/// Encrypts `plaintext` under `key`, binds it to the header, hashes and signs.
///
/// `nonce` is normally `Nonce::random()`; fixed nonces exist for test vectors.
pub fn seal(
    draft: Draft,
    plaintext: &[u8],
    key: &DataKey,
    signer: &Identity,
    nonce: Nonce,
) -> Result<VerifiedEntry> {
    let header = Header::new(
        draft,
        key.key_ref().clone(),
        signer.public(),
        nonce,
        plaintext.len(),
    )?;
    let header_bytes = header.encode();
    let cipher = cipher(key);
    let mut ciphertext = Vec::with_capacity(plaintext.len() + TAG_LEN);
    ciphertext.extend_from_slice(plaintext);
    let tag = cipher
        .encrypt_inout_detached(
            &nonce.0.into(),
            &header_bytes,
            ciphertext.as_mut_slice().into(),
        )
        .map_err(|_| Error::Oversize {
            field: "payload",
            len: plaintext.len(),
            max: crate::MAX_PAYLOAD_LEN,
        })?;
    ciphertext.extend_from_slice(&tag);
    let entry = Entry::assemble(header, header_bytes, &ciphertext, |hash| {
        signer.sign(&hash.0)
    });
    Ok(VerifiedEntry::sealed_here(entry))
}

/// Decrypts an entry's payload. Works on unverified entries too: the AEAD tag alone proves that
/// a holder of `key` wrote these bytes under this header.
pub fn open(entry: &Entry, key: &DataKey) -> Result<Plaintext> {
    let expected = entry.header().key();
    if expected != key.key_ref() {
        return Err(Error::WrongKey {
            expected: expected.to_string(),
            offered: key.key_ref().to_string(),
        });
    }
    let ciphertext = entry.ciphertext();
    let (body, tag) = ciphertext.split_at(ciphertext.len() - TAG_LEN);
    let mut plaintext = Zeroizing::new(body.to_vec());
    let tag: [u8; TAG_LEN] = tag
        .try_into()
        .map_err(|_| Error::Malformed("missing tag"))?;
    cipher(key)
        .decrypt_inout_detached(
            &entry.header().nonce().0.into(),
            entry.header_bytes(),
            plaintext.as_mut_slice().into(),
            &tag.into(),
        )
        .map_err(|_| Error::Decrypt)?;
    Ok(plaintext)
}

fn cipher(key: &DataKey) -> Aes256GcmSiv {
    Aes256GcmSiv::new(&Key::<Aes256GcmSiv>::from(*key.secret()))
}
