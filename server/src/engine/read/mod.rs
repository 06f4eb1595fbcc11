//! Reading: the tenant's tables and views as DataFusion relations, the streaming table scan,
//! rows from stored and pending documents, the point-read fast path, the `mindoo.*` table
//! functions as relations, and queries planned and run through DataFusion.
//!
//! Invariants:
//! - All table scans of one statement read one `SharedSnapshot`, taken by the first of them
//!   and dropped when the statement ends, so a join or a view over shards never sees half a
//!   commit.
//! - A table scan never holds a table in memory: it pages through the snapshot.
//! - Every fast path answers exactly what the general path answers, or declines.

pub(crate) mod cursor;
pub(crate) mod id_filter;
pub(crate) mod point_read;
pub(crate) mod query;
pub(crate) mod row;
pub(crate) mod scan;
pub(crate) mod schema;
pub(crate) mod shape;
pub(crate) mod table_fn;
pub(crate) mod udtf;
pub(crate) mod views;
pub(crate) mod visible;
