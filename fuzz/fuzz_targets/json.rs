//! Fuzz target: JSON input: document normalisation (canonical), the jsonb operators and jsonb_set,
//! the feed cursors argument.
//! The checks live in `mindoodb_server::fuzz::json`, which the stable corpus replay
//! (`server/tests/it/fuzz_corpus.rs`) runs too.

#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| mindoodb_server::fuzz::json(bytes));
