//! Signing the commits a group staged: on the commit thread and, when the machine has a second
//! core and the group more than one commit, on one helper thread, so signing several
//! transactions' commits costs about half the time it would one after the other.
//!
//! Invariants:
//! - Each commit is signed by the identity its signing transaction gave, and only its body's
//!   hash (fixed when it was staged, before any signature) is signed.
//! - Results come back in the order given, one per commit; a helper that is gone before it
//!   took a batch (it only ends with the commit thread) is replaced by the commit thread.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

use mindoodb_protocol::{CommitTree, Identity, UnsignedCommit};

/// A commit to sign and who signs it.
pub(crate) type ToSign = (UnsignedCommit, Arc<Identity>);

type Batch = (Vec<ToSign>, SyncSender<Vec<CommitTree>>);

/// The commit thread's signing helper.
pub(crate) struct Signer {
    helper: Option<Sender<Batch>>, // None on one core, or when the thread could not start.
}

impl Signer {
    /// A helper thread when there is a second core to run it on.
    pub(crate) fn start() -> Signer {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores < 2 {
            return Signer { helper: None };
        }
        let (sender, batches) = channel::<Batch>();
        let started = std::thread::Builder::new()
            .name("mindoodb-sign".into())
            .spawn(move || help(&batches));
        Signer {
            helper: started.is_ok().then_some(sender),
        }
    }

    /// Signs every commit, in order.
    pub(crate) fn sign_all(&self, mut commits: Vec<ToSign>) -> Vec<CommitTree> {
        let helped = match &self.helper {
            Some(helper) if commits.len() >= 2 => {
                let theirs = commits.split_off(commits.len() / 2);
                let (reply, answer) = sync_channel(1);
                match helper.send((theirs, reply)) {
                    Ok(()) => Some(answer),
                    Err(returned) => {
                        commits.extend(returned.0.0);
                        None
                    }
                }
            }
            _ => None,
        };
        let mut signed: Vec<CommitTree> = commits.into_iter().map(sign).collect();
        if let Some(answer) = helped {
            // Signing cannot fail (see `sign`), so a helper that took a batch answers it.
            let theirs = answer
                .recv()
                .unwrap_or_else(|_| unreachable!("the signing helper answers every batch"));
            signed.extend(theirs);
        }
        signed
    }
}

fn help(batches: &Receiver<Batch>) {
    for (commits, reply) in batches {
        let _ = reply.send(commits.into_iter().map(sign).collect());
    }
}

fn sign((unsigned, signer): ToSign) -> CommitTree {
    unsigned
        .sign(&signer)
        .unwrap_or_else(|_| unreachable!("staging prepared the commit with the signer's key"))
}
