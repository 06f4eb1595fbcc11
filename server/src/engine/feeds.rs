//! The `mindoo.*` table functions over a table's log: the change feed (one table or many),
//! the raw entry log, revision history, time travel, conflicts, verification, proofs, import,
//! the table list and sync with a peer (sync.rs). Each reads one storage snapshot on a
//! blocking thread and emits Arrow batches; `udtf.rs` makes them DataFusion relations.
//!
//! Invariants:
//! - One call reads one snapshot: a feed never shows half a commit, and paging inside a call
//!   never shows a document twice.
//! - `data` is decrypted with the session's keys only; it is NULL for deletes and for keys
//!   the session does not hold. No column ever carries key material.
//! - Feeds page through storage, so `changes`/`entries` with a limit read O(limit) entries.
//! - Only `apply` and `sync` write, and only entries whose signature verified (apply.rs,
//!   sync.rs).
//!
//! See: docs/SQL.md#change-feeds-history-and-verification

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, PoisonError};

use datafusion::arrow::array::{
    ArrayBuilder, ArrayRef, BinaryBuilder, BooleanBuilder, Int32Builder, Int64Builder,
    StringBuilder, TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use mindoodb_client::glob;
use mindoodb_protocol::{AuthorClock, DocId, Entry, EntryKind, open};
use mindoodb_storage::{
    Cutoff, Document, Outcome, Problem, RoleRecord, Seq, Snapshot, Store, Table, TenantId,
    VerifyReport,
};

use super::json::jsonb_field;
use super::keyring::KeySet;
use super::notify::Notifier;
use super::provider::SharedState;
use super::row::{self, Projection, Row};
use super::{Activity, Engine, apply, shards, sync};
use crate::error::{Error, Result};
use crate::output::PgType;

/// Rows per emitted batch and per storage page.
const PAGE: usize = 1024;

/// One table function of schema `mindoo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FeedFn {
    Changes,
    ChangesAll,
    Entries,
    History,
    AsOf,
    AsOfSeq,
    Conflicts,
    Verify,
    Proof,
    Apply,
    Tables,
    Sync,
    Move,
    Stats,
    Activity,
}

/// One declared parameter of a table function.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Param {
    pub(crate) name: &'static str,
    pub(crate) pg_type: PgType,
    pub(crate) optional: bool,
}

/// What the functions of one session read and write with.
pub(crate) struct FeedCtx {
    pub(crate) store: Store,
    pub(crate) tenant: TenantId,
    pub(crate) state: SharedState,
    pub(crate) notifier: Arc<Notifier>,
    /// The session's role is a superuser (only superusers may make the server connect out).
    pub(crate) superuser: bool,
    pub(crate) activity: Arc<Activity>,
}

impl FeedCtx {
    /// What one session's table functions use.
    pub(crate) fn new(
        engine: &Engine,
        role: &RoleRecord,
        tenant: TenantId,
        state: SharedState,
    ) -> Arc<FeedCtx> {
        Arc::new(FeedCtx {
            store: engine.store().clone(),
            tenant,
            state,
            notifier: engine.notifier().clone(),
            superuser: role.superuser,
            activity: engine.activity().clone(),
        })
    }
}

/// An argument, converted to its parameter's type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    Null,
    Text(String),
    Int(i64),
    /// Microseconds since the Unix epoch.
    Time(i64),
    Bytes(Vec<u8>),
}

const fn param(name: &'static str, pg_type: PgType) -> Param {
    Param {
        name,
        pg_type,
        optional: false,
    }
}

const fn optional(name: &'static str, pg_type: PgType) -> Param {
    Param {
        name,
        pg_type,
        optional: true,
    }
}

impl FeedFn {
    pub(crate) const ALL: [FeedFn; 15] = [
        FeedFn::Changes,
        FeedFn::ChangesAll,
        FeedFn::Entries,
        FeedFn::History,
        FeedFn::AsOf,
        FeedFn::AsOfSeq,
        FeedFn::Conflicts,
        FeedFn::Verify,
        FeedFn::Proof,
        FeedFn::Apply,
        FeedFn::Tables,
        FeedFn::Sync,
        FeedFn::Move,
        FeedFn::Stats,
        FeedFn::Activity,
    ];

    /// The name after `mindoo.`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            FeedFn::Changes => "changes",
            FeedFn::ChangesAll => "changes_all",
            FeedFn::Entries => "entries",
            FeedFn::History => "history",
            FeedFn::AsOf => "as_of",
            FeedFn::AsOfSeq => "as_of_seq",
            FeedFn::Conflicts => "conflicts",
            FeedFn::Verify => "verify",
            FeedFn::Proof => "proof",
            FeedFn::Apply => "apply",
            FeedFn::Tables => "tables",
            FeedFn::Sync => "sync",
            FeedFn::Move => "move",
            FeedFn::Stats => "stats",
            FeedFn::Activity => "activity",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<FeedFn> {
        FeedFn::ALL.into_iter().find(|f| f.name() == name)
    }

