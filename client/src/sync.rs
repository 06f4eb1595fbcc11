//! Sync of sealed entries between a local store and a MindooDB peer, over the Postgres
//! protocol only: pull with `mindoo.entries`, push with `COPY ... FROM STDIN (FORMAT binary)`,
//! in batches, resuming from per-peer cursors kept in the local catalog.
//!
//! Invariants:
//! - Nothing unverified is stored (`sync_check.rs`), and nothing refused stops a sync: an
//!   entry that fails verification, or whose signer the tenant's writer list does not trust
//!   (storage's `Write::Admit`), goes to the table's quarantine and the sync goes on.
//! - The writer list moves before any entry (`sync_writers.rs`): a pull judges the peer's
//!   entries by the newest list either side has. A table's read-audit chains move after its
//!   entries (`sync_audit.rs`), when the sync role may read them.
//! - Only sealed bytes and their proofs move: no key, token or plaintext is ever sent or asked
//!   for.
//! - Idempotent and resumable: storage keeps an entry once per hash, and a cursor moves only
//!   after the batch it covers is durable, so an interrupted sync repeats at most one batch
//!   and never stores a duplicate.
//! - A peer whose log changed under the cursor (re-created table, restored backup) is pulled
//!   from the start again, and one that lost what was pushed to it is pushed to again.
//! - Storage calls run inline: drive these functions from a thread that may block (a blocking
//!   task, or a runtime of its own). On a multi-threaded runtime the connection keeps reading
//!   while this thread verifies and writes.
//! - Pulls overlap three batches: the next is requested before this one is checked and the
//!   one before is written meanwhile. Cursors still move batch by batch, each after its own
//!   commit.
//!
//! See: docs/OPERATIONS.md#sync, docs/SQL.md#mindoosync
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use bytes::Bytes;
use futures_util::SinkExt as _;
use futures_util::future::{MaybeDone, maybe_done};
use mindoodb_protocol::{DataKey, EntryHash, KeyRef};
use mindoodb_storage::{
    CarriedRecord, CommitReceipt, Outcome, Seq, Store, SyncCursor, TableInfo, TenantId,
    Transaction, Write,
};

use crate::binary_copy::{CopyRow, binary_copy};
use crate::peer::Peer;
use crate::sync_check::{Carried, Checked, check_all};
use crate::{Error, Result, glob, sync_audit, sync_writers};

/// Entries per batch unless configured otherwise.
pub const DEFAULT_BATCH: usize = 5000;
/// How often a watching sync runs even without a notification (they can be missed while
/// reconnecting).
const RESYNC_EVERY: Duration = Duration::from_secs(30);
/// Pause before reconnecting to a peer that failed.
const RECONNECT_AFTER: Duration = Duration::from_secs(2);

/// Which way entries move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the peer to here.
    Pull,
    /// From here to the peer.
    Push,
    /// Pull, then push.
    Both,
}

impl Direction {
    /// `pull`, `push` or `both`.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Pull => "pull",
            Direction::Push => "push",
            Direction::Both => "both",
        }
    }

    fn pulls(self) -> bool {
        matches!(self, Direction::Pull | Direction::Both)
    }

    fn pushes(self) -> bool {
        matches!(self, Direction::Push | Direction::Both)
    }
}

impl FromStr for Direction {
    type Err = Error;

    fn from_str(text: &str) -> Result<Direction> {
        match text.to_ascii_lowercase().as_str() {
            "pull" => Ok(Direction::Pull),
            "push" => Ok(Direction::Push),
            "both" => Ok(Direction::Both),
            _ => Err(Error::Invalid(format!(
                "direction must be pull, push or both, not {text:?}"
            ))),
        }
    }
}

/// The store a sync writes to, and what it may check with.
pub trait LocalNode: Sync {
    /// The local store.
    fn store(&self) -> &Store;
    /// The tenant whose tables are synced.
    fn tenant(&self) -> TenantId;
    /// Commits imported entries (a server also announces them to its listeners).
    fn commit(&self, txn: Transaction) -> Result<CommitReceipt, mindoodb_storage::Error> {
        self.store().commit(txn)
    }
    /// The key that opens entries sealed under `key_ref`, when this node holds it: pulled
    /// entries under a held key must decrypt, so a peer cannot forge them.
    fn key(&self, _key_ref: &KeyRef) -> Option<Arc<DataKey>> {
        None
    }
}

