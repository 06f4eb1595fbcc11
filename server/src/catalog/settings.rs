//! Session parameters for SET, SHOW, `current_setting` and `set_config`: the values drivers
//! read, plus whatever a client sets.
//!
//! Invariants:
//! - `mindoo.keys` is never stored here and never shown: SHOW reports only the names and
//!   versions of held keys.
//! - One map per session, shared by its SQL statements and its DataFusion functions
//!   (`current_setting`, `set_config`, `pg_settings`); never by two sessions.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use super::time_setting;
use crate::error::Result;

/// The parameters a session reports; clones share the same map.
#[derive(Clone)]
pub(crate) struct Settings {
    values: Arc<RwLock<HashMap<String, String>>>,
}

impl Settings {
    pub(crate) fn new(role: &str, database: &str) -> Settings {
        Settings {
            values: Arc::new(RwLock::new(defaults(role, database))),
        }
    }

    /// Gives `name` back its value at session start (a parameter without one goes).
    pub(crate) fn reset(&self, name: &str) {
        let name = normalize(name);
        let mut values = self.values.write().unwrap_or_else(PoisonError::into_inner);
        let (role, database) = identity(&values);
        match defaults(&role, &database).remove(&name) {
            Some(value) => values.insert(name, value),
            None => values.remove(&name),
        };
    }

    /// Gives every parameter back its value at session start.
    pub(crate) fn reset_all(&self) {
        let mut values = self.values.write().unwrap_or_else(PoisonError::into_inner);
        let (role, database) = identity(&values);
        *values = defaults(&role, &database);
    }

    pub(crate) fn get(&self, name: &str, held_keys: &[String]) -> Option<String> {
        let name = normalize(name);
        if name == KEYS {
            return Some(held_keys.join(","));
        }
        self.read().get(&name).cloned()
    }

    /// Sets `name` to `value`, checked and spelled as PostgreSQL keeps it (a timeout's units);
    /// the value as SHOW will print it.
    pub(crate) fn set(&self, name: &str, value: String) -> Result<String> {
        let name = normalize(name);
        let value = if time_setting::governs(&name) {
            time_setting::show(time_setting::parse(&name, &value)?)
        } else {
            value
        };
        self.values
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(name, value.clone());
        Ok(value)
    }

    /// The role SET ROLE chose, else `session_role`.
    pub(crate) fn current_role(&self, session_role: &str) -> String {
        match self.read().get(ROLE) {
            Some(role) if role != "none" => role.clone(),
            _ => session_role.to_owned(),
        }
    }

    pub(crate) fn all(&self, held_keys: &[String]) -> HashMap<String, String> {
        let mut all = self.read().clone();
        all.insert(KEYS.into(), held_keys.join(","));
        all
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, String>> {
        self.values.read().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The parameters a new session starts with.
fn defaults(role: &str, database: &str) -> HashMap<String, String> {
    let defaults = [
        ("server_version_num", "160006"),
        ("server_encoding", "UTF8"),
        ("client_encoding", "UTF8"),
        ("datestyle", "ISO, MDY"),
        ("intervalstyle", "postgres"),
        ("timezone", "UTC"),
        ("integer_datetimes", "on"),
        ("standard_conforming_strings", "on"),
        ("transaction_isolation", "read committed"),
        ("default_transaction_isolation", "read committed"),
        ("default_transaction_read_only", "off"),
        ("transaction_read_only", "off"),
        ("search_path", "\"$user\", public"),
        ("application_name", ""),
        ("extra_float_digits", "1"),
        ("max_identifier_length", "63"),
        ("statement_timeout", "0"),
        ("lock_timeout", "0"),
        ("idle_in_transaction_session_timeout", "0"),
        ("idle_session_timeout", "0"),
        ("jit", "off"),
        ("bytea_output", "hex"),
        ("lc_collate", "C"),
        ("lc_ctype", "C"),
        ("in_hot_standby", "off"),
        ("max_index_keys", "32"),
        ("default_text_search_config", "pg_catalog.english"),
        (ROLE, "none"),
    ];
    let mut values: HashMap<String, String> = defaults
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    values.insert("server_version".into(), server_version());
    values.insert(SESSION_AUTHORIZATION.into(), role.to_owned());
    values.insert(DATABASE.into(), database.to_owned());
    values
}

/// The session's role and database, which never change and every reset keeps.
fn identity(values: &HashMap<String, String>) -> (String, String) {
    let get = |name: &str| values.get(name).cloned().unwrap_or_default();
    (get(SESSION_AUTHORIZATION), get(DATABASE))
}

const SESSION_AUTHORIZATION: &str = "session_authorization";
const DATABASE: &str = "mindoo.database";

/// The setting that presents keys; handled by the session, never stored here.
pub(crate) const KEYS: &str = "mindoo.keys";

/// The role SET ROLE chose (`none`: the session's own), which privilege checks and
/// `current_user` use; only the session's SET ROLE writes it, after its own checks.
pub(crate) const ROLE: &str = "role";

/// The Postgres version MindooDB reports (`server_version`): 16 makes psql send its current
/// catalog queries, and drivers parse the leading `major.minor`.
pub(crate) fn server_version() -> String {
    format!("16.6 (MindooDB {})", env!("CARGO_PKG_VERSION"))
}

fn normalize(name: &str) -> String {
    let lower = name.trim().to_ascii_lowercase();
    match lower.as_str() {
        "time zone" => "timezone".into(),
        "transaction isolation level" => "transaction_isolation".into(),
        _ => lower,
    }
}
