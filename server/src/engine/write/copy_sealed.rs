//! `COPY <table> FROM STDIN (FORMAT binary)`: sealed entries, one per row, imported as one
//! transaction. The rows arrive in Postgres' binary COPY format; each holds the sealed bytes
//! (what `mindoo.entries(...).sealed` returns) and, as an optional second field, the entry's
//! carried proof (`mindoo.entries(...).proof`: NULL or absent for a format-1 entry).
//!
//! Invariants:
//! - Each row is parsed and verified as soon as it is complete. A row that is not a valid
//!   entry (it does not parse, or fails verification) goes to the table's quarantine with the
//!   reason, and the COPY goes on: a push never stops at one bad entry. Broken COPY framing
//!   fails the COPY, which then writes nothing.
//! - Entries are admitted (apply.rs): once the tenant trusts writers, untrusted signers'
//!   entries are quarantined too.
//! - Nothing is written before CopyDone, and only when the data ended with the binary trailer.
//! - Importing is idempotent: entries the table holds already are not stored again.
//!
//! See: docs/SQL.md#copy
#![allow(
    clippy::big_endian_bytes,
    reason = "the binary COPY format is big-endian"
)]

use mindoodb_protocol::{MAX_PAYLOAD_LEN, Receiver, VerifiedEntry};
use mindoodb_storage::{QuarantineRecord, Table};

use futures::future::BoxFuture;

use super::apply;
use crate::engine::session::Session;
use crate::engine::session::copy_in::CopyInProgress;
use crate::error::{Error, Result};

/// The binary COPY signature, flags and header-extension length come first.
const SIGNATURE: &[u8; 11] = b"PGCOPY\n\xff\r\n\0";
/// The largest field accepted: a whole entry with the largest payload and generous header room.
const MAX_FIELD: usize = MAX_PAYLOAD_LEN + 64 * 1024;

/// The sealed entries of a COPY FROM STDIN, verified as their rows complete.
pub(crate) struct SealedIn {
    table: Table,
    buf: Vec<u8>,
    header_done: bool,
    trailer_seen: bool,
    n_rows: usize,
    receiver: Receiver,
    entries: Vec<VerifiedEntry>,
    /// Rows that were not valid entries, for the quarantine.
    refused: Vec<QuarantineRecord>,
    /// Who sent them, for their quarantine records.
    source: String,
    /// The first error; reported at CopyDone, as Postgres does.
    failure: Option<Error>,
}

impl SealedIn {
    /// An import into `table` sent by `role`, before any data.
    pub(crate) fn new(table: Table, role: &str) -> SealedIn {
        SealedIn {
            table,
            refused: Vec::new(),
            source: apply::sent_by(role),
            buf: Vec::new(),
            header_done: false,
            trailer_seen: false,
            n_rows: 0,
            receiver: Receiver::new(),
            entries: Vec::new(),
            failure: None,
        }
    }

    /// Appends `data` and consumes every complete row in the buffer.
    fn feed(&mut self, data: &[u8]) -> Result<()> {
        if self.trailer_seen {
            return Err(bad("more data after the trailer"));
        }
        self.buf.extend_from_slice(data);
        let mut pos = 0;
        if !self.header_done {
            let fixed = SIGNATURE.len() + 8;
            if self.buf.len() < fixed {
                return Ok(());
            }
            if &self.buf[..SIGNATURE.len()] != SIGNATURE {
                return Err(bad("missing the signature"));
            }
            let flags = be_i32(&self.buf[SIGNATURE.len()..])?;
            if flags & (1 << 16) != 0 {
                return Err(bad("OIDs are not supported"));
            }
            let extension = usize::try_from(be_i32(&self.buf[SIGNATURE.len() + 4..])?)
                .map_err(|_| bad("negative header extension length"))?;
            if self.buf.len() < fixed + extension {
                return Ok(());
            }
            pos = fixed + extension;
            self.header_done = true;
        }
        loop {
            let rest = &self.buf[pos..];
            let Some(count) = rest.get(..2) else { break };
            let count = i16::from_be_bytes([count[0], count[1]]);
            if count == -1 {
                self.trailer_seen = true;
                pos += 2;
                break;
            }
            let row = self.n_rows + 1;
            if !(1..=2).contains(&count) {
                return Err(bad(&format!(
                    "row {row} has {count} fields; each row holds one sealed entry and its proof"
                )));
            }
            let mut at = 2;
            let mut fields: [Option<&[u8]>; 2] = [None, None];
            let mut complete = true;
            for field in fields.iter_mut().take(count as usize) {
                match read_field(rest, at, row)? {
                    Some((value, next)) => {
                        *field = value;
                        at = next;
                    }
                    None => {
                        complete = false;
                        break;
                    }
                }
            }
            if !complete {
                break;
            }
            let sealed =
                fields[0].ok_or_else(|| bad(&format!("row {row} holds NULL, not an entry")))?;
            let what = format!("COPY row {row}");
            match apply::verify(&mut self.receiver, sealed.to_vec(), fields[1], &what) {
                Ok(entry) => self.entries.push(entry),
                Err(err) => self.refused.push(QuarantineRecord::refused(
                    sealed.to_vec(),
                    fields[1].map(<[u8]>::to_vec),
                    err.to_string(),
                    self.source.clone(),
                )),
            }
            self.n_rows += 1;
            pos += at;
        }
        self.buf.drain(..pos);
        if self.trailer_seen && !self.buf.is_empty() {
            return Err(bad("more data after the trailer"));
        }
        Ok(())
    }
}

