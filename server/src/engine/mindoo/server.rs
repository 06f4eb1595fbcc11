//! The server's own views: `mindoo.stats()` (per-table counts and size) and `mindoo.activity`
//! (the tenant's sessions and what they run).
//!
//! Invariants:
//! - Statements appear only as redacted text (`sql/redact.rs`): no literal, key or document.
//! - Only the session's own tenant is shown.

use crate::engine::read::table_fn::{Cell, Columns, TableFn};
use crate::engine::session::ClientAddr;

/// `mindoo.stats()`.
pub(crate) static STATS: TableFn = TableFn {
    name: "stats",
    params: &[],
    columns: Columns::Fixed(
        "table_name text, documents int8, deleted int8, entries int8, last_seq int8, \
         bytes_on_disk int8, read_only bool",
    ),
    sorted_by: &["table_name"],
    writes: false,
    run: |ctx, _args, _limit, out| {
        let snapshot = ctx.store.snapshot();
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
        Ok(())
    },
};

/// `mindoo.activity`.
pub(crate) static ACTIVITY: TableFn = TableFn {
    name: "activity",
    params: &[],
    columns: Columns::Fixed(
        "pid int8, usename text, datname text, client_addr text, client_port int4, \
         backend_start timestamptz, state text, query_start timestamptz, query text",
    ),
    sorted_by: &["pid"],
    writes: false,
    run: |ctx, _args, _limit, out| {
        for row in ctx.activity.sessions(ctx.tenant) {
            out.push(vec![
                Cell::Int(row.pid as i64),
                Cell::Text(row.role),
                Cell::Text(row.database),
                row.client
                    .and_then(ClientAddr::ip)
                    .map_or(Cell::Null, |ip| Cell::Text(ip.to_string())),
                row.client
                    .map_or(Cell::Null, |client| Cell::Int4(client.port())),
                Cell::Time(row.backend_start),
                Cell::Text(row.state.to_owned()),
                row.query_start.map_or(Cell::Null, Cell::Time),
                Cell::Text(row.query.to_string()),
            ])?;
        }
        Ok(())
    },
};
