//! `COPY <table> FROM STDIN (FORMAT binary)`: sealed entries, one per row, imported as one
//! transaction. The rows arrive in Postgres' binary COPY format; each must hold exactly one
//! non-NULL field, the sealed bytes (what `mindoo.entries(...).sealed` returns).
//!
//! Invariants:
//! - Each row is parsed and verified as soon as it is complete; the first bad row fails the
//!   COPY, which then writes nothing (apply.rs).
//! - Nothing is written before CopyDone; CopyFail or a dropped connection writes nothing.
//! - Only one COPY runs per session at a time, outside a transaction block.
//!
//! See: docs/SQL.md#copy-from-stdin
#![allow(
    clippy::big_endian_bytes,
    reason = "the binary COPY format is big-endian"
)]

use datafusion::sql::sqlparser::ast::{
    CopyLegacyOption, CopyOption, CopySource, CopyTarget, Statement,
};
use mindoodb_protocol::{MAX_PAYLOAD_LEN, VerifiedEntry};
use mindoodb_storage::Table;

use super::apply;
use super::session::{Session, TxnStatus};
use crate::error::{Error, Result};
use crate::output::Output;

/// The binary COPY signature, flags and header-extension length come first.
const SIGNATURE: &[u8; 11] = b"PGCOPY\n\xff\r\n\0";
/// The largest field accepted: a whole entry with the largest payload and generous header room.
const MAX_FIELD: usize = MAX_PAYLOAD_LEN + 64 * 1024;

/// An open COPY FROM STDIN.
pub(crate) struct CopyIn {
    table: Table,
    buf: Vec<u8>,
    header_done: bool,
    trailer_seen: bool,
    n_rows: usize,
    entries: Vec<VerifiedEntry>,
    failure: Option<Error>,
}

/// Starts a COPY: checks the statement and remembers the target table.
pub(crate) fn begin(session: &mut Session, statement: &Statement) -> Result<Output> {
    let Statement::Copy {
        source,
        to,
        target,
        options,
        legacy_options,
        ..
    } = statement
    else {
        return Err(Error::Internal("not a COPY".into()));
    };
    let (
        CopySource::Table {
            table_name,
            columns,
        },
        false,
        CopyTarget::Stdin,
    ) = (source, to, target)
    else {
        return Err(Error::FeatureNotSupported(
            "COPY other than <table> FROM STDIN".into(),
        ));
    };
    let binary = options
        .iter()
        .any(|o| matches!(o, CopyOption::Format(f) if f.value.eq_ignore_ascii_case("binary")))
        || legacy_options.contains(&CopyLegacyOption::Binary);
    if !binary {
        return Err(Error::FeatureNotSupported(
            "COPY FROM STDIN takes sealed entries in FORMAT binary only".into(),
        ));
    }
    if !(columns.is_empty()
        || matches!(columns.as_slice(), [c] if c.value.eq_ignore_ascii_case("sealed")))
    {
        return Err(Error::FeatureNotSupported(
            "COPY FROM STDIN takes one column, the sealed entry".into(),
        ));
    }
    if session.txn_status() != TxnStatus::Idle {
        return Err(Error::ActiveTransaction("COPY FROM STDIN".into()));
    }
    let name = table_name.to_string().to_lowercase();
    let info = session
        .engine
        .store()
        .table(session.tenant.id, &name)
        .ok_or_else(|| Error::UndefinedTable(name.clone()))?;
    session.copy = Some(CopyIn {
        table: info.table,
        buf: Vec::new(),
        header_done: false,
        trailer_seen: false,
        n_rows: 0,
        entries: Vec::new(),
        failure: None,
    });
    Ok(Output::CopyIn { columns: 1 })
}

impl Session {
    /// One CopyData message; errors are kept and reported at CopyDone, as Postgres does.
    pub(crate) fn copy_data(&mut self, data: &[u8]) {
        if let Some(copy) = self.copy.as_mut()
            && copy.failure.is_none()
            && let Err(err) = copy.feed(data)
        {
            copy.failure = Some(err);
            copy.buf = Vec::new();
            copy.entries = Vec::new();
        }
    }

    /// CopyDone: imports every row in one transaction; the tag is `COPY n`.
    pub(crate) async fn copy_done(&mut self) -> Result<Output> {
        let copy = self
            .copy
            .take()
            .ok_or_else(|| Error::Internal("CopyDone without COPY".into()))?;
        if let Some(err) = copy.failure {
            return Err(err);
        }
        if !copy.buf.is_empty() || !copy.trailer_seen && copy.header_done {
            return Err(Error::InvalidParameter(
                "COPY data ended inside a row or without the binary trailer".into(),
            ));
        }
        let (store, notifier) = (self.engine.store().clone(), self.engine.notifier().clone());
        let (tenant, table, n_rows) = (self.tenant.id, copy.table, copy.n_rows);
        let entries = copy.entries;
        if !entries.is_empty() {
            tokio::task::spawn_blocking(move || {
                apply::import(&store, &notifier, tenant, table, entries)
            })
            .await
            .map_err(|e| Error::Internal(format!("copy task: {e}")))??;
        }
        Ok(Output::Command {
            tag: "COPY",
            rows: Some(n_rows),
        })
    }

    /// CopyFail: forgets the COPY; nothing was written.
    pub(crate) fn copy_fail(&mut self, message: &str) -> Error {
        self.copy = None;
        Error::CopyFailed(message.to_owned())
    }
}

impl CopyIn {
    /// Appends `data` and consumes every complete row in the buffer.
    fn feed(&mut self, data: &[u8]) -> Result<()> {
        if self.trailer_seen {
            return Err(bad("data after the binary COPY trailer"));
        }
        self.buf.extend_from_slice(data);
        let mut pos = 0;
        if !self.header_done {
            let fixed = SIGNATURE.len() + 8;
            if self.buf.len() < fixed {
                return Ok(());
            }
            if &self.buf[..SIGNATURE.len()] != SIGNATURE {
                return Err(bad("missing the binary COPY signature"));
            }
            let flags = be_i32(&self.buf[SIGNATURE.len()..])?;
            if flags & (1 << 16) != 0 {
                return Err(bad("binary COPY with OIDs is not supported"));
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
            if count != 1 {
                return Err(bad(&format!(
                    "row {} has {count} fields; each row holds one sealed entry",
                    self.n_rows + 1
                )));
            }
            let Some(len) = rest.get(2..6) else { break };
            let len = be_i32(len)?;
            let len = usize::try_from(len)
                .map_err(|_| bad(&format!("row {} holds NULL, not an entry", self.n_rows + 1)))?;
            if len > MAX_FIELD {
                return Err(bad(&format!(
                    "row {} is larger than any entry",
                    self.n_rows + 1
                )));
            }
            let Some(field) = rest.get(6..6 + len) else {
                break;
            };
            let what = format!("COPY row {}", self.n_rows + 1);
            self.entries.push(apply::verify(field.to_vec(), &what)?);
            self.n_rows += 1;
            pos += 6 + len;
        }
        self.buf.drain(..pos);
        if self.trailer_seen && !self.buf.is_empty() {
            return Err(bad("data after the binary COPY trailer"));
        }
        Ok(())
    }
}

fn be_i32(bytes: &[u8]) -> Result<i32> {
    bytes
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .map(i32::from_be_bytes)
        .ok_or_else(|| bad("truncated binary COPY data"))
}

fn bad(why: &str) -> Error {
    Error::InvalidParameter(format!("COPY data: {why}"))
}
