//! Streaming table scans: `DocScanExec` pages through the statement's storage snapshot on a
//! blocking thread, decrypts with the session's keys, overlays the session's pending writes and
//! sends Arrow batches through a bounded channel.
//!
//! Invariants:
//! - Every scan of one statement reads the statement's one `SharedSnapshot`, taken by its first
//!   scan: a statement never sees half a commit, however many tables it reads.
//! - The snapshot, the keys and the pending writes are taken when the scan is planned, within
//!   the statement: rows a client reads later (a streamed result, a suspended portal) are still
//!   the statement's, whatever the session did since.
//! - Memory is bounded by the pages in flight (one being read, one being decrypted, at most
//!   `CHANNEL_BATCHES` waiting), never by the table.
//! - Rows come in id order, each document at most once; a pending write of the session stands in
//!   for the stored document (read-your-writes).
//! - Once the consumer drops the stream, the scan stops after the page at hand.
//! - A scan that fails or panics ends its stream with an error, never silently short.
//! - A scan of a table whose reads are audited records the ids of each batch (one audit
//!   record per batch, `session/audit.rs`) when its consumer takes the batch, before handing
//!   it on: rows the query never pulled are not recorded, rows it got always are. Such a
//!   scan also applies every filter DataFusion pushed down to it (`DocTable` answers
//!   `Exact` for them), so the ids are those of the rows that passed the `WHERE`, and a
//!   `LIMIT` above them reaches the scan.

use std::fmt;
use std::iter::Peekable;
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::Result as DfResult;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::error::DataFusionError;
use datafusion::execution::TaskContext;
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties,
    SendableRecordBatchStream,
};
use mindoodb_protocol::DocId;
use mindoodb_storage::{Document, PendingRead, SharedSnapshot, Store, Table};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::row::{Projection, Row, pending_row};
use super::visible::visible;
use crate::engine::session::audit::StatementAudit;
use crate::engine::session::keys::KeySet;
use crate::engine::session::state::SharedState;
use crate::error::Error;

/// Documents read from storage per page; each page becomes at most one batch.
pub(crate) const PAGE_DOCS: usize = 1024;
/// Batches that may wait for the consumer before the scan thread blocks.
const CHANNEL_BATCHES: usize = 2;
/// The smallest page a `LIMIT` shrinks pages to (rows under other keys are skipped).
const MIN_LIMIT_PAGE: usize = 64;

/// Scans one document table for one session.
pub(crate) struct DocScanExec {
    table: Table,
    /// The statement's snapshot, and the session's keys and pending writes at planning.
    snapshot: SharedSnapshot,
    keys: KeySet,
    /// The session's pending writes to this table, in id order; `None` rows are deletes.
    pending: Arc<Vec<(DocId, Option<Row>)>>,
    projection: Projection,
    /// `id = '<literal>'` pushed down: a point read instead of a scan.
    only: Option<DocId>,
    /// Rows to produce at most; DataFusion passes it only when no filter follows.
    limit: Option<usize>,
    /// Every filter pushed down as `Exact` (to a table audited when it was planned), as one
    /// predicate over the table's full row: applied here, whether still audited or not.
    filter: Option<Arc<dyn PhysicalExpr>>,
    /// For a table audited now: the statement its reads are recorded against.
    audit: Option<Arc<StatementAudit>>,
    properties: Arc<PlanProperties>,
}

