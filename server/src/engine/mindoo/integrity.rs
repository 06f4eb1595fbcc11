//! Checking a table without keys: `mindoo.verify` (every hash, chain link and signature, and
//! the first bad entry) and `mindoo.proof` (what a client needs to check one document's
//! history itself, `mindoodb_client::verify_proof`).
//!
//! Invariants:
//! - Neither needs or uses a key: they read sealed bytes and metadata only.
//!
//! See: docs/SQL.md#change-feeds-history-and-verification

use mindoodb_storage::{Problem, VerifyReport};

use super::cells::{op, parents};
use crate::engine::read::table_fn::{Cell, Columns, TableFn, param};
use crate::output::PgType;

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
        let table = args.table(ctx, 0)?;
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
         signature bytea, sealed bytea, head bool, winner bool",
    ),
    sorted_by: &[],
    writes: false,
    run: |ctx, args, _limit, out| {
        let table = args.table(ctx, 0)?;
        let doc_id = args.doc(1)?;
        let snapshot = ctx.store.snapshot();
        let Some(doc) = snapshot.doc(table, &doc_id)? else {
            return Ok(());
        };
        for revision in snapshot.history(table, &doc_id)? {
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
