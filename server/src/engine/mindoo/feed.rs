//! The change feeds: `mindoo.changes` (one table), `mindoo.changes_all` (every table whose
//! name matches a pattern, each from its own cursor), `mindoo.entries` (the raw entry log, for
//! mirrors and backups) and `mindoo.tables` (the tables and their last seqs).
//!
//! Invariants:
//! - One call reads one snapshot: a feed never shows half a commit, and paging inside a call
//!   never shows a document twice.
//! - Feeds page through storage, so a limited feed reads O(limit) entries.
//! - `changes_all` rows carry the cursors a consumer resumes from after that row.
//! - A change whose data a row carries is noted for the read audit (`Out::read`); `entries`
//!   returns sealed bytes only and is not a read.
//!
//! See: docs/SQL.md#change-feeds-history-and-verification

use std::collections::BTreeMap;

use mindoodb_storage::{CarriedRecord, Document, Seq, Snapshot, Table};

use super::cells::{author, op, parents, read_data_cell};
use crate::catalog::acl;
use crate::catalog::names;
use crate::engine::read::table_fn::{
    Args, Cell, Columns, FnCtx, Out, PAGE, Param, TableFn, optional, param,
};
use crate::error::{Error, Result};
use crate::output::PgType;

const FEED: &[Param] = &[
    param("table", PgType::Text),
    param("since", PgType::Int8),
    optional("limit", PgType::Int4),
];

const CHANGE_COLUMNS: &str = "seq int8, id text, op text, rev text, key_id text, author text, \
                              updated_at timestamptz, data jsonb";

/// `mindoo.changes(table, since [, limit])`.
pub(crate) static CHANGES: TableFn = TableFn {
    name: "changes",
    params: FEED,
    columns: Columns::Fixed(CHANGE_COLUMNS),
    sorted_by: &["seq"],
    writes: false,
    run: |ctx, args, limit, out| {
        let (table, since, limit) = feed_args(ctx, args, limit)?;
        let snapshot = ctx.store.snapshot();
        changes(ctx, &snapshot, table, since, limit, out, |row| row)?;
        Ok(())
    },
};

/// `mindoo.changes_all(pattern, cursors [, limit])`.
pub(crate) static CHANGES_ALL: TableFn = TableFn {
    name: "changes_all",
    params: &[
        param("pattern", PgType::Text),
        param("cursors", PgType::Jsonb),
        optional("limit", PgType::Int4),
    ],
    columns: Columns::Fixed(
        "table_name text, seq int8, id text, op text, rev text, key_id text, author text, \
         updated_at timestamptz, data jsonb, cursors jsonb",
    ),
    sorted_by: &["table_name", "seq"],
    writes: false,
    run: changes_all,
};

/// `mindoo.entries(table, since [, limit])`.
pub(crate) static ENTRIES: TableFn = TableFn {
    name: "entries",
    params: FEED,
    columns: Columns::Fixed(
        "seq int8, hash text, doc_id text, parents jsonb, key_id text, key_version int4, \
         signer text, created_at timestamptz, sealed bytea, commit text, leaf int4, proof bytea",
    ),
    sorted_by: &["seq"],
    writes: false,
    run: |ctx, args, limit, out| {
        let (table, since, limit) = feed_args(ctx, args, limit)?;
        let snapshot = ctx.store.snapshot();
        paged(
            out,
            since,
            limit,
            |after, n| snapshot.carried_log(table, after, n),
            |carried| carried.record.seq,
            |out, page| {
                for CarriedRecord { record, proof } in page {
                    let header = record.entry.header();
                    let (commit, leaf, proof) = match (proof, &record.leaf) {
                        (Some(proof), Some(leaf)) => (
                            Cell::Text(proof.commit.to_string()),
                            Cell::Int4(leaf.path.index() as i32),
                            Cell::Bytes(proof.bytes.clone()),
                        ),
                        _ => (Cell::Null, Cell::Null, Cell::Null),
                    };
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
                        commit,
                        leaf,
                        proof,
                    ])?;
                }
                Ok(())
            },
        )?;
        Ok(())
    },
};

