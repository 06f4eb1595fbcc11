//! Fuzz target: a connection's byte stream through the frontend-message decoders, the startup
//! options and the bound-parameter decoding of the extended-query path.
//! The checks live in `mindoodb_server::fuzz::wire`, which the stable corpus replay
//! (`server/tests/it/fuzz_corpus.rs`) runs too.

#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| mindoodb_server::fuzz::wire(bytes));
