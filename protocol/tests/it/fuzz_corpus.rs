//! The fuzz regression corpus (`fuzz/corpus/<target>/`), replayed on stable by `cargo test`:
//! every input that ever mattered to a fuzz target keeps passing its checks.

use std::path::PathBuf;

use crate::fuzz_checks;

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut inputs: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|item| {
            let path = item.expect("corpus entry").path();
            let bytes = std::fs::read(&path).expect("corpus file");
            (path, bytes)
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "{} is empty", dir.display());
    inputs
}

#[test]
fn the_sealed_entry_corpus_passes() {
    for (path, bytes) in corpus("sealed_entry") {
        let res = std::panic::catch_unwind(|| fuzz_checks::sealed_entry(&bytes));
        assert!(res.is_ok(), "{} fails", path.display());
    }
}

#[test]
fn the_token_corpus_passes() {
    for (path, bytes) in corpus("token") {
        let res = std::panic::catch_unwind(|| fuzz_checks::token(&bytes));
        assert!(res.is_ok(), "{} fails", path.display());
    }
}
