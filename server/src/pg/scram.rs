//! SCRAM-SHA-256 logins: serving the verifiers of the role records in the store
//! (`verifier.rs` makes and parses them) to pgwire's SCRAM exchange.
//!
//! Invariants:
//! - An unknown role, or one whose verifier does not parse, gets a mock verifier that never
//!   authenticates, with a salt that is stable per role name for the life of the process, so
//!   the exchange does not tell which roles exist.
//! - No channel binding is configured: libpq refuses `-PLUS` offered over plain TCP.

use std::fmt;

use async_trait::async_trait;
use mindoodb_storage::Store;
use pgwire::api::auth::sasl::scram::{ScramSecret, gen_salted_password, random_nonce};
use pgwire::api::auth::{AuthSource, LoginInfo, Password};
use pgwire::error::{PgWireError, PgWireResult};

use crate::verifier::{self, ITERATIONS};

/// Serves stored SCRAM verifiers to pgwire's SCRAM mechanism.
pub(crate) struct RoleVerifiers {
    store: Store,
    /// Keys the mock salt of unknown roles; random per process.
    mock_secret: String,
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
            iterations: ITERATIONS as usize,
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

/// A stored verifier as pgwire's SCRAM mechanism takes it; `None` when it does not parse.
fn parse_verifier(auth: &[u8]) -> Option<ScramSecret> {
    let verifier = verifier::parse(auth)?;
    Some(ScramSecret::Verifier {
        salt: verifier.salt,
        iterations: verifier.iterations as usize,
        stored_key: verifier.stored_key,
        server_key: verifier.server_key,
    })
}

#[cfg(test)]
mod tests {
    use pgwire::api::auth::sasl::scram::gen_salted_password;

    use super::*;

    /// Our verifiers are the ones pgwire's SCRAM exchange checks logins against.
    #[test]
    fn verifiers_agree_with_pgwire() {
        for password in ["pencil", "p\u{00e4}ss w\u{2003}rd", ""] {
            let ours = parse_verifier(&verifier::make(password)).unwrap();
            let ScramSecret::Verifier {
                salt, iterations, ..
            } = &ours
            else {
                panic!("not a verifier");
            };
            let salted = gen_salted_password(password, salt, *iterations);
            let theirs =
                ScramSecret::verifier_from_salted_password(salt.clone(), salted, *iterations);
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        }
    }
}
