//! Test helper for `tests/it/crash.rs`, not a tool: prints `ready` once its store, tenant and
//! tables are open, then commits from 8 threads forever, until the parent kills it with
//! SIGKILL. Each thread alternates a format-1 document in table `t`, after which it prints
//! `ok <doc_id> <seq>`, and a signed format-2 commit of three documents (two in `t`, one in
//! `u`), after which it prints `signed <commit_seq> <doc_id>:<seq> <doc_id>:<seq> <doc_id>:<seq>`
//! in that order.
//!
//! Usage: mindoodb-storage-crash-child <data-dir> <cycle>

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use mindoodb_protocol::{
    AuthorClock, DataKey, DocId, Draft, EntryKind, Identity, KeyName, Nonce, seal, seal_entry,
};
use mindoodb_storage::{Outcome, SigningTransaction, Store, StoreConfig, Transaction, Write};

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
    let table_of = |name: &str| match store.table(tenant.id, name) {
        Some(t) => t.table,
        None => {
            store
                .create_table(tenant.id, name, None, Default::default())
                .expect("table")
                .table
        }
    };
    let (table, other) = (table_of("t"), table_of("u"));
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
                let draft = |doc: &str, i: i64| Draft {
                    kind: EntryKind::Create,
                    doc_id: DocId::new(doc).expect("id"),
                    parents: vec![],
                    clock: AuthorClock(i),
                    signer_role: String::new(),
                };
                for i in 0.. {
                    let doc = format!("c{cycle}-t{thread}-{i}");
                    if i % 2 == 1 {
                        let docs = [0, 1, 2].map(|n| format!("{doc}-{n}"));
                        let writes = docs
                            .iter()
                            .zip([table, other, table])
                            .map(|(doc, table)| {
                                let entry = seal_entry(
                                    draft(doc, i),
                                    br#"{"payload":"crash test"}"#,
                                    &key,
                                    identity.public(),
                                    Nonce::random().expect("rng"),
                                )
                                .expect("seal");
                                (table, entry)
                            })
                            .collect();
                        let txn = SigningTransaction {
                            signer: identity.clone(),
                            clock: AuthorClock(i),
                            writes,
                        };
                        let stored = store.commit_signed(txn).expect("commit");
                        let seqs: Vec<String> = docs
                            .iter()
                            .zip(&stored.outcomes)
                            .map(|(doc, outcome)| match outcome {
                                Outcome::Appended(seq) => format!("{doc}:{}", seq.0),
                                other => panic!("a fresh local entry was {other:?}"),
                            })
                            .collect();
                        let mut out = stdout.lock().expect("stdout");
                        writeln!(out, "signed {} {}", stored.seq.0, seqs.join(" ")).expect("print");
                        out.flush().expect("flush");
                        continue;
                    }
                    let entry = seal(
                        draft(&doc, i),
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
