//! The two systems side by side: loading the seed into each, one session per system per
//! corpus file, and running a record on a session.
//!
//! Invariants:
//! - Both systems get the same documents through the same SQL path a client uses (INSERT of
//!   JSON text); PostgreSQL's tables have MindooDB's document columns, with `seq` numbered
//!   in insertion order as MindooDB's feed numbers them.
//! - Records are independent: a record that leaves a transaction open (or failed) is rolled
//!   back after its outcome is taken; the status it left is part of that outcome.
//! - Sessions of one file share session state (SET, PREPARE) in record order, on both systems
//!   alike; a new file starts new sessions, and a record with startup parameters runs on a
//!   session of its own.

use super::corpus::Record;
use super::outcome::Outcome;
use super::seed::SeedTable;
use super::wire::{Conn, ConnectError, Extended, Login};

/// Documents per INSERT while loading.
const LOAD_BATCH: usize = 50;

/// How to reach one system under test.
pub(crate) struct System {
    pub(crate) name: &'static str,
    pub(crate) port: u16,
    pub(crate) user: String,
    pub(crate) password: String,
    pub(crate) database: String,
    /// The `mindoo.keys` token every MindooDB session presents; `None` for PostgreSQL.
    pub(crate) keys: Option<String>,
}

impl System {
    /// A new session, keys presented with SET.
    pub(crate) fn connect(&self) -> Conn {
        self.open(&[])
            .unwrap_or_else(|e| panic!("{}: connect: {e} (did the server die?)", self.name))
    }

    /// A new session with `startup` parameters in the startup packet. Then MindooDB's key
    /// travels there too, as `mindoo.keys` (how drivers' `options` and `server_settings` send
    /// it); without startup parameters it is presented with SET.
    fn open(&self, startup: &[(String, String)]) -> Result<Conn, ConnectError> {
        let mut params = startup.to_vec();
        let keys_in_packet = !startup.is_empty();
        if let (true, Some(keys)) = (keys_in_packet, &self.keys) {
            params.push(("mindoo.keys".to_owned(), keys.clone()));
        }
        let login = Login {
            port: self.port,
            user: &self.user,
            password: &self.password,
            database: &self.database,
            startup: &params,
        };
        let mut conn = Conn::connect(&login)?;
        if let (false, Some(keys)) = (keys_in_packet, &self.keys) {
            self.must(&mut conn, &format!("SET mindoo.keys = '{keys}'"));
        }
        Ok(conn)
    }

    /// Creates the seed's tables and inserts their documents.
    pub(crate) fn load(&self, tables: &[SeedTable]) {
        let mut conn = self.connect();
        for table in tables {
            let create = if self.keys.is_some() {
                format!("CREATE TABLE {} ()", table.name)
            } else {
                format!(
                    "CREATE TABLE {} (id text PRIMARY KEY, data jsonb, rev text, seq int8, \
                     key_id text NOT NULL DEFAULT 'default', author text DEFAULT current_user, \
                     created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now())",
                    table.name
                )
            };
            self.must(&mut conn, &create);
            for (batch_idx, batch) in table.docs.chunks(LOAD_BATCH).enumerate() {
                let rows: Vec<String> = batch
                    .iter()
                    .enumerate()
                    .map(|(idx, (id, json))| {
                        let json = json.replace('\'', "''");
                        match self.keys {
                            Some(_) => format!("('{id}', '{json}')"),
                            None => {
                                let seq = batch_idx * LOAD_BATCH + idx + 1;
                                format!("('{id}', '{json}', {seq})")
                            }
                        }
                    })
                    .collect();
                let columns = match self.keys {
                    Some(_) => "id, data",
                    None => "id, data, seq",
                };
                self.must(
                    &mut conn,
                    &format!(
                        "INSERT INTO {} ({columns}) VALUES {}",
                        table.name,
                        rows.join(", ")
                    ),
                );
            }
        }
    }

    fn must(&self, conn: &mut Conn, sql: &str) {
        let outcome = conn
            .simple(sql)
            .unwrap_or_else(|e| panic!("{}: {sql}: {e}", self.name));
        if let Some(error) = outcome.error {
            let shown: String = sql.chars().take(200).collect();
            panic!(
                "{}: setting up failed: {shown}: {} {}",
                self.name, error.code, error.message
            );
        }
    }
}

/// One session of one system.
pub(crate) struct Session<'a> {
    system: &'a System,
    conn: Conn,
}

impl<'a> Session<'a> {
    pub(crate) fn open(system: &'a System) -> Session<'a> {
        Session {
            system,
            conn: system.connect(),
        }
    }

    /// Runs `record` and returns its outcome, rows of unordered statements sorted. A record
    /// with startup parameters runs on a session of its own, opened with them.
    pub(crate) fn run(&mut self, record: &Record) -> Outcome {
        let mut outcome = if record.startup.is_empty() {
            self.run_here(record)
        } else {
            match self.system.open(&record.startup) {
                Ok(mut conn) => execute(&mut conn, record)
                    .unwrap_or_else(|e| Outcome::unanswered(e.to_string())),
                Err(ConnectError::Refused(failure)) => Outcome {
                    error: Some(failure),
                    ..Outcome::default()
                },
                Err(ConnectError::Io(err)) => Outcome::unanswered(err.to_string()),
            }
        };
        outcome.sort_unordered(&record.ordered);
        outcome
    }

    fn run_here(&mut self, record: &Record) -> Outcome {
        let outcome = match execute(&mut self.conn, record) {
            Ok(outcome) => outcome,
            Err(err) => {
                // A timeout or a dropped connection: stop the query and carry on in a new
                // session (the server must still accept one).
                self.conn.cancel();
                self.conn = self.system.connect();
                return Outcome::unanswered(err.to_string());
            }
        };
        if outcome.status != b'I' && self.conn.simple("ROLLBACK").is_err() {
            self.conn = self.system.connect();
        }
        outcome
    }
}

fn execute(conn: &mut Conn, record: &Record) -> std::io::Result<Outcome> {
    match &record.extended {
        Some(spec) => conn.extended(
            &record.sql,
            &Extended {
                params: &spec.params,
                binary: spec.binary,
            },
        ),
        None => conn.simple(&record.sql),
    }
}