/// `mindoo.tables(pattern)`: the matching tables and their last seqs.
pub(crate) static TABLES: TableFn = TableFn {
    name: "tables",
    params: &[param("pattern", PgType::Text)],
    columns: Columns::Fixed("table_name text, last_seq int8, audit_reads bool"),
    sorted_by: &["table_name"],
    writes: false,
    run: |ctx, args, _limit, out| {
        let pattern = args.pattern(0)?;
        let snapshot = ctx.store.snapshot();
        for info in ctx.readable_tables(&pattern)? {
            let last = snapshot.last_seq(info.table)?;
            out.push(vec![
                Cell::Text(info.name),
                Cell::Int(last.0 as i64),
                Cell::Bool(info.audit_reads),
            ])?;
        }
        Ok(())
    },
};

/// Pages through `table`'s feed after `since`, pushing `decorate(row)` for each change.
fn changes(
    ctx: &FnCtx,
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
            for change in page {
                let row = change_row(ctx, out, table, change.seq, &change.doc)?;
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
fn changes_all(ctx: &FnCtx, args: &Args, limit: Option<usize>, out: &mut Out<'_>) -> Result<()> {
    let pattern = args.pattern(0)?;
    let given = match args.optional_text(1)? {
        Some(json) => cursors_arg(json)?,
        None => BTreeMap::new(),
    };
    let tables = ctx.readable_tables(&pattern)?;
    let mut cursors: BTreeMap<String, u64> = tables
        .iter()
        .map(|info| {
            (
                info.name.clone(),
                given.get(&info.name).copied().unwrap_or(0),
            )
        })
        .collect();
    let snapshot = ctx.store.snapshot();
    let mut left = min_limit(args.limit(2)?, limit);
    for info in &tables {
        if left == Some(0) {
            break;
        }
        let since = Seq(cursors.get(&info.name).copied().unwrap_or(0));
        let name = info.name.clone();
        let n_rows = changes(ctx, &snapshot, info.table, since, left, out, |row| {
            if let Some(Cell::Int(seq)) = row.first() {
                cursors.insert(name.clone(), *seq as u64);
            }
            let mut decorated = Vec::with_capacity(row.len() + 2);
            decorated.push(Cell::Text(name.clone()));
            decorated.extend(row);
            decorated.push(Cell::Json(cursors_json(&cursors)));
            decorated
        })?;
        left = left.map(|l| l.saturating_sub(n_rows));
    }
    Ok(())
}

fn change_row(
    ctx: &FnCtx,
    out: &mut Out<'_>,
    table: Table,
    seq: Seq,
    doc: &Document,
) -> Result<Vec<Cell>> {
    let entry = &doc.winner;
    let data = read_data_cell(ctx, out, table, entry)?;
    Ok(vec![
        Cell::Int(seq.0 as i64),
        Cell::Text(doc.id.to_string()),
        op(entry.header().kind()),
        Cell::Text(entry.hash().to_string()),
        Cell::Text(entry.header().key().name.to_string()),
        author(entry),
        Cell::Time(entry.header().clock().0),
        data,
    ])
}

/// The cursors of `changes_all` as JSON: table names (quoted where folding would change
/// them, so they read back as the same table) and seqs.
fn cursors_json(cursors: &BTreeMap<String, u64>) -> String {
    let quoted: BTreeMap<String, u64> = cursors
        .iter()
        .map(|(name, seq)| (names::quote(name), *seq))
        .collect();
    serde_json::to_string(&quoted).unwrap_or_default()
}

/// The `cursors` argument: a JSON object of table names (read like any name) and seqs.
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
        .map(|(name, seq)| {
            let name = names::pattern_text(&name).map_err(|_| bad())?;
            Ok((name, seq.as_u64().ok_or_else(bad)?))
        })
        .collect()
}

/// A per-table feed's `(table, since [, limit])`, the limit the smaller of the argument's and
/// the query's.
pub(super) fn feed_args(
    ctx: &FnCtx,
    args: &Args,
    limit: Option<usize>,
) -> Result<(Table, Seq, Option<usize>)> {
    Ok((
        args.table(ctx, 0, acl::SELECT)?,
        args.seq(1)?,
        min_limit(args.limit(2)?, limit),
    ))
}

fn min_limit(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn cursors_read_back_as_their_tables() {
        let cursors = BTreeMap::from([("Crm".to_owned(), 3), ("crm2026".to_owned(), 4)]);
        assert_eq!(cursors_arg(&cursors_json(&cursors)).unwrap(), cursors);
    }
}
