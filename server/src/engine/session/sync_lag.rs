//! How far this server's sync with each peer lagged, for the Prometheus endpoint: per peer,
//! the entries its last successful round found beyond this node's pull cursors, when that
//! round ended, and how many of its entries were quarantined since start.
//!
//! Invariants:
//! - Keyed by the peer id only (`host:port/dbname` of a configured peer): no password, no
//!   table name, no statement.
//! - Updated only after a round succeeded, so "seconds since" grows while a peer is failing.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use mindoodb_client::TableReport;

/// One peer's last successful round.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PeerLag {
    /// Entries the peer listed beyond the pull cursors as the round began, over all tables.
    pub(crate) behind: u64,
    /// When the round ended.
    pub(crate) at: Instant,
    /// Successful rounds with this peer since start.
    pub(crate) rounds: u64,
    /// Entries from this peer quarantined since start (failed verification or untrusted
    /// signer).
    pub(crate) quarantined: u64,
}

/// Every peer this server synced with since start.
#[derive(Debug, Default)]
pub(crate) struct SyncLag {
    peers: Mutex<BTreeMap<String, PeerLag>>,
}

impl SyncLag {
    /// Records a round with `peer` that succeeded with `reports`.
    pub(crate) fn record(&self, peer: &str, reports: &[TableReport]) {
        let behind = reports.iter().map(|r| r.behind).sum();
        let mut peers = self.peers.lock().unwrap_or_else(PoisonError::into_inner);
        let quarantined: u64 = reports.iter().map(|r| r.quarantined).sum();
        let (rounds, quarantined) = peers.get(peer).map_or((1, quarantined), |lag| {
            (lag.rounds + 1, lag.quarantined + quarantined)
        });
        peers.insert(
            peer.to_owned(),
            PeerLag {
                behind,
                at: Instant::now(),
                rounds,
                quarantined,
            },
        );
    }

    /// Every peer with its last round, in peer order.
    pub(crate) fn peers(&self) -> Vec<(String, PeerLag)> {
        let peers = self.peers.lock().unwrap_or_else(PoisonError::into_inner);
        peers
            .iter()
            .map(|(peer, lag)| (peer.clone(), *lag))
            .collect()
    }
}
