//! First start: on a store without roles, create the first role (superuser, login), its
//! tenant and the grant, like the `postgres` container does.
//!
//! Invariants:
//! - Runs only when the store has no roles; an existing store is never changed.
//! - A generated password is printed once, to stdout, by `print_generated_password`, never
//!   through `tracing`; a given password is never printed or logged.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mindoodb_storage::{RoleRecord, Store};
use zeroize::Zeroizing;

use crate::config::BootstrapConfig;
use crate::verifier;

/// Why the first role could not be created.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BootstrapError {
    /// The store refused a catalog change.
    #[error("creating the first role failed: {0}")]
    Storage(#[from] mindoodb_storage::Error),
    /// The operating system's random source failed.
    #[error("cannot generate a password: random source unavailable")]
    Rng,
}

/// What a bootstrap did.
pub(crate) enum Bootstrapped {
    /// The store already had roles.
    Existing,
    /// The first role was created with the configured password.
    Created,
    /// The first role was created with this generated password.
    Generated(Zeroizing<String>),
}

/// Creates the first role, tenant and grant if the store has no roles.
pub(crate) fn bootstrap(
    store: &Store,
    config: &BootstrapConfig,
) -> Result<Bootstrapped, BootstrapError> {
    if !store.roles()?.is_empty() {
        return Ok(Bootstrapped::Existing);
    }
    let generated = match config.password {
        Some(_) => None,
        None => Some(generate_password()?),
    };
    let password = config
        .password
        .as_ref()
        .or(generated.as_ref())
        .map_or("", |password| password.as_str());
    store.create_role(&RoleRecord {
        name: config.user.clone(),
        auth: verifier::make(password),
        login: true,
        superuser: true,
        inherit: true,
        member_of: Vec::new(),
        created: 0,
    })?;
    if store.tenant(&config.database).is_none() {
        let tenant = store.create_tenant(&config.database)?;
        store.update_tenant_access(tenant.id, |access| {
            access.owner.clone_from(&config.user);
            Ok::<(), mindoodb_storage::Error>(())
        })?;
    }
    store.grant(&config.user, &config.database)?;
    Ok(match generated {
        Some(password) => Bootstrapped::Generated(password),
        None => Bootstrapped::Created,
    })
}

/// Prints a generated password once, on its own clearly marked line.
pub(crate) fn print_generated_password(user: &str, password: &str) {
    // Deliberately println!, not tracing: log pipelines keep and ship lines; this one is
    // meant for the operator's eyes once.
    println!("mindoodb: generated password for role \"{user}\" (shown only once): {password}");
}

fn generate_password() -> Result<Zeroizing<String>, BootstrapError> {
    let mut bytes = Zeroizing::new([0u8; 18]);
    getrandom::fill(bytes.as_mut()).map_err(|_| BootstrapError::Rng)?;
    Ok(Zeroizing::new(URL_SAFE_NO_PAD.encode(bytes.as_ref())))
}
