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

use std::fmt;
use std::iter::Peekable;
use std::sync::Arc;

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
    ) -> Result<DocScanExec, Error> {
        let (keys, pending, snapshot) = {
            let mut state = state.write();
            let pending: Vec<(DocId, Option<Row>)> = state
                .txn
                .table(table)
                .filter(|(id, _)| only.as_ref().is_none_or(|only| only == *id))
                .map(|(id, doc)| (id.clone(), pending_row(id, doc)))
                .collect();
            let snapshot = state.statement_snapshot(store)?;
            (state.keys.for_reading(), pending, snapshot)
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
            "DocScanExec: table={}/{}, point={}, limit={:?}",
            self.table.tenant.0,
            self.table.id.0,
            self.only.is_some(),
            self.limit
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
        let (tx, rx) = mpsc::channel(CHANNEL_BATCHES);
        let job = Job {
            snapshot: self.snapshot.clone(),
            table: self.table,
            keys: self.keys.for_reading(),
            projection: self.projection.clone(),
            only: self.only.clone(),
            limit: self.limit,
            pending: self.pending.clone(),
            tx,
        };
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|e| Error::Internal(format!("table scan outside a runtime: {e}")))
            .map_err(Error::into_datafusion)?;
        let handle = runtime.spawn_blocking(move || job.run());
        let batches = futures::stream::unfold(Some((rx, handle)), next_batch);
        Ok(Box::pin(RecordBatchStreamAdapter::new(
            self.projection.schema(),
            batches,
        )))
    }
}

type Feed = (mpsc::Receiver<DfResult<RecordBatch>>, JoinHandle<()>);

/// The stream's next item: a batch, or after the last one, the scan thread's fate.
async fn next_batch(feed: Option<Feed>) -> Option<(DfResult<RecordBatch>, Option<Feed>)> {
    let (mut rx, handle) = feed?;
    if let Some(batch) = rx.recv().await {
        return Some((batch, Some((rx, handle))));
    }
    match handle.await {
        Ok(()) => None,
        Err(err) => Some((
            Err(Error::Internal(format!("table scan thread: {err}")).into_datafusion()),
            None,
        )),
    }
}

/// One scan's work, owned by its blocking thread.
struct Job {
    snapshot: SharedSnapshot,
    table: Table,
    keys: KeySet,
    projection: Projection,
    only: Option<DocId>,
    limit: Option<usize>,
    /// The session's pending writes to this table, in id order; `None` rows are deletes.
    pending: Arc<Vec<(DocId, Option<Row>)>>,
    tx: mpsc::Sender<DfResult<RecordBatch>>,
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
        let mut out = Output {
            keys: &self.keys,
            projection: &self.projection,
            pending: Arc::unwrap_or_clone(self.pending).into_iter().peekable(),
            remaining: self.limit.unwrap_or(usize::MAX),
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

/// Turns pages into batches: merges pending writes in, decrypts, applies the limit, sends.
struct Output<'a, I: Iterator<Item = (DocId, Option<Row>)>> {
    keys: &'a KeySet,
    projection: &'a Projection,
    pending: Peekable<I>,
    remaining: usize,
    rows: Vec<Row>,
    tx: &'a mpsc::Sender<DfResult<RecordBatch>>,
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
            if let Some(row) = visible(pending, Some(&doc), self.keys, self.projection)? {
                self.push(row);
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
            && let Some(row) = visible(Some(row), None, self.keys, self.projection)?
        {
            self.push(row);
        }
        Ok(())
    }

    fn push(&mut self, row: Row) {
        if self.remaining > 0 {
            self.remaining -= 1;
            self.rows.push(row);
        }
    }

    fn send(&mut self) -> Result<Flow, Error> {
        if self.rows.is_empty() {
            return Ok(if self.remaining == 0 {
                Flow::Stop
            } else {
                Flow::Continue
            });
        }
        let batch = self.projection.batch(&self.rows)?;
        self.rows.clear();
        if self.tx.blocking_send(Ok(batch)).is_err() || self.remaining == 0 {
            return Ok(Flow::Stop);
        }
        Ok(Flow::Continue)
    }
}
