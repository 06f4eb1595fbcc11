//! Deep recursion without stack overflow: PostgreSQL walks tsquery trees recursively and
//! accepts trees 100,000 levels deep (`plainto_tsquery` of a long text), so ours must too.
//!
//! Invariants:
//! - Every recursive walk over query trees calls through `grow`, which moves onto a fresh
//!   heap-allocated stack segment before the current one runs out.

/// Runs `f`, first growing the stack when less than 64 KiB of it is left.
pub(crate) fn grow<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, f)
}