/// The plain `LocalNode`: one tenant of a store this process opened (a mirror, a backup's
/// replica, a laptop's own store), committing straight to the store and holding no keys.
pub struct StoreTenant {
    pub store: Store,
    pub tenant: TenantId,
}

impl LocalNode for StoreTenant {
    fn store(&self) -> &Store {
        &self.store
    }

    fn tenant(&self) -> TenantId {
        self.tenant
    }
}

/// How to sync.
#[derive(Debug, Clone, Copy)]
pub struct SyncConfig {
    /// Which way.
    pub direction: Direction,
    /// Entries per round trip and per local commit.
    pub batch: usize,
}

/// What one sync did to one table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableReport {
    /// The table.
    pub table: String,
    /// Entries received and verified.
    pub pulled: u64,
    /// Of those, entries that were new here.
    pub pulled_new: u64,
    /// Entries refused on arrival and kept in the table's quarantine instead: they failed
    /// verification, or the tenant does not trust their signer.
    pub quarantined: u64,
    /// Entries sent to the peer.
    pub pushed: u64,
    /// The peer's seq the pull cursor stands at.
    pub pull_seq: u64,
    /// The local seq the push cursor stands at.
    pub push_seq: u64,
    /// When pulling: how many entries the peer listed beyond the pull cursor as this table's
    /// sync began (what this sync had to catch up; the lag a monitor reports).
    pub behind: u64,
    /// Read-audit records received and stored (of any chain).
    pub audit_pulled: u64,
    /// Read-audit records the peer stored from this node.
    pub audit_pushed: u64,
    /// Read-audit records refused, either way: each stops its chain's exchange for this round.
    pub audit_refused: u64,
    /// True when the table's read-audit chains were not exchanged: the sync role may not read
    /// them on the peer.
    pub audit_skipped: bool,
}

/// Syncs every table whose name matches `pattern` (a glob; a plain name is one table): the
/// peer's tables when pulling, the local ones when pushing. `progress` hears of each batch.
/// Returns one report per table, each with how far behind the peer it started.
pub async fn sync(
    local: &dyn LocalNode,
    peer: &Peer,
    pattern: &str,
    config: &SyncConfig,
    progress: &mut (dyn FnMut(&TableReport) + Send),
) -> Result<Vec<TableReport>> {
    if config.batch == 0 {
        return Err(Error::Invalid("the batch size must be at least 1".into()));
    }
    let rows = peer
        .client()
        .query(
            "SELECT table_name, last_seq, audit_reads FROM mindoo.tables($1::text) \
             ORDER BY table_name",
            &[&pattern],
        )
        .await?;
    let peer_tables = rows
        .iter()
        .map(|row| {
            let last = u64::try_from(row.try_get::<_, i64>(1)?).unwrap_or(0);
            let table = PeerTable {
                last,
                audit_reads: row.try_get(2)?,
            };
            Ok((row.try_get::<_, String>(0)?, table))
        })
        .collect::<Result<HashMap<String, PeerTable>, tokio_postgres::Error>>()?;
    let mut names: Vec<String> = Vec::new();
    if config.direction.pulls() {
        names.extend(peer_tables.keys().cloned());
    }
    if config.direction.pushes() {
        names.extend(
            local
                .store()
                .tables(local.tenant())
                .into_iter()
                .map(|info| info.name)
                .filter(|name| glob(pattern, name)),
        );
    }
    names.sort();
    names.dedup();
    if config.direction.pulls() {
        sync_writers::pull(local, peer).await?;
    }
    if config.direction.pushes() {
        sync_writers::push(local, peer).await?;
    }
    let mut reports = Vec::with_capacity(names.len());
    for name in names {
        let on_peer = peer_tables.get(&name).copied();
        reports.push(sync_table(local, peer, &name, on_peer, config, progress).await?);
    }
    Ok(reports)
}

