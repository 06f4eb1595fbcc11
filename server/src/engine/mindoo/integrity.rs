//! Checking a table without keys: `mindoo.verify` (every hash, chain link and signature, and
//! the first bad entry), `mindoo.proof` (what a client needs to check one document's history
//! itself, `mindoodb_client::verify_proof`: entries, their commits and paths, and the receipts
//! that say when a server stored them) and `mindoo.receipts` (the database's receipt log).
//!
//! Invariants:
//! - Neither needs or uses a key: they read sealed bytes and metadata only.
//!
//! See: docs/SQL.md#change-feeds-history-and-verification

use mindoodb_protocol::carry_receipt;
use mindoodb_storage::{Problem, ReceiptSeq, VerifyReport};

use super::cells::{op, parents};
use super::feed::feed_args;
use crate::catalog::acl;
use crate::engine::read::table_fn::{Cell, Columns, PAGE, TableFn, optional, param};
use crate::output::PgType;

/// `mindoo.receipts(table, since [, limit])`: the receipts of the table's database after
/// receipt seq `since`, in the order this server stored them.
pub(crate) static RECEIPTS: TableFn = TableFn {
    name: "receipts",
    params: &[
        param("table", PgType::Text),
        param("since", PgType::Int8),
        optional("limit", PgType::Int4),
    ],
    columns: Columns::Fixed(
        "seq int8, server text, signed_at timestamptz, first_commit int8, last_commit int8, \
         receipt bytea",
    ),
    sorted_by: &["seq"],
    writes: false,
    run: |ctx, args, limit, out| {
        let (table, since, limit) = feed_args(ctx, args, limit)?;
        let mut since = ReceiptSeq(since.0);
        let mut left = limit.unwrap_or(usize::MAX);
        let snapshot = ctx.store.snapshot();
        while left > 0 {
            let page = snapshot.receipts(table.tenant, since, left.min(PAGE))?;
            let Some(last) = page.last() else { break };
            since = last.seq;
            left = left.saturating_sub(page.len());
            for stored in &page {
                let receipt = &stored.receipt;
                out.push(vec![
                    Cell::Int(stored.seq.0 as i64),
                    Cell::Text(receipt.server().to_string()),
                    Cell::Time(receipt.time().0),
                    Cell::Int(receipt.first() as i64),
                    Cell::Int(receipt.last() as i64),
                    Cell::Bytes(receipt.bytes().to_vec()),
                ])?;
            }
            if !out.flush()? {
                break;
            }
        }
        Ok(())
    },
};

/// `mindoo.verify(table)`.
pub(crate) static VERIFY: TableFn = TableFn {
    name: "verify",
    params: &[param("table", PgType::Text)],
    columns: Columns::Fixed(
        "ok bool, entries int8, signatures_ok int8, documents int8, problems int8, \
         head_seq int8, head_rev text, first_bad_seq int8, first_bad_rev text, \
         first_problem text, details jsonb",
    ),
    sorted_by: &[],
    writes: false,
    run: |ctx, args, _limit, out| {
        let table = args.table(ctx, 0, acl::SELECT)?;
        let report = ctx.store.snapshot().verify(table)?;
        out.push(verify_row(&report))
    },
};

/// `mindoo.proof(table, id)`: every revision of a document with its signed bytes.
pub(crate) static PROOF: TableFn = TableFn {
    name: "proof",
    params: &[param("table", PgType::Text), param("id", PgType::Text)],
    columns: Columns::Fixed(
        "seq int8, rev text, op text, parents jsonb, signer text, signer_role text, \
         key_id text, key_version int4, updated_at timestamptz, header bytea, \
         signature bytea, sealed bytea, head bool, winner bool, proof bytea, receipt bytea",
    ),
    sorted_by: &[],
    writes: false,
    run: |ctx, args, _limit, out| {
        let table = args.table(ctx, 0, acl::SELECT)?;
        let doc_id = args.doc(1)?;
        let snapshot = ctx.store.snapshot();
        let Some(doc) = snapshot.doc(table, &doc_id)? else {
            return Ok(());
        };
        let revisions = snapshot.history(table, &doc_id)?;
        let leaves: Vec<_> = revisions.iter().map(|r| r.leaf.as_ref()).collect();
        let proofs = snapshot.carried_proofs(ctx.tenant, &leaves, &[])?;
        for (revision, proof) in revisions.iter().zip(proofs) {
            let receipt = match (&revision.leaf, &proof) {
                (Some(leaf), Some(proof)) => snapshot
                    .receipt_for(ctx.tenant, leaf.commit, &proof.commit)?
                    .map_or(Cell::Null, |(stored, path)| {
                        Cell::Bytes(carry_receipt(stored.receipt.bytes(), &path))
                    }),
                _ => Cell::Null,
            };
            let entry = &revision.entry;
            let header = entry.header();
            let hash = entry.hash();
            out.push(vec![
                Cell::Int(revision.seq.0 as i64),
                Cell::Text(hash.to_string()),
                op(header.kind()),
                parents(entry),
                Cell::Text(header.author().to_string()),
                Cell::text_or_null(header.signer_role()),
                Cell::Text(header.key().name.to_string()),
                Cell::Int4(header.key().version as i32),
                Cell::Time(header.clock().0),
                Cell::Bytes(entry.header_bytes().to_vec()),
                Cell::Bytes(entry.signature().to_vec()),
                Cell::Bytes(entry.bytes().to_vec()),
                Cell::Bool(doc.heads.iter().any(|h| h.hash == hash)),
                Cell::Bool(doc.winner.hash() == hash),
                proof.map_or(Cell::Null, |p| Cell::Bytes(p.bytes)),
                receipt,
            ])?;
        }
        Ok(())
    },
};

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