    pub(crate) fn params(self) -> &'static [Param] {
        const TABLE: Param = param("table", PgType::Text);
        const FEED: &[Param] = &[
            TABLE,
            param("since", PgType::Int8),
            optional("limit", PgType::Int4),
        ];
        const FEED_ALL: &[Param] = &[
            param("pattern", PgType::Text),
            param("cursors", PgType::Jsonb),
            optional("limit", PgType::Int4),
        ];
        const DOC: &[Param] = &[TABLE, param("id", PgType::Text)];
        const AS_OF: &[Param] = &[TABLE, param("at", PgType::Timestamptz)];
        const AS_OF_SEQ: &[Param] = &[TABLE, param("seq", PgType::Int8)];
        const APPLY: &[Param] = &[TABLE, param("sealed", PgType::Bytea)];
        const TABLES: &[Param] = &[param("pattern", PgType::Text)];
        const SYNC: &[Param] = &[
            param("conninfo", PgType::Text),
            TABLE,
            optional("direction", PgType::Text),
            optional("batch", PgType::Int4),
        ];
        const MOVE: &[Param] = &[
            param("src", PgType::Text),
            param("dst", PgType::Text),
            param("id_prefix", PgType::Text),
        ];
        match self {
            FeedFn::Changes | FeedFn::Entries => FEED,
            FeedFn::ChangesAll => FEED_ALL,
            FeedFn::History | FeedFn::Proof => DOC,
            FeedFn::AsOf => AS_OF,
            FeedFn::AsOfSeq => AS_OF_SEQ,
            FeedFn::Conflicts | FeedFn::Verify => &[TABLE],
            FeedFn::Apply => APPLY,
            FeedFn::Tables => TABLES,
            FeedFn::Sync => SYNC,
            FeedFn::Move => MOVE,
            FeedFn::Stats | FeedFn::Activity => &[],
        }
    }

    /// The columns its rows are sorted by (ascending), so `ORDER BY` them costs no sort.
    pub(crate) fn sorted_by(self) -> &'static [&'static str] {
        match self {
            FeedFn::Changes | FeedFn::Entries | FeedFn::History => &["seq"],
            FeedFn::ChangesAll => &["table_name", "seq"],
            FeedFn::AsOf | FeedFn::AsOfSeq | FeedFn::Conflicts => &["id"],
            FeedFn::Tables | FeedFn::Sync | FeedFn::Stats => &["table_name"],
            FeedFn::Activity => &["pid"],
            FeedFn::Verify | FeedFn::Proof | FeedFn::Apply | FeedFn::Move => &[],
        }
    }

    /// True for the functions that write.
    pub(crate) fn writes(self) -> bool {
        matches!(self, FeedFn::Apply | FeedFn::Sync | FeedFn::Move)
    }

    /// The result columns; they do not depend on the arguments.
    pub(crate) fn schema(self) -> SchemaRef {
        use Col::*;
        let columns: &[(&str, Col)] = match self {
            FeedFn::Changes => CHANGE_COLUMNS,
            FeedFn::ChangesAll => &[
                ("table_name", Text),
                ("seq", Int),
                ("id", Text),
                ("op", Text),
                ("rev", Text),
                ("key_id", Text),
                ("author", Text),
                ("updated_at", Time),
                ("data", Json),
                ("cursors", Json),
            ],
            FeedFn::Entries => &[
                ("seq", Int),
                ("hash", Text),
                ("doc_id", Text),
                ("parents", Json),
                ("key_id", Text),
                ("key_version", Int4),
                ("signer", Text),
                ("created_at", Time),
                ("sealed", Bytes),
            ],
            FeedFn::History => &[
                ("seq", Int),
                ("id", Text),
                ("op", Text),
                ("rev", Text),
                ("parents", Json),
                ("key_id", Text),
                ("author", Text),
                ("updated_at", Time),
                ("data", Json),
            ],
            FeedFn::AsOf | FeedFn::AsOfSeq => return row::doc_schema(),
            FeedFn::Conflicts => &[
                ("id", Text),
                ("rev", Text),
                ("seq", Int),
                ("op", Text),
                ("key_id", Text),
                ("author", Text),
                ("updated_at", Time),
                ("winner", Bool),
                ("data", Json),
            ],
            FeedFn::Verify => &[
                ("ok", Bool),
                ("entries", Int),
                ("signatures_ok", Int),
                ("documents", Int),
                ("problems", Int),
                ("head_seq", Int),
                ("head_rev", Text),
                ("first_bad_seq", Int),
                ("first_bad_rev", Text),
                ("first_problem", Text),
                ("details", Json),
            ],
            FeedFn::Proof => &[
                ("seq", Int),
                ("rev", Text),
                ("op", Text),
                ("parents", Json),
                ("signer", Text),
                ("signer_role", Text),
                ("key_id", Text),
                ("key_version", Int4),
                ("updated_at", Time),
                ("header", Bytes),
                ("signature", Bytes),
                ("sealed", Bytes),
                ("head", Bool),
                ("winner", Bool),
            ],
            FeedFn::Apply => &[("seq", Int), ("rev", Text), ("id", Text), ("applied", Bool)],
            FeedFn::Tables => &[("table_name", Text), ("last_seq", Int)],
            FeedFn::Sync => &[
                ("table_name", Text),
                ("pulled", Int),
                ("pulled_new", Int),
                ("pushed", Int),
                ("pull_seq", Int),
                ("push_seq", Int),
            ],
            FeedFn::Move => &[("documents", Int), ("entries", Int), ("copied", Int)],
            FeedFn::Stats => &[
                ("table_name", Text),
                ("documents", Int),
                ("deleted", Int),
                ("entries", Int),
                ("last_seq", Int),
                ("bytes_on_disk", Int),
                ("read_only", Bool),
            ],
            FeedFn::Activity => &[
                ("pid", Int),
                ("usename", Text),
                ("datname", Text),
                ("client_addr", Text),
                ("backend_start", Time),
                ("state", Text),
                ("query_start", Time),
                ("query", Text),
            ],
        };
        Arc::new(Schema::new(
            columns
                .iter()
                .map(|(name, col)| col.field(name))
                .collect::<Vec<_>>(),
        ))
    }
}