/// Syncs with the peer at `conninfo` until `stop` completes: once at once, then after every
/// change the peer announces (`LISTEN mindoo_changes`) and at least every 30 seconds,
/// reconnecting after failures. Errors are logged and retried, never fatal. `rounds` hears
/// the peer's id and the reports of every round that succeeded.
pub async fn watch(
    local: &dyn LocalNode,
    conninfo: &str,
    pattern: &str,
    config: &SyncConfig,
    progress: &mut (dyn FnMut(&TableReport) + Send),
    rounds: &mut (dyn FnMut(&str, &[TableReport]) + Send),
    stop: impl Future<Output = ()>,
) {
    let mut stop = std::pin::pin!(stop);
    loop {
        let connected = async {
            let peer = Peer::connect(conninfo).await?;
            peer.listen().await?;
            Ok::<_, Error>(peer)
        };
        let mut peer = tokio::select! {
            () = &mut stop => return,
            connected = connected => match connected {
                Ok(peer) => peer,
                Err(err) => {
                    tracing::warn!(error = %err, "sync peer unreachable; retrying");
                    tokio::select! {
                        () = &mut stop => return,
                        () = tokio::time::sleep(RECONNECT_AFTER) => continue,
                    }
                }
            },
        };
        tracing::info!(peer = %peer.id(), "sync peer connected");
        loop {
            match sync(local, &peer, pattern, config, progress).await {
                Ok(reports) => rounds(peer.id(), &reports),
                Err(err) => tracing::warn!(peer = %peer.id(), error = %err, "sync failed"),
            }
            if peer.is_closed() {
                break;
            }
            tokio::select! {
                () = &mut stop => return,
                change = peer.changed() => if change.is_none() { break },
                () = tokio::time::sleep(RESYNC_EVERY) => {}
            }
        }
        tracing::warn!(peer = %peer.id(), "sync peer connection lost; reconnecting");
    }
}

/// A table as the peer lists it.
#[derive(Debug, Clone, Copy)]
struct PeerTable {
    last: u64,
    audit_reads: bool,
}

async fn sync_table(
    local: &dyn LocalNode,
    peer: &Peer,
    name: &str,
    peer_table: Option<PeerTable>,
    config: &SyncConfig,
    progress: &mut (dyn FnMut(&TableReport) + Send),
) -> Result<TableReport> {
    let on_peer = peer_table.is_some();
    let peer_last = peer_table.map(|table| table.last);
    let store = local.store();
    let mut info = match store.table(local.tenant(), name) {
        Some(info) => info,
        None => match store.create_table(local.tenant(), name, None, Default::default()) {
            Ok(info) => info,
            // Created meanwhile by someone else: use theirs.
            Err(mindoodb_storage::Error::AlreadyExists(_)) => store
                .table(local.tenant(), name)
                .ok_or_else(|| Error::Invalid(format!("table {name} vanished")))?,
            Err(err) => return Err(err.into()),
        },
    };
    // Read auditing travels one way, on: a table the peer audits is audited here too, so its
    // documents are not read unrecorded wherever they are pulled to. Turning it off is a
    // decision of each node's owner.
    if peer_table.is_some_and(|table| table.audit_reads) && !info.audit_reads {
        info = store.set_audit_reads(local.tenant(), name, true)?;
    }
    let cursor = store.sync_cursor(info.table, peer.id().as_bytes())?;
    let mut sync = TableSync {
        local,
        peer,
        info,
        peer_id: peer.id().as_bytes().to_vec(),
        cursor,
        from_peer: HashSet::new(),
        source: format!("peer {}", peer.id()),
        report: TableReport {
            table: name.to_owned(),
            ..TableReport::default()
        },
        config,
    };
    sync.report.pull_seq = sync.cursor.pulled.0;
    sync.report.push_seq = sync.cursor.pushed.0;
    if config.direction.pulls() {
        sync.report.behind = peer_last.unwrap_or(0).saturating_sub(sync.cursor.pulled.0);
    }
    if config.direction.pulls() && on_peer {
        sync.pull(progress).await?;
    }
    if config.direction.pushes() {
        sync.push(on_peer, progress).await?;
    }
    if config.direction.pulls() && on_peer {
        sync_audit::pull(local, peer, &sync.info, &mut sync.report).await?;
    }
    // The push created the table on the peer if it had entries to send.
    if config.direction.pushes() && (on_peer || sync.report.pushed > 0) {
        sync_audit::push(local, peer, &sync.info, &mut sync.report).await?;
    }
    let audit = &sync.report;
    if audit.audit_pulled + audit.audit_pushed + audit.audit_refused > 0 || audit.audit_skipped {
        progress(&sync.report);
    }
    Ok(sync.report)
}

