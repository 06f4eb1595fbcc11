//! Connection startup: SCRAM-SHA-256 authentication, then the engine login that opens the
//! connection's `Session`, then the server parameters and cancel key.
//!
//! Invariants:
//! - A connection gets a `Session` only after SCRAM succeeded and `Engine::login` accepted the
//!   role and database; every later handler finds it in `session_extensions`.
//! - Startup failures are FATAL: wrong password 28P01, unknown database 3D000, role not
//!   granted 42501, role without LOGIN 28000; with --tls-only a plaintext TCP startup 28000,
//!   and a source over its failed-password budget (`AuthLimiter`) 28000 before any password
//!   check.
//! - Every failed password is logged at warn level with the peer (a Unix client with its uid,
//!   gid and pid), the role and the count of that source's failures in the last minute.
//! - Keys may be presented without TLS, and a local node's keyring is given, only when the
//!   peer is local (`Peer::is_local`: loopback TCP or a Unix socket).
//! - The startup `options` (which may carry `mindoo.keys`) are removed from the connection's
//!   metadata as soon as they arrive and zeroized; only the parsed keys wait, zeroizing, for
//!   the login. Options are never logged.

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::{Arc, PoisonError};

use async_trait::async_trait;
use futures::Sink;
use pgwire::api::auth::driver::AuthOutcome;
use pgwire::api::auth::mechanism::AuthMechanismFactory as _;
use pgwire::api::auth::sasl::scram::ScramAuth;
use pgwire::api::auth::{
    AuthDriver, DefaultServerParameterProvider, ServerParameterProvider, StartupHandler,
    protocol_negotiation, save_startup_parameters_to_metadata,
};
use pgwire::api::{ClientInfo, ConnectionManager, METADATA_DATABASE, METADATA_USER};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};
use tokio::sync::{Mutex, OwnedSemaphorePermit, Semaphore};
use zeroize::Zeroizing;

use crate::auth_limit::AuthLimiter;
use crate::catalog::server_version;
use crate::engine::{Engine, Login, Session};
use crate::error::Error;
use crate::pg::error::{fatal, internal, to_pg_error};
use crate::pg::scram::RoleVerifiers;
use crate::pg::transport::Peer;
use crate::verifier::ITERATIONS;

/// The startup parameter holding `-c name=value` settings.
const METADATA_OPTIONS: &str = "options";
/// The setting that presents keys at connect time.
const KEYS_SETTING: &str = "mindoo.keys";

/// Authenticates connections and opens their sessions.
pub(crate) struct Startup {
    engine: Arc<Engine>,
    driver: AuthDriver<Arc<ServerParams>>,
    scram: ScramAuth,
    limiter: AuthLimiter,
    tls_only: bool,
    /// One permit per open connection past its startup message (`--max-connections`).
    slots: Arc<Semaphore>,
}

/// A connection's hold on one of the server's connection slots, released when it closes.
struct ConnectionSlot {
    _permit: OwnedSemaphorePermit,
}

/// `mindoo.keys` from the startup options, until the login takes it.
struct StartupKeys(std::sync::Mutex<Option<Zeroizing<String>>>);

/// pgwire's standard parameters, with `is_superuser` taken from the logged-in role.
struct ServerParams(DefaultServerParameterProvider);

impl Startup {
    /// A startup handler over `engine`'s roles, registering connections with `connections`
    /// so CancelRequests find them.
    pub(crate) fn new(
        engine: Arc<Engine>,
        connections: Arc<ConnectionManager>,
        limiter: AuthLimiter,
        tls_only: bool,
        max_connections: u32,
    ) -> Startup {
        let mut params = DefaultServerParameterProvider::default();
        params.server_version = server_version();
        let mut scram = ScramAuth::new(Arc::new(RoleVerifiers::new(engine.store().clone())));
        scram.set_iterations(ITERATIONS as usize);
        Startup {
            driver: AuthDriver::new(Arc::new(ServerParams(params)))
                .with_connection_manager(connections),
            scram,
            engine,
            limiter,
            tls_only,
            slots: Arc::new(Semaphore::new(max_connections as usize)),
        }
    }

