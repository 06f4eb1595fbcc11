//! One snapshot read by many threads: a reader thread owns a RocksDB snapshot and runs read
//! jobs against it for as long as any `SharedSnapshot` handle lives.
//!
//! A RocksDB snapshot borrows its database, so it cannot be handed to threads that outlive the
//! borrow without `unsafe`. Owning it on one thread and sending that thread jobs gives every
//! reader the same consistent view safely: a caller that reads several tables (a join, a view
//! over shards) through one `SharedSnapshot` never sees half a commit.
//!
//! Invariants:
//! - Every job of one `SharedSnapshot` reads the same snapshot, taken before `start` returned.
//! - Jobs run one at a time, in submission order. A job must be short (one page, one document)
//!   and must never wait on another job, or readers sharing the snapshot would deadlock.
//! - The snapshot, and the store with it, stays open until the last handle and the last
//!   submitted job are gone.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel, sync_channel};

use crate::read::Snapshot;
use crate::store::Shared;
use crate::{Error, Result};

type Job = Box<dyn FnOnce(&Snapshot<'_>) + Send>;

/// A handle on a snapshot owned by a reader thread. Cheap to clone; every clone reads the same
/// snapshot.
#[derive(Clone)]
pub struct SharedSnapshot {
    jobs: Sender<Job>,
}

/// A submitted job's result, to be collected with `wait`.
pub struct PendingRead<R> {
    answer: Receiver<R>,
}

impl SharedSnapshot {
    /// Takes a snapshot of `shared` on a new reader thread.
    pub(crate) fn start(shared: Arc<Shared>) -> Result<SharedSnapshot> {
        let (jobs, queue) = channel::<Job>();
        let (taken_tx, taken) = sync_channel(0);
        std::thread::Builder::new()
            .name("mindoodb-snapshot".into())
            .spawn(move || {
                let snapshot = Snapshot::new(&shared);
                // Nobody waits any more only if the caller is gone; then no job will come.
                let _ = taken_tx.send(());
                for job in queue {
                    job(&snapshot);
                }
            })
            .map_err(Error::Thread)?;
        // The snapshot is taken before this returns, so a commit acknowledged after it is never
        // seen and one acknowledged before it always is.
        taken.recv().map_err(|_| Error::Closed)?;
        Ok(SharedSnapshot { jobs })
    }

    /// Runs `read` on the snapshot and returns its result.
    pub fn read<R: Send + 'static>(
        &self,
        read: impl FnOnce(&Snapshot<'_>) -> R + Send + 'static,
    ) -> Result<R> {
        self.submit(read)?.wait()
    }

    /// Queues `read` on the snapshot; the caller may do other work before `wait`ing for it
    /// (reading the next page while it decrypts the last).
    pub fn submit<R: Send + 'static>(
        &self,
        read: impl FnOnce(&Snapshot<'_>) -> R + Send + 'static,
    ) -> Result<PendingRead<R>> {
        let (reply, answer) = sync_channel(1);
        let job: Job = Box::new(move |snapshot| {
            // The submitter may have stopped waiting; then nobody needs the result.
            let _ = reply.send(read(snapshot));
        });
        self.jobs.send(job).map_err(|_| Error::Closed)?;
        Ok(PendingRead { answer })
    }
}

impl<R> PendingRead<R> {
    /// Blocks until the job ran; `Closed` if the reader thread died before answering.
    pub fn wait(self) -> Result<R> {
        self.answer.recv().map_err(|_| Error::Closed)
    }
}