impl DocScanExec {
    /// The scan as the session's statement sees `table` now.
    pub(crate) fn new(
        store: &Store,
        table: Table,
        state: &SharedState,
        projection: Projection,
        only: Option<DocId>,
        limit: Option<usize>,
        filter: Option<Arc<dyn PhysicalExpr>>,
    ) -> Result<DocScanExec, Error> {
        let (keys, pending, snapshot, audit) = {
            let mut state = state.write();
            let pending: Vec<(DocId, Option<Row>)> = state
                .txn
                .table(table)
                .filter(|(id, _)| only.as_ref().is_none_or(|only| only == *id))
                .map(|(id, doc)| (id.clone(), pending_row(id, doc)))
                .collect();
            let snapshot = state.statement_snapshot(store)?;
            let audit = match (store.audits_reads(table), state.statement_audit()) {
                (false, _) => None,
                (true, Some(statement)) => Some(statement),
                (true, None) => {
                    return Err(Error::Internal(
                        "a read of an audited table outside a statement".into(),
                    ));
                }
            };
            (state.keys.for_reading(), pending, snapshot, audit)
        };
        let properties = PlanProperties::new(
            EquivalenceProperties::new(projection.schema()),
            Partitioning::UnknownPartitioning(1),
            EmissionType::Incremental,
            Boundedness::Bounded,
        );
        Ok(DocScanExec {
            table,
            snapshot,
            keys,
            pending: Arc::new(pending),
            projection,
            only,
            limit,
            filter,
            audit,
            properties: Arc::new(properties),
        })
    }
}

impl fmt::Debug for DocScanExec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "DocScanExec({}/{})",
            self.table.tenant.0, self.table.id.0
        )
    }
}

impl DisplayAs for DocScanExec {
    fn fmt_as(&self, _format: DisplayFormatType, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "DocScanExec: table={}/{}, point={}, limit={:?}, audited={}",
            self.table.tenant.0,
            self.table.id.0,
            self.only.is_some(),
            self.limit,
            self.audit.is_some()
        )
    }
}

impl ExecutionPlan for DocScanExec {
    fn name(&self) -> &str {
        "DocScanExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        Vec::new()
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> DfResult<TreeNodeRecursion>,
    ) -> DfResult<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        if children.is_empty() {
            Ok(self)
        } else {
            Err(DataFusionError::Internal(
                "a table scan has no children".into(),
            ))
        }
    }

    fn execute(
        &self,
        partition: usize,
        _context: Arc<TaskContext>,
    ) -> DfResult<SendableRecordBatchStream> {
        if partition != 0 {
            return Err(DataFusionError::Internal(format!(
                "a table scan has one partition, not {partition}"
            )));
        }
        let (tx, rx) = mpsc::channel::<Sent>(CHANNEL_BATCHES);
        let job = Job {
            snapshot: self.snapshot.clone(),
            table: self.table,
            keys: self.keys.for_reading(),
            projection: self.projection.clone(),
            only: self.only.clone(),
            limit: self.limit,
            filter: self.filter.clone(),
            audited: self.audit.is_some(),
            pending: self.pending.clone(),
            tx,
        };
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|e| Error::Internal(format!("table scan outside a runtime: {e}")))
            .map_err(Error::into_datafusion)?;
        let handle = runtime.spawn_blocking(move || job.run());
        let feed = Feed {
            rx,
            handle,
            audit: self
                .audit
                .as_ref()
                .map(|statement| (self.table, statement.clone())),
        };
        let batches = futures::stream::unfold(Some(feed), next_batch);
        Ok(Box::pin(RecordBatchStreamAdapter::new(
            self.projection.schema(),
            batches,
        )))
    }
}

/// A batch and, when the table is audited, the ids of its rows.
type Sent = DfResult<(RecordBatch, Vec<String>)>;

/// The consumer's end of a scan.
struct Feed {
    rx: mpsc::Receiver<Sent>,
    handle: JoinHandle<()>,
    audit: Option<(Table, Arc<StatementAudit>)>,
}

/// The stream's next item: a batch (recorded first when the table is audited), or after the
/// last one, the scan thread's fate.
async fn next_batch(feed: Option<Feed>) -> Option<(DfResult<RecordBatch>, Option<Feed>)> {
    let Feed {
        mut rx,
        handle,
        audit,
    } = feed?;
    if let Some(sent) = rx.recv().await {
        let batch = match (sent, &audit) {
            (Ok((batch, ids)), Some((table, statement))) if !ids.is_empty() => {
                record(statement.clone(), *table, ids).await.map(|()| batch)
            }
            (sent, _) => sent.map(|(batch, _)| batch),
        };
        return Some((batch, Some(Feed { rx, handle, audit })));
    }
    match handle.await {
        Ok(()) => None,
        Err(err) => Some((
            Err(Error::Internal(format!("table scan thread: {err}")).into_datafusion()),
            None,
        )),
    }
}