impl CopyInProgress for SealedIn {
    /// One CopyData message; after an error the rest of the data is ignored.
    fn push(&mut self, data: &[u8]) {
        if self.failure.is_none()
            && let Err(err) = self.feed(data)
        {
            self.failure = Some(err);
            self.buf = Vec::new();
            self.entries = Vec::new();
            self.refused = Vec::new();
        }
    }

    /// CopyDone: imports every row in one transaction; returns how many rows there were.
    fn finish<'s>(self: Box<Self>, session: &'s mut Session) -> BoxFuture<'s, Result<usize>> {
        Box::pin(async move {
            let this = *self;
            if let Some(err) = this.failure {
                return Err(err);
            }
            if !this.buf.is_empty() || !this.trailer_seen && this.header_done {
                return Err(bad("it ended inside a row or without the trailer"));
            }
            let store = session.store().clone();
            let notifier = session.engine().notifier().clone();
            let (tenant, table, entries) = (session.tenant().id, this.table, this.entries);
            let (refused, source) = (this.refused, this.source);
            if !entries.is_empty() || !refused.is_empty() {
                tokio::task::spawn_blocking(move || {
                    if !refused.is_empty() {
                        tracing::warn!(entries = refused.len(), %source,
                            "COPY sent entries that failed verification; quarantined");
                        store.quarantine(table, &refused)?;
                    }
                    if entries.is_empty() {
                        return Ok(());
                    }
                    apply::import(&store, &notifier, tenant, table, entries, &source).map(drop)
                })
                .await
                .map_err(|e| Error::Internal(format!("copy task: {e}")))??;
            }
            Ok(this.n_rows)
        })
    }
}

/// A field's value (`None` for NULL) and where the next field starts.
type Field<'a> = (Option<&'a [u8]>, usize);

/// The field at `at` of a row; `None` while it is incomplete.
fn read_field(rest: &[u8], at: usize, row: usize) -> Result<Option<Field<'_>>> {
    let Some(len) = rest.get(at..at + 4) else {
        return Ok(None);
    };
    let len = be_i32(len)?;
    if len == -1 {
        return Ok(Some((None, at + 4)));
    }
    let len = usize::try_from(len).map_err(|_| bad(&format!("row {row} has a negative length")))?;
    if len > MAX_FIELD {
        return Err(bad(&format!("row {row} is larger than any entry")));
    }
    Ok(rest
        .get(at + 4..at + 4 + len)
        .map(|field| (Some(field), at + 4 + len)))
}

fn be_i32(bytes: &[u8]) -> Result<i32> {
    bytes
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .map(i32::from_be_bytes)
        .ok_or_else(|| bad("truncated"))
}

/// Data that is not binary COPY framing (22P04); entries that fail to parse or verify are
/// reported by `apply::verify` instead.
fn bad(why: &str) -> Error {
    Error::BadCopyData(format!("binary COPY data: {why}"))
}
