//! Postgres' binary COPY stream of sealed entries, as sync pushes and `remote.rs` imports send
//! them: the signature, flags and an empty extension, one row per entry (the sealed bytes, and
//! a format-2 entry's carried proof as a second column), then the trailer.
//!
//! Invariants:
//! - The bytes are what the server's binary COPY FROM reads (`server/src/engine/write/
//!   copy_sealed.rs`); the buffer is sized once from the rows.
#![allow(
    clippy::big_endian_bytes,
    reason = "the binary COPY format is big-endian"
)]

use bytes::{BufMut, Bytes, BytesMut};

/// One row of a binary COPY of sealed entries: the entry, and its carried proof (format 2).
pub(crate) type CopyRow<'a> = (&'a [u8], Option<&'a [u8]>);

/// Postgres' binary COPY stream: signature, flags, no extension, one row per entry (the
/// sealed bytes, then its carried proof for format 2), then the trailer.
pub(crate) fn binary_copy(rows: &[CopyRow<'_>]) -> Bytes {
    let size = 21
        + rows
            .iter()
            .map(|(sealed, proof)| 6 + sealed.len() + proof.map_or(0, |p| 4 + p.len()))
            .sum::<usize>();
    let mut buf = BytesMut::with_capacity(size);
    buf.put_slice(b"PGCOPY\n\xff\r\n\0");
    buf.put_i32(0);
    buf.put_i32(0);
    for (sealed, proof) in rows {
        // Entries are at most 16 MiB and some header bytes, proofs a few hundred bytes: far
        // below i32::MAX.
        match proof {
            None => {
                buf.put_i16(1);
                buf.put_i32(sealed.len() as i32);
                buf.put_slice(sealed);
            }
            Some(proof) => {
                buf.put_i16(2);
                buf.put_i32(sealed.len() as i32);
                buf.put_slice(sealed);
                buf.put_i32(proof.len() as i32);
                buf.put_slice(proof);
            }
        }
    }
    buf.put_i16(-1);
    buf.freeze()
}
