//! Moving a tenant's writer list between nodes ahead of its entries: pull the peer's signed
//! records with `mindoo.writer_log`, push ours with `mindoo.add_writer_record`.
//!
//! Invariants:
//! - Records are verified and judged by the list they extend (storage's `add_writer_record`):
//!   a peer cannot make this node trust anyone, only relay what a list admin signed.
//! - A record the list refuses (a fork, a signer without the right) is logged and ends the
//!   list's exchange for this round, never the sync: entries are then judged by the list
//!   this node has.
//! - Each side sends from the other's next seq less one, so a fork at the head shows.

use mindoodb_protocol::WriterRecord;

use crate::peer::Peer;
use crate::sync::LocalNode;
use crate::{Error, Result};

/// Appends the peer's records this node lacks to its list.
pub(crate) async fn pull(local: &dyn LocalNode, peer: &Peer) -> Result<()> {
    let store = local.store();
    let from = store
        .writer_list(local.tenant())
        .next_seq()
        .saturating_sub(1);
    let rows = peer
        .client()
        .query(
            "SELECT seq, record FROM mindoo.writer_log($1::int8) ORDER BY seq",
            &[&(from as i64)],
        )
        .await?;
    for row in rows {
        let bytes: Vec<u8> = row.try_get(1)?;
        let record = WriterRecord::verify(&bytes)
            .map_err(|err| Error::Peer(format!("the peer sent a bad writer record: {err}")))?;
        if let Err(err) = store.add_writer_record(local.tenant(), &record) {
            tracing::warn!(peer = %peer.id(), seq = record.seq(), error = %err,
                "the peer's writer list does not continue this one; keeping this one");
            return Ok(());
        }
    }
    Ok(())
}

/// Offers the peer the records of this node's list it lacks.
pub(crate) async fn push(local: &dyn LocalNode, peer: &Peer) -> Result<()> {
    let list = local.store().writer_list(local.tenant());
    if list.is_empty() {
        return Ok(());
    }
    let client = peer.client();
    let row = client
        .query_one(
            "SELECT coalesce(max(seq) + 1, 0) FROM mindoo.writer_log(0)",
            &[],
        )
        .await?;
    let theirs = u64::try_from(row.try_get::<_, i64>(0)?).unwrap_or(0);
    if theirs >= list.next_seq() {
        return Ok(());
    }
    let records =
        local
            .store()
            .writer_records(local.tenant(), theirs.saturating_sub(1), usize::MAX)?;
    for record in records {
        let sent = client
            .query_one(
                "SELECT added FROM mindoo.add_writer_record($1::bytea)",
                &[&record.bytes()],
            )
            .await;
        if let Err(err) = sent {
            tracing::warn!(peer = %peer.id(), seq = record.seq(), error = %err,
                "the peer refused a writer record; its list does not continue this one");
            return Ok(());
        }
    }
    Ok(())
}
