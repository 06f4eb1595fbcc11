//! A table's past: `mindoo.history` (every revision of one document), `mindoo.as_of` and
//! `mindoo.as_of_seq` (the table as it was at a time or a seq), and `mindoo.conflicts`
//! (documents with more than one head after sync).
//!
//! Invariants:
//! - One call reads one snapshot.
//! - `data` is decrypted with the session's keys only, NULL where they do not open it; time
//!   travel shows the rows a session with those keys would have seen (`read/row.rs`).
//! - Every document whose data a row carries is noted for the read audit (`Out::read`).
//!
//! See: docs/SQL.md#change-feeds-history-and-verification

use std::collections::HashMap;

use mindoodb_protocol::AuthorClock;
use mindoodb_storage::Cutoff;

use super::cells::{author, op, parents, read_data_cell};
use crate::catalog::acl;
use crate::engine::read::row::{self, Projection, Row};
use crate::engine::read::table_fn::{
    Arg, Args, Cell, Columns, FnCtx, Out, PAGE, Param, TableFn, param,
};
use crate::error::{Error, Result};
use crate::output::PgType;

/// `mindoo.history(table, id)`.
pub(crate) static HISTORY: TableFn = TableFn {
    name: "history",
    params: &[param("table", PgType::Text), param("id", PgType::Text)],
    columns: Columns::Fixed(
        "seq int8, id text, op text, rev text, parents jsonb, key_id text, author text, \
         updated_at timestamptz, data jsonb",
    ),
    sorted_by: &["seq"],
    writes: false,
    run: |ctx, args, _limit, out| {
        let table = args.table(ctx, 0, acl::SELECT)?;
        let doc_id = args.doc(1)?;
        for revision in ctx.store.snapshot().history(table, &doc_id)? {
            let entry = &revision.entry;
            let data = read_data_cell(ctx, out, table, entry)?;
            out.push(vec![
                Cell::Int(revision.seq.0 as i64),
                Cell::Text(doc_id.to_string()),
                op(entry.header().kind()),
                Cell::Text(entry.hash().to_string()),
                parents(entry),
                Cell::Text(entry.header().key().name.to_string()),
                author(entry),
                Cell::Time(entry.header().clock().0),
                data,
            ])?;
            if out.full() && !out.flush()? {
                break;
            }
        }
        Ok(())
    },
};

const AT_TIME: &[Param] = &[
    param("table", PgType::Text),
    param("at", PgType::Timestamptz),
];
const AT_SEQ: &[Param] = &[param("table", PgType::Text), param("seq", PgType::Int8)];

/// `mindoo.as_of(table, timestamptz)`.
pub(crate) static AS_OF: TableFn = TableFn {
    name: "as_of",
    params: AT_TIME,
    columns: Columns::Documents,
    sorted_by: &["id"],
    writes: false,
    run: as_of,
};

/// `mindoo.as_of_seq(table, seq)`.
pub(crate) static AS_OF_SEQ: TableFn = TableFn {
    name: "as_of_seq",
    params: AT_SEQ,
    columns: Columns::Documents,
    sorted_by: &["id"],
    writes: false,
    run: as_of,
};

/// `mindoo.conflicts(table)`: every head of every document with more than one.
pub(crate) static CONFLICTS: TableFn = TableFn {
    name: "conflicts",
    params: &[param("table", PgType::Text)],
    columns: Columns::Fixed(
        "id text, rev text, seq int8, op text, key_id text, author text, \
         updated_at timestamptz, winner bool, data jsonb",
    ),
    sorted_by: &["id"],
    writes: false,
    run: |ctx, args, _limit, out| {
        let table = args.table(ctx, 0, acl::SELECT)?;
        let snapshot = ctx.store.snapshot();
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
                let data = read_data_cell(ctx, out, table, entry)?;
                out.push(vec![
                    Cell::Text(doc.id.to_string()),
                    Cell::Text(head.hash.to_string()),
                    Cell::Int(head.seq.0 as i64),
                    op(head.kind),
                    Cell::Text(entry.header().key().name.to_string()),
                    author(entry),
                    Cell::Time(head.clock.0),
                    Cell::Bool(head.hash == doc.winner.hash()),
                    data,
                ])?;
            }
            if out.full() && !out.flush()? {
                break;
            }
        }
        Ok(())
    },
};

/// The table at a time (a timestamptz argument) or a seq.
fn as_of(ctx: &FnCtx, args: &Args, _limit: Option<usize>, out: &mut Out<'_>) -> Result<()> {
    let table = args.table(ctx, 0, acl::SELECT)?;
    let cutoff = match args.get(1) {
        Some(Arg::Time(us)) => Cutoff::Clock(AuthorClock(*us)),
        _ => Cutoff::Seq(args.seq(1)?),
    };
    let docs = ctx.store.snapshot().as_of(table, cutoff)?;
    let all = Projection::all();
    for page in docs.chunks(PAGE) {
        let rows = {
            let state = ctx.state.read();
            page.iter()
                .map(|doc| row::stored_row(&state.keys, doc, &all))
                .collect::<Result<Vec<_>>>()?
        };
        let rows: Vec<Row> = rows.into_iter().flatten().collect();
        for row in &rows {
            out.read(table, &row.id);
        }
        if !out.emit(all.batch(&rows)?)? {
            break;
        }
    }
    Ok(())
}
