//! Test helper for `tests/it/crash.rs`, not a tool: prints `ready` once its store, tenant and
//! table are open, then appends documents from 8 threads forever and prints `ok <doc_id> <seq>`
//! after each commit returns, until the parent kills it with SIGKILL.
//!
//! Usage: mindoodb-storage-crash-child <data-dir> <cycle>

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use mindoodb_protocol::{
    AuthorClock, DataKey, DocId, Draft, EntryKind, Identity, KeyName, Nonce, seal,
};
use mindoodb_storage::{Outcome, Store, StoreConfig, Transaction, Write};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("data dir"));
    let cycle: u32 = args.next().expect("cycle").parse().expect("cycle number");
    let store = Store::open(
        &dir,
        &StoreConfig {
            cache_bytes: 8 << 20,
        },
    )
    .expect("open");
    let tenant = match store.tenant("crash") {
        Some(t) => t,
        None => store.create_tenant("crash").expect("tenant"),
    };
    let table = match store.table(tenant.id, "t") {
        Some(t) => t.table,
        None => {
            store
                .create_table(tenant.id, "t", None)
                .expect("table")
                .table
        }
    };
    // The parent's kill clock starts here, so a slow machine never kills before the first append.
    println!("ready");
    let key = Arc::new(DataKey::generate(KeyName::new("default").expect("name"), 1).expect("key"));
    let identity = Arc::new(Identity::generate().expect("identity"));
    let stdout = Arc::new(Mutex::new(std::io::stdout()));
    let threads: Vec<_> = (0..8)
        .map(|thread| {
            let (store, key, identity, stdout) =
                (store.clone(), key.clone(), identity.clone(), stdout.clone());
            std::thread::spawn(move || {
                for i in 0.. {
                    let doc = format!("c{cycle}-t{thread}-{i}");
                    let draft = Draft {
                        kind: EntryKind::Create,
                        doc_id: DocId::new(doc.clone()).expect("id"),
                        parents: vec![],
                        clock: AuthorClock(i),
                        signer_role: String::new(),
                    };
                    let entry = seal(
                        draft,
                        br#"{"payload":"crash test"}"#,
                        &key,
                        &identity,
                        Nonce::random().expect("rng"),
                    )
                    .expect("seal");
                    let receipt = store
                        .commit(Transaction {
                            writes: vec![Write::Local { table, entry }],
                        })
                        .expect("commit");
                    let Outcome::Appended(seq) = receipt.outcomes[0] else {
                        panic!("fresh entry was a duplicate")
                    };
                    let mut out = stdout.lock().expect("stdout");
                    writeln!(out, "ok {doc} {}", seq.0).expect("print");
                    out.flush().expect("flush");
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("appender");
    }
}