const CHANGE_COLUMNS: &[(&str, Col)] = &[
    ("seq", Col::Int),
    ("id", Col::Text),
    ("op", Col::Text),
    ("rev", Col::Text),
    ("key_id", Col::Text),
    ("author", Col::Text),
    ("updated_at", Col::Time),
    ("data", Col::Json),
];

/// Converts argument `idx` of `func` to its declared type.
pub(crate) fn arg(func: FeedFn, idx: usize, value: &ScalarValue) -> Result<Arg> {
    let Some(param) = func.params().get(idx) else {
        return Err(Error::UndefinedFunction(format!(
            "mindoo.{} with {} argument(s)",
            func.name(),
            idx + 1
        )));
    };
    if value.is_null() {
        return Ok(Arg::Null);
    }
    let bad = |want: &str| {
        Error::InvalidParameter(format!(
            "argument {} of mindoo.{} must be {want}",
            param.name,
            func.name()
        ))
    };
    let cast = |to: &DataType| value.cast_to(to).ok().filter(|v| !v.is_null());
    Ok(match param.pg_type {
        PgType::Int8 | PgType::Int4 => match cast(&DataType::Int64) {
            Some(ScalarValue::Int64(Some(n))) => Arg::Int(n),
            _ => return Err(bad("an integer")),
        },
        PgType::Timestamptz => {
            let micros = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
            match cast(&micros) {
                Some(ScalarValue::TimestampMicrosecond(Some(us), _)) => Arg::Time(us),
                _ => return Err(bad("a timestamptz")),
            }
        }
        PgType::Bytea => match value {
            ScalarValue::Binary(Some(b))
            | ScalarValue::LargeBinary(Some(b))
            | ScalarValue::BinaryView(Some(b))
            | ScalarValue::FixedSizeBinary(_, Some(b)) => Arg::Bytes(b.clone()),
            ScalarValue::Utf8(Some(s))
            | ScalarValue::LargeUtf8(Some(s))
            | ScalarValue::Utf8View(Some(s)) => {
                Arg::Bytes(hex_bytea(s).ok_or_else(|| bad("bytea (\\x followed by hex)"))?)
            }
            _ => return Err(bad("bytea")),
        },
        _ => match cast(&DataType::Utf8) {
            Some(ScalarValue::Utf8(Some(s))) => Arg::Text(s),
            _ => return Err(bad("text")),
        },
    })
}

