//! SCRAM-SHA-256 verifiers, the only form in which a role's password is kept: made for
//! `CREATE/ALTER ROLE ... PASSWORD` and the bootstrap role, read back by the wire layer's
//! SCRAM exchange (`pg/scram.rs`).
//!
//! Invariants:
//! - Only verifiers are stored (`SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>`, the
//!   format Postgres keeps in `pg_authid.rolpassword`); never a password or salted password.
//! - Passwords are normalised with SASLprep before hashing, as Postgres and libpq do (a
//!   password SASLprep refuses is used as it is, as Postgres does).

use std::num::NonZeroU32;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::{digest, hmac, pbkdf2};

/// PBKDF2 iterations for new verifiers: the Postgres default.
pub(crate) const ITERATIONS: u32 = 4096;

/// Salt bytes of new verifiers: the Postgres default.
const SALT_LEN: usize = 16;

const PREFIX: &str = "SCRAM-SHA-256$";

/// A parsed verifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verifier {
    pub(crate) salt: Vec<u8>,
    pub(crate) iterations: u32,
    pub(crate) stored_key: Vec<u8>, // Invariant: 32 bytes.
    pub(crate) server_key: Vec<u8>, // Invariant: 32 bytes.
}

/// Makes the verifier stored in `RoleRecord.auth` for `password`. An empty result (the OS
/// gave no random salt) never parses, so the role cannot log in: it fails closed.
pub(crate) fn make(password: &str) -> Vec<u8> {
    let mut salt = [0u8; SALT_LEN];
    if getrandom::fill(&mut salt).is_err() {
        return Vec::new();
    }
    derive(password, &salt, ITERATIONS).encode()
}

/// The verifier of `password` with `salt` and `iterations`.
pub(crate) fn derive(password: &str, salt: &[u8], iterations: u32) -> Verifier {
    let normalized = stringprep::saslprep(password);
    let password = normalized.as_deref().unwrap_or(password);
    let mut salted = [0u8; 32];
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        NonZeroU32::new(iterations).unwrap_or(NonZeroU32::MIN),
        salt,
        password.as_bytes(),
        &mut salted,
    );
    let key = hmac::Key::new(hmac::HMAC_SHA256, &salted);
    let client_key = hmac::sign(&key, b"Client Key");
    Verifier {
        salt: salt.to_vec(),
        iterations,
        stored_key: digest::digest(&digest::SHA256, client_key.as_ref())
            .as_ref()
            .to_vec(),
        server_key: hmac::sign(&key, b"Server Key").as_ref().to_vec(),
    }
}

/// Parses a stored verifier; `None` when it is not one.
pub(crate) fn parse(auth: &[u8]) -> Option<Verifier> {
    let text = std::str::from_utf8(auth).ok()?.strip_prefix(PREFIX)?;
    let (iter_salt, keys) = text.split_once('$')?;
    let (iterations, salt) = iter_salt.split_once(':')?;
    let (stored_key, server_key) = keys.split_once(':')?;
    let verifier = Verifier {
        salt: STANDARD.decode(salt).ok()?,
        iterations: iterations.parse().ok()?,
        stored_key: STANDARD.decode(stored_key).ok()?,
        server_key: STANDARD.decode(server_key).ok()?,
    };
    (verifier.iterations >= 1 && verifier.stored_key.len() == 32 && verifier.server_key.len() == 32)
        .then_some(verifier)
}

impl Verifier {
    fn encode(&self) -> Vec<u8> {
        format!(
            "{PREFIX}{}:{}${}:{}",
            self.iterations,
            STANDARD.encode(&self.salt),
            STANDARD.encode(&self.stored_key),
            STANDARD.encode(&self.server_key)
        )
        .into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifier_round_trips_and_holds_no_password() {
        let verifier = make("pencil");
        let text = String::from_utf8(verifier.clone()).unwrap();
        assert!(text.starts_with("SCRAM-SHA-256$4096:"));
        assert!(!text.contains("pencil"));
        let parsed = parse(&verifier).unwrap();
        assert_eq!(parsed.iterations, 4096);
        assert_eq!(parsed.salt.len(), SALT_LEN);
    }

    #[test]
    fn verifiers_are_salted() {
        assert_ne!(make("pencil"), make("pencil"));
    }

    #[test]
    fn garbage_is_not_a_verifier() {
        for bad in [
            &b""[..],
            b"md5abc",
            b"SCRAM-SHA-256$x:AA==$AA==:AA==",
            b"\xff",
        ] {
            assert!(parse(bad).is_none());
        }
    }
}
