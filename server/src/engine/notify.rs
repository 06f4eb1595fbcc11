//! Commit notifications: `LISTEN mindoo_changes`, and the `table:seq` NOTIFY every listener of
//! a tenant gets after each commit. The wire side (delivering to idle connections) is
//! `pg/connection.rs`.
//!
//! Invariants:
//! - Every commit goes through `commit`, which publishes after the commit is durable, so a
//!   listener never hears of a seq it cannot read yet.
//! - Payloads carry only a table name and a seq: no document ids, content or keys.
//! - Per table, published seqs only grow: a commit that finishes after a later one of the same
//!   table publishes nothing (the later seq already covers it).
//!
//! See: docs/SQL.md#listen-mindoo_changes

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, PoisonError};

use datafusion::sql::sqlparser::ast::Statement;
use mindoodb_storage::{CommitReceipt, Outcome, Store, TableId, TenantId, Transaction, Write};
use tokio::sync::broadcast;

use super::session::Session;
use crate::error::{Error, Result};
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

    fn publish(&self, store: &Store, tenant: TenantId, last: BTreeMap<TableId, u64>) {
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

/// Commits `txn` durably on a blocking thread, then announces it.
pub(crate) async fn commit(
    store: &Store,
    notifier: &std::sync::Arc<Notifier>,
    tenant: TenantId,
    txn: Transaction,
) -> Result<CommitReceipt, mindoodb_storage::Error> {
    let store = store.clone();
    let notifier = notifier.clone();
    tokio::task::spawn_blocking(move || commit_blocking(&store, &notifier, tenant, txn))
        .await
        .map_err(|e| mindoodb_storage::Error::Corrupted(format!("commit task: {e}")))?
}

/// `commit` for callers already on a blocking thread (table functions, COPY).
pub(crate) fn commit_blocking(
    store: &Store,
    notifier: &Notifier,
    tenant: TenantId,
    txn: Transaction,
) -> Result<CommitReceipt, mindoodb_storage::Error> {
    let tables: Vec<TableId> = txn
        .writes
        .iter()
        .map(|write| match write {
            Write::Local { table, .. } | Write::Import { table, .. } => table.id,
        })
        .collect();
    let receipt = store.commit(txn)?;
    let mut last: BTreeMap<TableId, u64> = BTreeMap::new();
    for (table, outcome) in tables.into_iter().zip(&receipt.outcomes) {
        if let Outcome::Appended(seq) = outcome {
            let entry = last.entry(table).or_default();
            *entry = (*entry).max(seq.0);
        }
    }
    if !last.is_empty() {
        notifier.publish(store, tenant, last);
    }
    Ok(receipt)
}

/// The channels a session listens on.
#[derive(Debug, Default)]
pub(crate) struct Listening(BTreeSet<String>);

impl Listening {
    /// True when commits should reach this session.
    pub(crate) fn changes(&self) -> bool {
        self.0.contains(CHANNEL)
    }

    /// Forgets every channel (`UNLISTEN *`, `DISCARD ALL`).
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}

/// LISTEN / UNLISTEN. Other channels are accepted, as in Postgres, but only `mindoo_changes`
/// is ever notified: clients cannot NOTIFY.
pub(crate) fn run(session: &mut Session, statement: &Statement) -> Result<Output> {
    match statement {
        Statement::LISTEN { channel } => {
            session.listening.0.insert(channel.value.clone());
            Ok(command("LISTEN"))
        }
        Statement::UNLISTEN { channel } if channel.value == "*" => {
            session.listening.clear();
            Ok(command("UNLISTEN"))
        }
        Statement::UNLISTEN { channel } => {
            session.listening.0.remove(&channel.value);
            Ok(command("UNLISTEN"))
        }
        _ => Err(Error::Internal("not LISTEN or UNLISTEN".into())),
    }
}

impl Session {
    /// True when the session listens on `mindoo_changes`.
    pub(crate) fn listens(&self) -> bool {
        self.listening.changes()
    }

    /// A receiver of this tenant's commits, when the session listens for them.
    pub(crate) fn subscription(&self) -> Option<broadcast::Receiver<Commit>> {
        self.listening
            .changes()
            .then(|| self.engine.notifier().subscribe(self.tenant.id))
    }

    /// Every table of the tenant at its last seq: what a listener that fell behind is told.
    pub(crate) fn resync(&self) -> Result<Vec<Commit>> {
        let store = self.engine.store();
        let snapshot = store.snapshot();
        store
            .tables(self.tenant.id)
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

fn command(tag: &'static str) -> Output {
    Output::Command { tag, rows: None }
}
