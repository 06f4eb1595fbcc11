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

/// The parameters a session reports; clones share the same map.
#[derive(Clone)]
pub(crate) struct Settings {
    values: Arc<RwLock<HashMap<String, String>>>,
}

impl Settings {
    pub(crate) fn new(role: &str, database: &str) -> Settings {
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
            ("jit", "off"),
            ("bytea_output", "hex"),
            ("lc_collate", "C"),
            ("lc_ctype", "C"),
            ("in_hot_standby", "off"),
            ("max_index_keys", "32"),
        ];
        let mut values: HashMap<String, String> = defaults
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        values.insert("server_version".into(), server_version());
        values.insert("session_authorization".into(), role.to_owned());
        values.insert("mindoo.database".into(), database.to_owned());
        Settings {
            values: Arc::new(RwLock::new(values)),
        }
    }

    pub(crate) fn get(&self, name: &str, held_keys: &[String]) -> Option<String> {
        let name = normalize(name);
        if name == KEYS {
            return Some(held_keys.join(","));
        }
        self.read().get(&name).cloned()
    }

    pub(crate) fn set(&self, name: &str, value: String) {
        self.values
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(normalize(name), value);
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

/// The setting that presents keys; handled by the session, never stored here.
pub(crate) const KEYS: &str = "mindoo.keys";

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
