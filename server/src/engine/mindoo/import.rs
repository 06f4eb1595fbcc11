//! The `mindoo.*` functions that write entries sealed elsewhere: `mindoo.apply` (one entry),
//! `mindoo.move` (grafting documents between tables without keys) and `mindoo.sync` (with a
//! peer, `sync.rs`).
//!
//! Invariants:
//! - Only entries whose signature verified are written (`write/apply.rs`, `write/graft.rs`,
//!   `mindoodb_client::sync`).
//! - They run only outside a transaction block and never on a mirror (`read/query.rs`).

use mindoodb_protocol::Receiver;
use mindoodb_storage::Outcome;

use super::sync;
use crate::catalog::acl;
use crate::engine::read::table_fn::{Cell, Columns, TableFn, optional, param};
use crate::engine::write::{apply, graft};
use crate::error::{Error, Result};
use crate::output::PgType;

/// `mindoo.apply(table, sealed [, proof])`.
pub(crate) static APPLY: TableFn = TableFn {
    name: "apply",
    params: &[
        param("table", PgType::Text),
        param("sealed", PgType::Bytea),
        optional("proof", PgType::Bytea),
    ],
    columns: Columns::Fixed("seq int8, rev text, id text, applied bool"),
    sorted_by: &[],
    writes: true,
    run: |ctx, args, _limit, out| {
        let table = args.table(ctx, 0, acl::INSERT)?;
        let entry = apply::verify(
            &mut Receiver::new(),
            args.bytes(1)?.to_vec(),
            args.optional_bytes(2)?,
            "argument sealed",
        )?;
        let (rev, doc_id) = (entry.hash(), entry.header().doc_id().clone());
        let signer = entry.header().author();
        let source = apply::sent_by(ctx.login_role());
        let receipt = apply::import(
            &ctx.store,
            &ctx.notifier,
            ctx.tenant,
            table,
            vec![entry],
            &source,
        )?;
        let (seq, applied) = match receipt.outcomes.first() {
            Some(Outcome::Appended(seq)) => (*seq, true),
            Some(Outcome::Duplicate(seq)) => (*seq, false),
            Some(Outcome::Quarantined) => {
                return Err(Error::InsufficientPrivilege(format!(
                    "entry {rev} of document {doc_id} is signed by {signer}, which is not a \
                     trusted writer of this database; it was quarantined"
                )));
            }
            None => return Err(Error::Internal("import without an outcome".into())),
        };
        out.push(vec![
            Cell::Int(seq.0 as i64),
            Cell::Text(rev.to_string()),
            Cell::Text(doc_id.to_string()),
            Cell::Bool(applied),
        ])
    },
};

/// `mindoo.move(src, dst, id_prefix)`.
pub(crate) static MOVE: TableFn = TableFn {
    name: "move",
    params: &[
        param("src", PgType::Text),
        param("dst", PgType::Text),
        param("id_prefix", PgType::Text),
    ],
    columns: Columns::Fixed("documents int8, entries int8, copied int8"),
    sorted_by: &[],
    writes: true,
    run: |ctx, args, _limit, out| {
        let src = args.table(ctx, 0, acl::SELECT | acl::DELETE)?;
        let dst = args.table(ctx, 1, acl::INSERT)?;
        let prefix = args.text(2)?;
        let moved = graft::graft(&ctx.store, &ctx.notifier, ctx.tenant, (src, dst), prefix)?;
        out.push(vec![
            Cell::Int(moved.documents as i64),
            Cell::Int(moved.entries as i64),
            Cell::Int(moved.copied as i64),
        ])
    },
};

/// `mindoo.sync(conninfo, table pattern [, direction [, batch]])`.
pub(crate) static SYNC: TableFn = TableFn {
    name: "sync",
    params: &[
        param("conninfo", PgType::Text),
        param("table", PgType::Text),
        optional("direction", PgType::Text),
        optional("batch", PgType::Int4),
    ],
    columns: Columns::Fixed(
        "table_name text, pulled int8, pulled_new int8, pushed int8, pull_seq int8, \
         push_seq int8, quarantined int8, audit_pulled int8, audit_pushed int8, \
         audit_refused int8, audit_skipped bool",
    ),
    sorted_by: &["table_name"],
    writes: true,
    run: |ctx, args, _limit, out| -> Result<()> {
        let conninfo = args.text(0)?;
        let pattern = args.pattern(1)?;
        let batch = args.limit(3)?;
        for report in sync::run(ctx, conninfo, &pattern, args.optional_text(2)?, batch)? {
            let int = |n: u64| Cell::Int(n as i64);
            out.push(vec![
                Cell::Text(report.table),
                int(report.pulled),
                int(report.pulled_new),
                int(report.pushed),
                int(report.pull_seq),
                int(report.push_seq),
                int(report.quarantined),
                int(report.audit_pulled),
                int(report.audit_pushed),
                int(report.audit_refused),
                Cell::Bool(report.audit_skipped),
            ])?;
        }
        Ok(())
    },
};
