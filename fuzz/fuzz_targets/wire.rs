//! Fuzz target: a connection's byte stream through the frontend-message decoders, the startup
//! options and the bound-parameter decoding of the extended-query path.
//! The checks live in `mindoodb_server::fuzz::wire`, which the stable corpus replay
//! (`server/tests/it/fuzz_corpus.rs`) runs too.

#![no_main]

libfuzzer_sys::fuzz_target!(
    init: {
        // A panic inside pgwire's decoder is contained by the server, as by `wire`; any other
        // panic still aborts through libFuzzer's hook.
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !mindoodb_server::fuzz::in_pgwire_decoder() {
                abort(info);
            }
        }));
    },
    |bytes: &[u8]| mindoodb_server::fuzz::wire(bytes)
);
