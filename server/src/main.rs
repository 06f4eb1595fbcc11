//! The `mindoodb` binary; everything it does is `mindoodb_server::run` (`lib.rs`).
//!
//! Invariants:
//! - No logic here: the library is what the fuzz targets and the binary share.

fn main() -> std::process::ExitCode {
    mindoodb_server::run()
}
