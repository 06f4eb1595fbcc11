//! The regression corpora of the server's fuzz targets (`fuzz/corpus/{sql,wire,json}/`),
//! replayed on stable by `cargo test` through the same entry points (`mindoodb_server::fuzz`):
//! every input that ever mattered to a fuzz target keeps passing its checks.

use std::path::PathBuf;

/// The stack the replay runs on: libFuzzer's main thread's (8 MiB), on which the corpus was
/// found. A debug build's frames are several times a release build's, and the deepest `sql`
/// inputs (nesting up to the recursion limit) overflow a test thread's 2 MiB in debug; the
/// release fuzz build runs every one of them on 2 MiB, the stack of the server's workers.
const STACK: usize = 8 << 20;

/// Runs `check` on every file of `fuzz/corpus/<target>/`, naming the first that panics.
fn replay(target: &'static str, check: fn(&[u8])) {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || replay_here(target, check))
        .expect("replay thread")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
}

fn replay_here(target: &str, check: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|item| item.expect("corpus entry").path())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "{} is empty", dir.display());
    for path in paths {
        let bytes = std::fs::read(&path).expect("corpus file");
        let res = std::panic::catch_unwind(|| check(&bytes));
        assert!(res.is_ok(), "{} fails", path.display());
    }
}

#[test]
fn the_sql_corpus_passes() {
    replay("sql", mindoodb_server::fuzz::sql);
}

#[test]
fn the_wire_corpus_passes() {
    replay("wire", mindoodb_server::fuzz::wire);
}

#[test]
fn the_json_corpus_passes() {
    replay("json", mindoodb_server::fuzz::json);
}