/// One table's sync with one peer.
struct TableSync<'a> {
    local: &'a dyn LocalNode,
    peer: &'a Peer,
    info: TableInfo,
    peer_id: Vec<u8>,
    cursor: SyncCursor,
    /// Hashes pulled in this run: the peer has them, so pushing them back is skipped.
    from_peer: HashSet<EntryHash>,
    /// How quarantine records name this peer.
    source: String,
    report: TableReport,
    config: &'a SyncConfig,
}

impl TableSync<'_> {
    async fn pull(&mut self, progress: &mut (dyn FnMut(&TableReport) + Send)) -> Result<()> {
        let client = self.peer.client();
        let name = self.info.name.clone();
        if self.cursor.pulled.0 > 0 {
            let rows = client
                .query(
                    "SELECT hash FROM mindoo.entries($1::text, $2::int8, 1)",
                    &[&name, &(self.cursor.pulled.0 as i64 - 1)],
                )
                .await?;
            let at_cursor = match rows.first() {
                Some(row) => EntryHash::from_hex(&row.try_get::<_, String>(0)?),
                None => None,
            };
            if at_cursor.is_none() || at_cursor != self.cursor.pulled_hash {
                tracing::warn!(table = %name, peer = %self.peer.id(), seq = self.cursor.pulled.0,
                    "the peer's log changed under the sync cursor; pulling from the start");
                self.cursor.pulled = Seq(0);
                self.cursor.pulled_hash = None;
            }
        }
        let statement = client
            .prepare("SELECT seq, sealed, proof FROM mindoo.entries($1::text, $2::int8, $3::int4)")
            .await?;
        let limit = i32::try_from(self.config.batch).unwrap_or(i32::MAX);
        let local = self.local;
        // Three batches in flight: the next one on the wire while this one is verified and
        // the one before it is written.
        let mut fetching = Some(Box::pin(maybe_done(fetch(
            client,
            &statement,
            &name,
            self.cursor.pulled.0 as i64,
            limit,
        ))));
        // Checking runs beside the writer, which holds `self`: it gets its own copy.
        let source = self.source.clone();
        let mut checked = Checked::default();
        while let Some(mut fetch_now) = fetching.take() {
            fetch_now.as_mut().await;
            let raw = fetch_now
                .as_mut()
                .take_output()
                .ok_or_else(|| Error::Peer("a batch fetched twice".into()))??;
            if raw.len() >= self.config.batch
                && let Some(&(last, ..)) = raw.last()
            {
                let mut next = Box::pin(maybe_done(fetch(client, &statement, &name, last, limit)));
                send_now(next.as_mut()).await;
                fetching = Some(next);
            }
            let storing = std::mem::take(&mut checked);
            let (stored, next_checked) = std::thread::scope(|scope| {
                let writer = scope.spawn(|| self.store_pulled(storing));
                let next_checked = check_all(raw, local, &source);
                let stored = writer
                    .join()
                    .unwrap_or_else(|_| Err(Error::Invalid("the sync writer panicked".into())));
                (stored, next_checked)
            });
            if stored? {
                progress(&self.report);
            }
            checked = next_checked;
        }
        if self.store_pulled(checked)? {
            progress(&self.report);
        }
        Ok(())
    }

    /// Quarantines a checked batch's refused entries, admits the verified ones in one commit
    /// (storage quarantines those its tenant's writer list refuses), and moves the pull cursor
    /// past the batch; false when the batch was empty.
    fn store_pulled(&mut self, checked: Checked) -> Result<bool> {
        let Some((last_seq, last_hash)) = checked.last else {
            return Ok(false);
        };
        let store = self.local.store();
        let table = self.info.table;
        if !checked.refused.is_empty() {
            store.quarantine(table, &checked.refused)?;
            self.report.quarantined += checked.refused.len() as u64;
        }
        let caught_up = store.snapshot().last_seq(table)? == self.cursor.pushed;
        if self.config.direction.pushes() {
            self.from_peer
                .extend(checked.entries.iter().map(|(_, e)| e.hash()));
        }
        let n = checked.entries.len() as u64;
        let txn = Transaction {
            writes: checked
                .entries
                .into_iter()
                .map(|(_, entry)| Write::Admit {
                    table,
                    entry,
                    source: self.source.clone(),
                })
                .collect(),
        };
        let outcomes = match txn.writes.is_empty() {
            true => Vec::new(),
            false => self.local.commit(txn)?.outcomes,
        };
        let mut appended: Vec<Seq> = Vec::with_capacity(outcomes.len());
        for outcome in &outcomes {
            match outcome {
                Outcome::Appended(seq) => appended.push(*seq),
                Outcome::Duplicate(_) => {}
                Outcome::Quarantined => self.report.quarantined += 1,
            }
        }
        // When the peer had everything local before this commit and the commit's entries sit
        // right after it, the peer has those too: no need to push them back later.
        let contiguous = appended
            .iter()
            .enumerate()
            .all(|(idx, seq)| seq.0 == self.cursor.pushed.0 + 1 + idx as u64);
        if caught_up && contiguous {
            self.cursor.pushed = Seq(self.cursor.pushed.0 + appended.len() as u64);
        }
        self.cursor.pulled = Seq(last_seq as u64);
        self.cursor.pulled_hash = Some(last_hash);
        store.set_sync_cursor(table, &self.peer_id, &self.cursor)?;
        self.report.pulled += n;
        self.report.pulled_new += appended.len() as u64;
        self.report.pull_seq = self.cursor.pulled.0;
        self.report.push_seq = self.cursor.pushed.0;
        Ok(true)
    }

    async fn push(
        &mut self,
        on_peer: bool,
        progress: &mut (dyn FnMut(&TableReport) + Send),
    ) -> Result<()> {
        let store = self.local.store();
        let table = self.info.table;
        let name = self.info.name.clone();
        let client = self.peer.client();
        if store.snapshot().last_seq(table)? <= self.cursor.pushed {
            return Ok(());
        }
        if !on_peer {
            // Table names are [a-z_][a-z0-9_]* (storage checks), so quoting is not needed.
            client
                .batch_execute(&format!("CREATE TABLE IF NOT EXISTS {name} ()"))
                .await?;
        }
        if self.cursor.pushed.0 > 0 {
            let page = store
                .snapshot()
                .carried_log(table, Seq(self.cursor.pushed.0 - 1), 1)?;
            if let Some(CarriedRecord { record, proof }) =
                page.first().filter(|c| c.record.seq == self.cursor.pushed)
            {
                let proof = proof.as_ref().map(|p| p.bytes.as_slice());
                let row = client
                    .query_one(
                        "SELECT applied FROM mindoo.apply($1::text, $2::bytea, $3::bytea)",
                        &[&name, &record.entry.bytes(), &proof],
                    )
                    .await?;
                if row.try_get::<_, bool>(0)? {
                    tracing::warn!(table = %name, peer = %self.peer.id(),
                        "the peer lacked entries pushed before; pushing from the start");
                    self.cursor.pushed = Seq(0);
                }
            }
        }
        let copy = format!("COPY {name} FROM STDIN (FORMAT binary)");
        loop {
            let page =
                store
                    .snapshot()
                    .carried_log(table, self.cursor.pushed, self.config.batch)?;
            let Some(last) = page.last().map(|c| c.record.seq) else {
                break;
            };
            let (sealed, hashes): (Vec<CopyRow<'_>>, Vec<EntryHash>) = page
                .iter()
                .filter(|c| !self.from_peer.contains(&c.record.entry.hash()))
                .map(|CarriedRecord { record, proof }| {
                    let proof = proof.as_ref().map(|p| p.bytes.as_slice());
                    ((record.entry.bytes(), proof), record.entry.hash())
                })
                .unzip();
            if !sealed.is_empty() {
                let before = peer_last_seq(client, &name).await?;
                let sink = client.copy_in::<_, Bytes>(&copy).await?;
                let mut sink = std::pin::pin!(sink);
                sink.send(binary_copy(&sealed)).await?;
                let n_rows = sink.finish().await?;
                if n_rows != sealed.len() as u64 {
                    return Err(Error::Peer(format!(
                        "COPY {n_rows} for {} entries of {name}",
                        sealed.len()
                    )));
                }
                self.report.pushed += n_rows;
                if before == self.cursor.pulled.0 {
                    self.skip_own_echo(&hashes, before).await?;
                }
            }
            self.cursor.pushed = last;
            store.set_sync_cursor(table, &self.peer_id, &self.cursor)?;
            self.report.push_seq = last.0;
            progress(&self.report);
            if page.len() < self.config.batch {
                break;
            }
        }
        Ok(())
    }
}

