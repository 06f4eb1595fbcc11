//! `mindoo.audit(table, since [, limit])`: a table's read-audit log, the signed records that
//! reads of it appended while `audit_reads` was on (docs/SECURITY.md#read-audit).
//!
//! Invariants:
//! - Only the table's owner (or a member of the owning role, or a superuser) reads it: 42501
//!   for anyone else, whatever they may SELECT.
//! - Needs no keys: records hold ids, role names and redacted statement text, never data.
//! - Every record returned was verified (signature, seq, link to the one before) by the store,
//!   and comes with its signed bytes (`record`) so that a client can check it again.
//!
//! See: docs/SQL.md#read-audit, docs/FORMAT.md#read-audit-records

use crate::engine::read::table_fn::{Cell, Columns, PAGE, TableFn, optional, param};
use crate::output::PgType;

/// `mindoo.audit(table, since [, limit])`.
pub(crate) static AUDIT: TableFn = TableFn {
    name: "audit",
    params: &[
        param("table", PgType::Text),
        param("since", PgType::Int8),
        optional("limit", PgType::Int4),
    ],
    columns: Columns::Fixed(
        "seq int8, at timestamptz, login text, role text, fingerprint text, ids text[], \
         signer text, hash bytea, record bytea",
    ),
    sorted_by: &["seq"],
    writes: false,
    run: |ctx, args, limit, out| {
        let table = ctx.owned_table(args.text(0)?)?;
        let mut since = args.seq(1)?.0;
        let mut left = match (args.limit(2)?, limit) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b).unwrap_or(usize::MAX),
        };
        while left > 0 {
            let page = ctx.store.audit_log(table, since, left.min(PAGE))?;
            let Some(last) = page.last() else { break };
            since = last.seq();
            left -= page.len();
            let n_page = page.len();
            for record in page {
                out.push(vec![
                    Cell::Int(record.seq() as i64),
                    Cell::Time(record.time().0),
                    Cell::Text(record.login().to_owned()),
                    Cell::Text(record.role().to_owned()),
                    Cell::Text(record.fingerprint().to_owned()),
                    Cell::TextArray(record.ids().to_vec()),
                    Cell::Text(record.server().to_string()),
                    Cell::Bytes(record.hash().to_vec()),
                    Cell::Bytes(record.bytes().to_vec()),
                ])?;
            }
            if n_page < PAGE || !out.flush()? {
                break;
            }
        }
        Ok(())
    },
};
