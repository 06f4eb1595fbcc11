//! SCRAM-SHA-256 verifiers: making them for `CREATE/ALTER ROLE ... PASSWORD`, and serving them
//! to pgwire's SCRAM exchange from the role records in the store.
//!
//! Invariants:
//! - Only verifiers are stored (`SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>`, the
//!   format Postgres keeps in `pg_authid.rolpassword`); never a password or salted password.
//! - An unknown role, or one whose verifier does not parse, gets a mock verifier that never
//!   authenticates, with a salt that is stable per role name for the life of the process, so
//!   the exchange does not tell which roles exist.
//! - No channel binding is configured: libpq refuses `-PLUS` offered over plain TCP.

use std::fmt;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use mindoodb_storage::Store;
use pgwire::api::auth::sasl::scram::{ScramSecret, gen_salted_password, random_nonce};
use pgwire::api::auth::{AuthSource, LoginInfo, Password};
use pgwire::error::{PgWireError, PgWireResult};

/// PBKDF2 iterations for new verifiers: the Postgres default.
pub(crate) const ITERATIONS: usize = 4096;

const PREFIX: &str = "SCRAM-SHA-256$";

/// Serves stored SCRAM verifiers to pgwire's SCRAM mechanism.
pub(crate) struct RoleVerifiers {
    store: Store,
    /// Keys the mock salt of unknown roles; random per process.
    mock_secret: String,
}

/// Makes the verifier stored in `RoleRecord.auth` for `password`.
pub(crate) fn make_verifier(password: &str) -> Vec<u8> {
    // pgwire's nonce generator gives 144 random bits as 24 base64 bytes; any bytes are a valid
    // salt, and it keeps this function infallible.
    let salt = random_nonce().into_bytes();
    let salted_password = gen_salted_password(password, &salt, ITERATIONS);
    match ScramSecret::verifier_from_salted_password(salt, salted_password, ITERATIONS) {
        ScramSecret::Verifier {
            salt,
            iterations,
            stored_key,
            server_key,
        } => format!(
            "{PREFIX}{iterations}:{}${}:{}",
            STANDARD.encode(salt),
            STANDARD.encode(stored_key),
            STANDARD.encode(server_key)
        )
        .into_bytes(),
        ScramSecret::SaltedPassword { .. } => {
            debug_assert!(
                false,
                "verifier_from_salted_password returned a salted password"
            );
            // An empty verifier never parses, so the role cannot log in: fail closed.
            Vec::new()
        }
    }
}

impl RoleVerifiers {
    /// Verifiers from the roles in `store`.
    pub(crate) fn new(store: Store) -> RoleVerifiers {
        RoleVerifiers {
            store,
            mock_secret: random_nonce(),
        }
    }

    fn mock(&self, role: &str) -> ScramSecret {
        // PBKDF2 with one iteration is HMAC-SHA-256: a keyed, stable salt per role name.
        let mut salt = gen_salted_password(role, self.mock_secret.as_bytes(), 1);
        salt.truncate(16);
        ScramSecret::Verifier {
            salt,
            iterations: ITERATIONS,
            // No client key hashes to all zeros, so the proof check always fails.
            stored_key: vec![0; 32],
            server_key: vec![0; 32],
        }
    }
}

impl fmt::Debug for RoleVerifiers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RoleVerifiers").finish_non_exhaustive()
    }
}

#[async_trait]
impl AuthSource for RoleVerifiers {
    async fn get_password(&self, login: &LoginInfo) -> PgWireResult<Password> {
        // Only SCRAM is configured, and it calls `get_scram_secret`; nothing can be
        // recovered from a verifier, so there is no password to return.
        Err(PgWireError::InvalidPassword(
            login.user().unwrap_or_default().to_owned(),
        ))
    }

    async fn get_scram_secret(&self, login: &LoginInfo) -> PgWireResult<(ScramSecret, Option<()>)> {
        let role = login.user().unwrap_or_default();
        let stored = match self.store.role(role) {
            Ok(Some(record)) => parse_verifier(&record.auth),
            Ok(None) => None,
            Err(err) => {
                // The exchange fails like a wrong password; the operator sees why.
                tracing::error!(error = %err, "reading a role for authentication failed");
                None
            }
        };
        Ok((stored.unwrap_or_else(|| self.mock(role)), None))
    }
}

/// Parses a stored verifier; `None` when it is not one.
fn parse_verifier(auth: &[u8]) -> Option<ScramSecret> {
    let text = std::str::from_utf8(auth).ok()?.strip_prefix(PREFIX)?;
    let (iter_salt, keys) = text.split_once('$')?;
    let (iterations, salt) = iter_salt.split_once(':')?;
    let (stored_key, server_key) = keys.split_once(':')?;
    let secret = ScramSecret::Verifier {
        salt: STANDARD.decode(salt).ok()?,
        iterations: iterations.parse().ok()?,
        stored_key: STANDARD.decode(stored_key).ok()?,
        server_key: STANDARD.decode(server_key).ok()?,
    };
    match &secret {
        ScramSecret::Verifier {
            iterations,
            stored_key,
            server_key,
            ..
        } if *iterations >= 1 && stored_key.len() == 32 && server_key.len() == 32 => Some(secret),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifier_round_trips_and_holds_no_password() {
        let verifier = make_verifier("pencil");
        let text = String::from_utf8(verifier.clone()).unwrap();
        assert!(text.starts_with("SCRAM-SHA-256$4096:"));
        assert!(!text.contains("pencil"));
        assert!(matches!(
            parse_verifier(&verifier),
            Some(ScramSecret::Verifier {
                iterations: 4096,
                ..
            })
        ));
    }

    #[test]
    fn verifiers_are_salted() {
        assert_ne!(make_verifier("pencil"), make_verifier("pencil"));
    }

    #[test]
    fn garbage_is_not_a_verifier() {
        for bad in [
            &b""[..],
            b"md5abc",
            b"SCRAM-SHA-256$x:AA==$AA==:AA==",
            b"\xff",
        ] {
            assert!(parse_verifier(bad).is_none());
        }
    }
}
