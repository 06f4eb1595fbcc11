//! Moving a table's read-audit chains between nodes after its entries: pull the peer's chains
//! with `mindoo.audit_chains` and `mindoo.audit_records`, offer ours with
//! `mindoo.add_audit_record`. Every chain either node holds travels (its own and those it
//! received), so a mirror of a mirror holds the hub's chain too.
//!
//! Invariants:
//! - Records are verified here and judged by the chain they extend (storage's
//!   `add_audit_records`): a peer cannot change a chain, only extend it with records its
//!   signer made.
//! - A record refused (bad signature, fork, gap) is logged and counted, and ends that chain's
//!   exchange for this round, never the sync; the records before it stay.
//! - A sync role that may not read the table's audit log (42501 on the peer) moves entries as
//!   before and no audit records: the report says so (`audit_skipped`), not an error.
//! - Each side sends from the other's last seq less one, so a fork at the head shows.
//! - Memory is bounded by one page of records per round trip.

use std::collections::HashMap;

use futures_util::future::join_all;
use mindoodb_protocol::{AuditChainId, AuditRecord, verify_audit};
use mindoodb_storage::TableInfo;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

use crate::peer::Peer;
use crate::sync::{LocalNode, TableReport};
use crate::{Error, Result};

/// Records per round trip.
const PAGE: usize = 1024;

/// Adds the records of the peer's chains of `info`'s table that this node lacks.
pub(crate) async fn pull(
    local: &dyn LocalNode,
    peer: &Peer,
    info: &TableInfo,
    report: &mut TableReport,
) -> Result<()> {
    let Some(theirs) = peer_chains(peer, &info.name, report).await? else {
        return Ok(());
    };
    let store = local.store();
    let ours: HashMap<AuditChainId, u64> = store
        .audit_chains(info.table)?
        .into_iter()
        .map(|chain| (chain.id, chain.last_seq))
        .collect();
    let statement = peer
        .client()
        .prepare(
            "SELECT seq, record FROM mindoo.audit_records($1::text, $2::text, $3::int8, $4::int4)",
        )
        .await?;
    for (chain, their_last) in theirs {
        let have = ours.get(&chain).copied().unwrap_or(0);
        if their_last <= have {
            continue;
        }
        let mut since = have.saturating_sub(1);
        loop {
            let rows = peer
                .client()
                .query(
                    &statement,
                    &[
                        &info.name,
                        &chain.to_string(),
                        &(since as i64),
                        &(PAGE as i32),
                    ],
                )
                .await?;
            let mut records: Vec<AuditRecord> = Vec::with_capacity(rows.len());
            let mut bad: Option<(u64, String)> = None;
            for row in &rows {
                let seq = u64::try_from(row.try_get::<_, i64>(0)?).unwrap_or(0);
                let bytes: Vec<u8> = row.try_get(1)?;
                match verify_audit(&bytes) {
                    Ok(record) if record.seq() == seq => records.push(record),
                    Ok(_) => bad = Some((seq, "its seq is not the one it was sent as".into())),
                    Err(err) => bad = Some((seq, err.to_string())),
                }
                if bad.is_some() {
                    break;
                }
            }
            let added = store.add_audit_records(info.table, &chain, &records)?;
            report.audit_pulled += added.appended;
            if let Some((seq, why)) = added.refused.or(bad) {
                report.audit_refused += 1;
                tracing::warn!(table = %info.name, peer = %peer.id(), %chain, seq, reason = %why,
                    "refused a read-audit record from the peer; its chain stops there this round");
                break;
            }
            match rows.last() {
                Some(row) if rows.len() == PAGE => {
                    since = u64::try_from(row.try_get::<_, i64>(0)?).unwrap_or(0);
                }
                _ => break,
            }
        }
    }
    Ok(())
}

/// Offers the peer the records of this node's chains of `info`'s table that it lacks.
pub(crate) async fn push(
    local: &dyn LocalNode,
    peer: &Peer,
    info: &TableInfo,
    report: &mut TableReport,
) -> Result<()> {
    let store = local.store();
    let chains = store.audit_chains(info.table)?;
    if chains.is_empty() {
        return Ok(());
    }
    let Some(theirs) = peer_chains(peer, &info.name, report).await? else {
        return Ok(());
    };
    let theirs: HashMap<AuditChainId, u64> = theirs.into_iter().collect();
    let client = peer.client();
    let statement = client
        .prepare("SELECT added FROM mindoo.add_audit_record($1::text, $2::text, $3::bytea)")
        .await?;
    for chain in chains {
        let their_last = theirs.get(&chain.id).copied().unwrap_or(0);
        if chain.last_seq <= their_last {
            continue;
        }
        let id = chain.id.to_string();
        let mut since = their_last.saturating_sub(1);
        'chain: loop {
            let page = store.audit_chain_raw(info.table, &chain.id, since, PAGE)?;
            let records: Vec<&[u8]> = page.iter().map(|(_, bytes)| &bytes[..]).collect();
            let params: Vec<[&(dyn ToSql + Sync); 3]> = records
                .iter()
                .map(|bytes| [&info.name as &(dyn ToSql + Sync), &id, bytes])
                .collect();
            // One round trip for the page: the queries are pipelined on the connection.
            let sent = join_all(
                params
                    .iter()
                    .map(|params| client.query_one(&statement, params)),
            )
            .await;
            for ((seq, _), res) in page.iter().zip(sent) {
                match res {
                    Ok(row) => {
                        if row.try_get::<_, bool>(0)? {
                            report.audit_pushed += 1;
                        }
                    }
                    Err(err) if err.as_db_error().is_some() => {
                        report.audit_refused += 1;
                        tracing::warn!(table = %info.name, peer = %peer.id(), chain = %id, seq,
                            error = %err, "the peer refused a read-audit record; its chain stops there this round");
                        break 'chain;
                    }
                    Err(err) => return Err(err.into()),
                }
            }
            match page.last() {
                Some(&(last, _)) if page.len() == PAGE => since = last,
                _ => break,
            }
        }
    }
    Ok(())
}

/// The peer's chains of `table` with their last seqs, or None when the sync role may not
/// read them (or the peer cannot list them), which the report and the log say.
async fn peer_chains(
    peer: &Peer,
    table: &str,
    report: &mut TableReport,
) -> Result<Option<Vec<(AuditChainId, u64)>>> {
    let rows = match peer
        .client()
        .query(
            "SELECT chain, last_seq FROM mindoo.audit_chains($1::text) ORDER BY chain",
            &[&table],
        )
        .await
    {
        Ok(rows) => rows,
        Err(err) if err.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) => {
            report.audit_skipped = true;
            tracing::info!(table, peer = %peer.id(),
                "the sync role may not read this table's read-audit log on the peer; its audit chains are not synced");
            return Ok(None);
        }
        Err(err) if err.as_db_error().is_some() => {
            report.audit_skipped = true;
            tracing::warn!(table, peer = %peer.id(), error = %err,
                "the peer did not list this table's read-audit chains; they are not synced this round");
            return Ok(None);
        }
        Err(err) => return Err(err.into()),
    };
    let chains = rows
        .iter()
        .map(|row| {
            let text: String = row.try_get(0)?;
            let chain = AuditChainId::from_hex(&text)
                .ok_or_else(|| Error::Peer(format!("{text:?} is not an audit chain id")))?;
            let last = u64::try_from(row.try_get::<_, i64>(1)?).unwrap_or(0);
            Ok((chain, last))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(chains))
}
