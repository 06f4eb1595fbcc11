//! Forward cursors over one column family of a snapshot: point reads of keys that mostly come in
//! ascending order, served by stepping to the next key instead of seeking.
//!
//! A seek (like a point get) binary-searches index and data blocks; stepping to the next key of a
//! block already in hand costs a fraction of that. Scans fetch winners in id order, and when
//! documents were written in id order their winners sit next to each other in the log, so a
//! cursor that remembers where it stands reaches most of them in one step. A few cursors follow
//! a few interleaved ascending streams (creates here, updates at the end of the log).
//!
//! Invariants:
//! - `get` returns the value stored under exactly `key` in the snapshot, or `None`: stepping
//!   versus seeking changes only the cost, never the answer.
//! - A cursor steps only forward and at most `MAX_STEPS` keys per `get`; any other target seeks.
//! - Values are borrowed from RocksDB's pinned blocks and live until the cursor moves.

use std::cmp::Ordering;

use rocksdb::{DB, DBRawIteratorWithThreadMode};

use crate::Result;

/// Most keys a cursor steps over before it seeks instead. A step costs about a tenth of a seek,
/// and skipping a few keys is common (another document's winner, another part's chunk).
const MAX_STEPS: usize = 8;

/// Cursors in a `Cursors` group: enough for the usual two ascending streams.
const N_CURSORS: usize = 2;

/// One forward cursor.
pub(crate) struct Cursor<'s> {
    iter: DBRawIteratorWithThreadMode<'s, DB>,
}

/// A few cursors over one column family; each read goes to the one just below its key.
pub(crate) struct Cursors<'s> {
    cursors: [Cursor<'s>; N_CURSORS],
    last_used: [u64; N_CURSORS],
    clock: u64,
}

impl<'s> Cursor<'s> {
    pub(crate) fn new(iter: DBRawIteratorWithThreadMode<'s, DB>) -> Cursor<'s> {
        Cursor { iter }
    }

    /// The value under `key`, if any.
    pub(crate) fn get(&mut self, key: &[u8]) -> Result<Option<&[u8]>> {
        let mut from_below = false;
        for _ in 0..=MAX_STEPS {
            match self.iter.key().map(|at| at.cmp(key)) {
                Some(Ordering::Equal) => return Ok(self.iter.value()),
                Some(Ordering::Less) => {
                    from_below = true;
                    self.iter.next();
                }
                // Stepped past the key, or off the end, from below it: it is not stored.
                Some(Ordering::Greater) | None if from_below => {
                    self.iter.status()?;
                    return Ok(None);
                }
                Some(Ordering::Greater) | None => break,
            }
        }
        self.iter.seek(key);
        self.iter.status()?;
        Ok(self
            .iter
            .key()
            .filter(|at| *at == key)
            .and(self.iter.value()))
    }

    /// Where the cursor stands, if anywhere.
    fn key(&self) -> Option<&[u8]> {
        self.iter.key()
    }
}

impl<'s> Cursors<'s> {
    /// `make` opens one raw iterator over the column family, bounded as the caller needs.
    pub(crate) fn new(
        mut make: impl FnMut() -> DBRawIteratorWithThreadMode<'s, DB>,
    ) -> Cursors<'s> {
        Cursors {
            cursors: std::array::from_fn(|_| Cursor::new(make())),
            last_used: [0; N_CURSORS],
            clock: 0,
        }
    }

    /// The value under `key`, read by the cursor standing closest below it, or else by the one
    /// used least recently.
    pub(crate) fn get(&mut self, key: &[u8]) -> Result<Option<&[u8]>> {
        let below = (0..N_CURSORS)
            .filter_map(|idx| Some((self.cursors[idx].key().filter(|at| *at <= key)?, idx)))
            .max()
            .map(|(_, idx)| idx);
        let idx = below.unwrap_or_else(|| {
            (0..N_CURSORS)
                .min_by_key(|idx| self.last_used[*idx])
                .unwrap_or_default()
        });
        self.clock += 1;
        self.last_used[idx] = self.clock;
        self.cursors[idx].get(key)
    }
}