    async fn advance<C>(
        &self,
        client: &mut C,
        outcome: PgWireResult<AuthOutcome>,
    ) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let peer = peer_of(client)?;
        let user = client
            .metadata()
            .get(METADATA_USER)
            .cloned()
            .unwrap_or_default();
        match outcome {
            Ok(AuthOutcome::InProgress) => Ok(()),
            Ok(AuthOutcome::Authenticated { final_message, .. }) => {
                let session = self.open_session(client, peer, &user)?;
                client.session_extensions().insert(Mutex::new(session));
                self.driver
                    .complete_authentication(client, final_message)
                    .await
            }
            Err(PgWireError::InvalidPassword(_)) => {
                let failures = self.limiter.record_failure(peer.source());
                tracing::warn!(%peer, user = %user, failures_last_minute = failures, "password authentication failed");
                // pgwire names the SCRAM user, which libpq leaves empty; name the role.
                Err(fatal(to_pg_error(&Error::InvalidPassword(user))))
            }
            Err(err) => {
                tracing::info!(%peer, user = %user, error = %err, "authentication failed");
                Err(err)
            }
        }
    }

    fn open_session<C: ClientInfo>(
        &self,
        client: &mut C,
        peer: Peer,
        user: &str,
    ) -> PgWireResult<Session> {
        let database = client
            .metadata()
            .get(METADATA_DATABASE)
            .cloned()
            .unwrap_or_else(|| user.to_owned());
        let startup_keys = client
            .session_extensions()
            .get::<StartupKeys>()
            .and_then(|keys| keys.0.lock().unwrap_or_else(PoisonError::into_inner).take());
        // Keys may travel over TLS or stay on this machine (loopback TCP, a Unix socket).
        let local = peer.is_local();
        let login = Login {
            role: user.to_owned(),
            database: database.clone(),
            secure: client.is_secure() || local,
            local,
            startup_keys,
            peer: Some(peer.client_addr()),
        };
        let session = match self.engine.login(login) {
            Ok(session) => session,
            Err(err) => {
                tracing::info!(%peer, user = %user, database = %database, "login refused");
                return Err(fatal(to_pg_error(&err)));
            }
        };
        tracing::info!(%peer, user = %user, database = %database, tls = client.is_secure(), "connection authorized");
        Ok(session)
    }
}

/// Who connected, as `connection.rs` filed it before the first message.
fn peer_of<C: ClientInfo>(client: &C) -> PgWireResult<Peer> {
    client
        .session_extensions()
        .get::<Peer>()
        .map(|peer| *peer)
        .ok_or_else(|| internal("a connection without its peer".to_owned()))
}

/// The connection's session, opened at startup; a query before it is an internal error.
pub(crate) fn session_of<C: ClientInfo + ?Sized>(client: &C) -> PgWireResult<Arc<Mutex<Session>>> {
    opened_session(client).ok_or_else(|| internal("query before the session was opened".to_owned()))
}

/// The connection's session if startup opened it yet: for the connection loop, which runs
/// before and after startup alike and must not report the time before as an error.
pub(crate) fn opened_session<C: ClientInfo + ?Sized>(client: &C) -> Option<Arc<Mutex<Session>>> {
    client.session_extensions().get::<Mutex<Session>>()
}

impl ServerParameterProvider for ServerParams {
    fn server_parameters<C: ClientInfo>(&self, client: &C) -> Option<HashMap<String, String>> {
        let mut params = self.0.server_parameters(client)?;
        // The session was opened just before the parameters are sent, and nothing else
        // holds its lock yet; pgwire also asks before the session exists, which is no error.
        let superuser = opened_session(client).and_then(|session| {
            session
                .try_lock()
                .ok()
                .map(|session| session.role().superuser)
        });
        if let Some(superuser) = superuser {
            let value = if superuser { "on" } else { "off" };
            params.insert("is_superuser".to_owned(), value.to_owned());
        }
        Some(params)
    }
}

