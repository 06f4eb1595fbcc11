//! The receipt signer: once a second, for every database whose commit log grew, this server
//! signs one receipt with its node key over the commits stored since its last one ("stored
//! here no later than T"), which proofs then carry (`mindoo.proof`, `mindoo.receipts`).
//!
//! Invariants:
//! - At most one receipt per database per second, and only when something new was stored.
//! - A server vouches only for what it stored while it ran: the node key is new at every
//!   start, and commits stored before this start are left to the receipts of the runs that
//!   stored them (commits of the last second before a stop may have none).
//! - A receipt covers at most `MAX_COMMITS` commits; a longer backlog takes more seconds.
//! - A mirror signs none: it keeps its hub's receipts.
//! - A failure is logged and retried the next second; it never stops the server.
//!
//! See: docs/FORMAT.md#receipts

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use mindoodb_protocol::{ServerTime, sign_receipt};
use mindoodb_storage::{CommitSeq, TenantId};

use super::Engine;
use super::clock::now_micros;

/// How often receipts are signed.
const EVERY: Duration = Duration::from_secs(1);
/// Commits one receipt covers at most (32 bytes each in memory while signing).
const MAX_COMMITS: usize = 65_536;

/// Signs receipts until the runtime stops.
pub(crate) async fn sign_receipts(engine: Arc<Engine>) {
    if engine.mode().read_only {
        return;
    }
    let floors = {
        let store = engine.store().clone();
        tokio::task::spawn_blocking(move || floors(&store)).await
    };
    let mut floors = match floors {
        Ok(Ok(floors)) => floors,
        Ok(Err(err)) => {
            tracing::error!(error = %err, "receipts: reading the commit logs failed; no receipts");
            return;
        }
        Err(err) => {
            tracing::error!(error = %err, "receipts: the start-up task failed; no receipts");
            return;
        }
    };
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let engine = engine.clone();
        let done = tokio::task::spawn_blocking(move || {
            let res = sign_round(&engine, &mut floors);
            (floors, res)
        })
        .await;
        match done {
            Ok((kept, res)) => {
                floors = kept;
                if let Err(err) = res {
                    tracing::warn!(error = %err, "receipts: signing failed; retrying");
                }
            }
            Err(err) => {
                tracing::error!(error = %err, "receipts: the signing task failed; no receipts");
                return;
            }
        }
    }
}

/// Each database's last commit seq at start: what this run does not vouch for.
fn floors(
    store: &mindoodb_storage::Store,
) -> mindoodb_storage::Result<HashMap<TenantId, CommitSeq>> {
    let snapshot = store.snapshot();
    store
        .tenants()
        .into_iter()
        .map(|tenant| Ok((tenant.id, snapshot.last_commit_seq(tenant.id)?)))
        .collect()
}

/// One receipt for every database with commits this server has not vouched for yet.
fn sign_round(
    engine: &Engine,
    floors: &mut HashMap<TenantId, CommitSeq>,
) -> mindoodb_storage::Result<()> {
    let store = engine.store();
    let server = engine.node();
    for tenant in store.tenants() {
        let after = floors.get(&tenant.id).copied().unwrap_or(CommitSeq(0));
        let pending =
            store
                .snapshot()
                .unreceipted(tenant.id, &server.public(), after, MAX_COMMITS)?;
        let Some(pending) = pending else {
            continue;
        };
        let receipt = sign_receipt(
            server,
            ServerTime(now_micros()),
            pending.first.0,
            &pending.commits,
        )
        .map_err(|err| mindoodb_storage::Error::Corrupted(format!("signing a receipt: {err}")))?;
        let last = CommitSeq(pending.first.0 + pending.commits.len() as u64 - 1);
        store.add_receipt(tenant.id, receipt, pending.commits)?;
        floors.insert(tenant.id, last);
    }
    Ok(())
}
