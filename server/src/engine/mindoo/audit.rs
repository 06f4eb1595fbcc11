//! A table's read-audit logs as `mindoo.*` functions: `audit(table, since [, limit])`, the
//! signed records that reads appended while `audit_reads` was on, on this node and on the
//! nodes whose chains reached it (docs/SECURITY.md#read-audit); and how sync moves those
//! chains between nodes: `audit_chains(table)`, `audit_records(table, chain, since [, limit])`
//! and `add_audit_record(table, chain, record)`.
//!
//! Invariants:
//! - Only the table's owner (or a member of the owning role, or a superuser) calls any of
//!   them: 42501 for anyone else, whatever they may SELECT. Adding a record needs the same:
//!   anyone can sign a well-formed chain with a key of their own, so only those who may read
//!   the log decide which chains it holds.
//! - Need no keys: records hold ids, role names and redacted statement text, never data.
//! - Every record `audit` returns was verified (signature, seq, link to the one before) by the
//!   store, and comes with its signed bytes (`record`) and its chain's id (`chain`) so that a
//!   client can check it again. `audit_records` returns records as stored: the node receiving
//!   them verifies each (`add_audit_record`), so a damaged record stops its chain there and
//!   nowhere else.
//!
//! See: docs/SQL.md#read-audit, docs/FORMAT.md#read-audit-records

use mindoodb_protocol::{AuditChainId, AuditRecord, verify_audit};
use mindoodb_storage::Error as StorageError;

use crate::engine::read::table_fn::{Cell, Columns, FnCtx, Out, PAGE, TableFn, optional, param};
use crate::error::{Error, Result};
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
         signer text, hash bytea, record bytea, chain text, received bool",
    ),
    sorted_by: &["chain", "seq"],
    writes: false,
    run: |ctx, args, limit, out| {
        let table = ctx.owned_table(args.text(0)?)?;
        let since = args.seq(1)?.0;
        let mut left = match (args.limit(2)?, limit) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b).unwrap_or(usize::MAX),
        };
        for chain in ctx.store.audit_chains(table)? {
            let mut after = since;
            while left > 0 {
                let page = ctx
                    .store
                    .audit_chain_log(table, &chain.id, after, left.min(PAGE))?;
                let Some(last) = page.last() else { break };
                after = last.seq();
                left -= page.len();
                let n_page = page.len();
                for record in page {
                    push_record(out, &record, &chain.id, chain.received)?;
                }
                if !out.flush()? {
                    return Ok(());
                }
                if n_page < PAGE {
                    break;
                }
            }
        }
        Ok(())
    },
};

/// `mindoo.audit_chains(table)`: the table's audit chains this node holds, its own among them.
pub(crate) static AUDIT_CHAINS: TableFn = TableFn {
    name: "audit_chains",
    params: &[param("table", PgType::Text)],
    columns: Columns::Fixed("chain text, last_seq int8, head bytea, received bool"),
    sorted_by: &["chain"],
    writes: false,
    run: |ctx, args, _limit, out| {
        let table = ctx.owned_table(args.text(0)?)?;
        for chain in ctx.store.audit_chains(table)? {
            out.push(vec![
                Cell::Text(chain.id.to_string()),
                Cell::Int(chain.last_seq as i64),
                Cell::Bytes(chain.head.to_vec()),
                Cell::Bool(chain.received),
            ])?;
        }
        Ok(())
    },
};

/// `mindoo.audit_records(table, chain, since [, limit])`: one chain's records after `since`,
/// as stored.
pub(crate) static AUDIT_RECORDS: TableFn = TableFn {
    name: "audit_records",
    params: &[
        param("table", PgType::Text),
        param("chain", PgType::Text),
        param("since", PgType::Int8),
        optional("limit", PgType::Int4),
    ],
    columns: Columns::Fixed("seq int8, record bytea"),
    sorted_by: &["seq"],
    writes: false,
    run: |ctx, args, limit, out| {
        let table = ctx.owned_table(args.text(0)?)?;
        let chain = chain_id(args.text(1)?)?;
        let mut after = args.seq(2)?.0;
        let mut left = match (args.limit(3)?, limit) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b).unwrap_or(usize::MAX),
        };
        while left > 0 {
            let page = ctx
                .store
                .audit_chain_raw(table, &chain, after, left.min(PAGE))?;
            let Some(&(last, _)) = page.last() else { break };
            after = last;
            left -= page.len();
            let n_page = page.len();
            for (seq, bytes) in page {
                out.push(vec![Cell::Int(seq as i64), Cell::Bytes(bytes.into_vec())])?;
            }
            if n_page < PAGE || !out.flush()? {
                break;
            }
        }
        Ok(())
    },
};

/// `mindoo.add_audit_record(table, chain, record)`: a record of another node's chain, stored
/// when it extends the chain held here (`added`), accepted unchanged when held already.
pub(crate) static ADD_AUDIT_RECORD: TableFn = TableFn {
    name: "add_audit_record",
    params: &[
        param("table", PgType::Text),
        param("chain", PgType::Text),
        param("record", PgType::Bytea),
    ],
    columns: Columns::Fixed("seq int8, added bool"),
    sorted_by: &[],
    writes: true,
    run: |ctx, args, _limit, out| add(ctx, args.text(0)?, args.text(1)?, args.bytes(2)?, out),
};

fn add(ctx: &FnCtx, table: &str, chain: &str, bytes: &[u8], out: &mut Out<'_>) -> Result<()> {
    let table = ctx.owned_table(table)?;
    let chain = chain_id(chain)?;
    let record = verify_audit(bytes).map_err(|err| {
        Error::InvalidParameter(format!(
            "argument record is not a valid audit record: {err}"
        ))
    })?;
    let added = ctx
        .store
        .add_audit_records(table, &chain, std::slice::from_ref(&record))?;
    if let Some((seq, why)) = added.refused {
        return Err(StorageError::AuditChain { seq, why }.into());
    }
    out.push(vec![
        Cell::Int(record.seq() as i64),
        Cell::Bool(added.appended == 1),
    ])
}

fn push_record(
    out: &mut Out<'_>,
    record: &AuditRecord,
    chain: &AuditChainId,
    received: bool,
) -> Result<()> {
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
        Cell::Text(chain.to_string()),
        Cell::Bool(received),
    ])
}

fn chain_id(text: &str) -> Result<AuditChainId> {
    AuditChainId::from_hex(text).ok_or_else(|| {
        Error::InvalidParameter(format!(
            "{text:?} is not an audit chain id (64 hex digits, as mindoo.audit_chains shows chain)"
        ))
    })
}
