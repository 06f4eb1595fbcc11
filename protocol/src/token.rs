//! The text form of secrets: `mdbk1.` data-key tokens and `mdbi1.` identity tokens.
//!
//! Invariants:
//! - Tokens are base64url without padding over exactly 32 secret bytes.
//! - Decoding errors name the part that is wrong, never the token's text.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use zeroize::Zeroizing;

use crate::{Error, Result};

/// Prefix of a data-key token: `mdbk1.<name>.<version>.<secret>`.
pub(crate) const DATA_KEY_PREFIX: &str = "mdbk1.";
/// Prefix of an identity token: `mdbi1.<secret>`.
pub(crate) const IDENTITY_PREFIX: &str = "mdbi1.";

pub(crate) fn encode_secret(secret: &[u8; 32]) -> Zeroizing<String> {
    Zeroizing::new(URL_SAFE_NO_PAD.encode(secret))
}

pub(crate) fn decode_secret(text: &str) -> Result<Zeroizing<[u8; 32]>> {
    let mut out = Zeroizing::new([0u8; 32]);
    // 32 bytes are 43 base64 characters; anything else is not ours.
    if text.len() != 43 {
        return Err(Error::BadToken(
            "secret part must be 43 base64url characters",
        ));
    }
    let decoded = Zeroizing::new(
        URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| Error::BadToken("secret part is not base64url"))?,
    );
    if decoded.len() != 32 {
        return Err(Error::BadToken("secret part must hold 32 bytes"));
    }
    out.copy_from_slice(&decoded);
    Ok(out)
}