/// Runs `func` on a blocking thread's snapshot, handing batches to `emit` until it returns
/// false. `limit` is the query's row limit, when DataFusion could push one down.
pub(crate) fn run(
    func: FeedFn,
    ctx: &FeedCtx,
    args: &[Arg],
    limit: Option<usize>,
    emit: &mut dyn FnMut(RecordBatch) -> bool,
) -> Result<()> {
    let mut out = Out::new(func.schema(), emit);
    let snapshot = ctx.store.snapshot();
    match func {
        FeedFn::Changes => {
            let table = table_arg(ctx, func, args)?;
            let since = seq_arg(func, args, 1)?;
            let limit = min_limit(limit_arg(func, args, 2)?, limit);
            changes(ctx, &snapshot, table, since, limit, &mut out, |row| row)?;
        }
        FeedFn::ChangesAll => changes_all(ctx, &snapshot, func, args, limit, &mut out)?,
        FeedFn::Entries => {
            let table = table_arg(ctx, func, args)?;
            let since = seq_arg(func, args, 1)?;
            let limit = min_limit(limit_arg(func, args, 2)?, limit);
            paged(
                &mut out,
                since,
                limit,
                |after, n| snapshot.log(table, after, n),
                |r| r.seq,
                |out, page| {
                    for record in page {
                        let header = record.entry.header();
                        out.push(vec![
                            Cell::Int(record.seq.0 as i64),
                            Cell::Text(record.entry.hash().to_string()),
                            Cell::Text(header.doc_id().to_string()),
                            parents(&record.entry),
                            Cell::Text(header.key().name.to_string()),
                            Cell::Int4(header.key().version as i32),
                            Cell::Text(header.author().to_string()),
                            Cell::Time(header.clock().0),
                            Cell::Bytes(record.entry.bytes().to_vec()),
                        ])?;
                    }
                    Ok(())
                },
            )?;
        }
        FeedFn::History => {
            let table = table_arg(ctx, func, args)?;
            let doc_id = doc_arg(func, args, 1)?;
            for revision in snapshot.history(table, &doc_id)? {
                let data = {
                    let state = ctx.state.read().unwrap_or_else(PoisonError::into_inner);
                    data_of(&state.keys, &revision.entry)?
                };
                let entry = &revision.entry;
                out.push(vec![
                    Cell::Int(revision.seq.0 as i64),
                    Cell::Text(doc_id.to_string()),
                    Cell::Text(op(entry.header().kind()).into()),
                    Cell::Text(entry.hash().to_string()),
                    parents(entry),
                    Cell::Text(entry.header().key().name.to_string()),
                    author(entry),
                    Cell::Time(entry.header().clock().0),
                    data.map_or(Cell::Null, Cell::Json),
                ])?;
                if out.full() && !out.flush()? {
                    break;
                }
            }
        }
        FeedFn::AsOf | FeedFn::AsOfSeq => {
            let table = table_arg(ctx, func, args)?;
            let cutoff = match args.get(1) {
                Some(Arg::Time(us)) => Cutoff::Clock(AuthorClock(*us)),
                _ => Cutoff::Seq(seq_arg(func, args, 1)?),
            };
            let docs = snapshot.as_of(table, cutoff)?;
            let all = Projection::all();
            for page in docs.chunks(PAGE) {
                let rows = {
                    let state = ctx.state.read().unwrap_or_else(PoisonError::into_inner);
                    page.iter()
                        .map(|doc| row::stored_row(&state.keys, doc, &all))
                        .collect::<Result<Vec<_>>>()?
                };
                let rows: Vec<Row> = rows.into_iter().flatten().collect();
                if !(out.emit)(all.batch(&rows)?) {
                    break;
                }
            }
        }
        FeedFn::Conflicts => {
            let table = table_arg(ctx, func, args)?;
            for doc in snapshot.conflicts(table)? {
                let revisions: HashMap<_, _> = snapshot
                    .history(table, &doc.id)?
                    .into_iter()
                    .map(|r| (r.entry.hash(), r))
                    .collect();
                for head in &doc.heads {
                    let Some(revision) = revisions.get(&head.hash) else {
                        return Err(Error::Internal(format!(
                            "head {} of document {} is not in its history",
                            head.hash, doc.id
                        )));
                    };
                    let entry = &revision.entry;
                    let data = {
                        let state = ctx.state.read().unwrap_or_else(PoisonError::into_inner);
                        data_of(&state.keys, entry)?
                    };
                    out.push(vec![
                        Cell::Text(doc.id.to_string()),
                        Cell::Text(head.hash.to_string()),
                        Cell::Int(head.seq.0 as i64),
                        Cell::Text(op(head.kind).into()),
                        Cell::Text(entry.header().key().name.to_string()),
                        author(entry),
                        Cell::Time(head.clock.0),
                        Cell::Bool(head.hash == doc.winner.hash()),
                        data.map_or(Cell::Null, Cell::Json),
                    ])?;
                }
                if out.full() && !out.flush()? {
                    break;
                }
            }
        }
        FeedFn::Verify => {
            let table = table_arg(ctx, func, args)?;
            let report = snapshot.verify(table)?;
            out.push(verify_row(&report))?;
        }
        FeedFn::Proof => {
            let table = table_arg(ctx, func, args)?;
            let doc_id = doc_arg(func, args, 1)?;
            if let Some(doc) = snapshot.doc(table, &doc_id)? {
                for revision in snapshot.history(table, &doc_id)? {
                    let entry = &revision.entry;
                    let header = entry.header();
                    let hash = entry.hash();
                    out.push(vec![
                        Cell::Int(revision.seq.0 as i64),
                        Cell::Text(hash.to_string()),
                        Cell::Text(op(header.kind()).into()),
                        parents(entry),
                        Cell::Text(header.author().to_string()),
                        text_or_null(header.signer_role()),
                        Cell::Text(header.key().name.to_string()),
                        Cell::Int4(header.key().version as i32),
                        Cell::Time(header.clock().0),
                        Cell::Bytes(entry.header_bytes().to_vec()),
                        Cell::Bytes(entry.signature().to_vec()),
                        Cell::Bytes(entry.bytes().to_vec()),
                        Cell::Bool(doc.heads.iter().any(|h| h.hash == hash)),
                        Cell::Bool(doc.winner.hash() == hash),
                    ])?;
                }
            }
        }
        FeedFn::Apply => {
            let table = table_arg(ctx, func, args)?;
            let Some(Arg::Bytes(bytes)) = args.get(1) else {
                return Err(null_arg(func, 1));
            };
            let entry = apply::verify(bytes.clone(), "argument sealed")?;
            let (rev, doc_id) = (entry.hash(), entry.header().doc_id().clone());
            let receipt = apply::import(&ctx.store, &ctx.notifier, ctx.tenant, table, vec![entry])?;
            let (seq, applied) = match receipt.outcomes.first() {
                Some(Outcome::Appended(seq)) => (*seq, true),
                Some(Outcome::Duplicate(seq)) => (*seq, false),
                None => return Err(Error::Internal("import without an outcome".into())),
            };
            out.push(vec![
                Cell::Int(seq.0 as i64),
                Cell::Text(rev.to_string()),
                Cell::Text(doc_id.to_string()),
                Cell::Bool(applied),
            ])?;
        }
        FeedFn::Tables => {
            let Some(Arg::Text(pattern)) = args.first() else {
                return Err(null_arg(func, 0));
            };
            let pattern = pattern.to_lowercase();
            for info in ctx.store.tables(ctx.tenant) {
                if glob(&pattern, &info.name) {
                    let last = snapshot.last_seq(info.table)?;
                    out.push(vec![Cell::Text(info.name), Cell::Int(last.0 as i64)])?;
                }
            }
        }
        FeedFn::Sync => {
            let text = |idx: usize| match args.get(idx) {
                Some(Arg::Text(text)) => Ok(Some(text.as_str())),
                None | Some(Arg::Null) => Ok(None),
                Some(_) => Err(Error::Internal("text argument is not text".into())),
            };
            let conninfo = text(0)?.ok_or_else(|| null_arg(func, 0))?;
            let pattern = text(1)?.ok_or_else(|| null_arg(func, 1))?.to_lowercase();
            let batch = limit_arg(func, args, 3)?;
            for report in sync::run(ctx, conninfo, &pattern, text(2)?, batch)? {
                let int = |n: u64| Cell::Int(n as i64);
                out.push(vec![
                    Cell::Text(report.table),
                    int(report.pulled),
                    int(report.pulled_new),
                    int(report.pushed),
                    int(report.pull_seq),
                    int(report.push_seq),
                ])?;
            }
        }
        FeedFn::Move => {
            let src = table_arg(ctx, func, args)?;
            let dst = table_at(ctx, func, args, 1)?;
            let Some(Arg::Text(prefix)) = args.get(2) else {
                return Err(null_arg(func, 2));
            };
            drop(snapshot);
            let moved = shards::graft(&ctx.store, &ctx.notifier, ctx.tenant, (src, dst), prefix)?;
            out.push(vec![
                Cell::Int(moved.documents as i64),
                Cell::Int(moved.entries as i64),
                Cell::Int(moved.copied as i64),
            ])?;
            out.flush()?;
            return Ok(());
        }
        FeedFn::Stats => {
            for info in ctx.store.tables(ctx.tenant) {
                let stats = snapshot.stats(info.table)?;
                out.push(vec![
                    Cell::Text(info.name),
                    Cell::Int(stats.documents as i64),
                    Cell::Int(stats.deleted as i64),
                    Cell::Int(stats.entries as i64),
                    Cell::Int(stats.last_seq.0 as i64),
                    Cell::Int(stats.bytes_on_disk as i64),
                    Cell::Bool(info.read_only),
                ])?;
            }
        }
        FeedFn::Activity => {
            for row in ctx.activity.sessions(ctx.tenant) {
                out.push(vec![
                    Cell::Int(row.pid as i64),
                    Cell::Text(row.role),
                    Cell::Text(row.database),
                    row.client_addr
                        .map_or(Cell::Null, |addr| Cell::Text(addr.ip().to_string())),
                    Cell::Time(row.backend_start),
                    Cell::Text(row.state.to_owned()),
                    row.query_start.map_or(Cell::Null, Cell::Time),
                    Cell::Text(row.query.to_string()),
                ])?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Pages through `table`'s feed after `since`, pushing `decorate(row)` for each change.
fn changes(
    ctx: &FeedCtx,
    snapshot: &Snapshot<'_>,
    table: Table,
    since: Seq,
    limit: Option<usize>,
    out: &mut Out<'_>,
    mut decorate: impl FnMut(Vec<Cell>) -> Vec<Cell>,
) -> Result<usize> {
    paged(
        out,
        since,
        limit,
        |after, n| snapshot.changes(table, after, n),
        |c| c.seq,
        |out, page| {
            let rows = {
                let state = ctx.state.read().unwrap_or_else(PoisonError::into_inner);
                page.iter()
                    .map(|change| change_row(&state.keys, change.seq, &change.doc))
                    .collect::<Result<Vec<_>>>()?
            };
            for row in rows {
                out.push(decorate(row))?;
            }
            Ok(())
        },
    )
}

/// Pages through a log-ordered read from `since`: `read(after, n)` gives at most `n` items
/// after a seq in seq order, `emit` pushes a page's rows, and each page is flushed to the
/// consumer. Reads at most `limit` items, `PAGE` at a time, so a limited feed reads O(limit);
/// stops early when the consumer wants no more. Returns how many items were read.
fn paged<'e, T>(
    out: &mut Out<'e>,
    since: Seq,
    limit: Option<usize>,
    mut read: impl FnMut(Seq, usize) -> mindoodb_storage::Result<Vec<T>>,
    seq_of: impl Fn(&T) -> Seq,
    mut emit: impl FnMut(&mut Out<'e>, &[T]) -> Result<()>,
) -> Result<usize> {
    let mut cursor = since;
    let mut left = limit.unwrap_or(usize::MAX);
    let mut n_read = 0;
    while left > 0 {
        let want = left.min(PAGE);
        let page = read(cursor, want)?;
        let Some(last) = page.last() else { break };
        cursor = seq_of(last);
        left -= page.len();
        n_read += page.len();
        emit(out, &page)?;
        if page.len() < want || !out.flush()? {
            break;
        }
    }
    Ok(n_read)
}

/// `changes_all`: every table whose name matches the pattern, in name order, each from its
/// cursor; each row carries the cursors a consumer resumes from after that row.
fn changes_all(
    ctx: &FeedCtx,
    snapshot: &Snapshot<'_>,
    func: FeedFn,
    args: &[Arg],
    limit: Option<usize>,
    out: &mut Out<'_>,
) -> Result<()> {
    let pattern = match args.first() {
        Some(Arg::Text(pattern)) => pattern.to_lowercase(),
        _ => return Err(null_arg(func, 0)),
    };
    let given = match args.get(1) {
        Some(Arg::Text(json)) => cursors_arg(json)?,
        _ => BTreeMap::new(),
    };
    let tables: Vec<_> = ctx
        .store
        .tables(ctx.tenant)
        .into_iter()
        .filter(|info| glob(&pattern, &info.name))
        .collect();
    let mut cursors: BTreeMap<String, u64> = tables
        .iter()
        .map(|info| {
            (
                info.name.clone(),
                given.get(&info.name).copied().unwrap_or(0),
            )
        })
        .collect();
    let mut left = min_limit(limit_arg(func, args, 2)?, limit);
    for info in &tables {
        if left == Some(0) {
            break;
        }
        let since = Seq(cursors.get(&info.name).copied().unwrap_or(0));
        let name = info.name.clone();
        let n_rows = changes(ctx, snapshot, info.table, since, left, out, |row| {
            if let Some(Cell::Int(seq)) = row.first() {
                cursors.insert(name.clone(), *seq as u64);
            }
            let cursors_json = serde_json::to_string(&cursors).unwrap_or_default();
            let mut decorated = Vec::with_capacity(row.len() + 2);
            decorated.push(Cell::Text(name.clone()));
            decorated.extend(row);
            decorated.push(Cell::Json(cursors_json));
            decorated
        })?;
        left = left.map(|l| l.saturating_sub(n_rows));
    }
    Ok(())
}

fn change_row(keys: &KeySet, seq: Seq, doc: &Document) -> Result<Vec<Cell>> {
    let entry = &doc.winner;
    Ok(vec![
        Cell::Int(seq.0 as i64),
        Cell::Text(doc.id.to_string()),
        Cell::Text(op(entry.header().kind()).into()),
        Cell::Text(entry.hash().to_string()),
        Cell::Text(entry.header().key().name.to_string()),
        author(entry),
        Cell::Time(entry.header().clock().0),
        data_of(keys, entry)?.map_or(Cell::Null, Cell::Json),
    ])
}

fn verify_row(report: &VerifyReport) -> Vec<Cell> {
    let first: Option<&Problem> = report.first_problem();
    let int = |n: u64| Cell::Int(n as i64);
    vec![
        Cell::Bool(report.is_ok()),
        int(report.entries),
        int(report.signatures_ok),
        int(report.documents),
        int(report.n_problems),
        report.last.map_or(Cell::Null, |(seq, _)| int(seq.0)),
        report
            .last
            .map_or(Cell::Null, |(_, hash)| Cell::Text(hash.to_string())),
        first
            .and_then(Problem::seq)
            .map_or(Cell::Null, |seq| int(seq.0)),
        first
            .and_then(Problem::hash)
            .map_or(Cell::Null, |hash| Cell::Text(hash.to_string())),
        first.map_or(Cell::Null, |p| Cell::Text(p.to_string())),
        Cell::Json(problem_details(&report.problems)),
    ]
}

/// Every reported problem as a JSON array of `{"seq", "rev", "problem"}`, so that each damaged
/// entry is named, not only the first.
fn problem_details(problems: &[Problem]) -> String {
    let details: Vec<serde_json::Value> = problems
        .iter()
        .map(|problem| {
            serde_json::json!({
                "seq": problem.seq().map(|seq| seq.0),
                "rev": problem.hash().map(|hash| hash.to_string()),
                "problem": problem.to_string(),
            })
        })
        .collect();
    serde_json::Value::Array(details).to_string()
}

/// The document's JSON, when it is not a delete and the session holds its key.
fn data_of(keys: &KeySet, entry: &Entry) -> Result<Option<String>> {
    let header = entry.header();
    if header.kind() == EntryKind::Delete {
        return Ok(None);
    }
    let Some(key) = keys.get(header.key()) else {
        return Ok(None);
    };
    let mut plain = open(entry, key)?;
    String::from_utf8(std::mem::take(&mut *plain))
        .map(Some)
        .map_err(|_| Error::Internal(format!("document {} is not UTF-8", header.doc_id())))
}

fn op(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Create => "insert",
        EntryKind::Update => "update",
        EntryKind::Delete => "delete",
    }
}

fn author(entry: &Entry) -> Cell {
    Cell::Text(row::author(entry.header()))
}

fn parents(entry: &Entry) -> Cell {
    let hashes: Vec<String> = entry
        .header()
        .parents()
        .iter()
        .map(ToString::to_string)
        .collect();
    Cell::Json(serde_json::to_string(&hashes).unwrap_or_default())
}

fn text_or_null(text: &str) -> Cell {
    if text.is_empty() {
        Cell::Null
    } else {
        Cell::Text(text.to_owned())
    }
}

fn table_arg(ctx: &FeedCtx, func: FeedFn, args: &[Arg]) -> Result<Table> {
    table_at(ctx, func, args, 0)
}

fn table_at(ctx: &FeedCtx, func: FeedFn, args: &[Arg], idx: usize) -> Result<Table> {
    let Some(Arg::Text(name)) = args.get(idx) else {
        return Err(null_arg(func, idx));
    };
    ctx.store
        .table(ctx.tenant, &name.to_lowercase())
        .map(|info| info.table)
        .ok_or_else(|| Error::UndefinedTable(name.clone()))
}

fn seq_arg(func: FeedFn, args: &[Arg], idx: usize) -> Result<Seq> {
    match args.get(idx) {
        Some(Arg::Int(n)) => u64::try_from(*n).map(Seq).map_err(|_| negative(func, idx)),
        _ => Err(null_arg(func, idx)),
    }
}

fn limit_arg(func: FeedFn, args: &[Arg], idx: usize) -> Result<Option<usize>> {
    match args.get(idx) {
        None | Some(Arg::Null) => Ok(None),
        Some(Arg::Int(n)) => usize::try_from(*n)
            .map(Some)
            .map_err(|_| negative(func, idx)),
        Some(_) => Err(Error::Internal("limit is not an integer".into())),
    }
}

fn doc_arg(func: FeedFn, args: &[Arg], idx: usize) -> Result<DocId> {
    match args.get(idx) {
        Some(Arg::Text(id)) => {
            DocId::new(id.clone()).map_err(|e| Error::InvalidParameter(e.to_string()))
        }
        _ => Err(null_arg(func, idx)),
    }
}

pub(crate) fn cursors_arg(json: &str) -> Result<BTreeMap<String, u64>> {
    let bad = || {
        Error::InvalidParameter(
            "cursors must be a JSON object of table names and non-negative seqs".into(),
        )
    };
    let value: serde_json::Value = serde_json::from_str(json).map_err(|_| bad())?;
    let serde_json::Value::Object(map) = value else {
        return Err(bad());
    };
    map.into_iter()
        .map(|(name, seq)| Ok((name.to_lowercase(), seq.as_u64().ok_or_else(bad)?)))
        .collect()
}

fn min_limit(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn null_arg(func: FeedFn, idx: usize) -> Error {
    let name = func.params().get(idx).map_or("?", |p| p.name);
    Error::InvalidParameter(format!(
        "argument {name} of mindoo.{} must not be null",
        func.name()
    ))
}

fn negative(func: FeedFn, idx: usize) -> Error {
    let name = func.params().get(idx).map_or("?", |p| p.name);
    Error::InvalidParameter(format!(
        "argument {name} of mindoo.{} must not be negative",
        func.name()
    ))
}

/// `\x` followed by hex digits: Postgres' bytea text form.
fn hex_bytea(text: &str) -> Option<Vec<u8>> {
    let digits = text.strip_prefix("\\x")?;
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(digits.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The kinds of result column the functions use.
#[derive(Debug, Clone, Copy)]
enum Col {
    Text,
    Int,
    Int4,
    Bool,
    Time,
    Bytes,
    Json,
}

impl Col {
    fn field(self, name: &str) -> Field {
        let data_type = match self {
            Col::Json => return jsonb_field(name, true),
            Col::Text => DataType::Utf8,
            Col::Int => DataType::Int64,
            Col::Int4 => DataType::Int32,
            Col::Bool => DataType::Boolean,
            Col::Time => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            Col::Bytes => DataType::Binary,
        };
        Field::new(name, data_type, true)
    }
}

/// One value of a result row.
enum Cell {
    Null,
    Text(String),
    Json(String),
    Int(i64),
    Int4(i32),
    Bool(bool),
    Time(i64),
    Bytes(Vec<u8>),
}

/// Rows collected into batches of `PAGE` and handed to the consumer.
struct Out<'e> {
    schema: SchemaRef,
    builders: Vec<Box<dyn ArrayBuilder>>,
    n_rows: usize,
    emit: &'e mut dyn FnMut(RecordBatch) -> bool,
}

impl<'e> Out<'e> {
    fn new(schema: SchemaRef, emit: &'e mut dyn FnMut(RecordBatch) -> bool) -> Out<'e> {
        let builders = builders(&schema);
        Out {
            schema,
            builders,
            n_rows: 0,
            emit,
        }
    }

    fn full(&self) -> bool {
        self.n_rows >= PAGE
    }

    fn push(&mut self, row: Vec<Cell>) -> Result<()> {
        if row.len() != self.builders.len() {
            return Err(Error::Internal("row and schema differ in width".into()));
        }
        for (builder, cell) in self.builders.iter_mut().zip(row) {
            append(builder.as_any_mut(), cell)?;
        }
        self.n_rows += 1;
        Ok(())
    }

    /// Emits the rows so far; false when the consumer wants no more.
    fn flush(&mut self) -> Result<bool> {
        if self.n_rows == 0 {
            return Ok(true);
        }
        let columns: Vec<ArrayRef> = self.builders.iter_mut().map(|b| b.finish()).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), columns)
            .map_err(|e| Error::Internal(e.to_string()))?;
        self.n_rows = 0;
        Ok((self.emit)(batch))
    }
}

fn builders(schema: &Schema) -> Vec<Box<dyn ArrayBuilder>> {
    schema
        .fields()
        .iter()
        .map(|field| -> Box<dyn ArrayBuilder> {
            match field.data_type() {
                DataType::Int64 => Box::new(Int64Builder::new()),
                DataType::Int32 => Box::new(Int32Builder::new()),
                DataType::Boolean => Box::new(BooleanBuilder::new()),
                DataType::Timestamp(..) => {
                    Box::new(TimestampMicrosecondBuilder::new().with_timezone("UTC"))
                }
                DataType::Binary => Box::new(BinaryBuilder::new()),
                _ => Box::new(StringBuilder::new()),
            }
        })
        .collect()
}

fn append(builder: &mut dyn std::any::Any, cell: Cell) -> Result<()> {
    let mismatch = || Error::Internal("cell and column type differ".into());
    match cell {
        Cell::Text(s) | Cell::Json(s) => builder
            .downcast_mut::<StringBuilder>()
            .ok_or_else(mismatch)?
            .append_value(s),
        Cell::Int(n) => builder
            .downcast_mut::<Int64Builder>()
            .ok_or_else(mismatch)?
            .append_value(n),
        Cell::Int4(n) => builder
            .downcast_mut::<Int32Builder>()
            .ok_or_else(mismatch)?
            .append_value(n),
        Cell::Bool(b) => builder
            .downcast_mut::<BooleanBuilder>()
            .ok_or_else(mismatch)?
            .append_value(b),
        Cell::Time(us) => builder
            .downcast_mut::<TimestampMicrosecondBuilder>()
            .ok_or_else(mismatch)?
            .append_value(us),
        Cell::Bytes(b) => builder
            .downcast_mut::<BinaryBuilder>()
            .ok_or_else(mismatch)?
            .append_value(b),
        Cell::Null => append_null(builder).ok_or_else(mismatch)?,
    }
    Ok(())
}

fn append_null(builder: &mut dyn std::any::Any) -> Option<()> {
    if let Some(b) = builder.downcast_mut::<StringBuilder>() {
        b.append_null();
    } else if let Some(b) = builder.downcast_mut::<Int64Builder>() {
        b.append_null();
    } else if let Some(b) = builder.downcast_mut::<Int32Builder>() {
        b.append_null();
    } else if let Some(b) = builder.downcast_mut::<BooleanBuilder>() {
        b.append_null();
    } else if let Some(b) = builder.downcast_mut::<TimestampMicrosecondBuilder>() {
        b.append_null();
    } else {
        builder.downcast_mut::<BinaryBuilder>()?.append_null();
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytea_text_is_hex() {
        assert_eq!(hex_bytea("\\x00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(hex_bytea("\\x0"), None);
        assert_eq!(hex_bytea("00"), None);
        assert_eq!(hex_bytea("\\xzz"), None);
    }

    #[test]
    fn cursors_are_an_object_of_seqs() {
        assert_eq!(
            cursors_arg(r#"{"CRM2025": 5, "crm2026": 0}"#).unwrap(),
            BTreeMap::from([("crm2025".into(), 5), ("crm2026".into(), 0)])
        );
        assert!(cursors_arg("[1]").is_err());
        assert!(cursors_arg(r#"{"a": -1}"#).is_err());
        assert!(cursors_arg(r#"{"a": "1"}"#).is_err());
        assert!(cursors_arg("not json").is_err());
    }

    #[test]
    fn every_function_has_a_schema_and_parameters() {
        for func in FeedFn::ALL {
            assert!(!func.schema().fields().is_empty(), "{func:?}");
            // mindoo.stats() and mindoo.activity cover the whole database.
            assert_eq!(
                func.params().is_empty(),
                matches!(func, FeedFn::Stats | FeedFn::Activity),
                "{func:?}"
            );
            assert_eq!(FeedFn::from_name(func.name()), Some(func));
        }
    }
}