/// Appends the audit records of one batch, on a blocking thread (a synced write).
async fn record(statement: Arc<StatementAudit>, table: Table, ids: Vec<String>) -> DfResult<()> {
    tokio::task::spawn_blocking(move || statement.record(table, &ids))
        .await
        .map_err(|err| Error::Internal(format!("audit record: {err}")).into_datafusion())?
        .map_err(Error::into_datafusion)
}

/// One scan's work, owned by its blocking thread.
struct Job {
    snapshot: SharedSnapshot,
    table: Table,
    keys: KeySet,
    projection: Projection,
    only: Option<DocId>,
    limit: Option<usize>,
    /// Applied to each row before the limit (tables audited when planned).
    filter: Option<Arc<dyn PhysicalExpr>>,
    /// Send each batch's ids along, for the audit record.
    audited: bool,
    /// The session's pending writes to this table, in id order; `None` rows are deletes.
    pending: Arc<Vec<(DocId, Option<Row>)>>,
    tx: mpsc::Sender<Sent>,
}

/// Whether the consumer still listens.
enum Flow {
    Continue,
    Stop,
}

impl Job {
    fn run(self) {
        let tx = self.tx.clone();
        if let Err(err) = self.produce() {
            // The consumer may be gone; then nobody needs the error.
            let _ = tx.blocking_send(Err(err.into_datafusion()));
        }
    }

    fn produce(self) -> Result<(), Error> {
        // A filter reads any column, so its rows are whole.
        let whole = Projection::all();
        let mut out = Output {
            keys: &self.keys,
            row_projection: if self.filter.is_some() {
                &whole
            } else {
                &self.projection
            },
            projection: &self.projection,
            filter: self.filter.as_ref(),
            audited: self.audited,
            pending: Arc::unwrap_or_clone(self.pending).into_iter().peekable(),
            remaining: self.limit.unwrap_or(usize::MAX),
            candidates: Vec::new(),
            rows: Vec::new(),
            tx: &self.tx,
        };
        let table = self.table;
        if let Some(id) = self.only {
            let doc = self.snapshot.read(move |s| s.doc(table, &id))??;
            out.page(doc.into_iter().collect())?;
            return out.finish();
        }
        let page_docs = self
            .limit
            .map_or(PAGE_DOCS, |limit| limit.clamp(MIN_LIMIT_PAGE, PAGE_DOCS));
        // The snapshot's reader fetches the next page while this thread decrypts the last.
        let mut next = Some(read_page(&self.snapshot, table, None, page_docs)?);
        while let Some(pending_page) = next.take() {
            let page = pending_page.wait()??;
            if page.len() == page_docs {
                let after = page.last().map(|doc| doc.id.clone());
                next = Some(read_page(&self.snapshot, table, after, page_docs)?);
            }
            if let Flow::Stop = out.page(page)? {
                return Ok(());
            }
        }
        out.finish()
    }
}

type Page = mindoodb_storage::Result<Vec<Document>>;

/// Queues the read of up to `page_docs` documents of `table` after `after`.
fn read_page(
    snapshot: &SharedSnapshot,
    table: Table,
    after: Option<DocId>,
    page_docs: usize,
) -> Result<PendingRead<Page>, Error> {
    Ok(snapshot.submit(move |s| s.scan(table, after.as_ref(), page_docs))?)
}