impl TableSync<'_> {
    /// After a push to a peer whose log we had pulled completely: when the peer's new entries
    /// are exactly the ones sent, in order, the pull cursor moves past them, so the next pull
    /// does not fetch them back. Anything else (a concurrent writer, duplicates) leaves the
    /// cursor, and the next pull sorts it out.
    async fn skip_own_echo(&mut self, sent: &[EntryHash], before: u64) -> Result<()> {
        let limit = i32::try_from(sent.len() + 1).unwrap_or(i32::MAX);
        let rows = self
            .peer
            .client()
            .query(
                "SELECT hash FROM mindoo.entries($1::text, $2::int8, $3::int4)",
                &[&self.info.name, &(before as i64), &limit],
            )
            .await?;
        if rows.len() != sent.len() {
            return Ok(());
        }
        for (row, hash) in rows.iter().zip(sent) {
            if EntryHash::from_hex(&row.try_get::<_, String>(0)?) != Some(*hash) {
                return Ok(());
            }
        }
        self.cursor.pulled = Seq(before + sent.len() as u64);
        self.cursor.pulled_hash = sent.last().copied();
        self.report.pull_seq = self.cursor.pulled.0;
        Ok(())
    }
}

/// Up to `limit` entries of `table` after seq `since`, with their seqs checked to ascend.
async fn fetch(
    client: &tokio_postgres::Client,
    statement: &tokio_postgres::Statement,
    table: &str,
    since: i64,
    limit: i32,
) -> Result<Vec<Carried>> {
    let rows = client.query(statement, &[&table, &since, &limit]).await?;
    let mut raw = Vec::with_capacity(rows.len());
    let mut previous = since;
    for row in rows {
        let seq: i64 = row.try_get(0)?;
        if seq <= previous {
            return Err(Error::Peer(format!(
                "seq {seq} after {previous} in mindoo.entries of {table}"
            )));
        }
        previous = seq;
        raw.push((seq, row.try_get(1)?, row.try_get(2)?));
    }
    Ok(raw)
}

/// Polls `request` once, which hands its query to the connection, and lets the connection
/// task write it out: the peer works on it while this thread verifies and stores.
async fn send_now<F: Future>(mut request: Pin<&mut MaybeDone<F>>) {
    std::future::poll_fn(|cx| {
        let _ = request.as_mut().poll(cx);
        Poll::Ready(())
    })
    .await;
    tokio::task::yield_now().await;
}

/// The peer's last seq of `table` (0 when it has no such table).
async fn peer_last_seq(client: &tokio_postgres::Client, table: &str) -> Result<u64> {
    let row = client
        .query_opt("SELECT last_seq FROM mindoo.tables($1::text)", &[&table])
        .await?;
    match row {
        Some(row) => Ok(u64::try_from(row.try_get::<_, i64>(0)?).unwrap_or(0)),
        None => Ok(0),
    }
}
