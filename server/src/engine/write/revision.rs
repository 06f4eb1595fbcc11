//! New revisions of documents: the table a write targets, the key it seals with, new ids and
//! clocks, and sealing (format 2: encrypted and hashed here, signed once per transaction by
//! its commit) — on every core when a statement writes many documents (a multi-row INSERT,
//! COPY, an UPDATE or DELETE of many rows).
//!
//! Invariants:
//! - A write uses the newest version of its key that the session holds; without it, 42501.
//! - Document bodies are validated JSON before they are sealed.
//! - Sealing keeps the order of `revisions`: parallel sealing only splits the work.
//! - A write to a view is refused (views are read-only); a write names a table.

use std::sync::Arc;

use datafusion::sql::sqlparser::ast::ObjectName;
use mindoodb_protocol::{
    AuthorClock, AuthorKey, DataKey, DocId, Draft, EntryHash, EntryKind, KeyName, Nonce, seal_entry,
};
use mindoodb_storage::TableInfo;

use crate::catalog::names;
use crate::engine::session::Session;
use crate::engine::session::txn::PendingDoc;
use crate::error::{Error, Result};

/// A revision to seal.
pub(crate) struct Revision {
    pub(crate) kind: EntryKind,
    pub(crate) doc_id: DocId,
    pub(crate) parents: Vec<EntryHash>,
    /// The new JSON; `None` for a delete.
    pub(crate) json: Option<String>,
    pub(crate) key: Arc<DataKey>,
    pub(crate) created: AuthorClock,
}

/// Rows from which sealing is spread over every core: below it, starting threads costs more
/// than it saves.
const PARALLEL_SEAL_ROWS: usize = 32;

/// Seals `revisions` in order, authored by the session's signer at clock `now`.
pub(crate) fn seal_all(
    session: &Session,
    revisions: Vec<Revision>,
    now: AuthorClock,
) -> Result<Vec<PendingDoc>> {
    let (identity, role) = session.signer();
    let (author, role) = (identity.public(), role.unwrap_or_default());
    let seal_one = |rev: Revision| seal_revision(author, &role, rev, now);
    // Only a batch worth splitting asks for the core count: std reads it from cgroup files,
    // which took a sixth of the CPU of a one-row INSERT (profiled, 16 clients).
    let threads = if revisions.len() < PARALLEL_SEAL_ROWS {
        1
    } else {
        std::thread::available_parallelism().map_or(1, usize::from)
    };
    if threads < 2 {
        return revisions.into_iter().map(seal_one).collect();
    }
    let per_thread = revisions.len().div_ceil(threads);
    let mut chunks = Vec::with_capacity(threads);
    let mut revisions = revisions.into_iter();
    loop {
        let chunk: Vec<Revision> = revisions.by_ref().take(per_thread).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(|| chunk.into_iter().map(seal_one).collect::<Result<Vec<_>>>())
            })
            .collect();
        let mut docs = Vec::new();
        for handle in handles {
            let sealed = handle
                .join()
                .map_err(|_| Error::Internal("a sealing thread panicked".into()))?;
            docs.extend(sealed?);
        }
        Ok(docs)
    })
}

fn seal_revision(
    author: AuthorKey,
    role: &str,
    rev: Revision,
    now: AuthorClock,
) -> Result<PendingDoc> {
    let draft = Draft {
        kind: rev.kind,
        doc_id: rev.doc_id,
        parents: rev.parents,
        clock: now,
        signer_role: role.to_owned(),
    };
    let plain = rev.json.as_deref().unwrap_or("").as_bytes();
    let entry = seal_entry(draft, plain, &rev.key, author, Nonce::random()?)?;
    Ok(PendingDoc {
        entry,
        json: rev.json,
        created: rev.created,
    })
}

/// The newest version of key `name` the session holds, or 42501.
pub(crate) fn newest_key(session: &Session, name: &KeyName) -> Result<Arc<DataKey>> {
    session
        .state()
        .read()
        .keys
        .newest(name)
        .cloned()
        .ok_or_else(|| {
            Error::NotAllowed(format!(
                "this session holds no key \"{name}\"; SET mindoo.keys or mindoo.unlock first"
            ))
        })
}

/// The table a write names; a view is refused (views are read-only).
pub(crate) fn target_table(
    session: &Session,
    name: &ObjectName,
    verb: &'static str,
) -> Result<TableInfo> {
    let name = names::relation(name)?;
    let store = session.store();
    let tenant = session.tenant().id;
    if let Some(info) = store.table(tenant, &name) {
        return Ok(info);
    }
    if store.view(tenant, &name).is_some() {
        return Err(Error::ReadOnlyView { verb, name });
    }
    Err(Error::UndefinedTable(name))
}

/// The key a table's documents use when INSERT names none.
pub(crate) fn default_key(info: &TableInfo) -> KeyName {
    info.default_key.clone().unwrap_or_else(|| {
        KeyName::new("default").unwrap_or_else(|_| unreachable!("'default' is a valid key name"))
    })
}

/// Parses text as PostgreSQL's jsonb input and gives back PostgreSQL's jsonb text (what a
/// document stores), or PostgreSQL's error (22P02 for text that is not JSON).
pub(crate) fn normalize_json(text: &str) -> Result<String> {
    Ok(mindoodb_pgfn::jsonb::parse(text)?.to_text())
}

/// A time-sortable id: 12 hex digits of milliseconds, then 12 random hex digits.
pub(crate) fn new_doc_id() -> String {
    let millis = chrono::Utc::now().timestamp_millis().max(0) as u64;
    let mut random = [0u8; 6];
    // The OS random source failing leaves zeros: ids stay unique by time and the
    // store's duplicate check refuses a clash.
    let _ = getrandom::fill(&mut random);
    let mut id = format!("{:012x}", millis & 0xffff_ffff_ffff);
    for b in random {
        id.push_str(&format!("{b:02x}"));
    }
    id
}
