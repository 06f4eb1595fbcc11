//! The `mindoo.*` functions (docs/SQL.md), one file per family: the table functions as
//! descriptors (`read/table_fn.rs`) — feeds, history and time travel, integrity, the server's
//! views, imports, the read-audit log — and the key functions called as `SELECT mindoo.f(...)`.
//!
//! Invariants:
//! - `TABLE_FUNCTIONS` is the one list of table functions; a session registers exactly these.
//! - No function returns key material, except `create_key`/`rotate_key` returning the new
//!   token to its creator.

mod audit;
mod cells;
mod feed;
mod history;
mod import;
mod integrity;
pub(crate) mod keys;
mod server;
pub(crate) mod sync;
mod writers;

use crate::engine::read::table_fn::TableFn;

pub(crate) use feed::cursors_arg;

/// Every table function of schema `mindoo`.
pub(crate) static TABLE_FUNCTIONS: [&TableFn; 27] = [
    &feed::CHANGES,
    &feed::CHANGES_ALL,
    &feed::ENTRIES,
    &history::HISTORY,
    &history::AS_OF,
    &history::AS_OF_SEQ,
    &history::CONFLICTS,
    &integrity::VERIFY,
    &integrity::PROOF,
    &integrity::RECEIPTS,
    &import::APPLY,
    &feed::TABLES,
    &import::SYNC,
    &import::MOVE,
    &server::STATS,
    &server::ACTIVITY,
    &writers::TRUST_WRITER,
    &writers::REVOKE_WRITER,
    &writers::WRITERS,
    &writers::WRITER_LOG,
    &writers::ADD_WRITER_RECORD,
    &writers::QUARANTINE,
    &writers::DROP_QUARANTINED,
    &audit::AUDIT,
    &audit::AUDIT_CHAINS,
    &audit::AUDIT_RECORDS,
    &audit::ADD_AUDIT_RECORD,
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_function_has_a_schema_and_parameters() {
        let mut names = BTreeSet::new();
        for func in TABLE_FUNCTIONS {
            assert!(!func.schema().fields().is_empty(), "{func:?}");
            // mindoo.stats(), mindoo.activity and mindoo.writers() cover the whole database.
            assert_eq!(
                func.params.is_empty(),
                ["stats", "activity", "writers"].contains(&func.name),
                "{func:?}"
            );
            assert!(names.insert(func.name), "{func:?} twice");
            // Optional parameters come last.
            let first_optional = func.params.iter().position(|p| p.optional);
            if let Some(first) = first_optional {
                assert!(func.params[first..].iter().all(|p| p.optional), "{func:?}");
            }
            for column in func.sorted_by {
                assert!(func.schema().index_of(column).is_ok(), "{func:?} {column}");
            }
        }
    }
}
