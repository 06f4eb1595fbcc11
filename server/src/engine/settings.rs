//! Session parameters for SET, SHOW, `current_setting` and `set_config`: the values drivers
//! read, plus whatever a client sets.
//!
//! Invariants:
//! - `mindoo.keys` is never stored here and never shown: SHOW reports only the names and
//!   versions of held keys.

use std::collections::HashMap;

/// The parameters a session reports.
pub(crate) struct Settings {
    values: HashMap<String, String>,
}

impl Settings {
    pub(crate) fn new(role: &str, database: &str) -> Settings {
        let defaults = [
            ("server_version", "16.6 (MindooDB 0.1.0)"),
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
        ];
        let mut values: HashMap<String, String> = defaults
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        values.insert("session_authorization".into(), role.to_owned());
        values.insert("mindoo.database".into(), database.to_owned());
        Settings { values }
    }

    pub(crate) fn get(&self, name: &str, held_keys: &[String]) -> Option<String> {
        let name = normalize(name);
        if name == "mindoo.keys" {
            return Some(held_keys.join(","));
        }
        self.values.get(&name).cloned()
    }

    pub(crate) fn set(&mut self, name: &str, value: String) {
        self.values.insert(normalize(name), value);
    }

    pub(crate) fn all(&self, held_keys: &[String]) -> HashMap<String, String> {
        let mut all = self.values.clone();
        all.insert("mindoo.keys".into(), held_keys.join(","));
        all
    }
}

fn normalize(name: &str) -> String {
    let lower = name.trim().to_ascii_lowercase();
    match lower.as_str() {
        "time zone" => "timezone".into(),
        "transaction isolation level" => "transaction_isolation".into(),
        _ => lower,
    }
}
