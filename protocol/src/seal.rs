//! Sealing a document revision into an entry (format 1 signed alone, format 2 for a commit to
//! sign), and opening it again with the key.
//!
//! Invariants:
//! - `seal` never returns an entry that `UnverifiedEntry::parse(..)?.verify()` would reject;
//!   `seal_entry` never one that `parse` would reject.
//! - `open` returns plaintext only when the key is the one the header names and the AEAD tag
//!   authenticates both ciphertext and header; otherwise an error, never garbage.
//!
//! See: docs/FORMAT.md#payload

use aes_gcm_siv::aead::{AeadInOut, KeyInit};
use aes_gcm_siv::{Aes256GcmSiv, Key};
use zeroize::Zeroizing;

use crate::entry::{
    Draft, Entry, EntryFormat, Header, SIGNATURE_LEN, SealedEntry, TAG_LEN, VerifiedEntry,
};
use crate::{AuthorKey, DataKey, EntryHash, Error, Identity, Nonce, Result};

/// Decrypted document bytes; zeroized on drop.
pub type Plaintext = Zeroizing<Vec<u8>>;

/// Encrypts `plaintext` under `key`, binds it to the header, hashes and signs: a format-1
/// entry that carries its own signature.
///
/// `nonce` is normally `Nonce::random()`; fixed nonces exist for test vectors.
pub fn seal(
    draft: Draft,
    plaintext: &[u8],
    key: &DataKey,
    signer: &Identity,
    nonce: Nonce,
) -> Result<VerifiedEntry> {
    let entry = encrypt(
        EntryFormat::V1,
        draft,
        plaintext,
        key,
        signer.public(),
        nonce,
        |hash| signer.sign(&hash.0),
    )?;
    Ok(VerifiedEntry::sealed_here(entry))
}

/// Encrypts `plaintext` under `key`, binds it to the header and hashes: a format-2 entry by
/// `author`, which becomes storable when `sign_commit` signs it with the transaction's other
/// entries (one signature for all of them).
pub fn seal_entry(
    draft: Draft,
    plaintext: &[u8],
    key: &DataKey,
    author: AuthorKey,
    nonce: Nonce,
) -> Result<SealedEntry> {
    let entry = encrypt(
        EntryFormat::V2,
        draft,
        plaintext,
        key,
        author,
        nonce,
        |_| unreachable!("format 2 entries are not signed alone"),
    )?;
    Ok(SealedEntry::new(entry))
}

/// Header, then the plaintext encrypted in place behind it, then the tag, hash and (format 1)
/// signature: one buffer, no copy of the ciphertext.
fn encrypt(
    format: EntryFormat,
    draft: Draft,
    plaintext: &[u8],
    key: &DataKey,
    author: AuthorKey,
    nonce: Nonce,
    sign: impl FnOnce(&EntryHash) -> [u8; 64],
) -> Result<Entry> {
    let header = Header::new(
        format,
        draft,
        key.key_ref().clone(),
        author,
        nonce,
        plaintext.len(),
    )?;
    let mut bytes = header.encode();
    let header_len = bytes.len();
    bytes.reserve(plaintext.len() + TAG_LEN + SIGNATURE_LEN);
    bytes.extend_from_slice(plaintext);
    let (aad, body) = bytes.split_at_mut(header_len);
    let tag = cipher(key)
        .encrypt_inout_detached(&nonce.0.into(), aad, body.into())
        .map_err(|_| Error::Oversize {
            field: "payload",
            len: plaintext.len(),
            max: crate::MAX_PAYLOAD_LEN,
        })?;
    bytes.extend_from_slice(&tag);
    Ok(Entry::assemble(header, header_len, bytes, sign))
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
