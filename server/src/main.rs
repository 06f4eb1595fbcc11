//! The `mindoodb` binary; everything it does is `mindoodb_server::run` (`lib.rs`).
//!
//! Invariants:
//! - No logic here: the library is what the fuzz targets and the binary share.
//! - The allocator is mimalloc: glibc's malloc kept the memory of a large statement (a 100 MB
//!   COPY, a wide result) resident after it ended; mimalloc returns freed pages to the system.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    mindoodb_server::run()
}
