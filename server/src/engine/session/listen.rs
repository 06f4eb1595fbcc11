//! Commit notifications: `LISTEN mindoo_changes`, and the `table:seq` NOTIFY every listener of
//! a tenant gets after each commit (`commit.rs` publishes). The wire side (delivering to idle
//! connections) is `pg/connection.rs`.
//!
//! Invariants:
//! - Publishing happens only after a commit is durable (`commit.rs`), so a listener never
//!   hears of a seq it cannot read yet.
//! - Payloads carry only a table name and a seq: no document ids, content or keys; and a
//!   listener hears only of tables its current role may SELECT (`privileges.rs`, applied when
//!   `pg/connection.rs` delivers).
//! - Per table, published seqs only grow: a commit that finishes after a later one of the same
//!   table publishes nothing (the later seq already covers it).
//!
//! See: docs/SQL.md#listen-mindoo_changes

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, PoisonError};

use mindoodb_storage::{Store, TableId, TenantId};
use tokio::sync::broadcast;

use super::Session;
use crate::engine::sql::classify::ListenCommand;
use crate::error::Result;
use crate::output::Output;

/// The channel commits are announced on.
pub(crate) const CHANNEL: &str = "mindoo_changes";

/// Announcements a listener may fall behind by before it is resynchronised from the store.
const BACKLOG: usize = 4096;

/// One announcement: `table` has committed entries up to `seq`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Commit {
    /// The table's name.
    pub(crate) table: String,
    /// Its last committed seq.
    pub(crate) seq: u64,
}

impl Commit {
    /// The NOTIFY payload, `table:seq`.
    pub(crate) fn payload(&self) -> String {
        format!("{}:{}", self.table, self.seq)
    }
}

/// Per-tenant broadcast of commits, shared by every session of the server.
#[derive(Default)]
pub(crate) struct Notifier {
    tenants: Mutex<HashMap<TenantId, TenantFeed>>,
}

struct TenantFeed {
    sender: broadcast::Sender<Commit>,
    published: HashMap<TableId, u64>, // Invariant: the greatest seq sent per table.
}

impl Notifier {
    /// Receives every later commit of `tenant`.
    pub(crate) fn subscribe(&self, tenant: TenantId) -> broadcast::Receiver<Commit> {
        let mut tenants = self.tenants.lock().unwrap_or_else(PoisonError::into_inner);
        tenants
            .entry(tenant)
            .or_insert_with(|| TenantFeed {
                sender: broadcast::channel(BACKLOG).0,
                published: HashMap::new(),
            })
            .sender
            .subscribe()
    }

    /// Announces the last seq each table of `tenant` committed.
    pub(super) fn publish(&self, store: &Store, tenant: TenantId, last: BTreeMap<TableId, u64>) {
        let mut tenants = self.tenants.lock().unwrap_or_else(PoisonError::into_inner);
        // Nobody ever listened to this tenant: nothing to do.
        let Some(feed) = tenants.get_mut(&tenant) else {
            return;
        };
        let names: HashMap<TableId, String> = store
            .tables(tenant)
            .into_iter()
            .map(|info| (info.table.id, info.name))
            .collect();
        for (table, seq) in last {
            let published = feed.published.entry(table).or_default();
            if seq <= *published {
                continue;
            }
            *published = seq;
            if let Some(name) = names.get(&table) {
                // No receivers is fine: listeners come and go.
                let _ = feed.sender.send(Commit {
                    table: name.clone(),
                    seq,
                });
            }
        }
    }
}

/// The channels a session listens on.
#[derive(Debug, Default)]
pub(crate) struct Listening(BTreeSet<String>);

impl Listening {
    /// True when commits should reach this session.
    fn changes(&self) -> bool {
        self.0.contains(CHANNEL)
    }

    /// Forgets every channel (`UNLISTEN *`, `DISCARD ALL`).
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    /// LISTEN / UNLISTEN. Other channels are accepted, as in Postgres, but only
    /// `mindoo_changes` is ever notified: clients cannot NOTIFY.
    pub(crate) fn run(&mut self, command: ListenCommand) -> Output {
        let tag = match command {
            ListenCommand::Listen(channel) => {
                self.0.insert(channel);
                "LISTEN"
            }
            ListenCommand::Unlisten(channel) => {
                self.0.remove(&channel);
                "UNLISTEN"
            }
            ListenCommand::UnlistenAll => {
                self.clear();
                "UNLISTEN"
            }
        };
        Output::Command { tag, rows: None }
    }
}

impl Session {
    /// True when the session listens on `mindoo_changes`.
    pub(crate) fn listens(&self) -> bool {
        self.listening().changes()
    }

    /// A receiver of this tenant's commits, when the session listens for them.
    pub(crate) fn subscription(&self) -> Option<broadcast::Receiver<Commit>> {
        self.listens()
            .then(|| self.engine().notifier().subscribe(self.tenant().id))
    }

    /// Every table of the tenant at its last seq: what a listener that fell behind is told.
    pub(crate) fn resync(&self) -> Result<Vec<Commit>> {
        let store = self.store();
        let snapshot = store.snapshot();
        store
            .tables(self.tenant().id)
            .into_iter()
            .map(|info| {
                let seq = snapshot.last_seq(info.table)?.0;
                Ok(Commit {
                    table: info.name,
                    seq,
                })
            })
            .filter(|commit| !matches!(commit, Ok(Commit { seq: 0, .. })))
            .collect()
    }
}
