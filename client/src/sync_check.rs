//! What a pulled batch becomes before anything of it is stored: the entries that verified, and
//! a quarantine record for each one that did not, so that one bad entry never stops a sync.
//!
//! Invariants:
//! - An entry is accepted only after it parsed and verified (a format-1 entry by its
//!   signature, a format-2 entry by the commit and path it carries: one signature per commit)
//!   and, when this node holds its key, decrypted: a peer cannot forge entries under a held key.
//! - Every entry of the batch ends in exactly one of the two lists, in the batch's order;
//!   `last` names the batch's last seq and hash whichever list it went to, so the pull cursor
//!   moves past refused entries too.
//! - Batches of `PARALLEL_FROM` entries or more are verified on every core (up to 8), author
//!   keys decoded once per author per thread.

use mindoodb_protocol::{EntryHash, Receiver, UnverifiedEntry, VerifiedEntry, open};
use mindoodb_storage::QuarantineRecord;

use crate::sync::LocalNode;

/// Batches smaller than this are verified on the calling thread.
const PARALLEL_FROM: usize = 256;

/// One pulled entry: its seq on the peer, its sealed bytes, its carried proof (format 2).
pub(crate) type Carried = (i64, Vec<u8>, Option<Vec<u8>>);

/// A batch, checked.
#[derive(Default)]
pub(crate) struct Checked {
    /// The entries that verified, with their seqs on the peer.
    pub(crate) entries: Vec<(i64, VerifiedEntry)>,
    /// The ones that did not, as the quarantine keeps them.
    pub(crate) refused: Vec<QuarantineRecord>,
    /// The batch's last seq on the peer and that entry's hash.
    pub(crate) last: Option<(i64, EntryHash)>,
}

/// Checks every entry of `raw`, pulled from the peer named `source`.
pub(crate) fn check_all(raw: Vec<Carried>, local: &dyn LocalNode, source: &str) -> Checked {
    let n_workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let verdicts: Vec<Verdict> = if raw.len() < PARALLEL_FROM || n_workers < 2 {
        let mut receiver = Receiver::new();
        raw.into_iter()
            .map(|carried| check_one(carried, local, &mut receiver, source))
            .collect()
    } else {
        let chunk = raw.len().div_ceil(n_workers);
        let mut chunks: Vec<Vec<Carried>> = Vec::with_capacity(n_workers);
        let mut rest = raw;
        while rest.len() > chunk {
            let tail = rest.split_off(chunk);
            chunks.push(rest);
            rest = tail;
        }
        chunks.push(rest);
        std::thread::scope(|scope| {
            let workers: Vec<_> = chunks
                .into_iter()
                .map(|chunk| {
                    scope.spawn(move || {
                        let mut receiver = Receiver::new();
                        chunk
                            .into_iter()
                            .map(|carried| check_one(carried, local, &mut receiver, source))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|worker| {
                    // A worker runs only parsing and verification, which return errors
                    // rather than panic; if one did, its panic goes on here.
                    worker
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    };
    let mut checked = Checked::default();
    for verdict in verdicts {
        match verdict {
            Verdict::Verified(seq, entry) => {
                checked.last = Some((seq, entry.hash()));
                checked.entries.push((seq, entry));
            }
            Verdict::Refused(seq, record) => {
                checked.last = Some((seq, EntryHash(record.hash)));
                checked.refused.push(record);
            }
        }
    }
    checked
}

enum Verdict {
    Verified(i64, VerifiedEntry),
    Refused(i64, QuarantineRecord),
}

fn check_one(
    (seq, bytes, proof): Carried,
    local: &dyn LocalNode,
    receiver: &mut Receiver,
    source: &str,
) -> Verdict {
    let refuse = |bytes: Vec<u8>, proof: Option<Vec<u8>>, why: String| {
        tracing::warn!(seq, peer = source, reason = %why, "refused a pulled entry; quarantined");
        Verdict::Refused(
            seq,
            QuarantineRecord::refused(bytes, proof, why, source.to_owned()),
        )
    };
    let entry = match UnverifiedEntry::parse(bytes.clone()) {
        Ok(entry) => entry,
        Err(err) => return refuse(bytes, proof, format!("not a sealed entry: {err}")),
    };
    let entry = match receiver.verify(entry, proof.as_deref()) {
        Ok(entry) => entry,
        Err(err) => return refuse(bytes, proof, format!("failed verification: {err}")),
    };
    if let Some(key) = local.key(entry.header().key())
        && open(&entry, &key).is_err()
    {
        let why = format!(
            "it does not decrypt with the held key {}: forged or altered",
            entry.header().key()
        );
        return refuse(bytes, proof, why);
    }
    Verdict::Verified(seq, entry)
}
