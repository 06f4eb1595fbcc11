//! Fuzz target: SQL text through the server's front end: parsing, classification, the AST rewrites,
//! redaction, scrubbing and our own statements' values.
//! The checks live in `mindoodb_server::fuzz::sql`, which the stable corpus replay
//! (`server/tests/it/fuzz_corpus.rs`) runs too.

#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| mindoodb_server::fuzz::sql(bytes));