/// Turns pages into batches: merges pending writes in, decrypts, filters (audited tables),
/// applies the limit, sends.
struct Output<'a, I: Iterator<Item = (DocId, Option<Row>)>> {
    keys: &'a KeySet,
    /// The columns rows are made with: all of them when a filter reads them.
    row_projection: &'a Projection,
    /// The columns of the batches sent.
    projection: &'a Projection,
    filter: Option<&'a Arc<dyn PhysicalExpr>>,
    audited: bool,
    pending: Peekable<I>,
    remaining: usize,
    /// Rows of the page at hand, before the filter.
    candidates: Vec<Row>,
    rows: Vec<Row>,
    tx: &'a mpsc::Sender<Sent>,
}

impl<I: Iterator<Item = (DocId, Option<Row>)>> Output<'_, I> {
    /// Adds one page of stored documents (in id order) and sends what it yields.
    fn page(&mut self, docs: Vec<Document>) -> Result<Flow, Error> {
        for doc in docs {
            while let Some((id, _)) = self.pending.peek()
                && *id < doc.id
            {
                self.take_pending()?;
            }
            if self.remaining == 0 {
                break;
            }
            let pending = self
                .pending
                .next_if(|(id, _)| *id == doc.id)
                .map(|(_, row)| row);
            if let Some(row) = visible(pending, Some(&doc), self.keys, self.row_projection)? {
                self.push(row)?;
            }
        }
        self.send()
    }

    /// Sends what is left: the pending writes after the last stored document.
    fn finish(mut self) -> Result<(), Error> {
        while self.pending.peek().is_some() && self.remaining > 0 {
            self.take_pending()?;
        }
        self.send()?;
        Ok(())
    }

    /// The next pending write, which no stored document of the page stands beside.
    fn take_pending(&mut self) -> Result<(), Error> {
        if let Some((_, row)) = self.pending.next()
            && let Some(row) = visible(Some(row), None, self.keys, self.row_projection)?
        {
            self.push(row)?;
        }
        Ok(())
    }

    /// Takes a row, or without a filter, keeps it for sending while the limit allows. With a
    /// filter, rows wait for the page's end and are filtered together.
    fn push(&mut self, row: Row) -> Result<(), Error> {
        if self.filter.is_some() {
            self.candidates.push(row);
            if self.candidates.len() >= PAGE_DOCS {
                self.apply_filter()?;
            }
        } else if self.remaining > 0 {
            self.remaining -= 1;
            self.rows.push(row);
        }
        Ok(())
    }

    /// Keeps the candidates the filter passes, in order, while the limit allows.
    fn apply_filter(&mut self) -> Result<(), Error> {
        let Some(filter) = self.filter else {
            return Ok(());
        };
        if self.candidates.is_empty() {
            return Ok(());
        }
        let candidates = std::mem::take(&mut self.candidates);
        let batch = self.row_projection.batch(&candidates)?;
        let passed = filter
            .evaluate(&batch)
            .and_then(|value| value.into_array(batch.num_rows()))
            .map_err(|err| Error::Internal(format!("scan filter: {err}")))?;
        let Some(passed) = passed.as_boolean_opt() else {
            return Err(Error::Internal("a scan filter that is not boolean".into()));
        };
        for (idx, row) in candidates.into_iter().enumerate() {
            if self.remaining > 0 && passed.is_valid(idx) && passed.value(idx) {
                self.remaining -= 1;
                self.rows.push(row);
            }
        }
        Ok(())
    }

    fn send(&mut self) -> Result<Flow, Error> {
        self.apply_filter()?;
        if self.rows.is_empty() {
            return Ok(if self.remaining == 0 {
                Flow::Stop
            } else {
                Flow::Continue
            });
        }
        let batch = self.projection.batch(&self.rows)?;
        let ids = if self.audited {
            self.rows.iter().map(|row| row.id.clone()).collect()
        } else {
            Vec::new()
        };
        self.rows.clear();
        if self.tx.blocking_send(Ok((batch, ids))).is_err() || self.remaining == 0 {
            return Ok(Flow::Stop);
        }
        Ok(Flow::Continue)
    }
}