#[async_trait]
impl StartupHandler for Startup {
    async fn on_startup<C>(
        &self,
        client: &mut C,
        message: PgWireFrontendMessage,
    ) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        match message {
            PgWireFrontendMessage::Startup(ref startup) => {
                let peer = peer_of(client)?;
                // A Unix socket never leaves the machine: --tls-only is about TCP, as
                // PostgreSQL's `hostssl` lines are.
                if self.tls_only && !client.is_secure() && matches!(peer, Peer::Tcp(_)) {
                    tracing::info!(%peer, "plaintext connection refused (--tls-only)");
                    return Err(fatal(to_pg_error(&Error::TlsRequired)));
                }
                let Ok(slot) = self.slots.clone().try_acquire_owned() else {
                    tracing::warn!(%peer, "connection refused: max_connections reached");
                    return Err(fatal(to_pg_error(&Error::TooManyConnections)));
                };
                client
                    .session_extensions()
                    .insert(ConnectionSlot { _permit: slot });
                if self.limiter.is_blocked(peer.source()) {
                    tracing::warn!(%peer, "authentication refused: too many failed attempts in the last minute");
                    return Err(fatal(to_pg_error(&Error::TooManyAuthFailures)));
                }
                protocol_negotiation(client, startup).await?;
                save_startup_parameters_to_metadata(client, startup);
                // Keep only the keys, zeroized on drop, not the options text that carried
                // them, for the time authentication takes.
                let keys = client
                    .metadata_mut()
                    .remove(METADATA_OPTIONS)
                    .map(Zeroizing::new)
                    .and_then(|options| keys_option(&options));
                client
                    .session_extensions()
                    .insert(StartupKeys(std::sync::Mutex::new(keys)));
                let outcome = self
                    .driver
                    .begin_authentication(client, self.scram.create())
                    .await;
                self.advance(client, outcome).await
            }
            PgWireFrontendMessage::PasswordMessageFamily(message) => {
                let outcome = self.driver.advance_authentication(client, message).await;
                self.advance(client, outcome).await
            }
            _ => Ok(()),
        }
    }
}

/// The value of `-c mindoo.keys=...` (or `--mindoo.keys=...`) in a startup `options` string,
/// which separates arguments by spaces and escapes a literal space or backslash with `\`.
pub(crate) fn keys_option(options: &str) -> Option<Zeroizing<String>> {
    let mut args: Zeroizing<Vec<String>> = Zeroizing::new(Vec::new());
    let mut current = String::new();
    let mut chars = options.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next()),
            c if c.is_whitespace() => {
                if !current.is_empty() {
                    args.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        args.push(current);
    }
    let mut found = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let setting = match arg.as_str() {
            "-c" => iter.next().map(String::as_str),
            other => other
                .strip_prefix("-c")
                .or_else(|| other.strip_prefix("--")),
        };
        if let Some((name, value)) = setting.and_then(|setting| setting.split_once('='))
            && name == KEYS_SETTING
        {
            // The last occurrence wins, as for repeated -c settings in Postgres.
            found = Some(Zeroizing::new(value.to_owned()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(options: &str) -> Option<String> {
        keys_option(options).map(|keys| keys.to_string())
    }

    #[test]
    fn finds_keys_in_startup_options() {
        assert_eq!(
            keys("-c mindoo.keys=mdbk1.a.1.x"),
            Some("mdbk1.a.1.x".into())
        );
        assert_eq!(
            keys("-cmindoo.keys=a,b -c search_path=x"),
            Some("a,b".into())
        );
        assert_eq!(keys("--mindoo.keys=a"), Some("a".into()));
        assert_eq!(keys("-c a=b -c mindoo.keys=x\\ y"), Some("x y".into()));
        assert_eq!(keys("-c search_path=x"), None);
        assert_eq!(keys(""), None);
    }
}
