//! Fuzz target: arbitrary bytes as a sealed entry (parse, canonical re-encoding, hash, verify,
//! open). The checks live in `protocol/tests/it/fuzz_checks.rs`, which the stable corpus
//! replay runs too.

#![no_main]

#[path = "../../protocol/tests/it/fuzz_checks.rs"]
#[allow(dead_code, reason = "each target calls one of the shared checks")]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| fuzz_checks::sealed_entry(bytes));
